"""Adds the out-of-domain evaluation (out_of_domain.py) to model folders already built, without
training again: the pipeline records it for every model it builds; this brings older cards up to date.

  scripts/python.sh -m training.evaluate_out_of_domain --models public/models [--tasks sentiment]

The baseline is trained again on the task's training split, exactly as the pipeline trains it.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import List, Optional

from .baseline import train_baseline
from .errors import DataError
from .model_folder import update_card, update_each_card
from .out_of_domain import SETS, evaluate
from .tasks import TASKS
from .tokenizer import WordPieceTokenizer


def evaluate_folder(task_id: str, folder: Path, data: Path, work: Path) -> dict:
    task = TASKS[task_id]
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise DataError(manifest_path, "missing: the folder has no model card to add to")
    card = json.loads(manifest_path.read_text())
    if card.get("labels") != task.labels:
        raise DataError(manifest_path, f"labels {card.get('labels')} are not the {task_id} task's {task.labels}")
    split = task.load_split(data, None)
    tokenizer = WordPieceTokenizer(folder / "tokenizer.json")
    results = evaluate(task, data, split, folder / "onnx" / "model_quantized.onnx", tokenizer, train_baseline(split.train), work)
    update_card(folder, outOfDomain=results)
    return results


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    p.add_argument("--models", type=Path, default=Path("public/models"))
    p.add_argument("--tasks", default=",".join(SETS), help="comma-separated task ids")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        return update_each_card(args.models, args.tasks, TASKS, lambda task_id, folder: evaluate_folder(task_id, folder, args.data, Path(work)))


if __name__ == "__main__":
    sys.exit(main())
