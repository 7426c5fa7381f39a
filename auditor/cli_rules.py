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

from auditor.errors import AuditorError, InputError, RuleError
from auditor.paths import fixtures_dir, rules_dir
from auditor.rule_fixtures import case_folders, run_pack_fixtures
from auditor.rules.checktree import primitives
from auditor.rules.coverage import coverage, load_digest, render_csv, render_markdown
from auditor.rules.jsonschema import rule_pack_schema
from auditor.rules.loader import Pack, list_packs, load_pack, load_pack_file
from auditor.rules.schema import Rule

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2

rules_app = typer.Typer(
    help="Gói quy tắc: liệt kê, xem, kiểm tra, thử nghiệm, độ phủ. / Rule packs: list, show, "
    "validate, test, coverage, schema.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True, emoji=False)
err = Console(stderr=True, soft_wrap=True, emoji=False)

ProfileOpt = Annotated[
    str | None, typer.Option("--profile", "-p", help="Rule pack id (default: every pack).")
]
RulesDirOpt = Annotated[
    Path | None, typer.Option("--rules-dir", help="Folder of rule packs (default: rules/).")
]


def _fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True)
    raise typer.Exit(code)


def _dir(value: Path | None) -> Path:
    return value if value is not None else rules_dir()


def _packs(folder: Path, profile: str | None) -> list[Pack]:
    """The pack ``profile``, or every pack of ``folder``; problems end the command (exit 2)."""
    try:
        ids = [profile] if profile else [ref.id for ref in list_packs(folder)]
        return [load_pack(pack_id, folder) for pack_id in ids]
    except InputError as exc:
        for problem in exc.problems:
            err.print(str(problem), highlight=False, markup=False)
        _fail(f"{len(exc.problems)} problem(s) in the rule packs")
    except AuditorError as exc:
        _fail(str(exc))


def _find_rule(packs: list[Pack], rule_id: str) -> tuple[Pack, Rule] | None:
    for pack in packs:
        for rule in pack.rules:
            if rule.id == rule_id:
                return pack, rule
    return None


@rules_app.command("list")
def list_rules(profile: ProfileOpt = None, rules_dir_opt: RulesDirOpt = None) -> None:
    """List the rules of one pack (or of every pack) with citation, levels and weight."""
    for pack in _packs(_dir(rules_dir_opt), profile):
        manual = sum(1 for r in pack.rules if r.manual)
        draft = " [DỰ THẢO / DRAFT]" if pack.draft else ""
        out.print(
            f"{pack.id}{draft}: {len(pack.rules)} rules, {manual} manual",
            highlight=False,
            markup=False,
        )
        for rule in pack.rules:
            check = "manual" if rule.check is None else ", ".join(primitives(rule.check))
            out.print(
                f"  {rule.id}  [{rule.citation.document} {rule.citation.label('vi')}]  "
                f"{','.join(rule.applies_to)}  w={rule.weight:g}  {check}",
                highlight=False,
                markup=False,
            )


@rules_app.command("show")
def show(
    rule_id: Annotated[str, typer.Argument(help="Rule id, e.g. st.d6k2.https.")],
    profile: ProfileOpt = None,
    rules_dir_opt: RulesDirOpt = None,
) -> None:
    """Show one rule: citation, quoted text, levels, dates, check parameters and fixtures."""
    found = _find_rule(_packs(_dir(rules_dir_opt), profile), rule_id)
    if found is None:
        _fail(f"no rule {rule_id!r}" + (f" in pack {profile!r}" if profile else ""))
    pack, rule = found
    doc = pack.find_document(rule.citation.document)
    lines = [
        f"{rule.id}  ({pack.id}{', draft' if pack.draft else ''})",
        f"  title:     {rule.title.vi} / {rule.title.en}",
        f"  citation:  {rule.citation.document}, {rule.citation.label('vi')} "
        f"({rule.citation.label('en')})",
    ]
    if rule.quote:
        lines.append(f"  quote:     “{rule.quote}”")
    start = rule.effective_from or (doc.effective_from if doc else None)
    end = rule.effective_to or (doc.effective_to if doc else None)
    lines += [
        f"  levels:    {', '.join(rule.applies_to)}",
        f"  in force:  {start or '…'} – {end or '…'}",
        f"  category:  {rule.category}, severity {rule.severity}, weight {rule.weight:g}",
        f"  failure:   {rule.failure.vi} / {rule.failure.en}",
    ]
    if rule.fix:
        lines.append(f"  fix:       {rule.fix.vi} / {rule.fix.en}")
    if rule.check is None:
        lines.append("  check:     manual (cần kiểm tra thủ công / manual review)")
    else:
        lines.append(
            "  check:     " + json.dumps(rule.check.model_dump(mode="json"), ensure_ascii=False)
        )
        root = fixtures_dir() / "rules" / rule.id
        for kind in ("pass", "fail"):
            folders = case_folders(root, kind)
            names = ", ".join(str(f.relative_to(fixtures_dir().parent)) for f in folders)
            lines.append(f"  {kind} fixtures: {names or 'none'}")
    out.print("\n".join(lines), highlight=False, markup=False)


@rules_app.command("validate")
def validate(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Pack files (default: every pack in rules/).")
    ] = None,
    rules_dir_opt: RulesDirOpt = None,
) -> None:
    """Validate packs; print every problem with file:line and exit 2 if there is any."""
    problems: list[str] = []
    count = 0
    if files:
        for path in files:
            if not path.is_file():
                problems.append(f"{path}: no such file")
                continue
            try:
                load_pack_file(path, base_dir=_dir(rules_dir_opt))
                count += 1
            except InputError as exc:
                problems.extend(str(p) for p in exc.problems)
            except AuditorError as exc:
                problems.append(f"{path}: {exc}")
    else:
        folder = _dir(rules_dir_opt)
        try:
            refs = list_packs(folder)
        except InputError as exc:
            refs = ()
            problems.extend(str(p) for p in exc.problems)
        for ref in refs:
            try:
                load_pack(ref.id, folder)
                count += 1
            except InputError as exc:
                problems.extend(str(p) for p in exc.problems)
            except AuditorError as exc:
                problems.append(f"{ref.path}: {exc}")
    for problem in dict.fromkeys(problems):
        err.print(problem, highlight=False, markup=False)
    if problems:
        _fail(f"{len(set(problems))} problem(s)")
    if count == 0:
        _fail(f"no rule pack found in {_dir(rules_dir_opt)}: nothing was validated")
    out.print(f"{count} pack(s) valid", highlight=False)


@rules_app.command("test")
def test(
    profile: ProfileOpt = None,
    rules_dir_opt: RulesDirOpt = None,
    fixtures: Annotated[
        Path | None, typer.Option("--fixtures", help="Rule fixtures (default fixtures/rules/).")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every case.")] = False,
) -> None:
    """Run every checked rule against its pass and fail fixtures (exit 1 on any failure or a
    rule without both)."""
    packs = _packs(_dir(rules_dir_opt), profile)
    root = fixtures if fixtures is not None else fixtures_dir() / "rules"
    if not packs:
        _fail(f"no rule pack found in {_dir(rules_dir_opt)}: nothing was tested")
    if not root.is_dir():
        _fail(f"no rule fixtures in {root}: nothing was tested")
    try:
        reports = run_pack_fixtures(packs, root, fixtures_dir() / "sites")
    except RuleError as exc:
        for problem in exc.problems:
            err.print(str(problem), highlight=False, markup=False)
        _fail("invalid fixtures")
    ok = True
    for report in reports:
        bad = [r for r in report.results if not r.ok]
        passed = len(report.results) - len(bad)
        for result in report.results if verbose else bad:
            mark = "ok  " if result.ok else "FAIL"
            out.print(
                f"{mark} {result.case.name}: expected {result.case.expected}, got "
                f"{result.status}" + ("" if result.ok else f" — {result.detail}"),
                highlight=False,
                markup=False,
            )
        for missing in report.missing:
            out.print(f"MISSING {missing}", highlight=False, markup=False)
        for problem in report.problems:
            out.print(f"INVALID {problem}", highlight=False, markup=False)
        out.print(
            f"{report.pack_id}: {passed}/{len(report.results)} cases as expected, "
            f"{len(report.missing)} rule(s) without both fixtures, {report.manual} manual",
            highlight=False,
        )
        ok = ok and report.ok
    if not ok:
        raise typer.Exit(EXIT_FAILED)
    if not any(report.results for report in reports):
        names = ", ".join(p.id for p in packs)
        _fail(f"no fixture case in {root} for {names}: nothing was tested")


@rules_app.command("coverage")
def coverage_cmd(
    profile: Annotated[str, typer.Option("--profile", "-p", help="Rule pack id.")],
    fmt: Annotated[str, typer.Option("--format", help="md (default) or csv.")] = "md",
    rules_dir_opt: RulesDirOpt = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
) -> None:
    """Print the digest rows → rules table of a pack (exit 1 when a row has no rule)."""
    if fmt not in ("md", "csv"):
        _fail(f"--format: {fmt!r} is not md or csv")
    folder = _dir(rules_dir_opt)
    pack = _packs(folder, profile)[0]
    rows = coverage(pack, load_digest(folder))
    text = render_markdown(pack, rows) if fmt == "md" else render_csv(rows)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        out.print(text, highlight=False, markup=False, end="")
    missing = [r.row.ref for r in rows if not r.covered]
    if missing:
        err.print(f"not covered: {'; '.join(missing)}", highlight=False, markup=False)
        raise typer.Exit(EXIT_FAILED)


@rules_app.command("schema")
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
) -> None:
    """Print the JSON Schema of a rule-pack file (committed as docs/rule-schema.json)."""
    text = schema_text()
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        out.print(text, highlight=False, markup=False, end="")


def schema_text() -> str:
    """The JSON Schema of a rule-pack file, as written to ``docs/rule-schema.json``."""
    return json.dumps(rule_pack_schema(), ensure_ascii=False, indent=2) + "\n"
