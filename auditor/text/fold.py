"""Diacritics-insensitive comparison of Vietnamese text."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics (``đ`` → ``d``), keeping spaces.

    >>> fold("Thủ tục Hành chính – Đà Lạt")
    'thu tuc hanh chinh – da lat'
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", text).lower()


def fold_words(text: str) -> str:
    """Fold ``text`` and reduce it to ASCII words separated by single spaces."""
    return _NON_ALNUM.sub(" ", fold(text)).strip()
