"""What a check records as expected or found (:class:`auditor.models.Evidence`'s ``expected``
and ``found``, one string for both languages), as a report in one language shows it.

The record keeps what the check wrote: a value (``max-age >= 31536000``, ``.VnTime``), page text,
or, for a few checks, words of the tool written in Vietnamese or in both languages
(``chiều rộng co giãn…``, ``phông Unicode / Unicode fonts``). :func:`observed_text` says those
words in the report's language, and the crawler's English reasons in Vietnamese
(:func:`auditor.text.reasons.reason_vi`); anything else is shown as recorded. A test over the
English demo fails on an ``expected`` left in Vietnamese.
"""

from __future__ import annotations

import re

from auditor.models import Lang
from auditor.text.reasons import reason_vi

_Table = tuple[tuple[re.Pattern[str], str], ...]


def _table(*rows: tuple[str, str]) -> _Table:
    return tuple((re.compile(pattern), text) for pattern, text in rows)


# the tool's words that checks record in Vietnamese, in English
_EN = _table(
    (
        r"chiều rộng co giãn \(max-width, %\), không cố định trên (?P<px>\d+)px",
        r"a fluid width (max-width, %), not fixed above \g<px>px",
    ),
    (r"^Nguồn: <tên cơ quan báo chí>$", "Nguồn: <name of the press agency>"),
    (r"^<a href> tới bài gốc$", "<a href> to the original article"),
    (
        r"^cơ quan chủ quản, người chịu trách nhiệm, địa chỉ, điện thoại, email$",
        "governing agency, person responsible, address, phone, email",
    ),
    (r"^>= (?P<n>[\d.,]+)/ngày$", r">= \g<n>/day"),
    (r"^văn bản liên kết mô tả đích đến$", "link text that says where the link leads"),
    (r"^không dùng <marquee>$", "no <marquee>"),
    (
        r"^<video>, <audio>, <img> hoặc HTML thay cho Flash/applet$",
        "<video>, <audio>, <img> or HTML instead of Flash/applet",
    ),
    # written in both languages: the English half
    (r"phông Unicode / Unicode fonts", "Unicode fonts"),
    (r"(?P<n>[\d.,]+) từ/words", r"\g<n> words"),
    (r"\(không có / absent\)", "(absent)"),
)
# written in both languages: the Vietnamese half
_VI = _table(
    (r"phông Unicode / Unicode fonts", "phông Unicode"),
    (r"(?P<n>[\d.,]+) từ/words", r"\g<n> từ"),
    (r"\(không có / absent\)", "(không có)"),
)


def observed_text(value: str, lang: Lang) -> str:
    """``value`` (an evidence's ``expected`` or ``found``) as a ``lang`` report shows it."""
    if lang == "vi":
        value = reason_vi(value)
    for pattern, text in _VI if lang == "vi" else _EN:
        value = pattern.sub(text, value)
    return value
