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


def organisation_head(text: str) -> str | None:
    """The organisation word that opens ``text`` ("Ban", "Sở", "Ủy ban"…), or ``None``."""
    low = unicodedata.normalize("NFC", text).strip().lower().replace("uỷ", "ủy")
    for head in load_catalogue().organisations:
        word = unicodedata.normalize("NFC", head).lower().replace("uỷ", "ủy")
        if low.startswith(word) and (len(low) == len(word) or not low[len(word)].isalnum()):
            return head
    return None


def label_matches(link: Link, section: Section) -> str | None:
    """The label of ``section`` that ``link``'s text shows, or ``None``. A text that names an
    organisation (:func:`organisation_head`) matches only a label opening with the same word."""
    words = fold_words(link.text).split()
    if not words:
        return None
    head = organisation_head(link.text)
    for label in section.labels:
        target = fold_words(label).split()
        if len(words) > len(target) + _EXTRA_WORDS:
            continue
        if head is not None and organisation_head(label) != head:
            continue
        for i in range(len(words) - len(target) + 1):
            if words[i : i + len(target)] == target:
                return label
    return None


def slug_matches(link: Link, section: Section) -> str | None:
    """The slug of ``section`` in ``link``'s URL path, or ``None``."""
    path = unquote(urlsplit(link.url).path).lower()
    segments = [s.rsplit(".", 1)[0] for s in path.split("/") if s]
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
