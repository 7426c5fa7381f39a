"""Legacy fonts in published document files (QĐ 07/2019 Sóc Trăng Điều 6 khoản 1)."""

from __future__ import annotations

import dataclasses

from auditor.artifacts import FileProbe
from auditor.checks.encoding import documents_unicode
from auditor.checks.registry import NoParams
from auditor.text.docfonts import document_kind, read_document
from auditor.text.legacy import encode_tcvn3, encode_vni
from tests.docfiles import BODY, TITLE, make_docx, make_pdf, tcvn3
from tests.factories import art, judged, page

HOME = "https://soctrang.gov.vn/"
LISTING = HOME + "van-ban/"


def probe(name: str, body: bytes, truncated: bool = False, status: int = 200) -> FileProbe:
    return FileProbe(
        url=LISTING + "files/" + name,
        listing_url=LISTING,
        link_text=name,
        status=status,
        final_url=LISTING + "files/" + name,
        content_type="application/pdf" if name.endswith(".pdf") else "application/octet-stream",
        size=len(body),
        magic=body[:8],
        body=body,
        truncated=truncated,
    )


def site(*files: FileProbe):  # type: ignore[no-untyped-def]
    return dataclasses.replace(art(page(HOME, "<html><body>Cổng</body></html>")), doc_files=files)


def test_pdf_fonts() -> None:
    unicode_pdf = read_document(make_pdf([b"QUYET DINH"], "TimesNewRomanPSMT"))
    assert unicode_pdf is not None and unicode_pdf.fonts == ("TimesNewRomanPSMT",)
    assert not unicode_pdf.legacy
    for name in (".VnTime", "ABCDEF+.VnTimeH", "VnArial", "VNI-Times"):
        found = read_document(make_pdf([encode_tcvn3(TITLE)], name))
        assert found is not None and found.legacy and found.legacy_fonts, name


def test_docx_fonts_and_text() -> None:
    good = read_document(make_docx([TITLE, BODY], "Times New Roman", ("Arial",)))
    assert good is not None and good.kind == "docx" and not good.legacy
    assert good.fonts == ("Times New Roman", "Arial")
    bad = read_document(make_docx([tcvn3(TITLE), tcvn3(BODY)], ".VnTime"))
    assert bad is not None and bad.legacy_fonts == (".VnTime",)
    assert bad.legacy_text is not None and bad.legacy_text.encoding == "tcvn3"
    assert "quyÕt → quyết" in bad.legacy_text.sample_text()
    # VNI text typed in a Unicode-named font is still legacy text
    vni = read_document(make_docx([encode_vni(BODY).decode("cp1252", "ignore")], "Arial"))
    assert vni is not None and vni.legacy and not vni.legacy_fonts
    # a legacy font only listed in the font table, used by no text, is not a finding
    listed = read_document(make_docx([TITLE], "Times New Roman", (".VnTime",)))
    assert listed is not None and not listed.legacy and ".VnTime" in listed.fonts


def test_unreadable_and_cut_files() -> None:
    assert document_kind(b"<html>") is None and read_document(b"<html>") is None
    broken = read_document(b"PK\x03\x04 not a zip")
    assert broken is not None and broken.error is not None
    cut = read_document(make_docx([TITLE], "Arial")[:200], truncated=True)
    assert cut is not None and cut.error is not None and "byte cap" in cut.error
    # a cut file that already shows a legacy font is a finding all the same
    pdf = make_pdf([encode_tcvn3(TITLE)], ".VnTime")
    assert (found := read_document(pdf, truncated=True)) is not None and found.legacy
    bomb = read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert bomb is not None and bomb.kind == "doc" and bomb.error is not None


def test_documents_unicode_primitive() -> None:
    good = probe("25.pdf", make_pdf([b"QUYET DINH"], "Helvetica"))
    out = documents_unicode(site(good), NoParams())
    assert out.status == "pass" and "Helvetica" in (out.evidence[0].found or "")
    bad = probe("24.docx", make_docx([tcvn3(TITLE)], ".VnTime"))
    out = documents_unicode(site(good, bad), NoParams())
    assert out.status == "fail"
    assert out.evidence[0].url == bad.url and out.evidence[0].found == ".VnTime"
    assert out.evidence[0].snippet is not None and "→" in out.evidence[0].snippet
    # nothing read: error, never pass or fail
    cut = probe("23.docx", make_docx([TITLE], "Arial")[:300], truncated=True)
    missing = probe("22.pdf", b"", status=0)
    out = documents_unicode(site(good, cut), NoParams())
    assert out.status == "error" and "byte cap" in (out.evidence[0].found or "")
    assert documents_unicode(site(missing), NoParams()).status == "error"
    # no document file linked: nothing to judge
    assert documents_unicode(site(), NoParams()).status == "not_applicable"
    assert judged(documents_unicode, art(), NoParams()).status == "error"  # no home page


def test_document_bodies_survive_a_saved_capture(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from auditor.capture.model import SiteCapture
    from auditor.capture.warc import read_capture, write_capture
    from tests.factories import AGENCY

    body = make_docx([tcvn3(TITLE)], ".VnTime")
    capture = SiteCapture(
        agency=AGENCY,
        start_url=HOME,
        captured_at=datetime(2026, 11, 20, tzinfo=UTC),
        tool_version="test",
        settings_digest="0" * 64,
        doc_files=(probe("24.docx", body, truncated=True),),
    )
    path = tmp_path / "c.warc.gz"
    write_capture(capture, path)
    again = read_capture(path).doc_files[0]
    assert again.body == body and again.truncated and again.magic == body[:8]
