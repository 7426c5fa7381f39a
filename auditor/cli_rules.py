"""``auditor rules …``: list, show, validate, test, coverage and schema of the rule packs.

Mounted on the main app with ``app.add_typer(rules_app, name="rules")``. Exit codes: 0 done,
1 a fixture test failed or coverage is incomplete, 2 an invalid pack or a usage error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from auditor.cli_help import h
from auditor.errors import AuditorError, InputError, Message, RuleError, say
from auditor.models import Lang, LocalText, t
from auditor.paths import fixtures_dir, rules_dir
from auditor.report.i18n import level_label, severity_label
from auditor.rules.checktree import primitives
from auditor.rules.coverage import coverage, load_digest, render_csv, render_markdown
from auditor.rules.jsonschema import rule_pack_schema
from auditor.rules.loader import Pack, list_packs, load_pack, load_pack_file
from auditor.rules.schema import Rule

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2

rules_app = typer.Typer(
    help=h(
        "Gói quy tắc: liệt kê, xem, kiểm tra tính hợp lệ, chạy thử, độ phủ, lược đồ.",
        "Rule packs: list, show, validate, test, coverage, schema.",
    ),
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True, emoji=False)
err = Console(stderr=True, soft_wrap=True, emoji=False)

ProfileOpt = Annotated[
    str | None,
    typer.Option(
        "--profile",
        "-p",
        help=h("Mã gói quy tắc (mặc định: mọi gói).", "Rule pack id (default: every pack)."),
    ),
]
RulesDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--rules-dir",
        help=h(
            "Thư mục chứa các gói quy tắc (mặc định: các gói đi kèm).",
            "Folder of rule packs (default: the bundled packs).",
        ),
    ),
]


LangOpt = Annotated[
    str,
    typer.Option(
        "--lang",
        metavar="vi|en",
        help=h("Ngôn ngữ của kết quả in ra: vi hoặc en.", "Output language: vi or en."),
    ),
]


def _s(lang: Lang, vi: str, en: str) -> str:
    return vi if lang == "vi" else en


def _fail(lang: Lang, message: Message | AuditorError, code: int = EXIT_INPUT) -> NoReturn:
    text = message.text(lang) if isinstance(message, AuditorError) else say(message, lang)
    err.print(f"[bold red]{_s(lang, 'lỗi', 'error')}:[/] {escape(text)}", highlight=False)
    raise typer.Exit(code)


def _lang(value: str) -> Lang:
    if value not in ("vi", "en"):
        _fail(
            "vi",
            t("--lang phải là vi hoặc en / --lang must be vi or en", "--lang must be vi or en"),
        )
    return "en" if value == "en" else "vi"


def _nothing(lang: Lang, folder: Path, done: LocalText) -> NoReturn:
    _fail(
        lang,
        t(
            f"không tìm thấy bộ tiêu chí nào trong {folder}: {done.vi}",
            f"no rule pack found in {folder}: {done.en}",
        ),
    )


def _dir(value: Path | None) -> Path:
    return value if value is not None else rules_dir()


def _packs(folder: Path, profile: str | None, lang: Lang) -> list[Pack]:
    """The pack ``profile``, or every pack of ``folder``; problems end the command (exit 2)."""
    try:
        ids = [profile] if profile else [ref.id for ref in list_packs(folder)]
        return [load_pack(pack_id, folder) for pack_id in ids]
    except InputError as exc:
        for problem in exc.problems:
            err.print(problem.text(lang), highlight=False, markup=False)
        n = len(exc.problems)
        _fail(lang, t(f"{n} lỗi trong các bộ tiêu chí", f"{n} problem(s) in the rule packs"))
    except AuditorError as exc:
        _fail(lang, exc)


def _find_rule(packs: list[Pack], rule_id: str) -> tuple[Pack, Rule] | None:
    for pack in packs:
        for rule in pack.rules:
            if rule.id == rule_id:
                return pack, rule
    return None


@rules_app.command(
    "list",
    help=h(
        "Liệt kê các tiêu chí của một gói (hoặc của mọi gói) cùng căn cứ, cấp áp dụng và trọng số.",
        "List the rules of one pack (or of every pack) with citation, levels and weight.",
    ),
)
def list_rules(
    profile: ProfileOpt = None, rules_dir_opt: RulesDirOpt = None, lang: LangOpt = "vi"
) -> None:
    language = _lang(lang)
    by_hand = _s(language, "thủ công", "manual")
    for pack in _packs(_dir(rules_dir_opt), profile, language):
        manual = sum(1 for r in pack.rules if r.manual)
        draft = _s(language, " [DỰ THẢO]", " [DRAFT]") if pack.draft else ""
        out.print(
            f"{pack.id}{draft}: {len(pack.rules)} "
            + _s(language, f"tiêu chí, {manual} thủ công", f"rules, {manual} manual"),
            highlight=False,
            markup=False,
        )
        for rule in pack.rules:
            check = by_hand if rule.check is None else ", ".join(primitives(rule.check))
            out.print(
                f"  {rule.id}  [{rule.citation.document} {rule.citation.label(language)}]  "
                f"{','.join(rule.applies_to)}  w={rule.weight:g}  {check}",
                highlight=False,
                markup=False,
            )


@rules_app.command(
    "show",
    help=h(
        "Xem một tiêu chí: căn cứ, trích dẫn văn bản, cấp áp dụng, thời gian hiệu lực, tham số "
        "kiểm tra và dữ liệu thử.",
        "Show one rule: citation, quoted text, levels, dates, check parameters and fixtures.",
    ),
)
def show(
    rule_id: Annotated[
        str,
        typer.Argument(help=h("Mã tiêu chí, ví dụ st.d6k2.https.", "Rule id, e.g. st.d6k2.https.")),
    ],
    profile: ProfileOpt = None,
    rules_dir_opt: RulesDirOpt = None,
    lang: LangOpt = "vi",
) -> None:
    language = _lang(lang)
    found = _find_rule(_packs(_dir(rules_dir_opt), profile, language), rule_id)
    if found is None:
        where = (
            t(f" trong bộ tiêu chí {profile!r}", f" in pack {profile!r}") if profile else t("", "")
        )
        _fail(
            language,
            t(f"không có tiêu chí {rule_id!r}{where.vi}", f"no rule {rule_id!r}{where.en}"),
        )
    pack, rule = found
    doc = pack.find_document(rule.citation.document)
    vi = language == "vi"
    label = dict(
        zip(
            (
                "title",
                "citation",
                "quote",
                "levels",
                "in force",
                "category",
                "failure",
                "fix",
                "check",
            ),
            (
                "tên",
                "trích dẫn",
                "nguyên văn",
                "áp dụng",
                "hiệu lực",
                "nhóm",
                "khi không đạt",
                "khắc phục",
                "kiểm tra",
            )
            if vi
            else (
                "title",
                "citation",
                "quote",
                "levels",
                "in force",
                "category",
                "failure",
                "fix",
                "check",
            ),
            strict=True,
        )
    )

    def line(key: str, value: str) -> str:
        return f"  {label[key] + ':':<15}{value}"

    draft = _s(language, ", dự thảo", ", draft") if pack.draft else ""
    lines = [
        f"{rule.id}  ({pack.id}{draft})",
        line("title", rule.title.get(language)),
        line("citation", f"{rule.citation.document}, {rule.citation.label(language)}"),
    ]
    if rule.quote:
        lines.append(line("quote", f"“{rule.quote}”"))
    start = rule.effective_from or (doc.effective_from if doc else None)
    end = rule.effective_to or (doc.effective_to if doc else None)
    levels = ", ".join(
        level_label(lv, language) if lv != "all" else _s(language, "mọi cấp", "all")
        for lv in rule.applies_to
    )
    severity = severity_label(rule.severity, language).lower()
    named = pack.scoring.categories.get(rule.category)
    category = named.get(language) if named is not None else rule.category
    lines += [
        line("levels", levels),
        line("in force", f"{start or '…'} – {end or '…'}"),
        line(
            "category",
            _s(
                language,
                f"{category}, mức độ {severity}, trọng số {rule.weight:g}",
                f"{category}, severity {severity}, weight {rule.weight:g}",
            ),
        ),
        line("failure", rule.failure.get(language)),
    ]
    if rule.fix:
        lines.append(line("fix", rule.fix.get(language)))
    if rule.check is None:
        lines.append(line("check", _s(language, "cần kiểm tra thủ công", "manual review")))
    else:
        lines.append(
            line("check", json.dumps(rule.check.model_dump(mode="json"), ensure_ascii=False))
        )
        from auditor.rule_fixtures import case_folders  # loads the fixture server: see below

        root = fixtures_dir() / "rules" / rule.id
        for kind in ("pass", "fail"):
            folders = case_folders(root, kind)
            names = ", ".join(str(f.relative_to(fixtures_dir().parent)) for f in folders)
            what = _s(
                language, f"mẫu {'đạt' if kind == 'pass' else 'không đạt'}", f"{kind} fixtures"
            )
            lines.append(f"  {what}: {names or _s(language, 'không có', 'none')}")
    out.print("\n".join(lines), highlight=False, markup=False)


@rules_app.command(
    "validate",
    help=h(
        "Kiểm tra tính hợp lệ của các gói; in mọi lỗi kèm tệp:dòng và thoát với mã 2 nếu có lỗi.",
        "Validate packs; print every problem with file:line and exit 2 if there is any.",
    ),
)
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help=h(
                "Các tệp gói quy tắc (mặc định: mọi gói trong thư mục gói).",
                "Pack files (default: every pack in the rules folder).",
            )
        ),
    ] = None,
    rules_dir_opt: RulesDirOpt = None,
    lang: LangOpt = "vi",
) -> None:
    language = _lang(lang)
    problems: list[str] = []
    count = 0
    if files:
        for path in files:
            if not path.is_file():
                problems.append(f"{path}: " + _s(language, "không có tệp này", "no such file"))
                continue
            try:
                load_pack_file(path, base_dir=_dir(rules_dir_opt))
                count += 1
            except InputError as exc:
                problems.extend(p.text(language) for p in exc.problems)
            except AuditorError as exc:
                problems.append(f"{path}: {exc.text(language)}")
    else:
        folder = _dir(rules_dir_opt)
        try:
            refs = list_packs(folder)
        except InputError as exc:
            refs = ()
            problems.extend(p.text(language) for p in exc.problems)
        for ref in refs:
            try:
                load_pack(ref.id, folder)
                count += 1
            except InputError as exc:
                problems.extend(p.text(language) for p in exc.problems)
            except AuditorError as exc:
                problems.append(f"{ref.path}: {exc.text(language)}")
    for problem in dict.fromkeys(problems):
        err.print(problem, highlight=False, markup=False)
    if problems:
        n = len(set(problems))
        _fail(language, t(f"{n} lỗi", f"{n} problem(s)"))
    if count == 0:
        _nothing(
            language, _dir(rules_dir_opt), t("không kiểm tra được gì", "nothing was validated")
        )
    out.print(
        _s(language, f"{count} bộ tiêu chí hợp lệ", f"{count} pack(s) valid"), highlight=False
    )


@rules_app.command(
    "test",
    help=h(
        "Chạy thử mọi tiêu chí có kiểm tra tự động với dữ liệu thử đạt và không đạt của nó "
        "(thoát với mã 1 nếu có ca sai hoặc tiêu chí thiếu một trong hai loại).",
        "Run every checked rule against its pass and fail fixtures (exit 1 on any failure or a "
        "rule without both).",
    ),
)
def test(
    profile: ProfileOpt = None,
    rules_dir_opt: RulesDirOpt = None,
    fixtures: Annotated[
        Path | None,
        typer.Option(
            "--fixtures",
            help=h(
                "Thư mục dữ liệu thử của tiêu chí (mặc định: dữ liệu thử đi kèm).",
                "Rule fixtures (default: the bundled fixtures).",
            ),
        ),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help=h("Liệt kê từng ca thử.", "List every case.")),
    ] = False,
    lang: LangOpt = "vi",
) -> None:
    language = _lang(lang)
    packs = _packs(_dir(rules_dir_opt), profile, language)
    root = fixtures if fixtures is not None else fixtures_dir() / "rules"
    untested = t("không thử được gì", "nothing was tested")
    if not packs:
        _nothing(language, _dir(rules_dir_opt), untested)
    if not root.is_dir():
        _fail(
            language,
            t(
                f"không có mẫu thử trong {root}: {untested.vi}",
                f"no rule fixtures in {root}: {untested.en}",
            ),
        )
    # imported here, not at the top: the fixture server it loads brings trustme and
    # cryptography (~10 MB), which every other command (a scan above all) does without
    from auditor.rule_fixtures import run_pack_fixtures

    try:
        reports = run_pack_fixtures(packs, root, fixtures_dir() / "sites")
    except RuleError as exc:
        for problem in exc.problems:
            err.print(problem.text(language), highlight=False, markup=False)
        _fail(language, t("mẫu thử không hợp lệ", "invalid fixtures"))
    ok = True
    # the line tokens (ok, FAIL, MISSING, INVALID) stay the same in both languages, for scripts
    for report in reports:
        bad = [r for r in report.results if not r.ok]
        passed = len(report.results) - len(bad)
        for result in report.results if verbose else bad:
            mark = "ok  " if result.ok else "FAIL"
            expected, got = result.case.expected, result.status
            out.print(
                f"{mark} {result.case.name}: "
                + _s(language, f"cần {expected}, được {got}", f"expected {expected}, got {got}")
                + ("" if result.ok else f" — {result.detail}"),
                highlight=False,
                markup=False,
            )
        for missing in report.missing:
            out.print(f"MISSING {missing}", highlight=False, markup=False)
        for problem in report.problems:
            out.print(f"INVALID {problem}", highlight=False, markup=False)
        n, lacking = len(report.results), len(report.missing)
        out.print(
            f"{report.pack_id}: "
            + _s(
                language,
                f"{passed}/{n} ca đúng như mong đợi, {lacking} tiêu chí thiếu mẫu đạt hoặc không "
                f"đạt, {report.manual} thủ công",
                f"{passed}/{n} cases as expected, {lacking} rule(s) without both fixtures, "
                f"{report.manual} manual",
            ),
            highlight=False,
        )
        ok = ok and report.ok
    if not ok:
        raise typer.Exit(EXIT_FAILED)
    if not any(report.results for report in reports):
        names = ", ".join(p.id for p in packs)
        _fail(
            language,
            t(
                f"không có ca thử nào trong {root} cho {names}: {untested.vi}",
                f"no fixture case in {root} for {names}: {untested.en}",
            ),
        )


OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help=h("Ghi vào tệp FILE.", "Write to FILE.")),
]


@rules_app.command(
    "coverage",
    help=h(
        "In bảng đối chiếu các dòng của bản tóm lược văn bản với các tiêu chí của một gói "
        "(thoát với mã 1 khi có dòng chưa có tiêu chí).\n\n"
        "Bảng là một tài liệu tiếng Anh (docs/coverage/*.md); --lang quy định ngôn ngữ của "
        "các thông báo.",
        "Print the digest rows → rules table of a pack (exit 1 when a row has no rule).\n\n"
        "The table is a document in English (docs/coverage/*.md); --lang sets the messages.",
    ),
)
def coverage_cmd(
    profile: Annotated[
        str, typer.Option("--profile", "-p", help=h("Mã gói quy tắc.", "Rule pack id."))
    ],
    fmt: Annotated[
        str, typer.Option("--format", help=h("md (mặc định) hoặc csv.", "md (default) or csv."))
    ] = "md",
    rules_dir_opt: RulesDirOpt = None,
    output: OutputOpt = None,
    lang: LangOpt = "vi",
) -> None:
    """``auditor rules coverage`` (its help is in the decorator)."""
    language = _lang(lang)
    if fmt not in ("md", "csv"):
        _fail(
            language,
            t(f"--format: {fmt!r} không phải md hay csv", f"--format: {fmt!r} is not md or csv"),
        )
    folder = _dir(rules_dir_opt)
    pack = _packs(folder, profile, language)[0]
    rows = coverage(pack, load_digest(folder))
    text = render_markdown(pack, rows) if fmt == "md" else render_csv(rows)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        out.print(text, highlight=False, markup=False, end="")
    missing = [r.row.ref for r in rows if not r.covered]
    if missing:
        head = _s(language, "chưa có tiêu chí", "not covered")
        err.print(f"{head}: {'; '.join(missing)}", highlight=False, markup=False)
        raise typer.Exit(EXIT_FAILED)


@rules_app.command(
    "schema",
    help=h(
        "In lược đồ JSON Schema của tệp gói quy tắc (lưu trong docs/rule-schema.json).",
        "Print the JSON Schema of a rule-pack file (committed as docs/rule-schema.json).",
    ),
)
def schema(output: OutputOpt = None, lang: LangOpt = "vi") -> None:
    """``auditor rules schema`` (its help is in the decorator)."""
    _lang(lang)  # an invalid value is refused as by every command
    text = schema_text()
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        out.print(text, highlight=False, markup=False, end="")


def schema_text() -> str:
    """The JSON Schema of a rule-pack file, as written to ``docs/rule-schema.json``."""
    return json.dumps(rule_pack_schema(), ensure_ascii=False, indent=2) + "\n"
