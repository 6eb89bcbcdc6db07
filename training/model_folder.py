"""Writes public/models/<id>/: the transformers.js-readable model folder and its model card."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sys
from pathlib import Path
from typing import Callable, Iterable, List

import numpy as np

from .errors import DataError
from .tasks import Task

MANIFEST_VERSION = 1


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def copy_tokenizer(tokenizer_dir: Path, target: Path, max_tokens: int) -> None:
    shutil.copyfile(tokenizer_dir / "tokenizer.json", target / "tokenizer.json")
    config = json.loads((tokenizer_dir / "tokenizer_config.json").read_text())
    config["model_max_length"] = max_tokens
    (target / "tokenizer_config.json").write_text(json.dumps(config, indent=2) + "\n")


def pick_examples(task: Task, texts: List[str], labels: np.ndarray, probs: np.ndarray, per_label: int = 2, max_chars: int = 600) -> List[dict]:
    """Short test texts the shipped model gets right with a clear margin, so every runtime
    (WASM, WebGPU, TF.js) must reach the same label on them."""
    examples = []
    for label_id, label in enumerate(task.labels):
        ordered = np.argsort(probs[:, label_id])[::-1]
        picked = [i for i in ordered if labels[i] == label_id and probs[i].argmax() == label_id and probs[i, label_id] >= 0.9 and len(texts[i]) <= max_chars]
        if len(picked) < per_label:
            picked = [i for i in ordered if labels[i] == label_id and probs[i].argmax() == label_id][:per_label]
        picked = sorted(picked[: per_label * 5], key=lambda i: len(texts[i]))[:per_label]
        examples += [{"text": texts[i], "label": label, "probability": round(float(probs[i, label_id]), 4)} for i in picked]
    return examples


def file_entries(folder: Path) -> List[dict]:
    return [{"path": p.relative_to(folder).as_posix(), "bytes": p.stat().st_size, "sha256": sha256(p)}
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "manifest.json"]


def write_manifest(folder: Path, card: dict) -> dict:
    manifest = {"manifestVersion": MANIFEST_VERSION, **card, "files": file_entries(folder), "created": dt.date.today().isoformat()}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def write_index(models_dir: Path, default: str) -> None:
    ids = sorted(p.name for p in models_dir.iterdir() if (p / "manifest.json").is_file())
    ordered = [default] + [i for i in ids if i != default] if default in ids else ids
    (models_dir / "index.json").write_text(json.dumps({"default": ordered[0] if ordered else None, "models": ordered}, indent=2) + "\n")


def update_card(folder: Path, **sections) -> dict:
    """Sets sections of an existing card and keeps the rest (files, created) as they are."""
    path = folder / "manifest.json"
    manifest = {**json.loads(path.read_text()), **sections}
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def update_each_card(models: Path, task_ids: str, known: Iterable[str], update: Callable[[str, Path], object]) -> int:
    """Runs `update` on MODELS/<task> for each comma-separated task id: the command-line tools that
    bring built cards up to date. A DataError ends the run with its message and exit code 2."""
    known = list(known)
    try:
        for task_id in task_ids.split(","):
            if task_id not in known:
                raise SystemExit(f"unknown task {task_id!r}; choose from {', '.join(known)}")
            update(task_id, models / task_id)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
