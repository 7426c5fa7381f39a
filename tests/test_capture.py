"""Site captures: WARC round trip (byte-identical bodies, legacy encodings included), unknown
schema versions refused, one HTML parse per page when judging, and ``auditor audit`` of saved
captures giving the scan's verdicts with no network at all."""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import socket
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from auditor.audit import plan_audit
from auditor.capture.model import CAPTURE_SCHEMA_VERSION
from auditor.capture.warc import CaptureError, read_capture, write_capture
from auditor.cli import app
from auditor.config import CrawlSettings
from auditor.fixtureserver import FixtureServer
from auditor.htmlcaps import PARSES
from auditor.judge import JudgeTask, judge
from auditor.models import AuditReport
from auditor.paths import fixtures_dir
from auditor.registry import load_registry
from auditor.scan import build_plan, run_scan
from tests.test_gather import AS_OF, demo_captures

REGISTRY = fixtures_dir() / "demo" / "registry.yaml"


def test_every_demo_capture_reads_back_byte_identical(tmp_path: Path) -> None:
    legacy = 0
    for domain, capture in demo_captures().items():
        path = tmp_path / f"{domain}.capture.warc.gz"
        digest = write_capture(capture, path)
        assert len(digest) == 64
        back = read_capture(path)
        assert back == capture
        for mine, theirs in zip(back.pages, capture.pages, strict=True):
            assert mine.body == theirs.body and mine.headers == theirs.headers
        legacy += sum(
            1 for p in capture.pages if (p.detected_encoding or "utf-8").lower() != "utf-8"
        )
    assert legacy > 0  # the windows-1258 / VNI portals were among them


def test_a_capture_is_a_plain_warc_for_standard_tools(tmp_path: Path) -> None:
    capture = demo_captures()["kesach.soctrang.gov.vn"]
    path = tmp_path / "k.capture.warc.gz"
    write_capture(capture, path)
    records = list(_records(gzip.decompress(path.read_bytes())))
    kinds = {kind for kind, _, _ in records}
    assert {"warcinfo", "metadata", "request", "response"} <= kinds
    served = {uri: body for kind, uri, body in records if kind == "response"}
    for page in capture.pages:
        assert served[page.final_url] == page.body


def _records(data: bytes) -> list[tuple[str, str, bytes]]:
    out = []
    for record in ArchiveIterator(io.BytesIO(data)):
        uri = record.rec_headers.get_header("WARC-Target-URI")
        out.append((record.rec_type, uri, record.raw_stream.read()))
    return out


def test_an_unknown_schema_version_is_refused(tmp_path: Path) -> None:
    capture = demo_captures()["kesach.soctrang.gov.vn"]
    path = tmp_path / "future.capture.warc.gz"
    write_capture(capture.model_copy(update={"schema_version": CAPTURE_SCHEMA_VERSION + 1}), path)
    with pytest.raises(CaptureError, match="schema version 2"):
        read_capture(path)
    result = CliRunner().invoke(
        app, ["audit", str(path), "--out", str(tmp_path / "out"), "--lang", "en"]
    )
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "schema version 2" in said and "Traceback" not in said
    assert not (tmp_path / "out").exists()
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(b"not a warc")
    result = CliRunner().invoke(app, ["audit", str(junk), "--lang", "en"])
    assert result.exit_code == 2 and "not a readable capture" in " ".join(result.output.split())


def test_judging_parses_each_html_page_once() -> None:
    registry = load_registry(REGISTRY)
    from auditor.paths import rules_dir
    from auditor.rules.loader import load_pack

    pack = load_pack("soctrang-2019", rules_dir())
    pages = parses = 0
    for capture in demo_captures().values():
        search = capture.search.response if capture.search else None
        pages += len(capture.pages) + (1 if search is not None and search.is_html else 0)
        before = next(PARSES)
        judge(JudgeTask(capture, pack, AS_OF, registry))
        parses += next(PARSES) - before - 1
    print(f"demo: {parses} HTML parses for {pages} HTML pages")
    assert parses == pages


def _findings(report: AuditReport) -> list[tuple[str, str, str]]:
    return [
        (f.rule_id, f.status, json.dumps(f.model_dump(mode="json")["evidence"]))
        for f in report.findings
    ]


def test_audit_of_saved_captures_gives_the_scans_verdicts_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = load_registry(REGISTRY)
    scanned: dict[str, AuditReport] = {}
    with FixtureServer(fixtures_dir() / "sites") as server:
        settings = CrawlSettings(
            connect_to=server.connect_to(),
            ca_bundle=server.ca_pem_path,
            timeout_s=10.0,
            dns_server=server.dns_server,
        )
        plan = build_plan(
            [], registry, None, tmp_path / "scan", frozenset({"json"}), "vi", AS_OF, settings
        )
        import dataclasses

        plan = dataclasses.replace(plan, save_capture=True, workers=2)
        asyncio.run(
            run_scan(
                plan, lambda e: scanned.__setitem__(e.agency.domain, e.report) if e.report else None
            )
        )
    files = sorted((tmp_path / "scan").glob("*.capture.warc.gz"))
    assert len(files) == len(registry.agencies) == len(scanned)
    for report in scanned.values():
        assert report.capture is not None and report.capture.sha256

    # judging again: not one connection, not one name lookup
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("auditor audit used the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    audited: dict[str, AuditReport] = {}
    plan = plan_audit(
        files, registry, None, tmp_path / "audit", frozenset({"json"}), "vi", AS_OF, workers=0
    )
    asyncio.run(
        run_scan(
            plan, lambda e: audited.__setitem__(e.agency.domain, e.report) if e.report else None
        )
    )
    assert set(audited) == set(scanned)
    for domain, report in scanned.items():
        assert _findings(audited[domain]) == _findings(report), domain
        assert audited[domain].score == report.score
        assert audited[domain].capture is not None
        assert audited[domain].capture.sha256 == report.capture.sha256
    # the same captures under the texts in force on 2023-06-01: other findings, no crawl
    older: dict[str, AuditReport] = {}
    plan = plan_audit(
        files,
        registry,
        None,
        tmp_path / "old",
        frozenset({"json"}),
        "vi",
        date(2023, 6, 1),
        workers=0,
    )
    asyncio.run(
        run_scan(plan, lambda e: older.__setitem__(e.agency.domain, e.report) if e.report else None)
    )
    changed = [d for d in scanned if _findings(older[d]) != _findings(scanned[d])]
    assert changed
    assert all(o.as_of == date(2023, 6, 1) for o in older.values())
