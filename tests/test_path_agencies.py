"""Path-based agencies (Lâm Đồng's departments at ``lamdong.gov.vn/sites/<name>/``): two on one
host are two agencies with two reports, each crawled from its own prefix, and the domain-name rule
leaves the judgement to a person."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.fixtureserver import FixtureServer
from auditor.paths import rules_dir
from auditor.registry import bundled_registries
from auditor.scan import parse_target

runner = CliRunner()
BUNDLED = bundled_registries(rules_dir() / "registries")


def _page(title: str, links: str = "") -> str:
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1><nav>{links}</nav><p>Trang thông tin điện tử.</p>"
        "</body></html>"
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixtureServer]:
    sites = tmp_path_factory.mktemp("sites")
    host = sites / "lamdong.gov.vn"
    for folder, title in (("sites/stp", "Sở Tư pháp"), ("sites/soyte", "Sở Y tế")):
        (host / folder).mkdir(parents=True)
        (host / folder / "index.html").write_text(
            _page(title, f'<a href="/{folder}/gioi-thieu.html">Giới thiệu</a>'), encoding="utf-8"
        )
        (host / folder / "gioi-thieu.html").write_text(_page(title + ": giới thiệu"), "utf-8")
    (host / "index.html").write_text(
        _page("UBND tỉnh", '<a href="/sites/stp/">Sở Tư pháp</a><a href="/sites/soyte/">Y tế</a>'),
        encoding="utf-8",
    )
    with FixtureServer(sites) as srv:
        yield srv


def test_targets_with_paths_are_path_based_agencies() -> None:
    listed = parse_target("https://lamdong.gov.vn/sites/stp/", None, bundled=BUNDLED)
    assert listed.agency.name == "Sở Tư pháp" and listed.agency.path == "/sites/stp/"
    assert listed.agency.guessed == ()
    unlisted = parse_target("lamdong.gov.vn/sites/soyte", None, bundled=BUNDLED)
    assert unlisted.agency.path == "/sites/soyte/" and unlisted.agency.parent == "lamdong.gov.vn"
    assert "name" in unlisted.agency.guessed
    province = parse_target("https://lamdong.gov.vn/index.html", None, bundled=BUNDLED)
    assert province.agency.path is None and province.agency.level == "province"
    qn = parse_target("https://www.quangninh.gov.vn/So/soxaydung/", None, bundled=BUNDLED)
    assert qn.agency.name == "Sở Xây dựng" and qn.agency.path == "/So/soxaydung/"


def test_two_path_agencies_on_one_host_get_two_reports(
    server: FixtureServer, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "scan",
            "lamdong.gov.vn/sites/stp",
            "https://lamdong.gov.vn/sites/soyte/",
            "--connect-to",
            f":443:127.0.0.1:{server.https_port}",
            "--connect-to",
            f":80:127.0.0.1:{server.http_port}",
            "--ca-bundle",
            str(server.ca_pem_path),
            "--format",
            "json,html",
            "--out",
            str(out),
            "--lang",
            "en",
            "-q",
        ],
    )
    assert result.exit_code in (0, 3), result.output
    assert "lamdong.gov.vn/sites/stp/=" in result.output
    assert "lamdong.gov.vn/sites/soyte/=" in result.output
    stp = json.loads((out / "lamdong.gov.vn_sites_stp.json").read_text(encoding="utf-8"))
    soyte = json.loads((out / "lamdong.gov.vn_sites_soyte.json").read_text(encoding="utf-8"))
    assert stp["agency"]["path"] == "/sites/stp/" and stp["agency"]["name"] == "Sở Tư pháp"
    assert soyte["agency"]["path"] == "/sites/soyte/"
    assert stp["crawl"]["start_url"] == "https://lamdong.gov.vn/sites/stp/"
    assert soyte["crawl"]["start_url"] == "https://lamdong.gov.vn/sites/soyte/"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    names = sorted(row["report_json"] for row in summary["agencies"])
    assert names == ["lamdong.gov.vn_sites_soyte.json", "lamdong.gov.vn_sites_stp.json"]
    naming = [f for f in stp["findings"] if f["rule_id"].startswith("ld.d4k2b.domain")]
    assert naming
    for finding in naming:  # no form for paths in the regulation: a person judges
        assert finding["status"] in ("manual", "not_applicable"), finding
    assert (out / "lamdong.gov.vn_sites_stp.html").exists()
