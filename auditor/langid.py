"""A small offline language identifier for Vietnamese, English and Chinese page text.

It scores the share of very common function words of each language (and of CJK characters for
Chinese). That is enough to tell an English version from a Vietnamese page left untranslated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_VI_MARKS = re.compile(
    r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.I
)

_STOPWORDS = {
    "en": frozenset(
        [
            "the",
            "of",
            "and",
            "to",
            "in",
            "is",
            "for",
            "on",
            "with",
            "by",
            "as",
            "at",
            "from",
            "that",
            "this",
            "are",
            "be",
            "was",
            "were",
            "it",
            "an",
            "or",
            "its",
            "which",
            "has",
            "have",
            "not",
            "their",
            "our",
            "will",
            "can",
            "all",
            "about",
            "more",
        ]
    ),
    "vi": frozenset(
        [
            "của",
            "và",
            "các",
            "là",
            "trong",
            "được",
            "cho",
            "với",
            "những",
            "có",
            "một",
            "này",
            "đã",
            "không",
            "người",
            "theo",
            "tại",
            "về",
            "để",
            "khi",
            "đến",
            "từ",
            "năm",
            "ngày",
            "tỉnh",
            "thông",
            "tin",
        ]
    ),
}


@dataclass(frozen=True)
class LanguageGuess:
    """The detected language (``vi``, ``en``, ``zh`` or ``und``) and a confidence 0–1."""

    lang: str
    confidence: float


def identify(text: str) -> LanguageGuess:
    """Guess the language of ``text``."""
    cjk = len(_CJK.findall(text))
    words = [w.lower() for w in _WORD.findall(text)]
    if cjk and cjk >= len(words):
        return LanguageGuess("zh", round(min(1.0, cjk / max(1, cjk + len(words))), 2))
    if len(words) < 5:
        return LanguageGuess("und", 0.0)
    scores = {lang: sum(w in stop for w in words) / len(words) for lang, stop in _STOPWORDS.items()}
    scores["vi"] += len(_VI_MARKS.findall(text)) / max(1, len(text)) * 2
    best = max(scores, key=lambda k: scores[k])
    total = sum(scores.values())
    if total == 0:
        return LanguageGuess("und", 0.0)
    return LanguageGuess(best, round(scores[best] / total, 2))
