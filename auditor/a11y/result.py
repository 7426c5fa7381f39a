"""Results of element-level checks: issues located by a CSS path, and applicability."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from selectolax.lexbor import LexborNode

from auditor.a11y.dom import css_path, snippet
from auditor.models import LocalText

IssueLevel = Literal["fail", "warn"]


@dataclass(frozen=True)
class Issue:
    """One offending element (or the document) for one rule."""

    rule: str
    path: str  # CSS path of the element
    snippet: str  # outer HTML, at most 200 characters
    message: LocalText
    level: IssueLevel = "fail"


@dataclass(frozen=True)
class RuleResult:
    """Outcome of one rule on one document."""

    rule: str
    applicable: bool
    issues: tuple[Issue, ...] = ()
    checked: int = 0  # number of elements the rule looked at

    @property
    def failures(self) -> tuple[Issue, ...]:
        """Fail-level issues."""
        return tuple(i for i in self.issues if i.level == "fail")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """Warn-level issues."""
        return tuple(i for i in self.issues if i.level == "warn")


def issue(rule: str, node: LexborNode, message: LocalText, level: IssueLevel = "fail") -> Issue:
    """An issue about ``node``."""
    return Issue(rule, css_path(node), snippet(node), message, level)
