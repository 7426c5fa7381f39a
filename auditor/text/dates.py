"""Calendar dates shown on Vietnamese portals: in visible text and in structured markup."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from selectolax.lexbor import LexborHTMLParser

from auditor.text.fold import fold

# Years outside this range are taken for something else than a publication date.
MIN_YEAR = 1900
MAX_YEAR = 2100

_NUM_TAIL = (
    r"(?!\w)"  # 22/11/2026x
    r"(?![./]\w)"  # 24/11/2026/QĐ-UBND, 1.2.2026.3 (document numbers, versions)
    r"(?!-(?!\d{1,2}[:h]\d{2})\w)"  # 22-11-2026-5 (but 22/11/2026-08:30 is a date and a time)
)
# Before a date's first digit: no word character, dot, slash or hyphen (24/2026/QĐ, v1.2.2026)
_START = r"(?<![\w./\-][0-9])"
# Applied to folded text (lower case, no diacritics), so one pattern serves every spelling.
# Every alternative starts with a digit, checked first (the regex engine skips to digits
# quickly); the boundary before it is looked behind once that digit is consumed. A weekday
# ("Thứ Hai, 22 tháng 11") ends with a comma, so its date starts after a boundary anyway; only
# "ngày" written against the number ("ngày22 tháng 11") needs its own alternative.
_DATE = re.compile(
    r"(?=[0-9])(?:"
    # 22 tháng 11 năm 2026 (after "ngày", a weekday, or on its own)
    rf"(?P<wd>[0-9]{_START}[0-9]?)\s*,?\s+thang\s+(?P<wm>[0-9]{{1,2}})"
    r"\s*,?\s+nam\s+(?P<wy>[0-9]{4})(?![0-9])"
    # 22/11/2026, 22-11-2026, 22.11.2026 (one separator throughout)
    rf"|(?P<nd>[0-9]{_START}[0-9]?)(?P<sep>[/.\-])(?P<nm>[0-9]{{1,2}})(?P=sep)(?P<ny>[0-9]{{4}})"
    + _NUM_TAIL
    # 2026-11-22, 2026-11-22T08:30:00+07:00
    + rf"|(?P<iy>[0-9]{_START}[0-9]{{3}})-(?P<im>[0-9]{{2}})-(?P<id>[0-9]{{2}})"
    r"(?:(?=t[0-9])|(?!\w))(?![./\-][0-9])"
    # ngày22 tháng 11 năm 2026
    r"|(?P<xd>[0-9](?<=\bngay[0-9])[0-9]?)\s*,?\s+thang\s+(?P<xm>[0-9]{1,2})"
    r"\s*,?\s+nam\s+(?P<xy>[0-9]{4})(?![0-9])"
    r")"
)
# "22 tháng 11" in any spelling: only then is the text worth folding (folding costs more than
# the search).
_WORD_HINT = re.compile(r"[0-9]\s*,?\s+th\S{1,4}ng\s+[0-9]", re.IGNORECASE)
_DIGITS = "0123456789"
_HINT_TRIES = 64  # digits tried one by one before the pattern scans the rest of the text


def worth_folding(text: str) -> bool:
    """Whether :data:`_WORD_HINT` is found in ``text``. Its every match starts with an ASCII
    digit, which ``str.find`` locates far faster than the pattern scans the characters
    between them: the pattern is tried at each digit (a text full of digits is scanned)."""
    tries = 0
    for digit in _DIGITS:
        pos = text.find(digit)
        while pos >= 0:
            if _WORD_HINT.match(text, pos) is not None:
                return True
            tries += 1
            if tries > _HINT_TRIES:
                return _WORD_HINT.search(text) is not None
            pos = text.find(digit, pos + 1)
    return False


_ISO_PREFIX = re.compile(r"\s*([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")
_STRUCTURED = (
    "time[datetime], "
    'meta[property="article:published_time" i], '
    'meta[name="DC.date" i], '
    '[itemprop="datePublished"]'
)


def _valid(year: str, month: str, day: str) -> date | None:
    y, m, d = int(year), int(month), int(day)
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str) -> list[date]:
    """Every valid calendar date written in ``text``, in order of appearance.

    Recognised: ``22/11/2026``, ``22-11-2026``, ``22.11.2026``, ``2026-11-22`` (optionally with a
    time), ``ngày 22 tháng 11 năm 2026``, ``21 tháng 09 năm 2026``, ``Thứ Hai, 22 tháng 11 năm
    2026`` and ``Thứ 2, 23 tháng 11 năm 2026`` (diacritics, case
    and Unicode normalisation do not matter). Impossible dates (31/02/2026), years outside
    1900–2100, document numbers (``24/2026/QĐ-UBND``), versions and phone numbers are ignored.

    >>> find_dates("Ngày 5 tháng 3 năm 2026; cập nhật 22/11/2026 - 08:30")
    [datetime.date(2026, 3, 5), datetime.date(2026, 11, 22)]
    """
    return list(_dates(text))


def first_date(text: str) -> date | None:
    """The first of :func:`find_dates` (``None`` when there is none), without reading on."""
    return next(_dates(text), None)


def first_date_in(raw: str) -> date | None:
    r"""``first_date`` of ``raw`` with its white space collapsed (``" ".join(raw.split())``),
    collapsing and reading only a prefix of it when the first date lies well inside: the
    collapse of a prefix is a prefix of the collapse, a date and the characters its pattern
    looks at after it span fewer than :data:`_READ_AHEAD` characters, and the pattern that
    decides whether to fold (:data:`_WORD_HINT`, white space only as ``\s*``/``\s+``) finds
    the same in a text and in its collapse."""
    fold_all = worth_folding(raw)
    size = 2048
    while size < len(raw):
        text = " ".join(raw[:size].split())
        folded = fold(text) if fold_all else text.lower()
        for found, end in _matches(folded):
            if end + _READ_AHEAD > len(folded):
                break
            if found is not None:
                return found
        size *= 4
    text = " ".join(raw.split())
    folded = fold(text) if fold_all else text.lower()
    return next((found for found, _ in _matches(folded) if found is not None), None)


_READ_AHEAD = 64


def _dates(text: str) -> Iterator[date]:
    folded = fold(text) if worth_folding(text) else text.lower()
    for found, _ in _matches(folded):
        if found is not None:
            yield found


def _matches(folded: str) -> Iterator[tuple[date | None, int]]:
    """Each match of :data:`_DATE` in ``folded``: its date (``None``: not a valid date) and
    where it ends."""
    for m in _DATE.finditer(folded):
        if m.group("wy") is not None:
            found = _valid(m.group("wy"), m.group("wm"), m.group("wd"))
        elif m.group("xy") is not None:
            found = _valid(m.group("xy"), m.group("xm"), m.group("xd"))
        elif m.group("ny") is not None:
            found = _valid(m.group("ny"), m.group("nm"), m.group("nd"))
        else:
            found = _valid(m.group("iy"), m.group("im"), m.group("id"))
        yield found, m.end()


def parse_iso_date(value: str) -> date | None:
    """The calendar date of an ISO 8601 date or date-time (``2026-11-19T08:30:00+07:00`` →
    2026-11-19; the written local date, time zone ignored), or ``None``."""
    m = _ISO_PREFIX.match(value)
    return _valid(m.group(1), m.group(2), m.group(3)) if m is not None else None


def page_dates(tree: LexborHTMLParser) -> list[date]:
    """Dates given in a page's markup, in document order.

    Sources: ``<time datetime>``, ``<meta property="article:published_time">``,
    ``<meta name="DC.date">`` (names case-insensitive) and ``itemprop="datePublished"`` (its
    ``content`` or ``datetime`` attribute, else its text). ISO values are read as calendar dates
    (time zone ignored); other values fall back to :func:`find_dates` (first date).
    """
    out: list[date] = []
    for node in tree.css(_STRUCTURED):
        attrs = node.attributes
        if node.tag == "time" and attrs.get("datetime"):
            value = attrs.get("datetime") or ""
        elif node.tag == "meta":
            value = attrs.get("content") or ""
        else:
            value = attrs.get("content") or attrs.get("datetime") or node.text(separator=" ")
        found = parse_iso_date(value)
        if found is None:
            shown = find_dates(value)
            found = shown[0] if shown else None
        if found is not None:
            out.append(found)
    return out
