"""Token ids and PyTorch logits handed to the TypeScript verifier, and the logits it hands back."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import List

import numpy as np

from .errors import DataError
from .finetune import predict_logits

REPO_ROOT = Path(__file__).resolve().parent.parent
TORCH_ROWS = 500


def write_reference(folder: Path, encoded: List[List[int]], model, pad_id: int, num_labels: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    np.concatenate([np.asarray(r, dtype=np.int32) for r in encoded]).tofile(folder / "ids.bin")
    np.asarray([len(r) for r in encoded], dtype=np.int32).tofile(folder / "lengths.bin")
    rows = min(TORCH_ROWS, len(encoded))
    predict_logits(model, encoded[:rows], pad_id).astype(np.float32).tofile(folder / "torch-logits.bin")
    (folder / "meta.json").write_text(json.dumps({"numLabels": num_labels, "torchRows": rows}) + "\n")


def run_verifier(model_dir: Path, folder: Path, num_labels: int) -> dict:
    """Runs training/verify-onnx.ts with onnxruntime-node; returns its report and both logit sets."""
    command = ["npx", "--no-install", "tsx", str(REPO_ROOT / "training" / "verify-onnx.ts"), "--model", str(model_dir), "--reference", str(folder)]
    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
    if result.returncode == 2 or not (folder / "verify.json").is_file():
        raise DataError(model_dir, f"the ONNX verifier could not run: {result.stderr.strip() or result.stdout.strip()}")
    report = json.loads((folder / "verify.json").read_text())
    report["logits_fp32"] = np.fromfile(folder / "logits-fp32.bin", dtype=np.float32).reshape(-1, num_labels)
    report["logits_int8"] = np.fromfile(folder / "logits-int8.bin", dtype=np.float32).reshape(-1, num_labels)
    return report
