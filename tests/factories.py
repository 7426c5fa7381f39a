"""Builders of pages and artifacts for unit tests of check primitives."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from auditor.artifacts import Artifacts
from auditor.checks.registry import all_checks
from auditor.models import Agency, Outcome, PageSnapshot, Registry, TransportProbe
from auditor.page import Page
from auditor.rules.checktree import CheckCall
from auditor.rules.engine import run_check

AGENCY = Agency(name="Ủy ban nhân dân tỉnh Sóc Trăng", level="province", domain="soctrang.gov.vn")


def page(url: str, html: str, status: int = 200, charset: str | None = "utf-8") -> Page:
    """A fetched HTML page."""
    ctype = "text/html" + (f"; charset={charset}" if charset else "")
    return Page(
        PageSnapshot(
            url=url,
            final_url=url,
            status=status,
            headers=(("content-type", ctype),),
            body=html.encode(charset or "utf-8"),
            declared_encoding=charset,
            detected_encoding=charset or "utf-8",
        )
    )


def art(
    *pages: Page,
    agency: Agency = AGENCY,
    https: TransportProbe | None = None,
    http: TransportProbe | None = None,
    failed: tuple[PageSnapshot, ...] = (),
    registry: Registry | None = None,
    as_of: date = date(2026, 11, 20),
) -> Artifacts:
    """Artifacts of one site made of ``pages`` (the first is the home page)."""
    return Artifacts(
        agency=agency,
        as_of=as_of,
        start_url=f"https://{agency.domain}/",
        pages=tuple(pages),
        failed=failed,
        https=https,
        http=http,
        registry=registry,
    )


def judged(fn: Callable[[Artifacts, Any], Outcome], site: Artifacts, params: Any) -> Outcome:
    """``fn``'s outcome as the engine gives it: its declared inputs are checked first (a
    missing home page is the standard "could not be judged" error, without calling it)."""
    spec = next(s for s in all_checks().values() if s.fn is fn)
    return run_check(CheckCall(name=spec.name, params=params, fn=fn), site)
