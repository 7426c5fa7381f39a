"""The history database: migrations, recording a run, reading it back (SQLite)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, text

from auditor.history import schema
from auditor.history.migrations import LATEST, HistorySchemaError, upgrade
from auditor.history.store import HistoryError, database_url, open_store
from auditor.models import RunStamp
from tests.test_report_html import make_report

STAMP = RunStamp(run_id="20261120T000000Z-aaaaaa", settings_digest="s" * 64, packs={"p": "d"})


def test_database_url_from_path_or_url(tmp_path: Path) -> None:
    assert database_url(tmp_path / "h.sqlite") == f"sqlite:///{tmp_path / 'h.sqlite'}"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_migrations_create_every_table_once(tmp_path: Path) -> None:
    engine = create_engine(database_url(tmp_path / "h.sqlite"))
    assert upgrade(engine) == LATEST
    assert upgrade(engine) == LATEST  # idempotent
    with engine.connect() as conn:
        tables = {
            row[0]
            for row in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        }
        versions = conn.execute(text("SELECT version FROM auditor_schema")).scalars().all()
    assert {"auditor_schema", "runs", "agency_results", "findings"} <= tables
    assert versions == list(range(1, LATEST + 1))


def test_a_database_from_a_newer_auditor_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    open_store(path).close()
    engine = create_engine(database_url(path))
    with engine.begin() as conn:
        conn.execute(
            insert(schema.schema_versions).values(
                version=LATEST + 1, description="future", applied_at=date(2030, 1, 1)
            )
        )
    with pytest.raises(HistorySchemaError, match="newer auditor"):
        upgrade(engine)


def test_an_unreachable_database_is_a_history_error() -> None:
    with pytest.raises(HistoryError):
        open_store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_a_run_is_recorded_and_read_back(tmp_path: Path) -> None:
    round_trip(str(tmp_path / "h.sqlite"))


def round_trip(where: str) -> None:
    """Record a run at ``where`` (a SQLite path or a URL), read it back (also on PostgreSQL)."""
    report = make_report(domain="a.gov.vn")  # fails st.d6k2.https and st.d8.title
    fail = next(f for f in report.findings if f.rule_id == "st.d6k2.https")
    with open_store(where) as store:
        store.start_run(
            STAMP, command="scan", as_of=date(2026, 11, 20), profile="p", province="X", planned=2
        )
        store.record(STAMP.run_id, report, "a.gov.vn.json")
        store.record(STAMP.run_id, report, "a.gov.vn.json")  # recorded again: replaced
        store.finish_run(STAMP.run_id)
    with open_store(where) as store:
        (run,) = store.runs()
        assert (run.run_id, run.status, run.agencies, run.planned) == (
            STAMP.run_id,
            "complete",
            1,
            2,
        )
        assert run.failures == 2
        (mine,) = store.agency_runs("www.A.gov.vn")
        assert mine.score == report.score.total and mine.failures == 2
        snap = store.snapshot(store.find_run("20261120"))
        (agency,) = snap.agencies
        assert agency.findings["st.d6k2.https"].failing
        assert agency.findings["st.d6k2.https"].citation == fail.citation
        assert not agency.findings["st.d6k2.hsts"].failing
        assert len(agency.findings) == len(report.findings)
        assert store.trends(["a.gov.vn"])["a.gov.vn"][0].score == report.score.total
        with pytest.raises(HistoryError, match="no run"):
            store.find_run("1999")
