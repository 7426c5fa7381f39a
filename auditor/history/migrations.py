"""Versioned schema migrations, run through SQLAlchemy on SQLite and PostgreSQL alike.

Why not Alembic: the history has three tables that only ever grow, and Alembic's runtime needs a
script folder (``env.py``, ``script.py.mako``, revision files) shipped in the wheel and its own
configuration to run at every start. A numbered list of steps, each applied in one transaction
and recorded in ``auditor_schema``, does the same job here: both databases have transactional
DDL, so a step is all or nothing; a database written by a newer auditor is refused rather than
misread. Each step is frozen once released: a later change adds a step (``ALTER TABLE …`` with
SQLAlchemy DDL), it never edits an earlier one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, inspect, select
from sqlalchemy.exc import DBAPIError

from auditor.errors import AuditorError
from auditor.history import schema
from auditor.models import LocalText, t


class HistorySchemaError(AuditorError):
    """The history database was written by a newer auditor, or cannot be upgraded."""


@dataclass(frozen=True)
class Migration:
    """One schema step."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def _v1(conn: Connection) -> None:
    tables = [schema.runs, schema.agency_results, schema.findings]
    schema.metadata.create_all(conn, tables=tables)


MIGRATIONS: tuple[Migration, ...] = (Migration(1, "runs, agency results and findings", _v1),)
LATEST = MIGRATIONS[-1].version


def current_version(conn: Connection) -> int:
    """The schema version of the database (0: empty)."""
    if not inspect(conn).has_table(schema.schema_versions.name):
        return 0
    found = conn.execute(select(func.max(schema.schema_versions.c.version))).scalar()
    return int(found or 0)


def upgrade(engine: Engine) -> int:
    """Apply every missing step, each in its own transaction; return the version reached."""
    with engine.begin() as conn:
        schema.metadata.create_all(conn, tables=[schema.schema_versions])
    for step in MIGRATIONS:
        try:
            _apply(engine, step)
        except DBAPIError:  # another process (a shard) applied the same step at the same time
            with engine.connect() as conn:
                if current_version(conn) < step.version:
                    raise
    with engine.connect() as conn:
        version = current_version(conn)
    if version > LATEST:
        raise HistorySchemaError(_too_new(version))
    return version


def _too_new(version: int) -> LocalText:
    return t(
        f"CSDL lịch sử có phiên bản lược đồ {version}; công cụ này chỉ biết đến {LATEST}: "
        "hãy dùng auditor mới hơn",
        f"the history database has schema version {version}; this auditor knows up to "
        f"{LATEST}: use a newer auditor",
    )


def _apply(engine: Engine, step: Migration) -> None:
    with engine.begin() as conn:
        version = current_version(conn)
        if version > LATEST:
            raise HistorySchemaError(_too_new(version))
        if step.version <= version:
            return
        step.apply(conn)
        conn.execute(
            schema.schema_versions.insert().values(
                version=step.version, description=step.description, applied_at=datetime.now(UTC)
            )
        )
