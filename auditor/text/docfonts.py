"""Fonts and legacy-encoded text in published document files (.pdf, .docx, .doc).

The legal documents portals publish are where TCVN3 (``.VnTime``…), VNI (``VNI-Times``…) and
VPS fonts live on: text typed in such a font is stored in the legacy encoding, not Unicode
(QĐ 07/2019 Sóc Trăng Điều 6 khoản 1; TCVN 6909:2001). Read with maintained libraries:
``pypdf`` for the fonts of a PDF's pages, the standard library's ``zipfile`` and XML parser
for a .docx (font table, fonts of styles and runs, text), ``olefile`` for the table stream of
a Word 97–2003 .doc, where the font table (SttbfFfn) holds the font names in UTF-16LE.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass
from typing import Literal
from xml.etree import ElementTree

import olefile

from auditor.text.legacy import LegacyScan, legacy_fonts_in_face, scan_text

logger = logging.getLogger(__name__)

Kind = Literal["pdf", "docx", "doc"]

MAX_PDF_PAGES = 50  # pages whose fonts are read
MAX_XML_BYTES = 20_000_000  # a .docx part inflated beyond this is not read (zip bomb)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SUBSET = re.compile(r"^[A-Z]{6}\+")
# "VnTime", "_VnTime": ".VnTime" as some PDF producers write the name
_PDF_VN = re.compile(r"^[_]?(?=Vn[A-Z])")


@dataclass(frozen=True)
class DocumentFonts:
    """What one document file shows: its fonts, those of a legacy encoding, legacy text."""

    kind: Kind
    fonts: tuple[str, ...] = ()  # fonts the document declares or uses
    legacy_fonts: tuple[str, ...] = ()  # of those, TCVN3/VNI/VPS fonts that text is set in
    legacy_text: LegacyScan | None = None  # legacy-encoded words in the text (docx)
    error: str | None = None  # why the file could not be read

    @property
    def legacy(self) -> bool:
        """Whether the document holds legacy-encoded Vietnamese."""
        return bool(self.legacy_fonts) or (
            self.legacy_text is not None and self.legacy_text.encoding is not None
        )


def document_kind(data: bytes) -> Kind | None:
    """The kind of document ``data`` is, by its signature (``None``: not one read here)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(_OLE_MAGIC):
        return "doc"
    return None


def _legacy(fonts: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f for name in fonts for f in legacy_fonts_in_face(name)))


def _pdf_font_name(raw: object) -> str:
    name = str(raw).lstrip("/")
    name = _SUBSET.sub("", name)
    return _PDF_VN.sub(".", name)


def read_pdf(data: bytes) -> DocumentFonts:
    """The fonts of the first pages of a PDF (``/BaseFont`` of each page's font resources)."""
    # imported here: pypdf (and the cryptography it loads) costs ~15 MB in every process,
    # and most scans read no PDF at all
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        fonts: list[str] = []
        for page in reader.pages[:MAX_PDF_PAGES]:
            resources = page.get("/Resources")
            font_dict = resources.get_object().get("/Font") if resources is not None else None
            if font_dict is None:
                continue
            for ref in font_dict.get_object().values():
                font = ref.get_object()
                base = font.get("/BaseFont")
                if base is not None:
                    fonts.append(_pdf_font_name(base))
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        return DocumentFonts("pdf", error=f"PDF not readable: {type(exc).__name__}: {exc}")
    unique = list(dict.fromkeys(fonts))
    return DocumentFonts("pdf", tuple(unique), _legacy(unique))


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_XML_BYTES:
        raise ValueError(f"{name} inflates to {info.file_size:,} bytes")
    with archive.open(info) as part:
        data = part.read(MAX_XML_BYTES + 1)
    if len(data) > MAX_XML_BYTES:
        raise ValueError(f"{name} inflates beyond {MAX_XML_BYTES:,} bytes")
    return ElementTree.fromstring(data)


def _run_fonts(root: ElementTree.Element | None) -> list[str]:
    out: list[str] = []
    if root is None:
        return out
    for node in root.iter(f"{_W}rFonts"):
        for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
            value = node.get(f"{_W}{attr}")
            if value:
                out.append(value)
    return out


def read_docx(data: bytes) -> DocumentFonts:
    """A .docx: fonts of its font table, styles and runs; legacy fonts among those the styles
    and runs use; legacy-encoded words in its text."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            document = _xml(archive, "word/document.xml")
            if document is None:
                return DocumentFonts("docx", error="not a Word document (no word/document.xml)")
            styles = _xml(archive, "word/styles.xml")
            table = _xml(archive, "word/fontTable.xml")
    except (zipfile.BadZipFile, ElementTree.ParseError, ValueError, OSError, EOFError) as exc:
        return DocumentFonts("docx", error=f"DOCX not readable: {type(exc).__name__}: {exc}")
    used = _run_fonts(styles) + _run_fonts(document)
    declared = [n.get(f"{_W}name") or "" for n in table.iter(f"{_W}font")] if table else []
    fonts = list(dict.fromkeys(f for f in (*declared, *used) if f))
    text = " ".join(t.text or "" for t in document.iter(f"{_W}t"))
    scan = scan_text(text)
    return DocumentFonts("docx", tuple(fonts), _legacy(used), scan)


_UTF16_FONTS = re.compile(r"[\w .\-]{3,40}")


def read_doc(data: bytes) -> DocumentFonts:
    """A Word 97–2003 .doc: the font names of its table stream (``1Table``/``0Table``)."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            name = next((s for s in ("1Table", "0Table") if ole.exists(s)), None)
            if name is None:
                return DocumentFonts("doc", error="not a Word document (no table stream)")
            table = ole.openstream(name).read()
    except (OSError, ValueError, IndexError, TypeError) as exc:
        return DocumentFonts("doc", error=f"DOC not readable: {type(exc).__name__}: {exc}")
    fonts: list[str] = []
    for offset in (0, 1):
        text = table[offset:].decode("utf-16-le", errors="replace")
        fonts += [m.group(0).strip() for m in _UTF16_FONTS.finditer(text)]
    legacy = _legacy(fonts)
    return DocumentFonts("doc", legacy, legacy)


def read_document(data: bytes, truncated: bool = False) -> DocumentFonts | None:
    """The fonts of a document file's bytes (``None`` when it is not a PDF, .docx or .doc).
    A file cut at the byte cap cannot be read whole: an error, unless what was read already
    shows a legacy font (a fact, whatever the rest holds)."""
    kind = document_kind(data)
    if kind is None:
        return None
    reader = {"pdf": read_pdf, "docx": read_docx, "doc": read_doc}[kind]
    result = reader(data)
    if truncated and not result.legacy:
        return DocumentFonts(kind, result.fonts, error="cut at the byte cap: not read whole")
    return result
