"""Text variants and short spans for distillation: the student sees new inputs every epoch, and the
teacher says what each variant or span means. On small corpora this teaches more than repeating the same texts.
(Recipe after Tang et al. 2019, "Distilling task-specific knowledge from BERT into simple neural
networks": word dropout and n-gram sampling, labelled by the teacher.)"""
from __future__ import annotations

from typing import List

import numpy as np

from .text_spans import training_span

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


def spans(texts: List[str], rng: np.random.Generator) -> List[str]:
    """One short span of each text (text_spans.training_span)."""
    return [training_span(t, rng) or t for t in texts]


# How much a span's target leans on its document's label before the teacher has read the span.
SPAN_PRIOR = 0.5


def span_targets(span_probs: np.ndarray, document_targets: np.ndarray) -> np.ndarray:
    """A span's label is uncertain: a neutral sentence of a positive review is not positive. Its
    target is the teacher's reading of the span, weighed by a prior that leans toward the document's
    target (SPAN_PRIOR of it, the rest uniform): a span the teacher finds neutral keeps the
    document's label, a span the teacher reads firmly the other way takes the teacher's side."""
    n = document_targets.shape[1]
    prior = SPAN_PRIOR * document_targets + (1 - SPAN_PRIOR) / n
    joint = span_probs * prior
    return (joint / joint.sum(axis=1, keepdims=True)).astype(np.float32)
