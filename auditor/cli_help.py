"""Readable ``--help`` in the run's language.

Metavars say what to type (``FILE``, ``N``, ``DOMAIN…``), not types: typer prints a parameter's
Python type (``<bool>``, ``<list[str]>``) where a metavar is not given; :func:`install` replaces
that column with a word a user understands, for every command, including the options colleagues
add later without a ``metavar=``. Flags show nothing.

Every help text is declared once, in both languages, next to its option or command:
``help=h("Thư mục ghi báo cáo.", "Folder for the reports.")``. ``--help`` shows the texts, and
typer's and click's own words ("Usage:", "Options", "[default: …]"), in the run's language,
chosen as a command chooses it (:func:`auditor.cli_usage.run_lang`: ``--lang`` on the command
line, else the configuration file's ``lang``, else Vietnamese).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer.core
import typer.rich_utils
from rich.markup import escape

from auditor.cli_usage import ARGV_KEY, command_args, run_lang
from auditor.models import Lang, LocalText, t

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}
_BY_TYPE = {"int": "N", "float": "NUMBER", "str": "TEXT", "path": "FILE", "Path": "FILE"}

# every help text (either language, as declared and as shown) → its pair
_PAIRS: dict[str, LocalText] = {}


def h(vi: str, en: str) -> str:
    """A help text in Vietnamese and English, declared once beside its option or command.

    Returns the Vietnamese text (what a tool reading the help without :func:`install` shows);
    ``--help`` shows the text of the run's language. Write a paragraph on one line (adjacent
    string literals), paragraphs apart with a blank line (``\\n\\n``): the console reflows them.
    """
    pair = t(vi, en)
    for key in (vi, en, escape(vi), escape(en)):
        known = _PAIRS.setdefault(key, pair)
        if known != pair:
            raise ValueError(f"help text {key!r} is declared with two translations")
    return vi


def help_pair(text: str | None) -> LocalText | None:
    """The two languages of a declared help text (shown or as declared), else None."""
    return None if text is None else _PAIRS.get(text)


# typer's and click's own help texts, in both languages
h("Hiện phần trợ giúp này rồi thoát.", "Show this message and exit.")
h(
    "Cài tính năng tự hoàn thành lệnh cho shell đang dùng.",
    "Install completion for the current shell.",
)
h(
    "Hiện mã tự hoàn thành lệnh của shell đang dùng, để sao chép hoặc tự cài theo ý mình.",
    "Show completion for the current shell, to copy it or customize the installation.",
)

# typer's fixed words (module constants of rich_utils read when help is printed)
_RICH_WORDS: dict[str, LocalText] = {
    "ARGUMENTS_PANEL_TITLE": t("Tham số", "Arguments"),
    "OPTIONS_PANEL_TITLE": t("Tuỳ chọn", "Options"),
    "COMMANDS_PANEL_TITLE": t("Lệnh", "Commands"),
    "DEFAULT_STRING": t("[mặc định: {}]", "[default: {}]"),
    "REQUIRED_LONG_STRING": t("[bắt buộc]", "[required]"),
    "ENVVAR_STRING": t("[biến môi trường: {}]", "[env var: {}]"),
    "DEPRECATED_STRING": t("(không còn dùng) ", "(deprecated) "),
}
# click's words in the usage line
USAGE = t("Cách dùng: ", "Usage: ")
_OPTIONS_METAVAR = t("[TUỲ CHỌN]", "[OPTIONS]")
_COMMAND_METAVAR = t("LỆNH [THAM SỐ]...", "COMMAND [ARGS]...")


def _metavar(param: Any, ctx: Any) -> str | None:
    """The metavar shown in the help table for ``param``."""
    if param.metavar is not None:
        many = isinstance(param, typer.core.TyperArgument) and param.nargs != 1
        return f"{param.metavar}…" if many else str(param.metavar)
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    label = str(param.display_type(ctx)).strip("<>")
    many = label.startswith("list[")
    word = _BY_TYPE.get(label.removeprefix("list[").removesuffix("]"), label.upper())
    if word == "FILE" and param.name and ("dir" in param.name or param.name in ("out",)):
        word = "DIR"
    return f"{word}…" if many or param.nargs != 1 else word


def help_lang(ctx: Any) -> Lang:
    """The language of the help printed in ``ctx``, as the command would choose it."""
    meta = ctx.find_root().meta
    lang = meta.get(_LANG_KEY)
    if lang is None:
        lang = meta[_LANG_KEY] = run_lang(command_args(ctx))
    return "en" if lang == "en" else "vi"


_LANG_KEY = "auditor.help_lang"


def _texts(command: Any, ctx: Any) -> Iterator[Any]:
    """``command`` and whatever of it ``--help`` shows a text of: its parameters (the help
    option too) and its subcommands."""
    yield command
    yield from command.get_params(ctx)
    for name in getattr(command, "commands", {}):
        yield command.commands[name]


def localise(command: Any, ctx: Any, lang: Lang) -> None:
    """Put the ``lang`` text of every declared help text of ``command`` in place (escaped: help
    is rich markup, and ``[tool.auditor]`` is not a tag), and typer's fixed words."""
    for item in _texts(command, ctx):
        for attr in ("help", "short_help"):
            pair = help_pair(getattr(item, attr, None))
            if pair is not None:
                setattr(item, attr, escape(pair.get(lang)))
    if help_pair(command.options_metavar) is None and command.options_metavar in (
        _OPTIONS_METAVAR.vi,
        _OPTIONS_METAVAR.en,
    ):
        command.options_metavar = _OPTIONS_METAVAR.get(lang)
    if getattr(command, "subcommand_metavar", None) in (_COMMAND_METAVAR.vi, _COMMAND_METAVAR.en):
        command.subcommand_metavar = _COMMAND_METAVAR.get(lang)
    for name, words in _RICH_WORDS.items():
        setattr(typer.rich_utils, name, words.get(lang))


def _format_help(original: Any) -> Any:
    def format_help(self: Any, ctx: Any, formatter: Any) -> Any:
        localise(self, ctx, help_lang(ctx))
        return original(self, ctx, formatter)

    format_help.__doc__ = original.__doc__
    return format_help


def _format_usage(self: Any, ctx: Any, formatter: Any) -> None:
    """The usage line, its "Usage:" in the run's language."""
    pieces = self.collect_usage_pieces(ctx)
    formatter.write_usage(ctx.command_path, " ".join(pieces), USAGE.get(help_lang(ctx)))


def _parse_args(original: Any) -> Any:
    def parse_args(self: Any, ctx: Any, args: list[str]) -> Any:
        ctx.meta.setdefault(ARGV_KEY, list(args))  # the root's: the whole command line
        return original(self, ctx, args)

    return parse_args


_INSTALLED = "_auditor_help_installed"


def install() -> None:
    """Make every typer command's help readable and in the run's language (idempotent)."""
    for cls in (typer.core.TyperOption, typer.core.TyperArgument):
        cls.display_type_rich = _metavar  # type: ignore[method-assign,assignment]
    for command_cls in (typer.core.TyperCommand, typer.core.TyperGroup):
        if getattr(command_cls, _INSTALLED, False):
            continue
        command_cls.format_help = _format_help(command_cls.format_help)  # type: ignore[method-assign]
        command_cls.format_usage = _format_usage  # type: ignore[method-assign]
        command_cls.parse_args = _parse_args(command_cls.parse_args)  # type: ignore[method-assign]
        setattr(command_cls, _INSTALLED, True)
