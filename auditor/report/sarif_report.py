"""SARIF 2.1.0 log of one or more agency reports, for GitHub code scanning and other viewers.

One run of the ``auditor`` tool: each legal document is a taxonomy whose taxa are its articles;
each rule is a reporting descriptor related to its article. Only ``fail`` and ``warn`` findings
become results (GitHub closes an alert when it stops appearing); a result is located at the
evidence's page URL, else the portal's URL, and its message is the rule's failure text followed
by the evidence (the location is relative to the page's origin, declared in
``run.originalUriBaseIds``, so GitHub accepts it). ``error`` findings (the auditor could not
tell) are tool execution notifications, never results. Text from scanned pages is JSON data
here, never markup.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, TextIO
from urllib.parse import quote, urlsplit

from auditor import __version__
from auditor.models import AuditReport, Evidence, Finding, Lang, Severity
from auditor.report.files import open_atomic, write_text_atomic
from auditor.report.i18n import observed, severity_label, status_label
from auditor.report.links import safe_href

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
MAX_EVIDENCE_LINES = 8  # evidence items quoted in a result's message
MAX_RELATED = 20  # further evidence pages listed as related locations

Level = Literal["error", "warning", "note"]
_HIGH: frozenset[Severity] = frozenset({"critical", "high"})


def sarif_level(finding: Finding) -> Level:
    """SARIF level of a failed or warned finding: a failure is an ``error`` when its rule is
    critical or high and a ``warning`` otherwise; a warning is a ``warning`` when critical or
    high and a ``note`` otherwise."""
    high = finding.severity in _HIGH
    if finding.status == "fail":
        return "error" if high else "warning"
    return "warning" if high else "note"


def _default_level(severity: Severity) -> Level:
    return "error" if severity in _HIGH else "warning"


def _text(value: str) -> dict[str, str]:
    return {"text": value or "-"}


def _evidence_line(ev: Evidence, lang: Lang) -> str:
    parts = [ev.detail.get(lang)]
    if ev.url:
        parts.append(ev.url)
    if ev.expected is not None:
        expected = observed(ev.expected, lang) or ""
        parts.append(("yêu cầu: " if lang == "vi" else "expected: ") + expected)
    if ev.found is not None:
        found = observed(ev.found, lang) or ""
        parts.append(("thực tế: " if lang == "vi" else "found: ") + found)
    if ev.snippet:
        parts.append(("trích: " if lang == "vi" else "snippet: ") + ev.snippet)
    return " — ".join(parts)


def _message(report: AuditReport, f: Finding, lang: Lang) -> str:
    head = f"[{status_label(f.status, lang)}] {f.title.get(lang)} — {f.failure.get(lang)}"
    head += f" ({report.agency.name}, {f.citation.document} {f.citation.label(lang)})"
    lines = [head]
    lines += [f"- {_evidence_line(ev, lang)}" for ev in f.evidence[:MAX_EVIDENCE_LINES]]
    more = len(f.evidence) - MAX_EVIDENCE_LINES
    if more > 0:
        lines.append(f"- … {more} " + ("bằng chứng khác" if lang == "vi" else "more"))
    if f.fix is not None:
        lines.append(("Cách khắc phục: " if lang == "vi" else "How to fix: ") + f.fix.get(lang))
    if f.waiver is not None:
        label = ("Miễn trừ" if lang == "vi" else "Waiver") + (
            (" đã hết hạn, không áp dụng" if lang == "vi" else " expired, ignored")
            if f.waiver.expired
            else ""
        )
        lines.append(
            f"{label}: {f.waiver.reason} ({f.waiver.approved_by}, {f.waiver.expires.isoformat()})"
        )
    return "\n".join(lines)


def split_location(url: str) -> tuple[str, str, str]:
    """``(base id, base URI, relative URI)`` of an http(s) URL: the page's origin becomes a
    ``run.originalUriBaseIds`` entry and the location a relative reference to it, which
    resolves back to ``url``. GitHub code scanning rejects absolute ``https:`` artifact URIs
    (their scheme differs from the checkout's ``file:``); a relative one with a base id it
    accepts."""
    parts = urlsplit(url)
    base_id = f"{parts.scheme.upper()}_{parts.netloc.lower()}"
    base = f"{parts.scheme}://{parts.netloc}/"
    relative = parts.path.lstrip("/")
    if parts.query:
        relative += "?" + parts.query
    if not relative or ":" in relative.split("/", 1)[0]:
        relative = "./" + relative  # never empty, never read as a scheme
    return base_id, base, relative


class _Origins:
    """The origins the locations are relative to (``run.originalUriBaseIds``)."""

    def __init__(self) -> None:
        self.bases: dict[str, dict[str, str]] = {}

    def location(self, url: str, ident: int | None = None) -> dict[str, Any]:
        base_id, base, relative = split_location(url)
        self.bases.setdefault(base_id, {"uri": base})
        loc: dict[str, Any] = {
            "physicalLocation": {"artifactLocation": {"uri": relative, "uriBaseId": base_id}}
        }
        if ident is not None:
            loc["id"] = ident
        return loc


def location_uri(url: str | None) -> str | None:
    """``url`` as a SARIF artifact URI when it is an http(s) URL (non-ASCII and unsafe
    characters percent-encoded), else ``None``: a ``javascript:`` or garbled URL from a
    scanned page is never a location (it stays quoted in the message)."""
    if safe_href(url) is None or url is None:
        return None
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def _portal_url(report: AuditReport) -> str:
    for url in (report.crawl.final_url, report.crawl.start_url):
        uri = location_uri(url)
        if uri is not None:
            return uri
    return f"https://{quote(report.agency.address)}" + ("" if report.agency.path else "/")


def _fingerprint(report: AuditReport, f: Finding) -> str:
    """Stable across runs for one rule on one portal, so an alert is tracked, not re-opened."""
    path = (report.agency.path or "").casefold()  # empty for a portal on its own host
    key = f"{report.agency.domain.lower()}{path}\x00{f.rule_id}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


class _Taxonomies:
    """Documents as taxonomies, articles as taxa, indexed as SARIF references them."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.components: list[dict[str, Any]] = []
        self._doc_index: dict[str, int] = {}
        self._taxon_index: dict[tuple[str, str], int] = {}

    def add_profile(self, report: AuditReport) -> None:
        """Register the documents the report's rule pack applies."""
        for doc in report.profile.documents:
            self._document(doc.id, doc.title.get(self.lang), doc.draft)

    def _document(self, doc_id: str, title: str | None = None, draft: bool = False) -> int:
        if doc_id not in self._doc_index:
            self._doc_index[doc_id] = len(self.components)
            component: dict[str, Any] = {
                "name": doc_id,
                "fullName": title or doc_id,
                "shortDescription": _text(title or doc_id),
                "isComprehensive": False,
                "taxa": [],
            }
            if draft:
                component["properties"] = {"draft": True}
            self.components.append(component)
        return self._doc_index[doc_id]

    def reference(self, f: Finding) -> dict[str, Any]:
        """The relationship of a rule to its article's taxon."""
        doc = self._document(f.citation.document)
        key = (f.citation.document, f.citation.article)
        if key not in self._taxon_index:
            taxa = self.components[doc]["taxa"]
            self._taxon_index[key] = len(taxa)
            label = "Điều" if self.lang == "vi" else "Art."
            taxa.append(
                {
                    "id": f.citation.article,
                    "name": f"{label} {f.citation.article}",
                    "shortDescription": _text(
                        f"{f.citation.document}, {label} {f.citation.article}"
                    ),
                }
            )
        return {
            "target": {
                "id": f.citation.article,
                "index": self._taxon_index[key],
                "toolComponent": {"name": f.citation.document, "index": doc},
            },
            "kinds": ["relevant"],
        }

    def supported(self) -> list[dict[str, Any]]:
        return [{"name": c["name"], "index": i} for i, c in enumerate(self.components)]


def _rule(f: Finding, taxonomies: _Taxonomies, lang: Lang) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": f.rule_id,
        "shortDescription": _text(f.title.get(lang)),
        "fullDescription": _text(f.failure.get(lang)),
        "defaultConfiguration": {"level": _default_level(f.severity)},
        "relationships": [taxonomies.reference(f)],
        "properties": {
            "tags": ["compliance", f.category],
            "category": f.category,
            "severity": f.severity,
            "severityLabel": severity_label(f.severity, lang),
            "weight": f.weight,
            "citation": f"{f.citation.document} {f.citation.label(lang)}",
        },
    }
    if f.fix is not None:
        rule["help"] = _text(f.fix.get(lang))
    return rule


def _result(
    report: AuditReport, f: Finding, rule_index: int, lang: Lang, origins: _Origins
) -> dict[str, Any]:
    urls = [u for u in dict.fromkeys(location_uri(ev.url) for ev in f.evidence) if u]
    primary = urls[0] if urls else _portal_url(report)
    related = [origins.location(url, i) for i, url in enumerate(urls[1 : MAX_RELATED + 1], start=1)]
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": sarif_level(f),
        "message": _text(_message(report, f, lang)),
        "locations": [origins.location(primary)],
        "partialFingerprints": {"auditorRulePortal/v1": _fingerprint(report, f)},
        "properties": {
            "domain": report.agency.address,
            "agency": report.agency.name,
            "status": f.status,
            "severity": f.severity,
        },
    }
    if related:
        result["relatedLocations"] = related
    waiver = f.waiver
    if waiver is not None and not waiver.expired:
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"{waiver.reason} ({waiver.approved_by}, "
                f"{waiver.expires.isoformat()})",
            }
        ]
    elif waiver is not None:
        result["properties"]["expiredWaiver"] = {
            "reason": waiver.reason,
            "approvedBy": waiver.approved_by,
            "expires": waiver.expires.isoformat(),
        }
    return result


def _notification(report: AuditReport, f: Finding, lang: Lang) -> dict[str, Any]:
    detail = "; ".join(_evidence_line(ev, lang) for ev in f.evidence[:3])
    text = f"{report.agency.address}: {f.rule_id} — {status_label('error', lang)}"
    return {
        "level": "warning",
        "message": _text(f"{text}: {detail}" if detail else text),
        "descriptor": {"id": f.rule_id},
    }


class _Run:
    """One SARIF run built report by report: the rules, taxonomies and origins seen so far
    (bounded by the packs, not by the number of portals); results are handed back per report."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.taxonomies = _Taxonomies(lang)
        self.origins = _Origins()
        self.rules: list[dict[str, Any]] = []
        self.rule_index: dict[str, int] = {}
        self.version: str | None = None
        self.domain: str | None = None  # the one domain, while there is only one
        self.domains = 0

    def add(self, report: AuditReport) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The results and tool notifications of ``report``."""
        if self.version is None:
            self.version = report.tool.version
        if report.agency.address != self.domain:
            self.domains += 1
            self.domain = report.agency.address if self.domains == 1 else None
        results: list[dict[str, Any]] = []
        notifications: list[dict[str, Any]] = []
        for f in report.findings:
            if f.rule_id not in self.rule_index:
                self.rule_index[f.rule_id] = len(self.rules)
                self.rules.append(_rule(f, self.taxonomies, self.lang))
            if f.status in ("fail", "warn"):
                results.append(
                    _result(report, f, self.rule_index[f.rule_id], self.lang, self.origins)
                )
            elif f.status == "error":
                notifications.append(_notification(report, f, self.lang))
        return results, notifications

    def log(self, results: list[Any], notifications: list[Any]) -> dict[str, Any]:
        """The SARIF log with these results and notifications."""
        version = self.version or __version__
        scope = self.domain if self.domains == 1 and self.domain else "scan"
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "auditor",
                    "version": version,
                    "semanticVersion": version,
                    "rules": self.rules,
                    "supportedTaxonomies": self.taxonomies.supported(),
                }
            },
            "taxonomies": self.taxonomies.components,
            "originalUriBaseIds": self.origins.bases,
            # GitHub's category: stable per portal, one for a whole scan (alerts of a category
            # close when they stop appearing in it)
            "automationDetails": {"id": f"auditor/{scope}/"},
            "invocations": [
                {"executionSuccessful": True, "toolExecutionNotifications": notifications}
            ],
            "language": "vi-VN" if self.lang == "vi" else "en-US",
            "columnKind": "unicodeCodePoints",
            "results": results,
        }
        return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def sarif_log(reports: Sequence[AuditReport], lang: Lang = "vi") -> dict[str, Any]:
    """The SARIF 2.1.0 log (as JSON data) of ``reports``, in one run."""
    run = _Run(lang)
    for report in reports:
        run.taxonomies.add_profile(report)
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for report in reports:
        found, notes = run.add(report)
        results += found
        notifications += notes
    return run.log(results, notifications)


def render_sarif(reports: Sequence[AuditReport], lang: Lang = "vi") -> str:
    """The SARIF log of ``reports`` as indented UTF-8 JSON text."""
    return json.dumps(sarif_log(reports, lang), indent=2, ensure_ascii=False) + "\n"


def write_sarif(reports: Sequence[AuditReport], path: Path, lang: Lang = "vi") -> Path:
    """Write the SARIF log of ``reports`` to ``path``."""
    return write_text_atomic(path, render_sarif(reports, lang))


_HOLE = "\x00auditor-stream\x00"


class _Spool:
    """JSON array items written to a temporary file as they come, spliced in at the end."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed by close()
        self.count = 0

    def add(self, items: Iterable[Any]) -> None:
        for item in items:
            self.file.write(
                ("\n" if self.count else "") + json.dumps(item, indent=2, ensure_ascii=False)
            )
            self.count += 1

    def splice(self, text: str, out: TextIO) -> str:
        """Write ``text`` up to the hole this spool fills, then the items indented like it,
        then return the rest of ``text``."""
        marker = json.dumps(_HOLE, ensure_ascii=False)
        at = text.index(marker)
        line_start = text.rindex("\n", 0, at) + 1
        indent = text[line_start:at]
        out.write(text[:line_start])
        self.file.seek(0)
        first = True
        item: list[str] = []
        for line in self.file:  # items are separated by lines starting with '{' at column 0
            if line.startswith("{") and item:
                out.write(("" if first else ",\n") + "".join(item).rstrip("\n"))
                first, item = False, []
            item.append(indent + line)
        if item:
            out.write(("" if first else ",\n") + "".join(item).rstrip("\n"))
        return text[at + len(marker) :]

    def close(self) -> None:
        self.file.close()


def write_sarif_stream(reports: Iterable[AuditReport], path: Path, lang: Lang = "vi") -> Path:
    """Write the SARIF log of ``reports`` to ``path`` taking one report at a time, so memory
    does not grow with the number of reports (same text as :func:`write_sarif` when the reports
    share their rule packs)."""
    run = _Run(lang)
    results, notifications = _Spool(), _Spool()
    try:
        for report in reports:
            run.taxonomies.add_profile(report)
            found, notes = run.add(report)
            results.add(found)
            notifications.add(notes)
        text = json.dumps(
            run.log([_HOLE] if results.count else [], [_HOLE] if notifications.count else []),
            indent=2,
            ensure_ascii=False,
        )
        with open_atomic(path) as out:
            if notifications.count:
                text = notifications.splice(text, out)
            if results.count:
                text = results.splice(text, out)
            out.write(text + "\n")
    finally:
        results.close()
        notifications.close()
    return path
