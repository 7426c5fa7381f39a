"""The catalogue of portal sections (``rules/sections.yaml``) and how links are matched to it."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from pydantic import Field

from auditor.errors import Problem, RuleError
from auditor.models import Frozen, LocalText
from auditor.page import Link
from auditor.paths import rules_dir
from auditor.text.fold import fold_words

# A link text longer than the label by more than this many words is a headline, not a menu item.
_EXTRA_WORDS = 5
_MAX_SLUG_SEGMENTS = 3


class Section(Frozen):
    """One kind of section and the labels and slugs that identify it."""

    name: LocalText
    labels: tuple[str, ...]
    slugs: tuple[str, ...] = ()
    external_hosts: tuple[str, ...] = Field(default=())  # national systems that satisfy it


class Catalogue(Frozen):
    """Every known section by id, and the words that open the names of organisations."""

    sections: dict[str, Section]
    # A link text opening with one of these (with diacritics: "Ban", "Sở", "Phòng"…) names an
    # organisation (an HĐND committee "Ban Kinh tế - Ngân sách", "Sở Tài chính"), not a
    # section, unless the section's label opens with the same word ("Ban lãnh đạo").
    organisations: tuple[str, ...] = ()


@lru_cache(maxsize=4)
def load_catalogue(path: Path | None = None) -> Catalogue:
    """Load the section catalogue (default: ``rules/sections.yaml``)."""
    path = path or rules_dir() / "sections.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Catalogue.model_validate(data)
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise RuleError([Problem(str(path), None, f"invalid section catalogue: {exc}")]) from exc


def _lowered(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower().replace("uỷ", "ủy")


@lru_cache(maxsize=1)
def _organisation_words() -> tuple[tuple[str, str], ...]:
    """Each organisation word of the catalogue with its lowered form."""
    return tuple((head, _lowered(head)) for head in load_catalogue().organisations)


def organisation_head(text: str) -> str | None:
    """The organisation word that opens ``text`` ("Ban", "Sở", "Ủy ban"…), or ``None``."""
    low = _lowered(text).strip()
    for head, word in _organisation_words():
        if low.startswith(word) and (len(low) == len(word) or not low[len(word)].isalnum()):
            return head
    return None


@lru_cache(maxsize=16384)
def _text_form(text: str) -> tuple[str, int, str | None]:
    """A label or a link text as matching reads it: its folded words between spaces
    (``" ban giam doc "``), how many, and its organisation word. Each text is matched against
    every section's labels, and menus repeat the same texts on every page."""
    words = fold_words(text)
    return f" {words} ", len(words.split()), organisation_head(text)


def label_matches(link: Link, section: Section) -> str | None:
    """The label of ``section`` that ``link``'s text shows (its words, in a row, among the
    link's), or ``None``. A text that names an organisation (:func:`organisation_head`)
    matches only a label opening with the same word."""
    words, count, head = _text_form(link.text)
    if not count:
        return None
    for label in section.labels:
        target, size, label_head = _text_form(label)
        if count > size + _EXTRA_WORDS:
            continue
        if head is not None and label_head != head:
            continue
        if not size or target in words:  # single spaces between words: whole words match
            return label
    return None


@lru_cache(maxsize=16384)
def _segments(url: str) -> tuple[str, ...]:
    """The segments of ``url``'s path, unquoted, lowered, without extensions (a link is
    matched against every section's slugs)."""
    path = unquote(urlsplit(url).path).lower()
    return tuple(s.rsplit(".", 1)[0] for s in path.split("/") if s)


def slug_matches(link: Link, section: Section) -> str | None:
    """The slug of ``section`` in ``link``'s URL path, or ``None``."""
    segments = _segments(link.url)
    if not segments or len(segments) > _MAX_SLUG_SEGMENTS:
        return None
    for slug in section.slugs:
        for segment in segments:
            if segment == slug or segment.startswith(slug + "-"):
                return slug
    return None


def host_matches(host: str, allowed: tuple[str, ...]) -> bool:
    """Whether ``host`` is one of ``allowed`` or a subdomain of one."""
    host = host.lower()
    return any(host == a or host.endswith("." + a) for a in allowed)
