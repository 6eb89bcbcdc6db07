"""Text variants for distillation: the student sees new inputs every epoch, and the teacher says
what each variant means. On small corpora this teaches more than repeating the same texts.
(Recipe after Tang et al. 2019, "Distilling task-specific knowledge from BERT into simple neural
networks": word dropout and n-gram sampling, labelled by the teacher.)"""
from __future__ import annotations

from typing import List

import numpy as np

WORD_DROPOUT = 0.15
# About the number of words that fill a 256-token window.
SPAN_WORDS = 190


def variant(text: str, rng: np.random.Generator) -> str:
    words = text.split()
    if len(words) > SPAN_WORDS and rng.random() < 0.5:
        start = int(rng.integers(0, len(words) - SPAN_WORDS + 1))
        words = words[start:start + SPAN_WORDS]
    kept = [w for w in words if rng.random() >= WORD_DROPOUT]
    return " ".join(kept or words[:1])


def variants(texts: List[str], rng: np.random.Generator) -> List[str]:
    return [variant(t, rng) for t in texts]
