"""Reading an int8 model folder back into PyTorch gives the weights the int8 file computes with,
in PyTorch's layout, and a folder that is not the pipeline's export stops with the file and the problem."""
from __future__ import annotations

import json
import shutil
import tempfile
import unittest
from pathlib import Path

import torch

from training.errors import DataError
from training.export_onnx import export_fp32
from training.import_onnx import import_classifier
from training.model import BertForSequenceClassification, preset_config
from training.quantize import quantize_model


def exported(folder: Path) -> BertForSequenceClassification:
    torch.manual_seed(3)
    model = BertForSequenceClassification(preset_config("tiny", id2label={0: "a", 1: "b", 2: "c"}))
    with torch.no_grad():
        # Trained weights differ from one another; fresh ones (LayerNorm at 1, biases at 0) would be merged by the export.
        for parameter in model.parameters():
            parameter.add_(torch.randn_like(parameter) * 0.05)
    (folder / "onnx").mkdir(parents=True)
    export_fp32(model, folder / "model.onnx")
    quantize_model(folder / "model.onnx", folder / "onnx" / "model_quantized.onnx")
    (folder / "config.json").write_text(json.dumps(model.config.to_hf_dict()))
    return model


class ImportOnnxTest(unittest.TestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())
        self.original = exported(self.folder)

    def tearDown(self):
        shutil.rmtree(self.folder)

    def test_every_weight_comes_back_in_pytorch_layout_within_its_int8_step(self):
        imported = import_classifier(self.folder).state_dict()
        for name, value in self.original.state_dict().items():
            with self.subTest(name=name):
                self.assertEqual(imported[name].shape, value.shape)
                # One int8 step is max|w| / 127 of the column or row; fp32 tensors come back exactly.
                self.assertLessEqual(float((imported[name] - value).abs().max()), float(value.abs().max()) / 127 / 2 + 1e-7)
        self.assertTrue(torch.equal(imported["classifier.weight"], self.original.state_dict()["classifier.weight"]))

    def test_the_imported_model_predicts_as_the_original_does(self):
        imported = import_classifier(self.folder).eval()
        ids = torch.tensor([[101, 7592, 2088, 1012, 102], [101, 2307, 3185, 102, 0]])
        mask = (ids != 0).long()
        with torch.no_grad():
            want = self.original.eval()(ids, mask, torch.zeros_like(ids))
            got = imported(ids, mask, torch.zeros_like(ids))
        want, got = (t.logits if hasattr(t, "logits") else t for t in (want, got))
        self.assertLess(float((want - got).abs().max()), 0.05)
        self.assertTrue(torch.equal(want.argmax(1), got.argmax(1)))

    def test_a_file_that_is_not_onnx_and_a_missing_file_name_the_file(self):
        (self.folder / "onnx" / "model_quantized.onnx").write_bytes(b"not onnx")
        with self.assertRaises(DataError) as ctx:
            import_classifier(self.folder)
        self.assertIn("model_quantized.onnx", str(ctx.exception))
        self.assertIn("not a readable ONNX file", str(ctx.exception))
        (self.folder / "config.json").unlink()
        with self.assertRaises(DataError) as ctx:
            import_classifier(self.folder)
        self.assertIn("config.json", str(ctx.exception))

    def test_a_config_that_does_not_fit_the_weights_names_the_tensor(self):
        config = json.loads((self.folder / "config.json").read_text())
        config["hidden_size"] *= 2
        (self.folder / "config.json").write_text(json.dumps(config))
        with self.assertRaises(DataError) as ctx:
            import_classifier(self.folder)
        self.assertIn("config.json implies", str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
