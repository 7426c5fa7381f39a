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
from auditor.history.views import AgencyRun, RunInfo, RunSnapshot
from auditor.runs.diff import RunDiff
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


# --- auditor diff ---------------------------------------------------------------------------


def diff_cmd(
    old: Annotated[
        str,
        typer.Argument(
            metavar="OLD",
            help="The earlier run: a report folder, a summary.json, an agency's JSON report or "
            "a run id (with --history; 'latest' and 'previous' work too).",
            show_default=False,
        ),
    ],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The later run, given the same way.")],
    history: Annotated[
        str | None,
        typer.Option("--history", metavar="PATH|URL", help="History database, to compare run ids."),
    ] = None,
    rules_file: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            metavar="FILE",
            help="The rule pack file the runs used, when it is not a bundled pack.",
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", metavar="table|json|html", help="table, json or html."),
    ] = "table",
    out_file: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="FILE", help="Write to FILE instead of stdout."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="vi (default) or en, for html.")] = "vi",
) -> None:
    """Compare two runs: per agency the score change, new failures, fixed failures, and the
    rules whose text came into or went out of force between the two audit dates.

    Gating on new failures stays with 'scan --baseline'. Exit codes: 0 printed; 2 an input
    cannot be read.
    """
    from auditor.history.store import HistoryStore
    from auditor.paths import rules_dir
    from auditor.rules.loader import Pack, load_pack, load_pack_file
    from auditor.runs.diff import compare, load_side

    kind = _format(fmt, ("table", "json", "html"))
    if lang not in ("vi", "en"):
        _fail("--lang must be vi or en")
    store: HistoryStore | None = None
    custom: Pack | None = None
    try:
        if rules_file is not None:
            custom = load_pack_file(rules_file, base_dir=rules_dir())
        if history is not None:
            store = open_store(history)
        opened = store

        def lookup(run: str) -> RunSnapshot:
            assert opened is not None
            return opened.snapshot(opened.find_run(run))

        def pack(pack_id: str) -> Pack | None:
            if custom is not None and custom.id == pack_id:
                return custom
            return load_pack(pack_id, rules_dir())

        diff = compare(
            load_side(old, lookup if store else None),
            load_side(new, lookup if store else None),
            pack,
        )
    except InputError as exc:
        _problems(exc)
    except AuditorError as exc:
        _fail(str(exc))
    finally:
        if store is not None:
            store.close()
    if kind == "json":
        text = diff.model_dump_json(indent=2) + "\n"
    elif kind == "html":
        from auditor.runs.diff_html import render_diff_html

        text = render_diff_html(diff, "en" if lang == "en" else "vi")
    else:
        text = ""
    if out_file is not None and text:
        out_file.write_text(text, encoding="utf-8")
        out.print(str(out_file), highlight=False, soft_wrap=True)
        return
    if text:
        sys.stdout.write(text)
        return
    _print_diff(diff)


def _print_diff(diff: RunDiff) -> None:
    out.print(
        f"{diff.old.source} ({diff.old.as_of}) → {diff.new.source} ({diff.new.as_of})",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    table = Table(title_justify="left")
    for column in ("agency", "old", "new", "change", "new fails", "fixed"):
        table.add_column(column, justify="left" if column == "agency" else "right")
    for a in diff.agencies:
        change = f"only {a.only_in}" if a.only_in else "-"
        if a.delta is not None:
            change = f"{a.delta:+.1f}"
        table.add_row(
            a.domain,
            f"{_num(a.old_score)} {a.old_grade or ''}".strip(),
            f"{_num(a.new_score)} {a.new_grade or ''}".strip(),
            change,
            str(len(a.new_failures)),
            str(len(a.fixed_failures)),
        )
    out.print(table)
    for a in diff.agencies:
        for label, items in (("new failure", a.new_failures), ("fixed", a.fixed_failures)):
            for f in items:
                why = f" ({f.in_force_change.replace('_', ' ')})" if f.in_force_change else ""
                out.print(
                    f"{a.domain}: {label} {f.rule_id} ({f.citation.document} "
                    f"{f.citation.label('en')}): {f.old_status or '-'} → {f.new_status or '-'}"
                    + why,
                    highlight=False,
                    markup=False,
                    soft_wrap=True,
                )
    for pack_id, changes in diff.packs.items():
        for r in changes:
            word = "came into force" if r.change == "came_into_force" else "went out of force"
            out.print(
                f"{pack_id}: {r.rule_id} ({r.citation.document} {r.citation.label('en')}) {word}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
    for note in diff.notes:
        err.print(note, highlight=False, markup=False, soft_wrap=True)


# --- auditor merge --------------------------------------------------------------------------


def merge_cmd(
    folders: Annotated[
        list[Path],
        typer.Argument(
            metavar="DIR...", help="The shard output folders to join.", show_default=False
        ),
    ],
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Folder for the merged output.")
    ] = Path("reports_out"),
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="FORMATS", help="Summary formats: json,html,csv,xlsx,…"
        ),
    ] = "json,html,csv",
    lang: Annotated[str, typer.Option("--lang", help="vi (default) or en.")] = "vi",
    history: HistoryOpt = None,
    no_history: NoHistoryOpt = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print one line.")] = False,
) -> None:
    """Join the outputs of 'scan --shard K/N' runs into one summary, index and history.

    Refuses (exit 2, nothing written) folders of different plans: another audit date, other
    settings or other rule packs, or the same agency twice.
    """
    from auditor.report.writer import KNOWN_FORMATS
    from auditor.runs.merge import MergeError, merge

    formats = frozenset(f.strip().lower() for f in fmt.split(",") if f.strip())
    if not formats or formats - KNOWN_FORMATS:
        _fail(f"--format: choose from {', '.join(sorted(KNOWN_FORMATS))}")
    if lang not in ("vi", "en"):
        _fail("--lang must be vi or en")
    try:
        merged = merge(
            folders,
            out_dir,
            formats,
            "en" if lang == "en" else "vi",
            history=history,
            record=not no_history,
        )
    except MergeError as exc:
        for reason in exc.reasons:
            err.print(f"merge: {reason}", highlight=False, markup=False, soft_wrap=True)
        _fail(f"{len(exc.reasons)} reason(s): the folders are not one run; nothing was merged")
    except InputError as exc:
        _problems(exc)
    except AuditorError as exc:
        _fail(str(exc))
    rows = merged.summary.agencies
    scored = [r.score for r in rows if r.score is not None]
    mean = f"{sum(scored) / len(scored):.1f}" if scored else "-"
    out.print(
        f"merged {len(folders)} folder(s): {len(rows)} agencies, mean score {mean} → {out_dir}"
        + (f" (history {merged.history})" if merged.history and not quiet else ""),
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
