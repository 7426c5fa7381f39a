"""Legacy Vietnamese encodings: tables, round trips, the syllable test and detection.

Fixtures are real Vietnamese sentences converted through the tables, never hand-typed mojibake.
The TCVN3 and VISCII tables are checked byte by byte against glibc's converters when the
``iconv`` program is available.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections.abc import Callable

import pytest

from auditor.text.legacy import (
    TCVN3_DECODE,
    VISCII_DECODE,
    decode_cp1258,
    decode_tcvn3,
    decode_viscii,
    decode_vni,
    encode_cp1258,
    encode_tcvn3,
    encode_viscii,
    encode_vni,
    guess_legacy_encoding,
    is_vietnamese_syllable,
    legacy_fonts_in_css,
    legacy_fonts_in_face,
    scan_text,
    words_of,
)

# Sentences TCVN3 (VN3) can hold: no capital letter carries a tone ("Uỷ", not "Ủy").
SENTENCES = (
    "Uỷ ban nhân dân tỉnh Sóc Trăng thông báo lịch tiếp công dân của Chủ tịch",
    "Sở Thông tin và Truyền thông hướng dẫn người dân nộp hồ sơ trực tuyến",
    "Đài Truyền thanh huyện Long Phú đưa tin về mùa lũ năm nay",
    "Chi cục Thú y khuyến cáo tiêm phòng cho đàn gia súc, gia cầm",
)
ENCODERS: list[tuple[str, Callable[[str], bytes]]] = [
    ("tcvn3", encode_tcvn3),
    ("vni", encode_vni),
    ("viscii", encode_viscii),
    ("cp1258", encode_cp1258),
]
ALL_LETTERS = (
    "".join(
        unicodedata.normalize("NFC", base + tone)
        for base in "aăâeêioôơuưy"
        for tone in ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
    )
    + "đ"
)


def _iconv(encoding: str, data: bytes) -> str | None:
    """glibc's reading of ``data`` (one byte per line), or None without iconv."""
    if shutil.which("iconv") is None:
        return None
    run = subprocess.run(
        ["iconv", "-f", encoding, "-t", "UTF-8"], input=data, capture_output=True, check=False
    )
    return run.stdout.decode("utf-8") if run.returncode == 0 else None


def test_tcvn3_table_matches_glibc_tcvn5712() -> None:
    codes = sorted(TCVN3_DECODE)
    assert len(codes) == 74  # 67 lower-case letters with diacritics + Ă Â Ê Ô Ơ Ư Đ
    got = _iconv("TCVN5712-1", b"\n".join(bytes([c]) for c in codes))
    if got is None:
        pytest.skip("iconv with TCVN5712-1 not available")
    assert got.split("\n") == [TCVN3_DECODE[c] for c in codes]


def test_viscii_table_matches_glibc_viscii() -> None:
    codes = [*range(0x80, 0x100), 0x02, 0x05, 0x06, 0x14, 0x19, 0x1E]
    got = _iconv("VISCII", b"\n".join(bytes([c]) for c in codes))
    if got is None:
        pytest.skip("iconv with VISCII not available")
    assert got.split("\n") == [VISCII_DECODE.get(c, chr(c)) for c in codes]
    assert len(set(got.split("\n"))) == 134  # all 134 Vietnamese letters VISCII adds


def test_published_examples() -> None:
    # the vietnamese-conversion README (VNI) and a TCVN3 example of a Lào Cai place name
    assert encode_vni("Xin chào các bạn") == "Xin chaøo caùc baïn".encode("cp1252")
    assert decode_tcvn3("B¶o Th¾ng".encode("latin-1")) == "Bảo Thắng"


@pytest.mark.parametrize("sentence", SENTENCES)
def test_round_trips(sentence: str) -> None:
    assert decode_tcvn3(encode_tcvn3(sentence)) == sentence
    assert decode_vni(encode_vni(sentence)) == sentence
    assert decode_viscii(encode_viscii(sentence)) == sentence
    assert decode_cp1258(encode_cp1258(sentence)) == sentence


def test_every_letter_round_trips() -> None:
    lower, upper = ALL_LETTERS, ALL_LETTERS.upper()
    assert decode_tcvn3(encode_tcvn3(lower)) == lower
    for text in (lower, upper):
        assert decode_vni(encode_vni(text)) == text
        assert decode_viscii(encode_viscii(text)) == text
        assert decode_cp1258(encode_cp1258(text)) == text
    with pytest.raises(UnicodeEncodeError):
        encode_tcvn3("Ủy")  # VN3 has no toned capitals


def test_cp1258_stores_tones_as_combining_marks() -> None:
    # ê is precomposed in windows-1258, the dot below is the combining mark at 0xF2
    assert encode_cp1258("Việt") == b"Vi\xea\xf2t"
    assert encode_cp1258("Việt").decode("cp1258") == "Vi\u00ea\u0323t"


@pytest.mark.parametrize(
    "word",
    ["Nguyễn", "người", "Trăng", "khuyến", "quốc", "giữa", "Uỷ", "Ủy", "phường", "Việt", "ở"],
)
def test_valid_syllables(word: str) -> None:
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["Café", "München", "Sóct", "xyz", "viet", "bát̀", "nghw"])
def test_invalid_syllables(word: str) -> None:
    assert not is_vietnamese_syllable(word)


def test_words_keep_legacy_letters_inside() -> None:
    shown = encode_tcvn3("thông tin, các").decode("cp1252")
    assert words_of(shown) == [w for w in shown.replace(",", "").split()]


@pytest.mark.parametrize(("encoding", "encode"), ENCODERS)
def test_scan_text_finds_legacy_text_shown_as_windows_1252(
    encoding: str, encode: Callable[[str], bytes]
) -> None:
    shown = " ".join(encode(s).decode("cp1252", errors="replace") for s in SENTENCES)
    scan = scan_text(shown)
    assert scan.encoding == encoding
    assert scan.count >= 10
    first = scan.samples[0]
    assert is_vietnamese_syllable(first.reads) and not is_vietnamese_syllable(first.found)


def test_scan_text_finds_double_encoded_utf8() -> None:
    shown = SENTENCES[0].encode("utf-8").decode("cp1252", errors="replace")
    scan = scan_text(shown)
    assert scan.encoding == "utf-8"
    assert any(w.reads == "nhân" for w in scan.samples)


def test_scan_text_is_quiet_on_unicode_and_foreign_words() -> None:
    text = " ".join(SENTENCES) + " Café « Hội An » München Straße 中文 – English – naïve"
    scan = scan_text(text)
    assert scan.encoding is None and scan.count == 0
    assert scan.examined > 20


@pytest.mark.parametrize(("encoding", "encode"), ENCODERS)
def test_guess_legacy_encoding_of_bytes(encoding: str, encode: Callable[[str], bytes]) -> None:
    html = "<html><body><p>" + "</p><p>".join(SENTENCES) + "</p></body></html>"
    guess = guess_legacy_encoding(encode(html))
    assert guess.encoding == encoding
    assert guess.count >= 20


def test_guess_legacy_encoding_gives_up_on_other_text() -> None:
    assert guess_legacy_encoding("Grüße aus München, naïve café".encode("latin-1")).encoding is None


def test_legacy_fonts() -> None:
    css = 'body, p { font-family: ".VnTime", ".VnArial", serif; } h1 { font: bold 2em VNI-Times }'
    found = legacy_fonts_in_css(css)
    assert [f for f, _ in found] == [".VnTime", ".VnArial", "VNI-Times"]
    assert found[0][1] == 'font-family: ".VnTime", ".VnArial", serif'
    assert legacy_fonts_in_face(".VnTimeH, VPS Times") == [".VnTimeH", "VPS Times"]
    plain = "body { font-family: Arial, 'Times New Roman'; font-size: 1em }"
    assert legacy_fonts_in_css(plain) == []
    assert legacy_fonts_in_face("Roboto, www.vnexpress.net") == []
