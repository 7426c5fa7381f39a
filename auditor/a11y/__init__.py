"""Element-level accessibility and mobile rules on one parsed HTML document.

Independent of :class:`~auditor.artifacts.Artifacts`: every rule takes a :class:`Doc`
(``Doc.parse(html)`` or ``Doc(page.tree)``) and returns a :class:`RuleResult`. The rules that
have W3C ACT test cases agree with all of them (``tests/test_a11y_act.py``).
:mod:`auditor.a11y.site` runs rules over a site's pages for the check primitives.
"""

from __future__ import annotations

from collections.abc import Callable

from auditor.a11y import document, elements, viewport
from auditor.a11y.accname import accessible_name
from auditor.a11y.dom import Doc, css_path, snippet
from auditor.a11y.langtags import is_valid_lang
from auditor.a11y.result import Issue, RuleResult

Rule = Callable[[Doc], RuleResult]

RULES: dict[str, Rule] = {
    "html-lang": document.html_lang,
    "title": document.title,
    "element-lang": document.element_lang,
    "aids": document.aids,
    "image-alt": elements.images,
    "image-button-name": elements.image_buttons,
    "button-name": elements.buttons,
    "form-field-name": elements.form_fields,
    "link-name": elements.links,
    "heading-name": elements.heading_names,
    "heading-order": elements.heading_order,
    "no-blink": elements.blink,
    "table-headers": elements.tables,
    "duplicate-id": elements.duplicate_ids,
    "viewport-zoom": viewport.viewport_zoom,
    "viewport-width": viewport.viewport_width,
    "no-plugins": viewport.plugins,
    "fixed-width": viewport.fixed_width,
}


def run_rule(name: str, html: str) -> RuleResult:
    """Run the rule ``name`` on an HTML string."""
    return RULES[name](Doc.parse(html))


__all__ = [
    "RULES",
    "Doc",
    "Issue",
    "Rule",
    "RuleResult",
    "accessible_name",
    "css_path",
    "is_valid_lang",
    "run_rule",
    "snippet",
]
