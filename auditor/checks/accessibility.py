"""Accessibility for people with disabilities (Sóc Trăng QĐ 07/2019 Điều 8; WCAG 2.x level A/AA).

Every primitive runs rules of :mod:`auditor.a11y` (checked against the W3C ACT test cases) on
every fetched HTML page and sums them up with :func:`auditor.a11y.site.site_outcome`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from auditor.a11y import document, elements
from auditor.a11y.site import SiteRule, Subject, site_outcome, site_read
from auditor.artifacts import Artifacts
from auditor.checks.registry import Params, check
from auditor.models import Outcome, t

Level = Literal["fail", "warn", "ignore"]


class EvidenceParams(Params):
    """How much evidence a site-wide element check reports."""

    max_pages: int = Field(default=5, ge=1, le=50)  # offending pages shown
    max_per_page: int = Field(default=3, ge=1, le=20)  # offending elements shown per page


def _level(value: Level) -> Literal["fail", "warn"] | None:
    return None if value == "ignore" else value


def _run(art: Artifacts, p: EvidenceParams, subject: Subject, *rules: SiteRule) -> Outcome:
    return site_outcome(art, rules, subject, max_pages=p.max_pages, max_per_page=p.max_per_page)


def _html_lang(p: EvidenceParams) -> tuple[SiteRule, ...]:
    return (SiteRule(document.html_lang),)


@check("a11y_html_lang", params=EvidenceParams, requires=("pages",), reads=(site_read(_html_lang),))
def a11y_html_lang(art: Artifacts, p: EvidenceParams) -> Outcome:
    """Every page's ``<html>`` has a valid ``lang`` (WCAG 3.1.1; ACT b5c3f8, bf051a)."""
    subject = Subject(t("ngôn ngữ trang (<html lang>)", "page language (<html lang>)"), 'lang="vi"')
    return _run(art, p, subject, *_html_lang(p))


def _title(p: EvidenceParams) -> tuple[SiteRule, ...]:
    return (SiteRule(document.title),)


@check("a11y_title", params=EvidenceParams, requires=("pages",), reads=(site_read(_title),))
def a11y_title(art: Artifacts, p: EvidenceParams) -> Outcome:
    """Every page has a non-empty ``<title>`` (WCAG 2.4.2; ACT 2779a5)."""
    subject = Subject(t("tiêu đề trang (<title>)", "page title (<title>)"), "<title>…</title>")
    return _run(art, p, subject, *_title(p))


def _images_alt(p: EvidenceParams) -> tuple[SiteRule, ...]:
    return (SiteRule(elements.images), SiteRule(elements.image_buttons))


@check(
    "a11y_images_alt", params=EvidenceParams, requires=("pages",), reads=(site_read(_images_alt),)
)
def a11y_images_alt(art: Artifacts, p: EvidenceParams) -> Outcome:
    """Images and image buttons have a text alternative (WCAG 1.1.1; ACT 23a2a8, 59796f).

    ``alt=""`` marks a decorative image and passes; a link whose only content is an image
    without a name is judged by ``a11y_link_names``.
    """
    subject = Subject(t("ảnh và nút ảnh", "images and image buttons"), 'alt="mô tả ảnh"')
    return _run(art, p, subject, *_images_alt(p))


class FormLabelsParams(EvidenceParams):
    """How a field named only by its ``placeholder`` is reported (WCAG 3.3.2)."""

    placeholder_only: Level = "warn"


def _form_labels(p: FormLabelsParams) -> tuple[SiteRule, ...]:
    return (SiteRule(elements.form_fields, {"warn": _level(p.placeholder_only)}),)


@check(
    "a11y_form_labels",
    params=FormLabelsParams,
    requires=("pages",),
    reads=(site_read(_form_labels),),
)
def a11y_form_labels(art: Artifacts, p: FormLabelsParams) -> Outcome:
    """Form fields have an accessible name, a ``<label>`` preferably (WCAG 4.1.2, 1.3.1, 3.3.2;
    ACT e086e5). A field with no name fails; one named only by its placeholder warns: the
    placeholder gives a name (ACT passes it) but disappears while typing."""
    subject = Subject(t("trường nhập liệu", "form fields"), '<label for="…">')
    return _run(art, p, subject, *_form_labels(p))


class LinkNamesParams(EvidenceParams):
    """How links whose whole text is generic ("Xem tiếp", "Chi tiết") are reported."""

    generic_texts: Level = "warn"


def _link_names(p: LinkNamesParams) -> tuple[SiteRule, ...]:
    return (SiteRule(elements.links, {"warn": _level(p.generic_texts)}),)


@check(
    "a11y_link_names", params=LinkNamesParams, requires=("pages",), reads=(site_read(_link_names),)
)
def a11y_link_names(art: Artifacts, p: LinkNamesParams) -> Outcome:
    """Links have an accessible name (WCAG 2.4.4, 4.1.2; ACT c487ae); generic texts warn.

    A link with no name at all (an image link without ``alt``, an empty icon link) fails.
    A generic text ("Xem tiếp", "Chi tiết") only warns: WCAG 2.4.4 (level A) lets the link's
    context (its sentence, list item, table cell or preceding heading) give its purpose, which
    a static check cannot judge; "link text alone" is 2.4.9, level AAA.
    """
    subject = Subject(t("liên kết", "links"), "văn bản liên kết mô tả đích đến")
    return _run(art, p, subject, *_link_names(p))


class HeadingsParams(EvidenceParams):
    """How skipped heading levels and empty headings are reported."""

    skipped_levels: Literal["fail", "warn"] = "fail"
    empty_headings: Level = "warn"


def _headings(p: HeadingsParams) -> tuple[SiteRule, ...]:
    return (
        SiteRule(elements.heading_order, {"warn": p.skipped_levels}),
        SiteRule(elements.heading_names, {"fail": _level(p.empty_headings)}),
    )


@check("a11y_headings", params=HeadingsParams, requires=("pages",), reads=(site_read(_headings),))
def a11y_headings(art: Artifacts, p: HeadingsParams) -> Outcome:
    """Heading levels are not skipped going down (h1 → h3) and headings are not empty
    (WCAG 1.3.1 and 2.4.6 practice; ACT ffd0e9 for empty headings)."""
    subject = Subject(t("tiêu đề mục (h1–h6)", "headings (h1–h6)"), "h1 → h2 → h3")
    return _run(art, p, subject, *_headings(p))


def _blink(p: EvidenceParams) -> tuple[SiteRule, ...]:
    return (SiteRule(elements.blink),)


@check("a11y_no_blink", params=EvidenceParams, requires=("pages",), reads=(site_read(_blink),))
def a11y_no_blink(art: Artifacts, p: EvidenceParams) -> Outcome:
    """No ``<marquee>`` or ``<blink>``: moving text that cannot be paused (WCAG 2.2.2)."""
    subject = Subject(t("chữ chạy, nhấp nháy", "moving or blinking text"), "không dùng <marquee>")
    return _run(art, p, subject, *_blink(p))


def _tables(p: EvidenceParams) -> tuple[SiteRule, ...]:
    return (SiteRule(elements.tables),)


@check("a11y_tables", params=EvidenceParams, requires=("pages",), reads=(site_read(_tables),))
def a11y_tables(art: Artifacts, p: EvidenceParams) -> Outcome:
    """Data tables have header cells (WCAG 1.3.1); a table that may be a layout table warns."""
    subject = Subject(t("bảng dữ liệu", "data tables"), '<th scope="col">')
    return _run(art, p, subject, *_tables(p))
