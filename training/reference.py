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


def write_ids(folder: Path, encoded: List[List[int]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    np.concatenate([np.asarray(r, dtype=np.int32) for r in encoded]).tofile(folder / "ids.bin")
    np.asarray([len(r) for r in encoded], dtype=np.int32).tofile(folder / "lengths.bin")


def write_reference(folder: Path, encoded: List[List[int]], model, pad_id: int, num_labels: int) -> None:
    write_ids(folder, encoded)
    rows = min(TORCH_ROWS, len(encoded))
    predict_logits(model, encoded[:rows], pad_id).astype(np.float32).tofile(folder / "torch-logits.bin")
    (folder / "meta.json").write_text(json.dumps({"numLabels": num_labels, "torchRows": rows}) + "\n")


def _run_script(script: str, model: Path, folder: Path) -> subprocess.CompletedProcess:
    command = ["npx", "--no-install", "tsx", str(REPO_ROOT / "training" / script), "--model", str(model), "--reference", str(folder)]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)


def score_onnx(model_file: Path, folder: Path, encoded: List[List[int]], num_labels: int) -> np.ndarray:
    """Logits of one ONNX file over `encoded`, computed by onnxruntime-node as the page's engines would."""
    write_ids(folder, encoded)
    (folder / "meta.json").write_text(json.dumps({"numLabels": num_labels}) + "\n")
    result = _run_script("score-onnx.ts", model_file, folder)
    if result.returncode != 0 or not (folder / "logits.bin").is_file():
        raise DataError(model_file, f"could not be scored with onnxruntime-node: {result.stderr.strip() or result.stdout.strip()}")
    return np.fromfile(folder / "logits.bin", dtype=np.float32).reshape(-1, num_labels)


def run_verifier(model_dir: Path, folder: Path, num_labels: int) -> dict:
    """Runs training/verify-onnx.ts with onnxruntime-node; returns its report and both logit sets."""
    result = _run_script("verify-onnx.ts", model_dir, folder)
    if result.returncode == 2 or not (folder / "verify.json").is_file():
        raise DataError(model_dir, f"the ONNX verifier could not run: {result.stderr.strip() or result.stdout.strip()}")
    report = json.loads((folder / "verify.json").read_text())
    report["logits_fp32"] = np.fromfile(folder / "logits-fp32.bin", dtype=np.float32).reshape(-1, num_labels)
    report["logits_int8"] = np.fromfile(folder / "logits-int8.bin", dtype=np.float32).reshape(-1, num_labels)
    return report
