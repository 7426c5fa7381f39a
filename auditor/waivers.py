"""Waivers ("comply or explain"): load and validate a waivers file, apply it to a report.

A waivers file is a YAML list (or a mapping with a ``waivers:`` list) of entries::

    - rule: st.d6k2.https            # a rule id of the pack in use
      domain: sokhdt.soctrang.gov.vn  # or lamdong.gov.vn/sites/stp (a path-based agency), or "*"
      reason: Chuyển sang HTTPS khi nâng cấp hạ tầng quý 1/2027
      approved_by: Sở KH&CN, văn bản 123/SKHCN
      expires: 2027-03-31             # last day the waiver holds

Every problem is reported as ``file:line: message`` before any request. A waiver covers a
``fail`` or ``warn`` finding of its rule on its domain: the finding keeps its status, carries
the waiver and leaves the score. A waiver past its date on the audit date is ignored and stays on
the finding as a note.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from auditor.errors import InputError, LogText, Problem, TextValueError, cat, message_of
from auditor.hostnames import split_address
from auditor.models import AuditReport, Finding, Waiver, address_key, t
from auditor.rules.schema import ScoringConfig
from auditor.scoring import score
from auditor.validation_text import pydantic_message
from auditor.yamlsource import (
    YamlSyntaxError,
    display_name,
    duplicate_keys,
    line_of,
    parse_yaml,
    read_yaml_text,
)

logger = logging.getLogger(__name__)

ANY_DOMAIN = "*"
WAIVABLE = frozenset({"fail", "warn"})
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class WaiverError(InputError):
    """A waivers file is invalid; carries every problem found."""


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: Text
    domain: Text
    reason: Text
    approved_by: Text
    expires: date


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    waivers: list[_Entry] = Field(default_factory=list)


def load_waivers(path: Path, known_rules: Collection[str] | None = None) -> tuple[Waiver, ...]:
    """Read and validate a waivers file; :class:`WaiverError` lists every problem with its line.

    ``known_rules``, when given, are the rule ids a waiver may name (those of the packs in use).
    """
    name = display_name(path)
    try:
        text = read_yaml_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        cannot = t(f"không đọc được tệp miễn trừ: {exc}", f"cannot read waivers: {exc}")
        raise WaiverError([Problem(name, None, cannot)]) from exc
    try:
        root, data = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise WaiverError([Problem(name, exc.line, exc.message)]) from exc
    prefix: tuple[int | str, ...] = ()
    if isinstance(data, list):
        data = {"waivers": data}
    elif isinstance(data, dict):
        prefix = ("waivers",)
    elif data is None:
        return ()
    else:
        shape = t(
            "tệp miễn trừ là một danh sách các miễn trừ", "a waivers file is a list of waivers"
        )
        raise WaiverError([Problem(name, 1, shape)])
    problems = [
        Problem(name, line, t(f"khóa {key!r} bị lặp", f"key {key!r} is repeated"))
        for line, key in duplicate_keys(root)
    ]
    entries: list[_Entry] = []
    try:
        entries = _File.model_validate(data).waivers
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])  # ("waivers", index, field…)
            node_loc = loc if prefix else loc[1:]
            where = "waivers" + "".join(
                f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc[1:]
            )
            problems.append(
                Problem(name, line_of(root, node_loc), cat(f"{where}: ", pydantic_message(error)))
            )
    raw = data.get("waivers")
    if isinstance(raw, list):
        problems += _cross_problems(name, root, prefix, raw, known_rules)
    if problems:
        raise WaiverError(sorted(problems, key=lambda p: p.line or 0))
    return tuple(
        Waiver(
            rule=e.rule,
            domain=e.domain if e.domain == ANY_DOMAIN else _address(e.domain),
            reason=e.reason,
            approved_by=e.approved_by,
            expires=e.expires,
        )
        for e in entries
    )


def _cross_problems(
    name: str,
    root: Any,
    prefix: tuple[int | str, ...],
    raw: list[Any],
    known_rules: Collection[str] | None,
) -> list[Problem]:
    """Domains that are not host names, unknown rules and repeated waivers, read from the raw
    entries so that they are reported alongside any field errors."""
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            continue
        rule, domain = item.get("rule"), item.get("domain")
        if isinstance(domain, str):
            domain = domain.strip()
            if domain != ANY_DOMAIN:
                try:
                    if "://" in domain:
                        raise TextValueError(
                            t(
                                "ghi tên máy (và đường dẫn), không ghi URL",
                                "write the host (and path), not a URL",
                            )
                        )
                    split_address(domain)
                except ValueError as exc:
                    problems.append(
                        Problem(
                            name,
                            line_of(root, (*prefix, index, "domain")),
                            cat(
                                t(
                                    f"waivers[{index}].domain: {domain!r} không phải tên miền "
                                    "cũng không phải '*' (",
                                    f"waivers[{index}].domain: {domain!r} is neither a domain "
                                    "name nor '*' (",
                                ),
                                message_of(exc),
                                ")",
                            ),
                        )
                    )
                    domain = None
        if isinstance(rule, str) and known_rules is not None and rule.strip() not in known_rules:
            problems.append(
                Problem(
                    name,
                    line_of(root, (*prefix, index, "rule")),
                    t(
                        f"waivers[{index}].rule: không có tiêu chí {rule.strip()!r}",
                        f"waivers[{index}].rule: unknown rule {rule.strip()!r}",
                    ),
                )
            )
        if isinstance(rule, str) and isinstance(domain, str):
            key = (rule.strip(), domain if domain == ANY_DOMAIN else _address(domain))
            if key in seen:
                problems.append(
                    Problem(
                        name,
                        line_of(root, (*prefix, index)),
                        t(
                            f"waivers[{index}]: tiêu chí {key[0]} tại {key[1]} được miễn trừ "
                            "hai lần",
                            f"waivers[{index}]: rule {key[0]} on {key[1]} is waived twice",
                        ),
                    )
                )
            seen.add(key)
    return problems


def _address(text: str) -> str:
    """A valid waiver domain (a host, ``host/path`` or URL) as :func:`address_key` compares it."""
    host, path = split_address(text)
    return address_key(host + (path or ""))


def find_waiver(waivers: Sequence[Waiver], rule_id: str, domain: str) -> Waiver | None:
    """The waiver of ``rule_id`` on ``domain`` (an agency's address: host and path prefix):
    one naming the address first, else a ``*`` one."""
    host = address_key(domain)
    exact = [w for w in waivers if w.rule == rule_id and w.domain == host]
    wildcard = [w for w in waivers if w.rule == rule_id and w.domain == ANY_DOMAIN]
    return (exact + wildcard)[0] if exact or wildcard else None


def waive(finding: Finding, waiver: Waiver | None, as_of: date) -> Finding:
    """``finding`` with ``waiver`` attached (marked expired when ``as_of`` is past its date);
    unchanged when there is no waiver or the finding is neither a failure nor a warning."""
    if waiver is None or finding.status not in WAIVABLE:
        return finding
    expired = as_of > waiver.expires
    return finding.model_copy(update={"waiver": waiver.model_copy(update={"expired": expired})})


def waive_all(
    findings: Sequence[Finding], waivers: Sequence[Waiver], domain: str, as_of: date
) -> tuple[Finding, ...]:
    """``findings`` of the portal on ``domain`` with their waivers attached (see :func:`waive`);
    an expired waiver is logged."""
    out = tuple(waive(f, find_waiver(waivers, f.rule_id, domain), as_of) for f in findings)
    for f in out:
        if f.waiver is not None and f.waiver.expired:
            logger.warning(
                LogText(
                    "%s: miễn trừ %s đã hết hạn ngày %s; tiêu chí vẫn được tính",
                    "%s: waiver of %s expired on %s; the finding counts",
                ),
                domain,
                f.rule_id,
                f.waiver.expires.isoformat(),
            )
    return out


def apply_waivers(
    report: AuditReport, waivers: Sequence[Waiver], scoring: ScoringConfig
) -> AuditReport:
    """``report`` with its waived findings marked and its score recomputed by ``scoring``
    (the pack's): a waiver in force takes the finding out of the score."""
    if not waivers:
        return report
    findings = waive_all(report.findings, waivers, report.agency.address, report.as_of)
    if findings == report.findings:
        return report
    return report.model_copy(update={"findings": findings, "score": score(findings, scoring)})
