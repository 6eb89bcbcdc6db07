"""Hugging Face-format checkpoints (config.json + pytorch_model.bin) and atomic training state."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, Tuple

import torch

from .errors import DataError
from .model import BertConfig


def save_hf(folder: Path, config: BertConfig, state: Dict[str, torch.Tensor]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(config.to_hf_dict(), indent=2) + "\n")
    atomic_save({k: v.detach().cpu().contiguous() for k, v in state.items()}, folder / "pytorch_model.bin")


def load_hf(folder: Path) -> Tuple[BertConfig, Dict[str, torch.Tensor]]:
    """Reads a Hugging Face BERT folder; names the file and the problem when it is not one."""
    config_path, weights_path = folder / "config.json", folder / "pytorch_model.bin"
    if not config_path.is_file():
        raise DataError(config_path, "missing: a checkpoint folder needs config.json and pytorch_model.bin")
    if not weights_path.is_file():
        raise DataError(weights_path, "missing: a checkpoint folder needs config.json and pytorch_model.bin")
    try:
        raw = json.loads(config_path.read_text())
    except ValueError as exc:
        raise DataError(config_path, f"not valid JSON ({exc})") from exc
    if raw.get("model_type") != "bert":
        raise DataError(config_path, f"model_type is {raw.get('model_type')!r}, expected 'bert'")
    try:
        state = torch.load(weights_path, map_location="cpu")
    except Exception as exc:  # torch raises many types for a damaged file
        raise DataError(weights_path, f"cannot be read as a PyTorch state dict ({exc})") from exc
    if not isinstance(state, dict):
        raise DataError(weights_path, "does not hold a state dict")
    return BertConfig.from_hf_dict(raw), state


def atomic_save(obj, path: Path) -> None:
    """Writes beside the target and renames, so an interrupted save never leaves a torn file."""
    tmp = path.with_name(path.name + ".tmp")
    torch.save(obj, tmp)
    tmp.replace(path)
