"""Charset facts of an HTML body: what the HTTP header and ``<meta>`` declare, and what the
bytes really decode as."""

from __future__ import annotations

import codecs
import re

# The HTML standard's prescan looks at the first 1,024 bytes only (WHATWG HTML §13.2.3.2): a
# <meta charset> after them declares nothing.
PRESCAN_BYTES = 1024

_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_META = re.compile(rb"<meta(?=[\s/])([^>]*)>", re.I)
_ATTR = re.compile(rb"""([^\s=/>]+)\s*(?:=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_CHARSET_IN_CONTENT = re.compile(r"""charset\s*=\s*["']?([^\s"';]+)""", re.I)

# Python codec names whose WHATWG label differs from a plain '_' → '-' rewrite.
_WHATWG = {
    "ascii": "windows-1252",
    "latin-1": "windows-1252",
    "iso8859-1": "windows-1252",
    "iso8859-9": "windows-1254",
    "iso8859-11": "windows-874",
    "tis-620": "windows-874",
    "cp874": "windows-874",
    "cp866": "ibm866",
    "mac-roman": "macintosh",
    "mac-cyrillic": "x-mac-cyrillic",
    "gb2312": "gbk",
    "utf-16-le": "utf-16le",
    "utf-16-be": "utf-16be",
    "utf-16": "utf-16le",
    "utf-8-sig": "utf-8",
    "iso2022-jp": "iso-2022-jp",
    "euc-jp": "euc-jp",
    "euc-kr": "euc-kr",
    "shift-jis": "shift_jis",
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16le"),
    (codecs.BOM_UTF16_BE, "utf-16be"),
)


def canonical_encoding(label: str | None) -> str | None:
    """A WHATWG-style name for an encoding label (``'UTF8'`` → ``'utf-8'``, ``'cp1258'`` →
    ``'windows-1258'``), or ``None`` when Python does not know the label."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    name = name.replace("_", "-")
    if name in _WHATWG:
        label = _WHATWG[name]
    elif name.startswith("cp125"):
        label = "windows-" + name[2:]
    elif name.startswith("iso8859-"):
        label = "iso-8859-" + name[len("iso8859-") :]
    else:
        return name
    try:
        codecs.lookup(label)
    except LookupError:  # a WHATWG label Python lacks (windows-874): keep Python's name
        return name
    return label


def charset_from_content_type(value: str) -> str | None:
    """The ``charset`` parameter of a Content-Type value, as written, or ``None``."""
    for param in value.split(";")[1:]:
        key, _, raw = param.partition("=")
        if key.strip().lower() == "charset":
            charset = raw.strip().strip("\"'").strip()
            return charset or None
    return None


def _attributes(raw: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for match in _ATTR.finditer(raw):
        name = match.group(1).decode("latin-1").lower()
        value = (match.group(2) or b"").strip(b"\"'").decode("latin-1").strip()
        out.setdefault(name, value)
    return out


def meta_charset(body: bytes) -> str | None:
    """The charset a ``<meta charset>`` or ``<meta http-equiv=content-type>`` in the first
    1,024 bytes declares, as written (comments skipped, first declaration wins), or ``None``."""
    head = _COMMENT.sub(b"", body[:PRESCAN_BYTES])
    for match in _META.finditer(head):
        attrs = _attributes(match.group(1))
        charset = attrs.get("charset")
        if charset:
            return charset
        if attrs.get("http-equiv", "").lower() == "content-type":
            found = _CHARSET_IN_CONTENT.search(attrs.get("content", ""))
            if found:
                return found.group(1)
    return None


def bom_encoding(body: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``body`` declares (``utf-8``,
    ``utf-16le``, ``utf-16be``), or ``None``. A BOM overrides both the HTTP header and
    ``<meta>`` (WHATWG Encoding, "decode")."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    return None


def decodes_strictly(body: bytes, encoding: str) -> bool:
    """Whether ``body`` decodes in ``encoding`` without error (a multi-byte sequence cut at the
    very end, as by a byte cap, is not an error)."""
    return _strictly(body, encoding)[0]


def _strictly(body: bytes, encoding: str) -> tuple[bool, str | None]:
    """Whether ``body`` decodes in ``encoding`` without error (as :func:`decodes_strictly`),
    and its text when all of it did (no sequence left cut at the end)."""
    try:
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        text = decoder.decode(body, final=False)
    except Exception:  # not decodable, no such codec, or one of another kind (zlib, hex…)
        return False, None
    whole = isinstance(text, str) and not decoder.getstate()[0]  # quopri gives bytes
    return True, text if whole else None


def _mostly_utf8(body: bytes) -> bool:
    """A few stray bytes in an otherwise UTF-8 body (at most 1 in 50 non-ASCII bytes)."""
    high = sum(1 for b in body if b >= 0x80)
    if not high:
        return True
    bad = body.decode("utf-8", errors="replace").count("\ufffd") - body.count("\ufffd".encode())
    return bad * 50 <= high


def detect_encoding(body: bytes, declared: str | None, meta: str | None) -> str:
    """The encoding the bytes really decode as, WHATWG-style name.

    A byte-order mark decides; else the header's charset, then the ``<meta>`` one, then UTF-8,
    the first that decodes strictly. When none does: UTF-8 if the body is UTF-8 but for a few
    stray bytes, else the declared encoding, else ``windows-1252`` (decoded leniently).
    """
    return detect_text(body, declared, meta)[0]


def detect_text(body: bytes, declared: str | None, meta: str | None) -> tuple[str, str | None]:
    """:func:`detect_encoding`, and the body's text when it decoded strictly and whole in that
    encoding: what decoding it again with replacement characters would give (one decode of a
    page instead of two)."""
    from_bom = bom_encoding(body)
    if from_bom is not None:
        return from_bom, None
    from_meta = canonical_encoding(meta)
    if from_meta in ("utf-16le", "utf-16be"):
        from_meta = "utf-8"  # as browsers do: a <meta> cannot declare UTF-16 of ASCII bytes
    candidates: list[str] = []
    for label in (canonical_encoding(declared), from_meta, "utf-8"):
        if label is not None and label not in candidates:
            candidates.append(label)
    for name in candidates:
        strict, text = _strictly(body, name)
        if strict:
            return name, text
    if _mostly_utf8(body):
        return "utf-8", None
    return (candidates[0] if candidates[0] != "utf-8" else "windows-1252"), None


def first_invalid_utf8(body: bytes, truncated: bool = False) -> int | None:
    """Offset of the first byte that is not valid UTF-8 (``None`` when the body is valid;
    a sequence cut at the end of a ``truncated`` body is not an error)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        decoder.decode(body, final=not truncated)
    except UnicodeDecodeError as exc:
        return exc.start
    return None
