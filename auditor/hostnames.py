"""Agency addresses: host names checked as DNS and IDNA 2008 define them, and path prefixes.

An agency is a host (``soctrang.gov.vn``, ``sở.tỉnh.gov.vn``) and, for a path-based agency that
lives under another agency's host (``lamdong.gov.vn/sites/stp``), a path prefix. The checks use
the maintained ``idna`` package (UTS #46 mapping, then IDNA 2008), so the ASCII form is the one DNS
and TLS see.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Collection
from urllib.parse import unquote, urlsplit

import idna

from auditor.errors import TextValueError
from auditor.models import normalise_host, t

MAX_HOST = 253  # RFC 1035 §2.3.4, without the trailing dot
MAX_LABEL = 63
MAX_STEM = 180  # report file stems; room for ".junit.xml" and temporary-file affixes in 255
_LDH = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
_SAFE_SEGMENT = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def ascii_host(text: str) -> str:
    """The ASCII (punycode) form of a host name, lower-case, without a trailing dot.

    Raise ``ValueError`` saying what is wrong: empty, too long, a label empty or longer than 63,
    characters a host name cannot have, or not valid IDNA. IP addresses are kept as they are.
    """
    host = text.strip()
    if host.endswith("."):
        host = host[:-1]
    if not host:
        raise TextValueError(t("tên máy trống", "empty host name"))
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    if any(ch.isspace() or ch in "/\\:@?#[]%" for ch in host):
        raise TextValueError(
            t(
                f"{text[:60]!r} không phải tên máy (có dấu cách hoặc dấu của URL)",
                f"{text[:60]!r} is not a host name (it has spaces or URL punctuation)",
            )
        )
    shown = repr(host if len(host) <= 60 else host[:57] + "…")
    if host.isascii():
        _check_labels(host.lower(), shown)
    try:
        encoded = idna.encode(host, uts46=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError) as exc:  # UnicodeError: a label punycode cannot take
        raise TextValueError(
            t(
                f"{shown} không phải tên máy hợp lệ: {exc}",
                f"{shown} is not a valid host name: {exc}",
            )
        ) from None
    _check_labels(encoded, shown)
    return encoded


def _check_labels(host: str, shown: str) -> None:
    """RFC 1035 lengths and letter-digit-hyphen labels of an ASCII host name."""
    if len(host) > MAX_HOST:
        raise TextValueError(
            t(
                f"{shown} không phải tên máy hợp lệ: dài quá {MAX_HOST} ký tự",
                f"{shown} is not a valid host name: longer than {MAX_HOST} characters",
            )
        )
    labels = host.split(".")
    for label in labels:
        if not label:
            raise TextValueError(
                t(
                    f"{shown} không phải tên máy hợp lệ: có nhãn trống",
                    f"{shown} is not a valid host name: a label is empty",
                )
            )
        if len(label) > MAX_LABEL:
            raise TextValueError(
                t(
                    f"{shown} không phải tên máy hợp lệ: có nhãn dài quá {MAX_LABEL} ký tự",
                    f"{shown} is not a valid host name: a label is longer than {MAX_LABEL} "
                    "characters",
                )
            )
        if not _LDH.match(label):
            raise TextValueError(
                t(
                    f"{shown} không phải tên máy hợp lệ: nhãn {label!r} chỉ được có chữ cái, "
                    "chữ số và dấu gạch nối ở giữa",
                    f"{shown} is not a valid host name: label {label!r} may hold only letters, "
                    "digits and hyphens inside",
                )
            )
    if len(labels) < 2:
        raise TextValueError(
            t(
                f"{shown} không phải tên miền (không có dấu chấm)",
                f"{shown} is not a domain name (no dot)",
            )
        )


def split_address(text: str) -> tuple[str, str | None]:
    """``(host, path prefix)`` of an agency address: a host name, ``host/path`` or an http(s)
    URL. The prefix starts and ends with ``/`` (``None`` for the host's root); the host is
    returned as written (checked with :func:`ascii_host`).

    Raise ``ValueError`` for a scheme other than http(s), a query or fragment, or ``.``/``..``.
    """
    raw = text.strip()
    url = raw if "://" in raw else f"https://{raw}"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port
    except ValueError as exc:
        raise TextValueError(
            t(
                f"{text!r} không phải tên miền hay URL: {exc}",
                f"{text!r} is not a domain name or URL: {exc}",
            )
        ) from None
    if parts.scheme not in ("http", "https"):
        raise TextValueError(
            t(
                f"{text!r}: chỉ đánh giá được địa chỉ http(s)",
                f"{text!r}: only http(s) addresses can be audited",
            )
        )
    if not host:
        raise TextValueError(
            t(f"{text!r} không phải tên miền hay URL", f"{text!r} is not a domain name or URL")
        )
    if parts.query or parts.fragment or raw.endswith(("?", "#")):
        raise TextValueError(
            t(
                f"{text!r}: địa chỉ cơ quan không có phần truy vấn (?) hay neo (#)",
                f"{text!r}: an agency address has no query or fragment",
            )
        )
    if port is not None:
        raise TextValueError(
            t(
                f"{text!r}: địa chỉ cơ quan không có cổng (port)",
                f"{text!r}: an agency address has no port",
            )
        )
    ascii_host(host)
    written = parts.netloc.rsplit("@", 1)[-1]
    return written, path_prefix(parts.path)


def path_prefix(path: str) -> str | None:
    """A URL path as an agency's prefix: ``/sites/stp`` → ``/sites/stp/``; ``""``/``/`` → None.

    Raise ``ValueError`` for ``.`` or ``..`` segments and empty segments (``//``).
    """
    if not path.strip("/"):
        return None
    segments = path.split("/")
    inner = segments[1:-1] if path.endswith("/") else segments[1:]
    if any(unquote(s) in ("", ".", "..") for s in inner):
        raise TextValueError(
            t(
                f"đường dẫn {path!r} có đoạn trống, '.' hoặc '..'",
                f"path {path!r} has an empty, '.' or '..' segment",
            )
        )
    return "/" + "/".join(inner) + "/"


def prefix_key(path: str | None) -> str:
    """A path prefix compared as the servers portals run on do (IIS, case-insensitive)."""
    return unquote(path or "").casefold()


def url_in_prefix(url_path: str, prefix: str | None) -> bool:
    """Whether ``url_path`` lies under ``prefix`` (every path does under ``None``)."""
    if prefix is None:
        return True
    key, want = prefix_key(url_path), prefix_key(prefix)
    return key.startswith(want) or key + "/" == want


def on_site(url: str, hosts: Collection[str], prefix: str | None) -> bool:
    """Whether ``url`` lies on a site: its host (``www.`` and a final dot ignored) is one of
    ``hosts`` (normalised with :func:`~auditor.models.normalise_host`) and its path is under
    ``prefix`` (a path-based agency's ``/sites/stp/``; ``None``: the whole host). The one
    definition of "the agency's own pages", shared by the crawl scope and the checks."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    if not host or normalise_host(host) not in hosts:
        return False
    if prefix is None or not prefix.strip("/"):
        return True
    return url_in_prefix(parts.path or "/", "/" + prefix.strip("/") + "/")


def report_stem(domain: str, path: str | None = None) -> str:
    """File stem of an agency's reports: the ASCII host without ``www.``, then the path's
    segments (``lamdong.gov.vn_sites_stp``). A segment that is not plain ASCII is replaced by
    ``_`` and a hash of the path keeps the name distinct; a long name is cut and hashed."""
    try:
        host = ascii_host(domain)
    except ValueError:
        host = re.sub(r"[^a-z0-9.-]+", "_", domain.strip().lower()).strip("._") or "report"
    host = host.removeprefix("www.")
    stem = host
    hashed = False
    if path:
        segments = []
        for segment in path.strip("/").split("/"):
            folded = unquote(segment).casefold()
            if _SAFE_SEGMENT.match(folded):
                segments.append(folded)
            else:
                segments.append(re.sub(r"[^a-z0-9._-]+", "_", folded).strip("._") or "_")
                hashed = True
        stem += "_" + "_".join(segments)
    if hashed or len(stem) > MAX_STEM:
        digest = hashlib.sha256(f"{host}{prefix_key(path)}".encode()).hexdigest()[:10]
        stem = f"{stem[: MAX_STEM - 11]}-{digest}"
    return stem
