"""Builders of pages and artifacts for unit tests of check primitives."""

from __future__ import annotations

from datetime import date

from auditor.artifacts import Artifacts
from auditor.models import Agency, PageSnapshot, Registry, TransportProbe
from auditor.page import Page

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
