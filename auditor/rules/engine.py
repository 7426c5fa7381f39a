"""Evaluate a rule pack against one portal's artifacts: one finding per rule, in pack order.

A rule not in force at the audit date, or not binding the agency's level, is
``not_applicable``; a ``manual`` rule is ``manual``; otherwise its check tree decides. A primitive
that raises makes its leaf ``error`` (the auditor could not tell) and the run goes on.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from datetime import date

from auditor.artifacts import INPUTS, Artifacts
from auditor.checks.registry import PageRead, Params, get_check
from auditor.errors import CheckError, LogText
from auditor.models import DocumentInfo, Evidence, Finding, Outcome, Status, t
from auditor.page import Page
from auditor.rules.checktree import AllOf, CheckCall, CheckNode, NotOf
from auditor.rules.loader import Pack
from auditor.rules.schema import Rule, in_force
from auditor.text.reasons import reason_vi

logger = logging.getLogger(__name__)


def required_inputs(packs: Iterable[Pack]) -> frozenset[str]:
    """The inputs the primitives of ``packs`` declare (what the gatherer must collect)."""
    found: set[str] = set()
    for pack in packs:
        for rule in pack.rules:
            for call in _calls(rule.check) if rule.check is not None else ():
                spec = get_check(call.name)
                found.update(spec.requires if spec is not None else ())
    return frozenset(found)


def _calls(node: CheckNode) -> Iterable[CheckCall]:
    if isinstance(node, CheckCall):
        yield node
    elif isinstance(node, NotOf):
        yield from _calls(node.item)
    else:
        for child in node.items:
            yield from _calls(child)


def _readers(pack: Pack, art: Artifacts) -> list[tuple[PageRead, Params]]:
    """What the primitives of the rules of ``pack`` that will run read of each page (their
    ``reads``), with the parameters of each call."""
    readers: list[tuple[PageRead, Params]] = []  # params may hold dicts: not hashable
    for rule in pack.rules:
        if rule.check is None or rule.manual or _gate(pack, rule, art) is not None:
            continue
        for call in _calls(rule.check):
            spec = get_check(call.name)
            for read in spec.reads if spec is not None else ():
                if (read, call.params) not in readers:
                    readers.append((read, call.params))
    return readers


def page_reader(pack: Pack, art: Artifacts) -> Callable[[Page], None]:
    """What the primitives of the rules of ``pack`` that will run read of a page of ``art``
    (their ``reads``), as a function of the page: read each page with it, in order, while its
    tree is at hand. ``art`` may be the capture before its probes (the pages are the same):
    what a read keeps is of the page alone; the rest of the site only chooses which pages are
    read. What a read raises it raises again, and is handled, where the rule reads it."""
    readers = _readers(pack, art)

    def read_page(page: Page) -> None:
        for read, params in readers:
            with contextlib.suppress(Exception):
                read(art, page, params)

    return read_page


def read_pages(pack: Pack, art: Artifacts) -> None:
    """Read every page of ``art`` once, page by page, with :func:`page_reader`, then drop its
    trees (:meth:`Page.shed`; the home page, which many rules look at, keeps them): the rules
    find what they read kept, and a site's trees are not all alive together while it is
    judged. Pages read before (in planning: :func:`auditor.pool.plan_and_keep`) are not
    parsed again."""
    read = page_reader(pack, art)
    for page in art.pages:
        read(page)
        if page is not art.home:
            page.shed()


def evaluate(pack: Pack, art: Artifacts) -> tuple[Finding, ...]:
    """One finding per rule of ``pack`` for the portal described by ``art``."""
    return tuple(evaluate_rule(pack, rule, art) for rule in pack.rules)


def evaluate_rule(pack: Pack, rule: Rule, art: Artifacts) -> Finding:
    """The finding of one rule of ``pack``."""
    outcome = _gate(pack, rule, art)
    if outcome is None:
        if rule.manual or rule.check is None:
            outcome = Outcome(status="manual", evidence=(_manual_evidence(rule),))
        else:
            outcome = run_check(rule.check, art, rule.id)
            if rule.advisory and outcome.status == "fail":
                outcome = Outcome(status="warn", evidence=outcome.evidence)
    return Finding(
        rule_id=rule.id,
        title=rule.title,
        failure=rule.failure,
        category=rule.category,
        severity=rule.severity,
        weight=rule.weight,
        status=outcome.status,
        citation=rule.citation,
        evidence=outcome.evidence,
        fix=rule.fix,
    )


def rule_in_force(pack: Pack, rule: Rule, as_of: date) -> bool:
    """Whether ``rule`` and the document it cites are both in force at ``as_of``."""
    doc = pack.find_document(rule.citation.document)
    doc_ok = doc is None or in_force(doc.effective_from, doc.effective_to, as_of)
    return doc_ok and rule.in_force(as_of)


def documents_applied(pack: Pack, as_of: date) -> tuple[DocumentInfo, ...]:
    """The documents of ``pack`` in force at ``as_of`` that have a rule in force then."""
    cited = {r.citation.document for r in pack.rules if rule_in_force(pack, r, as_of)}
    return tuple(d for d in pack.documents if d.id in cited)


def _gate(pack: Pack, rule: Rule, art: Artifacts) -> Outcome | None:
    """``not_applicable`` (or ``manual``) when the rule does not bind this agency today."""
    if not rule_in_force(pack, rule, art.as_of):
        return Outcome(status="not_applicable", evidence=(_not_in_force(pack, rule, art.as_of),))
    level = art.agency.level
    if rule.applies_to_level(level):
        return None
    binds = ", ".join(rule.applies_to)
    if "level" in art.agency.guessed:  # never judge on a guess, either way
        return Outcome(
            status="manual",
            evidence=(
                Evidence(
                    detail=t(
                        f"Cấp của cơ quan ({level}) chỉ được đoán từ tên miền; quy định này chỉ "
                        f"áp dụng cho cấp {binds}. Cần khai báo cấp (--level hoặc danh sách cơ "
                        "quan) để đánh giá.",
                        f"The agency's level ({level}) was only guessed from its domain; this "
                        f"rule binds {binds} only. Declare the level (--level or a registry) "
                        "to judge it.",
                    ),
                    expected=binds,
                    found=level,
                ),
            ),
        )
    return Outcome(
        status="not_applicable",
        evidence=(
            Evidence(
                detail=t(
                    f"Quy định áp dụng cho cấp {binds}, không áp dụng cho cấp {level}.",
                    f"The rule binds {binds}, not the {level} level.",
                ),
                expected=binds,
                found=level,
            ),
        ),
    )


def _not_in_force(pack: Pack, rule: Rule, as_of: date) -> Evidence:
    doc = pack.find_document(rule.citation.document)
    spans = [(rule.effective_from, rule.effective_to)]
    if doc is not None:
        spans.append((doc.effective_from, doc.effective_to))
    start = max((s for s, _ in spans if s is not None), default=None)
    end = min((e for _, e in spans if e is not None), default=None)
    if start is not None and as_of < start:
        vi, en = f"chưa có hiệu lực (hiệu lực từ {start})", f"not yet in force (from {start})"
    else:
        vi, en = f"đã hết hiệu lực (hiệu lực đến {end})", f"no longer in force (until {end})"
    return Evidence(
        detail=t(f"Quy định {vi} vào ngày kiểm tra {as_of}.", f"The rule is {en} on {as_of}."),
        expected=f"{start or '…'} – {end or '…'}",
        found=str(as_of),
    )


def _manual_evidence(rule: Rule) -> Evidence:
    if rule.manual_reason is not None:
        return Evidence(detail=rule.manual_reason)
    return Evidence(
        detail=t(
            "Nội dung này không kiểm tra tự động được; cần cán bộ kiểm tra trực tiếp.",
            "This cannot be checked automatically; an inspector must review it.",
        )
    )


def run_check(node: CheckNode, art: Artifacts, rule_id: str = "") -> Outcome:
    """The outcome of a check tree; a primitive that raises gives ``error``."""
    if isinstance(node, CheckCall):
        return _call(node, art, rule_id)
    if isinstance(node, NotOf):
        inner = run_check(node.item, art, rule_id)
        flipped: dict[Status, Status] = {"pass": "fail", "fail": "pass"}
        return Outcome(status=flipped.get(inner.status, inner.status), evidence=inner.evidence)
    outcomes = [run_check(child, art, rule_id) for child in node.items]
    statuses = [o.status for o in outcomes]
    status = _all(statuses) if isinstance(node, AllOf) else _any(statuses)
    return Outcome(status=status, evidence=_merge(o.evidence for o in outcomes))


def _all(statuses: list[Status]) -> Status:
    """Conjunction: any fail fails; else what could not be judged; else warn; else pass."""
    if all(s == "not_applicable" for s in statuses):
        return "not_applicable"
    for status in ("fail", "error", "manual", "warn"):
        if status in statuses:
            return status
    return "pass"


def _any(statuses: list[Status]) -> Status:
    """Disjunction: any pass passes; else warn; else what could not be judged; else fail."""
    if all(s == "not_applicable" for s in statuses):
        return "not_applicable"
    for status in ("pass", "warn", "error", "manual"):
        if status in statuses:
            return status
    return "fail"


def _merge(groups: Iterable[tuple[Evidence, ...]]) -> tuple[Evidence, ...]:
    """Concatenate evidence, keeping the first of identical items."""
    out: list[Evidence] = []
    for group in groups:
        for item in group:
            if item not in out:
                out.append(item)
    return tuple(out)


def _call(node: CheckCall, art: Artifacts, rule_id: str) -> Outcome:
    spec = get_check(node.name)
    for name in spec.requires if spec is not None else ():
        reason = art.missing(name)
        if reason is not None:
            return not_fetched(name, reason, art)
    try:
        outcome = node.fn(art, node.params)
        if not isinstance(outcome, Outcome):
            raise TypeError(f"returned {type(outcome).__name__}, not an Outcome")
    except CheckError as exc:
        said = LogText(
            "%s: phép kiểm tra %s không kết luận được: %s", "%s: check %s could not tell: %s"
        )
        logger.warning(said, rule_id, node.name, exc)
        return _error(node.name, str(exc), art)
    except Exception as exc:  # a bug in one primitive must not end the audit
        logger.exception(
            LogText("%s: phép kiểm tra %s gặp lỗi", "%s: check %s raised"), rule_id, node.name
        )
        return _error(node.name, f"{type(exc).__name__}: {exc}", art)
    return outcome


def not_fetched(name: str, reason: str, art: Artifacts) -> Outcome:
    """The one ``error`` for a primitive whose input ``name`` is missing."""
    vi, en = INPUTS[name]
    return Outcome(
        status="error",
        evidence=(
            Evidence(
                url=art.start_url,
                detail=t(
                    f"Không đánh giá được: chưa tải được {vi} ({reason_vi(reason)}).",
                    f"Could not be judged: {en} was not fetched ({reason}).",
                ),
                found=reason,
            ),
        ),
    )


def _error(name: str, text: str, art: Artifacts) -> Outcome:
    return Outcome(
        status="error",
        evidence=(
            Evidence(
                detail=t(
                    f"Không kiểm tra được ({name}): {reason_vi(text)}",
                    f"Could not check ({name}): {text}",
                ),
                url=art.home.url if art.home is not None else art.start_url,
                found=text,
            ),
        ),
    )
