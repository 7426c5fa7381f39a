"""Command-line usage errors that click itself raises (an unknown option, a missing argument, a
value of the wrong type), said in the run's language like every other line of the console."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, cast

from auditor.configfile import ConfigFile, discover, load
from auditor.errors import InputError
from auditor.models import Lang


def _click_exceptions() -> ModuleType:
    # typer 0.2x parses with its own copy of click; older typer with click itself
    try:
        from typer._click import exceptions as vendored

        return vendored
    except ImportError:  # pragma: no cover - older typer
        from click import exceptions  # type: ignore[import-not-found,unused-ignore]

        return cast(ModuleType, exceptions)


click = _click_exceptions()
UsageError: type[Exception] = click.UsageError


def argv_lang(args: Sequence[str]) -> Lang:
    """The ``--lang`` given on the command line ``args`` (before click has parsed them), else
    Vietnamese."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return "en" if args[i + 1] == "en" else "vi"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "vi"
    return "vi"


ARGV_KEY = "auditor.argv"  # ctx.meta: the command line as the root command received it


def command_args(ctx: Any) -> list[str]:
    """The whole command line of the run ``ctx`` belongs to (``sys.argv`` if not recorded)."""
    args = ctx.find_root().meta.get(ARGV_KEY) if ctx is not None else None
    return list(args) if args is not None else sys.argv[1:]


def _option_value(args: Sequence[str], flag: str) -> str | None:
    for i, arg in enumerate(args):
        if arg == flag and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(flag + "="):
            return arg.split("=", 1)[1]
    return None


def lang_of(args: Sequence[str], config: ConfigFile | None) -> Lang:
    """The run's language: ``--lang`` in ``args``, else the ``lang`` of ``config``, else
    Vietnamese (the order in which a command's ``--lang`` takes its value)."""
    if _option_value(args, "--lang") is not None:
        return argv_lang(args)
    for entry in config.entries if config is not None else ():
        if entry.key == "lang":
            return "en" if entry.value == "en" else "vi"
    return "vi"


def run_lang(args: Sequence[str]) -> Lang:
    """The run's language before click has parsed ``args``, for what is said before a command
    runs (its ``--help``, a usage error): :func:`lang_of` with the configuration file the
    command would read (``--config FILE``, else the one found in the working folder). A
    configuration file that cannot be read is the command's to report: here it is skipped."""
    named = _option_value(args, "--config")
    path = Path(named) if named is not None else discover(Path.cwd())
    config = None
    if path is not None:
        try:
            config = load(path)
        except InputError:
            config = None
    return lang_of(args, config)


def _hint(exc: Any) -> str:
    param = getattr(exc, "param", None)
    if isinstance(exc, (click.BadParameter, click.MissingParameter)) and param is not None:
        if getattr(param, "param_type_name", "") == "argument":
            return str(getattr(param, "metavar", None) or (param.name or "").upper())
        return "/".join(getattr(param, "opts", ()) or ()) or (param.name or "")
    return ""


def usage_message(exc: Any, lang: Lang) -> str:
    """``exc`` as one line in ``lang`` (click words its own errors in English)."""
    if isinstance(exc, click.NoArgsIsHelpError):
        return str(exc.format_message())  # the help text, as asked
    if lang == "en":
        return f"usage error: {exc.format_message()}"
    if isinstance(exc, click.NoSuchOption):
        said = f"không có tuỳ chọn {exc.option_name}"
        if exc.possibilities:
            said += f" (có phải {', '.join(sorted(exc.possibilities))}?)"
    elif isinstance(exc, click.MissingParameter):
        said = f"thiếu {_hint(exc) or 'tham số'}"
    elif isinstance(exc, click.BadOptionUsage):
        said = f"dùng sai tuỳ chọn {exc.option_name}: {exc.format_message()}"
    elif isinstance(exc, click.BadParameter):
        said = f"giá trị không hợp lệ cho {_hint(exc) or 'tham số'}: {exc.message}"
    else:
        said = exc.format_message()
    command = exc.ctx.command_path if exc.ctx is not None else "auditor"
    return f"lỗi cách dùng: {said} (xem: {command} --help)"
