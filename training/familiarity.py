"""Calibrates the unfamiliar-text note (src/core/text/familiarity.ts) on each task's validation split.

The page calls a text unfamiliar when its words need more word pieces each than
  maxPiecesPerWord + shortTextAllowance / sqrt(words)
over its first 200 words of letters. A short text's ratio swings more (one brand name in a six-word
headline adds a third of a piece per word), so the bar rises as texts get shorter. This prints, for
each task's validation texts and for short cuts of them (headlines and first sentences of news,
first 12 words of products, single review sentences), the ratio's percentiles, and picks the
smallest allowance that keeps every set at or under 3% above the bar. Only validation texts are
read: never a test split, never the out-of-domain sets.

    python3 -m training.familiarity [--data ../shared/data] [--base 1.5]
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np

from .tasks import TASKS
from .text_spans import first_sentence, first_words, headline, sentences
from .tokenizer import WordPieceTokenizer

LETTER_RUN = re.compile(r"[^\W\d_]+")
WORDS_CHECKED = 200
# The largest share of a task's own (validation) texts that may get the note.
MAX_SHARE = 0.03
# The most IMDB validation reviews cut into sentences: about 3,000 sentences.
REVIEWS_CUT = 300


def pieces_per_word(tokenizer: WordPieceTokenizer, text: str) -> Optional[Tuple[float, int]]:
    """(word pieces per word, words) over the text's first words of letters; None when it has none."""
    words = LETTER_RUN.findall(text)[:WORDS_CHECKED]
    if not words:
        return None
    return len(tokenizer.tokenize_ids(" ".join(words))) / len(words), len(words)


def measured(tokenizer: WordPieceTokenizer, texts: List[str]) -> np.ndarray:
    """(pieces per word, words) for each text with a word of letters."""
    rows = [pieces_per_word(tokenizer, t) for t in texts]
    return np.array([r for r in rows if r is not None], dtype=np.float64)


def validation_sets(data: Path) -> Dict[str, List[str]]:
    sets = {}
    for task_id, task in TASKS.items():
        texts = [e.text for e in task.load_split(data, None).validation]
        sets[f"{task_id} validation"] = texts
        if task_id == "news-topic":
            sets["news-topic headlines"] = [headline(t) for t in texts]
            sets["news-topic first sentences"] = [first_sentence(t) for t in texts]
        elif task_id == "product-category":
            sets["product-category first 12 words"] = [first_words(t) for t in texts]
        elif task_id == "sentiment":
            sets["sentiment sentences"] = [s for t in texts[:REVIEWS_CUT] for s in sentences(t)]
    return sets


def share_above(values: np.ndarray, base: float, allowance: float) -> float:
    return float((values[:, 0] > base + allowance / np.sqrt(values[:, 1])).mean())


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    p.add_argument("--base", type=float, default=1.5, help="maxPiecesPerWord: the bar for a long text")
    args = p.parse_args(argv)
    tokenizer = WordPieceTokenizer(args.data / "tokenizer" / "bert-base-uncased" / "tokenizer.json")
    values = {name: measured(tokenizer, texts) for name, texts in validation_sets(args.data).items()}
    grid = [round(0.1 * i, 1) for i in range(31)]
    allowance = next((a for a in grid if all(share_above(v, args.base, a) <= MAX_SHARE for v in values.values())), grid[-1])
    report = {name: {"texts": int(v.shape[0]), "medianWords": float(np.median(v[:, 1])),
                     "p50": round(float(np.percentile(v[:, 0], 50)), 3), "p97": round(float(np.percentile(v[:, 0], 97)), 3),
                     "shareAboveWithoutAllowance": round(share_above(v, args.base, 0.0), 4),
                     "shareAbove": round(share_above(v, args.base, allowance), 4)}
              for name, v in values.items()}
    print(json.dumps({"maxPiecesPerWord": args.base, "shortTextAllowance": allowance, "sets": report}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
