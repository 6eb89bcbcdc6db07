"""Tokenizes a JSON list of strings from stdin into a JSON list of id lists (with [CLS]/[SEP]).

Used by the parity test that compares these ids with those of @huggingface/transformers.
Usage: python3 -m training.tokenize_texts --tokenizer DIR < texts.json
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .tokenizer import WordPieceTokenizer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tokenizer", type=Path, required=True, help="folder holding tokenizer.json")
    args = parser.parse_args()
    tokenizer = WordPieceTokenizer(args.tokenizer / "tokenizer.json")
    texts = json.load(sys.stdin)
    json.dump([tokenizer.encode(t).input_ids for t in texts], sys.stdout)


if __name__ == "__main__":
    main()
