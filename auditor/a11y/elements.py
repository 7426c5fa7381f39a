"""Element-level accessibility rules: images, buttons, form fields, links, headings, tables."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from auditor.a11y.accname import accessible_name, name_source_is_placeholder
from auditor.a11y.dom import (
    Doc,
    ancestors,
    attr,
    children,
    collapse,
    explicit_role,
    input_type,
    is_rendered_hidden,
    same,
    select,
)
from auditor.a11y.langtags import words
from auditor.a11y.result import Issue, RuleResult, issue
from auditor.models import t
from auditor.text.fold import fold_words

FORM_FIELD_ROLES = words(
    """
    checkbox combobox listbox menuitemcheckbox menuitemradio radio searchbox slider spinbutton
    switch textbox
    """
)
LINK_ROLES = frozenset({"link", "doc-backlink", "doc-biblioref", "doc-glossref", "doc-noteref"})
_NOT_FIELDS = frozenset({"hidden", "submit", "reset", "button", "image"})

# Link texts that say nothing about the target (folded, punctuation removed).
GENERIC_LINK_TEXTS = frozenset(
    {
        "xem tiep",
        "xem them",
        "chi tiet",
        "xem chi tiet",
        "doc tiep",
        "doc them",
        "tai day",
        "bam vao day",
        "nhan vao day",
        "click vao day",
        "click here",
        "here",
        "read more",
        "more",
        "click",
    }
)


def _visible(selector: str, doc: Doc) -> list[LexborNode]:
    return doc.visible(selector)


def images(doc: Doc) -> RuleResult:
    """Images (``img``, ``role=img``) have a text alternative; ``alt=""`` marks a decorative
    image and passes (a link whose only content it is fails under ``link-name``, not here)."""
    rule = "image-alt"
    found: list[Issue] = []
    checked = 0
    for node in _visible("img, [role]", doc):
        role = doc.role(node)
        if node.tag == "img" and role == "presentation":
            checked += 1
            continue
        if role != "img" or node.tag == "svg":
            continue
        checked += 1
        if not accessible_name(node, doc):
            found.append(
                issue(
                    rule,
                    node,
                    t(
                        "Ảnh không có văn bản thay thế (alt).",
                        "The image has no text alternative (alt).",
                    ),
                )
            )
    return RuleResult(rule, applicable=checked > 0, issues=tuple(found), checked=checked)


def image_buttons(doc: Doc) -> RuleResult:
    """Image buttons (``input type=image``) have an accessible name."""
    rule = "image-button-name"
    targets = [n for n in _visible("input", doc) if input_type(n) == "image"]
    targets = [n for n in targets if doc.role(n) == "button"]
    found = [
        issue(
            rule,
            n,
            t("Nút ảnh không có tên (alt).", "The image button has no accessible name (alt)."),
        )
        for n in targets
        if not accessible_name(n, doc)
    ]
    return RuleResult(rule, bool(targets), tuple(found), len(targets))


def buttons(doc: Doc) -> RuleResult:
    """Buttons (``button``, ``input type=submit|reset|button``, ``role=button``) have a name."""
    rule = "button-name"
    targets = [
        n
        for n in _visible("button, input, [role]", doc)
        if doc.role(n) == "button" and not (n.tag == "input" and input_type(n) == "image")
    ]
    found = [
        issue(rule, n, t("Nút bấm không có tên.", "The button has no accessible name."))
        for n in targets
        if not accessible_name(n, doc)
    ]
    return RuleResult(rule, bool(targets), tuple(found), len(targets))


def form_fields(doc: Doc) -> RuleResult:
    """Form fields have an accessible name (a label); a placeholder alone gives a warning."""
    rule = "form-field-name"
    targets: list[LexborNode] = []
    for node in _visible("input, select, textarea, [role]", doc):
        role = doc.role(node)
        if role in FORM_FIELD_ROLES:
            targets.append(node)
        elif (
            node.tag == "input"
            and input_type(node) not in _NOT_FIELDS
            and role not in ("presentation", "button")
            and explicit_role(node) is None
        ):
            targets.append(node)  # e.g. password, date, file: fields without an ARIA role
    found: list[Issue] = []
    for node in targets:
        if not accessible_name(node, doc):
            found.append(
                issue(
                    rule,
                    node,
                    t("Trường nhập liệu không có nhãn.", "The form field has no label."),
                )
            )
        elif name_source_is_placeholder(node, doc):
            found.append(
                issue(
                    rule,
                    node,
                    t(
                        "Trường nhập liệu chỉ có placeholder, không có nhãn.",
                        "The form field has only a placeholder, no label.",
                    ),
                    level="warn",
                )
            )
    return RuleResult(rule, bool(targets), tuple(found), len(targets))


def links(doc: Doc) -> RuleResult:
    """Links have a non-empty accessible name; generic texts ("xem tiếp"…) give a warning."""
    rule = "link-name"
    targets = [n for n in _visible("a, area, [role]", doc) if doc.role(n) in LINK_ROLES]
    found: list[Issue] = []
    for node in targets:
        name = accessible_name(node, doc)
        if not name:
            found.append(
                issue(rule, node, t("Liên kết không có tên.", "The link has no accessible name."))
            )
        elif fold_words(name) in GENERIC_LINK_TEXTS:
            found.append(
                issue(
                    rule,
                    node,
                    t(
                        f"Liên kết có văn bản chung chung “{name}”.",
                        f"The link has a generic text “{name}”.",
                    ),
                    level="warn",
                )
            )
    return RuleResult(rule, bool(targets), tuple(found), len(targets))


def _headings(doc: Doc) -> list[LexborNode]:
    """The visible headings of ``doc``, found once for the rules that read them."""
    return doc.kept("headings", _find_headings)


def _find_headings(doc: Doc) -> list[LexborNode]:
    return [n for n in _visible("h1, h2, h3, h4, h5, h6, [role]", doc) if doc.role(n) == "heading"]


def heading_names(doc: Doc) -> RuleResult:
    """Headings (``h1``–``h6``, ``role=heading``) have a non-empty accessible name."""
    rule = "heading-name"
    targets = _headings(doc)
    found = [
        issue(rule, n, t("Tiêu đề (heading) trống.", "The heading is empty."))
        for n in targets
        if not accessible_name(n, doc)
    ]
    return RuleResult(rule, bool(targets), tuple(found), len(targets))


_HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}


def heading_level(node: LexborNode) -> int | None:
    """The level of a heading element (``aria-level`` wins), or ``None``."""
    level = (attr(node, "aria-level") or "").strip()
    if level.isdigit() and int(level) > 0:
        return int(level)
    tag_level = _HEADING_TAGS.get(node.tag or "")
    if tag_level is not None:
        return tag_level
    return 2 if explicit_role(node) == "heading" else None


def heading_order(doc: Doc) -> RuleResult:
    """Heading levels are not skipped going down (h1 → h3 gives a warning)."""
    rule = "heading-order"
    targets = _headings(doc)
    found: list[Issue] = []
    previous: int | None = None
    for node in targets:
        level = heading_level(node)
        if level is None:
            continue
        if previous is not None and level > previous + 1:
            found.append(
                issue(
                    rule,
                    node,
                    t(
                        f"Bỏ cấp tiêu đề: từ h{previous} xuống h{level}.",
                        f"Heading level skipped: from h{previous} to h{level}.",
                    ),
                    level="warn",
                )
            )
        previous = level
    return RuleResult(rule, bool(targets), tuple(found), len(targets))


def blink(doc: Doc) -> RuleResult:
    """No rendered ``<marquee>`` or ``<blink>`` (moving or blinking content that cannot be
    paused: WCAG 2.2.2, failures F16 and F47)."""
    rule = "no-blink"
    targets = [n for n in select(doc.tree, "marquee, blink") if not is_rendered_hidden(n)]
    found = [
        issue(
            rule,
            n,
            t(
                f"Dùng thẻ <{n.tag}> (nội dung chạy/nhấp nháy).",
                f"Uses <{n.tag}> (moving/blinking content).",
            ),
        )
        for n in targets
    ]
    # nothing moves or blinks: the rule does not apply (axe-core: inapplicable), not a pass
    return RuleResult(rule, applicable=bool(targets), issues=tuple(found), checked=len(targets))


_BLOCKY = "table, div, ul, ol, form, iframe, nav, section, article, header, footer"


def _rows(table: LexborNode) -> list[list[LexborNode]]:
    """The rows of ``table`` (not of nested tables) as lists of cells."""
    out: list[list[LexborNode]] = []
    for row in table.css("tr"):
        owner = next((a for a in ancestors(row) if a.tag == "table"), None)
        if owner is None or owner.mem_id != table.mem_id:
            continue
        out.append([c for c in children(row) if c.tag in ("td", "th")])
    return out


_HEADER_ROLES = frozenset({"columnheader", "rowheader"})


def _has_headers(rows: list[list[LexborNode]]) -> bool:
    return any(
        c.tag == "th"
        or attr(c, "scope") is not None
        or attr(c, "headers") is not None
        or explicit_role(c) in _HEADER_ROLES
        for row in rows
        for c in row
    )


def _data_signs(table: LexborNode, text_rows: list[int]) -> bool:
    """Whether ``table`` shows signs of a data table beyond a grid of text cells."""
    caption = table.css_first("caption")
    if caption is not None and collapse(caption.text(deep=True)):
        return True
    if explicit_role(table) in ("table", "grid", "treegrid"):
        return True
    if attr(table, "summary") or table.css_first("thead, tfoot") is not None:
        return True
    border = (attr(table, "border") or "0").strip()
    if border not in ("", "0"):
        return True
    return len(text_rows) >= 3 and max(text_rows) >= 3


def tables(doc: Doc) -> RuleResult:
    """Data tables (≥2 rows of ≥2 plain-text cells) have header cells (``th``, ``scope``,
    ``headers``). Without headers, a table with other data-table signs (caption, ``thead``,
    ``summary``, a border, ≥3×3 text cells) fails; a bare 2-row grid may be a layout table and
    only gets a warning."""
    rule = "table-headers"
    found: list[Issue] = []
    checked = 0
    for table in _visible("table", doc):
        nested = any(not same(n, table) for n in table.css("table"))  # css() matches self
        if doc.role(table) == "presentation" or nested:
            continue
        rows = _rows(table)
        text_rows = []
        for row in rows:
            texts = [c for c in row if collapse(c.text(deep=True)) and c.css_first(_BLOCKY) is None]
            if len(texts) >= 2:
                text_rows.append(len(texts))
        if len(text_rows) < 2:
            continue  # a layout table or too small to need headers
        checked += 1
        if _has_headers(rows):
            continue
        if _data_signs(table, text_rows):
            message = t(
                "Bảng dữ liệu không có ô tiêu đề (th/scope).",
                "The data table has no header cells (th/scope).",
            )
            found.append(issue(rule, table, message))
        else:
            message = t(
                "Bảng có dạng dữ liệu nhưng không có ô tiêu đề (th/scope); nếu là bảng dàn "
                'trang, thêm role="presentation".',
                "The table looks like data but has no header cells (th/scope); if it is a "
                'layout table, add role="presentation".',
            )
            found.append(issue(rule, table, message, level="warn"))
    return RuleResult(rule, checked > 0, tuple(found), checked)


def duplicate_ids(doc: Doc) -> RuleResult:
    """``id`` values are unique in the document."""
    rule = "duplicate-id"
    seen: dict[str, int] = {}
    found: list[Issue] = []
    nodes = [n for n in doc.tree.css("[id]") if attr(n, "id")]
    for node in nodes:
        ident = attr(node, "id") or ""
        seen[ident] = seen.get(ident, 0) + 1
        if seen[ident] == 2:
            found.append(
                issue(
                    rule,
                    node,
                    t(f'Trùng id="{ident}".', f'Duplicate id="{ident}".'),
                )
            )
    return RuleResult(rule, bool(nodes), tuple(found), len(nodes))
