"""Use on mobile devices (Sóc Trăng QĐ 07/2019 Điều 7) and zoom (Điều 8; WCAG 1.4.4).

Every primitive runs rules of :mod:`auditor.a11y.viewport` on every fetched HTML page and sums
them up with :func:`auditor.a11y.site.site_outcome`.
"""

from __future__ import annotations

from functools import partial

from pydantic import Field

from auditor.a11y import viewport
from auditor.a11y.site import SiteRule, Subject, site_outcome, site_read
from auditor.artifacts import Artifacts
from auditor.checks.accessibility import EvidenceParams
from auditor.checks.registry import check
from auditor.models import Outcome, t


def _run(art: Artifacts, p: EvidenceParams, subject: Subject, *rules: SiteRule) -> Outcome:
    return site_outcome(art, rules, subject, max_pages=p.max_pages, max_per_page=p.max_per_page)


class ZoomParams(EvidenceParams):
    """The smallest ``maximum-scale`` allowed."""

    min_max_scale: float = Field(default=viewport.MIN_MAX_SCALE, gt=0)


def _zoom(p: ZoomParams) -> tuple[SiteRule, ...]:
    return (
        SiteRule(partial(viewport.viewport_zoom, min_max_scale=p.min_max_scale), every_page=True),
    )


@check("mobile_zoom", params=ZoomParams, requires=("pages",), reads=(site_read(_zoom),))
def mobile_zoom(art: Artifacts, p: ZoomParams) -> Outcome:
    """The meta viewport does not block zoom: no ``user-scalable=no``, ``maximum-scale`` ≥ 2
    (WCAG 1.4.4; ACT b4f0c3). A page whose viewport says nothing of zoom allows zoom: it is
    inapplicable to the ACT rule but counts as a pass here."""
    subject = Subject(
        t("cho phép phóng to (meta viewport)", "zoom (meta viewport)"),
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
    )
    return _run(art, p, subject, *_zoom(p))


def _viewport(p: EvidenceParams) -> tuple[SiteRule, ...]:
    return (SiteRule(viewport.viewport_width),)


@check("mobile_viewport", params=EvidenceParams, requires=("pages",), reads=(site_read(_viewport),))
def mobile_viewport(art: Artifacts, p: EvidenceParams) -> Outcome:
    """Every page declares a mobile viewport (``width=device-width``, or ``initial-scale``
    without a fixed width)."""
    subject = Subject(
        t("thẻ meta viewport cho di động", "mobile meta viewport"),
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
    )
    return _run(art, p, subject, *_viewport(p))


def _plugins(p: EvidenceParams) -> tuple[SiteRule, ...]:
    return (SiteRule(viewport.plugins),)


@check(
    "mobile_no_plugins", params=EvidenceParams, requires=("pages",), reads=(site_read(_plugins),)
)
def mobile_no_plugins(art: Artifacts, p: EvidenceParams) -> Outcome:
    """No Flash, Java applets or other plugins; other ``<object>``/``<embed>`` content warns."""
    subject = Subject(
        t("nội dung nhúng cần trình cắm", "embedded plugin content"),
        "<video>, <audio>, <img> hoặc HTML thay cho Flash/applet",
    )
    return _run(art, p, subject, *_plugins(p))


class FixedWidthParams(EvidenceParams):
    """The widest fixed page width allowed, in CSS pixels, and whether a wider one is only a
    hint (``warn``, as TT 32/2017 Đ17 is read: the viewport rule carries the obligation)."""

    max_px: int = Field(default=viewport.FIXED_WIDTH_PX, ge=320)
    hint: bool = True


def _fixed_width(p: FixedWidthParams) -> tuple[SiteRule, ...]:
    return (SiteRule(partial(viewport.fixed_width, max_px=p.max_px)),)


@check(
    "mobile_fixed_width",
    params=FixedWidthParams,
    requires=("pages",),
    reads=(site_read(_fixed_width),),
)
def mobile_fixed_width(art: Artifacts, p: FixedWidthParams) -> Outcome:
    """The page layout (``body`` or the element holding most of the text) has no fixed width
    over ``max_px`` in inline styles, ``width`` attributes or top-level ``<style>`` rules."""
    subject = Subject(
        t("chiều rộng bố cục trang", "page layout width"),
        f"chiều rộng co giãn (max-width, %), không cố định trên {p.max_px}px",
    )
    outcome = _run(art, p, subject, *_fixed_width(p))
    if p.hint and outcome.status == "fail":
        return outcome.model_copy(update={"status": "warn"})
    return outcome
