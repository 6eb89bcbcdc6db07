"""Reads a model folder's int8 ONNX file back into PyTorch weights, so a shipped model can be
fine-tuned further (`pipeline --encoder`) when its PyTorch checkpoint is gone.

The file is the pipeline's own export (export_onnx.py, quantize.py): initializers carry the PyTorch
parameter names, MatMul weights are stored [in, out] (the transpose of a Linear's [out, in]), the
pooler and classifier stay [out, in] (Gemm, transB=1), and a quantized tensor X is X_quantized
(int8) times X_scale (per column for MatMul weights, per row for embedding tables). Dequantizing
gives back the weights the int8 model computes with, not the fp32 ones before quantization.

    python3 -m training.import_onnx --model public/models/sentiment --out training/runs/imported/sentiment
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Dict, List, Optional

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from .checkpoint import save_hf
from .errors import DataError
from .model import BertConfig, BertForSequenceClassification


def _initializers(path: Path) -> tuple:
    try:
        model = onnx.load(str(path))
    except Exception as exc:  # onnx raises several types for a damaged file
        raise DataError(path, f"is not a readable ONNX file ({exc})") from exc
    arrays = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    # Weights consumed by a MatMul (directly, or through DequantizeLinear) are stored transposed.
    dequantized = {node.output[0]: node.input[0] for node in model.graph.node if node.op_type == "DequantizeLinear"}
    transposed = {node.input[1] for node in model.graph.node if node.op_type == "MatMul"}
    transposed |= {dequantized[name] for name in transposed if name in dequantized}
    return arrays, transposed


def _weight(name: str, arrays: Dict[str, np.ndarray], transposed: set) -> Optional[np.ndarray]:
    if name in arrays:
        value = arrays[name]
        return value.T if name in transposed else value
    quantized = arrays.get(f"{name}_quantized")
    if quantized is None:
        return None
    scale = arrays[f"{name}_scale"]
    if f"{name}_quantized" in transposed:
        return (quantized.astype(np.float32) * scale.reshape(1, -1)).T
    return quantized.astype(np.float32) * scale.reshape(-1, 1)


def import_classifier(folder: Path) -> BertForSequenceClassification:
    """The classifier the folder's int8 file computes, as a PyTorch model."""
    config_path, onnx_path = folder / "config.json", folder / "onnx" / "model_quantized.onnx"
    for path in (config_path, onnx_path):
        if not path.is_file():
            raise DataError(path, "missing: a model folder needs config.json and onnx/model_quantized.onnx")
    model = BertForSequenceClassification(BertConfig.from_hf_dict(json.loads(config_path.read_text())))
    arrays, transposed = _initializers(onnx_path)
    state = model.state_dict()
    for name, own in state.items():
        value = _weight(name, arrays, transposed)
        if value is None:
            if name.endswith("position_ids"):
                continue
            raise DataError(onnx_path, f"has no tensor for {name} (neither {name} nor {name}_quantized)")
        if tuple(value.shape) != tuple(own.shape):
            raise DataError(onnx_path, f"{name} has shape {list(value.shape)}, config.json implies {list(own.shape)}")
        state[name] = torch.tensor(value, dtype=torch.float32)
    model.load_state_dict(state)
    return model


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", type=Path, required=True, help="a model folder the pipeline wrote")
    p.add_argument("--out", type=Path, required=True, help="where to write config.json and pytorch_model.bin")
    args = p.parse_args(argv)
    try:
        model = import_classifier(args.model)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    save_hf(args.out, model.config, model.state_dict())
    print(json.dumps({"model": str(args.model), "out": str(args.out)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
