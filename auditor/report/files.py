"""Writing report files atomically, so a reader never sees half a report, with the modes the
user's umask asks for (as any other file they create)."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from auditor.errors import AuditorError, cat
from auditor.models import t


class ReportWriteError(AuditorError):
    """A report file could not be written (folder missing and not creatable, disk full, …)."""


_UMASK_LOCK = threading.Lock()


def file_mode() -> int:
    """The mode a new regular file gets under the process's umask (``0o666 & ~umask``)."""
    with _UMASK_LOCK:  # reading the umask means setting it; keep that atomic among threads
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o666 & ~mask


def _cannot_write(path: Path, exc: OSError) -> ReportWriteError:
    why = exc.strerror or exc
    return ReportWriteError(t(f"không ghi được {path}: {why}", f"cannot write {path}: {why}"))


def check_out_dir(path: Path) -> Path:
    """Without creating anything, whether the output folder could be made and written:
    :class:`ReportWriteError` when a file is in the way or the nearest folder is read-only."""
    existing = path
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        where = (
            t("đã có và không phải thư mục", "exists and is not a folder")
            if existing == path
            else t(f"{existing} là một tệp", f"{existing} is a file")
        )
        raise ReportWriteError(cat(f"{path}: ", where))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ReportWriteError(
            t(
                f"{path}: không ghi được vào đó: {existing} không cho ghi",
                f"{path}: cannot write there: {existing} is not writable",
            )
        )
    return path


def prepare_out_dir(path: Path) -> Path:
    """Create the output folder if needed and prove a file can be written in it, before any
    request; :class:`ReportWriteError` says why not (a file in the way, no permission…)."""
    check_out_dir(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".auditor-write-test.", dir=path)
        os.close(fd)
        os.unlink(probe)
    except FileExistsError:
        raise ReportWriteError(
            t(f"{path}: đã có và không phải thư mục", f"{path}: exists and is not a folder")
        ) from None
    except OSError as exc:
        why = exc.strerror or exc
        raise ReportWriteError(
            t(f"{path}: không ghi được vào đó: {why}", f"{path}: cannot write there: {why}")
        ) from None
    return path


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            if hasattr(os, "fchmod"):  # mkstemp creates 0600 whatever the umask
                os.fchmod(fd, file_mode())
            with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    return path


@contextmanager
def open_atomic(path: Path, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text file to write ``path`` in pieces: written to a temporary file in the same folder
    and renamed into place when the block ends without an exception (else removed)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    try:
        if hasattr(os, "fchmod"):  # mkstemp creates 0600 whatever the umask
            os.fchmod(fd, file_mode())
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            yield fh
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _cannot_write(path, exc) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
