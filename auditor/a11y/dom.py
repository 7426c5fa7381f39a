"""DOM helpers for accessibility checks: a parsed document, hiding, roles, CSS paths, snippets."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cached_property

from selectolax.lexbor import LexborHTMLParser, LexborNode

from auditor.a11y.langtags import words
from auditor.htmltree import parse_html

_DISPLAY_NONE = re.compile(r"(?:^|;)\s*display\s*:\s*none\s*(?:!important\s*)?(?:;|$)", re.I)
_VISIBILITY = re.compile(r"(?:^|;)\s*visibility\s*:\s*(hidden|collapse|visible)\b", re.I)

SNIPPET_MAX = 200

# Tags whose content is never rendered.
_NEVER_RENDERED = frozenset({"script", "style", "noscript", "template", "head", "title", "meta"})

# ARIA global states and properties: their presence cancels role="none|presentation".
GLOBAL_ARIA = frozenset(
    {
        "aria-atomic",
        "aria-busy",
        "aria-controls",
        "aria-current",
        "aria-describedby",
        "aria-details",
        "aria-disabled",
        "aria-dropeffect",
        "aria-errormessage",
        "aria-flowto",
        "aria-grabbed",
        "aria-haspopup",
        "aria-invalid",
        "aria-keyshortcuts",
        "aria-label",
        "aria-labelledby",
        "aria-live",
        "aria-owns",
        "aria-relevant",
        "aria-roledescription",
    }
)

KNOWN_ROLES = words(
    """
    alert alertdialog application article banner blockquote button caption cell checkbox code
    columnheader combobox complementary contentinfo definition deletion dialog directory document
    emphasis feed figure form generic grid gridcell group heading img insertion link list listbox
    listitem log main marquee math menu menubar menuitem menuitemcheckbox menuitemradio meter
    navigation none note option paragraph presentation progressbar radio radiogroup region row
    rowgroup rowheader scrollbar search searchbox separator slider spinbutton status strong
    subscript superscript switch tab table tablist tabpanel term textbox time timer toolbar
    tooltip tree treegrid treeitem doc-backlink doc-biblioref doc-glossref doc-noteref
    graphics-document graphics-object graphics-symbol
    """
)

_INPUT_ROLES = {
    "button": "button",
    "submit": "button",
    "reset": "button",
    "image": "button",
    "checkbox": "checkbox",
    "radio": "radio",
    "range": "slider",
    "number": "spinbutton",
    "search": "searchbox",
    "hidden": "",
}
_LABELABLE = frozenset({"button", "input", "meter", "output", "progress", "select", "textarea"})
_LABELABLE_CSS = ", ".join(sorted(_LABELABLE))


def collapse(text: str) -> str:
    """Collapse white space runs to one space and strip."""
    return " ".join(text.split())  # str.split() splits on exactly what \s matches


def attr(node: LexborNode, name: str) -> str | None:
    """The value of attribute ``name`` ('' for a bare attribute), or ``None`` when absent."""
    attrs = node.attributes
    if name not in attrs:
        return None
    value = attrs[name]
    return value if value is not None else ""


def select(root: LexborHTMLParser | LexborNode, selector: str) -> list[LexborNode]:
    """Elements under ``root`` matching ``selector``, each once, in document order. Lexbor
    returns an element once per part of a selector list it matches (``a, [role=button]``
    gives an ``<a role=button>`` twice): counted once here, as the DOM's
    ``querySelectorAll`` does."""
    seen: set[int] = set()
    out: list[LexborNode] = []
    for node in root.css(selector):
        if node.mem_id not in seen:
            seen.add(node.mem_id)
            out.append(node)
    return out


def same(a: LexborNode, b: LexborNode) -> bool:
    """Whether ``a`` and ``b`` are the same DOM node."""
    return a.mem_id == b.mem_id


def ancestors(node: LexborNode) -> Iterator[LexborNode]:
    """The element ancestors of ``node``, nearest first."""
    parent = node.parent
    while parent is not None and parent.is_element_node:
        yield parent
        parent = parent.parent


def children(node: LexborNode) -> Iterator[LexborNode]:
    """The child nodes of ``node`` (elements and text)."""
    child = node.child
    while child is not None:
        yield child
        child = child.next


def _hidden_by(tag: str | None, attrs: dict[str, str | None]) -> bool:
    """:func:`self_hidden` of an element with tag ``tag`` and attributes ``attrs``."""
    if tag in _NEVER_RENDERED or "hidden" in attrs:
        return True
    if (attrs.get("aria-hidden") or "").strip().lower() == "true":
        return True
    if tag == "input" and (attrs.get("type") or "").strip().lower() == "hidden":
        return True
    style = attrs.get("style")
    return bool(style and _DISPLAY_NONE.search(style))


def _visibility_in(attrs: dict[str, str | None]) -> str | None:
    """The last ``visibility`` of the inline style in ``attrs``, lower case, or ``None``."""
    style = attrs.get("style")
    if not style:
        return None
    found = _VISIBILITY.findall(style)
    return found[-1].lower() if found else None


def self_hidden(node: LexborNode) -> bool:
    """Whether ``node`` itself is hidden: ``hidden``, ``aria-hidden=true``, inline
    ``display:none``, or a tag that is never rendered."""
    return _hidden_by(node.tag, node.attributes)  # attributes read once: a dict each time


def _visibility(node: LexborNode) -> str | None:
    return _visibility_in(node.attributes)


def is_hidden(node: LexborNode) -> bool:
    """Whether ``node`` is excluded from the accessibility tree, judged from markup and inline
    styles only (``hidden``, ``aria-hidden``, ``display:none``, ``visibility:hidden``)."""
    if self_hidden(node) or any(self_hidden(a) for a in ancestors(node)):
        return True
    for element in (node, *ancestors(node)):
        vis = _visibility(element)
        if vis is not None:
            return vis != "visible"
    return False


def is_rendered_hidden(node: LexborNode) -> bool:
    """Whether ``node`` is not rendered at all (``aria-hidden`` content still is)."""
    for element in (node, *ancestors(node)):
        if element.tag in _NEVER_RENDERED or attr(element, "hidden") is not None:
            return True
        style = attr(element, "style")
        if style and _DISPLAY_NONE.search(style):
            return True
    for element in (node, *ancestors(node)):
        vis = _visibility(element)
        if vis is not None:
            return vis != "visible"
    return False


def is_disabled(node: LexborNode) -> bool:
    """Whether a form control is disabled."""
    return node.tag in _LABELABLE and attr(node, "disabled") is not None


def is_focusable(node: LexborNode) -> bool:
    """Whether ``node`` is focusable (tabindex, or a natively focusable element)."""
    if attr(node, "tabindex") is not None:
        return True
    tag = node.tag
    if tag in ("a", "area"):
        return attr(node, "href") is not None
    if tag in ("button", "select", "textarea", "input"):
        return not is_disabled(node) and not (
            tag == "input" and (attr(node, "type") or "").lower() == "hidden"
        )
    return tag in ("iframe", "summary") or (attr(node, "contenteditable") or "false") != "false"


def input_type(node: LexborNode) -> str:
    """The lower-case ``type`` of an ``<input>`` ('text' by default)."""
    return (attr(node, "type") or "text").strip().lower() or "text"


def implicit_role(node: LexborNode) -> str:
    """The implicit ARIA role of ``node`` ('' when it has none we care about)."""
    tag = node.tag or ""
    if tag in ("a", "area"):
        return "link" if attr(node, "href") is not None else ""
    if tag == "button":
        return "button"
    if tag == "input":
        kind = input_type(node)
        if kind in _INPUT_ROLES:
            return _INPUT_ROLES[kind]
        if kind in ("text", "email", "tel", "url") and attr(node, "list") is not None:
            return "combobox"
        return "textbox"
    if tag == "select":
        multiple = attr(node, "multiple") is not None
        size = (attr(node, "size") or "").strip()
        return "listbox" if multiple or (size.isdigit() and int(size) > 1) else "combobox"
    if tag == "textarea":
        return "textbox"
    if tag == "img":
        return "presentation" if attr(node, "alt") == "" else "img"
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return "heading"
    if tag == "table":
        return "table"
    return ""


def explicit_role(node: LexborNode) -> str | None:
    """The first known role token of the ``role`` attribute, or ``None``."""
    value = attr(node, "role")
    if not value:
        return None
    for token in value.lower().split():
        if token in KNOWN_ROLES:
            return token
    return None


def role_of(node: LexborNode) -> str:
    """The semantic role of ``node``: explicit role, else implicit; ``none``/``presentation``
    is ignored on focusable elements and elements with global ARIA attributes."""
    role = explicit_role(node)
    if role in ("none", "presentation"):
        if is_focusable(node) or any(a in GLOBAL_ARIA for a in node.attributes):
            return implicit_role(node)
        return "presentation"
    if role is not None:
        return role
    implicit = implicit_role(node)
    return "presentation" if implicit == "presentation" else implicit


def is_labelable(node: LexborNode) -> bool:
    """Whether a ``<label>`` can label ``node``."""
    if node.tag == "input":
        return input_type(node) != "hidden"
    return node.tag in _LABELABLE


def css_path(node: LexborNode) -> str:
    """A CSS selector locating ``node``: ``#id`` anchor when available, else ``nth-of-type``."""
    parts: list[str] = []
    current: LexborNode | None = node
    while current is not None and current.is_element_node:
        tag = current.tag or "*"
        ident = attr(current, "id")
        if ident and re.fullmatch(r"[A-Za-z][\w-]*", ident):
            parts.append(f"{tag}#{ident}")
            break
        parent = current.parent
        if tag in ("html", "body", "head") or parent is None or not parent.is_element_node:
            parts.append(tag)
            if tag == "html":
                break
            current = parent
            continue
        same_tag = [c for c in children(parent) if c.is_element_node and c.tag == tag]
        if len(same_tag) > 1:
            index = next(i for i, c in enumerate(same_tag, 1) if same(c, current))
            parts.append(f"{tag}:nth-of-type({index})")
        else:
            parts.append(tag)
        current = parent
    return " > ".join(reversed(parts))


def snippet(node: LexborNode, limit: int = SNIPPET_MAX) -> str:
    """The element's outer HTML, white space collapsed, cut to ``limit`` characters."""
    html = node.html or ""
    if len(html) > 8 * limit:  # collapsing a prefix gives the same start: skip the rest
        head = collapse(html[: 8 * limit])
        if len(head) > limit:
            return head[: limit - 1] + "…"
    text = collapse(html)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Doc:
    """A parsed document with the indexes the checks share (ids, labels)."""

    def __init__(self, tree: LexborHTMLParser) -> None:
        self.tree = tree
        self._visible: dict[str, list[LexborNode]] = {}
        self._kept: dict[str, list[LexborNode]] = {}
        self._roles: dict[int, str] = {}
        self._states: dict[int, tuple[bool, str | None]] = {}

    @classmethod
    def parse(cls, html: str) -> Doc:
        """Parse an HTML string."""
        return cls(parse_html(html))

    def elements(self, selector: str = "*") -> list[LexborNode]:
        """Elements matching ``selector`` in document order (template content excluded)."""
        return select(self.tree, selector)

    def visible(self, selector: str) -> list[LexborNode]:
        """:meth:`elements` matching ``selector`` that are not hidden (:func:`is_hidden`),
        found once per selector (do not modify the list)."""
        found = self._visible.get(selector)
        if found is None:
            found = [n for n in select(self.tree, selector) if not self.hidden(n)]
            self._visible[selector] = found
        return found

    def kept(self, name: str, find: Callable[[Doc], list[LexborNode]]) -> list[LexborNode]:
        """``find(self)``, found once per document for every rule that asks by ``name`` (do
        not modify the list)."""
        found = self._kept.get(name)
        if found is None:
            found = self._kept[name] = find(self)
        return found

    def role(self, node: LexborNode) -> str:
        """:func:`role_of` an element of the document, worked out once per element (the
        rules and the accessible names ask again of the same elements)."""
        key = node.mem_id
        role = self._roles.get(key)
        if role is None:
            role = self._roles[key] = role_of(node)
        return role

    def hidden(self, node: LexborNode) -> bool:
        """:func:`is_hidden`, reading each element's attributes once per document: an
        element's state is its own (hidden, visibility) over its parent's."""
        hidden, visibility = self._state(node)
        return hidden or (visibility is not None and visibility != "visible")

    def _state(self, node: LexborNode) -> tuple[bool, str | None]:
        """(whether the element or an ancestor is :func:`self_hidden`, the nearest
        ``visibility`` declared on it or an ancestor)."""
        pending: list[LexborNode] = []
        current: LexborNode | None = node
        state: tuple[bool, str | None] = (False, None)
        while current is not None and current.is_element_node:
            known = self._states.get(current.mem_id)
            if known is not None:
                state = known
                break
            pending.append(current)
            current = current.parent
        for element in reversed(pending):  # outermost first
            attrs = element.attributes
            visibility = _visibility_in(attrs)
            state = (
                state[0] or _hidden_by(element.tag, attrs),
                visibility if visibility is not None else state[1],
            )
            self._states[element.mem_id] = state
        return state

    @cached_property
    def ids(self) -> dict[str, LexborNode]:
        """The first element with each ``id``."""
        out: dict[str, LexborNode] = {}
        for node in self.tree.css("[id]"):
            ident = attr(node, "id")
            if ident:
                out.setdefault(ident, node)
        return out

    @cached_property
    def labels_for(self) -> dict[str, list[LexborNode]]:
        """``<label for=…>`` elements by target id."""
        out: dict[str, list[LexborNode]] = {}
        for node in self.tree.css("label[for]"):
            target = attr(node, "for")
            if target:
                out.setdefault(target, []).append(node)
        return out

    def labels_of(self, node: LexborNode) -> list[LexborNode]:
        """The ``<label>`` elements labelling a labelable ``node`` (``for`` and wrapping)."""
        if not is_labelable(node):
            return []
        out: list[LexborNode] = []
        ident = attr(node, "id")
        if ident and ident in self.ids and same(self.ids[ident], node):
            out.extend(self.labels_for.get(ident, []))
        for anc in ancestors(node):
            if anc.tag == "label":
                if attr(anc, "for") is None and not any(same(anc, x) for x in out):
                    first = next((c for c in anc.css(_LABELABLE_CSS) if is_labelable(c)), None)
                    if first is not None and same(first, node):
                        out.append(anc)
                break
        return out
