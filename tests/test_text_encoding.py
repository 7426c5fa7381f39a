"""Charset facts of HTML bodies: header, <meta>, and what the bytes really decode as."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from auditor.text.encoding import (
    bom_encoding,
    canonical_encoding,
    charset_from_content_type,
    decodes_strictly,
    detect_encoding,
    detect_text,
    meta_charset,
)

KESACH = (
    Path(__file__).resolve().parents[1]
    / "auditor/data/fixtures/sites/kesach.soctrang.gov.vn/index.html"
)
VIET = "Cổng thông tin điện tử huyện Kế Sách: Ủy ban nhân dân, đường Nguyễn Huệ"
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese as windows-1258 does: base letters precomposed, tones combining."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("text/html; charset=UTF-8", "UTF-8"),
        ('text/html;Charset="windows-1258"', "windows-1258"),
        ("text/html; boundary=x; charset=utf-8 ", "utf-8"),
        ("text/html", None),
        ("text/html; charset=", None),
        ("", None),
    ],
)
def test_charset_from_content_type(value: str, expected: str | None) -> None:
    assert charset_from_content_type(value) == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<meta charset="utf-8">', "utf-8"),
        (b"<META CHARSET=windows-1258 >", "windows-1258"),
        (b"<meta charset='UTF-8'/>", "UTF-8"),
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">',
            "windows-1258",
        ),
        (b"<meta content='text/html;charset=utf-8' http-equiv=content-type>", "utf-8"),
        (b'<meta name="description" content="charset=latin1">', None),
        (b'<!-- <meta charset="koi8-r"> --><meta charset="utf-8">', "utf-8"),
        (b'<meta http-equiv="refresh" content="5"><meta charset="utf-8">', "utf-8"),
        (b"<metadata charset=utf-8>", None),
        (b"<p>no meta</p>", None),
    ],
)
def test_meta_charset(head: bytes, expected: str | None) -> None:
    assert meta_charset(b"<!doctype html><html><head>" + head + b"</head></html>") == expected


def test_meta_charset_only_in_the_first_1024_bytes() -> None:
    # the HTML prescan stops at 1,024 bytes: a later <meta charset> declares nothing
    late = b"<html><head><title>" + b"x" * 1010 + b'</title><meta charset="utf-8">'
    assert meta_charset(late) is None
    early = b'<html><head><meta charset="utf-8"><title>' + b"x" * 2000 + b"</title>"
    assert meta_charset(early) == "utf-8"


def test_a_bom_is_a_declaration() -> None:
    assert bom_encoding(b"\xef\xbb\xbf<html>") == "utf-8"
    assert bom_encoding(b"\xff\xfe<\x00") == "utf-16le"
    assert bom_encoding(b"<html>") is None


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("UTF8", "utf-8"),
        ("utf-8", "utf-8"),
        ("cp1258", "windows-1258"),
        ("Windows-1258", "windows-1258"),
        ("iso-8859-1", "windows-1252"),
        ("latin1", "windows-1252"),
        ("us-ascii", "windows-1252"),
        ("ISO-8859-2", "iso-8859-2"),
        ("gb2312", "gbk"),
        ("Shift_JIS", "shift_jis"),
        ("tcvn3", None),
        ("VNI", None),
        ("", None),
        (None, None),
    ],
)
def test_canonical_encoding(label: str | None, expected: str | None) -> None:
    assert canonical_encoding(label) == expected


def test_kesach_fixture_is_windows_1258_as_declared() -> None:
    body = KESACH.read_bytes()
    meta = meta_charset(body)
    assert meta == "windows-1258"
    assert detect_encoding(body, None, meta) == "windows-1258"
    assert "Kế Sách" in nfc(body.decode(detect_encoding(body, None, meta)))
    # the header saying UTF-8 does not make the bytes UTF-8
    assert detect_encoding(body, "utf-8", meta) == "windows-1258"


def test_windows_1258_body_declared_in_header() -> None:
    body = to_cp1258(f"<html><body>{VIET}</body></html>")
    assert not decodes_strictly(body, "utf-8")
    assert detect_encoding(body, "windows-1258", None) == "windows-1258"
    assert VIET in nfc(body.decode("windows-1258"))


def test_utf8_body_mislabelled_as_windows_1258_decodes_as_utf8() -> None:
    body = f"<html><body>{VIET}</body></html>".encode()
    # UTF-8 Vietnamese hits bytes windows-1258 leaves undefined (0x8D in 'ọ', …)
    assert detect_encoding(body, "windows-1258", "windows-1258") == "utf-8"


def test_header_wins_over_meta_when_both_decode() -> None:
    body = b"<html><meta charset=utf-8><body>plain ascii</body></html>"
    assert detect_encoding(body, "windows-1252", "utf-8") == "windows-1252"
    assert detect_encoding(body, None, "utf-8") == "utf-8"
    assert detect_encoding(body, None, None) == "utf-8"


def test_byte_order_mark_decides() -> None:
    assert detect_encoding(b"\xef\xbb\xbf<html>", "windows-1252", None) == "utf-8"
    assert detect_encoding("<html>".encode("utf-16-le"), None, None) != "utf-16le"
    assert detect_encoding(b"\xff\xfe" + "<html>".encode("utf-16-le"), None, None) == "utf-16le"


def test_utf8_cut_mid_character_by_byte_cap_is_still_utf8() -> None:
    body = VIET.encode()
    cut = body[: body.index("ế".encode()) + 1]  # first byte of a 3-byte sequence
    assert detect_encoding(cut, None, None) == "utf-8"


def test_unknown_and_meta_utf16_labels() -> None:
    body = VIET.encode()
    assert detect_encoding(body, "x-unknown-charset", "tcvn3") == "utf-8"
    assert detect_encoding(body, None, "utf-16") == "utf-8"


def test_lenient_fallbacks_when_nothing_decodes_strictly() -> None:
    mostly_utf8 = (VIET * 5).encode() + b"\xff"
    assert detect_encoding(mostly_utf8, None, None) == "utf-8"
    # undefined in windows-1258 (0x8d, 0x90) and not UTF-8: the declaration is kept
    garbage = b"<html>\x8d\x90\x9d\xc3\x28" * 10
    assert detect_encoding(garbage, "windows-1258", None) == "windows-1258"
    assert detect_encoding(garbage, None, None) == "windows-1252"


@pytest.mark.parametrize(
    ("body", "declared", "meta", "whole"),
    [
        (f"<html><body>{VIET}</body></html>".encode(), "utf-8", None, True),
        (f"<html><body>{VIET}</body></html>".encode(), None, None, True),
        (b"\xef\xbb\xbf<p>BOM</p>", None, None, False),  # decided by the BOM, not decoded
        (f"<p>{VIET}</p>".encode()[:-6] + "ệ".encode()[:2], "utf-8", None, False),  # cut
        (f"<p>{VIET}</p>".encode() + b"\xff tail", "utf-8", None, False),  # a stray byte
        (to_cp1258(f"<p>{VIET}</p>"), "windows-1258", None, True),
        (KESACH.read_bytes(), None, "windows-1258", True),
        (b"<p>\x81\x8d caf\xe9</p>", None, None, False),  # not UTF-8 at all: windows-1252
    ],
)
def test_detect_text_gives_the_text_only_when_decoding_again_gives_the_same(
    body: bytes, declared: str | None, meta: str | None, whole: bool
) -> None:
    encoding, text = detect_text(body, declared, meta)
    assert encoding == detect_encoding(body, declared, meta)
    assert (text is not None) == whole
    if text is not None:  # what the page's decode (with replacement characters) gives
        assert text == body.decode(encoding, errors="replace")


def test_detect_text_of_a_whole_strict_body() -> None:
    body = f"<html><body>{VIET}</body></html>".encode()
    assert detect_text(body, "utf-8", None) == ("utf-8", body.decode())
    cp = to_cp1258(f"<p>{VIET}</p>")
    assert detect_text(cp, "windows-1258", None) == ("windows-1258", cp.decode("windows-1258"))
    assert detect_text(body[:-6] + "ệ".encode()[:2], "utf-8", None) == ("utf-8", None)


@pytest.mark.parametrize("label", ["quopri", "zlib", "hex", "base64", "rot13"])
def test_a_charset_naming_a_codec_of_another_kind_is_no_text(label: str) -> None:
    body = b"<html><body>Tin t=E1=BB=A9c 48656c6c6f</body></html>"
    encoding, text = detect_text(body, label, None)
    assert text is None or isinstance(text, str)
    assert encoding == detect_encoding(body, label, None)
