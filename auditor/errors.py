"""Exceptions raised by library code; only the CLI turns them into messages and exit codes.

A message is said in both languages of the tool: an error carries a :class:`LocalText`
(Vietnamese and English, built with :func:`auditor.models.t`) and the CLI prints the one its
``--lang`` asks for (:meth:`AuditorError.text`, :meth:`Problem.text`). ``str()`` of an error
is its English text, for logs and tracebacks. A plain ``str`` message is one text for both
languages (a quoted value, a third-party error text).
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.models import Lang, LocalText

Message = str | LocalText


def say(message: Message, lang: Lang) -> str:
    """``message`` in ``lang`` (a plain string is the same in both)."""
    return message if isinstance(message, str) else message.get(lang)


class AuditorError(Exception):
    """Base of every error the auditor raises on purpose; ``message`` in vi and en."""

    def __init__(self, message: Message = "", *args: object) -> None:
        self.message = message
        super().__init__(say(message, "en"), *args)

    def text(self, lang: Lang) -> str:
        """The message in ``lang``."""
        return say(self.message, lang)


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located by file and line."""

    file: str
    line: int | None
    message: Message

    def text(self, lang: Lang) -> str:
        """``file:line: message`` in ``lang``."""
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {say(self.message, lang)}"

    def __str__(self) -> str:
        return self.text("en")


class InputError(AuditorError):
    """An input file (rule pack, registry, waivers) is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def text(self, lang: Lang) -> str:
        """Every problem, one a line, in ``lang``."""
        return "\n".join(p.text(lang) for p in self.problems)


class RuleError(InputError):
    """A rule pack is invalid."""


class RegistryError(InputError):
    """A registry file is invalid."""


class UsageError(AuditorError):
    """A command-line value is invalid (bad --connect-to, unknown profile, …)."""


class CheckError(AuditorError):
    """A check primitive could not reach a verdict; the rule becomes ``error``."""
