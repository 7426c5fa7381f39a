"""Run element-level rules over every fetched page of a site and sum them up as an Outcome.

:func:`doc_of` wraps the page's own ``page.tree`` in a :class:`Doc` (with its id and label
indexes) shared by every rule that looks at the page, and dropped with the tree. Each element
rule's result is kept on the page (:meth:`SiteRule.result`), so the engine reads every page once
for all of them before judging (:func:`site_read`) and the checks find the results kept.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from auditor.a11y.dom import Doc
from auditor.a11y.result import Issue, IssueLevel, RuleResult
from auditor.artifacts import Artifacts
from auditor.models import Evidence, LocalText, Outcome, t
from auditor.page import Page

logger = logging.getLogger(__name__)


def doc_of(page: Page) -> Doc:
    """The :class:`Doc` of ``page``, built once on ``page.tree`` and dropped with it
    (:meth:`Page.shed`)."""
    doc = page.views.get("a11y")
    if not isinstance(doc, Doc):
        doc = page.views["a11y"] = Doc(page.tree)
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
        return self._levelled(self.run(doc))

    def result(self, page: Page) -> RuleResult:
        """The element rule's result on ``page``, computed once per page whichever check asks
        and kept on it (:attr:`Page.reads`), also when its trees are shed."""
        run = self.run
        key = (
            ("a11y", (run.func, run.args, tuple(sorted(run.keywords.items()))))
            if isinstance(run, functools.partial)
            else ("a11y", run)
        )
        try:
            hash(key)
        except TypeError:  # an argument that cannot be a key (a list…): not kept
            return run(doc_of(page))
        reads = page.reads
        if key not in reads:
            reads[key] = run(doc_of(page))
        return cast(RuleResult, reads[key])

    def issues_on(self, page: Page) -> tuple[bool, tuple[Issue, ...]]:
        """:meth:`issues` of ``page``'s document, from :meth:`result`."""
        return self._levelled(self.result(page))

    def _levelled(self, result: RuleResult) -> tuple[bool, tuple[Issue, ...]]:
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


def site_read(
    rules_of: Callable[[Any], Sequence[SiteRule]],
) -> Callable[[Artifacts, Page, Any], object]:
    """What a check whose rules are ``rules_of(params)`` reads of each page (its ``reads``
    entry, :func:`auditor.checks.registry.check`): every rule's :meth:`SiteRule.result`."""

    def read(_art: Artifacts, page: Page, params: Any) -> object:
        return [rule.result(page) for rule in rules_of(params)]

    return read


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
        page_applies = False
        found: list[Issue] = []
        for rule in rules:
            applies, issues = rule.issues_on(page)
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
