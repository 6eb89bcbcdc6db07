"""Where and how training runs: device, CPU threads and numeric precision in one place."""
from __future__ import annotations

import os
from pathlib import Path

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


def cpu_has_native_bf16() -> bool:
    # torch 1.13 has no public query for this; Linux lists the instruction sets in /proc/cpuinfo.
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def pick_precision(name: str, device: torch.device) -> str:
    """'bf16' runs forward and backward passes under bfloat16 autocast while weights and optimizer
    state stay fp32, so checkpoints and exports are unchanged. 'auto' picks it where the hardware
    computes bf16 natively: on a CPU with AVX512-BF16 a training step is about 3x faster than fp32."""
    if name not in ("auto", "bf16", "fp32"):
        raise SystemExit(f"--precision must be auto, bf16 or fp32, not {name!r}")
    if name != "auto":
        return name
    native = torch.cuda.is_bf16_supported() if device.type == "cuda" else cpu_has_native_bf16()
    return "bf16" if native else "fp32"


def autocast(precision: str, device: torch.device):
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=precision == "bf16")
