"""Records in model folders already built whether their models meet the task's quality targets
(targets.py), without training again: the pipeline records them for every model it builds.

  scripts/python.sh -m training.record_targets --models public/models [--tasks sentiment]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import List, Optional

from .errors import DataError
from .model_folder import update_card, update_each_card
from .targets import TARGETS, assess


def record(task_id: str, folder: Path) -> dict:
    path = folder / "manifest.json"
    if not path.is_file():
        raise DataError(path, "missing: the folder has no model card to record targets in")
    section = assess(task_id, json.loads(path.read_text()), path)
    update_card(folder, targets=section)
    for item in section["items"]:
        print(f"[{task_id}] {'met' if item['met'] else 'MISSED'}: {item['target']} (reached {item['reached']:.2%})")
    return section


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--models", type=Path, default=Path("public/models"))
    p.add_argument("--tasks", default=",".join(TARGETS), help="comma-separated task ids")
    args = p.parse_args(argv)
    return update_each_card(args.models, args.tasks, TARGETS, record)


if __name__ == "__main__":
    sys.exit(main())
