"""A model folder with random weights, exported as the pipeline exports a trained one.

For tests of anything that reads a model folder (the page opening one from disk): the same
config.json, tokenizer files and onnx/model_quantized.onnx as a shipped model, in seconds, with no
training data. Its predictions mean nothing; the labels are the ones given. No manifest.json, as a
folder a person exported by hand would have none.

    python3 -m training.export_random --out FOLDER --labels spam,ham [--preset tiny] [--seed 0]
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import List, Optional

import torch

from .export_onnx import export_fp32
from .model import PRESETS, BertForSequenceClassification, preset_config
from .model_folder import copy_tokenizer
from .quantize import quantize_model


def export_random(out: Path, labels: List[str], preset: str, seed: int, tokenizer_dir: Path, max_tokens: int) -> None:
    torch.manual_seed(seed)
    model = BertForSequenceClassification(preset_config(preset, id2label=dict(enumerate(labels))))
    (out / "onnx").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        fp32 = Path(work) / "model.onnx"
        export_fp32(model, fp32)
        quantize_model(fp32, out / "onnx" / "model_quantized.onnx")
    (out / "config.json").write_text(json.dumps(model.config.to_hf_dict(), indent=2) + "\n")
    copy_tokenizer(tokenizer_dir, out, max_tokens)


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, required=True, help="the model folder to write")
    p.add_argument("--labels", required=True, help="comma-separated label names, two or more")
    p.add_argument("--preset", default="tiny", choices=list(PRESETS))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--tokenizer", type=Path, default=Path("test/fixtures/data/tokenizer/bert-base-uncased"), help="folder with tokenizer.json and tokenizer_config.json")
    p.add_argument("--max-tokens", type=int, default=128)
    args = p.parse_args(argv)
    labels = [label.strip() for label in args.labels.split(",")]
    if len(labels) < 2 or any(not label for label in labels) or len(set(labels)) != len(labels):
        p.error(f"--labels needs two or more distinct, non-empty names; got {args.labels!r}")
    for name in ("tokenizer.json", "tokenizer_config.json"):
        if not (args.tokenizer / name).is_file():
            p.error(f"{args.tokenizer / name} is missing: --tokenizer must name a folder with tokenizer.json and tokenizer_config.json")
    export_random(args.out, labels, args.preset, args.seed, args.tokenizer, args.max_tokens)
    print(json.dumps({"out": str(args.out), "labels": labels, "preset": args.preset, "seed": args.seed}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
