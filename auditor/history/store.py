"""Read and write the history database through SQLAlchemy Core (SQLite or PostgreSQL)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    and_,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from auditor import __version__
from auditor.errors import AuditorError
from auditor.history import schema
from auditor.history.migrations import upgrade
from auditor.history.views import (
    AgencyRun,
    AgencySnapshot,
    FindingRecord,
    RunInfo,
    RunSnapshot,
)
from auditor.models import AuditReport, Citation, RunStamp, TrendPoint, t
from auditor.planid import agency_key

DEFAULT_NAME = "history.sqlite"
TREND_POINTS = 12  # earlier runs shown in a trend chart at most


class HistoryError(AuditorError):
    """The history database cannot be opened, read or written."""


def database_url(where: str | Path) -> str:
    """A SQLAlchemy URL from a ``--history`` value: a URL as given (``postgresql://`` uses the
    psycopg driver), anything else a SQLite file path."""
    text = str(where)
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    for plain in ("postgresql://", "postgres://"):
        if text.startswith(plain):
            return "postgresql+psycopg://" + text[len(plain) :]
    return text


def _aware(value: datetime) -> datetime:
    """SQLite gives back naive datetimes: they were written in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class HistoryStore:
    """One history database; open with :func:`open_store`."""

    def __init__(self, engine: Engine, where: str) -> None:
        self.engine = engine
        self.where = where

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            why = _reason(exc)
            raise HistoryError(
                t(f"lịch sử {self.where}: {why}", f"history {self.where}: {why}")
            ) from None

    # -- writing ----------------------------------------------------------------------------

    def start_run(
        self,
        stamp: RunStamp,
        *,
        command: str,
        as_of: date,
        profile: str,
        province: str | None,
        planned: int,
        started_at: datetime | None = None,
        tool_version: str = __version__,
    ) -> None:
        """Record a run as started (status ``running`` until :meth:`finish_run`)."""
        with self._begin() as conn:
            conn.execute(
                insert(schema.runs).values(
                    run_id=stamp.run_id,
                    command=command,
                    tool_version=tool_version,
                    started_at=started_at or datetime.now(UTC),
                    finished_at=None,
                    status="running",
                    profile=profile,
                    packs=json.dumps(stamp.packs, sort_keys=True),
                    as_of=as_of,
                    settings_digest=stamp.settings_digest,
                    province=province,
                    shard=stamp.shard,
                    merged_into=None,
                    agencies_planned=planned,
                )
            )

    def record(self, run_id: str, report: AuditReport, report_json: str | None = None) -> None:
        """Record one agency's report in run ``run_id`` (replacing an earlier record of it)."""
        key = agency_key(report.agency.domain, report.agency.path)
        failures = sum(1 for f in report.findings if f.status == "fail" and not f.waived)
        with self._begin() as conn:
            conn.execute(
                delete(schema.agency_results).where(
                    and_(
                        schema.agency_results.c.run_id == run_id,
                        schema.agency_results.c.domain == key,
                    )
                )
            )
            result_id = conn.execute(
                insert(schema.agency_results)
                .values(
                    run_id=run_id,
                    domain=key,
                    name=report.agency.name,
                    level=report.agency.level,
                    pack_id=report.profile.id,
                    audited_in=report.run.run_id if report.run else None,
                    score=report.score.total,
                    grade=report.score.grade,
                    coverage=report.score.coverage,
                    failures=failures,
                    counts=json.dumps(report.score.counts, sort_keys=True),
                    pages_fetched=report.crawl.pages_fetched,
                    report_json=report_json,
                    finished_at=report.finished_at,
                )
                .returning(schema.agency_results.c.id)
            ).scalar_one()
            rows = [
                {
                    "result_id": result_id,
                    "rule_id": f.rule_id,
                    "document": f.citation.document,
                    "article": f.citation.article,
                    "clause": f.citation.clause,
                    "point": f.citation.point,
                    "status": f.status,
                    "severity": f.severity,
                    "weight": f.weight,
                    "waived": f.waived,
                    "waiver_reason": f.waiver.reason if f.waiver else None,
                    "waiver_expires": f.waiver.expires if f.waiver else None,
                }
                for f in report.findings
            ]
            if rows:
                conn.execute(insert(schema.findings), rows)

    def finish_run(self, run_id: str, status: str = "complete") -> None:
        """Mark run ``run_id`` finished (``complete`` or ``interrupted``)."""
        with self._begin() as conn:
            conn.execute(
                update(schema.runs)
                .where(schema.runs.c.run_id == run_id)
                .values(status=status, finished_at=datetime.now(UTC))
            )

    def mark_merged(self, run_ids: Iterable[str], into: str) -> None:
        """Hide shard runs behind the merged run ``into`` that holds their agencies."""
        ids = list(run_ids)
        if not ids:
            return
        with self._begin() as conn:
            conn.execute(
                update(schema.runs).where(schema.runs.c.run_id.in_(ids)).values(merged_into=into)
            )

    def copy_run(self, source: HistoryStore, run_id: str) -> bool:
        """Copy run ``run_id`` with its results and findings from ``source``; ``False`` when
        this store has it already."""
        if self.has_run(run_id):
            return False
        with source._begin() as src:
            run = src.execute(select(schema.runs).where(schema.runs.c.run_id == run_id)).one()
            results = src.execute(
                select(schema.agency_results).where(schema.agency_results.c.run_id == run_id)
            ).all()
            found = src.execute(
                select(schema.findings).where(
                    schema.findings.c.result_id.in_([r.id for r in results])
                )
            ).all()
        by_result: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for f in found:
            values = dict(f._mapping)
            by_result[values.pop("result_id")].append(values)
        with self._begin() as conn:
            conn.execute(insert(schema.runs).values(**dict(run._mapping)))
            for result in results:
                values = dict(result._mapping)
                old_id = values.pop("id")
                new_id = conn.execute(
                    insert(schema.agency_results)
                    .values(**values)
                    .returning(schema.agency_results.c.id)
                ).scalar_one()
                rows = [
                    {k: v for k, v in item.items() if k != "id"} | {"result_id": new_id}
                    for item in by_result[old_id]
                ]
                if rows:
                    conn.execute(insert(schema.findings), rows)
        return True

    # -- reading ----------------------------------------------------------------------------

    def has_run(self, run_id: str) -> bool:
        """Whether run ``run_id`` is recorded."""
        with self._begin() as conn:
            found = conn.execute(
                select(schema.runs.c.run_id).where(schema.runs.c.run_id == run_id)
            ).first()
        return found is not None

    def find_run(self, prefix: str) -> str:
        """The run id starting with ``prefix`` (``latest`` / ``previous``: the newest runs)."""
        runs = self.runs()
        if prefix in ("latest", "previous"):
            wanted = 1 if prefix == "latest" else 2
            if len(runs) < wanted:
                raise HistoryError(
                    t(
                        f"lịch sử {self.where}: ít hơn {wanted} lần chạy",
                        f"history {self.where}: fewer than {wanted} run(s)",
                    )
                )
            return runs[-wanted].run_id
        matches = [r.run_id for r in self.runs(include_merged=True) if r.run_id.startswith(prefix)]
        if len(matches) != 1:
            n = len(matches)
            raise HistoryError(
                t(
                    f"lịch sử {self.where}: "
                    + ("không có lần chạy" if not n else f"{n} lần chạy")
                    + f" có mã {prefix!r}",
                    f"history {self.where}: "
                    + ("no run" if not n else f"{n} runs")
                    + f" with id {prefix!r}",
                )
            )
        return matches[0]

    def run_ids(self, include_merged: bool = True) -> list[str]:
        """Every run id, oldest first."""
        return [r.run_id for r in self.runs(include_merged=include_merged)]

    def runs(self, include_merged: bool = False) -> list[RunInfo]:
        """Recorded runs, oldest first; shard runs joined into a merged run are left out."""
        r, a = schema.runs, schema.agency_results
        stats = (
            select(
                a.c.run_id,
                func.count(a.c.id).label("n"),
                func.avg(a.c.score).label("mean"),
                func.coalesce(func.sum(a.c.failures), 0).label("failures"),
            )
            .group_by(a.c.run_id)
            .subquery()
        )
        query = (
            select(r, stats.c.n, stats.c.mean, stats.c.failures)
            .outerjoin(stats, stats.c.run_id == r.c.run_id)
            .order_by(r.c.started_at, r.c.run_id)
        )
        if not include_merged:
            query = query.where(r.c.merged_into.is_(None))
        with self._begin() as conn:
            rows = conn.execute(query).all()
        return [_run_info(row) for row in rows]

    def agency_runs(self, domain: str) -> list[AgencyRun]:
        """One agency's results over time, oldest run first."""
        key = agency_key(domain)
        r, a = schema.runs, schema.agency_results
        query = (
            select(a, r.c.as_of, r.c.started_at.label("run_started"))
            .join(r, r.c.run_id == a.c.run_id)
            .where(and_(a.c.domain == key, r.c.merged_into.is_(None)))
            .order_by(r.c.started_at, r.c.run_id)
        )
        with self._begin() as conn:
            rows = conn.execute(query).all()
        return [
            AgencyRun(
                run_id=row.run_id,
                as_of=row.as_of,
                started_at=_aware(row.run_started),
                domain=row.domain,
                name=row.name,
                score=row.score,
                grade=row.grade,
                coverage=row.coverage,
                failures=row.failures,
            )
            for row in rows
        ]

    def trends(self, keys: Iterable[str] | None = None) -> dict[str, tuple[TrendPoint, ...]]:
        """Earlier results per agency key (the last :data:`TREND_POINTS`), oldest first."""
        wanted = set(keys) if keys is not None else None
        r, a = schema.runs, schema.agency_results
        query = (
            select(a.c.domain, a.c.run_id, a.c.score, a.c.grade, r.c.as_of, r.c.started_at)
            .join(r, r.c.run_id == a.c.run_id)
            .where(r.c.merged_into.is_(None))
            .order_by(r.c.started_at, r.c.run_id)
        )
        out: dict[str, list[TrendPoint]] = defaultdict(list)
        with self._begin() as conn:
            for row in conn.execute(query):
                if wanted is not None and row.domain not in wanted:
                    continue
                out[row.domain].append(
                    TrendPoint(
                        run_id=row.run_id,
                        as_of=row.as_of,
                        finished_at=_aware(row.started_at),
                        score=row.score,
                        grade=row.grade,
                    )
                )
        return {k: tuple(v[-TREND_POINTS:]) for k, v in out.items()}

    def province_trend(self) -> tuple[TrendPoint, ...]:
        """Earlier runs' mean score (the last :data:`TREND_POINTS`), oldest first."""
        points = [
            TrendPoint(
                run_id=run.run_id,
                as_of=run.as_of,
                finished_at=run.finished_at or run.started_at,
                score=None if run.mean_score is None else round(run.mean_score, 1),
            )
            for run in self.runs()
            if run.agencies
        ]
        return tuple(points[-TREND_POINTS:])

    def snapshot(self, run_id: str) -> RunSnapshot:
        """Run ``run_id`` reduced to what ``auditor diff`` compares."""
        r, a, f = schema.runs, schema.agency_results, schema.findings
        with self._begin() as conn:
            run = conn.execute(select(r).where(r.c.run_id == run_id)).one_or_none()
            if run is None:
                raise HistoryError(
                    t(
                        f"lịch sử {self.where}: không có lần chạy {run_id!r}",
                        f"history {self.where}: no run {run_id!r}",
                    )
                )
            results = conn.execute(select(a).where(a.c.run_id == run_id).order_by(a.c.id)).all()
            found = conn.execute(
                select(f).join(a, a.c.id == f.c.result_id).where(a.c.run_id == run_id)
            ).all()
        by_result: dict[int, dict[str, FindingRecord]] = defaultdict(dict)
        for row in found:
            by_result[row.result_id][row.rule_id] = FindingRecord(
                rule_id=row.rule_id,
                citation=Citation(
                    document=row.document, article=row.article, clause=row.clause, point=row.point
                ),
                status=row.status,
                severity=row.severity,
                waived=bool(row.waived),
            )
        agencies = tuple(
            AgencySnapshot(
                key=row.domain,
                domain=row.domain.split("/", 1)[0],
                name=row.name,
                pack_id=row.pack_id,
                score=row.score,
                grade=row.grade,
                findings=by_result[row.id],
            )
            for row in results
        )
        return RunSnapshot(
            source=f"run {run_id}",
            run_id=run_id,
            as_of=run.as_of,
            packs=json.loads(run.packs),
            agencies=agencies,
        )


def _run_info(row: Row[Any]) -> RunInfo:
    return RunInfo(
        run_id=row.run_id,
        command=row.command,
        tool_version=row.tool_version,
        started_at=_aware(row.started_at),
        finished_at=None if row.finished_at is None else _aware(row.finished_at),
        status=row.status,
        profile=row.profile,
        packs=json.loads(row.packs),
        as_of=row.as_of,
        settings_digest=row.settings_digest,
        province=row.province,
        shard=row.shard,
        planned=row.agencies_planned,
        agencies=row.n or 0,
        mean_score=None if row.mean is None else float(row.mean),
        failures=int(row.failures or 0),
    )


def _reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def open_store(where: str | Path) -> HistoryStore:
    """Open (creating and upgrading as needed) the history database at a path or URL."""
    url = database_url(where)
    shown = str(where)
    try:
        parsed = make_url(url)
        shown = parsed.render_as_string(hide_password=True)
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, future=True, pool_pre_ping=True)
    except (ArgumentError, ValueError, ImportError, OSError) as exc:
        raise HistoryError(f"--history {shown}: {exc}") from None  # the driver's own words
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    store = HistoryStore(engine, shown)
    try:
        upgrade(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        why = _reason(exc)
        raise HistoryError(t(f"lịch sử {shown}: {why}", f"history {shown}: {why}")) from None
    except AuditorError:
        engine.dispose()
        raise
    return store
