"""Diacritics-insensitive comparison of Vietnamese text."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Code points whose folding is precomputed: Latin, combining marks, Greek, Cyrillic, Vietnamese
# (Latin Extended Additional), letter-like symbols; and the combining half marks.
_TABLE_RANGES = (range(0x80, 0x2500), range(0xFE20, 0xFE30))
_CACHED_MAX = 256  # texts up to this length (menu labels, link texts) are cached


def fold_slow(text: str) -> str:
    """The definition of :func:`fold`: NFD, drop combining marks (``Mn``), NFC, lower case."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", text).lower()


def _build_table() -> dict[int, str]:
    """Per-character folding, for every covered code point that :func:`fold_slow` changes.

    Folding works character by character: decomposition splits each character on its own and
    the marks that recomposition could join are the ones removed.
    """
    table: dict[int, str] = {}
    for block in _TABLE_RANGES:
        for code in block:
            char = chr(code)
            folded = fold_slow(char)
            if folded != char.lower():
                table[code] = folded
    return table


_TABLE = _build_table()


@lru_cache(maxsize=16384)
def _fold_cached(text: str) -> str:
    return text.translate(_TABLE).lower()


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics (``đ`` → ``d``), keeping spaces.

    >>> fold("Thủ tục Hành chính – Đà Lạt")
    'thu tuc hanh chinh – da lat'
    """
    if len(text) <= _CACHED_MAX:
        return _fold_cached(text)
    return text.translate(_TABLE).lower()


def fold_words_slow(text: str) -> str:
    """The definition of :func:`fold_words`: fold, then every run of characters other than
    ``a-z0-9`` becomes one space, stripped."""
    return _NON_ALNUM.sub(" ", fold(text)).strip()


@lru_cache(maxsize=16384)
def _token_words(token: str) -> str:
    return fold_words_slow(token)


def fold_words(text: str) -> str:
    """Fold ``text`` and reduce it to ASCII words separated by single spaces.

    A long text is folded token by token (split on white space), each distinct token once:
    folding maps each character on its own (only Greek final sigma looks at its neighbours,
    and no sigma survives as ``a-z0-9``) and no white space folds to a letter or digit, so the
    words of the tokens, in order, are the words of the text (:func:`fold_words_slow`).
    """
    if len(text) <= _CACHED_MAX:
        return fold_words_slow(text)
    return " ".join(filter(None, map(_token_words, text.split())))
