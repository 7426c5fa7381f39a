"""A :class:`SiteCapture` as a gzipped WARC file (ISO 28500), written and read with warcio.

The file is one gzip stream over all its records (pages of a site share most of their markup,
so this is about a quarter of the size of the record-by-record gzip that replay tools index).
``warcio recompress CAPTURE.warc.gz REPLAY.warc.gz`` turns it into that standard form, which
pywb and replayweb.page open; ``gunzip -c`` gives a plain WARC. Both are read back here too.

Layout:

1. ``warcinfo``: the tool, the capture schema version and the agency.
2. ``metadata`` (``application/json``, URI ``urn:auditor:capture``): the whole capture except
   response bodies — probes, TLS, DNS, robots.txt, sitemap, search / document-file /
   state-link probes, failures, truncation, timing, redirect chains and the exact headers —
   with, for each response, the ``WARC-Record-ID`` of the record that holds its body.
3. For each response received: a ``request`` record and a ``response`` record (``HTTP/1.1``
   status line, headers, the body bytes exactly as received), plus an empty ``response``
   record per redirect hop so that a replay follows the chain.

The JSON is authoritative for URLs and headers (WARC headers must be ASCII, so warcio
percent-encodes others); bodies are read back byte for byte from the response records.
In the WARC copy, ``Content-Encoding``, ``Transfer-Encoding`` and ``Content-Length`` are kept
as ``X-Archive-Orig-*`` (the body is stored decoded) and a true ``Content-Length`` added, as
pywb does, so a replay serves the body as it was read.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import uuid
import zlib
from collections.abc import Iterator
from datetime import datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any, BinaryIO, cast
from urllib.parse import quote

from pydantic import ValidationError
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from auditor import __version__
from auditor.capture.model import CAPTURE_SCHEMA_VERSION, SiteCapture
from auditor.capture.spool import unspooled
from auditor.errors import AuditorError
from auditor.models import Agency, PageSnapshot, t

META_URI = "urn:auditor:capture"
_HIDDEN = ("content-encoding", "transfer-encoding", "content-length")
_ORIG = "X-Archive-Orig-"
SUFFIX = ".capture.warc.gz"


class CaptureError(AuditorError):
    """A capture file cannot be read: not a capture, damaged, or of an unknown schema version."""


def _uri(url: str) -> str:
    """``url`` as an ASCII WARC-Target-URI."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def _replay_headers(snap: PageSnapshot) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name, value in snap.headers:
        low = name.lower()
        if low in _HIDDEN or low.startswith(_ORIG.lower()):
            name = _ORIG + name
        out.append((name, value))
    out.append(("Content-Length", str(len(snap.body))))
    return out


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


class _Writer:
    def __init__(self, stream: io.BufferedIOBase, capture: SiteCapture) -> None:
        self.warc = WARCWriter(stream, gzip=False)
        self.capture = capture
        self.date = capture.captured_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.hops: set[tuple[str, int]] = set()

    def _record(
        self,
        uri: str,
        kind: str,
        body: bytes,
        http: StatusAndHeaders | None,
        extra: dict[str, str] | None = None,
        content_type: str | None = None,
    ) -> str:
        rid = f"<urn:uuid:{uuid.uuid4()}>"
        headers = {"WARC-Record-ID": rid, "WARC-Date": self.date, **(extra or {})}
        record = self.warc.create_warc_record(
            _uri(uri),
            kind,
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict=headers,
            warc_content_type=content_type,
        )
        self.warc.write_record(record)
        return rid

    def response(self, snap: PageSnapshot) -> str | None:
        """Write ``snap``'s redirect hops, request and response; the response's record id."""
        if snap.status == 0:
            return None
        for hop in snap.redirects:
            if (hop.url, hop.status) in self.hops:
                continue
            self.hops.add((hop.url, hop.status))
            headers = [("Location", hop.location)] if hop.location else []
            self._record(
                hop.url,
                "response",
                b"",
                StatusAndHeaders(
                    _status_line(hop.status), [*headers, ("Content-Length", "0")], "HTTP/1.1"
                ),
            )
        target = snap.final_url
        rid = self._record(
            target,
            "response",
            snap.body,
            StatusAndHeaders(_status_line(snap.status), _replay_headers(snap), "HTTP/1.1"),
        )
        parts = target.split("/", 3)
        path = "/" + (parts[3] if len(parts) > 3 else "")
        request = StatusAndHeaders(
            f"GET {_uri(path)} HTTP/1.1",
            [("Host", _uri(parts[2]) if len(parts) > 2 else "")],
            is_http_request=True,
        )
        self._record(target, "request", b"", request, {"WARC-Concurrent-To": rid})
        return rid


def _snapshots(meta: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every response dict of a capture dump (pages, failures, the search response)."""
    yield from meta.get("pages", ())
    yield from meta.get("failed", ())
    search = meta.get("search")
    if search and search.get("response"):
        yield search["response"]


def write_capture(capture: SiteCapture, path: Path) -> str:
    """Write ``capture`` to ``path`` as a gzipped WARC (bodies still in its spool read back);
    return the file's SHA-256 (hex)."""
    capture = unspooled(capture)
    buffer = io.BytesIO()
    writer = _Writer(buffer, capture)
    writer.warc.write_record(
        writer.warc.create_warcinfo_record(
            path.name,
            {
                "software": f"auditor {__version__}",
                "format": "WARC File Format 1.1",
                "auditor-capture-schema": str(capture.schema_version),
                "isPartOf": capture.agency.domain,
            },
        )
    )
    no_body = {"__all__": {"body"}}
    meta = capture.model_dump(
        mode="json",
        exclude={"pages": no_body, "failed": no_body, "search": {"response": {"body"}}},
    )
    bodies: list[tuple[dict[str, Any], PageSnapshot]] = []
    snaps = [*capture.pages, *capture.failed]
    if capture.search is not None and capture.search.response is not None:
        snaps.append(capture.search.response)
    for item, snap in zip(_snapshots(meta), snaps, strict=True):
        bodies.append((item, snap))
    # record ids first, so that the metadata record (read first) names them
    responses = io.BytesIO()
    later = _Writer(responses, capture)
    for item, snap in bodies:
        item["record"] = later.response(snap)
    payload = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode()
    writer._record(META_URI, "metadata", payload, None, content_type="application/json")
    # one gzip stream over the whole file: pages share most of their markup, so this is about
    # a quarter of the size of per-record members ('warcio recompress' makes those for replay)
    data = gzip.compress(buffer.getvalue() + responses.getvalue(), compresslevel=9, mtime=0)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    """SHA-256 (hex) of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _open(path: Path) -> BinaryIO:
    """The WARC records of ``path`` as one uncompressed stream: gzipped as a whole (as written
    here) or record by record (after ``warcio recompress``), or not compressed."""
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return cast(BinaryIO, gzip.open(path, "rb"))
    return path.open("rb")


def _read(path: Path, bodies: dict[str, bytes] | None) -> dict[str, Any]:
    """The capture metadata of ``path`` (checked for its schema version), and the bodies of
    its response records into ``bodies`` (``None``: stop after the metadata)."""
    meta: dict[str, Any] | None = None
    try:
        with _open(path) as stream:
            for record in ArchiveIterator(stream):
                kind = record.rec_type
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if kind == "metadata" and uri == META_URI:
                    meta = json.loads(record.content_stream().read())
                    if bodies is None:
                        break
                elif kind == "response" and bodies is not None:
                    rid = record.rec_headers.get_header("WARC-Record-ID") or ""
                    bodies[rid] = record.raw_stream.read()
    except (OSError, ArchiveLoadFailed, ValueError, EOFError, zlib.error) as exc:
        raise CaptureError(
            t(
                f"{path}: không phải bản ghi đọc được ({exc})",
                f"{path}: not a readable capture ({exc})",
            )
        ) from exc
    if not isinstance(meta, dict):
        raise CaptureError(
            t(
                f"{path}: không có bản ghi của auditor (có phải do 'auditor scan --save-capture' "
                "ghi?)",
                f"{path}: no auditor capture record in it (written by 'auditor scan "
                "--save-capture'?)",
            )
        )
    version = meta.get("schema_version")
    if version != CAPTURE_SCHEMA_VERSION:
        raise CaptureError(
            t(
                f"{path}: phiên bản lược đồ bản ghi {version!r} không phải bản auditor này "
                f"({__version__}) đánh giá được: nó đọc phiên bản {CAPTURE_SCHEMA_VERSION}",
                f"{path}: capture schema version {version!r} is not one this auditor "
                f"({__version__}) can judge: it reads version {CAPTURE_SCHEMA_VERSION}",
            )
        )
    return meta


def read_agency(path: Path) -> tuple[Agency, datetime]:
    """The agency and capture time of the capture at ``path`` (its bodies are not read)."""
    meta = _read(path, None)
    try:
        agency = Agency.model_validate(meta.get("agency"))
        return agency, datetime.fromisoformat(str(meta.get("captured_at")))
    except (ValidationError, ValueError) as exc:
        raise CaptureError(
            t(
                f"{path}: siêu dữ liệu bản ghi không hợp lệ: {exc}",
                f"{path}: invalid capture metadata: {exc}",
            )
        ) from exc


def read_capture(path: Path) -> SiteCapture:
    """The capture stored at ``path``; :class:`CaptureError` when it is not one this version
    of the auditor can judge."""
    bodies: dict[str, bytes] = {}
    meta = _read(path, bodies)
    for probe in meta.get("doc_files", ()):
        # pydantic writes bytes as URL-safe base64 (ser_json_bytes="base64")
        probe["magic"] = base64.urlsafe_b64decode(probe.get("magic", ""))
        probe["body"] = base64.urlsafe_b64decode(probe.get("body", ""))
    for item in _snapshots(meta):
        rid = item.pop("record", None)
        if rid is None:
            continue
        if rid not in bodies:
            raise CaptureError(
                t(
                    f"{path}: thiếu bản ghi phản hồi {rid}",
                    f"{path}: response record {rid} is missing",
                )
            )
        item["body"] = bodies[rid]
    try:
        return SiteCapture.model_validate(meta)
    except ValidationError as exc:
        first = exc.errors()[:3]
        raise CaptureError(
            t(
                f"{path}: siêu dữ liệu bản ghi không hợp lệ: {first}",
                f"{path}: invalid capture metadata: {first}",
            )
        ) from exc
