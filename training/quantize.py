"""Weight-only int8 quantization of an exported BERT.

Every large MatMul weight and embedding table is stored as int8 with one float scale per output
column (MatMul) or per row (embedding), symmetric with zero point 0. Activations stay fp32, which
keeps accuracy within a fraction of a point of fp32 while the download shrinks about 4x, and uses
only standard ONNX ops (DequantizeLinear, Gather, Cast, Mul) that every ONNX Runtime backend has.

Names: parameter X becomes X_quantized (int8) and X_scale (float32); MatMul weights keep the
[in, out] layout with scales per column, embedding tables [rows, hidden] with scales per row.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MIN_ELEMENTS = 4096


def symmetric_int8(weights: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-slice scales along `axis` (the kept dimension): q = round(w / scale), |q| <= 127."""
    reduce_axes = tuple(i for i in range(weights.ndim) if i != axis)
    scale = np.abs(weights).max(axis=reduce_axes) / 127.0
    scale = np.where(scale == 0, 1.0, scale).astype(np.float32)
    shape = [1] * weights.ndim
    shape[axis] = -1
    q = np.clip(np.rint(weights / scale.reshape(shape)), -127, 127).astype(np.int8)
    return q, scale


def quantize_model(source: Path, target: Path) -> dict:
    model = onnx.load(str(source))
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    new_nodes, new_inits, removed = [], [], set()
    counts = {"matmul": 0, "gather": 0}
    for node in graph.node:
        if node.op_type == "MatMul" and node.input[1] in inits and len(inits[node.input[1]].dims) == 2 and _size(inits[node.input[1]]) >= MIN_ELEMENTS:
            name = node.input[1]
            q, scale = symmetric_int8(numpy_helper.to_array(inits[name]), axis=1)
            new_inits += [numpy_helper.from_array(q, f"{name}_quantized"), numpy_helper.from_array(scale, f"{name}_scale"),
                          numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), f"{name}_zero_point")]
            new_nodes.append(helper.make_node("DequantizeLinear", [f"{name}_quantized", f"{name}_scale", f"{name}_zero_point"], [name], name=f"{name}_dequantize", axis=1))
            new_nodes.append(node)
            removed.add(name)
            counts["matmul"] += 1
        elif node.op_type == "Gather" and node.input[0] in inits and _size(inits[node.input[0]]) >= MIN_ELEMENTS:
            # Gather the int8 rows first and scale only those: dequantizing the whole vocabulary table
            # would cost millions of multiplications per call.
            name, indices, out = node.input[0], node.input[1], node.output[0]
            q, scale = symmetric_int8(numpy_helper.to_array(inits[name]), axis=0)
            new_inits += [numpy_helper.from_array(q, f"{name}_quantized"), numpy_helper.from_array(scale, f"{name}_scale"),
                          numpy_helper.from_array(np.array([-1], dtype=np.int64), f"{name}_unsqueeze_axes")]
            new_nodes += [
                helper.make_node("Gather", [f"{name}_quantized", indices], [f"{out}_int8"], name=f"{name}_gather_int8", axis=0),
                helper.make_node("Gather", [f"{name}_scale", indices], [f"{out}_row_scale"], name=f"{name}_gather_scale", axis=0),
                helper.make_node("Cast", [f"{out}_int8"], [f"{out}_float"], name=f"{name}_cast", to=TensorProto.FLOAT),
                helper.make_node("Unsqueeze", [f"{out}_row_scale", f"{name}_unsqueeze_axes"], [f"{out}_row_scale_column"], name=f"{name}_unsqueeze"),
                helper.make_node("Mul", [f"{out}_float", f"{out}_row_scale_column"], [out], name=f"{name}_dequantize"),
            ]
            removed.add(name)
            counts["gather"] += 1
        else:
            new_nodes.append(node)
    kept = [i for i in graph.initializer if i.name not in removed]
    del graph.initializer[:]
    graph.initializer.extend(kept + new_inits)
    del graph.node[:]
    graph.node.extend(new_nodes)
    onnx.checker.check_model(model)
    target.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(target))
    return {"scheme": "int8 weight-only, symmetric, per output column (MatMul) / per row (embeddings)", "quantized_matmuls": counts["matmul"],
            "quantized_embeddings": counts["gather"], "fp32_bytes": source.stat().st_size, "int8_bytes": target.stat().st_size}


def _size(init: onnx.TensorProto) -> int:
    return int(np.prod(init.dims))
