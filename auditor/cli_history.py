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
from rich.markup import escape
from rich.table import Table

from auditor.cli_help import h
from auditor.errors import AuditorError, InputError, Message, say
from auditor.history.store import DEFAULT_NAME, open_store
from auditor.history.views import AgencyRun, RunInfo, RunSnapshot
from auditor.models import Lang, t
from auditor.report.i18n import format_number, status_label, ui
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
        help=h(
            "Cơ sở dữ liệu lịch sử ghi lại lượt chạy này: một tệp SQLite (mặc định OUT/"
            + DEFAULT_NAME
            + ") hoặc một URL SQLAlchemy như postgresql://user@host/db (cần trình điều khiển "
            "psycopg: pip install 'auditor[postgres]').",
            "History database recording this run: a SQLite file (default OUT/"
            + DEFAULT_NAME
            + ") or a SQLAlchemy URL such as postgresql://user@host/db (needs the psycopg "
            "driver: pip install 'auditor[postgres]').",
        ),
    ),
]
NoHistoryOpt = Annotated[
    bool,
    typer.Option(
        "--no-history",
        help=h(
            "Không ghi lượt chạy vào cơ sở dữ liệu lịch sử.",
            "Do not record the run in a history database.",
        ),
    ),
]
ResumeOpt = Annotated[
    bool,
    typer.Option(
        "--resume",
        help=h(
            "Dùng lại các báo cáo đã xong trong --out được đánh giá theo cùng kế hoạch (cùng "
            "gói quy tắc, --as-of và thiết lập): các cổng đó không tải lại; bảng tổng hợp gồm "
            "tất cả.",
            "Reuse the finished reports in --out audited under the same plan (same rule packs, "
            "--as-of and settings): those portals are not fetched again; the summary covers "
            "all.",
        ),
    ),
]
ShardOpt = Annotated[
    str | None,
    typer.Option(
        "--shard",
        metavar="K/N",
        help=h(
            "Chỉ đánh giá phần thứ K trong N phần của danh sách cổng (chia cố định và cân "
            "bằng: như nhau trên mọi máy); ghép N kết quả bằng 'auditor merge'.",
            "Audit only slice K of N of the targets (deterministic and balanced: the same on "
            "every machine); join the N outputs with 'auditor merge'.",
        ),
    ),
]


def run_options(
    command: str, history: str | None, no_history: bool, resume: bool, shard: str | None
) -> RunOptions:
    """The :class:`RunOptions` of the flags."""
    return RunOptions(
        command=command, history=history, record=not no_history, resume=resume, shard=shard
    )


def _s(lang: Lang, vi: str, en: str) -> str:
    return vi if lang == "vi" else en


def _fail(lang: Lang, message: Message | AuditorError, code: int = EXIT_INPUT) -> NoReturn:
    text = message.text(lang) if isinstance(message, AuditorError) else say(message, lang)
    err.print(f"[bold red]{_s(lang, 'lỗi', 'error')}:[/] {escape(text)}", highlight=False)
    raise typer.Exit(code)


def _problems(exc: InputError, lang: Lang) -> NoReturn:
    for problem in exc.problems:
        err.print(problem.text(lang), highlight=False, markup=False, soft_wrap=True)
    n = len(exc.problems)
    _fail(lang, t(f"{n} lỗi trong các tệp đầu vào", f"{n} problem(s) in the input files"))


def _lang(value: str) -> Lang:
    if value not in ("vi", "en"):
        _fail(
            "vi",
            t("--lang phải là vi hoặc en / --lang must be vi or en", "--lang must be vi or en"),
        )
    return "en" if value == "en" else "vi"


def _format(value: str, allowed: tuple[str, ...], lang: Lang) -> str:
    low = value.strip().lower()
    if low not in allowed:
        choices = ", ".join(allowed)
        _fail(
            lang, t(f"--format phải là một trong {choices}", f"--format must be one of {choices}")
        )
    return low


LangOpt = Annotated[
    str,
    typer.Option(
        "--lang",
        metavar="vi|en",
        help=h("Ngôn ngữ của kết quả in ra: vi hoặc en.", "Output language: vi or en."),
    ),
]


def _num(value: float | None, lang: Lang) -> str:
    return "-" if value is None else format_number(value, lang)


# --- auditor history ------------------------------------------------------------------------


HISTORY_HELP = h(
    "Các lượt chạy theo thời gian: điểm, xếp loại và số lỗi của từng lượt, cho một cơ quan "
    "hoặc cả tỉnh.\n\n"
    "Mã thoát: 0 đã in; 2 không đọc được cơ sở dữ liệu hoặc không có gì về DOMAIN.",
    "Runs over time: score, grade and failures per run, for one agency or the province.\n\n"
    "Exit codes: 0 printed; 2 the database cannot be read or holds nothing for DOMAIN.",
)


def history_cmd(
    domain: Annotated[
        str | None,
        typer.Argument(
            metavar="[DOMAIN]",
            help=h(
                "Tên miền của một cơ quan: các lượt chạy của cơ quan đó; bỏ trống: các lượt "
                "chạy của cả lượt quét.",
                "An agency's domain: its runs; without it, the runs of the whole scan.",
            ),
        ),
    ] = None,
    history: Annotated[
        str,
        typer.Option(
            "--history",
            metavar="PATH|URL",
            help=h(
                "Cơ sở dữ liệu lịch sử: một tệp SQLite hoặc một URL SQLAlchemy.",
                "History database: a SQLite file or a SQLAlchemy URL.",
            ),
        ),
    ] = str(Path("reports_out") / DEFAULT_NAME),
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="table|json",
            help=h("table (bảng) hoặc json.", "table or json."),
        ),
    ] = "table",
    lang: LangOpt = "vi",
) -> None:
    """``auditor history`` (its help is :data:`HISTORY_HELP`)."""
    language = _lang(lang)
    kind = _format(fmt, ("table", "json"), language)
    if "://" not in history and not Path(history).is_file():
        _fail(
            language,
            t(f"--history: không có CSDL: {history}", f"--history: no such database: {history}"),
        )
    try:
        with open_store(history) as store:
            runs: list[RunInfo] | list[AgencyRun] = (
                store.agency_runs(domain) if domain else store.runs()
            )
    except AuditorError as exc:
        _fail(language, exc)
    if domain and not runs:
        _fail(
            language,
            t(
                f"{domain}: không có trong lịch sử {history}",
                f"{domain}: not in the history {history}",
            ),
        )
    if kind == "json":
        data = [r.model_dump(mode="json") for r in runs]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    vi = language == "vi"
    table = Table(title=domain or _s(language, "các lần chạy", "runs"), title_justify="left")
    table.add_column(_s(language, "lần chạy", "run"), no_wrap=True, min_width=23)
    columns = (
        ("Ngày đánh giá", "Bắt đầu", "Điểm", "Xếp loại" if domain else "Số cơ quan", "Không đạt")
        if vi
        else ("as-of", "started", "score", "grade" if domain else "agencies", "fails")
    )
    for i, column in enumerate(columns):
        table.add_column(column, justify="right" if i in (2, 4) else "left")
    status_words = {"complete": "xong", "interrupted": "bị dừng", "running": "đang chạy"}
    for run in runs:
        if isinstance(run, AgencyRun):
            table.add_row(
                run.run_id,
                run.as_of.isoformat(),
                f"{run.started_at:%Y-%m-%d %H:%M}",
                _num(run.score, language),
                run.grade or "-",
                str(run.failures),
            )
        else:
            shard = f" {_s(language, 'phần', 'shard')} {run.shard}" if run.shard else ""
            status = status_words.get(run.status, run.status) if vi else run.status
            table.add_row(
                run.run_id,
                run.as_of.isoformat(),
                f"{run.started_at:%Y-%m-%d %H:%M}",
                _num(run.mean_score, language),
                f"{run.agencies}/{run.planned} {status}{shard}",
                str(run.failures),
            )
    out.print(table)


# --- auditor diff ---------------------------------------------------------------------------


DIFF_HELP = h(
    "So sánh hai lượt chạy: với từng cơ quan, điểm thay đổi, các lỗi mới, các lỗi đã khắc "
    "phục, và các tiêu chí có văn bản bắt đầu hoặc hết hiệu lực giữa hai ngày đánh giá.\n\n"
    "Việc chặn theo lỗi mới vẫn dùng 'scan --baseline'. Mã thoát: 0 đã in; 2 không đọc được "
    "một đầu vào.",
    "Compare two runs: per agency the score change, new failures, fixed failures, and the "
    "rules whose text came into or went out of force between the two audit dates.\n\n"
    "Gating on new failures stays with 'scan --baseline'. Exit codes: 0 printed; 2 an input "
    "cannot be read.",
)


def diff_cmd(
    old: Annotated[
        str,
        typer.Argument(
            metavar="OLD",
            help=h(
                "Lượt chạy trước: một thư mục báo cáo, một tệp summary.json, báo cáo JSON của "
                "một cơ quan hoặc mã lượt chạy (với --history; dùng được cả 'latest' và "
                "'previous').",
                "The earlier run: a report folder, a summary.json, an agency's JSON report or "
                "a run id (with --history; 'latest' and 'previous' work too).",
            ),
            show_default=False,
        ),
    ],
    new: Annotated[
        str,
        typer.Argument(
            metavar="NEW",
            help=h("Lượt chạy sau, chỉ định theo cùng cách.", "The later run, given the same way."),
        ),
    ],
    history: Annotated[
        str | None,
        typer.Option(
            "--history",
            metavar="PATH|URL",
            help=h(
                "Cơ sở dữ liệu lịch sử, để so sánh theo mã lượt chạy.",
                "History database, to compare run ids.",
            ),
        ),
    ] = None,
    rules_file: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            metavar="FILE",
            help=h(
                "Tệp gói quy tắc mà các lượt chạy đã dùng, nếu không phải gói có sẵn.",
                "The rule pack file the runs used, when it is not a bundled pack.",
            ),
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="table|json|html",
            help=h("table (bảng), json hoặc html.", "table, json or html."),
        ),
    ] = "table",
    out_file: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help=h("Ghi vào tệp FILE thay vì in ra màn hình.", "Write to FILE instead of stdout."),
        ),
    ] = None,
    lang: LangOpt = "vi",
) -> None:
    """``auditor diff`` (its help is :data:`DIFF_HELP`)."""
    from auditor.history.store import HistoryStore
    from auditor.paths import rules_dir
    from auditor.rules.loader import Pack, load_pack, load_pack_file
    from auditor.runs.diff import compare, load_side

    language = _lang(lang)
    kind = _format(fmt, ("table", "json", "html"), language)
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
        _problems(exc, language)
    except AuditorError as exc:
        _fail(language, exc)
    finally:
        if store is not None:
            store.close()
    if kind == "json":
        text = diff.model_dump_json(indent=2) + "\n"
    elif kind == "html":
        from auditor.runs.diff_html import render_diff_html

        text = render_diff_html(diff, language)
    else:
        text = ""
    if out_file is not None and text:
        out_file.write_text(text, encoding="utf-8")
        out.print(str(out_file), highlight=False, soft_wrap=True)
        return
    if text:
        sys.stdout.write(text)
        return
    _print_diff(diff, language)


def _print_diff(diff: RunDiff, lang: Lang) -> None:
    out.print(
        f"{diff.old.source} ({diff.old.as_of}) → {diff.new.source} ({diff.new.as_of})",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    table = Table(title_justify="left")
    columns = (
        ("Cơ quan", "Lần trước", "Lần sau", "Thay đổi", "Lỗi mới", "Đã khắc phục")
        if lang == "vi"
        else ("agency", "old", "new", "change", "new fails", "fixed")
    )
    for i, column in enumerate(columns):
        table.add_column(column, justify="left" if i == 0 else "right")
    only = {"old": ui("diff_only_old", lang), "new": ui("diff_only_new", lang)}
    for a in diff.agencies:
        change = only.get(a.only_in, a.only_in) if a.only_in else "-"
        if a.delta is not None:
            change = format_number(a.delta, lang)
            change = change if change.startswith("-") else "+" + change
        table.add_row(
            a.domain,
            f"{_num(a.old_score, lang)} {a.old_grade or ''}".strip(),
            f"{_num(a.new_score, lang)} {a.new_grade or ''}".strip(),
            change,
            str(len(a.new_failures)),
            str(len(a.fixed_failures)),
        )
    out.print(table)
    moved = {"came_into_force": ui("diff_came", lang), "went_out_of_force": ui("diff_went", lang)}
    labels = (_s(lang, "lỗi mới", "new failure"), _s(lang, "đã khắc phục", "fixed"))
    for a in diff.agencies:
        for label, items in zip(labels, (a.new_failures, a.fixed_failures), strict=True):
            for f in items:
                why = f" ({moved[f.in_force_change]})" if f.in_force_change else ""
                old = status_label(f.old_status, lang) if f.old_status else "-"
                new = status_label(f.new_status, lang) if f.new_status else "-"
                out.print(
                    f"{a.domain}: {label} {f.rule_id} ({f.citation.document} "
                    f"{f.citation.label(lang)}): {old} → {new}" + why,
                    highlight=False,
                    markup=False,
                    soft_wrap=True,
                )
    for pack_id, changes in diff.packs.items():
        for r in changes:
            word = moved[r.change]
            out.print(
                f"{pack_id}: {r.rule_id} ({r.citation.document} {r.citation.label(lang)}) {word}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
    for note in diff.notes:
        err.print(note.get(lang), highlight=False, markup=False, soft_wrap=True)


# --- auditor merge --------------------------------------------------------------------------


MERGE_HELP = h(
    "Ghép kết quả của các lượt 'scan --shard K/N' thành một bảng tổng hợp, một trang chỉ mục "
    "và một lịch sử.\n\n"
    "Từ chối (mã thoát 2, không ghi gì) các thư mục thuộc kế hoạch khác nhau: ngày đánh giá "
    "khác, thiết lập khác hoặc gói quy tắc khác, hoặc cùng một cơ quan hai lần.",
    "Join the outputs of 'scan --shard K/N' runs into one summary, index and history.\n\n"
    "Refuses (exit 2, nothing written) folders of different plans: another audit date, other "
    "settings or other rule packs, or the same agency twice.",
)


def merge_cmd(
    folders: Annotated[
        list[Path],
        typer.Argument(
            metavar="DIR...",
            help=h(
                "Các thư mục kết quả của từng phần cần ghép.",
                "The shard output folders to join.",
            ),
            show_default=False,
        ),
    ],
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            help=h("Thư mục ghi kết quả đã ghép.", "Folder for the merged output."),
        ),
    ] = Path("reports_out"),
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMATS",
            help=h(
                "Định dạng của bảng tổng hợp: json,html,csv,xlsx,…",
                "Summary formats: json,html,csv,xlsx,…",
            ),
        ),
    ] = "json,html,csv",
    lang: LangOpt = "vi",
    history: HistoryOpt = None,
    no_history: NoHistoryOpt = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help=h("Chỉ in một dòng.", "Print one line."))
    ] = False,
) -> None:
    """``auditor merge`` (its help is :data:`MERGE_HELP`)."""
    from auditor.report.writer import KNOWN_FORMATS
    from auditor.runs.merge import MergeError, merge

    language = _lang(lang)
    formats = frozenset(f.strip().lower() for f in fmt.split(",") if f.strip())
    if not formats or formats - KNOWN_FORMATS:
        choices = ", ".join(sorted(KNOWN_FORMATS))
        _fail(language, t(f"--format: chọn trong {choices}", f"--format: choose from {choices}"))
    try:
        merged = merge(
            folders,
            out_dir,
            formats,
            language,
            history=history,
            record=not no_history,
        )
    except MergeError as exc:
        word = _s(language, "gộp", "merge")
        for reason in exc.reasons:
            err.print(
                f"{word}: {reason.get(language)}", highlight=False, markup=False, soft_wrap=True
            )
        n = len(exc.reasons)
        _fail(
            language,
            t(
                f"{n} lý do: các thư mục không cùng một lần chạy; không gộp gì",
                f"{n} reason(s): the folders are not one run; nothing was merged",
            ),
        )
    except InputError as exc:
        _problems(exc, language)
    except AuditorError as exc:
        _fail(language, exc)
    rows = merged.summary.agencies
    scored = [r.score for r in rows if r.score is not None]
    mean = format_number(sum(scored) / len(scored), language) if scored else "-"
    said = _s(
        language,
        f"đã gộp {len(folders)} thư mục: {len(rows)} cơ quan, điểm trung bình {mean} → {out_dir}",
        f"merged {len(folders)} folder(s): {len(rows)} agencies, mean score {mean} → {out_dir}",
    )
    history_word = _s(language, "lịch sử", "history")
    out.print(
        said + (f" ({history_word} {merged.history})" if merged.history and not quiet else ""),
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
