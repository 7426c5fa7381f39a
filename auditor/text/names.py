"""Vietnamese agency names turned into domain labels: level words, slugs, initials.

Pure functions, no I/O. The rules follow QĐ 07/2019/QĐ-UBND Sóc Trăng Điều 5 khoản 1 and the
naming articles of the other provinces: a province, district or commune label is the place
name without diacritics or spaces (``kesach``, ``phuong2``); a department label is the initials
of its name with "Sở" kept whole and "và" dropped (``sotttt``, ``sokhdt``, ``sonnptnt``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache

from auditor.models import Level
from auditor.text.fold import fold

_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")

# Administrative units, longest first: they open the names of provinces, districts, communes.
_UNIT_WORDS = (
    "thành phố",
    "thị trấn",
    "thị xã",
    "đặc khu",
    "phường",
    "huyện",
    "quận",
    "tỉnh",
    "xã",
    "tp.",
    "tp",
)
# "Ủy ban nhân dân" (both tone placements) and its abbreviations.
_COUNCIL_WORDS = ("ủy ban nhân dân", "uỷ ban nhân dân", "ubnd", "hđnd", "hội đồng nhân dân")
# Kinds of organisation kept whole at the head of initials ("Sở" → "so", "Chi cục" → "chicuc").
_KIND_WORDS = ("sở", "chi cục", "trung tâm", "phòng", "đài", "ban")
_AND = ("và", "&")
# Words that only say a thematic site is a site ("Chuyên trang về Du lịch" → "Du lịch").
_SITE_WORDS = (
    "chuyên trang thông tin điện tử",
    "chuyên trang thông tin",
    "chuyên trang",
    "trang thông tin điện tử",
    "cổng thông tin điện tử",
    "trang thông tin",
    "trang tin",
)
_ABOUT = ("về",)
_ADMIN_LEVELS: frozenset[Level] = frozenset({"province", "district", "commune"})


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _starts_with_word(low: str, word: str) -> bool:
    """Whether ``low`` starts with ``word`` followed by a word boundary."""
    if not low.startswith(word):
        return False
    rest = low[len(word) :]
    return not rest or not (rest[0].isalnum() or unicodedata.category(rest[0]) == "Mn")


def _strip_head(name: str, words: tuple[str, ...]) -> str:
    """Drop one leading word of ``words`` (case-insensitive) from ``name``."""
    low = name.lower()
    for word in words:
        if _starts_with_word(low, word):
            return name[len(word) :].strip(" .,-–")
    return name


def _cut_qualifier(name: str) -> str:
    """Drop a trailing qualifier naming the parent: ", huyện Kế Sách", " thuộc Sở …",
    " tỉnh Sóc Trăng" (a unit word followed by a capitalised place name)."""
    name = name.split(",", 1)[0].strip()
    name = re.split(r"\s+(?:thuộc|trực thuộc)\s+", name, maxsplit=1, flags=re.I)[0]
    words = _SPACE.split(name.strip())
    for i in range(1, len(words)):
        tail = " ".join(words[i:])
        low = tail.lower()
        for unit in _UNIT_WORDS:
            if _starts_with_word(low, unit):
                rest = tail[len(unit) :].strip(" .")
                if not rest or rest[0].isupper() or rest[0].isdigit():
                    return " ".join(words[:i])
    return name.strip()


def strip_level_words(name: str, level: Level | None = None) -> str:
    """The agency name without the words that only say its level.

    Per level: for a province, district or commune (and when ``level`` is ``None``)
    "Ủy ban nhân dân"/"UBND" and the unit word (tỉnh, huyện, thị xã, thành phố, quận, xã,
    phường, thị trấn, đặc khu) are level words, except before a bare number ("Phường 2" stays).
    For a department "Sở" is *not* a level word (the label keeps ``so``); for a unit the kind
    (Chi cục, Trung tâm, Phòng, Đài) stays too. At every level a trailing qualifier naming the
    parent (", huyện Kế Sách", "thuộc Sở …", "tỉnh Sóc Trăng") is dropped. For a thematic or
    other site the words that only say "site" go ("Chuyên trang về Du lịch" → "Du lịch").

    >>> strip_level_words("Ủy ban nhân dân huyện Kế Sách")
    'Kế Sách'
    >>> strip_level_words("Phường 2, TP Sóc Trăng")
    'Phường 2'
    """
    name = _SPACE.sub(" ", _nfc(name)).strip()
    if level is None or level in _ADMIN_LEVELS:
        name = _strip_head(name, _COUNCIL_WORDS)
        stripped = _strip_head(name, _UNIT_WORDS)
        head = _cut_qualifier(stripped)
        if head and not head.isdigit():
            return head
        return _cut_qualifier(name)
    if level in ("thematic", "other"):
        stripped = _strip_head(name, _SITE_WORDS)
        if stripped != name:
            stripped = _strip_head(stripped, _ABOUT)
        if stripped:
            name = stripped
    return _cut_qualifier(name)


def slug(name: str) -> str:
    """Fold diacritics (``đ`` → ``d``), lower-case, keep only letters and digits.

    >>> slug("Phường 2"), slug("Huyện Kế Sách")
    ('phuong2', 'huyenkesach')
    """
    return re.sub(r"[^a-z0-9]+", "", fold(_nfc(name)))


def _tokens(name: str) -> list[str]:
    return _WORD.findall(_nfc(name))


def initials(name: str) -> str:
    """Initials of ``name`` as a domain label: first letters of the words, "và" dropped.

    A leading kind of organisation is kept whole (Sở → ``so``, Chi cục → ``chicuc``), as are
    abbreviations written in capitals (UBND, CNTT) and numbers.

    >>> initials("Sở Thông tin và Truyền thông"), initials("Chi cục Thú y")
    ('sotttt', 'chicucty')
    """
    name = _SPACE.sub(" ", _nfc(name)).strip()
    head = ""
    low = name.lower()
    for kind in _KIND_WORDS:
        if _starts_with_word(low, kind):
            head = slug(kind)
            name = name[len(kind) :]
            break
    out = [head]
    for token in _tokens(name):
        if token.lower() in _AND:
            continue
        if token.isdigit() or (len(token) > 1 and token.isupper()):
            out.append(slug(token))
        else:
            out.append(slug(token)[:1])
    return "".join(out)


def letter_initials(name: str) -> tuple[str, ...]:
    """The first letter of every word of ``name``, the kind of organisation included, without
    and with "và" (Sóc Trăng Đ5 k1 b: "tên cơ quan viết tắt các chữ cái đầu").

    >>> letter_initials("Sở Thông tin và Truyền thông")
    ('stttt', 'sttvtt')
    """
    tokens = _tokens(_SPACE.sub(" ", _nfc(name)).strip())

    def first(token: str) -> str:
        return (
            slug(token)
            if token.isdigit() or (len(token) > 1 and token.isupper())
            else (slug(token)[:1])
        )

    without = "".join(first(t) for t in tokens if t.lower() not in _AND)
    with_and = "".join(first(t) for t in tokens if t != "&")
    return tuple(dict.fromkeys(f for f in (without, with_and) if f))


def expected_labels(agency_name: str, level: Level) -> tuple[str, ...]:
    """The labels the naming rules accept for an agency, most expected first.

    Province, district, commune: the place name (``soctrang``, ``kesach``, ``phuong2``).
    Department: the initials (``sotttt``). Unit: the kind kept whole and the initials
    (``chicucty``), then the full slug (the regulations fix a unit's position, not its label).
    Other and thematic sites: the name, then its initials.
    """
    core = strip_level_words(agency_name, level)
    if level in _ADMIN_LEVELS:
        forms = [slug(core)]
    elif level == "department":
        forms = [initials(core)]
    elif level == "unit":
        forms = [initials(core), slug(core)]
    else:
        forms = [slug(core), initials(core)]
    return tuple(dict.fromkeys(f for f in forms if f))


def named_labels(agency_name: str, level: Level) -> tuple[str, ...]:
    """Labels for rules that accept "the abbreviation or the full name" (Lâm Đồng Đ4 k2 b,
    Quảng Ninh Đ4 k1, k4): the level's expected labels, then the full slug and the initials
    without the leading kind of organisation (``tttt``, ``thongtinvatruyenthong``).
    """
    forms = list(expected_labels(agency_name, level))
    core = strip_level_words(agency_name, level)
    bare = _strip_head(core, _KIND_WORDS)
    forms += [slug(core), initials(core), slug(bare), initials(bare)]
    return tuple(dict.fromkeys(f for f in forms if f))


def is_abbreviation(label: str, agency_name: str, level: Level) -> bool:
    """Whether ``label`` abbreviates the whole name: in-order, non-empty prefixes of the name's
    words that cover every significant word (the leading kind word "Sở", "Ban"… and "và" may
    be left out or kept; a trailing "tỉnh" may be kept).

    Quảng Ninh Đ4 k1's own examples: ``sttvtt`` (Sở Thông tin và Truyền thông), ``ttt``
    (Thanh tra Tỉnh).
    """
    label = label.lower()
    if len(label) < 2 or not label.isascii() or not label.isalnum():
        return False
    core = strip_level_words(agency_name, level)
    bare = [slug(w) for w in _tokens(_strip_head(core, _KIND_WORDS)) if slug(w)]
    words = tuple(slug(w) for w in _tokens(agency_name) if slug(w))
    starts = [i for i in range(len(words)) if list(words[i : i + len(bare)]) == bare]
    if not bare or not starts:
        return False
    first = starts[0]
    required = tuple(
        first <= j < first + len(bare) and words[j] not in ("va",) for j in range(len(words))
    )
    return _covers(label, words, required)


def _covers(label: str, words: tuple[str, ...], required: tuple[bool, ...]) -> bool:
    """Whether ``label`` is a concatenation of non-empty prefixes of ``words``, in order, using
    every word marked ``required`` (the others may be skipped)."""

    @cache
    def ok(i: int, j: int) -> bool:
        if j == len(words):
            return i == len(label)
        if not required[j] and ok(i, j + 1):
            return True
        word = words[j]
        for n in range(1, len(word) + 1):
            if not label.startswith(word[:n], i):
                break
            if ok(i + n, j + 1):
                return True
        return False

    return ok(0, 0)


def _words_for_match(name: str) -> tuple[tuple[str, ...], int]:
    """Folded words of the whole name, and how many of the core name's words are significant."""
    words = tuple(slug(w) for w in _tokens(name) if slug(w))
    core = [slug(w) for w in _tokens(strip_level_words(name)) if w.lower() not in _AND]
    return words, max(1, len([w for w in core if w]))


def is_plausible_label(label: str, agency_name: str, level: Level | None = None) -> bool:
    """Whether ``label`` reads as a spelling of the name: a run of word prefixes, in order,
    covering at least half of the name's significant words (``huyenkesach``, ``stttt``, ``ks``),
    or the place name with one letter wrong (``nhonmi`` for Nhơn Mỹ).

    Used to tell an unusual spelling (a warning) from an unrelated label (a failure). For a
    thematic or other site the words that only say "site" do not count (``level``).
    """
    if level in ("thematic", "other"):
        agency_name = strip_level_words(agency_name, level)
    label = label.lower()
    if len(label) < 2 or not label.isascii():
        return False
    words, significant = _words_for_match(agency_name)
    core = slug(strip_level_words(agency_name))
    if label in (slug(agency_name), core):
        return True
    if len(core) >= 5 and _one_edit(label, core):
        return True
    need = math.ceil(significant / 2)
    return _best_cover(label, words) >= need


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one insertion, deletion or substitution."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def _best_cover(label: str, words: tuple[str, ...]) -> int:
    """Most words whose non-empty prefixes, in order, concatenate to ``label`` (-1 if none)."""

    @cache
    def best(i: int, j: int) -> int:
        if i == len(label):
            return 0
        if j == len(words):
            return -1
        top = best(i, j + 1)  # skip word j
        word = words[j]
        for k in range(1, len(word) + 1):
            if label.startswith(word[:k], i):
                rest = best(i + k, j + 1)
                if rest >= 0:
                    top = max(top, rest + (0 if word == "va" else 1))
            else:
                break
        return top

    return best(0, 0)
