"""``--config FILE`` (or ``auditor.toml`` / ``[tool.auditor]`` found in the working folder) as the
defaults of a command's options: flags given on the command line override it.

A key is a long flag of any command without its dashes (``max-pages`` or ``max_pages``);
``targets`` lists the domains of ``scan``. Keys the running command does not take (``registry``
under ``demo``) are ignored; a key no command takes, or a value of the wrong type, is an input
error with file:line (exit 2) before any request. Relative paths are relative to the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from auditor.cli_help import h
from auditor.cli_usage import command_args, lang_of
from auditor.configfile import ConfigEntry, ConfigFile, discover, load
from auditor.errors import InputError, Problem
from auditor.models import Lang, LocalText, t

EXIT_INPUT = 2
_SKIP = {"help", "version", "config", "install_completion", "show_completion"}
err = Console(stderr=True, soft_wrap=True, emoji=False)


def _keys(param: Any) -> list[str]:
    """The configuration keys naming ``param``: its long flags without dashes, or its name."""
    longs = [o[2:] for o in param.opts if o.startswith("--")]
    names = longs or [param.name]
    return [*names, *(n.replace("-", "_") for n in names if "-" in n)]


def _params(command: Any) -> dict[str, Any]:
    return {
        key: param
        for param in getattr(command, "params", ())
        if param.name not in _SKIP
        for key in _keys(param)
    }


def _every_param(ctx: typer.Context) -> dict[str, Any]:
    """The keys any command reading the configuration file takes, with their parameter."""
    found: dict[str, Any] = {}
    stack = [ctx.find_root().command]
    while stack:
        command = stack.pop()
        if any(p.name == "config" for p in getattr(command, "params", ())):
            for key, param in _params(command).items():
                found.setdefault(key, param)
        stack.extend(getattr(command, "commands", {}).values())
    return found


def _value(config: ConfigFile, entry: ConfigEntry, param: Any) -> Any:
    """``entry``'s value as ``param`` takes it; :class:`InputError` if of the wrong type."""
    desc = param.type_descriptor
    value = entry.value
    scalar = (str, int, float)

    def bad(expected: LocalText) -> InputError:
        got = type(value).__name__
        return InputError(
            [
                config.problem(
                    entry,
                    t(
                        f"{entry.key}: cần {expected.vi}, không phải {got}",
                        f"{entry.key}: expected {expected.en}, got {got}",
                    ),
                )
            ]
        )

    if getattr(param, "is_flag", False) or desc.annotation is bool:
        if not isinstance(value, bool):
            raise bad(t("true hoặc false", "true or false"))
        return value
    if isinstance(value, bool):
        raise bad(t("một giá trị, không phải true/false", "a value, not true/false"))
    if desc.is_list:
        items = [value] if isinstance(value, scalar) else value
        if not isinstance(items, list) or not all(isinstance(v, scalar) for v in items):
            raise bad(t("một danh sách chuỗi", "a list of strings"))
        return [str(v) for v in items]
    if desc.is_path:
        if not isinstance(value, str) or not value:
            raise bad(t("một đường dẫn (chuỗi)", "a path (string)"))
        path = Path(value).expanduser()
        return str(path if path.is_absolute() else config.path.parent / path)
    if desc.annotation is int:
        if not isinstance(value, int):
            raise bad(t("một số nguyên", "an integer"))
        return value
    if desc.annotation is float:
        if not isinstance(value, int | float):
            raise bad(t("một số", "a number"))
        return float(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ",".join(value)  # format = ["json", "html"]
    if not isinstance(value, scalar):
        raise bad(t("một chuỗi", "a string"))
    return str(value)


def defaults(config: ConfigFile, ctx: typer.Context) -> dict[str, Any]:
    """The ``default_map`` of the running command from ``config``; every problem at once."""
    params = _params(ctx.command)
    known = _every_param(ctx)
    problems: list[Problem] = []
    found: dict[str, Any] = {}
    for entry in config.entries:
        param = params.get(entry.key)
        other = known.get(entry.key)
        if param is None and other is None:
            choices = ", ".join(sorted(k for k in known if "_" not in k))
            message = t(
                f"không có khóa {entry.key!r}; các khóa: {choices}",
                f"unknown key {entry.key!r}; known: {choices}",
            )
            problems.append(config.problem(entry, message))
            continue
        try:
            value = _value(config, entry, param or other)  # checked even if not used here
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if param is not None:
            found[param.name] = value
    if problems:
        raise InputError(problems)
    return found


def apply_config(ctx: typer.Context, value: Path | None) -> Path | None:
    """Eager callback of ``--config``: load the file (or the one found) as the defaults."""
    if ctx.resilient_parsing:  # shell completion
        return value
    path = value if value is not None else discover(Path.cwd())
    if path is None:
        return None
    config: ConfigFile | None = None
    try:
        config = load(path)
        # values the parent command was given (``auditor --lang en scan``) are flags too:
        # they override the file
        ctx.default_map = {**defaults(config, ctx), **(ctx.default_map or {})}
    except InputError as exc:
        lang = _lang_of(ctx, config)
        for problem in exc.problems:
            err.print(problem.text(lang), highlight=False, markup=False)
        n = len(exc.problems)
        said = (
            f"lỗi: {n} lỗi trong tệp cấu hình; chưa tải trang nào"
            if lang == "vi"
            else f"error: {n} problem(s) in the configuration file; nothing was fetched"
        )
        err.print(f"[bold red]{said}[/]", highlight=False)
        raise typer.Exit(EXIT_INPUT) from None
    return path


def _lang_of(ctx: typer.Context, config: ConfigFile | None) -> Lang:
    """The language to report a configuration problem in, before ``--lang`` is parsed: the
    flag if given, else the ``lang`` the file sets, else Vietnamese."""
    return lang_of(command_args(ctx), config)


ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        is_eager=True,
        callback=apply_config,
        help=h(
            "Lấy các tuỳ chọn từ một tệp TOML (khoá là tên dài của tuỳ chọn: max-pages = 60, "
            "connect-to = [...]); mặc định: ./auditor.toml, nếu không có thì mục [tool.auditor] "
            "của ./pyproject.toml. Tuỳ chọn ghi trên dòng lệnh được ưu tiên hơn tệp.",
            "Options from a TOML file (keys are the long flags: max-pages = 60, "
            "connect-to = [...]); default: ./auditor.toml, else [tool.auditor] of "
            "./pyproject.toml. Flags given on the command line override it.",
        ),
    ),
]
