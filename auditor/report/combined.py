"""The scan-wide SARIF log and JUnit file, written without holding every report in memory.

Each finished report is spooled to a temporary file as it comes; at the end the combined files
are written from the spool, one report at a time, in the scan's order.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Set
from pathlib import Path
from types import TracebackType

from auditor.models import AuditReport, Lang
from auditor.report.junit_report import write_junit_stream
from auditor.report.sarif_report import write_sarif_stream

COMBINED_FORMATS = frozenset({"sarif", "junit"})  # per agency, and all agencies in one file


class CombinedSpool:
    """Reports kept on disk until the combined files are written; use as a context manager."""

    def __init__(self, out_dir: Path, formats: Set[str], lang: Lang) -> None:
        self.out_dir = out_dir
        self.formats = frozenset(formats) & COMBINED_FORMATS
        self.lang = lang
        self._dir = tempfile.TemporaryDirectory(prefix="auditor-spool-")
        self._files: dict[int, Path] = {}

    def __enter__(self) -> CombinedSpool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Remove the spooled reports."""
        self._dir.cleanup()

    def add(self, position: int, report: AuditReport) -> None:
        """Keep ``report``, the ``position``-th of the scan, for the combined files."""
        if not self.formats:
            return
        path = Path(self._dir.name) / f"{position}.json"
        path.write_text(report.model_dump_json(), encoding="utf-8")
        self._files[position] = path

    def __len__(self) -> int:
        return len(self._files)

    def reports(self) -> Iterator[AuditReport]:
        """The spooled reports in scan order, read one at a time."""
        for position in sorted(self._files):
            text = self._files[position].read_text(encoding="utf-8")
            yield AuditReport.model_validate_json(text)

    def write(self) -> list[Path]:
        """Write ``summary.sarif`` and/or ``summary.junit.xml`` from the spooled reports."""
        files: list[Path] = []
        if "sarif" in self.formats:
            path = self.out_dir / "summary.sarif"
            files.append(write_sarif_stream(self.reports(), path, self.lang))
        if "junit" in self.formats:
            path = self.out_dir / "summary.junit.xml"
            files.append(write_junit_stream(self.reports(), path, self.lang))
        return files
