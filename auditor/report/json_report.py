"""The JSON report (one agency) and summary.json (a scan), with their JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from auditor.errors import InputError, Problem, cat
from auditor.models import SCHEMA_VERSION, AuditReport, ScanSummary, t
from auditor.report.files import write_text_atomic
from auditor.validation_text import pydantic_message

M = TypeVar("M", bound=BaseModel)

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Limits on a JSON input (a saved report, a summary, a baseline): far above what this tool writes.
MAX_JSON_BYTES = 256_000_000
MAX_JSON_DEPTH = 64
_TOO_DEEP = object()


class ReportFileError(InputError):
    """A JSON report or summary file cannot be read or does not match the schema."""


def write_json(report: AuditReport, path: Path) -> Path:
    """Write ``report`` as indented UTF-8 JSON (Vietnamese kept as is) to ``path``."""
    return write_text_atomic(path, report.model_dump_json(indent=2) + "\n")


def write_summary_json(summary: ScanSummary, path: Path) -> Path:
    """Write a scan summary (``summary.json``) to ``path``."""
    return write_text_atomic(path, summary.model_dump_json(indent=2) + "\n")


def load_report(path: Path) -> AuditReport:
    """Read and validate a JSON report; :class:`ReportFileError` lists every problem found."""
    return _load(path, AuditReport)


def load_summary(path: Path) -> ScanSummary:
    """Read and validate a ``summary.json``; :class:`ReportFileError` on a bad file."""
    return _load(path, ScanSummary)


def load_any(path: Path) -> AuditReport | ScanSummary:
    """Read a saved agency report or a ``summary.json`` (told apart by its ``agencies`` key)."""
    data = _read(path)
    if "agencies" in data:
        return _validate(data, ScanSummary, str(path))
    return _validate(data, AuditReport, str(path))


def _load(path: Path, model: type[M]) -> M:
    return _validate(_read(path), model, str(path))


def _read(path: Path) -> dict[str, Any]:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            why = t(
                f"tệp quá lớn ({size:,} byte; tối đa {MAX_JSON_BYTES:,})",
                f"file too large ({size:,} bytes; at most {MAX_JSON_BYTES:,})",
            )
            raise ReportFileError([Problem(name, None, why)])
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        missing = t("không tìm thấy tệp", "file not found")
        raise ReportFileError([Problem(name, None, missing)]) from None
    except UnicodeDecodeError:
        not_utf8 = t("không phải văn bản UTF-8", "not UTF-8 text")
        raise ReportFileError([Problem(name, None, not_utf8)]) from None
    except OSError as exc:
        cannot = t(f"không đọc được: {exc.strerror}", f"cannot read: {exc.strerror}")
        raise ReportFileError([Problem(name, None, cannot)]) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        bad = t(f"không phải JSON hợp lệ: {exc.msg}", f"not valid JSON: {exc.msg}")
        raise ReportFileError([Problem(name, exc.lineno, bad)]) from None
    except RecursionError:
        data = _TOO_DEEP
    if data is _TOO_DEEP or _too_deep(data):
        deep = t(
            f"lồng sâu quá {MAX_JSON_DEPTH} mức", f"nested deeper than {MAX_JSON_DEPTH} levels"
        )
        raise ReportFileError([Problem(name, None, deep)])
    if not isinstance(data, dict):
        shape = t("cần một đối tượng JSON", "expected a JSON object")
        raise ReportFileError([Problem(name, 1, shape)])
    return data


def _too_deep(data: Any) -> bool:
    """Whether ``data`` nests lists/objects deeper than :data:`MAX_JSON_DEPTH` (iteratively)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                return True
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)
    return False


def _validate(data: dict[str, Any], model: type[M], name: str) -> M:
    version = data.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, str) or version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise ReportFileError(
            [
                Problem(
                    name,
                    None,
                    t(
                        f"schema_version {version!r} không được hỗ trợ (công cụ này đọc "
                        f"{SCHEMA_VERSION.split('.')[0]}.x)",
                        f"schema_version {version!r} is not supported (this tool reads "
                        f"{SCHEMA_VERSION.split('.')[0]}.x)",
                    ),
                )
            ]
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(name, None, cat(f"{_loc(err['loc'])}: ", pydantic_message(err)))
            for err in exc.errors()
        ]
        raise ReportFileError(problems) from None


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


def _schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    return {"$schema": JSON_SCHEMA_DIALECT, **schema, "title": title}


def report_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the per-agency JSON report (:class:`AuditReport`)."""
    return _schema(AuditReport, f"auditor report, schema_version {SCHEMA_VERSION}")


def summary_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of ``summary.json`` (:class:`ScanSummary`)."""
    return _schema(ScanSummary, f"auditor scan summary, schema_version {SCHEMA_VERSION}")


def write_schema(path: Path) -> Path:
    """Write :func:`report_json_schema` to ``path`` (``docs/report-schema.json``)."""
    text = json.dumps(report_json_schema(), indent=2, ensure_ascii=False, sort_keys=True)
    return write_text_atomic(path, text + "\n")
