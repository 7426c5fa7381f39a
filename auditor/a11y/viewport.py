"""Mobile rules: meta viewport (device width, zoom), plugins, fixed-width layouts."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode, SelectolaxError

from auditor.a11y.dom import Doc, ancestors, attr, collapse, is_rendered_hidden
from auditor.a11y.result import Issue, RuleResult, issue
from auditor.models import t

MIN_MAX_SCALE = 2.0
FIXED_WIDTH_PX = 1000

_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)")
_FLASH = re.compile(
    r"shockwave|x-flash|futuresplash|\.swf\b|d27cdb6e-ae6d-11cf|youtube\.com/v/", re.I
)
_OTHER_PLUGINS = re.compile(r"x-silverlight|x-java|java-applet|x-ms-wmp|realaudio", re.I)
_HARMLESS = re.compile(r"^(?:image/|text/html|video/|audio/)|\.(?:svg|png|jpe?g|gif|webp)\b", re.I)


def viewport_metas(doc: Doc) -> list[LexborNode]:
    """Every ``<meta name=viewport>`` with a ``content`` attribute, in document order."""
    return [
        node
        for node in doc.tree.css("meta[name]")
        if (attr(node, "name") or "").strip().lower() == "viewport"
        and attr(node, "content") is not None
    ]


def viewport_meta(doc: Doc) -> LexborNode | None:
    """The ``<meta name=viewport>`` browsers apply: the last one with a ``content``."""
    metas = viewport_metas(doc)
    return metas[-1] if metas else None


def parse_viewport(content: str) -> dict[str, str]:
    """The ``key=value`` pairs of a viewport ``content`` (keys lower-case)."""
    out: dict[str, str] = {}
    for part in re.split(r"[,;]", content):
        if "=" in part:
            key, value = part.split("=", 1)
            out[key.strip().lower()] = value.strip().lower()
    return out


def _number(value: str) -> float:
    """Translate a viewport value to a number (CSS Device Adaptation: yes=1, no=0,
    device-width/height=10, other non-numbers=0)."""
    keywords = {"yes": 1.0, "no": 0.0, "device-width": 10.0, "device-height": 10.0}
    if value in keywords:
        return keywords[value]
    match = _NUMBER.match(value)
    return float(match.group(0)) if match else 0.0


def _zoom_problems(pairs: dict[str, str], min_max_scale: float) -> list[str]:
    problems: list[str] = []
    if "user-scalable" in pairs and abs(_number(pairs["user-scalable"])) < 1:
        problems.append(f"user-scalable={pairs['user-scalable']}")
    if "maximum-scale" in pairs:
        scale = _number(pairs["maximum-scale"])
        if 0 <= scale < min_max_scale:
            problems.append(f"maximum-scale={pairs['maximum-scale']}")
    return problems


def viewport_zoom(doc: Doc, min_max_scale: float = MIN_MAX_SCALE) -> RuleResult:
    """No meta viewport disables zoom (``user-scalable=no``, ``maximum-scale`` below
    ``min_max_scale``, 2 by default as in WCAG 1.4.4 and ACT rule b4f0c3). Each
    ``<meta name=viewport>`` is judged, as ACT does: a later one that disables zoom is caught."""
    rule = "viewport-zoom"
    parsed = [(meta, parse_viewport(attr(meta, "content") or "")) for meta in viewport_metas(doc)]
    zoom_keys = {"user-scalable", "maximum-scale"}
    judged = [(m, pairs) for m, pairs in parsed if zoom_keys & pairs.keys()]
    if not judged:
        return RuleResult(rule, applicable=False)
    issues: list[Issue] = []
    for meta, pairs in judged:
        problems = _zoom_problems(pairs, min_max_scale)
        if problems:
            msg = t(
                "Thẻ meta viewport chặn phóng to (" + ", ".join(problems) + ").",
                "The meta viewport disables zoom (" + ", ".join(problems) + ").",
            )
            issues.append(issue(rule, meta, msg))
    return RuleResult(rule, True, tuple(issues), checked=len(judged))


def viewport_width(doc: Doc) -> RuleResult:
    """The page declares a mobile viewport: ``<meta name=viewport>`` with
    ``width=device-width``, or with ``initial-scale`` and no fixed ``width`` (browsers then use
    the device width, as Lighthouse accepts)."""
    rule = "viewport-width"
    meta = viewport_meta(doc)
    pairs = parse_viewport(attr(meta, "content") or "") if meta is not None else {}
    width = pairs.get("width")
    if width == "device-width" or (width is None and _number(pairs.get("initial-scale", "")) > 0):
        return RuleResult(rule, applicable=True, checked=1)
    if meta is None:
        found = Issue(
            rule,
            "head",
            "",
            t(
                'Trang không có thẻ <meta name="viewport"> (không tối ưu cho di động).',
                'The page has no <meta name="viewport"> (not adapted to mobile).',
            ),
        )
    else:
        found = issue(
            rule,
            meta,
            t(
                "Thẻ meta viewport không đặt width=device-width.",
                "The meta viewport does not set width=device-width.",
            ),
        )
    return RuleResult(rule, True, (found,), checked=1)


def plugins(doc: Doc) -> RuleResult:
    """No Flash, Java applets or other plugins; other ``object``/``embed`` give a warning."""
    rule = "no-plugins"
    found: list[Issue] = []
    nodes = list(doc.tree.css("object, embed, applet"))
    for node in nodes:
        if any(a.tag == "object" for a in ancestors(node)):
            continue  # the fallback content of an outer object
        hay = " ".join(attr(node, a) or "" for a in ("type", "data", "src", "classid", "codebase"))
        hay += " " + " ".join(attr(p, "value") or "" for p in node.css("param"))
        if node.tag == "applet" or _FLASH.search(hay) or _OTHER_PLUGINS.search(hay):
            kind = "Flash" if _FLASH.search(hay) else "plugin"
            found.append(
                issue(
                    rule,
                    node,
                    t(
                        f"Nội dung cần trình cắm ({kind}), không xem được trên di động.",
                        f"Content needs a browser plugin ({kind}); it does not work on mobile.",
                    ),
                )
            )
        elif not _HARMLESS.search(hay.strip()):
            found.append(
                issue(
                    rule,
                    node,
                    t(
                        f"Nội dung nhúng bằng <{node.tag}> có thể không xem được trên di động.",
                        f"Content embedded with <{node.tag}> may not work on mobile.",
                    ),
                    level="warn",
                )
            )
    return RuleResult(rule, applicable=True, issues=tuple(found), checked=len(nodes))


_MEDIA_SKIP = ("img", "video", "iframe", "canvas", "svg", "embed", "object", "picture")
_MAX_WIDTH = re.compile(r"(?:^|[;\s{])max-width\s*:\s*(?!none)([^;}]+)", re.I)
_MIN_WIDTH_PX = re.compile(r"(?:^|[;\s{])min-width\s*:\s*(\d+(?:\.\d+)?)\s*px", re.I)
_PLAIN_WIDTH_PX = re.compile(r"(?:^|[;\s{])width\s*:\s*(\d+(?:\.\d+)?)\s*px", re.I)
_PX = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*px\s*(?:!important)?\s*$", re.I)
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
PAGE_SHARE = 0.5  # share of the page's text an element must hold to be "the page"


def style_rules(css: str) -> list[tuple[str, str]]:
    """The top-level ``(selectors, declarations)`` of a style sheet. At-rule blocks
    (``@media``, ``@supports``…) are dropped: widths inside media queries are responsive."""
    css = _COMMENT.sub(" ", css)
    out: list[tuple[str, str]] = []
    i, n = 0, len(css)
    while i < n:
        brace = css.find("{", i)
        if brace < 0:
            break
        prelude = css[i:brace].strip()
        if prelude.startswith("@") or ";" in prelude:
            head = prelude.rsplit(";", 1)[-1].strip()  # after statements such as @import …;
            if head.startswith("@") or not head:
                i = _block_end(css, brace) + 1
                continue
            prelude = head
        end = css.find("}", brace)
        end = n if end < 0 else end
        out.append((prelude, css[brace + 1 : end]))
        i = end + 1
    return out


def _block_end(css: str, brace: int) -> int:
    depth = 0
    for j in range(brace, len(css)):
        if css[j] == "{":
            depth += 1
        elif css[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(css)


def _fixed_px(declarations: str) -> float:
    """The widest fixed size in px the declarations force: a ``min-width`` always (CSS lets
    it win over ``max-width``), a ``width`` unless a ``max-width`` caps it (a relative cap makes
    it fluid, a px cap bounds it); 0 when none."""
    widths = [float(m) for m in _PLAIN_WIDTH_PX.findall(declarations)]
    for cap in _MAX_WIDTH.findall(declarations):
        px = _PX.match(cap)
        widths = [min(w, float(px.group(1))) for w in widths] if px else []
    minimum = [float(m) for m in _MIN_WIDTH_PX.findall(declarations)]
    return max([*widths, *minimum], default=0.0)


def _text_len(node: LexborNode) -> int:
    return len(collapse(node.text(deep=True)))


def fixed_width(doc: Doc, max_px: int = FIXED_WIDTH_PX) -> RuleResult:
    """The page layout has no fixed width over ``max_px`` px: ``html``/``body`` or an element
    holding most of the page's text, sized by an inline style, a ``width`` attribute or a
    top-level rule of a ``<style>`` element (media queries excluded)."""
    rule = "fixed-width"
    body = doc.tree.body
    totals: list[int] = []  # the body's text length, measured only if an element needs it
    candidates: dict[int, tuple[LexborNode, float, str]] = {}

    def total() -> int:
        if not totals:
            totals.append(_text_len(body) if body is not None else 0)
        return totals[0]

    def consider(node: LexborNode, px: float, how: str) -> None:
        if px <= max_px or node.tag in _MEDIA_SKIP or is_rendered_hidden(node):
            return
        page_level = node.tag in ("html", "body") or (
            total() > 0 and _text_len(node) >= PAGE_SHARE * total()
        )
        if page_level and node.mem_id not in candidates:
            candidates[node.mem_id] = (node, px, how)

    for node in doc.tree.css("[style], [width]"):
        px = _fixed_px(attr(node, "style") or "")
        raw = (attr(node, "width") or "").strip().lower().removesuffix("px")
        if raw.isdigit():
            px = max(px, float(raw))
        consider(node, px, "style")
    for sheet in doc.tree.css("style"):
        for selectors, declarations in style_rules(sheet.text(deep=True)):
            px = _fixed_px(declarations)
            if px <= max_px:
                continue
            for selector in selectors.split(","):
                try:
                    nodes = doc.tree.css(selector.strip())
                except SelectolaxError:
                    continue  # a selector lexbor cannot parse (pseudo-elements, hacks)
                for node in nodes:
                    rule_text = f"{selector.strip()} {{ {collapse(declarations)[:80]} }}"
                    consider(node, px, rule_text)
    found: list[Issue] = []
    for node, px, how in candidates.values():
        where = "" if how == "style" else f" (CSS: {how})"
        found.append(
            issue(
                rule,
                node,
                t(
                    f"Bố cục trang có chiều rộng cố định {px:g}px{where}.",
                    f"The page layout has a fixed width of {px:g}px{where}.",
                ),
            )
        )
    return RuleResult(rule, applicable=True, issues=tuple(found), checked=len(candidates))
