"""Header, footer and metadata (TT 32/2017 Đ16 k3; NĐ 43/2011 Đ10 k1, Đ14; TT 24/2011)."""

from __future__ import annotations

import re

from auditor.checks.registry import NoParams, Params, check
from auditor.gather.artifacts import Artifacts
from auditor.gather.page import Page, collapse
from auditor.models import Evidence, Outcome, t
from auditor.text.fold import fold, fold_words

# Vietnamese phone numbers: 0xxx xxx xxx, (0299) 3822 345, +84 299 3822 345, 1900 xxxx.
_PHONE = re.compile(
    r"(?:\+84|\(0\d{2,3}\)|\b0\d{1,3})[\s.\-]?\d{3,4}[\s.\-]?\d{3,4}\b|\b1[89]00[\s.]?\d{4}\b"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

FOOTER_FIELDS: dict[str, tuple[tuple[str, ...], str, str]] = {
    # field: (folded labels, vi name, en name)
    "owner": (
        ("co quan chu quan", "don vi chu quan", "co quan quan ly"),
        "cơ quan chủ quản",
        "owner agency",
    ),
    "responsible": (
        ("chiu trach nhiem", "trach nhiem chinh", "nguoi chiu trach nhiem", "truong ban bien tap"),
        "người chịu trách nhiệm",
        "person responsible",
    ),
    "address": (("dia chi", "tru so"), "địa chỉ", "address"),
}


def footer_text(page: Page) -> str:
    """Text of the page footer (``<footer>``/``[role=contentinfo]``, else the last 600 chars)."""
    nodes = page.tree.css("footer, [role=contentinfo], #footer, .footer")
    if nodes:
        return collapse(" ".join(n.text(separator=" ") for n in nodes))
    return page.text[-600:]


@check("footer_contacts")
def footer_contacts(art: Artifacts, p: NoParams) -> Outcome:
    """The home page footer names the owner agency, person responsible, address, phone, email."""
    home = art.home
    if home is None:
        return Outcome(
            status="error",
            evidence=(
                Evidence(
                    url=art.start_url,
                    detail=t("Không tải được trang chủ.", "The home page could not be fetched."),
                ),
            ),
        )
    text = footer_text(home)
    folded = fold(text)
    missing: list[tuple[str, str]] = []
    for labels, vi, en in FOOTER_FIELDS.values():
        if not any(label in folded for label in labels):
            missing.append((vi, en))
    phone = _PHONE.search(text)
    email = _EMAIL.search(text)
    if phone is None:
        missing.append(("điện thoại", "phone"))
    if email is None:
        missing.append(("thư điện tử", "email"))
    snippet = text[:300]
    if missing:
        return Outcome(
            status="fail",
            evidence=(
                Evidence(
                    url=home.url,
                    detail=t(
                        "Chân trang thiếu: " + ", ".join(m[0] for m in missing) + ".",
                        "The footer lacks: " + ", ".join(m[1] for m in missing) + ".",
                    ),
                    expected="cơ quan chủ quản, người chịu trách nhiệm, địa chỉ, điện thoại, email",
                    snippet=snippet,
                ),
            ),
        )
    return Outcome(
        status="pass",
        evidence=(
            Evidence(
                url=home.url,
                detail=t(
                    "Chân trang có đủ thông tin liên hệ.", "The footer has every contact field."
                ),
                found=f"{phone.group(0) if phone else ''}; {email.group(0) if email else ''}",
                snippet=snippet,
            ),
        ),
    )


@check("header_agency_name")
def header_agency_name(art: Artifacts, p: NoParams) -> Outcome:
    """The agency's full name is at the top of the home page (header, title or first heading)."""
    home = art.home
    if home is None:
        return Outcome(
            status="error",
            evidence=(
                Evidence(
                    url=art.start_url,
                    detail=t("Không tải được trang chủ.", "The home page could not be fetched."),
                ),
            ),
        )
    if "name" in art.agency.guessed:
        return Outcome(
            status="manual",
            evidence=(
                Evidence(
                    url=home.url,
                    detail=t(
                        "Chưa biết tên cơ quan (không có trong danh sách): "
                        "dùng --registry hoặc --name.",
                        "The agency's name is unknown (not in a registry): "
                        "use --registry or --name.",
                    ),
                    found=home.title[:200] or None,
                ),
            ),
        )
    nodes = home.tree.css("header, [role=banner], #header, .header, h1")
    top = " ".join(n.text(separator=" ") for n in nodes) + " " + home.title
    name = fold_words(art.agency.name)
    if name and name in fold_words(top):
        return Outcome(
            status="pass",
            evidence=(
                Evidence(
                    url=home.url,
                    detail=t(
                        "Đầu trang có tên đầy đủ của cơ quan.",
                        "The header shows the agency's full name.",
                    ),
                    found=art.agency.name,
                ),
            ),
        )
    return Outcome(
        status="fail",
        evidence=(
            Evidence(
                url=home.url,
                detail=t(
                    "Đầu trang không có tên đầy đủ của cơ quan.",
                    "The header does not show the agency's full name.",
                ),
                expected=art.agency.name,
                found=collapse(top)[:200],
            ),
        ),
    )


DC_MANDATORY = (
    "DC.title",
    "DC.creator",
    "DC.date",
    "DC.description",
    "DC.publisher",
    "DC.identifier",
)


class DublinCoreParams(Params):
    """Mandatory Dublin Core elements and the share of pages that must carry them."""

    elements: tuple[str, ...] = DC_MANDATORY
    min_ratio: float = 0.8


def _dc(page: Page) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in page.tree.css("meta[name]"):
        name = (node.attributes.get("name") or "").strip()
        if name.lower().startswith(("dc.", "dcterms.")):
            key = "DC." + name.split(".", 1)[1].lower()
            out.setdefault(key, (node.attributes.get("content") or "").strip())
    return out


@check("dublin_core", params=DublinCoreParams)
def dublin_core(art: Artifacts, p: DublinCoreParams) -> Outcome:
    """Pages carry the mandatory Dublin Core ``<meta>`` elements, non-empty."""
    if not art.pages:
        return Outcome(
            status="error",
            evidence=(
                Evidence(
                    url=art.start_url, detail=t("Không có trang nào để xét.", "No page to examine.")
                ),
            ),
        )
    bad: list[Evidence] = []
    for page in art.pages:
        found = _dc(page)
        missing = [e for e in p.elements if not found.get("DC." + e.split(".", 1)[1].lower())]
        if missing:
            bad.append(
                Evidence(
                    url=page.url,
                    detail=t(
                        "Thiếu phần tử Dublin Core: " + ", ".join(missing),
                        "Missing Dublin Core elements: " + ", ".join(missing),
                    ),
                    expected=", ".join(p.elements),
                    found=", ".join(sorted(found)) or "-",
                )
            )
    total = len(art.pages)
    ratio = (total - len(bad)) / total
    summary = Evidence(
        detail=t(
            f"{total - len(bad)}/{total} trang có đủ siêu dữ liệu bắt buộc.",
            f"{total - len(bad)}/{total} pages carry the mandatory metadata.",
        ),
        expected=f">= {p.min_ratio:.0%}",
        found=f"{ratio:.0%}",
    )
    status = "pass" if ratio >= p.min_ratio else "fail"
    return Outcome(status=status, evidence=(summary, *bad[:10]))
