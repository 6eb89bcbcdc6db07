"""ONNX export with Hugging Face parameter names on the initializers.

torch.onnx folds each Linear's transposed weight into an anonymous constant; naming them back after
the PyTorch parameters lets any reader (the TF.js engine, a person with Netron) map the graph onto
BERT. MatMul weights are stored as [in, out], the transpose of PyTorch's [out, in].
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from .model import BertForSequenceClassification

INPUT_NAMES = ["input_ids", "attention_mask", "token_type_ids"]
OPSET = 14


def export_fp32(model: BertForSequenceClassification, path: Path) -> None:
    model.eval()
    path.parent.mkdir(parents=True, exist_ok=True)
    example = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]])
    args = (example, (example != 0).long(), torch.zeros_like(example))
    dynamic = {name: {0: "batch", 1: "sequence"} for name in INPUT_NAMES}
    dynamic["logits"] = {0: "batch"}
    with torch.no_grad():
        torch.onnx.export(model, args, str(path), input_names=INPUT_NAMES, output_names=["logits"], dynamic_axes=dynamic,
                          opset_version=OPSET, do_constant_folding=True)
    graph = onnx.load(str(path))
    rename_initializers(graph, {k: v.detach().numpy() for k, v in model.state_dict().items()})
    graph.producer_name = "glassbox-training"
    onnx.checker.check_model(graph)
    onnx.save(graph, str(path))


def rename_initializers(model: onnx.ModelProto, state: Dict[str, np.ndarray]) -> None:
    """Gives each initializer the name of the parameter it equals (directly or transposed)."""
    by_shape: Dict[tuple, list] = {}
    for name, value in state.items():
        if value.dtype != np.float32:
            continue
        by_shape.setdefault(value.shape, []).append((name, value))
        if value.ndim == 2:
            by_shape.setdefault(value.T.shape, []).append((name, value.T))
    renames = {}
    for init in model.graph.initializer:
        array = numpy_helper.to_array(init)
        for name, value in by_shape.get(array.shape, []):
            if name not in renames.values() and np.array_equal(array, value):
                renames[init.name] = name
                break
    for init in model.graph.initializer:
        if init.name in renames:
            init.name = renames[init.name]
    for node in model.graph.node:
        node.input[:] = [renames.get(i, i) for i in node.input]
