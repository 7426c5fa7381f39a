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


def cat(*parts: Message) -> LocalText:
    """``parts`` joined, each in its language (``cat(where, ": ", exc.message)``)."""
    return LocalText(
        vi="".join(say(p, "vi") for p in parts), en="".join(say(p, "en") for p in parts)
    )


def message_of(exc: BaseException) -> Message:
    """What ``exc`` says: its vi+en message when it carries one (an :class:`AuditorError`, a
    :class:`TextValueError`, also when pydantic wrapped it), else its ``str``."""
    message = getattr(exc, "message", None)
    if isinstance(message, LocalText):
        return message
    return str(exc)


class TextValueError(ValueError):
    """A ``ValueError`` saying what is wrong in vi and en: parsers and pydantic validators raise
    it, and the message survives pydantic's wrapping (``ctx["error"]``)."""

    def __init__(self, message: LocalText) -> None:
        self.message = message
        super().__init__(message.en)


@dataclass(frozen=True)
class LogText:
    """A log message in vi and en (``%s`` arguments as usual): the CLI's log handler says it
    in the run's language; ``str()`` is the English text, for any other handler."""

    vi: str
    en: str

    def __str__(self) -> str:
        return self.en

    def get(self, lang: Lang) -> str:
        """The message in ``lang``."""
        return self.vi if lang == "vi" else self.en


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
    said: Message  # in vi and en

    @property
    def message(self) -> str:
        """What is wrong, in English (``text`` says it in either language)."""
        return say(self.said, "en")

    def text(self, lang: Lang) -> str:
        """``file:line: message`` in ``lang``."""
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {say(self.said, lang)}"

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
