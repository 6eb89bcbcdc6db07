"""Unlabeled text for pretraining, tokenized once and cached as compact token ids.

Only training text is used: the IMDB unlabeled and train reviews and the training parts of the
BBC and e-commerce splits. No test split ever reaches pretraining.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import List, Tuple

import numpy as np

from .data import read_csv_rows
from .tasks import TASKS
from .tokenizer import WordPieceTokenizer


def pretraining_texts(data: Path, limit: int | None = None) -> Tuple[List[str], dict]:
    texts = TASKS["sentiment"].load_unlabeled(data, limit)
    sources = {"imdb/unsup": len(texts)}
    train_reviews = read_csv_rows(data / "imdb" / "train.csv.gz", ["text"], limit)
    texts += [r["text"] for r in train_reviews]
    sources["imdb/train"] = len(train_reviews)
    for task_id in ("news-topic", "product-category"):
        split = TASKS[task_id].load_split(data, limit)
        texts += [e.text for e in split.train]
        sources[f"{task_id} train split"] = len(split.train)
    return texts, sources


def load_token_stream(data: Path, tokenizer: WordPieceTokenizer, cache_dir: Path, limit: int | None = None) -> Tuple[np.ndarray, dict]:
    """All pretraining documents as one int32 id stream, each document followed by [SEP]."""
    texts, sources = pretraining_texts(data, limit)
    key = hashlib.sha256(json.dumps([sources, len(texts), texts[0][:200], texts[-1][:200]]).encode()).hexdigest()[:16]
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
    return ids, {"documents": len(texts), "tokens": int(ids.size), "sources": sources}
