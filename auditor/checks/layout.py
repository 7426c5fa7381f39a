"""Header, footer and metadata (TT 32/2017 Đ16 k3; NĐ 43/2011 Đ10 k1, Đ14; TT 24/2011)."""

from __future__ import annotations

import re
import unicodedata

from selectolax.lexbor import LexborNode

from auditor.artifacts import Artifacts
from auditor.checks.registry import NoParams, Params, check, of_page
from auditor.models import Evidence, Outcome, t
from auditor.page import Page, collapse, read_once
from auditor.text.fold import fold, fold_words

# Vietnamese phone numbers: (0299) 3822 345, 0299.3822.345, 0299 3 822 345, 0912 345 678,
# +84 299 3822 345, (+84) 299 3822345, 1900 1234, 1800.1234. Nine to eleven digits in all.
_PHONE = re.compile(
    r"(?:(?:\(\+84\)|\+84)[\s.\-]?\(?0?\d{1,3}\)?|\(0\d{2,3}\)|(?<![\d/.,])0\d{1,3})"
    r"(?:[\s.\-]?\d){6,8}(?![\d/])"
    r"|(?<!\d)1[89]00[\s.\-]?\d{4}(?:[\s.\-]?\d{2})?(?!\d)"
)
# name@host, also written name[at]host, name(at)host, name [@] host against harvesting
_EMAIL = re.compile(
    r"[\w.+-]+\s?(?:@|\[at\]|\(at\)|\[@\]|\(@\))\s?[\w-]+(?:\.[\w-]+)+", re.IGNORECASE
)
_AT = re.compile(r"\s?(?:\[at\]|\(at\)|\[@\]|\(@\))\s?", re.IGNORECASE)
STATE_EMAIL_SUFFIXES = (".gov.vn",)

FOOTER_FIELDS: dict[str, tuple[tuple[str, ...], str, str]] = {
    # field: (folded labels, vi name, en name)
    "owner": (
        ("co quan chu quan", "don vi chu quan", "co quan quan ly", "chu quan", "co quan chu tri"),
        "cơ quan chủ quản",
        "owner agency",
    ),
    "responsible": (
        (
            "chiu trach nhiem",
            "trach nhiem chinh",
            "nguoi chiu trach nhiem",
            "truong ban bien tap",
            "chiu tn",
        ),
        "người chịu trách nhiệm",
        "person responsible",
    ),
    "address": (("dia chi", "tru so", "d/c:"), "địa chỉ", "address"),
}


_FOOTER = "footer, [role=contentinfo], #footer, .footer"
# How the names of state agencies begin (folded): the owner agency is named in a copyright line
# or in bold, as often as under the label "Cơ quan chủ quản".
_AGENCY_HEADS = (
    "uy ban nhan dan",
    "ubnd",
    "hoi dong nhan dan",
    "hdnd",
    "doan dai bieu quoc hoi",
    "van phong",
    "so",
    "ban quan ly",
    "ban dan toc",
    "ban(?!\\s+(?:quyen|bien\\s+tap|do))",
    "bo",
    "tong cuc",
    "cuc",
    "chi cuc",
    "kho bac nha nuoc",
    "thanh tra",
    "cong an",
    "bo chi huy",
    "tinh uy",
    "thanh uy",
    "huyen uy",
    "dang uy",
    "vien",
    "trung tam",
    "dai phat thanh",
)
_AGENCY_NAME = re.compile(
    r"\b(?:" + "|".join(h.replace(" ", r"\s+") for h in _AGENCY_HEADS) + r")"
    r"(?:\s+[^\W\d_]+){2,8}",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|ban quyen", re.IGNORECASE)
_LEAD = re.compile(  # between a copyright mark and the name: a year or years, "thuộc về", "by"
    r"[\s©:.,\-–|]*(?:(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?)?"
    r"[\s©:.,\-–|]*(?:thuoc\s+ve\s+|thuoc\s+|by\s+|cua\s+)?"
)
_COPYRIGHT_WINDOW = 120  # characters after the copyright mark where the owner is named
_BOLD = "b, strong, h2, h3, h4, h5, h6, .title, .name, [class*=ten-co-quan], [class*=agency]"


def footer_nodes(page: Page) -> list[LexborNode]:
    """The footer elements of ``page`` (``<footer>``, ``[role=contentinfo]``, ``#footer``…)."""
    return list(page.tree.css(_FOOTER))


def _agency_at(text: str, start: int) -> str | None:
    """The agency name beginning at ``start`` of ``text`` (after spaces, a year, "thuộc về"…)."""
    folded = fold(text)
    rest = folded[start : start + _COPYRIGHT_WINDOW]
    lead = _LEAD.match(rest)
    offset = start + (lead.end() if lead else 0)
    found = _AGENCY_NAME.match(folded, offset)
    if found is None or found.start() != offset:
        return None
    return collapse(text[found.start() : found.end()])


def footer_owner(page: Page, text: str, agency_name: str = "") -> str | None:
    """The owner agency as the footer names it without the label "Cơ quan chủ quản": the
    agency's own registered name, an agency name after a copyright mark ("© 2025 Sở Tư pháp
    tỉnh …", "Bản quyền thuộc về UBND …"), or an agency name set in bold or as a heading."""
    folded = fold(text)
    own = " ".join(fold_words(agency_name).split())
    if own and own in " ".join(fold_words(text).split()):
        return agency_name
    for mark in _COPYRIGHT.finditer(folded):
        name = _agency_at(text, mark.end())
        if name is not None:
            return f"{text[mark.start() : mark.end()]} {name}"
    for node in footer_nodes(page):
        for bold in node.css(_BOLD):
            value = collapse(unicodedata.normalize("NFC", bold.text(separator=" ")))
            match = _AGENCY_NAME.match(fold(value))
            if match is not None and match.end() >= len(value.rstrip(" .:")) - 1:
                return value
    return None


def footer_text(page: Page) -> str:
    """Text of the page footer (``<footer>``/``[role=contentinfo]``, else the last 600 chars),
    with the addresses of its ``mailto:`` links."""
    nodes = footer_nodes(page)
    if not nodes:
        return unicodedata.normalize("NFC", page.text[-600:])
    mails = [
        (a.attributes.get("href") or "")[7:].split("?", 1)[0]
        for n in nodes
        for a in n.css('a[href^="mailto:" i]')
    ]
    text = " ".join([*(n.text(separator=" ") for n in nodes), *mails])
    return collapse(unicodedata.normalize("NFC", text))


def footer_email(text: str) -> str | None:
    """The first e-mail address written in ``text`` (``[at]`` spellings normalised)."""
    found = _EMAIL.search(text)
    return _AT.sub("@", found.group(0)).replace(" ", "") if found is not None else None


def footer_phone(text: str) -> str | None:
    """The first Vietnamese phone number written in ``text``."""
    found = _PHONE.search(text)
    return found.group(0).strip() if found is not None else None


def _field_value(text: str, folded: str, labels: tuple[str, ...]) -> str | None:
    """The text after the first of ``labels`` in the footer (up to 80 characters)."""
    for label in labels:
        at = folded.find(label)
        if at >= 0:
            # ``fold`` keeps length except for rare characters: read the original at the index
            return collapse(text[at : at + len(label) + 80]) or label
    return None


@check("footer_contacts", requires=("home",))
def footer_contacts(art: Artifacts, p: NoParams) -> Outcome:
    """The home page footer names the owner agency, person responsible, address, phone and
    e-mail (each missing field named); an e-mail outside ``*.gov.vn`` is a warning."""
    home = art.home_page
    text = footer_text(home)
    folded = fold(text)
    missing: list[tuple[str, str]] = []
    seen: list[str] = []
    for key, (labels, vi, en) in FOOTER_FIELDS.items():
        value = _field_value(text, folded, labels)
        if value is None and key == "owner":
            value = footer_owner(home, text, art.agency.name)
        if value is None:
            missing.append((vi, en))
        else:
            seen.append(value[:60])
    phone = footer_phone(text)
    email = footer_email(text)
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
                    found=" | ".join([*seen, *(v for v in (phone, email) if v)]) or None,
                    snippet=snippet,
                ),
            ),
        )
    assert email is not None
    domain = email.rsplit("@", 1)[-1].lower()
    if not domain.endswith(STATE_EMAIL_SUFFIXES):
        return Outcome(
            status="warn",
            evidence=(
                Evidence(
                    url=home.url,
                    detail=t(
                        f"Chân trang đủ thông tin, nhưng thư điện tử {email} không thuộc tên miền "
                        "cơ quan nhà nước (.gov.vn).",
                        f"The footer has every field, but the e-mail {email} is not on a state "
                        "domain (.gov.vn).",
                    ),
                    expected=f"…@{art.agency.domain}",
                    found=email,
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
                found=f"{phone}; {email}",
                snippet=snippet,
            ),
        ),
    )


@check("header_agency_name", requires=("home",))
def header_agency_name(art: Artifacts, p: NoParams) -> Outcome:
    """The agency's full name is at the top of the home page (header, title or first heading)."""
    home = art.home_page
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


_EMBLEM_WORDS = ("quoc huy", "quochuy", "quoc-huy", "logo", "bieu trung", "emblem", "huy hieu")
_HEADER = "header, [role=banner], #header, .header, #banner, .banner, .site-header"


def _emblem_hint(values: list[str]) -> str | None:
    for value in values:
        folded = fold(value)
        if any(word in folded for word in _EMBLEM_WORDS):
            return value
    return None


@check("header_emblem", requires=("home",))
def header_emblem(art: Artifacts, p: NoParams) -> Outcome:
    """The top of the home page shows the national emblem or the agency's logo (an image in
    the header whose ``alt``, ``title``, ``src`` or class says so)."""
    home = art.home_page
    regions = home.tree.css(_HEADER)
    images = [img for region in regions for img in region.css("img, svg, [role=img]")]
    if not regions:  # no marked-up header: the first images of the page are its top
        images = home.tree.css("img, svg, [role=img]")[:3]
    for img in images:
        attrs = img.attributes
        values = [attrs.get(k) or "" for k in ("alt", "title", "aria-label", "src", "class", "id")]
        hint = _emblem_hint(values)
        if hint is not None:
            return Outcome(
                status="pass",
                evidence=(
                    Evidence(
                        url=home.url,
                        detail=t(
                            "Đầu trang có quốc huy/biểu trưng.",
                            "The header shows the emblem or logo.",
                        ),
                        found=hint[:120],
                    ),
                ),
            )
    if images:
        return Outcome(
            status="error",
            evidence=(
                Evidence(
                    url=home.url,
                    detail=t(
                        "Đầu trang có hình ảnh nhưng không xác định được đó là quốc huy hay "
                        "biểu trưng (alt/src không cho biết).",
                        "The header has images, but nothing says one is the emblem or logo "
                        "(alt/src do not tell).",
                    ),
                    found=", ".join(
                        (i.attributes.get("src") or i.tag or "")[:60] for i in images[:3]
                    ),
                ),
            ),
        )
    return Outcome(
        status="fail",
        evidence=(
            Evidence(
                url=home.url,
                detail=t(
                    "Đầu trang không có quốc huy hay biểu trưng của cơ quan.",
                    "The header shows no emblem or logo.",
                ),
                expected='<img alt="Quốc huy…"> / logo',
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
DC_RECOMMENDED = ("DC.language", "DC.source", "DC.contributor", "DC.subject")  # TT 24/2011


class DublinCoreParams(Params):
    """Mandatory Dublin Core elements, the share of pages that must carry them, and the
    recommended elements reported as hints (they never change the status)."""

    elements: tuple[str, ...] = DC_MANDATORY
    recommended: tuple[str, ...] = DC_RECOMMENDED
    min_ratio: float = 0.8


def _dc_key(element: str) -> str:
    return "DC." + element.split(".", 1)[1].lower()


@read_once
def _dc(page: Page) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in page.tree.css("meta[name]"):
        name = (node.attributes.get("name") or "").strip()
        if name.lower().startswith(("dc.", "dcterms.")):
            key = "DC." + name.split(".", 1)[1].lower()
            out.setdefault(key, (node.attributes.get("content") or "").strip())
    return out


@check("dublin_core", params=DublinCoreParams, requires=("pages",), reads=(of_page(_dc),))
def dublin_core(art: Artifacts, p: DublinCoreParams) -> Outcome:
    """Pages carry the mandatory Dublin Core ``<meta>`` elements, non-empty."""
    bad: list[Evidence] = []
    without_recommended: dict[str, int] = dict.fromkeys(p.recommended, 0)
    for page in art.pages:
        found = _dc(page)
        for element in p.recommended:
            if not found.get(_dc_key(element)):
                without_recommended[element] += 1
        missing = [e for e in p.elements if not found.get(_dc_key(e))]
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
    hints = [f"{e} ({n}/{total})" for e, n in without_recommended.items() if n]
    if hints:  # last, after the pages that miss mandatory elements
        bad = [
            *bad[:10],
            Evidence(
                detail=t(
                    "Gợi ý: thiếu phần tử khuyến nghị " + ", ".join(hints) + ".",
                    "Hint: recommended elements missing " + ", ".join(hints) + ".",
                ),
                expected=", ".join(p.recommended),
            ),
        ]
    status = "pass" if ratio >= p.min_ratio else "fail"
    return Outcome(status=status, evidence=(summary, *bad[:11]))
