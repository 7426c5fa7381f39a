"""Unicode checks (Sóc Trăng QĐ 07/2019 Điều 6 khoản 1; TCVN 6909:2001; TT 39/2017).

Every primitive looks at each fetched HTML page: the charset it declares, whether its bytes are
UTF-8, legacy Vietnamese fonts in its markup, text stored in a legacy encoding, and text in
decomposed (NFD) form. No page fetched means the auditor cannot tell: ``error``.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Mapping

from pydantic import Field

from auditor.artifacts import Artifacts, FileProbe
from auditor.checks.registry import NoParams, Params, check, of_page
from auditor.htmltree import parse_html
from auditor.locate.documents import LISTING_CANDIDATES, find_listing, listing_candidates
from auditor.models import Evidence, Outcome, Status, t
from auditor.page import Page, collapse, read_once
from auditor.text.docfonts import DocumentFonts, document_kind, read_document
from auditor.text.encoding import bom_encoding, canonical_encoding
from auditor.text.legacy import (
    LABELS,
    LegacyScan,
    guess_legacy_encoding,
    legacy_fonts_in_css,
    legacy_fonts_in_face,
    non_ascii_word_counts,
    scan_text,
    word_counts,
    words_of,
)

logger = logging.getLogger(__name__)

MAX_PAGES = 10  # offending pages listed one by one; the rest are counted

# Labels of the legacy Vietnamese encodings as a crawler may report them.
_LEGACY_LABELS = {
    "windows-1258": "cp1258",
    "cp1258": "cp1258",
    "viscii": "viscii",
    "tcvn": "tcvn3",
    "tcvn3": "tcvn3",
    "tcvn-5712": "tcvn3",
    "tcvn5712-1": "tcvn3",
    "tcvn5712-1:1993": "tcvn3",
    "vni": "vni",
}


def _label(charset: str | None) -> str | None:
    """A charset label in canonical form ('UTF8' → 'utf-8'); unknown labels lower-cased."""
    if not charset:
        return None
    return canonical_encoding(charset) or charset.strip().strip("\"'").lower()


def _summarise(
    art: Artifacts,
    per_page: Callable[[Page], Evidence | None],
    bad_status: Status,
    ok: tuple[str, str],
    bad: tuple[str, str],
) -> Outcome:
    """Run ``per_page`` on every page; offending pages give ``bad_status`` with one evidence
    each (up to :data:`MAX_PAGES`) and a count."""
    found = [ev for ev in (per_page(page) for page in art.pages) if ev is not None]
    total = len(art.pages)
    if not found:
        return Outcome(
            status="pass",
            evidence=(
                Evidence(
                    url=art.pages[0].url,
                    detail=t(ok[0].format(n=total), ok[1].format(n=total)),
                    found=f"{total}/{total}",
                ),
            ),
        )
    head = Evidence(
        detail=t(
            bad[0].format(n=len(found), total=total), bad[1].format(n=len(found), total=total)
        ),
        found=f"{len(found)}/{total}",
    )
    return Outcome(status=bad_status, evidence=(head, *found[:MAX_PAGES]))


# --- utf8_declared ------------------------------------------------------------------------------


def _declared_problem(page: Page) -> Evidence | None:
    snap = page.snapshot
    http, meta = _label(snap.declared_encoding), _label(snap.meta_encoding)
    found = f"HTTP: {snap.declared_encoding or '—'}; <meta>: {snap.meta_encoding or '—'}"
    bom = bom_encoding(snap.body)
    if bom == "utf-8":  # the strongest declaration: it overrides the header and <meta>
        return None
    if bom is not None:
        return Evidence(
            url=page.url,
            detail=t(
                f"Trang bắt đầu bằng dấu BOM {bom}, không phải UTF-8.",
                f"The page starts with a {bom} byte-order mark, not UTF-8.",
            ),
            expected="utf-8",
            found=f"BOM: {bom}; {found}",
        )
    if http is None and meta is None:
        detail = t(
            "Trang không khai báo bảng mã (cả HTTP lẫn thẻ meta).",
            "The page declares no charset (neither HTTP nor meta).",
        )
    elif http is not None and meta is not None and http != meta:
        detail = t(
            f"Khai báo bảng mã không thống nhất: HTTP {http}, thẻ meta {meta}.",
            f"The charset declarations disagree: HTTP {http}, meta {meta}.",
        )
    elif (http or meta) != "utf-8":
        detail = t(
            f"Trang khai báo bảng mã {http or meta}, không phải UTF-8.",
            f"The page declares {http or meta}, not UTF-8.",
        )
    else:
        return None
    return Evidence(url=page.url, detail=detail, expected="utf-8", found=found)


@check("utf8_declared", requires=("pages",))
def utf8_declared(art: Artifacts, p: NoParams) -> Outcome:
    """Every page declares UTF-8 (a UTF-8 byte-order mark, or an HTTP charset and a
    ``<meta charset>`` in the first 1,024 bytes that agree)."""
    return _summarise(
        art,
        _declared_problem,
        "fail",
        ("Cả {n} trang khai báo UTF-8.", "All {n} pages declare UTF-8."),
        (
            "{n}/{total} trang không khai báo UTF-8 thống nhất.",
            "{n} of {total} pages do not consistently declare UTF-8.",
        ),
    )


# --- utf8_decodes ----------------------------------------------------------------------------


def _decode_problem(page: Page) -> Evidence | None:
    snap = page.snapshot
    offset = page.invalid_utf8_at
    if offset is None:
        return None
    bad = snap.body[offset : offset + 4].hex(" ").upper()
    around = snap.body[max(0, offset - 30) : offset + 30]
    encoding = snap.detected_encoding or "latin-1"
    try:
        snippet = around.decode(encoding, errors="replace")
    except LookupError:
        snippet = around.decode("latin-1")
    return Evidence(
        url=page.url,
        detail=t(
            f"Nội dung không phải UTF-8 hợp lệ: byte sai đầu tiên ở vị trí {offset}.",
            f"The content is not valid UTF-8: first invalid byte at offset {offset}.",
        ),
        expected="UTF-8",
        found=f"byte {offset}: {bad}"
        + (f" ({snap.detected_encoding})" if snap.detected_encoding else ""),
        snippet=collapse(snippet),
    )


@check("utf8_decodes", requires=("pages",))
def utf8_decodes(art: Artifacts, p: NoParams) -> Outcome:
    """Every page body decodes strictly as UTF-8."""
    return _summarise(
        art,
        _decode_problem,
        "fail",
        ("Cả {n} trang là UTF-8 hợp lệ.", "All {n} pages are valid UTF-8."),
        ("{n}/{total} trang không phải UTF-8 hợp lệ.", "{n} of {total} pages are not valid UTF-8."),
    )


# --- no_legacy_fonts -------------------------------------------------------------------------


@read_once
def _font_problem(page: Page) -> Evidence | None:
    fonts: list[str] = []
    snippets: list[str] = []
    tree = page.tree
    for node in tree.css("style"):
        for font, decl in legacy_fonts_in_css(node.text()):
            fonts.append(font)
            snippets.append(f"<style> {decl}")
    for node in tree.css("[style]"):
        for font, decl in legacy_fonts_in_css(node.attributes.get("style") or ""):
            fonts.append(font)
            snippets.append(f'<{node.tag} style="{decl}">')
    for node in tree.css("font[face], basefont[face], [font-family]"):
        value = node.attributes.get("face") or node.attributes.get("font-family") or ""
        for font in legacy_fonts_in_face(value):
            fonts.append(font)
            attr = "face" if node.attributes.get("face") else "font-family"
            snippets.append(f'<{node.tag} {attr}="{value}">')
    if not fonts:
        return None
    unique = list(dict.fromkeys(fonts))
    return Evidence(
        url=page.url,
        detail=t(
            f"Trang dùng phông chữ bảng mã cũ: {', '.join(unique)}.",
            f"The page uses legacy-encoding fonts: {', '.join(unique)}.",
        ),
        expected="phông Unicode / Unicode fonts",
        found=", ".join(unique),
        snippet=" | ".join(dict.fromkeys(snippets))[:500],
    )


@check("no_legacy_fonts", requires=("pages",), reads=(of_page(_font_problem),))
def no_legacy_fonts(art: Artifacts, p: NoParams) -> Outcome:
    """No TCVN3/ABC (``.VnTime``…), VNI (``VNI-Times``…) or VPS fonts in ``<style>``, inline
    ``style`` or ``<font face>`` (linked stylesheets are not among the fetched pages)."""
    return _summarise(
        art,
        _font_problem,
        "fail",
        (
            "Không trang nào trong {n} trang dùng phông bảng mã cũ.",
            "None of {n} pages uses legacy fonts.",
        ),
        ("{n}/{total} trang dùng phông bảng mã cũ.", "{n} of {total} pages use legacy fonts."),
    )


# --- no_legacy_bytes -------------------------------------------------------------------------


class LegacyParams(Params):
    """How many legacy-encoded words make a failure (fewer make a warning)."""

    min_words: int = Field(default=3, ge=1)


def _unicode_text(page: Page) -> str:
    """The page's title and text as Unicode: as decoded by the crawler, unless the bytes are
    valid UTF-8 that the crawler decoded otherwise (then as UTF-8)."""
    snap = page.snapshot
    detected = _label(snap.detected_encoding)
    if detected in (None, "utf-8") or page.invalid_utf8_at is not None:
        return f"{page.title} {page.text}"
    tree = parse_html(snap.body.decode("utf-8", errors="replace"))
    for node in tree.css("script, style, noscript, template"):
        node.decompose()
    title = tree.css_first("title")
    body = tree.body
    head = title.text() if title is not None else ""
    return collapse(head + " " + (body.text(separator=" ") if body is not None else ""))


def _unicode_words(page: Page) -> Mapping[str, int]:
    """The distinct words of :func:`_unicode_text` with non-ASCII characters, with their
    counts (the page's own, counted once per page, unless the text had to be decoded again)."""
    snap = page.snapshot
    detected = _label(snap.detected_encoding)
    if detected in (None, "utf-8") or page.invalid_utf8_at is not None:
        return page.words
    return non_ascii_word_counts(_unicode_text(page))


def _legacy_evidence(page: Page, scan: LegacyScan, stored: bool) -> Evidence:
    name = scan.encoding or ""
    vi_label, en_label = LABELS.get(name, (name, name))
    if stored:
        detail = t(
            f"Nội dung trang được lưu theo bảng mã cũ {vi_label}, không phải Unicode.",
            f"The page is stored in the legacy encoding {en_label}, not Unicode.",
        )
        found = vi_label + (f": {scan.count} từ tiếng Việt" if scan.count else "")
    else:
        detail = t(
            f"{scan.count} từ là chữ Việt mã {vi_label} hiển thị sai trong trang Unicode.",
            f"{scan.count} words are Vietnamese in {en_label} shown garbled in a Unicode page.",
        )
        found = f"{vi_label}: {scan.count}/{scan.examined} từ"
    snippet = ", ".join(w.reads for w in scan.samples[:8]) if stored else scan.sample_text()
    return Evidence(
        url=page.url,
        detail=detail,
        expected="Unicode (TCVN 6909:2001), UTF-8",
        found=found,
        snippet=snippet or None,
    )


@read_once
def _legacy_in_page(page: Page) -> tuple[LegacyScan, bool] | None:
    """The legacy encoding found on ``page`` and whether its bytes are stored in it."""
    snap = page.snapshot
    if page.invalid_utf8_at is not None:
        guess = guess_legacy_encoding(snap.body)
        detected = _LEGACY_LABELS.get(_label(snap.detected_encoding) or "")
        if detected is not None:
            if guess.encoding != detected:
                guess = LegacyScan(encoding=detected, count=0, examined=guess.examined)
            return guess, True
        if guess.encoding is not None and guess.count >= 3:
            return guess, True
    scan = scan_text(_unicode_words(page))
    if scan.encoding is not None:
        return scan, False
    return None


@check(
    "no_legacy_bytes", params=LegacyParams, requires=("pages",), reads=(of_page(_legacy_in_page),)
)
def no_legacy_bytes(art: Artifacts, p: LegacyParams) -> Outcome:
    """No Vietnamese text in TCVN3, VNI, VISCII or windows-1258: neither as the page's bytes
    nor as legacy text shown through windows-1252 characters inside a Unicode page."""
    failing: list[Evidence] = []
    warning: list[Evidence] = []
    for page in art.pages:
        found = _legacy_in_page(page)
        if found is None:
            continue
        scan, stored = found
        evidence = _legacy_evidence(page, scan, stored)
        (failing if stored or scan.count >= p.min_words else warning).append(evidence)
    total = len(art.pages)
    if not failing and not warning:
        return Outcome(
            status="pass",
            evidence=(
                Evidence(
                    url=art.pages[0].url,
                    detail=t(
                        f"Không thấy văn bản mã cũ trên {total} trang.",
                        f"No legacy-encoded text on {total} pages.",
                    ),
                    found=f"0/{total}",
                ),
            ),
        )
    bad = len(failing) + len(warning)
    head = Evidence(
        detail=t(
            f"{bad}/{total} trang có văn bản tiếng Việt mã cũ.",
            f"{bad} of {total} pages hold Vietnamese text in a legacy encoding.",
        ),
        found=f"{bad}/{total}",
    )
    status: Status = "fail" if failing else "warn"
    return Outcome(status=status, evidence=(head, *(failing + warning)[:MAX_PAGES]))


# --- nfc_text --------------------------------------------------------------------------------


def decomposed_share(text: str | Mapping[str, int]) -> tuple[int, int]:
    """Words of ``text`` (or of its :func:`word_counts`) not in NFC, and words with non-ASCII
    characters."""
    if isinstance(text, str) and text.isascii():
        return 0, 0
    counts = word_counts(text) if isinstance(text, str) else text
    words = sum(n for word, n in counts.items() if not word.isascii())
    if unicodedata.is_normalized("NFC", " ".join(counts)):
        # a space is a starter that composes with nothing: the words joined by spaces are
        # in NFC exactly when each of them is
        return 0, words
    affected = 0
    for word, n in counts.items():  # each distinct word judged once (ASCII words are NFC)
        if not unicodedata.is_normalized("NFC", word):
            affected += n
    return affected, words


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "0%"


def _words(page: Page) -> Mapping[str, int]:
    return page.words


@check("nfc_text", requires=("pages",), reads=(of_page(_words),))
def nfc_text(art: Artifacts, p: NoParams) -> Outcome:
    """Vietnamese text is precomposed (NFC); decomposed (NFD) words are a warning, with their
    share of the words that carry diacritics."""
    evidence: list[Evidence] = []
    affected_total = words_total = 0
    for page in art.pages:
        affected, words = decomposed_share(page.words)
        affected_total += affected
        words_total += words
        if not affected:
            continue
        text = f"{page.title} {page.text}"  # the words' order of appearance, for a sample
        sample = next(w for w in words_of(text) if not unicodedata.is_normalized("NFC", w))
        codes = " ".join(f"U+{ord(c):04X}" for c in sample)
        evidence.append(
            Evidence(
                url=page.url,
                detail=t(
                    f"{affected}/{words} từ có dấu ở dạng tổ hợp (NFD).",
                    f"{affected} of {words} words with diacritics are decomposed (NFD).",
                ),
                expected="NFC",
                found=f"{affected}/{words} ({_percent(affected, words)})",
                snippet=f"{sample} = {codes}",
            )
        )
    total = len(art.pages)
    share = f"{affected_total}/{words_total} ({_percent(affected_total, words_total)})"
    if not evidence:
        return Outcome(
            status="pass",
            evidence=(
                Evidence(
                    url=art.pages[0].url,
                    detail=t(
                        f"Chữ Việt trên {total} trang ở dạng dựng sẵn (NFC).",
                        f"Vietnamese text on {total} pages is precomposed (NFC).",
                    ),
                    expected="NFC",
                    found=share,
                ),
            ),
        )
    head = Evidence(
        detail=t(
            f"{len(evidence)}/{total} trang có chữ Việt dạng tổ hợp (NFD); "
            f"tỷ lệ từ bị ảnh hưởng {share}.",
            f"{len(evidence)} of {total} pages hold decomposed (NFD) text; "
            f"share of affected words {share}.",
        ),
        expected="NFC",
        found=share,
    )
    return Outcome(status="warn", evidence=(head, *evidence[:MAX_PAGES]))


# --- documents_unicode -----------------------------------------------------------------------


def _document_evidence(probe: FileProbe, found: DocumentFonts) -> Evidence:
    fonts = ", ".join(found.legacy_fonts)
    scan = found.legacy_text
    words = scan is not None and scan.encoding is not None
    if fonts:
        vi = f"Tệp văn bản dùng phông chữ bảng mã cũ: {fonts}."
        en = f"The document file uses legacy-encoding fonts: {fonts}."
    else:
        vi = "Tệp văn bản chứa chữ Việt mã cũ (không phải Unicode)."
        en = "The document file holds Vietnamese in a legacy encoding (not Unicode)."
    if words and scan is not None:
        label_vi, label_en = LABELS.get(scan.encoding or "", (scan.encoding, scan.encoding))
        vi += f" {scan.count} từ là chữ {label_vi}."
        en += f" {scan.count} words are {label_en}."
    return Evidence(
        url=probe.url,
        detail=t(vi, en),
        expected="phông Unicode / Unicode fonts (TCVN 6909:2001)",
        found=fonts or (f"{scan.encoding}: {scan.count}" if scan is not None else None),
        snippet=(scan.sample_text() if words and scan is not None else None),
    )


@check("documents_unicode", requires=("home", "doc_files"))
def documents_unicode(art: Artifacts, p: NoParams) -> Outcome:
    """The legal-document files the documents listing links (PDF, .docx, .doc; the one or two
    the gatherer fetched) use Unicode: no TCVN3/VNI/VPS font in a PDF's fonts or a .docx's
    styles and runs (or a .doc's font table), no legacy-encoded words in a .docx's text."""
    files = [f for f in art.doc_files if f.status == 200 and document_kind(f.body or f.magic)]
    if not art.doc_files and find_listing(art, "legal_documents") is None:
        unseen = [  # the listing is linked but its page was not seen: files may well be there
            (link, snap)
            for link in listing_candidates(art, "legal_documents")[:LISTING_CANDIDATES]
            if (snap := art.failed_fetch(link.url)) is not None and snap in art.unseen
        ]
        if unseen:
            return Outcome(
                status="error",
                evidence=tuple(
                    Evidence(
                        url=link.url,
                        detail=t(
                            f"Không xem được danh mục văn bản «{link.text}» để tìm tệp.",
                            f"The documents listing «{link.text}» could not be seen to find files.",
                        ),
                        found=snap.why_not_seen,
                    )
                    for link, snap in unseen
                ),
            )
    if not art.doc_files:
        return Outcome(
            status="not_applicable",
            evidence=(
                Evidence(
                    url=art.start_url,
                    detail=t(
                        "Không tìm thấy tệp văn bản nào được liên kết để kiểm tra phông chữ.",
                        "No linked document file was found to check its fonts.",
                    ),
                ),
            ),
        )
    bad: list[Evidence] = []
    good: list[str] = []
    unread: list[Evidence] = []
    for probe in art.doc_files:
        found = read_document(probe.body, probe.truncated) if probe in files else None
        if found is None or found.error is not None:
            cause = (
                (found.error if found is not None else None)
                or probe.error
                or (f"HTTP {probe.status}, {probe.content_type or '?'}")
            )
            unread.append(
                Evidence(
                    url=probe.url,
                    detail=t(
                        f"Không đọc được phông chữ của tệp ({cause}).",
                        f"The file's fonts could not be read ({cause}).",
                    ),
                    found=cause,
                )
            )
        elif found.legacy:
            bad.append(_document_evidence(probe, found))
        else:
            good.append(f"{probe.url}: {', '.join(found.fonts) or '—'}")
    if bad:
        return Outcome(status="fail", evidence=(*bad, *unread))
    if unread:
        return Outcome(status="error", evidence=tuple(unread))
    return Outcome(
        status="pass",
        evidence=(
            Evidence(
                url=art.doc_files[0].listing_url,
                detail=t(
                    f"{len(good)} tệp văn bản dùng phông Unicode.",
                    f"{len(good)} document files use Unicode fonts.",
                ),
                found="; ".join(good)[:500],
            ),
        ),
    )
