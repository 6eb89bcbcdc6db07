"""Errors that name the file and the problem, so a failed run says what to fix."""
from __future__ import annotations

from pathlib import Path


class DataError(Exception):
    """A dataset, tokenizer or checkpoint file is missing or malformed."""

    def __init__(self, path: Path | str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem
