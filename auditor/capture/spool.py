"""Page bodies of the captures in flight, on disk instead of in the scan process.

A scan crawls as many portals at once as the politeness limits keep busy, and each holds the
pages fetched so far until a worker has judged it: 32 portals × 50 pages of a few hundred kB
would be hundreds of MB in the scan process, growing with the page size. The crawler hands each
page to its portal's :class:`BodySpool`, which appends the body to a file and leaves in the
snapshot only where the body lies (``PageSnapshot.spooled``); the capture names the file
(``SiteCapture.spool``) and whoever reads the pages — the judging worker, the capture writer —
puts the bodies back with :func:`unspooled`. The file goes when the portal is judged.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from auditor.capture.model import SiteCapture
from auditor.models import PageSnapshot


class BodySpool:
    """The spool file of one portal's capture: bodies appended, read back by offset."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: BinaryIO | None = None
        self._size = 0

    def shelve(self, snap: PageSnapshot) -> PageSnapshot:
        """``snap`` with its body written to the spool and only its place kept."""
        if not snap.body:
            return snap
        if self._file is None:  # created on the first body: most failed portals have none
            self._file = open(self.path, "wb", buffering=0)  # noqa: SIM115 - kept open
        offset = self._size
        self._file.write(snap.body)
        self._size += len(snap.body)
        return snap.model_copy(update={"body": b"", "spooled": (offset, len(snap.body))})

    def remove(self) -> None:
        """Close and delete the spool file (once the capture is judged)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self.path.unlink(missing_ok=True)


def unspooled(capture: SiteCapture) -> SiteCapture:
    """``capture`` with the bodies of its spooled pages read back from its spool file."""
    if capture.spool is None:
        return capture
    if not any(p.spooled for p in capture.pages):
        return capture.model_copy(update={"spool": None})
    with open(capture.spool, "rb") as file:
        pages = tuple(_read_back(file, p) for p in capture.pages)
    return capture.model_copy(update={"pages": pages, "spool": None})


def _read_back(file: BinaryIO, snap: PageSnapshot) -> PageSnapshot:
    if snap.spooled is None:
        return snap
    offset, length = snap.spooled
    file.seek(offset)
    return snap.model_copy(update={"body": file.read(length), "spooled": None})
