"""Folding: the fast table-driven :func:`fold` equals its definition :func:`fold_slow`."""

from __future__ import annotations

import unicodedata

import pytest

from auditor.text.fold import fold, fold_slow, fold_words

SENTENCES = [
    "Thủ tục Hành chính – Đà Lạt",
    "ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG",
    "Cổng thông tin điện tử huyện Kế Sách: Ngày 22 tháng 11 năm 2026",
    "Ångström ﬁ ǅ Ǆ İstanbul ΆΈΉ Йод ѐ 中文 版",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_fold_matches_definition_on_sentences(text: str) -> None:
    for form in ("NFC", "NFD"):
        variant = unicodedata.normalize(form, text)
        assert fold(variant) == fold_slow(variant)
        assert fold(variant * 40) == fold_slow(variant * 40)  # the uncached path


def test_fold_matches_definition_on_every_covered_code_point() -> None:
    chars = [chr(c) for c in range(0x20, 0x2500)] + [chr(c) for c in range(0xFE20, 0xFE30)]
    for char in chars:
        assert fold("a" + char + "b") == fold_slow("a" + char + "b"), hex(ord(char))


def test_vietnamese_examples() -> None:
    assert fold("Đắk Lắk") == "dak lak"
    assert fold_words("Sở Thông tin & Truyền thông") == "so thong tin truyen thong"
    assert fold(unicodedata.normalize("NFD", "Nhơn Mỹ")) == "nhon my"
