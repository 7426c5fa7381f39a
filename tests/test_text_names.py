"""Agency names → domain labels, on the examples of QĐ 07/2019/QĐ-UBND Sóc Trăng Điều 5 k1."""

from __future__ import annotations

import pytest

from auditor.models import Level
from auditor.text.names import (
    expected_labels,
    initials,
    is_abbreviation,
    is_plausible_label,
    named_labels,
    slug,
    strip_level_words,
)


@pytest.mark.parametrize(
    ("name", "level", "core"),
    [
        ("Ủy ban nhân dân tỉnh Sóc Trăng", "province", "Sóc Trăng"),
        ("UBND huyện Kế Sách", "district", "Kế Sách"),
        ("Huyện Long Phú", "district", "Long Phú"),
        ("Thị xã Vĩnh Châu", "district", "Vĩnh Châu"),
        ("Thành phố Sóc Trăng", "district", "Sóc Trăng"),
        ("Xã Nhơn Mỹ, huyện Kế Sách", "commune", "Nhơn Mỹ"),
        ("Thị trấn Lịch Hội Thượng", "commune", "Lịch Hội Thượng"),
        ("Đặc khu Côn Đảo", "commune", "Côn Đảo"),
        # a numbered ward keeps its unit word: the regulation's label is phuong2
        ("Phường 2, TP Sóc Trăng", "commune", "Phường 2"),
        # "Sở" is part of a department's label; only the trailing province goes
        (
            "Sở Thông tin và Truyền thông tỉnh Sóc Trăng",
            "department",
            "Sở Thông tin và Truyền thông",
        ),
        ("Phòng Văn hóa – Thông tin huyện Kế Sách", "unit", "Phòng Văn hóa – Thông tin"),
        (
            "Trung tâm Công nghệ thông tin thuộc Sở Thông tin và Truyền thông",
            "unit",
            "Trung tâm Công nghệ thông tin",
        ),
        # lower-case words that only look like unit words stay
        (
            "Sở Lao động - Thương binh và Xã hội",
            "department",
            "Sở Lao động - Thương binh và Xã hội",
        ),
    ],
)
def test_strip_level_words(name: str, level: Level, core: str) -> None:
    assert strip_level_words(name, level) == core


def test_strip_level_words_without_level_strips_administrative_words() -> None:
    assert strip_level_words("Ủy ban nhân dân huyện Kế Sách") == "Kế Sách"
    assert strip_level_words("Uỷ ban nhân dân xã Nhơn Mỹ") == "Nhơn Mỹ"
    assert strip_level_words("Quận 1") == "Quận 1"


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Phường 2", "phuong2"),
        ("Huyện Kế Sách", "huyenkesach"),
        ("Kế Sách", "kesach"),
        ("Long Phú", "longphu"),
        ("Đặc khu Côn Đảo", "dackhucondao"),
        ("Nhơn Mỹ", "nhonmy"),
        ("Sóc Trăng", "soctrang"),
        ("Văn hóa – Thông tin (2025)", "vanhoathongtin2025"),
    ],
)
def test_slug(name: str, label: str) -> None:
    assert slug(name) == label


@pytest.mark.parametrize(
    ("name", "label"),
    [
        # the regulation's own examples (Điều 5 k1 b, đ)
        ("Sở Thông tin và Truyền thông", "sotttt"),
        ("Sở Kế hoạch và Đầu tư", "sokhdt"),
        ("Sở Nông nghiệp và Phát triển nông thôn", "sonnptnt"),
        ("Chi cục Thú y", "chicucty"),
        ("Phòng Văn hóa – Thông tin", "phongvhtt"),
        ("Phòng Văn hóa và Thông tin", "phongvhtt"),
        ("Đài Truyền thanh", "daitt"),
        # abbreviations in capitals stay whole
        ("Văn phòng UBND", "vpubnd"),
        ("Sở TT&TT", "sotttt"),
    ],
)
def test_initials(name: str, label: str) -> None:
    assert initials(name) == label


@pytest.mark.parametrize(
    ("name", "level", "first"),
    [
        ("Ủy ban nhân dân tỉnh Sóc Trăng", "province", "soctrang"),
        ("Sở Thông tin và Truyền thông", "department", "sotttt"),
        ("Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng", "department", "sokhdt"),
        ("Sở Nông nghiệp và Phát triển nông thôn", "department", "sonnptnt"),
        ("Huyện Kế Sách", "district", "kesach"),
        ("Huyện Long Phú", "district", "longphu"),
        ("Xã Nhơn Mỹ", "commune", "nhonmy"),
        ("Phường 2", "commune", "phuong2"),
        ("Chi cục Thú y", "unit", "chicucty"),
        ("Phòng Văn hóa và Thông tin huyện Kế Sách", "unit", "phongvhtt"),
        ("Đài Truyền thanh huyện Long Phú", "unit", "daitt"),
    ],
)
def test_expected_labels_first_form(name: str, level: Level, first: str) -> None:
    labels = expected_labels(name, level)
    assert labels[0] == first
    assert len(labels) == len(set(labels))


def test_expected_labels_unit_and_other_offer_alternatives() -> None:
    assert expected_labels("Chi cục Thú y", "unit") == ("chicucty", "chicucthuy")
    assert expected_labels("Báo Sóc Trăng", "other") == ("baosoctrang", "bst")
    # the city named like the province: the generic rule gives the clash the regulation avoids
    assert expected_labels("Thành phố Sóc Trăng", "district") == ("soctrang",)


@pytest.mark.parametrize(
    ("label", "name", "plausible"),
    [
        ("stttt", "Sở Thông tin và Truyền thông", True),
        ("tttt", "Sở Thông tin và Truyền thông", True),
        ("sothongtinvatruyenthong", "Sở Thông tin và Truyền thông", True),
        ("ict", "Sở Thông tin và Truyền thông", False),
        ("thongtin", "Sở Thông tin và Truyền thông", False),
        ("huyenkesach", "Huyện Kế Sách", True),
        ("ks", "Huyện Kế Sách", True),
        ("longphu", "Huyện Kế Sách", False),
        ("xanhonmy", "Xã Nhơn Mỹ", True),
        ("nhonmi", "Xã Nhơn Mỹ", True),  # one letter wrong
        ("abc", "Xã Nhơn Mỹ", False),
        ("n", "Xã Nhơn Mỹ", False),
        ("nhơnmỹ", "Xã Nhơn Mỹ", False),  # not ASCII: never a valid label
    ],
)
def test_is_plausible_label(label: str, name: str, plausible: bool) -> None:
    assert is_plausible_label(label, name) is plausible


@pytest.mark.parametrize(
    ("label", "name", "ok"),
    [
        # Quảng Ninh QĐ 05/2023 Điều 4 k1's own examples
        ("sttvtt", "Sở Thông tin và Truyền thông", True),
        ("ttt", "Thanh tra Tỉnh", True),
        ("tt", "Thanh tra tỉnh", True),
        ("tttt", "Sở Thông tin và Truyền thông", True),  # the kind word may go
        ("snv", "Sở Nội vụ", True),
        ("sotnmt", "Sở Tài nguyên và Môi trường", True),
        ("stt", "Sở Thông tin và Truyền thông", False),  # leaves Truyền thông out
        ("thongtin", "Sở Thông tin và Truyền thông", False),
        ("ipa", "Ban Xúc tiến và Hỗ trợ đầu tư", False),  # English: not an abbreviation
        ("s", "Sở Nội vụ", False),
        ("snv-1", "Sở Nội vụ", False),
    ],
)
def test_is_abbreviation(label: str, name: str, ok: bool) -> None:
    assert is_abbreviation(label, name, "department") is ok


def test_named_labels_offer_the_full_name_and_the_bare_initials() -> None:
    assert named_labels("Sở Thông tin và Truyền thông", "department") == (
        "sotttt",
        "sothongtinvatruyenthong",
        "thongtinvatruyenthong",
        "tttt",
    )
    assert named_labels("Chuyên trang về Du lịch", "thematic")[0] == "dulich"


def test_thematic_site_words_are_level_words() -> None:
    assert strip_level_words("Chuyên trang về Du lịch", "thematic") == "Du lịch"
    assert strip_level_words("Trang thông tin điện tử Văn hóa", "other") == "Văn hóa"
    # not for a department, and not for a name that is only the site words
    assert strip_level_words("Chuyên trang", "thematic") == "Chuyên trang"
    # "travel" spells trang-về-lịch of the whole name, but nothing of the site's own name
    assert is_plausible_label("travel", "Chuyên trang về Du lịch")
    assert not is_plausible_label("travel", "Chuyên trang về Du lịch", "thematic")
    assert is_plausible_label("dlich", "Chuyên trang về Du lịch", "thematic")
