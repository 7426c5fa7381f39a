"""Console output of a scan: a live progress table (stderr, terminals only) and the final
summary table, readable at 80 columns. With ``cli.py``, the only code that prints.

The live table is fed the scan's events: an agency starts, each of its requests (with its HTTP
status, counted as an error when no response came or the server failed), and its result.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType

from rich import box
from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from auditor.models import Agency, Lang, SummaryRow
from auditor.report.i18n import format_number, level_label

WIDE = 100  # from this console width on, the summary also shows the agency level


def _vi(lang: Lang, vi: str, en: str) -> str:
    return vi if lang == "vi" else en


def summary_table(rows: Sequence[SummaryRow], lang: Lang, width: int = 80) -> Table:
    """The final table, best score first. Domains never wrap (an ellipsis if the console is
    too narrow), agency names wrap between words, numbers stay on one line."""
    table = Table(
        title=_vi(lang, "Kết quả kiểm tra", "Audit results"),
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1, 0, 0),
        caption=_vi(
            lang,
            "KĐ: không đạt · CB: cảnh báo · Lỗi: không kiểm tra được",
            "Fail: failed · Warn: warnings · Err: could not check",
        ),
    )
    table.add_column(
        _vi(lang, "Tên miền", "Domain"), no_wrap=True, overflow="ellipsis", min_width=16
    )
    table.add_column(_vi(lang, "Cơ quan", "Agency"), overflow="fold", min_width=10, ratio=1)
    wide = width >= WIDE
    if wide:
        table.add_column(_vi(lang, "Cấp", "Level"), no_wrap=True, overflow="ellipsis")
    for header in (
        _vi(lang, "Điểm", "Score"),
        _vi(lang, "Hạng", "Grade"),
        _vi(lang, "KĐ", "Fail"),
        _vi(lang, "CB", "Warn"),
        _vi(lang, "Lỗi", "Err"),
    ):
        table.add_column(header, justify="right", no_wrap=True)
    for row in sorted(rows, key=lambda r: -(r.score if r.score is not None else -1)):
        # Text cells: registry and page text is never read as console markup
        cells: list[Text | str] = [Text(row.agency.address), Text(row.agency.name)]
        if wide:
            cells.append(level_label(row.agency.level, lang))
        cells += [
            Text(_vi(lang, "không KT được", "not audited"), style="bold yellow")
            if row.score is None
            else format_number(row.score, lang),
            row.grade or "-",
            str(row.counts.get("fail", 0)),
            str(row.counts.get("warn", 0)),
            str(row.counts.get("error", 0)),
        ]
        table.add_row(*cells)
    return table


@dataclass
class _Site:
    agency: Agency
    state: str = "waiting"  # waiting, crawling, done
    requests: int = 0
    errors: int = 0
    started: float | None = None
    ended: float | None = None
    result: str = ""


class ScanProgress:
    """A live table of the agencies being audited: state, requests, errors, time, result.

    Use as a context manager around the scan and pass :meth:`on_event` the scan's events. It
    draws nothing unless ``console`` is a terminal.
    """

    def __init__(self, console: Console, agencies: Sequence[Agency], lang: Lang) -> None:
        self.console = console
        self.lang = lang
        self.sites = {a.key: _Site(a) for a in agencies}
        self.enabled = console.is_terminal
        self._live: Live | None = None

    def __enter__(self) -> ScanProgress:
        if not self.enabled:
            return self
        self._live = Live(self._render(), console=self.console, refresh_per_second=4)
        self._live.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._live is not None:
            self._live.update(self._render())
            self._live.__exit__(exc_type, exc, tb)
            self._live = None

    def count(self, key: str, failed: bool) -> None:
        """One request of the agency ``key`` (:attr:`Agency.key`) finished (``failed``: no
        response or a 5xx)."""
        site = self.sites.get(key)
        if site is None:
            return
        site.requests += 1
        site.errors += failed
        self._refresh()

    def on_event(
        self, kind: str, agency: Agency, result: str = "", status: int | None = None
    ) -> None:
        """An agency started (``start``), made a request (``request``, with its HTTP status, 0
        when no response came) or finished (``done``, with its result text)."""
        site = self.sites.get(agency.key)
        if site is None:
            return
        if kind == "request":
            failed = status is None or status == 0 or status >= 500
            self.count(agency.key, failed)
            return
        if kind == "start":
            site.state, site.started = "crawling", time.monotonic()
        else:
            site.state, site.ended, site.result = "done", time.monotonic(), result
        self._refresh()

    def _refresh(self) -> None:
        if self._live is not None:
            self._live.update(self._render())

    def _render(self) -> Group:
        lang = self.lang
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column(_vi(lang, "Tên miền", "Domain"), no_wrap=True, overflow="ellipsis")
        table.add_column(_vi(lang, "Trạng thái", "State"), no_wrap=True)
        table.add_column(_vi(lang, "Yêu cầu", "Requests"), justify="right", no_wrap=True)
        table.add_column(_vi(lang, "Lỗi", "Errors"), justify="right", no_wrap=True)
        table.add_column("s", justify="right", no_wrap=True)
        table.add_column(_vi(lang, "Kết quả", "Result"), no_wrap=True, overflow="ellipsis")
        labels = {
            "waiting": _vi(lang, "chờ", "waiting"),
            "crawling": _vi(lang, "đang quét", "crawling"),
            "done": _vi(lang, "xong", "done"),
        }
        now = time.monotonic()
        done = 0
        for site in self.sites.values():
            done += site.state == "done"
            elapsed = ""
            if site.started is not None:
                elapsed = f"{(site.ended or now) - site.started:.1f}"
            style = {"crawling": "yellow", "done": "green"}.get(site.state, "dim")
            table.add_row(
                Text(site.agency.address),
                Text(labels[site.state], style=style),
                str(site.requests),
                Text(str(site.errors), style="red" if site.errors else ""),
                elapsed,
                Text(site.result),
            )
        head = Text(_vi(lang, "Đã xong", "Done") + f" {done}/{len(self.sites)}", style="bold")
        return Group(head, table)
