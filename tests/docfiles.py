"""Small real document files for tests and rule fixtures: a .docx (WordprocessingML package)
and a PDF whose text is set in a given font.

``python -m tests.docfiles`` rewrites the document files of the rule fixtures of
``st.d6k1.documents-unicode`` (Unicode fonts in pass/, TCVN3 fonts and text in fail/).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from auditor.text.legacy import encode_tcvn3

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
_DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>
</Relationships>"""
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def make_docx(paragraphs: list[str], font: str, table_fonts: tuple[str, ...] = ()) -> bytes:
    """A .docx whose default font (docDefaults) and runs are ``font``; ``table_fonts`` are
    listed in its font table besides ``font``."""

    def run(text: str) -> str:
        return (
            f'<w:p><w:r><w:rPr><w:rFonts w:ascii="{escape(font)}" w:hAnsi="{escape(font)}"/>'
            f'</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
        )

    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_W}><w:body>'
        + "".join(run(p) for p in paragraphs)
        + "</w:body></w:document>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {_W}><w:docDefaults>'
        f'<w:rPrDefault><w:rPr><w:rFonts w:ascii="{escape(font)}" w:hAnsi="{escape(font)}"/>'
        "</w:rPr></w:rPrDefault></w:docDefaults></w:styles>"
    )
    fonts = "".join(f'<w:font w:name="{escape(f)}"/>' for f in (font, *table_fonts))
    table = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts {_W}>{fonts}</w:fonts>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/styles.xml", styles)
        archive.writestr("word/fontTable.xml", table)
    return out.getvalue()


def make_pdf(lines: list[bytes], font: str) -> bytes:
    """A one-page PDF showing ``lines`` (bytes as the font encodes them) in ``font``
    (``/BaseFont``, as Word's PDF export names a TrueType font)."""
    text = b" ".join(
        b"(" + line.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b") '"
        for line in lines
    )
    stream = b"BT /F1 12 Tf 72 760 Td 16 TL " + text + b" ET"
    name = font.replace(" ", "#20").encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /TrueType /BaseFont /" + name + b" /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out


# Lower case: TCVN3 (VN3) has no capitals with a tone (those came from the ".…H" fonts).
TITLE = "quyết định về việc ban hành quy chế tổ chức, quản lý cổng thông tin điện tử tỉnh"
BODY = "ủy ban nhân dân tỉnh sóc trăng quyết định ban hành kèm theo quyết định này quy chế."


def tcvn3(text: str) -> str:
    """``text`` as a document set in a TCVN3 font stores it (the bytes' windows-1252 reading)."""
    return "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in encode_tcvn3(text)
    )


def write_rule_fixtures(root: Path) -> None:
    """Write the document files of the ``st.d6k1.documents-unicode`` rule fixtures."""
    base = root / "st.d6k1.documents-unicode"
    good = base / "pass-2" / "site" / "van-ban" / "files"
    good.mkdir(parents=True, exist_ok=True)
    (good / "25-2026-qd-ubnd.docx").write_bytes(
        make_docx([TITLE, BODY], "Times New Roman", ("Arial",))
    )
    bad = base / "fail" / "site" / "van-ban" / "files"
    bad.mkdir(parents=True, exist_ok=True)
    (bad / "25-2026-qd-ubnd.pdf").write_bytes(
        make_pdf([encode_tcvn3(TITLE), encode_tcvn3(BODY)], ".VnTime")
    )
    docx = base / "fail-2" / "site" / "van-ban" / "files"
    docx.mkdir(parents=True, exist_ok=True)
    (docx / "25-2026-qd-ubnd.docx").write_bytes(
        make_docx([tcvn3(TITLE), tcvn3(BODY)], ".VnTime", (".VnTimeH", "Times New Roman"))
    )


if __name__ == "__main__":
    from auditor.paths import fixtures_dir

    write_rule_fixtures(fixtures_dir() / "rules")
