"""Unlabeled text for pretraining, tokenized once and cached as compact token ids.

Only training text is used: the IMDB unlabeled and train reviews and the training parts of the
BBC and e-commerce splits. No test split ever reaches pretraining: a document that repeats a test
text or an out-of-domain sentence (the data sets have a few hundred such duplicates) is left out, and
a source made largely of test texts stops the run, naming the file.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np

from .data import Split, read_csv_rows
from .errors import DataError
from .out_of_domain import SETS
from .tasks import TASKS
from .tokenizer import WordPieceTokenizer

# A source where more than this share of documents are test texts is a test split, not a duplicate or two.
MAX_TEST_SHARE = 0.05


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def held_out_texts(data: Path, splits: Dict[str, Split]) -> set:
    """Every text pretraining must not read: each task's test split and the out-of-domain sets."""
    held = set()
    for task_id, split in splits.items():
        held.update(_key(e.text) for e in split.test)
        for spec in SETS.get(task_id, []):
            held.update(_key(e.text) for e in spec.build(data, split))
    return held


def _keep_training_text(texts: List[str], source: Path, held: set) -> Tuple[List[str], int]:
    kept = [t for t in texts if _key(t) not in held]
    dropped = len(texts) - len(kept)
    if texts and dropped / len(texts) > MAX_TEST_SHARE:
        raise DataError(source, f"{dropped} of its {len(texts)} texts are test or out-of-domain evaluation texts: "
                                "it looks like a test split, and pretraining never reads one")
    return kept, dropped


def pretraining_texts(data: Path, limit: int | None = None) -> Tuple[List[str], dict]:
    splits = {task_id: task.load_split(data, limit) for task_id, task in TASKS.items()}
    held = held_out_texts(data, splits)
    texts: List[str] = []
    sources, dropped = {}, {}
    unsup_path, train_path = data / "imdb" / "unsup.csv.gz", data / "imdb" / "train.csv.gz"
    parts = [("imdb/unsup", unsup_path, TASKS["sentiment"].load_unlabeled(data, limit)),
             ("imdb/train", train_path, [r["text"] for r in read_csv_rows(train_path, ["text"], limit)])]
    for task_id, file in (("news-topic", "bbc/bbc.csv"), ("product-category", "ecommerce/ecommerce.csv")):
        parts.append((f"{task_id} train split", data / file, [e.text for e in splits[task_id].train]))
    for name, path, part in parts:
        kept, dropped[name] = _keep_training_text(part, path, held)
        texts += kept
        sources[name] = len(kept)
    return texts, {"sources": sources, "droppedAsTestText": dropped}


def load_token_stream(data: Path, tokenizer: WordPieceTokenizer, cache_dir: Path, limit: int | None = None) -> Tuple[np.ndarray, dict]:
    """All pretraining documents as one int32 id stream, each document followed by [SEP]."""
    texts, info = pretraining_texts(data, limit)
    key = hashlib.sha256(json.dumps([info, len(texts), texts[0][:200], texts[-1][:200]]).encode()).hexdigest()[:16]
    cache = cache_dir / f"pretrain-ids-{key}.npy"
    if cache.is_file():
        ids = np.load(cache)
    else:
        pieces = []
        for text in texts:
            pieces.extend(tokenizer.tokenize_ids(text))
            pieces.append(tokenizer.sep_id)
        ids = np.asarray(pieces, dtype=np.int32)
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp.npy")
        np.save(tmp, ids)
        tmp.replace(cache)
    return ids, {"documents": len(texts), "tokens": int(ids.size), **info}
