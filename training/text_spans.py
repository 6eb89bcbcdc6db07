"""Short pieces of a longer text: sentences, headlines, the first words. The out-of-domain sets cut
the test split with these, and fine-tuning trains on such spans so that short text is not foreign."""
from __future__ import annotations

import re
from typing import List

import numpy as np

TITLE_WORDS = 12
# A sentence ends at . ! or ? followed by space and a capital, a digit or an opening quote.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'‘“A-Z0-9])")
# IMDB reviews keep the original's line breaks as <br /> tags.
LINE_BREAK = re.compile(r"\n|<br\s*/?>", re.IGNORECASE)


def sentences(text: str) -> List[str]:
    """Lines, then sentences within each line, without empty pieces."""
    pieces = []
    for line in LINE_BREAK.split(text):
        pieces += [s.strip() for s in SENTENCE_END.split(line.strip()) if s.strip()]
    return pieces


def headline(text: str) -> str:
    """News texts are the title and the body joined by a newline."""
    return text.split("\n", 1)[0]


def first_sentence(text: str) -> str:
    """The first sentence of the body, after the headline line when there is one."""
    body = text.split("\n", 1)[1] if "\n" in text else text
    return SENTENCE_END.split(body.strip(), maxsplit=1)[0]


def first_words(text: str, count: int = TITLE_WORDS) -> str:
    return " ".join(text.split()[:count])


def training_span(text: str, rng: np.random.Generator) -> str:
    """One short span of a text, of a kind drawn at random: its first sentence or line, a sentence
    from anywhere, two or three sentences in a row, or its first 3 to 12 words (a title)."""
    parts = sentences(text) or [text.strip()]
    kind = int(rng.integers(0, 4))
    if kind == 0:
        return parts[0]
    if kind == 1:
        return parts[int(rng.integers(0, len(parts)))]
    if kind == 2:
        start = int(rng.integers(0, len(parts)))
        return " ".join(parts[start:start + int(rng.integers(2, 4))])
    return first_words(text, int(rng.integers(3, TITLE_WORDS + 1)))
