"""SARIF 2.1.0: validated against the official OASIS schema (vendored in tests/data/sarif/)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import jsonschema  # type: ignore[import-untyped]
import pytest

from auditor.report.sarif_report import (
    location_uri,
    render_sarif,
    sarif_level,
    sarif_log,
    split_location,
)
from auditor.report.writer import write_agency_report, write_summary
from tests.test_report_html import (
    DOC,
    HOSTILE_SNIPPET,
    HOSTILE_TITLE,
    NATIONAL,
    make_report,
    make_summary,
)

SCHEMA = Path(__file__).resolve().parent / "data" / "sarif" / "sarif-schema-2.1.0.json"


@cache
def _validator() -> Any:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")  # the OASIS errata01 schema
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def _validate(log: dict[str, Any]) -> None:
    errors = sorted(_validator().iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_log_validates_against_the_official_schema() -> None:
    log = sarif_log([make_report()], "vi")
    _validate(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    bad = json.loads(json.dumps(log))
    bad["runs"][0]["results"][0]["level"] = "fatal"
    assert list(_validator().iter_errors(bad))  # the validator does reject a wrong level


def test_only_failures_and_warnings_are_results_with_levels_from_severity() -> None:
    run = sarif_log([make_report()], "en")["runs"][0]
    results = {r["ruleId"]: r for r in run["results"]}
    assert sorted(results) == ["st.d6k2.hsts", "st.d6k2.https", "st.d8.title"]
    assert results["st.d6k2.https"]["level"] == "error"  # fail, severity high
    assert results["st.d6k2.hsts"]["level"] == "warning"  # warn, severity high
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"] and result["partialFingerprints"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["st.d10.news"]  # error: not a result
    assert "Timed out" in notes[0]["message"]["text"]


def test_levels() -> None:
    f = make_report().findings[0]
    assert sarif_level(f.model_copy(update={"severity": "critical"})) == "error"
    assert sarif_level(f.model_copy(update={"severity": "medium"})) == "warning"
    warn = f.model_copy(update={"status": "warn"})
    assert sarif_level(warn) == "warning"
    assert sarif_level(warn.model_copy(update={"severity": "low"})) == "note"


def test_documents_are_taxonomies_and_rules_relate_to_their_article() -> None:
    run = sarif_log([make_report()], "vi")["runs"][0]
    taxonomies = run["taxonomies"]
    assert [t["name"] for t in taxonomies] == [DOC, NATIONAL]
    assert taxonomies[1]["properties"] == {"draft": True}
    assert run["tool"]["driver"]["supportedTaxonomies"] == [
        {"name": DOC, "index": 0},
        {"name": NATIONAL, "index": 1},
    ]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert len(rules) == len(make_report().findings)  # every rule, so ruleIndex is stable
    for rule_id, doc_index, article in [
        ("st.d6k2.https", 0, "6"),
        ("st.d8.title", 0, "8"),
        ("nd42.d4.contact", 1, "4"),
    ]:
        (rel,) = rules[rule_id]["relationships"]
        target = rel["target"]
        assert target["toolComponent"] == {
            "name": taxonomies[doc_index]["name"],
            "index": doc_index,
        }
        taxon = taxonomies[doc_index]["taxa"][target["index"]]
        assert taxon["id"] == target["id"] == article and taxon["name"] == f"Điều {article}"
    assert rules["st.d6k2.https"]["properties"]["citation"] == f"{DOC} Điều 6 khoản 2"


def test_results_are_located_at_the_evidence_page_else_the_portal() -> None:
    run = sarif_log([make_report()], "vi")["runs"][0]
    results = {r["ruleId"]: r for r in run["results"]}
    bases = run["originalUriBaseIds"]

    def resolved(rule_id: str) -> str:
        loc = results[rule_id]["locations"][0]["physicalLocation"]["artifactLocation"]
        assert not urlsplit(loc["uri"]).scheme  # relative: GitHub rejects https: artifact URIs
        return urljoin(bases[loc["uriBaseId"]]["uri"], loc["uri"])

    assert resolved("st.d6k2.https") == "http://soctrang.gov.vn/"
    assert resolved("st.d6k2.hsts") == "https://www.soctrang.gov.vn/"  # no evidence URL
    assert resolved("st.d8.title") == "https://www.soctrang.gov.vn/"  # javascript: never is
    assert bases == {
        "HTTP_soctrang.gov.vn": {"uri": "http://soctrang.gov.vn/"},
        "HTTPS_www.soctrang.gov.vn": {"uri": "https://www.soctrang.gov.vn/"},
    }
    assert "Trang chủ trả về qua HTTP" in results["st.d6k2.https"]["message"]["text"]
    assert location_uri("https://x.gov.vn/tin-tức") == "https://x.gov.vn/tin-t%E1%BB%A9c"
    assert location_uri("https://x.gov.vn/a b") is None


@pytest.mark.parametrize(
    "url",
    [
        "https://x.gov.vn/",
        "https://x.gov.vn",
        "https://x.gov.vn/tin-tuc/bai-1.html?id=3&p=2",
        "http://x.gov.vn:8080/a:b/c",
        "https://x.gov.vn/%E1%BB%A9",
    ],
)
def test_split_locations_resolve_back_to_the_url(url: str) -> None:
    base_id, base, relative = split_location(url)
    assert relative and not urlsplit(relative).scheme
    assert urljoin(base, relative) == (url if urlsplit(url).path else url + "/")
    assert base_id.startswith(("HTTP_", "HTTPS_"))


def test_hostile_content_is_json_data() -> None:
    text = render_sarif([make_report()], "vi")
    log = json.loads(text)
    message = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "st.d8.title")
    assert HOSTILE_TITLE in message["message"]["text"]
    assert HOSTILE_SNIPPET in message["message"]["text"]
    assert "javascript:alert(4)" in message["message"]["text"]  # quoted, not a location
    _validate(log)


def test_agency_and_combined_files(tmp_path: Path) -> None:
    summary = make_summary()
    for domain in ("www.soctrang.gov.vn", "stnmt.soctrang.gov.vn"):
        write_agency_report(make_report(domain), tmp_path, {"json", "sarif"}, "vi")
    one = json.loads((tmp_path / "soctrang.gov.vn.sarif").read_text(encoding="utf-8"))
    _validate(one)
    rows = summary.agencies[:2]
    files = write_summary(summary.model_copy(update={"agencies": rows}), tmp_path, {"sarif"}, "en")
    assert [p.name for p in files] == ["summary.sarif"]
    combined = json.loads(files[0].read_text(encoding="utf-8"))
    _validate(combined)
    (run,) = combined["runs"]
    domains = {r["properties"]["domain"] for r in run["results"]}
    assert domains == {"www.soctrang.gov.vn", "stnmt.soctrang.gov.vn"}
    assert len(run["results"]) == 6 and len(run["tool"]["driver"]["rules"]) == 8
    prints = {next(iter(r["partialFingerprints"].values())) for r in run["results"]}
    assert len(prints) == 6  # one alert per rule per portal


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_both_languages_validate(lang: str) -> None:
    _validate(sarif_log([make_report()], "en" if lang == "en" else "vi"))
