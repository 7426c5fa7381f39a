"""Commands and flags over runs: ``history``, ``diff``, ``merge``, and the run-level flags of
``scan``/``demo`` (``--history``, ``--no-history``, ``--resume``, ``--shard``).

Like ``cli.py`` this is a printing layer: the work is in :mod:`auditor.history` and
:mod:`auditor.runs`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from auditor.errors import AuditorError, InputError
from auditor.history.store import DEFAULT_NAME, open_store
from auditor.history.views import AgencyRun, RunInfo
from auditor.runs.session import RunOptions

out = Console()
err = Console(stderr=True)

EXIT_INPUT = 2

# --- the run-level flags of scan and demo ---------------------------------------------------

HistoryOpt = Annotated[
    str | None,
    typer.Option(
        "--history",
        metavar="PATH|URL",
        help="History database recording this run: a SQLite file (default OUT/"
        + DEFAULT_NAME
        + ") or a SQLAlchemy URL such as postgresql://user@host/db (needs the psycopg driver: "
        "pip install 'auditor[postgres]').",
    ),
]
NoHistoryOpt = Annotated[
    bool, typer.Option("--no-history", help="Do not record the run in a history database.")
]
ResumeOpt = Annotated[
    bool,
    typer.Option(
        "--resume",
        help="Reuse the finished reports in --out audited under the same plan (same rule packs, "
        "--as-of and settings): those portals are not fetched again; the summary covers all.",
    ),
]
ShardOpt = Annotated[
    str | None,
    typer.Option(
        "--shard",
        metavar="K/N",
        help="Audit only slice K of N of the targets (deterministic and balanced: the same on "
        "every machine); join the N outputs with 'auditor merge'.",
    ),
]


def run_options(
    command: str, history: str | None, no_history: bool, resume: bool, shard: str | None
) -> RunOptions:
    """The :class:`RunOptions` of the flags."""
    return RunOptions(
        command=command, history=history, record=not no_history, resume=resume, shard=shard
    )


def _fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _problems(exc: InputError) -> NoReturn:
    for problem in exc.problems:
        err.print(str(problem), highlight=False, markup=False, soft_wrap=True)
    _fail(f"{len(exc.problems)} problem(s) in the input files")


def _format(value: str, allowed: tuple[str, ...]) -> str:
    low = value.strip().lower()
    if low not in allowed:
        _fail(f"--format must be one of {', '.join(allowed)}")
    return low


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


# --- auditor history ------------------------------------------------------------------------


def history_cmd(
    domain: Annotated[
        str | None,
        typer.Argument(
            metavar="[DOMAIN]",
            help="An agency's domain: its runs; without it, the runs of the whole scan.",
        ),
    ] = None,
    history: Annotated[
        str,
        typer.Option(
            "--history",
            metavar="PATH|URL",
            help="History database: a SQLite file or a SQLAlchemy URL.",
        ),
    ] = str(Path("reports_out") / DEFAULT_NAME),
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="table|json", help="table or json.")
    ] = "table",
) -> None:
    """Runs over time: score, grade and failures per run, for one agency or the province.

    Exit codes: 0 printed; 2 the database cannot be read or holds nothing for DOMAIN.
    """
    kind = _format(fmt, ("table", "json"))
    if "://" not in history and not Path(history).is_file():
        _fail(f"--history: no such database: {history}")
    try:
        with open_store(history) as store:
            runs: list[RunInfo] | list[AgencyRun] = (
                store.agency_runs(domain) if domain else store.runs()
            )
    except AuditorError as exc:
        _fail(str(exc))
    if domain and not runs:
        _fail(f"{domain}: not in the history {history}")
    if kind == "json":
        data = [r.model_dump(mode="json") for r in runs]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table(title=domain or "runs", title_justify="left")
    table.add_column("run", no_wrap=True, min_width=23)
    for column in ("as-of", "started", "score", "grade" if domain else "agencies", "fails"):
        table.add_column(column, justify="right" if column in ("score", "fails") else "left")
    for run in runs:
        if isinstance(run, AgencyRun):
            table.add_row(
                run.run_id,
                run.as_of.isoformat(),
                f"{run.started_at:%Y-%m-%d %H:%M}",
                _num(run.score),
                run.grade or "-",
                str(run.failures),
            )
        else:
            shard = f" shard {run.shard}" if run.shard else ""
            table.add_row(
                run.run_id,
                run.as_of.isoformat(),
                f"{run.started_at:%Y-%m-%d %H:%M}",
                _num(run.mean_score),
                f"{run.agencies}/{run.planned} {run.status}{shard}",
                str(run.failures),
            )
    out.print(table)
