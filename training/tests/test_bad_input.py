"""Bad input stops with a message that names the file and the problem."""
from __future__ import annotations

import gzip
import json
import tempfile
import unittest
from pathlib import Path

import torch

from training.checkpoint import load_hf, save_hf
from training.data import read_csv_rows, to_examples
from training.errors import DataError
from training.finetune import build_classifier
from training.model import BertForSequenceClassification, preset_config
from training.tasks import TASKS


class BadInputTest(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())

    def write(self, name: str, text: str) -> Path:
        path = self.tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def test_missing_dataset_names_the_file(self):
        with self.assertRaises(DataError) as ctx:
            TASKS["news-topic"].load_split(self.tmp, None)
        self.assertIn(str(self.tmp / "bbc" / "bbc.csv"), str(ctx.exception))
        self.assertIn("not found", str(ctx.exception))

    def test_missing_column(self):
        path = self.write("bbc/bbc.csv", "id,label,body\n1,sport,hello\n")
        with self.assertRaises(DataError) as ctx:
            TASKS["news-topic"].load_split(self.tmp, None)
        self.assertIn("missing column(s) title, text", str(ctx.exception))
        self.assertIn(str(path), str(ctx.exception))

    def test_unknown_label_names_line_and_label(self):
        path = self.write("shop.csv", "label,text\nBooks,a novel\nToys,a kite\n")
        with self.assertRaises(DataError) as ctx:
            to_examples(read_csv_rows(path, ["label", "text"]), path, TASKS["product-category"].labels, lambda r: r["text"])
        self.assertIn("line 3: unknown label 'Toys'", str(ctx.exception))

    def test_empty_text_names_line(self):
        path = self.write("shop.csv", "label,text\nBooks,a novel\nBooks,   \n")
        with self.assertRaises(DataError) as ctx:
            to_examples(read_csv_rows(path, ["label", "text"]), path, TASKS["product-category"].labels, lambda r: r["text"])
        self.assertIn("line 3: empty text", str(ctx.exception))

    def test_header_only_file(self):
        path = self.write("empty.csv", "label,text\n")
        with self.assertRaises(DataError) as ctx:
            read_csv_rows(path, ["label", "text"])
        self.assertIn("no rows", str(ctx.exception))

    def test_corrupt_gzip(self):
        path = self.tmp / "imdb" / "train.csv.gz"
        path.parent.mkdir(parents=True)
        path.write_bytes(b"this is not gzip data")
        with self.assertRaises(DataError) as ctx:
            read_csv_rows(path, ["label", "text"])
        self.assertIn(str(path), str(ctx.exception))

    def test_invalid_utf8(self):
        path = self.tmp / "bad.csv"
        path.write_bytes(b"label,text\nBooks,caf\xe9\n")
        with self.assertRaises(DataError) as ctx:
            read_csv_rows(path, ["label", "text"])
        self.assertIn("UTF-8", str(ctx.exception))

    def test_checkpoint_of_wrong_shape_names_the_tensor(self):
        small = preset_config("tiny", id2label={0: "a", 1: "b"})
        folder = self.tmp / "ckpt"
        save_hf(folder, small, BertForSequenceClassification(small).state_dict())
        config = json.loads((folder / "config.json").read_text())
        config["hidden_size"] = 256
        config["intermediate_size"] = 1024
        (folder / "config.json").write_text(json.dumps(config))
        with self.assertRaises(ValueError) as ctx:
            build_classifier(TASKS["sentiment"], "mini", folder, 0.1, small.vocab_size)
        self.assertIn("bert.embeddings.word_embeddings.weight has shape (30522, 128)", str(ctx.exception))

    def test_checkpoint_folder_without_weights(self):
        (self.tmp / "ckpt").mkdir()
        (self.tmp / "ckpt" / "config.json").write_text('{"model_type": "bert"}')
        with self.assertRaises(DataError) as ctx:
            load_hf(self.tmp / "ckpt")
        self.assertIn("pytorch_model.bin", str(ctx.exception))

    def test_checkpoint_that_is_not_bert(self):
        (self.tmp / "ckpt").mkdir()
        (self.tmp / "ckpt" / "config.json").write_text('{"model_type": "gpt2"}')
        (self.tmp / "ckpt" / "pytorch_model.bin").write_bytes(b"")
        with self.assertRaises(DataError) as ctx:
            load_hf(self.tmp / "ckpt")
        self.assertIn("expected 'bert'", str(ctx.exception))

    def test_damaged_weights_file(self):
        (self.tmp / "ckpt").mkdir()
        (self.tmp / "ckpt" / "config.json").write_text('{"model_type": "bert"}')
        (self.tmp / "ckpt" / "pytorch_model.bin").write_bytes(b"\x00garbage")
        with self.assertRaises(DataError) as ctx:
            load_hf(self.tmp / "ckpt")
        self.assertIn("cannot be read as a PyTorch state dict", str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
