"""Exceptions raised by library code; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass


class AuditorError(Exception):
    """Base of every error the auditor raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located by file and line."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}"


class InputError(AuditorError):
    """An input file (rule pack, registry, waivers) is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class RuleError(InputError):
    """A rule pack is invalid."""


class RegistryError(InputError):
    """A registry file is invalid."""


class UsageError(AuditorError):
    """A command-line value is invalid (bad --connect-to, unknown profile, …)."""


class CheckError(AuditorError):
    """A check primitive could not reach a verdict; the rule becomes ``error``."""
