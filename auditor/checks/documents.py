"""Legal documents listing (Quảng Ninh Đ14 k1, Đ16–Đ19 k1; NĐ 43/2011 Đ10 k1 e; NĐ 42/2022 Đ4):
record fields, a downloadable file per record, a search tool on the listing."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from auditor.artifacts import Artifacts, FileProbe, host_of
from auditor.checks.registry import Params, check
from auditor.locate.documents import (
    DOC_EXTENSIONS,
    DOCUMENT_NUMBER,
    Listing,
    content_tree,
    file_links,
    find_listing,
    listing_candidates,
    read_listing_candidates,
)
from auditor.models import Evidence, Outcome, Status, status_broken, status_observed, t
from auditor.page import Page, collapse
from auditor.sections import load_catalogue
from auditor.text.fold import fold_words

# field id: (folded labels, vi name, en name)
DOCUMENT_FIELDS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "type": (
        ("loai van ban", "hinh thuc van ban", "hinh thuc", "the loai", "loai"),
        "loại văn bản",
        "document type",
    ),
    "authority": (
        ("co quan ban hanh", "noi ban hanh", "don vi ban hanh", "cap ban hanh", "co quan"),
        "cơ quan ban hành",
        "issuing authority",
    ),
    "number": (("so ky hieu", "so hieu", "ky hieu", "so van ban"), "số, ký hiệu", "number"),
    "issued": (
        ("ngay ban hanh", "ngay ky", "ban hanh ngay", "ngay van ban"),
        "ngày ban hành",
        "issue date",
    ),
    "effective": (
        ("ngay hieu luc", "ngay co hieu luc", "hieu luc"),
        "ngày hiệu lực",
        "effective date",
    ),
    "summary": (("trich yeu", "tom tat", "noi dung", "ten van ban"), "trích yếu", "summary"),
}
# Project records (NĐ 43/2011 Đ10 k1 h; Lâm Đồng Đ7 k15): field id: (folded labels, vi, en)
PROJECT_FIELDS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "name": (("ten du an", "du an", "ten cong trinh"), "tên dự án", "project name"),
    "goal": (("muc tieu", "muc dich"), "mục tiêu", "goal"),
    "field": (("linh vuc", "nganh"), "lĩnh vực", "field"),
    "type": (("loai du an", "nhom du an", "loai hinh", "hinh thuc dau tu"), "loại dự án", "type"),
    "duration": (
        ("thoi gian thuc hien", "thoi gian", "tien do", "thoi han"),
        "thời gian thực hiện",
        "duration",
    ),
    "budget": (
        ("tong muc dau tu", "kinh phi", "tong von", "quy mo von", "von dau tu", "gia tri"),
        "kinh phí",
        "budget",
    ),
    "funding": (("nguon von", "hinh thuc tai tro", "loai von"), "nguồn vốn", "funding type"),
    "donor": (("nha tai tro", "don vi tai tro"), "nhà tài trợ", "donor"),
    "status": (("tinh trang", "trang thai", "giai doan"), "tình trạng", "status"),
}
PROJECT_CORE = ("name", "field", "duration", "budget", "funding", "status")
_LABEL_NODES = "th, dt, label, strong, b, td, span, caption, .label, .title"
_MAX_LABEL_WORDS = 6
DOC_TYPES = (
    "application/pdf",
    "application/msword",
    "application/rtf",
    "application/vnd.openxmlformats-officedocument.",
    "application/vnd.oasis.opendocument.",
    "application/vnd.ms-excel",
    "application/zip",
    "application/x-zip-compressed",
    "application/x-rar-compressed",
    "application/vnd.rar",
)
_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"{\\rtf", b"Rar!")
_TEXT_INPUTS = frozenset({"", "text", "search"})


def _label_texts(page: Page) -> list[str]:
    out: list[str] = []
    for node in content_tree(page).css(_LABEL_NODES):
        words = fold_words(node.text(separator=" "))
        if words and len(words.split()) <= _MAX_LABEL_WORDS:
            out.append(f" {words} ")
    return out


def fields_shown(
    pages: list[Page], catalogue: dict[str, tuple[tuple[str, ...], str, str]] = DOCUMENT_FIELDS
) -> dict[str, str]:
    """The record fields of ``catalogue`` that ``pages`` label (field id → the label seen); a
    document number written in the records counts for ``number`` even without a label."""
    found: dict[str, str] = {}
    for page in pages:
        labels = _label_texts(page)
        for field_id, (names, _vi, _en) in catalogue.items():
            if field_id in found:
                continue
            for name in names:
                hit = next((lab for lab in labels if f" {name} " in lab), None)
                if hit is not None:
                    found[field_id] = hit.strip()
                    break
        if "number" in catalogue and "number" not in found:
            number = DOCUMENT_NUMBER.search(page.main_text)
            if number is not None:
                found["number"] = number.group(0)
    return found


def listing_search_form(page: Page) -> str | None:
    """The search or filter form of the listing's own content (site-wide header forms do not
    count): a description of it, or ``None``."""
    for form in content_tree(page).css("form"):
        for field in form.css("input, select"):
            kind = (field.attributes.get("type") or "").lower()
            if field.tag == "select" or kind in _TEXT_INPUTS:
                label = collapse(form.text(separator=" "))[:80]
                return f"<form action={form.attributes.get('action') or ''!r}> {label}".strip()
    return None


def is_document_file(probe: FileProbe) -> bool:
    """Whether a fetched file link gave a document: HTTP 200 and a document media type (or
    a generic binary type with a document's signature)."""
    if probe.status != 200:
        return False
    if probe.content_type.startswith(DOC_TYPES):
        return True
    return probe.content_type in ("application/octet-stream", "binary/octet-stream", "") and (
        probe.magic.startswith(_MAGIC)
    )


class DocumentsParams(Params):
    """What a documents listing must show."""

    section: str = "legal_documents"
    fields: tuple[str, ...] = tuple(DOCUMENT_FIELDS)
    require_file: bool = True
    require_search: bool = True
    min_records: int = 1

    @field_validator("fields")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [f for f in value if f not in DOCUMENT_FIELDS]
        if unknown:
            raise ValueError(f"unknown field(s) {unknown}; known: {sorted(DOCUMENT_FIELDS)}")
        return value

    @field_validator("section")
    @classmethod
    def _section(cls, value: str) -> str:
        if value not in load_catalogue().sections:
            raise ValueError(f"unknown section {value!r}")
        return value


def _no_listing(art: Artifacts, p: DocumentsParams) -> Outcome:
    home = art.home
    assert home is not None
    section = load_catalogue().sections[p.section]
    candidates = listing_candidates(art, p.section)
    if not candidates:
        return Outcome(
            status="fail",
            evidence=(
                Evidence(
                    url=home.url,
                    detail=t(
                        f"Trang chủ không liên kết tới danh sách «{section.name.vi}».",
                        f"The home page links no «{section.name.en}» listing.",
                    ),
                    expected=", ".join(section.labels[:4]),
                ),
            ),
        )
    link = candidates[0]
    failed = art.failed_fetch(link.url)
    if failed is not None and status_broken(failed.status):
        status: Status = "fail"
        why = t(f"hỏng (HTTP {failed.status})", f"broken (HTTP {failed.status})")
    elif not art.in_scope(link.url):
        status = "error"
        why = t(
            f"nằm ngoài cổng ({host_of(link.url)}), không xét được",
            f"outside the portal ({host_of(link.url)}), not examined",
        )
    else:
        status = "error"
        why = t("không tải được", "could not be fetched")
    return Outcome(
        status=status,
        evidence=(
            Evidence(
                url=link.url,
                detail=t(
                    f"Danh sách «{link.text}» {why.vi}.", f"The listing «{link.text}» is {why.en}."
                ),
                found=failed.why_not_seen if failed is not None else None,
            ),
        ),
    )


def _file_part(art: Artifacts, listing: Listing) -> tuple[Status, Evidence]:
    links = file_links(listing.page)
    if not links:
        return "fail", Evidence(
            url=listing.page.url,
            detail=t(
                "Danh sách văn bản không có tệp để tải về.",
                "The documents listing offers no file to download.",
            ),
            expected=", ".join(DOC_EXTENSIONS[:4]),
        )
    probes = [pr for pr in art.doc_files if pr.listing_url == listing.page.url] or list(
        art.doc_files
    )
    if not probes:
        return "error", Evidence(
            url=links[0].url,
            detail=t(
                "Có liên kết tệp nhưng chưa tải thử (không có dữ liệu thu thập).",
                "File links exist, but none was fetched (nothing gathered).",
            ),
        )
    good = next((pr for pr in probes if is_document_file(pr)), None)
    if good is not None:
        return "pass", Evidence(
            url=good.url,
            detail=t(
                f"Tệp «{good.link_text}» tải được (HTTP 200, {good.content_type}).",
                f"The file «{good.link_text}» downloads (HTTP 200, {good.content_type}).",
            ),
            found=f"{good.content_type}, {good.size} B",
        )
    answered = [pr for pr in probes if status_observed(pr.status)]
    if not answered:
        first = probes[0]
        return "error", Evidence(
            url=first.url,
            detail=t("Không tải được tệp văn bản.", "The document file could not be fetched."),
            found=first.error,
        )
    bad = answered[0]
    return "fail", Evidence(
        url=bad.url,
        detail=t(
            f"Tệp «{bad.link_text}» không tải được như một văn bản "
            f"(HTTP {bad.status}, {bad.content_type or '?'}).",
            f"The file «{bad.link_text}» does not download as a document "
            f"(HTTP {bad.status}, {bad.content_type or '?'}).",
        ),
        expected="200, application/pdf | msword | openxml | opendocument",
        found=f"{bad.status}, {bad.content_type or '?'}",
    )


def _read_listing(art: Artifacts, page: Page, p: DocumentsParams) -> None:
    read_listing_candidates(art, page, p.section)


def _read_project_listings(art: Artifacts, page: Page, p: ProjectsParams) -> None:
    for section_id in p.sections:
        read_listing_candidates(art, page, section_id)


@check(
    "documents_listing",
    params=DocumentsParams,
    requires=("home", "doc_files"),
    reads=(_read_listing,),
)
def documents_listing(art: Artifacts, p: DocumentsParams) -> Outcome:
    """The documents listing linked from the home page shows, per record, the type, issuing
    authority, number, issue and effective dates and summary, links a downloadable file, and
    has its own search form."""
    listing = find_listing(art, p.section)
    if listing is None:
        return _no_listing(art, p)
    page = listing.page
    parts: list[tuple[Status, Evidence]] = []
    seen_at = Evidence(
        url=page.url,
        detail=t(
            f"Danh sách «{listing.link.text}»: {listing.records} văn bản.",
            f"Listing «{listing.link.text}»: {listing.records} records.",
        ),
        expected=f">= {p.min_records}",
        found=str(listing.records),
    )
    parts.append(("pass" if listing.records >= p.min_records else "fail", seen_at))
    details = [
        pg
        for pg in (art.page(lk.url) for lk in page.links if art.in_scope(lk.url))
        if pg is not None and pg is not page and pg.url.startswith(page.url.rstrip("/") + "/")
    ]
    shown = fields_shown([page, *details[:5]])
    missing = [f for f in p.fields if f not in shown]
    names = DOCUMENT_FIELDS
    if missing:
        parts.append(
            (
                "fail",
                Evidence(
                    url=page.url,
                    detail=t(
                        "Văn bản thiếu thông tin: " + ", ".join(names[f][1] for f in missing) + ".",
                        "Records lack: " + ", ".join(names[f][2] for f in missing) + ".",
                    ),
                    expected=", ".join(names[f][1] for f in p.fields),
                    found=", ".join(shown.values()) or None,
                ),
            )
        )
    else:
        parts.append(
            (
                "pass",
                Evidence(
                    url=page.url,
                    detail=t(
                        "Văn bản ghi đủ: " + ", ".join(names[f][1] for f in p.fields) + ".",
                        "Records show: " + ", ".join(names[f][2] for f in p.fields) + ".",
                    ),
                    found=", ".join(shown[f] for f in p.fields),
                ),
            )
        )
    if p.require_file:
        parts.append(_file_part(art, listing))
    if p.require_search:
        form = listing_search_form(page)
        parts.append(
            (
                "pass" if form else "fail",
                Evidence(
                    url=page.url,
                    detail=t(
                        "Danh sách có công cụ tìm kiếm văn bản."
                        if form
                        else "Danh sách văn bản không có công cụ tìm kiếm.",
                        "The listing has a document search form."
                        if form
                        else "The documents listing has no search form.",
                    ),
                    found=form,
                ),
            )
        )
    statuses = {s for s, _ in parts}
    status: Status = "fail" if "fail" in statuses else "error" if "error" in statuses else "pass"
    ordered = sorted(parts, key=lambda se: {"fail": 0, "error": 1}.get(se[0], 2))
    return Outcome(status=status, evidence=tuple(e for _, e in ordered))


class ProjectsParams(Params):
    """What a project listing should show (a hint by default: missing fields ``warn``)."""

    sections: tuple[str, ...] = ("projects", "investment")
    fields: tuple[str, ...] = PROJECT_CORE
    missing_status: Literal["warn", "fail"] = "warn"

    @field_validator("fields")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [f for f in value if f not in PROJECT_FIELDS]
        if unknown:
            raise ValueError(f"unknown field(s) {unknown}; known: {sorted(PROJECT_FIELDS)}")
        return value

    @field_validator("sections")
    @classmethod
    def _sections(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [v for v in value if v not in load_catalogue().sections]
        if unknown:
            raise ValueError(f"unknown section(s) {unknown}")
        return value


@check(
    "projects_listing", params=ProjectsParams, requires=("home",), reads=(_read_project_listings,)
)
def projects_listing(art: Artifacts, p: ProjectsParams) -> Outcome:
    """The project listing linked from the home page labels each record's name, field,
    duration, budget, funding type and status (and goal, type, donor when asked)."""
    home = art.home_page
    listings = [lst for lst in (find_listing(art, sid) for sid in p.sections) if lst is not None]
    if not listings:
        return Outcome(
            status=p.missing_status,
            evidence=(
                Evidence(
                    url=home.url,
                    detail=t(
                        "Không tìm thấy danh mục dự án liên kết từ trang chủ.",
                        "No project listing linked from the home page was found.",
                    ),
                    expected=", ".join(
                        load_catalogue().sections[sid].labels[0] for sid in p.sections
                    ),
                ),
            ),
        )
    scored = [(lst, fields_shown([lst.page], PROJECT_FIELDS)) for lst in listings]
    listing, shown = max(scored, key=lambda ls: len([f for f in p.fields if f in ls[1]]))
    missing = [f for f in p.fields if f not in shown]
    names = PROJECT_FIELDS
    if missing or listing.records == 0:
        lacking = [names[f][1] for f in missing] or ["bản ghi/records"]
        return Outcome(
            status=p.missing_status,
            evidence=(
                Evidence(
                    url=listing.page.url,
                    detail=t(
                        f"Danh mục dự án «{listing.link.text}» thiếu: " + ", ".join(lacking) + ".",
                        f"The project listing «{listing.link.text}» lacks: "
                        + ", ".join(names[f][2] for f in missing or ())
                        + ("" if missing else "records")
                        + ".",
                    ),
                    expected=", ".join(names[f][1] for f in p.fields),
                    found=", ".join(shown.values()) or None,
                ),
            ),
        )
    return Outcome(
        status="pass",
        evidence=(
            Evidence(
                url=listing.page.url,
                detail=t(
                    f"Danh mục dự án «{listing.link.text}» ({listing.records} dự án) ghi đủ: "
                    + ", ".join(names[f][1] for f in p.fields)
                    + ".",
                    f"The project listing «{listing.link.text}» ({listing.records} projects) "
                    "shows: " + ", ".join(names[f][2] for f in p.fields) + ".",
                ),
                found=", ".join(shown[f] for f in p.fields),
            ),
        ),
    )
