"""Legacy Vietnamese encodings: conversion tables, a syllable test, and detection.

Before Unicode (TCVN 6909:2001) Vietnamese text was stored in 8-bit encodings shown through
special fonts: TCVN3/ABC (TCVN 5712:1993 VN3, fonts ``.VnTime``…), VNI Windows (fonts
``VNI-Times``…, a base letter followed by mark characters), VISCII (RFC 1456) and windows-1258
(Python's ``cp1258``, tone marks as combining characters). Such text survives on portals either
as bytes that are not UTF-8, or as Latin-1 characters inside a UTF-8 page ("Th«ng tin" is
"Thông tin" typed in ``.VnTime``; "Vieät Nam" is "Việt Nam" typed in ``VNI-Times``).

Detection reads every suspicious word back through each table and counts the words that turn
into valid Vietnamese syllables while they were not valid as seen.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

# --- conversion tables (data) ---------------------------------------------------------------

# TCVN 5712:1993, table VN3 (the ABC fonts .VnTime, .VnArial…): byte → letter. VN3 is the
# subset of VN1 without the capitals that carry a tone (those were typed with the ``…H`` fonts).
# Bytes 0x00–0x7F are ASCII. Checked against glibc's TCVN5712-1 converter in the tests.
_TCVN3_ROWS = """
A1 Ă A2 Â A3 Ê A4 Ô A5 Ơ A6 Ư A7 Đ A8 ă A9 â AA ê AB ô AC ơ AD ư AE đ
B5 à B6 ả B7 ã B8 á B9 ạ BB ằ BC ẳ BD ẵ BE ắ C6 ặ C7 ầ C8 ẩ C9 ẫ CA ấ CB ậ
CC è CE ẻ CF ẽ D0 é D1 ẹ D2 ề D3 ể D4 ễ D5 ế D6 ệ D7 ì D8 ỉ DC ĩ DD í DE ị
DF ò E1 ỏ E2 õ E3 ó E4 ọ E5 ồ E6 ổ E7 ỗ E8 ố E9 ộ EA ờ EB ở EC ỡ ED ớ EE ợ
EF ù F1 ủ F2 ũ F3 ú F4 ụ F5 ừ F6 ử F7 ữ F8 ứ F9 ự FA ỳ FB ỷ FC ỹ FD ý FE ỵ
"""

# VISCII (RFC 1456): the bytes whose letter differs from Latin-1. The other 31 letters (À Á Â
# Ã È É Ê Ì Í Ò Ó Ô Ù Ú Ý à á â ã è é ê ì í ò ó ô õ ù ú ý) sit at their Latin-1 bytes.
_VISCII_ROWS = """
02 Ẳ 05 Ẵ 06 Ẫ 14 Ỷ 19 Ỹ 1E Ỵ
80 Ạ 81 Ắ 82 Ằ 83 Ặ 84 Ấ 85 Ầ 86 Ẩ 87 Ậ 88 Ẽ 89 Ẹ 8A Ế 8B Ề 8C Ể 8D Ễ 8E Ệ 8F Ố
90 Ồ 91 Ổ 92 Ỗ 93 Ộ 94 Ợ 95 Ớ 96 Ờ 97 Ở 98 Ị 99 Ỏ 9A Ọ 9B Ỉ 9C Ủ 9D Ũ 9E Ụ 9F Ỳ
A0 Õ A1 ắ A2 ằ A3 ặ A4 ấ A5 ầ A6 ẩ A7 ậ A8 ẽ A9 ẹ AA ế AB ề AC ể AD ễ AE ệ AF ố
B0 ồ B1 ổ B2 ỗ B3 Ỡ B4 Ơ B5 ộ B6 ờ B7 ở B8 ị B9 Ự BA Ứ BB Ừ BC Ử BD ơ BE ớ BF Ư
C4 Ả C5 Ă C6 ẳ C7 ẵ CB Ẻ CE Ĩ CF ỳ D0 Đ D1 ứ D5 ạ D6 ỷ D7 ừ D8 ử DB ỹ DC ỵ DE ỡ DF ư
E4 ả E5 ă E6 ữ E7 ẫ EB ẻ EE ĩ EF ỉ F0 đ F1 ự F6 ỏ F7 ọ F8 ụ FB ũ FC ủ FE ợ FF Ữ
"""

# VNI Windows: each row is a base letter and its spellings with no tone, sắc, huyền, hỏi, ngã,
# nặng, as windows-1252 characters of the VNI fonts. Capitals are the same spellings in
# capitals ("AÙ" is "Á"); đ is "ñ".
_VNI_ROWS = """
a a aù aø aû aõ aï
â aâ aá aà aå aã aä
ă aê aé aè aú aü aë
e e eù eø eû eõ eï
ê eâ eá eà eå eã eä
i i í ì æ ó ò
o o où oø oû oõ oï
ô oâ oá oà oå oã oä
ơ ô ôù ôø ôû ôõ ôï
u u uù uø uû uõ uï
ư ö öù öø öû öõ öï
y y yù yø yû yõ î
"""
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # none, sắc, huyền, hỏi, ngã, nặng
_TONE_SET = frozenset(_TONES[1:])


def _rows(text: str) -> dict[int, str]:
    items = text.split()
    return {int(items[i], 16): items[i + 1] for i in range(0, len(items), 2)}


TCVN3_DECODE: dict[int, str] = _rows(_TCVN3_ROWS)
TCVN3_ENCODE: dict[str, int] = {ch: b for b, ch in TCVN3_DECODE.items()}
VISCII_DECODE: dict[int, str] = _rows(_VISCII_ROWS)
VISCII_ENCODE: dict[str, int] = {ch: b for b, ch in VISCII_DECODE.items()}
for _b in range(0x80, 0x100):
    if _b not in VISCII_DECODE:  # the 31 letters VISCII shares with Latin-1
        VISCII_ENCODE[chr(_b)] = _b


def _vni_table() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in _VNI_ROWS.strip().splitlines():
        base, *spellings = line.split()
        for tone, spelling in zip(_TONES, spellings, strict=True):
            letter = unicodedata.normalize("NFC", base + tone)
            out[letter] = spelling
            out[letter.upper()] = spelling.upper()
    out["đ"], out["Đ"] = "ñ", "Ñ"
    return {k: v for k, v in out.items() if k != v}


VNI_ENCODE: dict[str, str] = _vni_table()  # letter → VNI spelling (windows-1252 characters)
_VNI_DECODE: dict[str, str] = {v: k for k, v in VNI_ENCODE.items()}
_VNI_PATTERN = re.compile(
    "|".join(re.escape(s) for s in sorted(_VNI_DECODE, key=len, reverse=True))
)


# --- encoders and decoders ------------------------------------------------------------------


def _cp1252_char(byte: int) -> str:
    """The windows-1252 character of ``byte`` (Latin-1 where windows-1252 has none)."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def decode_tcvn3(data: bytes) -> str:
    """Text of TCVN3 (VN3) bytes; bytes VN3 does not define read as Latin-1."""
    return "".join(TCVN3_DECODE.get(b, chr(b)) for b in data)


def encode_tcvn3(text: str) -> bytes:
    """TCVN3 (VN3) bytes of ``text``; raises UnicodeEncodeError for what VN3 cannot hold
    (capitals with a tone, which the ``…H`` fonts showed from the lower-case codes)."""
    text = unicodedata.normalize("NFC", text)
    out = bytearray()
    for i, ch in enumerate(text):
        if ord(ch) < 0x80:
            out.append(ord(ch))
        elif ch in TCVN3_ENCODE:
            out.append(TCVN3_ENCODE[ch])
        else:
            raise UnicodeEncodeError("tcvn3", text, i, i + 1, "not in TCVN3 (VN3)")
    return bytes(out)


def decode_viscii(data: bytes) -> str:
    """Text of VISCII bytes."""
    return "".join(VISCII_DECODE.get(b, chr(b)) for b in data)


def encode_viscii(text: str) -> bytes:
    """VISCII bytes of ``text``; raises UnicodeEncodeError for characters VISCII lacks."""
    text = unicodedata.normalize("NFC", text)
    out = bytearray()
    for i, ch in enumerate(text):
        if ch in VISCII_ENCODE:
            out.append(VISCII_ENCODE[ch])
        elif ord(ch) < 0x80 and ord(ch) not in VISCII_DECODE:
            out.append(ord(ch))
        else:
            raise UnicodeEncodeError("viscii", text, i, i + 1, "not in VISCII")
    return bytes(out)


def decode_vni(data: bytes) -> str:
    """Text of VNI Windows bytes (letters and their following mark characters combined)."""
    text = "".join(_cp1252_char(b) if b >= 0x80 else chr(b) for b in data)
    return _VNI_PATTERN.sub(lambda m: _VNI_DECODE[m.group(0)], text)


def encode_vni(text: str) -> bytes:
    """VNI Windows bytes of ``text``; raises UnicodeEncodeError for what VNI cannot hold."""
    text = unicodedata.normalize("NFC", text)
    spelled = "".join(VNI_ENCODE.get(ch, ch) for ch in text)
    return spelled.encode("cp1252")


def decode_cp1258(data: bytes) -> str:
    """Text of windows-1258 bytes, precomposed (NFC)."""
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


def encode_cp1258(text: str) -> bytes:
    """windows-1258 bytes of ``text`` as legacy editors wrote them: a letter windows-1258 holds
    precomposed stays so, other tones become the combining marks 0xCC, 0xEC, 0xD2, 0xDE, 0xF2."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONE_SET)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_SET))
        out += (base + tones).encode("cp1258")
    return bytes(out)


def _as_bytes(text: str) -> bytes | None:
    """The 8-bit bytes a legacy font user typed, read back from text shown as windows-1252."""
    out = bytearray()
    for ch in text:
        code = ord(ch)
        if code < 0x100:
            out.append(code)
            continue
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            return None
    return bytes(out)


def _decode_utf8(data: bytes) -> str:
    return data.decode("utf-8")


# How each encoding turns bytes into text, by name.
DECODERS: dict[str, Callable[[bytes], str]] = {
    "tcvn3": decode_tcvn3,
    "vni": decode_vni,
    "viscii": decode_viscii,
    "cp1258": decode_cp1258,
}
# Readings tried on words of a page that already decoded: the legacy encodings, and UTF-8
# bytes that were read as windows-1252 and stored again (double encoding).
_TEXT_READINGS: dict[str, Callable[[bytes], str]] = {**DECODERS, "utf-8": _decode_utf8}

LABELS: dict[str, tuple[str, str]] = {
    "tcvn3": ("TCVN3 (ABC)", "TCVN3 (ABC)"),
    "vni": ("VNI Windows", "VNI Windows"),
    "viscii": ("VISCII", "VISCII"),
    "cp1258": ("windows-1258", "windows-1258"),
    "utf-8": ("UTF-8 bị mã hóa hai lần", "double-encoded UTF-8"),
}

# --- Vietnamese syllables -------------------------------------------------------------------

_INITIAL = "(?:ngh|ng|gh|gi|ch|kh|nh|ph|th|tr|qu|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?"
# Vowel groups that end the syllable, need a final consonant, or may take one.
_OPEN = (
    "iêu|yêu|oai|oao|oay|oeo|uây|uôi|ươi|ươu|uya|uyu"
    "|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ui|ưa|ưi|ưu|ua"
)
_CLOSED = "uyê|oă|uâ|iê|yê|uô|ươ|oo|ă|â"
_BOTH = "oa|oe|uê|uy|uơ|a|e|ê|i|o|ô|ơ|u|ư|y"
_FINAL = "ch|ng|nh|c|m|n|p|t"
_SYLLABLE = re.compile(
    rf"^{_INITIAL}(?:(?:{_OPEN})|(?:{_CLOSED})(?P<f1>{_FINAL})|(?:{_BOTH})(?P<f2>{_FINAL})?)$"
)
_CHECKED = frozenset({"c", "ch", "p", "t"})


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` is a well-formed Vietnamese syllable (any case, at most one tone;
    syllables ending in c, ch, p, t carry sắc or nặng).

    >>> is_vietnamese_syllable("Nguyễn"), is_vietnamese_syllable("Th«ng")
    (True, False)
    """
    parts = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in parts if c in _TONE_SET]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_SET))
    match = _SYLLABLE.match(base)
    if match is None:
        return False
    final = match.group("f1") or match.group("f2")
    return not (final in _CHECKED and (not tones or tones[0] not in ("\u0301", "\u0323")))


# --- detection ------------------------------------------------------------------------------

_SPLIT = re.compile(r"[\s!-/:-@\[-`{-~“”–—…•|]+")
_EDGE = "‘’\u00a0"


def words_of(text: str) -> list[str]:
    """Words of ``text`` split on white space and ASCII punctuation (legacy letters such as
    « ¸ © stay inside the word they belong to)."""
    return [w.strip(_EDGE) for w in _SPLIT.split(text) if w.strip(_EDGE)]


def word_counts(text: str) -> Mapping[str, int]:
    """Each distinct word of :func:`words_of` with its number of occurrences, in order of
    first occurrence: what judging each distinct word once needs (read-only)."""
    # Counted by spaces first (a page's collapsed text has no other white space: a fast
    # split), then each distinct token cut at the other separators: the same words, counts
    # and order.
    counts: dict[str, int] = {}
    split = _SPLIT.split
    for token, n in Counter(text.split(" ")).items():
        if token.isalnum():  # no separator and no edge mark in it: a word as it is
            counts[token] = counts.get(token, 0) + n
            continue
        for piece in split(token):
            word = piece.strip(_EDGE)
            if word:
                counts[word] = counts.get(word, 0) + n
    return counts


def non_ascii_word_counts(text: str) -> Mapping[str, int]:
    """:func:`word_counts` of ``text`` without its ASCII words, which the encoding checks skip
    (:func:`scan_text`, the NFC share): the same words, counts and order otherwise. An ASCII
    token only holds ASCII words, and is not cut."""
    counts: dict[str, int] = {}
    split = _SPLIT.split
    for token, n in Counter(text.split(" ")).items():
        if token.isascii():
            continue
        if token.isalnum():
            counts[token] = counts.get(token, 0) + n
            continue
        for piece in split(token):
            word = piece.strip(_EDGE)
            if word and not word.isascii():
                counts[word] = counts.get(word, 0) + n
    return counts


@dataclass(frozen=True)
class LegacyWord:
    """A word that reads as Vietnamese through a legacy table."""

    found: str  # as it appears
    reads: str  # what it says in the legacy encoding


@dataclass(frozen=True)
class LegacyScan:
    """What a scan for legacy text found."""

    encoding: str | None  # key of LABELS, or None when nothing was found
    count: int  # words that read as that encoding
    examined: int  # words with non-ASCII characters that were looked at
    samples: tuple[LegacyWord, ...] = ()

    def sample_text(self, limit: int = 5) -> str:
        """e.g. 'Th«ng → Thông; c¸c → các'."""
        return "; ".join(f"{w.found} → {w.reads}" for w in self.samples[:limit])


def _best(counts: dict[str, dict[LegacyWord, int]], examined: int) -> LegacyScan:
    totals = {name: sum(found.values()) for name, found in counts.items()}
    if not any(totals.values()):
        return LegacyScan(encoding=None, count=0, examined=examined)
    name = max(totals, key=lambda k: totals[k])  # dict order breaks ties
    unique = tuple(counts[name])  # in order of first occurrence
    return LegacyScan(encoding=name, count=totals[name], examined=examined, samples=unique[:10])


def scan_text(text: str | Mapping[str, int]) -> LegacyScan:
    """Find words of already decoded ``text`` that are legacy-encoded Vietnamese shown as
    windows-1252 characters (TCVN3, VNI, VISCII, windows-1258) or double-encoded UTF-8.

    A word counts only when it is not a Vietnamese syllable as seen, contains an ASCII letter,
    and becomes one when its characters are read back as bytes through a table. Noise (random
    bytes shown as text) reads as the odd syllable by chance: nothing is found unless at least
    half of the non-ASCII words make sense, as Unicode syllables or through the table. Each
    distinct word is judged once and counted as often as it occurs (``text`` may be given as
    those counts, from :func:`word_counts`).
    """
    counts: dict[str, dict[LegacyWord, int]] = {name: {} for name in _TEXT_READINGS}
    examined = 0
    syllables = 0
    if isinstance(text, str) and text.isascii():
        return _best(counts, examined)
    words = word_counts(text) if isinstance(text, str) else text
    for word, n in words.items():
        if word.isascii():
            continue
        examined += n
        if is_vietnamese_syllable(word):
            syllables += n
            continue
        if not any("a" <= c <= "z" for c in word.lower()):
            continue
        raw = _as_bytes(word)
        if raw is None:
            continue
        for name, read in _TEXT_READINGS.items():
            try:
                reads = unicodedata.normalize("NFC", read(raw))
            except UnicodeDecodeError:
                continue
            if reads != word and is_vietnamese_syllable(reads):
                found = LegacyWord(word, reads)
                counts[name][found] = counts[name].get(found, 0) + n
    readable = syllables + max((sum(found.values()) for found in counts.values()), default=0)
    if readable * 2 < examined:  # mostly noise: no reading explains it
        return LegacyScan(encoding=None, count=0, examined=examined)
    return _best(counts, examined)


def guess_legacy_encoding(data: bytes) -> LegacyScan:
    """Which legacy Vietnamese encoding best explains ``data`` (bytes that are not UTF-8):
    the one under which most non-ASCII words are Vietnamese syllables, if at least half are.
    """
    best = LegacyScan(encoding=None, count=0, examined=0)
    for name, decode in DECODERS.items():
        words = [w for w in words_of(decode(data)) if not w.isascii()]
        good = [LegacyWord(w, w) for w in words if is_vietnamese_syllable(w)]
        if len(good) > best.count and len(good) * 2 >= len(words):
            samples = tuple(dict.fromkeys(good))[:10]
            best = LegacyScan(encoding=name, count=len(good), examined=len(words), samples=samples)
    return best


# --- fonts ----------------------------------------------------------------------------------

# Font families of the legacy encodings: TCVN3/ABC (.VnTime, .VnArialH…), VNI (VNI-Times…)
# and VPS (VPS Times…).
_LEGACY_FONT = re.compile(
    r"""(?<![\w.-])(
        \.Vn[A-Za-z][\w-]*(?:\ [A-Z][\w-]*)*   # TCVN3 / ABC
      | VNI[-_][A-Za-z][\w-]*                   # VNI
      | VPS[-_ ]?[A-Z][\w-]*                    # VPS
    )""",
    re.VERBOSE,
)
_FONT_DECL = re.compile(r"font(?:-family)?\s*:\s*([^;}]+)", re.I)


def legacy_fonts_in_css(css: str) -> list[tuple[str, str]]:
    """Legacy fonts in the ``font``/``font-family`` declarations of ``css``, each with the
    declaration it appears in."""
    out: list[tuple[str, str]] = []
    for decl in _FONT_DECL.finditer(css):
        for font in legacy_fonts_in_face(decl.group(1)):
            out.append((font, decl.group(0).strip()))
    return out


def legacy_fonts_in_face(value: str) -> list[str]:
    """Legacy fonts named in a font list such as ``".VnTime", Arial`` (a ``face`` value)."""
    return [m.group(1).strip() for m in _LEGACY_FONT.finditer(value)]
