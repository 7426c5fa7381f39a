"""Run element-level rules over every fetched page of a site and sum them up as an Outcome.

Each page is parsed once: :func:`doc_of` wraps the page's own ``page.tree`` and caches the
:class:`Doc` (and its id and label indexes) for every rule that looks at the page.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from auditor.a11y.dom import Doc
from auditor.a11y.result import Issue, IssueLevel, RuleResult
from auditor.artifacts import Artifacts
from auditor.models import Evidence, LocalText, Outcome, t
from auditor.page import Page

logger = logging.getLogger(__name__)

_DOCS: WeakKeyDictionary[Page, Doc] = WeakKeyDictionary()


def doc_of(page: Page) -> Doc:
    """The :class:`Doc` of ``page``, built once on ``page.tree`` (never parsed again)."""
    doc = _DOCS.get(page)
    if doc is None:
        doc = Doc(page.tree)
        _DOCS[page] = doc
    return doc


@dataclass(frozen=True)
class SiteRule:
    """A rule run on every page, with the levels its issues take in this check.

    ``levels`` maps the rule's own issue level to the level reported here; ``None`` drops
    the issue (e.g. ``{"warn": None}`` ignores a rule's hints). ``every_page`` makes every page
    count as checked even where the element rule does not apply (a page whose viewport says
    nothing of zoom does allow zoom).
    """

    run: Callable[[Doc], RuleResult]
    levels: Mapping[IssueLevel, IssueLevel | None] = field(default_factory=dict)
    every_page: bool = False

    def issues(self, doc: Doc) -> tuple[bool, tuple[Issue, ...]]:
        """Whether the rule applied to ``doc``, and its issues at their reported levels."""
        result = self.run(doc)
        out: list[Issue] = []
        for found in result.issues:
            level = self.levels.get(found.level, found.level)
            if level is not None:
                out.append(dataclasses.replace(found, level=level))
        return result.applicable or self.every_page, tuple(out)


@dataclass(frozen=True)
class Subject:
    """What a site check looks at, for its evidence texts."""

    what: LocalText  # e.g. "ảnh và nút ảnh" / "images and image buttons"
    expected: str  # what a compliant element looks like, e.g. 'alt="mô tả"'


@dataclass(frozen=True)
class _PageIssues:
    page: Page
    issues: tuple[Issue, ...]

    def at(self, level: IssueLevel) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.level == level)


def site_outcome(
    art: Artifacts,
    rules: Sequence[SiteRule],
    subject: Subject,
    *,
    max_pages: int = 5,
    max_per_page: int = 3,
) -> Outcome:
    """Run ``rules`` on every page of ``art`` and aggregate: ``fail`` when a page has a
    fail-level issue, ``warn`` when only warnings, ``not_applicable`` when no rule applied to
    any page, ``pass`` otherwise (the primitives require ``pages``: without any, the engine
    says ``error``). Evidence is bounded to ``max_pages`` pages × ``max_per_page`` elements,
    with counts of the rest."""
    applicable = 0
    checked: list[_PageIssues] = []
    for page in art.pages:
        doc = doc_of(page)
        page_applies = False
        found: list[Issue] = []
        for rule in rules:
            applies, issues = rule.issues(doc)
            page_applies = page_applies or applies
            found.extend(issues)
        applicable += page_applies
        if found:
            checked.append(_PageIssues(page, tuple(found)))
    total = len(art.pages)
    failing = [p for p in checked if p.at("fail")]
    warning = [p for p in checked if p.at("warn")]
    if failing:
        evidence = _issues_evidence("fail", failing, total, subject, max_pages, max_per_page)
        if warning:
            evidence.append(_also_warnings(warning))
        return Outcome(status="fail", evidence=tuple(evidence))
    if warning:
        evidence = _issues_evidence("warn", warning, total, subject, max_pages, max_per_page)
        return Outcome(status="warn", evidence=tuple(evidence))
    home = art.home_page.url
    if applicable == 0:
        detail = t(
            f"Không trang nào có {subject.what.vi} để kiểm tra ({total} trang).",
            f"No page has {subject.what.en} to check ({total} pages).",
        )
        return Outcome(status="not_applicable", evidence=(Evidence(url=home, detail=detail),))
    detail = t(
        f"{subject.what.vi.capitalize()}: không có lỗi trên {applicable} trang đã kiểm tra.",
        f"{subject.what.en.capitalize()}: no issue on the {applicable} pages checked.",
    )
    return Outcome(status="pass", evidence=(Evidence(url=home, detail=detail),))


def _issues_evidence(
    level: IssueLevel,
    pages: list[_PageIssues],
    total: int,
    subject: Subject,
    max_pages: int,
    max_per_page: int,
) -> list[Evidence]:
    count = sum(len(p.at(level)) for p in pages)
    kind_vi, kind_en = ("lỗi", "issues") if level == "fail" else ("cảnh báo", "warnings")
    out = [
        Evidence(
            detail=t(
                f"{subject.what.vi.capitalize()}: {len(pages)}/{total} trang có {kind_vi}, "
                f"tổng cộng {count}.",
                f"{subject.what.en.capitalize()}: {len(pages)} of {total} pages have {kind_en}, "
                f"{count} in all.",
            ),
            expected=subject.expected,
        )
    ]
    for entry in pages[:max_pages]:
        issues = entry.at(level)
        for index, found in enumerate(issues[:max_per_page], 1):
            out.append(
                Evidence(
                    url=entry.page.url,
                    detail=t(
                        f"{found.message.vi.rstrip('.')} ({index}/{len(issues)} trên trang này).",
                        f"{found.message.en.rstrip('.')} ({index} of {len(issues)} on this page).",
                    ),
                    expected=subject.expected,
                    found=found.path,
                    snippet=found.snippet or None,
                )
            )
        if len(issues) > max_per_page:
            more = len(issues) - max_per_page
            out.append(
                Evidence(
                    url=entry.page.url,
                    detail=t(
                        f"… và {more} phần tử khác trên trang này.",
                        f"… and {more} more on this page.",
                    ),
                )
            )
    if len(pages) > max_pages:
        rest = pages[max_pages:]
        more = sum(len(p.at(level)) for p in rest)
        out.append(
            Evidence(
                detail=t(
                    f"… và {len(rest)} trang khác ({more} {kind_vi}), ví dụ {rest[0].page.url}.",
                    f"… and {len(rest)} more pages ({more} {kind_en}), e.g. {rest[0].page.url}.",
                )
            )
        )
    return out


def _also_warnings(pages: list[_PageIssues]) -> Evidence:
    count = sum(len(p.at("warn")) for p in pages)
    first = pages[0].at("warn")[0]
    return Evidence(
        url=pages[0].page.url,
        detail=t(
            f"Ngoài ra {count} cảnh báo trên {len(pages)} trang, ví dụ: {first.message.vi}",
            f"Also {count} warnings on {len(pages)} pages, e.g.: {first.message.en}",
        ),
        found=first.path,
        snippet=first.snippet or None,
    )
