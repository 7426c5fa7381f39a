"""Command line: the only place that prints and chooses exit codes.

Exit codes: 0 done, every portal audited and every gate passed (``--fail-under``,
``--fail-on``, ``--baseline``), 1 a gate failed, 2 usage error or invalid input file (reported
before any request), 3 no gate failed but a portal could not be audited (no score), 4 a report
file could not be written, 130/143 stopped by SIGINT/SIGTERM (reports and summary written for
the finished portals).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
import typer.core
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from auditor import __version__
from auditor.cli_config import ConfigOpt
from auditor.cli_help import HELP_OPTIONS, h, install
from auditor.cli_history import (
    DIFF_HELP,
    HISTORY_HELP,
    MERGE_HELP,
    HistoryOpt,
    NoHistoryOpt,
    ResumeOpt,
    ShardOpt,
    diff_cmd,
    history_cmd,
    merge_cmd,
    run_options,
)
from auditor.cli_rules import rules_app
from auditor.cli_usage import UsageError as ClickUsageError
from auditor.cli_usage import run_lang, usage_message
from auditor.config import CrawlSettings
from auditor.crawl.connect import parse_connect_to
from auditor.crawl.fetcher import make_ssl_context
from auditor.demo import DEMO_AS_OF
from auditor.errors import (
    AuditorError,
    InputError,
    LogText,
    Message,
    UsageError,
    cat,
    message_of,
    say,
)
from auditor.gate import GatePolicy, GateResult, GateTally, load_baseline, parse_severity
from auditor.gate import evaluate as gate_evaluate
from auditor.gather.dns import parse_dns_server
from auditor.interrupts import EXIT_CODES, SignalName, StopRequest, stop_on_signals
from auditor.models import LEVELS, Interruption, Lang, Level, LocalText, SummaryRow, t
from auditor.paths import fixtures_dir, rules_dir
from auditor.registry import load_registry
from auditor.report.console import ScanProgress, summary_table
from auditor.report.files import ReportWriteError, check_out_dir, prepare_out_dir
from auditor.report.folder import check_rebuildable
from auditor.report.i18n import format_number
from auditor.report.json_report import report_json_schema, summary_json_schema
from auditor.report.writer import KNOWN_FORMATS, build_summary_row, check_formats
from auditor.rules.loader import list_packs
from auditor.runs.session import Recorder, prepare
from auditor.scan import ScanEvent, ScanPlan, ScanResult, build_plan, run_scan
from auditor.waivers import load_waivers

EXIT_OK, EXIT_GATE, EXIT_INPUT, EXIT_UNAUDITED, EXIT_WRITE = 0, 1, 2, 3, 4
FORMATS = tuple(sorted(KNOWN_FORMATS))

install()  # help in the run's language, readable metavars: before any h() text is shown
app = typer.Typer(
    help=h(
        "Kiểm tra cổng thông tin điện tử của cơ quan nhà nước (*.gov.vn) theo quy chế của tỉnh "
        "và văn bản của Trung ương.",
        "Audit Vietnamese state portals (*.gov.vn) against the province's regulation and the "
        "national texts.",
    ),
    no_args_is_help=True,
    context_settings=HELP_OPTIONS,
    pretty_exceptions_enable=False,
)
# no ":name:" emoji codes: user text (hosts, --connect-to values, agency names) is printed as is
out = Console(emoji=False)
err = Console(stderr=True, emoji=False)


def _s(lang: Lang, vi: str, en: str) -> str:
    """The console text in ``lang``: every line this module prints follows ``--lang``."""
    return vi if lang == "vi" else en


def _fail(lang: Lang, message: Message | AuditorError, code: int = EXIT_INPUT) -> NoReturn:
    """Print ``message`` (an error's text in ``lang``) as an error and exit ``code``."""
    text = message.text(lang) if isinstance(message, AuditorError) else say(message, lang)
    err.print(f"[bold red]{_s(lang, 'lỗi', 'error')}:[/] {escape(text)}", highlight=False)
    raise typer.Exit(code)


def _lang(value: str) -> Lang:
    """``--lang`` parsed first, so that even its own error is in one language."""
    try:
        return _parse_lang(value)
    except UsageError as exc:
        _fail("vi", exc)


# CrawlSettings fields as the flags that set them, for errors in plain words
_SETTING_FLAGS = {
    "max_pages": "--max-pages",
    "max_depth": "--max-depth",
    "concurrency": "--concurrency",
    "per_host": "--per-host",
    "delay_s": "--delay",
    "timeout_s": "--timeout",
}


def _settings_problem(exc: ValidationError) -> LocalText:
    """A flag's invalid value in plain words (``--max-pages must be at least 1, not 0``)."""
    lines = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        flag = _SETTING_FLAGS.get(field, "--" + field.replace("_", "-"))
        ctx = error.get("ctx") or {}
        got = error.get("input")
        if "ge" in ctx:
            lines.append(
                t(
                    f"{flag} phải từ {ctx['ge']} trở lên, không phải {got}",
                    f"{flag} must be at least {ctx['ge']}, not {got}",
                )
            )
        elif "gt" in ctx:
            lines.append(
                t(
                    f"{flag} phải lớn hơn {ctx['gt']}, không phải {got}",
                    f"{flag} must be more than {ctx['gt']}, not {got}",
                )
            )
        elif "le" in ctx:
            lines.append(
                t(
                    f"{flag} phải từ {ctx['le']} trở xuống, không phải {got}",
                    f"{flag} must be at most {ctx['le']}, not {got}",
                )
            )
        else:
            lines.append(
                t(f"{flag}: giá trị không hợp lệ {got!r}", f"{flag}: invalid value {got!r}")
            )
    return t("; ".join(x.vi for x in lines), "; ".join(x.en for x in lines))


def _crawl_settings(**values: object) -> CrawlSettings:
    """:class:`CrawlSettings` from flag values; a bad value is a :class:`UsageError` naming
    its flag."""
    try:
        return CrawlSettings.model_validate(values)
    except ValidationError as exc:
        raise UsageError(_settings_problem(exc)) from None


def _out_dir(path: Path, create: bool = True) -> Path:
    """The --out folder, created (or, without ``create``, only checked) and proven writable
    before any request."""
    try:
        return prepare_out_dir(path) if create else check_out_dir(path)
    except ReportWriteError as exc:
        raise UsageError(cat("--out ", message_of(exc))) from None


def _check_folder(plan: ScanPlan) -> None:
    """Refuse, before any request, a --out folder whose summary could not be rebuilt."""
    check_rebuildable(plan.out_dir, {t.agency.key for t in plan.targets})


def _known_profile(pack_id: str) -> bool:
    return any(ref.id == pack_id for ref in list_packs(rules_dir()))


NOTHING_FETCHED = t("chưa tải trang nào", "nothing was fetched")
NOTHING_WRITTEN = t("chưa ghi tệp nào", "nothing was written")


def _input_problems(
    exc: InputError, lang: Lang, consequence: LocalText = NOTHING_FETCHED
) -> NoReturn:
    """List every problem of the input files (file:line) and exit 2."""
    for problem in exc.problems:
        err.print(problem.text(lang), highlight=False, markup=False, soft_wrap=True)
    n = len(exc.problems)
    _fail(
        lang,
        t(
            f"{n} lỗi trong các tệp đầu vào; {consequence.vi}",
            f"{n} problem(s) in the input files; {consequence.en}",
        ),
    )


def _checked_dns_server(value: str) -> str:
    parse_dns_server(value)  # a bad value is a usage error before any request
    return value


def _version(value: bool) -> None:
    if value:
        out.print(f"auditor {__version__}")
        raise typer.Exit()


def _forward_lang(command: typer.core.TyperGroup, lang: str) -> dict[str, Any]:
    """A ``default_map`` giving ``lang`` to every subcommand of ``command`` that takes
    ``--lang`` (``auditor --lang en scan …`` is ``auditor scan --lang en …``)."""
    found: dict[str, Any] = {}
    for name, sub in command.commands.items():
        if isinstance(sub, typer.core.TyperGroup):
            found[name] = _forward_lang(sub, lang)
        elif any(p.name == "lang" for p in sub.params):
            found[name] = {"lang": lang}
    return found


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help=h("In số phiên bản rồi thoát.", "Print the version and exit."),
        ),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="vi|en",
            help=h(
                "Ngôn ngữ của phần trợ giúp và của lệnh chạy sau: vi (mặc định) hoặc en.",
                "Language of this help and of the command that follows: vi (default) or en.",
            ),
            show_default=False,
        ),
    ] = None,
) -> None:
    """The options before the command: ``--version``, and ``--lang`` handed to the command."""
    if ctx.resilient_parsing:  # shell completion: nothing is run
        return
    if lang is not None and isinstance(ctx.command, typer.core.TyperGroup):
        ctx.default_map = {**(ctx.default_map or {}), **_forward_lang(ctx.command, _lang(lang))}


# --- shared options -----------------------------------------------------------------------

OutOpt = Annotated[
    Path,
    typer.Option("--out", "-o", help=h("Thư mục ghi các báo cáo.", "Folder for the reports.")),
]
FormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT,…",
        help=h(
            "Định dạng báo cáo, cách nhau bằng dấu phẩy, chọn trong: "
            + ", ".join(sorted(KNOWN_FORMATS))
            + ".",
            "Report formats, comma-separated, from: " + ", ".join(sorted(KNOWN_FORMATS)) + ".",
        ),
    ),
]
LangOpt = Annotated[
    str,
    typer.Option(
        "--lang",
        metavar="vi|en",
        help=h(
            "Ngôn ngữ của báo cáo và màn hình: vi hoặc en.",
            "Language of the reports and the console: vi or en.",
        ),
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help=h(
            "Ngày đánh giá YYYY-MM-DD: chọn các văn bản đang có hiệu lực và tính các thời hạn "
            "theo ngày này (mặc định: hôm nay).",
            "Audit date YYYY-MM-DD: picks the texts in force and judges deadlines "
            "(default: today).",
        ),
    ),
]
QuietOpt = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        help=h(
            "Chỉ in một dòng tóm tắt (cho nhật ký CI).",
            "Print only the summary line (for CI logs).",
        ),
    ),
]
VerboseOpt = Annotated[
    bool,
    typer.Option(
        "--verbose", "-v", help=h("Ghi nhật ký từng yêu cầu gửi đi.", "Log every request.")
    ),
]
FailUnderOpt = Annotated[
    float | None,
    typer.Option(
        "--fail-under",
        metavar="SCORE",
        help=h(
            "Thoát với mã 1 nếu có cổng đã đánh giá bị chấm dưới mức điểm này (0-100).",
            "Exit 1 if any audited portal scores below this (0-100).",
        ),
    ),
]
FailOnOpt = Annotated[
    str | None,
    typer.Option(
        "--fail-on",
        metavar="SEVERITY",
        help=h(
            "Thoát với mã 1 nếu có tiêu chí không đạt ở mức nghiêm trọng này trở lên: "
            "info, low, medium, high, critical. Khi có --baseline: chỉ tính các lỗi mới.",
            "Exit 1 if any failed finding has this severity or worse: "
            "info, low, medium, high, critical. With --baseline: only new failures count.",
        ),
    ),
]
BaselineOpt = Annotated[
    Path | None,
    typer.Option(
        "--baseline",
        metavar="PATH",
        help=h(
            "Một lần chạy trước (báo cáo JSON của một cơ quan, một tệp summary.json hoặc một "
            "thư mục báo cáo): ngưỡng chỉ xét các lỗi mới phát sinh so với lần đó, tức là cặp "
            "(tên miền, tiêu chí) nay không đạt mà khi đó đạt. Dùng riêng: có lỗi mới là thoát "
            "với mã 1.",
            "An older run (an agency's JSON report, a summary.json or a report folder): "
            "gate only on failures that are new since it, i.e. a (domain, rule) failing now but "
            "not then. Alone, any new failure exits 1.",
        ),
    ),
]


WorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--workers",
        metavar="N",
        help=h(
            "Số tiến trình phân tích trang và đánh giá tiêu chí trong khi vẫn đang thu thập "
            "trang (mặc định: mỗi lõi CPU một tiến trình; 0: đánh giá ngay trong tiến trình "
            "chính).",
            "Processes that parse pages and judge rules while crawling goes on "
            "(default: one per core; 0: judge in the main process).",
        ),
    ),
]
SaveCaptureOpt = Annotated[
    bool,
    typer.Option(
        "--save-capture",
        help=h(
            "Ghi thêm những gì quan sát được của mỗi cổng thành tệp <domain>.capture.warc.gz "
            "(định dạng WARC, mở được bằng các công cụ phát lại) bên cạnh báo cáo, kèm mã "
            "SHA-256 của tệp trong báo cáo; có thể đánh giá lại không cần mạng bằng "
            "'auditor audit'.",
            "Also write what was observed of each portal as <domain>.capture.warc.gz (WARC, "
            "opens in replay tools) beside its report, with its SHA-256 in the report; judge it "
            "again offline with 'auditor audit'.",
        ),
    ),
]


def _parse_workers(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= 256:
        raise UsageError(t("--workers phải từ 0 đến 256", "--workers must be between 0 and 256"))
    return value


def _parse_formats(value: str) -> frozenset[str]:
    formats = frozenset(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = formats - set(FORMATS)
    if unknown or not formats:
        raise UsageError(
            t(
                f"--format: không biết {sorted(unknown)}; chọn trong {', '.join(FORMATS)}",
                f"--format: unknown {sorted(unknown)}; choose from {', '.join(FORMATS)}",
            )
        )
    check_formats(formats)
    return formats


def _parse_lang(value: str) -> Lang:
    if value not in ("vi", "en"):
        raise UsageError(
            t("--lang phải là vi hoặc en / --lang must be vi or en", "--lang must be vi or en")
        )
    return "en" if value == "en" else "vi"


def _parse_level(value: str | None) -> Level | None:
    for level in LEVELS:
        if value == level:
            return level
    if value is None:
        return None
    raise UsageError(
        t(
            f"--level phải là một trong {', '.join(LEVELS)}",
            f"--level must be one of {', '.join(LEVELS)}",
        )
    )


def _parse_date(value: str | None, default: date) -> date:
    if value is None:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(
            t(
                f"--as-of: không phải ngày YYYY-MM-DD: {value!r}",
                f"--as-of: not a date YYYY-MM-DD: {value!r}",
            )
        ) from exc


class _OneLanguage(logging.Formatter):
    """Says a :class:`LogText` message, and :class:`AuditorError` arguments, in the run's
    language, on a copy of the record (other handlers see it as it was logged)."""

    def __init__(self, fmt: str, lang: Lang) -> None:
        super().__init__(fmt)
        self.lang: Lang = lang

    def format(self, record: logging.LogRecord) -> str:
        args = record.args if isinstance(record.args, tuple) else ()
        if isinstance(record.msg, LogText) or any(isinstance(a, AuditorError) for a in args):
            record = logging.makeLogRecord(record.__dict__)
            if isinstance(record.msg, LogText):
                record.msg = record.msg.get(self.lang)
            record.args = tuple(
                a.text(self.lang) if isinstance(a, AuditorError) else a for a in args
            )
        return super().format(record)


def _setup_logging(verbose: bool, quiet: bool, lang: Lang = "vi") -> None:
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    # -v: diagnostics with the logger's name; otherwise a warning reads as the tool's own line
    fmt = "%(levelname)s %(name)s: %(message)s" if verbose else "auditor: %(message)s"
    root = logging.getLogger()
    if not root.handlers:  # as logging.basicConfig: not when something else (a test) logs
        logging.basicConfig(level=level)
        root.handlers[0].setFormatter(_OneLanguage(fmt, lang))
    # httpx logs each request at INFO and httpcore/hpack trace the wire: the fetcher's own
    # line (status, bytes received, time) is the one request log, so theirs stay quiet.
    for noisy in ("httpcore", "httpx", "hpack"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


WaiversOpt = Annotated[
    Path | None,
    typer.Option(
        "--waivers",
        help=h(
            "Danh sách miễn trừ dạng YAML ('tuân thủ hoặc giải trình'): rule, domain (hoặc *), "
            "reason, approved_by, expires (YYYY-MM-DD). Lỗi được miễn trừ giữ nguyên trạng "
            "thái, hiện lý do miễn trừ và không bị tính vào điểm lẫn các ngưỡng; miễn trừ đã "
            "hết hạn thì bỏ qua và có ghi chú.",
            "YAML list of waivers ('comply or explain'): rule, domain (or *), reason, "
            "approved_by, expires (YYYY-MM-DD). A waived failure keeps its status, shows its "
            "reason and leaves the score and the gates; an expired waiver is ignored and noted.",
        ),
    ),
]


def _with_waivers(path: Path | None, plan: ScanPlan) -> ScanPlan:
    """``plan`` with the waivers file, validated against its rule packs (before any request)."""
    if path is None:
        return plan
    known = {rule.id for pack in plan.packs.values() for rule in pack.rules}
    return dataclasses.replace(plan, waivers=load_waivers(path, known))


def _policy(fail_under: float | None, fail_on: str | None, baseline: Path | None) -> GatePolicy:
    """The gates from the flags; the baseline is read now, before any request."""
    try:
        severity = parse_severity(fail_on) if fail_on is not None else None
    except ValueError as exc:
        raise UsageError(cat("--fail-on: ", message_of(exc))) from None
    if fail_under is not None and not 0 <= fail_under <= 100:
        raise UsageError(
            t("--fail-under phải từ 0 đến 100", "--fail-under must be between 0 and 100")
        )
    keys = load_baseline(baseline) if baseline is not None else None
    return GatePolicy(fail_under=fail_under, fail_on=severity, baseline=keys)


def _run(
    plan: ScanPlan,
    quiet: bool,
    policy: GatePolicy,
    verbose: bool = False,
    recorder: Recorder | None = None,
) -> None:
    tally = GateTally(policy)  # what the gates need, not the reports: memory stays flat
    live = ScanProgress(err, [t.agency for t in plan.targets], plan.lang)
    live.enabled = live.enabled and not quiet and not verbose

    def progress(event: ScanEvent) -> None:
        if recorder is not None:
            recorder.on_event(event)  # the history records each report as it is written
        if event.report is not None:
            tally.add(event.report)
        if quiet or (event.kind == "request" and not live.enabled):
            return
        result = ""
        scored = True
        if event.report is not None:
            s = event.report.score
            scored = s.total is not None
            total = format_number(s.total, plan.lang) if scored else _not_audited(plan.lang)
            pages = _s(plan.lang, "trang", "pages")
            result = f"{total} {s.grade or ''} ({event.report.crawl.pages_fetched} {pages})"
            if event.resumed:
                result += " (--resume)"
        where = escape(event.agency.address)
        if live.enabled:
            live.on_event(event.kind, event.agency, result, event.status)
        elif event.kind == "start":
            err.print(f"[dim]→ {where}[/]", highlight=False)
        elif scored:
            err.print(f"[green]✓[/] {where}: {escape(result)}", highlight=False)
        else:  # never a green tick for a portal that could not be audited
            err.print(f"[bold yellow]✗[/] {where}: {escape(result)}", highlight=False)

    stop = StopRequest()
    result: ScanResult | None = None
    try:
        with stop_on_signals(stop, lambda name: _say_stopping(name, plan.lang)), live:
            result = asyncio.run(run_scan(plan, progress, stop))
    except ReportWriteError as exc:
        _fail(
            plan.lang, cat(message_of(exc), t("; đã dừng quét", "; the scan stopped")), EXIT_WRITE
        )
    finally:
        if recorder is not None:
            recorder.finish(result)
    if not quiet:
        out.print(summary_table(result.rows, plan.lang, out.width))
        out.print(
            _s(plan.lang, "Báo cáo: ", "Reports: ") + str(plan.out_dir.resolve()),
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        index = plan.out_dir / "index.html"
        if index.exists():
            out.print(
                _s(plan.lang, "Tổng hợp: ", "Summary: ") + str(index.resolve()),
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
    interrupted = result.summary.interrupted if result.summary else None
    if interrupted is not None:
        _interrupted(interrupted, plan.lang, quiet, result.rows, plan.out_dir)
    _conclude(result.rows, tally.result(), quiet, plan.out_dir, plan.lang)


def _say_stopping(name: SignalName, lang: Lang) -> None:
    """Told from the signal handler: a plain write, no console machinery."""
    if lang == "vi":
        text = (
            f"\nĐang dừng ({name}): không tải thêm trang; cổng đã xong vẫn có báo cáo. "
            "Gửi tín hiệu lần nữa để thoát ngay.\n"
        )
    else:
        text = (
            f"\nStopping ({name}): no new fetches; finished portals keep their reports. "
            "Signal again to quit at once.\n"
        )
    os.write(2, text.encode("utf-8"))


def _interrupted(
    what: Interruption, lang: Lang, quiet: bool, rows: Sequence[SummaryRow], out_dir: Path
) -> NoReturn:
    """Say how far an interrupted scan got and exit 130 (SIGINT) or 143 (SIGTERM); the gates
    are not applied to a partial scan."""
    code = EXIT_CODES[what.signal]
    if lang == "vi":
        line = (
            f"bị dừng ({what.signal}): đã đánh giá {what.finished}/{what.planned} cổng; "
            "không xét các ngưỡng --fail-under/--fail-on/--baseline"
        )
    else:
        line = (
            f"interrupted ({what.signal}): {what.finished} of {what.planned} portals audited; "
            "the gates (--fail-under/--fail-on/--baseline) were not applied"
        )
    if quiet:  # the machine-readable tokens stay the same in both languages (README)
        scores = " ".join(
            f"{r.agency.address}={'NOT-AUDITED' if r.score is None else f'{r.score:.1f}'}"
            for r in rows
        )
        line = f"auditor: INTERRUPTED {scores} → {out_dir} (exit {code}: {line})"
    err.print(line, highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(code)


def _not_audited(lang: Lang) -> str:
    return "không kiểm tra được" if lang == "vi" else "not audited"


def _conclude(
    rows: Sequence[SummaryRow], verdict: GateResult, quiet: bool, out_dir: Path, lang: Lang
) -> None:
    """Print the gate's reasons (or, with -q, the one summary line) and exit: 1 if a gate
    failed, else 3 if a portal could not be audited (it has no score), else 0. The -q line's
    tokens (``auditor: OK|FAIL|NOT-AUDITED``, ``domain=score``, ``exit N``) are the same in
    both languages, for CI logs to parse; its reasons follow ``lang``."""
    unaudited = [r for r in rows if r.score is None]
    code = EXIT_GATE if not verdict.passed else EXIT_UNAUDITED if unaudited else EXIT_OK
    if quiet:
        scores = " ".join(
            f"{r.agency.address}={'NOT-AUDITED' if r.score is None else f'{r.score:.1f}'}"
            for r in rows
        )
        status = {EXIT_OK: "OK", EXIT_GATE: "FAIL", EXIT_UNAUDITED: "NOT-AUDITED"}[code]
        n = len(verdict.reasons)
        why = [_s(lang, f"{n} lý do không đạt ngưỡng", f"{n} gate reason(s)")] if n else []
        if unaudited:
            why.append(
                _s(
                    lang,
                    f"{len(unaudited)}/{len(rows)} cổng không kiểm tra được",
                    f"{len(unaudited)} of {len(rows)} portal(s) could not be audited",
                )
            )
        out.print(
            f"auditor: {status} {scores} → {out_dir} (exit {code}"
            + (f": {'; '.join(why)})" if why else ")"),
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        if code != EXIT_OK:
            raise typer.Exit(code)
        return
    if not verdict.passed:
        word = _s(lang, "ngưỡng", "gate")
        for reason in verdict.reasons:
            err.print(f"{word}: {say(reason, lang)}", highlight=False, markup=False, soft_wrap=True)
        n = len(verdict.reasons)
        failed = _s(lang, f"không đạt ngưỡng: {n} lý do", f"gate failed: {n} reason(s)")
        err.print(f"[bold red]{failed}[/]", highlight=False)
    if unaudited:
        names = ", ".join(r.agency.address for r in unaudited)
        head = _s(
            lang,
            f"không kiểm tra được ({len(unaudited)}/{len(rows)}):",
            f"not audited ({len(unaudited)} of {len(rows)}):",
        )
        err.print(
            f"[bold yellow]{head}[/] {escape(names)}",
            highlight=False,
            soft_wrap=True,
        )
    if code != EXIT_OK:
        raise typer.Exit(code)


@app.command(
    help=h(
        "Thu thập trang của các cổng thông tin, kiểm tra theo quy chế áp dụng và ghi báo cáo "
        "có chấm điểm.\n\n"
        "Mã thoát: 0 mọi cổng đều đánh giá được và đạt mọi ngưỡng; 1 không đạt một ngưỡng "
        "(--fail-under, --fail-on, --baseline); 2 dùng sai lệnh hoặc tệp đầu vào không hợp lệ "
        "(gói quy tắc, danh mục cơ quan, baseline, miễn trừ, --ca-bundle, --out), báo trước khi "
        "gửi yêu cầu nào; 3 đạt mọi ngưỡng nhưng có cổng không đánh giá được (không có điểm); "
        "4 không ghi được một tệp báo cáo; 130 (Ctrl-C) hoặc 143 (SIGTERM) bị dừng, vẫn có báo "
        "cáo và bảng tổng hợp của các cổng đã xong đến lúc đó.",
        "Crawl portals, check them against their regulation and write scored reports.\n\n"
        "Exit codes: 0 every portal audited and every gate passed; 1 a gate failed "
        "(--fail-under, --fail-on, --baseline); 2 usage error or invalid input file (rule pack, "
        "registry, baseline, waivers, --ca-bundle, --out), reported before any request; 3 no "
        "gate failed but a portal could not be audited (no score); 4 a report file could not "
        "be written; 130 (Ctrl-C) or 143 (SIGTERM) stopped, with the reports and summary of the "
        "portals finished by then.",
    )
)
def scan(
    targets: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="DOMAIN",
            help=h(
                "Tên miền (soctrang.gov.vn), địa chỉ URL, hoặc tên miền/đường dẫn cho cơ quan có "
                "trang đặt tại một đường dẫn (lamdong.gov.vn/sites/stp); mặc định: mọi cơ quan "
                "trong --registry.",
                "Domains (soctrang.gov.vn), URLs, or domain/path for an agency served at a path "
                "(lamdong.gov.vn/sites/stp); default: every agency in --registry.",
            ),
        ),
    ] = None,
    registry: Annotated[
        Path | None,
        typer.Option(
            "--registry",
            "-r",
            help=h(
                "Tệp danh mục cơ quan (YAML) của tỉnh.",
                "Registry YAML of a province's agencies.",
            ),
        ),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            "-p",
            metavar="PACK",
            help=h(
                "Mã gói quy tắc (mặc định: chọn theo tên miền).",
                "Rule pack id (default: chosen from the domain).",
            ),
        ),
    ] = None,
    rules_file: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            help=h(
                "Gói quy tắc riêng (YAML) thay cho gói có sẵn; gói này có thể kế thừa một gói có "
                "sẵn, đổi trọng số và tham số, bỏ bớt hoặc thêm tiêu chí "
                "(xem rules/examples/inspectorate.yaml).",
                "Your own rule pack (YAML) instead of a bundled one; it may extend a bundled "
                "pack, override weights and parameters, retire rules and add rules "
                "(see rules/examples/inspectorate.yaml).",
            ),
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help=h(
                "Tên cơ quan, cho địa chỉ không có trong danh mục.",
                "Agency name, for a target not in a registry.",
            ),
        ),
    ] = None,
    level: Annotated[
        str | None,
        typer.Option(
            "--level",
            metavar="LEVEL",
            help=h(
                f"Cấp của cơ quan, cho địa chỉ không có trong danh mục: {', '.join(LEVELS)}.",
                f"Agency level for a target not in a registry: {', '.join(LEVELS)}.",
            ),
        ),
    ] = None,
    out_dir: OutOpt = Path("reports_out"),
    fmt: FormatOpt = "json,html,csv",
    max_pages: Annotated[
        int,
        typer.Option(
            "--max-pages",
            help=h("Số trang tải tối đa của mỗi cổng.", "Pages to fetch per portal at most."),
        ),
    ] = 60,
    max_depth: Annotated[
        int,
        typer.Option(
            "--max-depth",
            help=h("Độ sâu liên kết tối đa tính từ trang chủ.", "Link depth from the home page."),
        ),
    ] = 3,
    concurrency: Annotated[
        int,
        typer.Option(
            "--concurrency",
            help=h(
                "Số yêu cầu gửi đồng thời trong toàn bộ lượt quét.",
                "Requests in flight over the whole scan.",
            ),
        ),
    ] = 8,
    per_host: Annotated[
        int,
        typer.Option(
            "--per-host",
            help=h("Số yêu cầu gửi đồng thời tới một máy chủ.", "Requests in flight per host."),
        ),
    ] = 4,
    delay: Annotated[
        float,
        typer.Option(
            "--delay",
            metavar="SECONDS",
            help=h(
                "Số giây chờ giữa hai yêu cầu tới cùng một máy chủ (để không gây tải).",
                "Seconds between requests to one host (politeness).",
            ),
        ),
    ] = 0.0,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            help=h("Số giây chờ tối đa cho mỗi yêu cầu.", "Seconds per request."),
        ),
    ] = 15.0,
    portal_timeout: Annotated[
        float,
        typer.Option(
            "--portal-timeout",
            metavar="SECONDS",
            help=h(
                "Số giây tối đa cho việc thu thập và thăm dò một cổng; hết thời gian thì đánh "
                "giá những gì đã tải được, phần còn lại ghi là lỗi.",
                "Seconds for one portal's crawl and probes; after them what was fetched is "
                "judged and the rest is error.",
            ),
        ),
    ] = 600.0,
    retries: Annotated[
        int,
        typer.Option(
            "--retries",
            metavar="N",
            help=h(
                "Số lần thử lại sau một lỗi tạm thời (408, 429, 502-504, mất kết nối, quá thời "
                "gian), có giãn cách tăng dần; tôn trọng Retry-After đến tối đa 30 giây.",
                "Extra tries after a transient answer (408, 429, 502-504, reset, timeout), "
                "with backoff; Retry-After is honoured up to 30 s.",
            ),
        ),
    ] = 3,
    ignore_robots: Annotated[
        bool,
        typer.Option(
            "--ignore-robots",
            help=h(
                "Không tuân theo robots.txt (khi cơ quan thanh tra thực hiện theo thẩm quyền "
                "luật định); việc này được ghi rõ trong mọi báo cáo.",
                "Do not obey robots.txt (an inspectorate acting under its legal mandate); "
                "stated in every report.",
            ),
        ),
    ] = False,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help=h(
                "Cho phép gửi yêu cầu tới địa chỉ nội bộ, loopback và link-local (mạng thử "
                "nghiệm). Địa chỉ chỉ định bằng --connect-to luôn được phép.",
                "Allow requests to private, loopback and link-local addresses (a staging "
                "network). Addresses given by --connect-to are always allowed.",
            ),
        ),
    ] = False,
    as_of: AsOfOpt = None,
    connect_to: Annotated[
        list[str] | None,
        typer.Option(
            "--connect-to",
            metavar="HOST:PORT:ADDR:PORT",
            help=h(
                "HOST:PORT:ADDR:PORT như ở curl: kết nối tới ADDR:PORT nhưng vẫn dùng HOST cho "
                "tiêu đề Host, TLS SNI và kiểm tra chứng thư số (máy chủ thử nghiệm). Dùng được "
                "nhiều lần.",
                "HOST:PORT:ADDR:PORT like curl: connect to ADDR:PORT but keep HOST for the Host "
                "header, TLS SNI and certificate checks (staging servers). Repeatable.",
            ),
        ),
    ] = None,
    ca_bundle: Annotated[
        Path | None,
        typer.Option(
            "--ca-bundle",
            help=h(
                "Thêm chứng thư CA (PEM) được tin cậy, ví dụ CA của môi trường thử nghiệm.",
                "Extra CA certificates (PEM) to trust, e.g. a staging CA.",
            ),
        ),
    ] = None,
    dns_server: Annotated[
        str | None,
        typer.Option(
            "--dns-server",
            metavar="ADDR[:PORT]",
            help=h(
                "Máy chủ phân giải DNS cho các kiểm tra IPv6 (AAAA) và DNSSEC, ví dụ 1.1.1.1 hoặc "
                "[2001:db8::53]:5353. Mặc định: máy chủ DNS của hệ thống; khi đó máy chủ được "
                "chuyển hướng bằng --connect-to không được tra cứu (các kiểm tra DNS của nó ghi "
                "là lỗi).",
                "DNS resolver for the IPv6 (AAAA) and DNSSEC checks, e.g. 1.1.1.1 or "
                "[2001:db8::53]:5353. Default: the system's resolvers; a host routed by "
                "--connect-to is then not looked up (its DNS checks say error).",
            ),
        ),
    ] = None,
    lang: LangOpt = "vi",
    fail_under: FailUnderOpt = None,
    fail_on: FailOnOpt = None,
    baseline: BaselineOpt = None,
    waivers: WaiversOpt = None,
    workers: WorkersOpt = None,
    save_capture: SaveCaptureOpt = False,
    history: HistoryOpt = None,
    no_history: NoHistoryOpt = False,
    resume: ResumeOpt = False,
    shard: ShardOpt = None,
    verbose: VerboseOpt = False,
    quiet: QuietOpt = False,
    config: ConfigOpt = None,
) -> None:
    """``auditor scan`` (its help, with the exit codes, is in the decorator)."""
    language = _lang(lang)
    _setup_logging(verbose, quiet, language)
    try:
        reg = load_registry(registry, _known_profile) if registry else None
        if ca_bundle is not None and not ca_bundle.is_file():
            raise UsageError(
                t(
                    f"--ca-bundle: không có tệp: {ca_bundle}",
                    f"--ca-bundle: no such file: {ca_bundle}",
                )
            )
        settings = _crawl_settings(
            max_pages=max_pages,
            max_depth=max_depth,
            concurrency=concurrency,
            per_host=per_host,
            delay_s=delay,
            timeout_s=timeout,
            portal_timeout_s=portal_timeout,
            retries=retries,
            respect_robots=not ignore_robots,
            allow_private=allow_private,
            connect_to=tuple(parse_connect_to(c) for c in connect_to or ()),
            dns_server=dns_server if dns_server is None else _checked_dns_server(dns_server),
            ca_bundle=ca_bundle,
        )
        plan = build_plan(
            list(targets or ()),
            reg,
            profile,
            out_dir,
            _parse_formats(fmt),
            language,
            _parse_date(as_of, date.today()),
            settings,
            name,
            _parse_level(level),
            rules_file,
        )
        policy = _policy(fail_under, fail_on, baseline)
        plan = _with_waivers(waivers, plan)
        plan = dataclasses.replace(plan, workers=_parse_workers(workers), save_capture=save_capture)
        if ca_bundle is not None:
            make_ssl_context(ca_bundle)  # not PEM certificates: a usage error, now
        _out_dir(out_dir)
        _check_folder(plan)
        plan, recorder = prepare(plan, run_options("scan", history, no_history, resume, shard))
    except InputError as exc:
        _input_problems(exc, language)
    except (AuditorError, ValueError) as exc:
        _fail(language, exc if isinstance(exc, AuditorError) else message_of(exc))
    _run(plan, quiet, policy, verbose, recorder)


@app.command(
    help=h(
        "Chạy các cổng mẫu của Sóc Trăng đi kèm gói trên địa chỉ loopback và đánh giá chúng "
        "(không cần Internet).\n\n"
        "Mã thoát: 0 mọi cổng đều đánh giá được và đạt mọi ngưỡng; 1 không đạt một ngưỡng; "
        "2 dùng sai lệnh hoặc lỗi đầu vào; 3 có cổng không đánh giá được; 4 không ghi được một "
        "tệp báo cáo; 130/143 bị dừng bằng Ctrl-C/SIGTERM.",
        "Serve the bundled Sóc Trăng demo portals on loopback and audit them (no internet).\n\n"
        "Exit codes: 0 every portal audited and every gate passed; 1 a gate failed; 2 usage or "
        "input error; 3 a portal could not be audited; 4 a report file could not be written; "
        "130/143 stopped by Ctrl-C/SIGTERM.",
    )
)
def demo(
    out_dir: OutOpt = Path("reports_out"),
    fmt: FormatOpt = "json,html,csv",
    lang: LangOpt = "vi",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            help=h(
                "Ngày đánh giá (mặc định 2026-11-20, ngày của nội dung các cổng mẫu).",
                "Audit date (default 2026-11-20, the demo portals' date).",
            ),
        ),
    ] = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    fail_under: FailUnderOpt = None,
    fail_on: FailOnOpt = None,
    baseline: BaselineOpt = None,
    waivers: WaiversOpt = None,
    workers: WorkersOpt = None,
    save_capture: SaveCaptureOpt = False,
    history: HistoryOpt = None,
    no_history: NoHistoryOpt = False,
    resume: ResumeOpt = False,
    shard: ShardOpt = None,
    config: ConfigOpt = None,
) -> None:
    """``auditor demo`` (its help is in the decorator)."""
    from auditor.fixtureserver import FixtureServer

    language = _lang(lang)
    _setup_logging(verbose, quiet, language)
    try:
        reg = load_registry(fixtures_dir() / "demo" / "registry.yaml")
        as_of_date = _parse_date(as_of, DEMO_AS_OF)
        policy = _policy(fail_under, fail_on, baseline)
        _out_dir(out_dir)
    except InputError as exc:
        _input_problems(exc, language)
    except AuditorError as exc:
        _fail(language, exc)
    with FixtureServer(fixtures_dir() / "sites") as server:
        settings = CrawlSettings(
            connect_to=server.connect_to(),
            ca_bundle=server.ca_pem_path,
            timeout_s=10.0,
            dns_server=server.dns_server,
        )
        if not quiet:
            where = f"127.0.0.1 (HTTP {server.http_port}, HTTPS {server.https_port})"
            banner = _s(language, "Các cổng mẫu chạy tại", "Demo portals on")
            err.print(f"[dim]{banner} {where}[/]", highlight=False)
        try:
            plan = build_plan(
                [], reg, None, out_dir, _parse_formats(fmt), language, as_of_date, settings
            )
            plan = _with_waivers(waivers, plan)
            plan = dataclasses.replace(
                plan, workers=_parse_workers(workers), save_capture=save_capture
            )
            _check_folder(plan)
            plan, recorder = prepare(plan, run_options("demo", history, no_history, resume, shard))
        except InputError as exc:
            _input_problems(exc, language)
        except AuditorError as exc:
            _fail(language, exc)
        _run(plan, quiet, policy, verbose, recorder)


@app.command(
    "report",
    help=h(
        "Kết xuất lại các báo cáo đã lưu sang định dạng hoặc ngôn ngữ khác, không cần quét "
        "lại.\n\n"
        "Tệp summary.json kéo theo các báo cáo cơ quan mà nó liệt kê (đọc từ thư mục của nó); "
        "từ hai báo cáo cơ quan trở lên thì có thêm bảng tổng hợp (index.html, summary.csv…). "
        "Không chấm điểm lại. Các ngưỡng áp dụng cho báo cáo đã lưu như với một lượt quét.\n\n"
        "Mã thoát: 0 đã ghi và đạt mọi ngưỡng; 1 không đạt một ngưỡng; 2 tệp đầu vào không đọc "
        "được hoặc không hợp lệ, hoặc tuỳ chọn sai (khi đó không ghi gì); 3 đạt mọi ngưỡng "
        "nhưng có báo cáo không có điểm (cổng của nó không đánh giá được); 4 không ghi được "
        "một tệp.",
        "Re-render saved reports in other formats or languages, without rescanning.\n\n"
        "A summary.json brings the agency reports it names (read from its folder); two or more "
        "agency reports get a summary (index.html, summary.csv…) too. Nothing is re-scored. The "
        "gates apply to the saved reports as they would to a scan.\n\n"
        "Exit codes: 0 written and every gate passed; 1 a gate failed; 2 unreadable or invalid "
        "input file, or a bad option (nothing is written then); 3 no gate failed but a report "
        "has no score (its portal could not be audited); 4 a file could not be written.",
    ),
)
def report_cmd(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE",
            help=h(
                "Các báo cáo JSON đã lưu (<domain>.json) và/hoặc tệp summary.json cần kết xuất "
                "lại.",
                "Saved JSON reports (<domain>.json) and/or summary.json files to re-render.",
            ),
            show_default=False,
        ),
    ],
    out_dir: OutOpt = Path("reports_out"),
    fmt: FormatOpt = "html",
    lang: LangOpt = "vi",
    fail_under: FailUnderOpt = None,
    fail_on: FailOnOpt = None,
    baseline: BaselineOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    config: ConfigOpt = None,
) -> None:
    """``auditor report`` (its help is in the decorator)."""
    from auditor.report.rerender import rerender

    language = _lang(lang)
    _setup_logging(verbose, quiet, language)
    try:
        policy = _policy(fail_under, fail_on, baseline)
        formats = _parse_formats(fmt)
        _out_dir(out_dir, create=False)
        rendered = rerender(files, out_dir, formats, language)
    except InputError as exc:
        _input_problems(exc, language, NOTHING_WRITTEN)
    except ReportWriteError as exc:
        _fail(language, exc, EXIT_WRITE)
    except AuditorError as exc:
        _fail(language, exc)
    if not quiet:
        for path in rendered.files:
            out.print(str(path), highlight=False, markup=False, soft_wrap=True)
    rows = [build_summary_row(r, None, None) for r in rendered.reports]
    _conclude(rows, gate_evaluate(rendered.reports, policy), quiet, out_dir, language)


SCHEMAS = {"report": report_json_schema, "summary": summary_json_schema}


@app.command(
    "schema",
    help=h(
        "In lược đồ JSON Schema (draft 2020-12) của báo cáo JSON hoặc của summary.json.\n\n"
        'Tệp docs/report-schema.json là kết quả của lệnh này với "report".',
        "Print the JSON Schema (draft 2020-12) of the JSON report or of summary.json.\n\n"
        'docs/report-schema.json is this command\'s output for "report".',
    ),
)
def schema_cmd(
    which: Annotated[
        str,
        typer.Argument(
            help=h(
                "report (báo cáo <domain>.json của một cơ quan) hoặc summary (summary.json).",
                "report (an agency's <domain>.json) or summary (summary.json).",
            )
        ),
    ] = "report",
    lang: LangOpt = "vi",
) -> None:
    """``auditor schema`` (its help is in the decorator)."""
    import json

    language = _lang(lang)
    make = SCHEMAS.get(which)
    if make is None:
        _fail(
            language,
            t(
                f"không có lược đồ {which!r}; chọn trong {', '.join(SCHEMAS)}",
                f"unknown schema {which!r}; choose from {', '.join(SCHEMAS)}",
            ),
        )
    sys.stdout.write(json.dumps(make(), indent=2, ensure_ascii=False, sort_keys=True) + "\n")


app.add_typer(rules_app, name="rules")
app.command("history", help=HISTORY_HELP)(history_cmd)
app.command("diff", help=DIFF_HELP)(diff_cmd)
app.command("merge", help=MERGE_HELP)(merge_cmd)

from auditor.cli_audit import AUDIT_HELP, audit_cmd  # noqa: E402  (uses the shared options above)

app.command("audit", help=AUDIT_HELP)(audit_cmd)


def main() -> None:
    """Entry point of the ``auditor`` console script."""
    lang = run_lang(sys.argv[1:])  # as the command would take it: flag, else config file
    try:
        code = app(standalone_mode=False)
    except ClickUsageError as exc:  # click's own parse errors, in the run's language
        err.print(usage_message(exc, lang), markup=False, highlight=False)
        sys.exit(getattr(exc, "exit_code", 2))
    except (KeyboardInterrupt, typer.Abort):
        err.print("bị dừng" if lang == "vi" else "interrupted")
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
