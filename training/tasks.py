"""The three shipped classifiers: where their data comes from and how it is split."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional

from sklearn.model_selection import train_test_split

from .data import Example, Split, dedupe_texts, read_csv_rows, stratified_three_way, to_examples

SEED = 42


@dataclass
class Task:
    id: str
    title: str
    description: str
    labels: List[str]
    max_tokens: int
    load_split: Callable[[Path, int | None], Split]
    data_notes: Dict[str, str] = field(default_factory=dict)
    # Unlabeled in-domain texts that fine-tuning learns from through the teacher's soft labels.
    load_unlabeled: Optional[Callable[[Path, int | None], List[str]]] = None


def _limit(examples: List[Example], limit: int | None, seed: int) -> List[Example]:
    """A stratified subset for smoke runs; the full list when limit is None."""
    if limit is None or limit >= len(examples):
        return examples
    kept, _ = train_test_split(examples, train_size=limit, stratify=[e.label for e in examples], random_state=seed)
    return kept


BBC_LABELS = ["business", "entertainment", "politics", "sport", "tech"]


def _bbc(data: Path, limit: int | None) -> Split:
    path = data / "bbc" / "bbc.csv"
    rows = read_csv_rows(path, ["label", "title", "text"])
    examples = to_examples(rows, path, BBC_LABELS, lambda r: f"{r['title'].strip()}\n{r['text']}")
    examples = _limit(examples, limit, SEED)
    train, val, test = stratified_three_way(examples, SEED, 0.1, 0.1)
    return Split(train, val, test, f"BBC News, {len(examples)} articles, stratified 80/10/10 (scikit-learn train_test_split, seed {SEED}): title and body joined by a newline")


IMDB_LABELS = ["negative", "positive"]


def _imdb(data: Path, limit: int | None) -> Split:
    train_path, test_path = data / "imdb" / "train.csv.gz", data / "imdb" / "test.csv.gz"
    train_all = to_examples(read_csv_rows(train_path, ["label", "text"]), train_path, IMDB_LABELS, lambda r: r["text"])
    test = to_examples(read_csv_rows(test_path, ["label", "text"]), test_path, IMDB_LABELS, lambda r: r["text"])
    train_all = _limit(train_all, limit, SEED)
    test = _limit(test, None if limit is None else max(limit // 4, 20), SEED)
    train, val = train_test_split(train_all, test_size=0.1, stratify=[e.label for e in train_all], random_state=SEED)
    return Split(train, val, test, f"IMDB official split: {len(train_all)} train reviews ({len(train)} for training, {len(val)} held out for validation, stratified, seed {SEED}); {len(test)} official test reviews")


def _imdb_unlabeled(data: Path, limit: int | None) -> List[str]:
    path = data / "imdb" / "unsup.csv.gz"
    return [r["text"] for r in read_csv_rows(path, ["text"], limit)]


ECOMMERCE_LABELS = ["Household", "Books", "Clothing & Accessories", "Electronics"]


def _ecommerce(data: Path, limit: int | None) -> Split:
    path = data / "ecommerce" / "ecommerce.csv"
    examples = to_examples(read_csv_rows(path, ["label", "text"]), path, ECOMMERCE_LABELS, lambda r: r["text"])
    examples, dropped = dedupe_texts(examples)
    examples = _limit(examples, limit, SEED)
    train, val, test = stratified_three_way(examples, SEED, 0.1, 0.1)
    return Split(train, val, test, f"E-commerce sample, {len(examples)} products after removing {dropped} duplicate texts (case- and whitespace-insensitive), stratified 80/10/10 (seed {SEED})")


TASKS: Dict[str, Task] = {
    "news-topic": Task(
        "news-topic", "News topic (BBC)", "Which of five BBC News sections an article belongs to", BBC_LABELS, 256, _bbc,
        {"source": "BBC News dataset (Greene & Cunningham, ICML 2006), 2,225 articles from 2004-2005", "licence": "Articles are the BBC's copyright, distributed for research; cite the paper"},
    ),
    "sentiment": Task(
        "sentiment", "Movie review sentiment (IMDB)", "Whether a movie review is positive or negative", IMDB_LABELS, 256, _imdb,
        {"source": "Large Movie Review Dataset v1.0 (Maas et al., ACL 2011)", "licence": "Research use; cite Maas et al. 2011", "note": "texts keep the <br /> tags of the original", "unlabeledSource": "imdb/unsup.csv.gz (the dataset's 50,000 unlabeled reviews; no test review)"},
        _imdb_unlabeled,
    ),
    "product-category": Task(
        "product-category", "Product category (e-commerce)", "Which of four shop categories a product description belongs to", ECOMMERCE_LABELS, 128, _ecommerce,
        {"source": "E-commerce text classification dataset (Gautam, 2019, Zenodo 3355823), an evenly spread sample", "licence": "CC-BY-4.0; attribute the original"},
    ),
}


def get_task(task_id: str) -> Task:
    if task_id not in TASKS:
        raise ValueError(f"unknown task {task_id!r}; choose one of {', '.join(TASKS)}")
    return TASKS[task_id]
