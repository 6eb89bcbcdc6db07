"""Dataset loading and seeded splits. Every malformed input stops with the file and the problem."""
from __future__ import annotations

import csv
import gzip
import io
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

from sklearn.model_selection import train_test_split

from .errors import DataError

csv.field_size_limit(1 << 30)


@dataclass
class Example:
    text: str
    label: int


@dataclass
class Split:
    train: List[Example]
    validation: List[Example]
    test: List[Example]
    description: str


def open_text(path: Path) -> io.TextIOBase:
    if not path.is_file():
        raise DataError(path, "file not found (is ../shared/data beside the repository?)")
    try:
        if path.suffix == ".gz":
            handle = gzip.open(path, "rt", encoding="utf-8", newline="")
            handle.read(1)
            handle.seek(0)
            return handle
        return open(path, "r", encoding="utf-8", newline="")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(path, f"cannot be read as UTF-8 CSV ({exc})") from exc


def read_csv_rows(path: Path, required: Sequence[str], limit: int | None = None) -> List[Dict[str, str]]:
    """Rows of a header CSV (optionally gzipped), the first `limit` only when given; checks the
    header names the required columns."""
    with open_text(path) as handle:
        try:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise DataError(path, f"missing column(s) {', '.join(missing)}; header is {reader.fieldnames}")
            rows = list(itertools.islice(reader, limit))
        except UnicodeDecodeError as exc:
            raise DataError(path, f"is not valid UTF-8 ({exc})") from exc
        except (csv.Error, OSError, EOFError) as exc:
            raise DataError(path, f"malformed CSV ({exc})") from exc
    if not rows:
        raise DataError(path, "has a header but no rows")
    return rows


def to_examples(rows: List[Dict[str, str]], path: Path, labels: Sequence[str], text_of: Callable[[Dict[str, str]], str]) -> List[Example]:
    index = {name: i for i, name in enumerate(labels)}
    examples = []
    for line, row in enumerate(rows, start=2):
        label = (row.get("label") or "").strip()
        if label not in index:
            raise DataError(path, f"line {line}: unknown label {label!r}; expected one of {', '.join(labels)}")
        text = text_of(row).strip()
        if not text:
            raise DataError(path, f"line {line}: empty text")
        examples.append(Example(text, index[label]))
    return examples


def stratified_three_way(examples: List[Example], seed: int, validation: float, test: float) -> Tuple[List[Example], List[Example], List[Example]]:
    y = [e.label for e in examples]
    rest, test_part = train_test_split(examples, test_size=test, stratify=y, random_state=seed)
    val_size = validation / (1.0 - test)
    train_part, val_part = train_test_split(rest, test_size=val_size, stratify=[e.label for e in rest], random_state=seed)
    return train_part, val_part, test_part


def dedupe_texts(examples: List[Example]) -> Tuple[List[Example], int]:
    """Keeps the first occurrence of each text (case- and space-insensitive); returns how many were dropped."""
    seen = set()
    kept = []
    for e in examples:
        key = " ".join(e.text.lower().split())
        if key not in seen:
            seen.add(key)
            kept.append(e)
    return kept, len(examples) - len(kept)
