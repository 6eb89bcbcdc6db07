"""Where training runs: device and CPU thread choices in one place."""
from __future__ import annotations

import os

import torch


def set_threads(threads: int | None) -> None:
    # Debian's torch starts with one thread on some machines; use every core unless told otherwise.
    torch.set_num_threads(threads or os.cpu_count() or 1)


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda was asked for but no CUDA device is available")
    return torch.device(name)
