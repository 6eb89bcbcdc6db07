"""Out-of-domain evaluation sets: text like the task's but not like its training data.

- sentiment: review sentences from Amazon (phones) and Yelp (restaurants), evaluation only;
- news-topic: the test split cut to the headline only, and to the first sentence of the body;
- product-category: the test split cut to its first 12 words, as a product title.

Every set is evaluated, never trained, tuned or selected on. Each is recorded in the model card like
the test metrics, with the TF-IDF baseline on the same rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List

import numpy as np

from .baseline import predict_proba
from .data import Example, Split, open_text
from .errors import DataError
from .finetune import encode_all
from .metrics import classification_report
from .reference import score_onnx
from .tasks import Task
from .text_spans import TITLE_WORDS, first_sentence, first_words, headline
from .tokenizer import WordPieceTokenizer


@dataclass(frozen=True)
class OutOfDomainSet:
    id: str
    title: str
    description: str
    # Builds the rows from the data folder and the task's split (whose test part the cut sets use).
    build: Callable[[Path, Split], List[Example]]


def read_sentences(path: Path) -> List[Example]:
    """`sentence<TAB>score` lines (1 positive, 0 negative), as the Sentiment Labelled Sentences ship."""
    examples = []
    with open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            sentence, tab, score = line.rpartition("\t")
            if not tab:
                raise DataError(path, f"line {number}: expected 'sentence<TAB>score', found no tab")
            if score.strip() not in ("0", "1"):
                raise DataError(path, f"line {number}: the score must be 0 or 1, not {score.strip()!r}")
            if not sentence.strip():
                raise DataError(path, f"line {number}: the sentence is empty")
            examples.append(Example(sentence.strip(), int(score)))
    if not examples:
        raise DataError(path, "holds no sentences")
    return examples


def _cut(split: Split, source: str, what: str, cut: Callable[[str], str]) -> List[Example]:
    rows = []
    for index, example in enumerate(split.test):
        span = cut(example.text).strip()
        if not span:
            raise DataError(source, f"test example {index + 1} has an empty {what}")
        rows.append(Example(span, example.label))
    return rows


BBC = "bbc/bbc.csv"
ECOMMERCE = "ecommerce/ecommerce.csv"

SETS: Dict[str, List[OutOfDomainSet]] = {
    "sentiment": [
        OutOfDomainSet("amazon-sentences", "Amazon review sentences", "1,000 single sentences from Amazon reviews of phones and accessories (Kotzias et al., KDD 2015), 500 positive and 500 negative",
                       lambda data, _split: read_sentences(data / "sentences" / "amazon_cells_labelled.txt")),
        OutOfDomainSet("yelp-sentences", "Yelp review sentences", "1,000 single sentences from Yelp restaurant reviews (Kotzias et al., KDD 2015), 500 positive and 500 negative",
                       lambda data, _split: read_sentences(data / "sentences" / "yelp_labelled.txt")),
    ],
    "news-topic": [
        OutOfDomainSet("headline", "Headline only", "the test split cut to each article's headline",
                       lambda data, split: _cut(split, str(data / BBC), "headline", headline)),
        OutOfDomainSet("first-sentence", "First sentence only", "the test split cut to the first sentence of each article's body (no headline)",
                       lambda data, split: _cut(split, str(data / BBC), "first sentence", first_sentence)),
    ],
    "product-category": [
        OutOfDomainSet("title-12-words", "First 12 words", f"the test split cut to each product's first {TITLE_WORDS} words, about the length of a product title",
                       lambda data, split: _cut(split, str(data / ECOMMERCE), "title", first_words)),
    ],
}


def evaluate(task: Task, data: Path, split: Split, model_file: Path, tokenizer: WordPieceTokenizer, baseline, work: Path) -> Dict[str, dict]:
    """Each set's int8 metrics (scored by onnxruntime-node) beside the `baseline` model's on the same rows."""
    results = {}
    for spec in SETS.get(task.id, []):
        rows = spec.build(data, split)
        texts, truth = [e.text for e in rows], np.array([e.label for e in rows])
        encoded = encode_all(tokenizer, texts, task.max_tokens)
        logits = score_onnx(model_file, work / f"out-of-domain-{spec.id}", encoded, len(task.labels))
        int8 = classification_report(truth, logits.argmax(1), task.labels)
        base = classification_report(truth, predict_proba(baseline, texts, len(task.labels)).argmax(1), task.labels)
        results[spec.id] = {"title": spec.title, "description": spec.description, "int8": int8, "baseline": base,
                            "ahead": round(int8["accuracy"] - base["accuracy"], 5)}
        print(f"[{task.id}] out of domain, {spec.id}: int8 {int8['accuracy']} baseline {base['accuracy']}", flush=True)
    return results
