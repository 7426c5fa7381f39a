"""Unicode primitives (Sóc Trăng Điều 6 khoản 1): declared charset, strict UTF-8, legacy fonts,
legacy-encoded text, NFC. Legacy fixtures are real sentences converted through the tables."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest

from auditor.artifacts import Artifacts
from auditor.checks.encoding import (
    LegacyParams,
    nfc_text,
    no_legacy_bytes,
    no_legacy_fonts,
    utf8_declared,
    utf8_decodes,
)
from auditor.checks.registry import NoParams
from auditor.models import Outcome, PageSnapshot
from auditor.page import Page
from auditor.paths import fixtures_dir
from auditor.text.encoding import detect_encoding, first_invalid_utf8, meta_charset
from auditor.text.legacy import encode_tcvn3, encode_viscii, encode_vni
from tests.factories import art, judged, page

SITES = fixtures_dir() / "sites"
NEWS = (
    "Uỷ ban nhân dân tỉnh Sóc Trăng thông báo lịch tiếp công dân định kỳ của Chủ tịch "
    "trong tháng mười một. Người dân đăng ký trước tại bộ phận một cửa."
)
CHECKS: dict[str, Callable[[Artifacts], Outcome]] = {
    "utf8_declared": lambda a: utf8_declared(a, NoParams()),
    "utf8_decodes": lambda a: utf8_decodes(a, NoParams()),
    "no_legacy_fonts": lambda a: no_legacy_fonts(a, NoParams()),
    "no_legacy_bytes": lambda a: no_legacy_bytes(a, LegacyParams()),
    "nfc_text": lambda a: nfc_text(a, NoParams()),
}


def html(body: str, head: str = '<meta charset="utf-8">') -> str:
    return (
        f"<!DOCTYPE html><html lang='vi'><head>{head}<title>Tin tức</title></head>"
        f"<body>{body}</body></html>"
    )


def raw_page(
    url: str,
    body: bytes,
    http: str | None = "utf-8",
    meta: str | None = "utf-8",
    detected: str | None = "utf-8",
    truncated: bool = False,
) -> Page:
    ctype = "text/html" + (f"; charset={http}" if http else "")
    return Page(
        PageSnapshot(
            url=url,
            final_url=url,
            status=200,
            headers=(("content-type", ctype),),
            body=body,
            declared_encoding=http,
            meta_encoding=meta,
            detected_encoding=detected,
            truncated=truncated,
        )
    )


def with_meta(p: Page, meta: str | None) -> Page:
    return Page(p.snapshot.model_copy(update={"meta_encoding": meta}))


def site_page(host: str, charset: str) -> Page:
    body = (SITES / host / "index.html").read_bytes()
    return raw_page(f"https://{host}/", body, charset, charset, charset)


# --- whole pages: the demo's compliant site and its windows-1258 site ------------------------


def test_compliant_utf8_site_passes_all_five() -> None:
    a = art(site_page("sotttt.soctrang.gov.vn", "utf-8"))
    for name, run in CHECKS.items():
        out = run(a)
        assert out.status == "pass", name
        assert out.evidence[0].url == "https://sotttt.soctrang.gov.vn/"
        assert out.evidence[0].found is not None


def test_windows_1258_site_fails() -> None:
    p = site_page("kesach.soctrang.gov.vn", "windows-1258")
    a = art(p)
    declared = utf8_declared(a, NoParams())
    assert declared.status == "fail"
    assert declared.evidence[1].found == "HTTP: windows-1258; <meta>: windows-1258"
    assert declared.evidence[1].expected == "utf-8"

    with pytest.raises(UnicodeDecodeError) as bad:
        p.snapshot.body.decode("utf-8")
    decodes = utf8_decodes(a, NoParams())
    assert decodes.status == "fail"
    assert (decodes.evidence[1].found or "").startswith(f"byte {bad.value.start}: ")
    assert decodes.evidence[1].url == "https://kesach.soctrang.gov.vn/"

    fonts = no_legacy_fonts(a, NoParams())
    assert fonts.status == "fail"
    assert fonts.evidence[1].found == ".VnTime, .VnArial"
    assert '<font face=".VnTime">' in (fonts.evidence[1].snippet or "")

    legacy = no_legacy_bytes(a, LegacyParams())
    assert legacy.status == "fail"
    assert (legacy.evidence[1].found or "").startswith("windows-1258")

    nfc = nfc_text(a, NoParams())
    assert nfc.status == "warn"
    assert "%" in (nfc.evidence[0].found or "")


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_no_page_is_error(name: str) -> None:
    fn = {
        "utf8_declared": utf8_declared,
        "utf8_decodes": utf8_decodes,
        "no_legacy_fonts": no_legacy_fonts,
        "no_legacy_bytes": no_legacy_bytes,
        "nfc_text": nfc_text,
    }[name]
    params = LegacyParams() if name == "no_legacy_bytes" else NoParams()
    out = judged(fn, art(), params)
    assert out.status == "error"
    assert out.evidence[0].url == "https://soctrang.gov.vn/"
    assert "Could not be judged: an HTML page was not fetched" in out.evidence[0].detail.en


# --- utf8_declared ---------------------------------------------------------------------------


def test_declared_disagreement_and_absence_fail() -> None:
    good = with_meta(page("https://soctrang.gov.vn/", html("<p>Tin</p>")), "UTF8")
    assert utf8_declared(art(good), NoParams()).status == "pass"
    clash = with_meta(page("https://soctrang.gov.vn/a", html("<p>Tin</p>")), "windows-1258")
    none = page("https://soctrang.gov.vn/b", html("<p>Tin</p>", head=""), charset=None)
    out = utf8_declared(art(good, clash, none), NoParams())
    assert out.status == "fail"
    assert out.evidence[0].found == "2/3"
    by_url = {e.url: e for e in out.evidence[1:]}
    assert "disagree" in by_url["https://soctrang.gov.vn/a"].detail.en
    assert by_url["https://soctrang.gov.vn/a"].found == "HTTP: utf-8; <meta>: windows-1258"
    assert "no charset" in by_url["https://soctrang.gov.vn/b"].detail.en


def test_http_charset_alone_is_enough() -> None:
    bare = page("https://soctrang.gov.vn/", html("<p>Tin</p>", head=""))
    assert utf8_declared(art(bare), NoParams()).status == "pass"


def _as_fetched(body: bytes, http: str | None) -> Page:
    """A page as the fetcher records it: the <meta> charset from the HTML prescan."""
    meta = meta_charset(body)
    return raw_page(
        "https://soctrang.gov.vn/",
        body,
        http=http,
        meta=meta,
        detected=detect_encoding(body, http, meta),
    )


def test_meta_charset_after_1024_bytes_is_not_a_declaration() -> None:
    filler = "<!-- " + "x" * 1100 + " -->"
    late = html("<p>Tin</p>", head=filler + '<meta charset="utf-8">').encode()
    out = utf8_declared(art(_as_fetched(late, None)), NoParams())
    assert out.status == "fail"
    assert "no charset" in out.evidence[1].detail.en
    assert out.evidence[1].found == "HTTP: —; <meta>: —"
    early = html("<p>Tin</p>", head='<meta charset="utf-8">' + filler).encode()
    assert utf8_declared(art(_as_fetched(early, None)), NoParams()).status == "pass"


def test_a_utf8_bom_alone_declares_utf8() -> None:
    body = b"\xef\xbb\xbf" + html("<p>Sóc Trăng</p>", head="").encode()
    assert utf8_declared(art(_as_fetched(body, None)), NoParams()).status == "pass"
    # the BOM overrides a header that says otherwise, as browsers decode it
    assert utf8_declared(art(_as_fetched(body, "windows-1252")), NoParams()).status == "pass"
    utf16 = "\ufeff".encode("utf-16-le") + html("<p>Tin</p>", head="").encode("utf-16-le")
    out = utf8_declared(art(_as_fetched(utf16, None)), NoParams())
    assert out.status == "fail" and out.evidence[1].found.startswith("BOM: utf-16le")


# --- utf8_decodes ----------------------------------------------------------------------------


def test_stray_byte_fails_with_offset_and_cut_sequence_at_cap_passes() -> None:
    body = html("<p>Sóc Trăng</p>").encode("utf-8")
    cut = body[: body.index("ă".encode()) + 1]  # a two-byte letter cut in half
    capped = raw_page("https://soctrang.gov.vn/", cut, truncated=True)
    assert first_invalid_utf8(cut, truncated=True) is None
    # a page cut at the byte cap is not seen whole: nothing is judged on it
    out = judged(utf8_decodes, art(capped), NoParams())
    assert out.status == "error" and "byte cap" in (out.evidence[0].found or "")
    assert utf8_decodes(art(raw_page("https://soctrang.gov.vn/", cut)), NoParams()).status == "fail"
    latin1 = b"\xf3"  # ó as one Latin-1 byte among UTF-8
    broken = body.replace("ó".encode(), latin1)
    offset = broken.index(latin1)
    out = utf8_decodes(art(raw_page("https://soctrang.gov.vn/", broken)), NoParams())
    assert out.status == "fail"
    assert out.evidence[1].found == f"byte {offset}: F3 63 20 54 (utf-8)"


# --- no_legacy_fonts -------------------------------------------------------------------------


def test_legacy_fonts_in_inline_style_and_font_face() -> None:
    clean = page("https://soctrang.gov.vn/", html("<p style='font-family: Arial'>Tin</p>"))
    inline = page(
        "https://soctrang.gov.vn/a", html('<p style="font-family: VNI-Times, serif">Tin</p>')
    )
    face = page("https://soctrang.gov.vn/b", html('<font face=".VnTimeH">TIN</font>'))
    assert no_legacy_fonts(art(clean), NoParams()).status == "pass"
    out = no_legacy_fonts(art(clean, inline, face), NoParams())
    assert out.status == "fail"
    assert out.evidence[0].found == "2/3"
    assert out.evidence[1].found == "VNI-Times"
    assert out.evidence[1].snippet == '<p style="font-family: VNI-Times, serif">'
    assert out.evidence[2].found == ".VnTimeH"


# --- no_legacy_bytes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encode", "label"), [(encode_tcvn3, "TCVN3 (ABC)"), (encode_vni, "VNI Windows")]
)
def test_legacy_text_inside_a_utf8_page_fails(encode: Callable[[str], bytes], label: str) -> None:
    garbled = encode(NEWS).decode("cp1252")  # what a .VnTime / VNI-Times user left in the CMS
    legacy = page("https://soctrang.gov.vn/tin", html(f"<p>{garbled}</p>"))
    clean = page("https://soctrang.gov.vn/", html(f"<p>{NEWS}</p>"))
    assert no_legacy_bytes(art(clean), LegacyParams()).status == "pass"
    out = no_legacy_bytes(art(clean, legacy), LegacyParams())
    assert out.status == "fail"
    ev = out.evidence[1]
    assert ev.url == "https://soctrang.gov.vn/tin"
    assert (ev.found or "").startswith(f"{label}: ")
    shown = encode("nhân").decode("cp1252")
    assert f"{shown} → nhân" in (ev.snippet or "")


def test_a_word_or_two_of_legacy_text_warns() -> None:
    garbled = encode_tcvn3("công dân").decode("cp1252")
    p = page("https://soctrang.gov.vn/", html(f"<p>{NEWS} ({garbled})</p>"))
    out = no_legacy_bytes(art(p), LegacyParams())
    assert out.status == "warn"
    accented = len([w for w in NEWS.replace(".", " ").split() if not w.isascii()])
    # words with non-ASCII letters: the news, "tức" of the title, the two garbled ones
    assert out.evidence[1].found == f"TCVN3 (ABC): 2/{accented + 1 + 2} từ"
    assert no_legacy_bytes(art(p), LegacyParams(min_words=2)).status == "fail"


def test_viscii_bytes_fail_as_stored_legacy_text() -> None:
    body = encode_viscii(html(f"<p>{NEWS}</p>", head=""))
    p = raw_page("https://soctrang.gov.vn/", body, "iso-8859-1", None, "windows-1252")
    out = no_legacy_bytes(art(p), LegacyParams())
    assert out.status == "fail"
    assert (out.evidence[1].found or "").startswith("VISCII: ")
    assert "tỉnh" in (out.evidence[1].snippet or "")


def test_utf8_bytes_misdeclared_are_not_legacy_text() -> None:
    body = html(f"<p>{NEWS}</p>").encode("utf-8")
    p = raw_page("https://soctrang.gov.vn/", body, "windows-1258", "utf-8", "windows-1258")
    assert no_legacy_bytes(art(p), LegacyParams()).status == "pass"
    assert utf8_declared(art(p), NoParams()).status == "fail"


# --- nfc_text --------------------------------------------------------------------------------


def test_decomposed_text_warns_with_share_of_words() -> None:
    nfd = unicodedata.normalize("NFD", NEWS)
    clean = page("https://soctrang.gov.vn/", html(f"<p>{NEWS}</p>"))
    decomposed = page("https://soctrang.gov.vn/nfd", html(f"<p>{nfd}</p>"))
    assert nfc_text(art(clean), NoParams()).status == "pass"
    out = nfc_text(art(clean, decomposed), NoParams())
    assert out.status == "warn"
    accented = len([w for w in NEWS.replace(".", " ").split() if not w.isascii()])
    words = accented + 1  # and "tức" of the title, in NFC on both pages
    page_ev = out.evidence[1]
    assert page_ev.url == "https://soctrang.gov.vn/nfd"
    assert page_ev.found == f"{accented}/{words} ({accented / words:.0%})"
    assert out.evidence[0].found == f"{accented}/{2 * words} ({accented / (2 * words):.0%})"
    uy = unicodedata.normalize("NFD", "Uỷ")  # the hook above as a combining mark
    assert page_ev.snippet == f"{uy} = U+0055 U+0079 U+0309"
