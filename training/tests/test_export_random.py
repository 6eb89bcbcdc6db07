"""A random-weight model folder, exported as a trained one, for tests that read model folders."""
from __future__ import annotations

import json
import tempfile
import unittest
from contextlib import redirect_stderr
from io import StringIO
from pathlib import Path

import numpy as np
import onnx

from training.export_random import main

TOKENIZER = Path("test/fixtures/data/tokenizer/bert-base-uncased")


class ExportRandomTest(unittest.TestCase):
    def test_writes_the_files_a_model_folder_needs_with_the_labels_given(self):
        out = Path(tempfile.mkdtemp()) / "random-bert"
        self.assertEqual(main(["--out", str(out), "--labels", "spam, ham", "--tokenizer", str(TOKENIZER), "--seed", "1"]), 0)
        self.assertEqual(sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()),
                         ["config.json", "onnx/model_quantized.onnx", "tokenizer.json", "tokenizer_config.json"])
        config = json.loads((out / "config.json").read_text())
        self.assertEqual(config["id2label"], {"0": "spam", "1": "ham"})
        self.assertEqual(config["architectures"], ["BertForSequenceClassification"])
        self.assertEqual(json.loads((out / "tokenizer_config.json").read_text())["model_max_length"], 128)
        graph = onnx.load(str(out / "onnx" / "model_quantized.onnx"))
        self.assertTrue(any(init.data_type == onnx.TensorProto.INT8 for init in graph.graph.initializer))
        # Another seed draws other weights.
        other = Path(tempfile.mkdtemp()) / "other"
        main(["--out", str(other), "--labels", "spam,ham", "--tokenizer", str(TOKENIZER), "--seed", "2"])
        first = {i.name: onnx.numpy_helper.to_array(i) for i in graph.graph.initializer}
        second = {i.name: onnx.numpy_helper.to_array(i) for i in onnx.load(str(other / "onnx" / "model_quantized.onnx")).graph.initializer}
        self.assertFalse(all(np.array_equal(first[k], second[k]) for k in first if k in second))

    def test_refuses_fewer_than_two_labels_and_a_missing_tokenizer(self):
        out = Path(tempfile.mkdtemp()) / "x"
        for argv, message in ((["--labels", "only"], "two or more distinct"), (["--labels", "a,a"], "two or more distinct"),
                              (["--labels", "a,b", "--tokenizer", "nowhere"], "nowhere/tokenizer.json is missing")):
            errors = StringIO()
            with redirect_stderr(errors), self.assertRaises(SystemExit):
                main(["--out", str(out), *argv])
            self.assertIn(message, errors.getvalue())
        self.assertFalse(out.exists())


if __name__ == "__main__":
    unittest.main()
