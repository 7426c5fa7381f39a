"""``auditor audit``: judge saved site captures (``--save-capture``) with no network at all.

Registered on the main app by :mod:`auditor.cli` (``app.command("audit")(audit_cmd)``); uses
its shared options and helpers, so it is imported after them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from auditor import cli
from auditor.audit import plan_audit
from auditor.cli import (
    AsOfOpt,
    BaselineOpt,
    FailOnOpt,
    FailUnderOpt,
    FormatOpt,
    LangOpt,
    OutOpt,
    QuietOpt,
    VerboseOpt,
    WaiversOpt,
    WorkersOpt,
)
from auditor.cli_help import h
from auditor.cli_history import HistoryOpt, NoHistoryOpt, run_options
from auditor.errors import AuditorError, InputError, message_of
from auditor.models import t
from auditor.registry import load_registry
from auditor.runs.session import prepare

AUDIT_HELP = h(
    "Đánh giá lại các bản lưu trang đã ghi — theo gói quy tắc, danh mục cơ quan hoặc ngày "
    "đánh giá khác — và ghi ra các báo cáo như một lượt quét, không gửi yêu cầu nào.\n\n"
    "Không có --as-of thì bản lưu được đánh giá theo ngày ghi bản lưu. Bản lưu có phiên bản "
    "lược đồ mà công cụ này không biết sẽ bị từ chối.\n\n"
    "Mã thoát: 0 đã xong và đạt mọi ngưỡng; 1 không đạt một ngưỡng; 2 dùng sai lệnh, hoặc "
    "tệp đầu vào không hợp lệ hay không đọc được (khi đó không đánh giá gì).",
    "Judge saved site captures again — under another pack, registry or audit date — and "
    "write the same reports a scan would, without any request.\n\n"
    "Without --as-of the captures are judged on the day they were made. A capture of a schema "
    "version this auditor does not know is refused.\n\n"
    "Exit codes: 0 done and every gate passed; 1 a gate failed; 2 usage error, or an invalid "
    "or unreadable input file (nothing is judged then).",
)


def audit_cmd(
    captures: Annotated[
        list[Path],
        typer.Argument(
            metavar="CAPTURE",
            help=h(
                "Các bản lưu trang do 'scan --save-capture' ghi ra (<domain>.capture.warc.gz).",
                "Site captures written by 'scan --save-capture' (<domain>.capture.warc.gz).",
            ),
            show_default=False,
        ),
    ],
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            "-p",
            metavar="PACK",
            help=h(
                "Mã gói quy tắc (mặc định: theo tên miền).",
                "Rule pack id (default: from the domain).",
            ),
        ),
    ] = None,
    rules_file: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            help=h(
                "Gói quy tắc riêng (YAML) thay cho gói có sẵn.",
                "Your own rule pack (YAML) instead of a bundled one.",
            ),
        ),
    ] = None,
    registry: Annotated[
        Path | None,
        typer.Option(
            "--registry",
            "-r",
            help=h(
                "Tệp danh mục cơ quan (YAML): tên và cấp của các cơ quan, và bối cảnh cho các "
                "tiêu chí liên cổng (liên kết tới cổng của đơn vị trực thuộc).",
                "Registry YAML: the agencies' names and levels, and the context of "
                "cross-portal rules (links to subordinate portals).",
            ),
        ),
    ] = None,
    as_of: AsOfOpt = None,
    waivers: WaiversOpt = None,
    out_dir: OutOpt = Path("reports_out"),
    fmt: FormatOpt = "json,html,csv",
    lang: LangOpt = "vi",
    workers: WorkersOpt = None,
    fail_under: FailUnderOpt = None,
    fail_on: FailOnOpt = None,
    baseline: BaselineOpt = None,
    history: HistoryOpt = None,
    no_history: NoHistoryOpt = False,
    verbose: VerboseOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """``auditor audit`` (its help is :data:`AUDIT_HELP`)."""
    language = cli._lang(lang)
    cli._setup_logging(verbose, quiet, language)
    try:
        reg = load_registry(registry) if registry else None
        plan = plan_audit(
            list(captures),
            reg,
            profile,
            out_dir,
            cli._parse_formats(fmt),
            language,
            None if as_of is None else cli._parse_date(as_of, date.today()),
            rules_file,
            cli._parse_workers(workers),
        )
        policy = cli._policy(fail_under, fail_on, baseline)
        plan = cli._with_waivers(waivers, plan)
        cli._out_dir(out_dir)
        cli._check_folder(plan)
        plan, recorder = prepare(plan, run_options("audit", history, no_history, False, None))
    except InputError as exc:
        cli._input_problems(exc, language, t("chưa đánh giá gì", "nothing was judged"))
    except (AuditorError, ValueError) as exc:
        cli._fail(language, exc if isinstance(exc, AuditorError) else message_of(exc))
    cli._run(plan, quiet, policy, verbose, recorder)
