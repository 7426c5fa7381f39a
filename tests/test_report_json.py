"""JSON report, summary.json and the JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest

from auditor.errors import AuditorError, InputError
from auditor.report.json_report import (
    ReportFileError,
    load_report,
    load_summary,
    report_json_schema,
    summary_json_schema,
    write_json,
    write_schema,
    write_summary_json,
)
from tests.test_report_html import HOSTILE_TITLE, make_report, make_summary

DOCS_SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "report-schema.json"


def test_report_round_trips(tmp_path: Path) -> None:
    report = make_report()
    path = write_json(report, tmp_path / "soctrang.gov.vn.json")
    text = path.read_text(encoding="utf-8")
    assert "Sở Thông tin và Truyền thông tỉnh Sóc Trăng" in text  # not \u-escaped
    assert json.loads(text)["findings"][2]["evidence"][0]["found"] == HOSTILE_TITLE
    loaded = load_report(path)
    assert loaded == report
    assert loaded.score.total == 72.5 and loaded.findings[4].status == "error"


def test_report_validates_against_schema(tmp_path: Path) -> None:
    schema = report_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(write_json(make_report(), tmp_path / "r.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    bad = dict(data, findings=[dict(data["findings"][0], status="failed")])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(bad)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(dict(data, surprise=1))


def test_summary_round_trips_and_validates(tmp_path: Path) -> None:
    summary = make_summary()
    path = write_summary_json(summary, tmp_path / "summary.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(summary_json_schema()).validate(data)
    assert data["agencies"][0]["statuses"]["Điều 6 k2"] == "fail"
    assert load_summary(path) == summary


def test_docs_schema_is_up_to_date(tmp_path: Path) -> None:
    fresh = write_schema(tmp_path / "report-schema.json").read_text(encoding="utf-8")
    assert json.loads(fresh) == report_json_schema()
    assert DOCS_SCHEMA.read_text(encoding="utf-8") == fresh, (
        "docs/report-schema.json is stale: regenerate with "
        "python -c 'from pathlib import Path; from auditor.report.json_report import "
        'write_schema; write_schema(Path("docs/report-schema.json"))\''
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"schema_version": "2.0"}', "schema_version '2.0' is not supported"),
        ('{"schema_version": "1.0"}', "tool: Field required"),
    ],
)
def test_bad_report_files_raise_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReportFileError) as info:
        load_report(path)
    assert isinstance(info.value, InputError) and isinstance(info.value, AuditorError)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_invalid_field_is_located(tmp_path: Path) -> None:
    data = json.loads(make_report().model_dump_json())
    data["findings"][1]["status"] = "failed"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ReportFileError, match=r"findings\[1\]\.status"):
        load_report(path)


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(ReportFileError, match="file not found"):
        load_report(tmp_path / "nope.json")
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"a": "\xe9"}')
    with pytest.raises(ReportFileError, match="not UTF-8"):
        load_report(path)
