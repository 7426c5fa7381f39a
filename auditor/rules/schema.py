"""The rule-pack format: pack header, rules and scoring settings (frozen, unknown keys rejected).

A pack file has a top-level ``pack:`` (:class:`PackHeader`) and ``rules:`` (a list of
:class:`Rule`). Rules are validated with a :class:`RuleContext` (``context=`` of
``model_validate``) that says which documents, categories and check primitives exist; problems
found below a field are raised with :func:`auditor.rules.messages.located` so that each keeps its
own place in the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from auditor.checks.registry import CheckSpec, all_checks
from auditor.errors import Message
from auditor.models import Citation, DocumentInfo, Frozen, Level, LocalText, Severity, t
from auditor.rules.checktree import AllOf, AnyOf, CheckCall, CheckNode, NotOf, compile_check
from auditor.rules.messages import closest, closest_vi, located
from auditor.yamlsource import Loc

LevelOrAll = Literal[Level, "all"]
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
DEFAULT_GRADES: dict[str, float] = {"A": 90.0, "B": 80.0, "C": 65.0, "D": 50.0}
DEFAULT_WARN_CREDIT = 0.5
Threshold = Annotated[float, Field(ge=0, le=100)]


class GradeCap(Frozen):
    """``pack.caps``: when any of ``rules`` fails (not waived), the grade is at most ``grade``,
    for ``reason`` (which cites the text that makes the failure that grave)."""

    grade: str
    rules: tuple[str, ...] = Field(min_length=1)
    reason: LocalText


class ScoringConfig(Frozen):
    """What :func:`auditor.scoring.score` needs from a pack."""

    caps: tuple[GradeCap, ...] = ()
    grades: dict[str, Threshold] = Field(default_factory=lambda: dict(DEFAULT_GRADES))
    fallback_grade: str = "E"  # below every band
    warn_credit: float = Field(default=DEFAULT_WARN_CREDIT, ge=0, le=1)
    categories: dict[str, LocalText] = Field(default_factory=dict)


class RuleOverride(Frozen):
    """What a pack changes in a rule of its base pack (``pack.overrides``)."""

    weight: float | None = Field(default=None, ge=0)
    severity: Severity | None = None
    applies_to: tuple[LevelOrAll, ...] | None = Field(default=None, min_length=1)
    params: dict[str, Any] | None = None  # merged into every primitive call that takes them


class PackHeader(Frozen):
    """The ``pack:`` mapping: identity, documents, grading and categories."""

    id: str = Field(pattern=ID_PATTERN)
    title: LocalText
    domains: tuple[str, ...] = ()  # hosts whose portals (and sub-domains) this pack audits
    # hosts outside a portal that its links may target and the scan may request once (never
    # crawl): national systems, the province's own service portal; sub-domains included
    link_hosts: tuple[str, ...] = ()
    documents: tuple[DocumentInfo, ...] = Field(min_length=1)  # the first is the main one
    grades: dict[str, Threshold] | None = None  # None: the base pack's, else DEFAULT_GRADES
    warn_credit: float | None = Field(default=None, ge=0, le=1)
    caps: tuple[GradeCap, ...] = ()  # added to the base pack's caps
    categories: dict[str, LocalText] = Field(default_factory=dict)
    extends: str | None = Field(default=None, pattern=ID_PATTERN)  # a base pack, e.g. national
    draft: bool = False
    overrides: dict[str, RuleOverride] = Field(default_factory=dict)  # base rule id -> changes
    retire: dict[str, str] = Field(default_factory=dict)  # base rule id -> reason
    # section id -> hosts of the systems the regulation names for it (the province's own
    # public-service portal, a gazette…): a section link there counts under every rule
    systems: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @field_validator("systems")
    @classmethod
    def _systems(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        from auditor.sections import load_catalogue  # the catalogue is data, loaded once

        known = load_catalogue().sections
        problems: list[tuple[Loc, Message]] = []
        out: dict[str, tuple[str, ...]] = {}
        for section, hosts in value.items():
            if section not in known:
                problems.append(
                    (
                        (section,),
                        t(
                            f"systems: không có mục {section!r}{closest_vi(section, known)}",
                            f"systems: unknown section {section!r}{closest(section, known)}",
                        ),
                    )
                )
            clean: list[str] = []
            for index, raw in enumerate(hosts):
                host = raw.strip().lower().rstrip(".")
                if not host or "/" in host or ":" in host or " " in host or "." not in host:
                    problems.append(
                        (
                            (section, index),
                            t(
                                f"systems: không phải tên máy: {raw!r}",
                                f"systems: not a host name: {raw!r}",
                            ),
                        )
                    )
                clean.append(host)
            out[section] = tuple(clean)
        if problems:
            raise located(problems)
        return out

    @field_validator("retire")
    @classmethod
    def _reasons(cls, value: dict[str, str]) -> dict[str, str]:
        empty = [
            ((key,), t(f"retire: {key!r} cần có lý do", f"retire: {key!r} needs a reason"))
            for key, why in value.items()
            if not why.strip()
        ]
        if empty:
            raise located(empty)
        return value

    @field_validator("domains", "link_hosts")
    @classmethod
    def _domains(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        out: list[str] = []
        problems: list[tuple[Loc, Message]] = []
        for index, raw in enumerate(value):
            host = raw.strip().lower().rstrip(".").removeprefix("*.")
            if not host or "/" in host or ":" in host or " " in host or "." not in host:
                problems.append(
                    (
                        (index,),
                        t(
                            f"domains: không phải tên miền: {raw!r}",
                            f"domains: not a domain name: {raw!r}",
                        ),
                    )
                )
            out.append(host)
        if problems:
            raise located(problems)
        return tuple(out)

    @field_validator("documents")
    @classmethod
    def _documents(cls, value: tuple[DocumentInfo, ...]) -> tuple[DocumentInfo, ...]:
        problems: list[tuple[Loc, Message]] = []
        seen: set[str] = set()
        for index, doc in enumerate(value):
            if not doc.id.strip():
                problems.append(
                    (
                        (index, "id"),
                        t("documents: mã văn bản trống", "documents: empty document id"),
                    )
                )
            if doc.id in seen:
                problems.append(
                    (
                        (index, "id"),
                        t(
                            f"documents: {doc.id!r} có hai lần",
                            f"documents: {doc.id!r} is listed twice",
                        ),
                    )
                )
            seen.add(doc.id)
            if doc.effective_from and doc.effective_to and doc.effective_to < doc.effective_from:
                problems.append(
                    (
                        (index, "effective_to"),
                        t(
                            f"văn bản {doc.id!r}: effective_to {doc.effective_to} trước "
                            f"effective_from {doc.effective_from}",
                            f"document {doc.id!r}: effective_to {doc.effective_to} is before "
                            f"effective_from {doc.effective_from}",
                        ),
                    )
                )
        if problems:
            raise located(problems)
        return value


@dataclass(frozen=True)
class RuleContext:
    """What a rule may refer to: its pack's documents and categories (``None``: unknown, not
    checked), and the known primitives."""

    documents: frozenset[str] | None = None
    categories: frozenset[str] | None = None
    checks: Mapping[str, CheckSpec] = field(default_factory=dict)


def _context(info: ValidationInfo) -> RuleContext | None:
    ctx: Any = info.context
    return ctx if isinstance(ctx, RuleContext) else None


class Rule(Frozen):
    """One requirement of a document, and how to check it."""

    id: str = Field(pattern=ID_PATTERN)
    title: LocalText
    failure: LocalText  # what is wrong when the check fails
    fix: LocalText | None = None  # how to comply
    citation: Citation
    quote: str | None = None  # the cited text, verbatim
    applies_to: tuple[LevelOrAll, ...] = Field(min_length=1)
    category: str
    severity: Severity
    weight: float = Field(ge=0)
    effective_from: date | None = None
    effective_to: date | None = None  # last day in force
    manual: bool = False  # a crawl cannot see it: reported for human review
    # why a manual rule is left to a person (shown as its evidence instead of the generic text)
    manual_reason: LocalText | None = None
    # the text only encourages it ("khuyến khích", "có thể"): a failure is reported as ``warn``
    advisory: bool = False
    check: CheckNode | None = Field(default=None, validate_default=True)

    @field_validator("citation")
    @classmethod
    def _citation(cls, value: Citation, info: ValidationInfo) -> Citation:
        problems: list[tuple[Loc, Message]] = []
        ctx = _context(info)
        if ctx is not None and ctx.documents is not None and value.document not in ctx.documents:
            known = ", ".join(repr(d) for d in sorted(ctx.documents))
            problems.append(
                (
                    ("document",),
                    t(
                        f"citation: văn bản {value.document!r} không thuộc các văn bản của bộ "
                        f"tiêu chí ({known or 'không có'})",
                        f"citation: document {value.document!r} is not one of the "
                        f"pack's documents ({known or 'none'})",
                    ),
                )
            )
        if not value.article.strip():
            problems.append(
                (
                    ("article",),
                    t(
                        "citation: article không được để trống",
                        "citation: article must not be empty",
                    ),
                )
            )
        if problems:
            raise located(problems)
        return value

    @field_validator("category")
    @classmethod
    def _category(cls, value: str, info: ValidationInfo) -> str:
        ctx = _context(info)
        if ctx is not None and ctx.categories is not None and value not in ctx.categories:
            raise located(
                [
                    (
                        (),
                        t(
                            f"không có nhóm {value!r}{closest_vi(value, ctx.categories)}; "
                            "khai báo nó trong pack.categories",
                            f"unknown category {value!r}{closest(value, ctx.categories)}; "
                            "declare it under pack.categories",
                        ),
                    )
                ]
            )
        return value

    @field_validator("effective_to")
    @classmethod
    def _dates(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("effective_from")
        if value is not None and start is not None and value < start:
            raise located(
                [
                    (
                        (),
                        t(
                            f"effective_to {value} trước effective_from {start}",
                            f"effective_to {value} is before effective_from {start}",
                        ),
                    )
                ]
            )
        return value

    @field_validator("check", mode="before")
    @classmethod
    def _check(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, CheckCall | AllOf | AnyOf | NotOf):
            return value
        if value is None:
            if "manual" in info.data and not info.data["manual"]:
                raise located(
                    [
                        (
                            (),
                            t(
                                "thiếu khóa 'check' (bắt buộc trừ khi 'manual: true')",
                                "missing key 'check' (required unless 'manual: true')",
                            ),
                        )
                    ]
                )
            return None
        ctx = _context(info)
        node, problems = compile_check(value, ctx.checks if ctx else all_checks())
        if node is None:
            raise located(problems)
        return node

    def in_force(self, as_of: date) -> bool:
        """Whether the rule's own dates include ``as_of``."""
        return in_force(self.effective_from, self.effective_to, as_of)

    def applies_to_level(self, level: Level) -> bool:
        """Whether the rule binds agencies of ``level``."""
        return "all" in self.applies_to or level in self.applies_to


def in_force(start: date | None, end: date | None, as_of: date) -> bool:
    """Whether ``as_of`` lies between ``start`` and ``end`` (both inclusive, open when None)."""
    return (start is None or start <= as_of) and (end is None or as_of <= end)
