"""Accessible name computation (a static subset of W3C accname 1.2 and HTML-AAM)."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from auditor.a11y.dom import (
    Doc,
    ancestors,
    attr,
    children,
    collapse,
    input_type,
    self_hidden,
)
from auditor.a11y.langtags import words

# Roles whose name may come from their content.
NAME_FROM_CONTENT = words(
    """
    button cell checkbox columnheader gridcell heading link menuitem menuitemcheckbox
    menuitemradio option radio row rowheader switch tab tooltip treeitem
    doc-backlink doc-biblioref doc-glossref doc-noteref
    """
)

# Inline elements: their text joins the neighbouring text without a space.
_INLINE = words(
    """
    a abbr b bdi bdo cite code data dfn em font i kbd mark q s samp small span strong sub sup
    time u var
    """
)
# SVG children that describe a graphic but never become its name from content.
_SVG_NOT_CONTENT = frozenset({"desc", "metadata"})
# SVG elements a ``<title>`` child names (SVG-AAM: the first ``title`` child).
_SVG_TITLED = words(
    """
    g a path rect circle ellipse line polyline polygon text use image symbol foreignobject
    """
)
_BUTTON_DEFAULTS = {"submit": "Submit", "reset": "Reset"}
_TEXT_INPUTS = frozenset({"text", "search", "email", "tel", "url", "password", "number"})


def accessible_name(node: LexborNode, doc: Doc) -> str:
    """The accessible name of ``node``, white space collapsed ('' when it has none)."""
    return collapse(_name(node, doc, set(), labelledby=False, recursion=False, allow_hidden=False))


def name_source_is_placeholder(node: LexborNode, doc: Doc) -> bool:
    """Whether a form field's name comes only from its ``placeholder``."""
    placeholder = collapse(attr(node, "placeholder") or "")
    if not placeholder:
        return False
    return not collapse(
        _name(node, doc, set(), labelledby=False, recursion=False, allow_hidden=False, hint=False)
    )


def _name(
    node: LexborNode,
    doc: Doc,
    seen: set[int],
    *,
    labelledby: bool,
    recursion: bool,
    allow_hidden: bool,
    hint: bool = True,
) -> str:
    if node.is_text_node:
        return node.text_content or ""
    if not node.is_element_node or node.mem_id in seen:
        return ""
    if not allow_hidden and self_hidden(node):
        return ""
    if node.tag in _SVG_NOT_CONTENT:  # an SVG description, not text shown
        return ""
    seen = seen | {node.mem_id}

    # 2B: aria-labelledby (not while already following one).
    if not labelledby:
        refs = [doc.ids[i] for i in (attr(node, "aria-labelledby") or "").split() if i in doc.ids]
        if refs:
            parts = [
                _name(ref, doc, seen, labelledby=True, recursion=True, allow_hidden=True)
                for ref in refs
            ]
            text = " ".join(collapse(p) for p in parts if collapse(p))
            if text:
                return text

    role = doc.role(node)
    tag = node.tag or ""

    # 2C: aria-label.
    label = collapse(attr(node, "aria-label") or "")
    if label:
        return label

    # 2E: an embedded control inside another element's name contributes its value.
    if recursion and tag in ("input", "textarea", "select"):
        return _embedded_value(node)

    # 2D: native text alternatives.
    if role != "presentation":
        native = _native(node, tag, doc, seen)
        if native:
            return native

    # 2F: name from content.
    if recursion or role in NAME_FROM_CONTENT:
        text = _from_content(node, doc, seen, labelledby=labelledby, allow_hidden=allow_hidden)
        if collapse(text):
            return text

    # 2I: tooltip, then placeholder.
    if role != "presentation" or recursion:
        title = collapse(attr(node, "title") or "")
        if title:
            return title
    if hint and tag in ("input", "textarea"):
        return collapse(attr(node, "placeholder") or "")
    return ""


def _svg_title(node: LexborNode) -> str:
    """The text of the first ``<title>`` child of an SVG element (SVG-AAM 1.0 §8.1)."""
    first = next((c for c in children(node) if c.is_element_node and c.tag == "title"), None)
    return collapse(first.text(deep=True)) if first is not None else ""


def _native(node: LexborNode, tag: str, doc: Doc, seen: set[int]) -> str:
    if tag == "svg" or (tag in _SVG_TITLED and any(a.tag == "svg" for a in ancestors(node))):
        title = _svg_title(node)
        if title:
            return title
    if tag in ("img", "area"):
        return collapse(attr(node, "alt") or "")
    if tag == "input":
        kind = input_type(node)
        if kind == "image":
            return collapse(attr(node, "alt") or "") or collapse(attr(node, "value") or "")
        if kind in ("submit", "reset", "button"):
            value = attr(node, "value")
            if value is not None:
                return collapse(value)
            return _BUTTON_DEFAULTS.get(kind, "")
    labels = doc.labels_of(node)
    if labels:
        parts = [
            _from_content(lab, doc, seen, labelledby=False, allow_hidden=False) for lab in labels
        ]
        return " ".join(collapse(p) for p in parts if collapse(p))
    return ""


def _embedded_value(node: LexborNode) -> str:
    tag = node.tag
    if tag == "input":
        kind = input_type(node)
        if kind in _TEXT_INPUTS:
            return attr(node, "value") or ""
        if kind in ("submit", "reset", "button"):
            return attr(node, "value") or _BUTTON_DEFAULTS.get(kind, "")
        return ""
    if tag == "textarea":
        return node.text(deep=True) or ""
    if tag == "select":
        options = node.css("option")
        chosen = next((o for o in options if attr(o, "selected") is not None), None)
        if chosen is None and options:
            chosen = options[0]
        return chosen.text(deep=True) if chosen is not None else ""
    return ""


def _from_content(
    node: LexborNode, doc: Doc, seen: set[int], *, labelledby: bool, allow_hidden: bool
) -> str:
    out = ""
    for child in children(node):
        if child.is_text_node:
            out += child.text_content or ""
            continue
        if not child.is_element_node:
            continue
        part = _name(
            child, doc, seen, labelledby=labelledby, recursion=True, allow_hidden=allow_hidden
        )
        if child.tag in _INLINE:
            out += part
        else:
            out += f" {part} "
    return out
