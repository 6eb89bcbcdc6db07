"""Calibrates the unfamiliar-text note (src/core/text/familiarity.ts) on each task's validation split.

The page calls a text unfamiliar when its words need more than FAMILIARITY.maxPiecesPerWord word
pieces each (over its first 200 words of letters). This prints, per task, that ratio's percentiles
on the validation split (never the test split), and the share of validation texts above a
threshold: the threshold is the largest of the tasks' 97th percentiles, so that at most about 3%
of any task's own texts get the note.

    python3 -m training.familiarity [--data ../shared/data] [--threshold 1.5]
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import List, Optional

import numpy as np

from .tasks import TASKS, get_task
from .tokenizer import WordPieceTokenizer

LETTER_RUN = re.compile(r"[^\W\d_]+")
WORDS_CHECKED = 200


def pieces_per_word(tokenizer: WordPieceTokenizer, text: str) -> Optional[float]:
    words = LETTER_RUN.findall(text)[:WORDS_CHECKED]
    if not words:
        return None
    return len(tokenizer.tokenize_ids(" ".join(words))) / len(words)


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    p.add_argument("--threshold", type=float, default=1.5, help="the threshold to report the share above")
    args = p.parse_args(argv)
    tokenizer = WordPieceTokenizer(args.data / "tokenizer" / "bert-base-uncased" / "tokenizer.json")
    report = {}
    for task_id in TASKS:
        split = get_task(task_id).load_split(args.data, None)
        ratios = np.array([r for r in (pieces_per_word(tokenizer, e.text) for e in split.validation) if r is not None])
        p50, p95, p97, p99 = np.percentile(ratios, [50, 95, 97, 99])
        report[task_id] = {"validationTexts": int(ratios.size), "p50": round(p50, 3), "p95": round(p95, 3), "p97": round(p97, 3), "p99": round(p99, 3),
                           "shareAboveThreshold": round(float((ratios > args.threshold).mean()), 4)}
    report["suggestedThreshold"] = round(max(r["p97"] for r in report.values() if isinstance(r, dict)), 2)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
