"""The same history code on a real PostgreSQL server, started by the test (skipped, with the
reason, where PostgreSQL or psycopg is not installed)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, inspect
from typer.testing import CliRunner

from auditor.cli import app
from auditor.history.migrations import LATEST, upgrade
from auditor.history.store import database_url
from tests.pgserver import fresh_database, postgres_server, why_not
from tests.test_history_store import round_trip

runner = CliRunner()
pytestmark = pytest.mark.skipif(why_not() is not None, reason=why_not() or "")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with postgres_server() as url:
        yield url


def test_migrations_on_postgresql(server: str) -> None:
    engine = create_engine(database_url(fresh_database(server)))
    try:
        assert upgrade(engine) == LATEST
        assert upgrade(engine) == LATEST
        assert {"auditor_schema", "runs", "agency_results", "findings"} <= set(
            inspect(engine).get_table_names()
        )
    finally:
        engine.dispose()


def test_a_run_round_trips_on_postgresql(server: str) -> None:
    round_trip(fresh_database(server))


def test_demo_recorded_in_postgresql(server: str, tmp_path: object) -> None:
    url = fresh_database(server)
    result = runner.invoke(
        app, ["demo", "--out", str(tmp_path), "--history", url, "-q", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    shown = runner.invoke(
        app, ["history", "sokhdt.soctrang.gov.vn", "--history", url, "--format", "json"]
    )
    assert shown.exit_code == 0, shown.output
    (run,) = json.loads(shown.output)
    assert run["grade"] == "C" and run["failures"] > 0  # 84.9, held at C: no working HTTPS
    province = json.loads(runner.invoke(app, ["history", "--history", url, "-f", "json"]).output)
    assert [(r["agencies"], r["status"]) for r in province] == [(10, "complete")]
