"""Mandatory sections and links to national and subordinate portals (Sóc Trăng Đ10–Đ12, Đ16)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field, field_validator

from auditor.artifacts import Artifacts, host_of
from auditor.checks.registry import NoParams, Params, check
from auditor.hostnames import on_site
from auditor.locate.sections import home_section_links, linked_section_pages
from auditor.models import Evidence, Outcome, Status, normalise_host, status_broken, t
from auditor.page import Link, Page, read_once
from auditor.sections import Section, host_matches, load_catalogue
from auditor.text.fold import fold_words

_PLACEHOLDERS = (
    "dang cap nhat",
    "dang duoc cap nhat",
    "dang xay dung",
    "dang hoan thien",
    "chua co du lieu",
    "khong co du lieu",
    "chua co thong tin",
    "chua co noi dung",
    "chua co van ban",
    "chua co tin",
    "khong co ban ghi",
    "khong tim thay",
    "lorem ipsum",
    "under construction",
    "coming soon",
    "no data",
)
_DOCUMENT_TYPES = ("application/pdf", "application/msword", "application/vnd.")


class SectionsParams(Params):
    """Sections (ids of ``rules/sections.yaml``) that must be reachable from the home page."""

    sections: tuple[str, ...]
    min_words: int = 40  # words of main content for a section page to count
    allowed_hosts: tuple[str, ...] = ()  # more systems that satisfy the sections (and subdomains)
    # section id -> systems the pack's regulation names for it (set by the loader from
    # ``pack.systems``; the province's own public-service portal…)
    systems: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @field_validator("sections")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        known = load_catalogue().sections
        unknown = [s for s in value if s not in known]
        if unknown:
            raise ValueError(f"unknown section(s) {unknown}; known: {sorted(known)}")
        return value


@dataclass(frozen=True)
class _Verdict:
    status: Status  # pass (found), fail (missing or empty), error (could not verify)
    evidence: Evidence


@read_once
def _empty_list(page: Page) -> bool:
    """Whether the main content lists nothing: its tables have header cells but no data cell."""
    tables = page.tree.css("main table, [role=main] table, article table")
    return bool(tables) and all(tbl.css("th") and not tbl.css("td") for tbl in tables)


def _judge_target(
    art: Artifacts,
    link: Link,
    why: str,
    section: Section,
    min_words: int,
    allowed_hosts: tuple[str, ...] = (),
) -> _Verdict:
    name = section.name
    host = host_of(link.url)
    seen = t(f"mục «{link.text}» (khớp {why})", f"section «{link.text}» (matched {why})")
    if host_matches(host, section.external_hosts + allowed_hosts):
        return _Verdict(
            "pass",
            Evidence(
                url=link.url,
                detail=t(
                    f"{name.vi}: {seen.vi} liên kết tới hệ thống được công nhận {host}.",
                    f"{name.en}: {seen.en} links to the recognised system {host}.",
                ),
                found=link.text,
            ),
        )
    if not art.in_scope(link.url):
        state = host.endswith(".gov.vn") or host == "gov.vn"
        return _Verdict(
            "error" if state else "fail",
            Evidence(
                url=link.url,
                detail=t(
                    f"{name.vi}: {seen.vi} dẫn ra ngoài cổng, tới {host}"
                    + (
                        " (cổng nhà nước khác, không xét được; khai báo trong systems của bộ "
                        "quy tắc hoặc allowed_hosts nếu là hệ thống chính thức)."
                        if state
                        else ", không phải hệ thống nhà nước được công nhận."
                    ),
                    f"{name.en}: {seen.en} leads off the portal to {host}"
                    + (
                        " (another state site, not examined; list it under the pack's systems "
                        "or allowed_hosts if it is the official system)."
                        if state
                        else ", which is not a recognised state system."
                    ),
                ),
                expected=art.agency.domain,
                found=host,
            ),
        )
    page = art.page(link.url)
    if page is None:
        failed = art.failed_fetch(link.url)
        if (
            failed is not None
            and failed.status == 200
            and failed.content_type.startswith(_DOCUMENT_TYPES)
        ):
            return _Verdict(
                "pass",
                Evidence(
                    url=link.url,
                    detail=t(
                        f"{name.vi}: {seen.vi} mở một tệp văn bản ({failed.content_type}).",
                        f"{name.en}: {seen.en} opens a document ({failed.content_type}).",
                    ),
                    found=link.text,
                ),
            )
        if failed is not None and status_broken(failed.status):
            return _Verdict(
                "fail",
                Evidence(
                    url=link.url,
                    detail=t(
                        f"{name.vi}: liên kết «{link.text}» hỏng (HTTP {failed.status}).",
                        f"{name.en}: link «{link.text}» is broken (HTTP {failed.status}).",
                    ),
                    found=str(failed.status),
                ),
            )
        cause = failed.why_not_seen if failed is not None else None
        return _Verdict(
            "error",
            Evidence(
                url=link.url,
                detail=t(
                    f"{name.vi}: không tải được trang để xác minh.",
                    f"{name.en}: the page could not be fetched to verify it.",
                ),
                found=cause,
            ),
        )
    home = art.home
    home_urls = {home.url.rstrip("/"), home.snapshot.url.rstrip("/")} if home else set()
    if page.url.rstrip("/") in home_urls and link.url.rstrip("/") not in home_urls:
        return _Verdict(
            "fail",
            Evidence(
                url=link.url,
                detail=t(
                    f"{name.vi}: {seen.vi} chỉ chuyển về trang chủ.",
                    f"{name.en}: {seen.en} only leads back to the home page.",
                ),
                found=page.url,
            ),
        )
    words = fold_words(page.main_text).split()
    folded = f" {' '.join(words)} "
    placeholder = next((p for p in _PLACEHOLDERS if f" {p} " in folded), None)
    empty = _empty_list(page)
    if len(words) < min_words or (placeholder and len(words) < 2 * min_words) or empty:
        reason = (
            f"«{placeholder}»"
            if placeholder
            else "danh sách trống/empty list"
            if empty
            else f"{len(words)} từ/words"
        )
        return _Verdict(
            "fail",
            Evidence(
                url=page.url,
                detail=t(
                    f"{name.vi}: {seen.vi} nhưng trang gần như trống ({reason}).",
                    f"{name.en}: {seen.en}, but the page is almost empty ({reason}).",
                ),
                expected=f">= {min_words} từ/words",
                found=str(len(words)),
                snippet=page.main_text[:200] or None,
            ),
        )
    return _Verdict(
        "pass",
        Evidence(
            url=page.url,
            detail=t(
                f"{name.vi}: có {seen.vi}, trang có {len(words)} từ nội dung.",
                f"{name.en}: {seen.en} found, its page has {len(words)} words of content.",
            ),
            found=link.text,
        ),
    )


def judge_section(
    art: Artifacts, section_id: str, min_words: int, allowed_hosts: tuple[str, ...] = ()
) -> _Verdict:
    """Find one section from the home page and check that its page is real."""
    section = load_catalogue().sections[section_id]
    home = art.home
    assert home is not None
    candidates = home_section_links(art, section_id)
    if not candidates:
        return _Verdict(
            "fail",
            Evidence(
                url=home.url,
                detail=t(
                    f"Không tìm thấy mục «{section.name.vi}» trên trang chủ.",
                    f"No «{section.name.en}» section linked from the home page.",
                ),
                expected=", ".join(section.labels[:4]),
            ),
        )
    verdicts = [
        _judge_target(art, link, why, section, min_words, allowed_hosts)
        for link, why in candidates[:4]
    ]
    for wanted in ("pass", "error", "fail"):
        for verdict in verdicts:
            if verdict.status == wanted:
                return verdict
    return verdicts[0]


def _read_section_page(art: Artifacts, page: Page, p: SectionsParams) -> None:
    """What :func:`sections_present` reads of a section's page (:func:`judge_section`): its
    main text, whether it lists nothing."""
    if any(id(page) in linked_section_pages(art, sid) for sid in p.sections):
        page.main_text  # noqa: B018 (cached)
        _empty_list(page)


@check("sections_present", params=SectionsParams, requires=("home",), reads=(_read_section_page,))
def sections_present(art: Artifacts, p: SectionsParams) -> Outcome:
    """Each listed section is linked from the home page and its page has real content."""
    verdicts = [
        judge_section(art, sid, p.min_words, p.allowed_hosts + p.systems.get(sid, ()))
        for sid in p.sections
    ]
    statuses = {v.status for v in verdicts}
    status: Status = "fail" if "fail" in statuses else "error" if "error" in statuses else "pass"
    ordered = sorted(verdicts, key=lambda v: {"fail": 0, "error": 1, "pass": 2}[v.status])
    return Outcome(status=status, evidence=tuple(v.evidence for v in ordered))


class LinksToHostsParams(Params):
    """Hosts of which at least one must be linked from the home page."""

    hosts: tuple[str, ...]


@check("links_to_hosts", params=LinksToHostsParams, requires=("home",))
def links_to_hosts(art: Artifacts, p: LinksToHostsParams) -> Outcome:
    """The home page links to one of the given national systems (or a subdomain of one)."""
    found = [lk for lk in art.home_page.links if host_matches(host_of(lk.url), p.hosts)]
    if found:
        return Outcome(
            status="pass",
            evidence=tuple(
                Evidence(
                    url=lk.url,
                    detail=t(f"Có liên kết tới {host_of(lk.url)}.", f"Links to {host_of(lk.url)}."),
                    found=lk.text or lk.url,
                )
                for lk in found[:5]
            ),
        )
    return Outcome(
        status="fail",
        evidence=(
            Evidence(
                url=art.home_page.url,
                detail=t(
                    "Trang chủ không liên kết tới hệ thống yêu cầu.",
                    "The home page does not link to the required system.",
                ),
                expected=" | ".join(p.hosts),
            ),
        ),
    )


def _read_links(art: Artifacts, page: Page, p: NoParams) -> None:
    """What :func:`links_to_children` reads of each page: its links, when the registry lists
    children of the agency."""
    registry = art.registry
    address = art.agency.address
    if art.remember(
        ("has children", address),
        lambda: registry is not None and bool(registry.children_of(address)),
    ):
        page.links  # noqa: B018 (cached)


@check("links_to_children", absence=True, requires=("home",), reads=(_read_links,))
def links_to_children(art: Artifacts, p: NoParams) -> Outcome:
    """The portal links to every registered child portal (parent = this agency)."""
    if art.registry is None:
        return Outcome(
            status="not_applicable",
            evidence=(
                Evidence(
                    detail=t(
                        "Không có danh sách đơn vị (registry) để đối chiếu.",
                        "No registry to compare against.",
                    )
                ),
            ),
        )
    children = art.registry.children_of(art.agency.address)
    if not children:
        return Outcome(
            status="not_applicable",
            evidence=(
                Evidence(
                    detail=t(
                        "Không có cổng trực thuộc trong danh sách.", "No child portals registered."
                    )
                ),
            ),
        )
    urls = {lk.url for page in art.pages for lk in page.links}
    missing = [  # a path-based child is linked only by a link under its own prefix
        c
        for c in children
        if not any(on_site(url, (normalise_host(c.domain),), c.path) for url in urls)
    ]
    if missing:
        return Outcome(
            status="fail",
            evidence=tuple(
                Evidence(
                    url=art.home_page.url,
                    detail=t(
                        f"Thiếu liên kết tới cổng «{c.name}».",
                        f"No link to the portal of «{c.name}».",
                    ),
                    expected=c.address,
                )
                for c in missing
            ),
        )
    return Outcome(
        status="pass",
        evidence=(
            Evidence(
                url=art.home_page.url,
                detail=t(
                    f"Liên kết tới đủ {len(children)} cổng trực thuộc.",
                    f"Links to all {len(children)} child portals.",
                ),
                found=", ".join(c.address for c in children),
            ),
        ),
    )
