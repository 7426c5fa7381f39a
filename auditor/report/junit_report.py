"""JUnit XML of one or more agency reports, for CI test-report viewers (GitLab, Jenkins…).

One ``<testsuite>`` per agency and one ``<testcase>`` per rule: ``classname`` is the document
and article, ``name`` the rule id and title. ``fail`` is a ``<failure>``, ``error`` (the auditor
could not tell) an ``<error>``, ``not_applicable`` and ``manual`` are ``<skipped>``; ``pass`` and
``warn`` pass, a warning with a ``<system-out>`` note; a failure or warning under a waiver in
force is ``<skipped>`` with the waiver's reason. Text from scanned pages is escaped by the
XML writer, and characters XML 1.0 cannot hold are replaced.
"""

from __future__ import annotations

import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path

from auditor.models import AuditReport, Evidence, Finding, Lang
from auditor.report.files import open_atomic, write_text_atomic
from auditor.report.i18n import observed, severity_label, status_label

# Characters outside XML 1.0's Char production (C0 controls but tab/LF/CR, surrogates, FFFE/F)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """``value`` with every character XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def _evidence(ev: Evidence, lang: Lang) -> str:
    lines = [ev.detail.get(lang)]
    for label, value in (
        ("URL", ev.url),
        ("Yêu cầu" if lang == "vi" else "Expected", observed(ev.expected, lang)),
        ("Thực tế" if lang == "vi" else "Found", observed(ev.found, lang)),
        ("Trích đoạn" if lang == "vi" else "Snippet", ev.snippet),
    ):
        if value is not None:
            lines.append(f"  {label}: {value}")
    return "\n".join(lines)


def _body(f: Finding, lang: Lang) -> str:
    parts = [f"{f.citation.document} {f.citation.label(lang)} — {f.failure.get(lang)}"]
    parts += [_evidence(ev, lang) for ev in f.evidence]
    if f.fix is not None:
        parts.append(("Cách khắc phục: " if lang == "vi" else "How to fix: ") + f.fix.get(lang))
    if f.waiver is not None and f.waiver.expired:
        parts.append(
            ("Miễn trừ đã hết hạn ngày " if lang == "vi" else "Waiver expired on ")
            + f"{f.waiver.expires}: {f.waiver.reason}"
        )
    return "\n".join(parts)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def _testcase(suite: ET.Element, f: Finding, lang: Lang) -> str:
    """Add the rule's test case; return its outcome: passed, failure, error or skipped."""
    case = _sub(
        suite,
        "testcase",
        classname=f"{f.citation.document}.{f.citation.label(lang)}",
        name=f"{f.rule_id} — {f.title.get(lang)}",
        time="0",
    )
    severity = severity_label(f.severity, lang)
    if f.waived and f.waiver is not None:
        label = "Miễn trừ" if lang == "vi" else "Waived"
        note = f"{label}: {f.waiver.reason} ({f.waiver.approved_by}, {f.waiver.expires})"
        _sub(case, "skipped", message=note)
        _sub(case, "system-out", f"{status_label(f.status, lang)}: {_body(f, lang)}")
        return "skipped"
    if f.status == "fail":
        _sub(case, "failure", _body(f, lang), message=f.failure.get(lang), type=severity)
        return "failure"
    if f.status == "error":
        detail = "; ".join(ev.detail.get(lang) for ev in f.evidence) or status_label("error", lang)
        _sub(case, "error", _body(f, lang), message=detail, type=status_label("error", lang))
        return "error"
    if f.status in ("not_applicable", "manual"):
        _sub(case, "skipped", message=status_label(f.status, lang))
        return "skipped"
    if f.status == "warn":
        _sub(case, "system-out", f"{status_label('warn', lang)} ({severity}): {_body(f, lang)}")
    return "passed"


def _suite(parent: ET.Element, report: AuditReport, lang: Lang) -> dict[str, int]:
    suite = _sub(
        parent,
        "testsuite",
        name=f"{report.agency.name} ({report.agency.address})",
        hostname=report.agency.domain,
        timestamp=report.started_at.replace(tzinfo=None).isoformat(timespec="seconds"),
        time=f"{report.crawl.duration_s:.3f}",
    )
    props = _sub(suite, "properties")
    total = report.score.total
    for name, value in (
        ("domain", report.agency.address),
        ("level", report.agency.level),
        ("profile", report.profile.id),
        ("as_of", report.as_of.isoformat()),
        ("score", "" if total is None else f"{total:.1f}"),
        ("grade", report.score.grade or ""),
        ("tool", f"{report.tool.name} {report.tool.version}"),
    ):
        _sub(props, "property", name=name, value=value)
    tally = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for f in report.findings:
        outcome = _testcase(suite, f, lang)
        tally["tests"] += 1
        if outcome == "failure":
            tally["failures"] += 1
        elif outcome == "error":
            tally["errors"] += 1
        elif outcome == "skipped":
            tally["skipped"] += 1
    for key, count in tally.items():
        suite.set(key, str(count))
    return tally


def render_junit(reports: Sequence[AuditReport], lang: Lang = "vi") -> str:
    """The JUnit XML document (``<testsuites>``) of ``reports``."""
    root = ET.Element("testsuites", {"name": "auditor"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    seconds = 0.0
    for report in reports:
        for key, value in _suite(root, report, lang).items():
            totals[key] += value
        seconds += report.crawl.duration_s
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{seconds:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def write_junit(reports: Sequence[AuditReport], path: Path, lang: Lang = "vi") -> Path:
    """Write the JUnit XML of ``reports`` to ``path``."""
    return write_text_atomic(path, render_junit(reports, lang))


def write_junit_stream(reports: Iterable[AuditReport], path: Path, lang: Lang = "vi") -> Path:
    """Write the JUnit XML of ``reports`` to ``path`` taking one report at a time, so memory
    does not grow with the number of reports (same text as :func:`write_junit`)."""
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    seconds = 0.0
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for report in reports:
            holder = ET.Element("testsuites")
            for key, value in _suite(holder, report, lang).items():
                totals[key] += value
            seconds += report.crawl.duration_s
            ET.indent(holder)
            suite = holder[0]
            suite.tail = None
            spool.write("\n  " + ET.tostring(suite, "unicode"))
        root = ET.Element("testsuites", {"name": "auditor"})
        for key, value in totals.items():
            root.set(key, str(value))
        root.set("time", f"{seconds:.3f}")
        head = '<?xml version="1.0" encoding="UTF-8"?>\n'
        with open_atomic(path) as out:
            if not spool.tell():
                out.write(head + ET.tostring(root, "unicode") + "\n")
                return path
            root.text = _HOLE
            start, end = ET.tostring(root, "unicode").split(_HOLE)
            out.write(head + start)
            spool.seek(0)
            while chunk := spool.read(1 << 16):
                out.write(chunk)
            out.write("\n" + end + "\n")
    return path


_HOLE = "auditor-stream-hole"
