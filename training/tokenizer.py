"""BERT WordPiece tokenizer that reproduces the ids of @huggingface/transformers (tokenizers.js).

It follows the JavaScript implementation rather than the Python `tokenizers` crate where the two
differ (for example CJK handling only looks at UTF-16 code units, so characters outside the Basic
Multilingual Plane are never spaced out), because the browser is where the shipped models run.
"""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List, Sequence

from .errors import DataError

# JavaScript's \s: what BertNormalizer.clean_text turns into a plain space.
_JS_WHITESPACE = set("\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") | {
    chr(c) for c in range(0x2000, 0x200B)
}
_CONTROL_CATEGORIES = {"Cc", "Cf", "Co", "Cs"}
# BMP ranges only: tokenizers.js tests charCodeAt(), so astral CJK is never matched.
_CJK_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF))


def _punctuation_class() -> str:
    """Regex character class body: Unicode P* plus the ASCII symbol ranges BERT treats as punctuation."""
    chars = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)).startswith("P")]
    chars += [chr(c) for c in list(range(0x21, 0x30)) + list(range(0x3A, 0x41)) + list(range(0x5B, 0x61)) + list(range(0x7B, 0x7F))]
    return "".join(re.escape(c) for c in sorted(set(chars)))


_PUNCT = _punctuation_class()
# After clean_text the only whitespace left is ' ', so splitting on it equals splitting on JS \s.
_PRE_TOKEN = re.compile(f"[^ {_PUNCT}]+|[{_PUNCT}]")
_ASCII_PRE_TOKEN = re.compile(r"[A-Za-z0-9]+|[!-/:-@\[-`{-~]")
_MARK_NONSPACING = re.compile("[" + "".join(re.escape(chr(c)) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Mn") + "]")


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


# ASCII fast path: tab, newline and carriage return become spaces, every other control is dropped.
_ASCII_CLEAN = {c: None for c in list(range(0x20)) + [0x7F]} | {ord("\t"): " ", ord("\n"): " ", ord("\r"): " "}


def normalize(text: str) -> str:
    """BertNormalizer(clean_text, handle_chinese_chars, lowercase, strip accents)."""
    if text.isascii():
        return text.translate(_ASCII_CLEAN).lower()
    out = []
    for ch in text:
        if ch == "\x00" or ch == "\ufffd":
            continue
        if ch not in "\t\n\r" and unicodedata.category(ch) in _CONTROL_CATEGORIES:
            continue
        if ch in _JS_WHITESPACE:
            out.append(" ")
            continue
        if _is_cjk(ch):
            out.append(f" {ch} ")
        else:
            out.append(ch)
    lowered = "".join(out).lower()
    return _MARK_NONSPACING.sub("", unicodedata.normalize("NFD", lowered))


def pre_tokenize(text: str) -> List[str]:
    text = text.strip(" ")
    if text.isascii():
        return _ASCII_PRE_TOKEN.findall(text)
    return _PRE_TOKEN.findall(text)


@dataclass(frozen=True)
class Encoding:
    input_ids: List[int]
    attention_mask: List[int]
    token_type_ids: List[int]


class WordPieceTokenizer:
    """Reads a Hugging Face tokenizer.json whose model is WordPiece with a BertNormalizer."""

    def __init__(self, tokenizer_json: Path):
        try:
            spec = json.loads(Path(tokenizer_json).read_text(encoding="utf-8"))
            model = spec["model"]
            self.vocab = {str(k): int(v) for k, v in model["vocab"].items()}
        except FileNotFoundError as exc:
            raise DataError(tokenizer_json, "tokenizer file not found") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise DataError(tokenizer_json, f"not a WordPiece tokenizer.json ({exc})") from exc
        self.unk_token = model.get("unk_token", "[UNK]")
        self.prefix = model.get("continuing_subword_prefix", "##")
        self.max_chars = int(model.get("max_input_chars_per_word", 100))
        self.special_tokens = sorted((t["content"] for t in spec.get("added_tokens", [])), key=len, reverse=True)
        self._special_split = re.compile("(" + "|".join(re.escape(t) for t in self.special_tokens) + ")") if self.special_tokens else None
        self.pad_id = self.vocab["[PAD]"]
        self.cls_id = self.vocab["[CLS]"]
        self.sep_id = self.vocab["[SEP]"]
        self.mask_id = self.vocab["[MASK]"]
        self.unk_id = self.vocab[self.unk_token]
        self._word_cache: dict[str, List[int]] = {}

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    def _word_ids(self, word: str) -> List[int]:
        cached = self._word_cache.get(word)
        if cached is not None:
            return cached
        ids = self._wordpiece(word)
        if len(self._word_cache) < 500_000:
            self._word_cache[word] = ids
        return ids

    def _wordpiece(self, word: str) -> List[int]:
        if len(word) > self.max_chars:
            return [self.unk_id]
        ids: List[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else self.prefix + word[start:end]
                found = self.vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return [self.unk_id]
            ids.append(found)
            start = end
        return ids

    def tokenize_ids(self, text: str) -> List[int]:
        """Token ids without [CLS]/[SEP]."""
        sections = self._special_split.split(text) if self._special_split else [text]
        ids: List[int] = []
        for section in sections:
            if not section:
                continue
            if section in self.vocab and section in self.special_tokens:
                ids.append(self.vocab[section])
                continue
            for word in pre_tokenize(normalize(section)):
                ids.extend(self._word_ids(word))
        return ids

    def encode(self, text: str, max_length: int | None = None, head_fraction: float = 0.25) -> Encoding:
        """[CLS] text [SEP]; texts over max_length keep a head and a tail (see truncate_head_tail)."""
        ids = self.tokenize_ids(text)
        if max_length is not None:
            ids = truncate_head_tail(ids, max_length - 2, head_fraction)
        full = [self.cls_id, *ids, self.sep_id]
        return Encoding(full, [1] * len(full), [0] * len(full))

    def encode_batch(self, texts: Iterable[str]) -> List[List[int]]:
        return [self.tokenize_ids(t) for t in texts]


def truncate_head_tail(ids: Sequence[int], budget: int, head_fraction: float = 0.25) -> List[int]:
    """Keeps the first quarter and the last three quarters of the budget: reviews and articles
    state their subject early and their verdict late, so both ends carry the signal."""
    if len(ids) <= budget:
        return list(ids)
    head = int(budget * head_fraction)
    tail = budget - head
    return list(ids[:head]) + list(ids[len(ids) - tail:])
