"""Document-level accessibility rules: ``<html lang>``, ``<title>``, element ``lang``, aids."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from auditor.a11y.accname import accessible_name
from auditor.a11y.dom import (
    Doc,
    ancestors,
    attr,
    children,
    collapse,
    is_hidden,
    is_rendered_hidden,
    select,
    snippet,
)
from auditor.a11y.langtags import is_valid_lang
from auditor.a11y.result import Issue, RuleResult, issue
from auditor.models import t
from auditor.text.fold import fold_words


def html_lang(doc: Doc) -> RuleResult:
    """``<html>`` has a non-empty ``lang`` whose primary subtag is a valid language code."""
    rule = "html-lang"
    html = doc.tree.css_first("html")
    if html is None:
        return RuleResult(rule, applicable=False)
    lang = attr(html, "lang")
    if lang is not None and lang.strip() and is_valid_lang(lang):
        return RuleResult(rule, applicable=True, checked=1)  # no snippet needed when it passes
    short = snippet(html, 120).split(">", 1)[0] + ">"
    if lang is None or not lang.strip():
        msg = t(
            "Thẻ <html> không khai báo ngôn ngữ (thuộc tính lang).",
            "The <html> element declares no language (lang attribute).",
        )
        found = [Issue(rule, "html", short, msg)]
        return RuleResult(rule, applicable=True, issues=tuple(found), checked=1)
    if not is_valid_lang(lang):
        msg = t(
            f'Mã ngôn ngữ lang="{lang}" không hợp lệ (cần mã ISO 639, ví dụ "vi").',
            f'The language code lang="{lang}" is not valid (an ISO 639 code such as "vi").',
        )
        found = [Issue(rule, "html", short, msg)]
        return RuleResult(rule, applicable=True, issues=tuple(found), checked=1)
    return RuleResult(rule, applicable=True, checked=1)


def title(doc: Doc) -> RuleResult:
    """The document's first ``<title>`` exists and has non-blank text."""
    rule = "title"
    html = doc.tree.css_first("html")
    if html is None:
        return RuleResult(rule, applicable=False)
    first = next(
        (n for n in doc.tree.css("title") if not any(a.tag == "svg" for a in ancestors(n))), None
    )
    if first is None:
        msg = t("Trang không có thẻ <title>.", "The page has no <title> element.")
        return RuleResult(rule, True, (Issue(rule, "head", "", msg),), checked=1)
    if not collapse(first.text(deep=True)):
        msg = t("Thẻ <title> trống.", "The <title> element is empty.")
        return RuleResult(rule, True, (issue(rule, first, msg),), checked=1)
    return RuleResult(rule, applicable=True, checked=1)


def element_lang(doc: Doc) -> RuleResult:
    """Elements (other than ``<html>``) whose ``lang`` applies to some text have a valid tag."""
    rule = "element-lang"
    found: list[Issue] = []
    checked = 0
    for node in doc.tree.css("body [lang]"):
        value = attr(node, "lang") or ""
        if value == "" or not _has_own_text(node, doc):
            continue
        checked += 1
        if not is_valid_lang(value):
            found.append(
                issue(
                    rule,
                    node,
                    t(
                        f'Mã ngôn ngữ lang="{value}" không hợp lệ.',
                        f'The language code lang="{value}" is not valid.',
                    ),
                )
            )
    return RuleResult(rule, applicable=checked > 0, issues=tuple(found), checked=checked)


def _has_own_text(node: LexborNode, doc: Doc) -> bool:
    """Whether some visible text or accessible name inherits its language from ``node``."""
    for child in children(node):
        if child.is_text_node:
            if (child.text_content or "").strip() and not is_rendered_hidden(node):
                return True
            continue
        if not child.is_element_node or attr(child, "lang") is not None:
            continue
        if (
            child.tag in ("img", "area", "input")
            and not is_hidden(child)
            and accessible_name(child, doc)
        ):
            return True
        if _has_own_text(child, doc):
            return True
    return False


# --- encouraged aids (hints) -------------------------------------------------------------------

ACCESSKEY_TARGETS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "home": (("trang chu", "home", "trang nhat"), "Trang chủ", "Home"),
    "sitemap": (("so do", "site map", "sitemap", "so do trang", "so do cong"), "Sơ đồ", "Site map"),
    "search": (("tim kiem", "search", "tra cuu"), "Tìm kiếm", "Search"),
}
_FONT_WORDS = ("font", "text size", "textsize", "co chu", "zoom text", "resize")
_FONT_LABELS = frozenset({"a", "a+", "a-", "a +", "a -"})


def aids(doc: Doc) -> RuleResult:
    """Hints: ``accesskey`` on the Home/Site map/Search links and font-size controls (A- A A+)."""
    rule = "aids"
    found: list[Issue] = []
    keyed = [n for n in doc.tree.css("[accesskey]") if (attr(n, "accesskey") or "").strip()]
    for labels, vi, en in ACCESSKEY_TARGETS.values():
        if not any(_matches(n, doc, labels) for n in keyed):
            found.append(
                Issue(
                    rule,
                    "body",
                    "",
                    t(
                        f"Không có phím tắt (accesskey) cho liên kết “{vi}”.",
                        f"No access key (accesskey) on the “{en}” link.",
                    ),
                    level="warn",
                )
            )
    if not _has_font_controls(doc):
        found.append(
            Issue(
                rule,
                "body",
                "",
                t(
                    "Không thấy nút thay đổi cỡ chữ (A- A A+).",
                    "No font-size controls (A- A A+) were found.",
                ),
                level="warn",
            )
        )
    checked = len(ACCESSKEY_TARGETS) + 1
    return RuleResult(rule, applicable=True, issues=tuple(found), checked=checked)


def _matches(node: LexborNode, doc: Doc, labels: tuple[str, ...]) -> bool:
    text = fold_words(accessible_name(node, doc) or collapse(node.text(deep=True)))
    text += " " + fold_words(attr(node, "title") or "")
    return any(label in text for label in labels)


def _has_font_controls(doc: Doc) -> bool:
    small = 0
    for node in select(doc.tree, "a, button, span, input[type=button], [onclick]"):
        hay = " ".join(
            attr(node, a) or "" for a in ("class", "id", "onclick", "title", "aria-label", "href")
        )
        folded = fold_words(hay)
        if any(word.replace(" ", "") in folded.replace(" ", "") for word in _FONT_WORDS):
            return True
        label = collapse(node.text(deep=True) or attr(node, "value") or "").lower()
        if label in _FONT_LABELS or label in ("a+", "a-"):
            small += 1 if label != "a" else 0
    return small >= 2
