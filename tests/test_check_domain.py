"""``domain_name`` against QĐ 07/2019/QĐ-UBND Sóc Trăng Điều 5 khoản 1."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from pydantic import ValidationError

from auditor.checks import domain
from auditor.checks.domain import DomainParams, domain_name, split_host
from auditor.models import Agency, Level, Outcome, Registry
from auditor.paths import fixtures_dir
from auditor.registry import load_registry
from tests.factories import art

P = DomainParams(zone="soctrang.gov.vn", scheme="soctrang-2019")
DEMO = load_registry(fixtures_dir() / "demo" / "registry.yaml")
BUNDLED = load_registry(
    Path(__file__).resolve().parent.parent / "auditor/data/rules/registries/soctrang.yaml"
)

# fixtures/demo/EXPECTED.md, column "Đ5 k1 domain"
DEMO_VERDICTS = {
    "soctrang.gov.vn": "pass",
    "sotttt.soctrang.gov.vn": "pass",
    "ict.sotttt.soctrang.gov.vn": "pass",
    "sokhdt.soctrang.gov.vn": "pass",
    "sonnptnt.soctrang.gov.vn": "pass",
    "thanhpho.soctrang.gov.vn": "pass",
    "kesach.soctrang.gov.vn": "pass",
    "longphu.soctrang.gov.vn": "pass",
    "nhonmy.soctrang.gov.vn": "fail",
    "phuong2.thanhpho.soctrang.gov.vn": "pass",
}


def judge(
    name: str,
    level: Level,
    host: str,
    parent: str | None = None,
    registry: Registry | None = None,
    guessed: tuple[str, ...] = (),
) -> Outcome:
    agency = Agency.model_validate(
        {"name": name, "level": level, "domain": host, "parent": parent, "guessed": guessed}
    )
    return domain_name(art(agency=agency, registry=registry), P)


def details(out: Outcome) -> str:
    return " ".join(e.detail.en for e in out.evidence)


@pytest.mark.parametrize("host", sorted(DEMO_VERDICTS))
def test_demo_registry_verdicts(host: str) -> None:
    agency = DEMO.by_domain(host)
    assert agency is not None
    out = domain_name(art(agency=agency, registry=DEMO), P)
    assert out.status == DEMO_VERDICTS[host]
    assert out.evidence[0].found == host
    if out.status == "pass":
        assert out.evidence[0].expected == host


def test_demo_commune_at_fourth_level_fails_with_expected_host() -> None:
    agency = DEMO.by_domain("nhonmy.soctrang.gov.vn")
    assert agency is not None
    out = domain_name(art(agency=agency, registry=DEMO), P)
    assert out.status == "fail"
    ev = out.evidence[0]
    assert ev.expected == "nhonmy.kesach.soctrang.gov.vn"
    assert ev.found == "nhonmy.soctrang.gov.vn"
    assert "kesach.soctrang.gov.vn" in ev.detail.en and "kesach.soctrang.gov.vn" in ev.detail.vi


@pytest.mark.parametrize("agency", BUNDLED.agencies, ids=lambda a: a.domain)
def test_the_regulations_own_examples_pass(agency: Agency) -> None:
    out = domain_name(art(agency=agency, registry=BUNDLED), P)
    assert out.status == "pass", details(out)


def test_the_city_named_like_the_province_is_thanhpho() -> None:
    assert judge("Thành phố Sóc Trăng", "district", "thanhpho.soctrang.gov.vn").status == "pass"
    out = judge("Thành phố Sóc Trăng", "district", "soctrang.soctrang.gov.vn")
    assert out.status == "warn"
    assert out.evidence[0].expected == "thanhpho.soctrang.gov.vn"


def test_province_portal_is_the_zone() -> None:
    ok = judge("Ủy ban nhân dân tỉnh Sóc Trăng", "province", "www.soctrang.gov.vn")
    assert ok.status == "pass"
    bad = judge("Ủy ban nhân dân tỉnh Sóc Trăng", "province", "congthongtin.soctrang.gov.vn")
    assert bad.status == "fail"
    assert bad.evidence[0].expected == "soctrang.gov.vn"
    assert bad.evidence[0].found == "congthongtin.soctrang.gov.vn"


def test_wrong_zone_fails_and_names_the_public_suffix() -> None:
    out = judge("Sở Thông tin và Truyền thông", "department", "sotttt.soctrang.vn")
    assert out.status == "fail"
    assert out.evidence[0].expected == "sotttt.soctrang.gov.vn"
    assert "not under soctrang.gov.vn" in details(out)
    assert "public suffix: soctrang.vn" in details(out)  # a VNNIC provincial suffix


def test_department_at_wrong_depth_fails() -> None:
    out = judge("Sở Kế hoạch và Đầu tư", "department", "sokhdt.ubnd.soctrang.gov.vn")
    assert out.status == "fail"
    assert out.evidence[0].expected == "sokhdt.soctrang.gov.vn"
    assert "level 5" in details(out)


def test_accented_and_punycode_labels_fail() -> None:
    accented = judge("Huyện Kế Sách", "district", "kếsách.soctrang.gov.vn")
    assert accented.status == "fail"
    assert "kếsách" in accented.evidence[0].detail.en
    assert len([e for e in accented.evidence if "does not match" in e.detail.en]) == 0
    puny = "kếsách".encode("idna").decode("ascii")
    out = judge("Huyện Kế Sách", "district", f"{puny}.soctrang.gov.vn")
    assert out.status == "fail"
    assert f"{puny} (kếsách)" in out.evidence[0].detail.vi
    assert out.evidence[0].expected == "kesach.soctrang.gov.vn"


def test_initials_of_every_word_are_what_point_b_asks() -> None:
    # Đ5 k1 b: "tên cơ quan viết tắt các chữ cái đầu": stttt is the initials of the name
    for host in ("stttt.soctrang.gov.vn", "sttvtt.soctrang.gov.vn"):
        out = judge("Sở Thông tin và Truyền thông", "department", host)
        assert out.status == "pass", details(out)
        assert out.evidence[0].found == host


def test_plausible_spelling_warns_with_expected_forms() -> None:
    out = judge("Sở Thông tin và Truyền thông", "department", "sothongtin.soctrang.gov.vn")
    assert out.status == "warn"
    assert out.evidence[0].expected == "sotttt.soctrang.gov.vn"
    assert out.evidence[0].found == "sothongtin.soctrang.gov.vn"
    assert "sotttt" in out.evidence[0].detail.vi
    # point b has no "unless agreed with the Department of ICT" exception: none is quoted
    assert "unless" not in out.evidence[0].detail.en
    assert "thống nhất" not in out.evidence[0].detail.vi
    assert "QĐ 07/2019/QĐ-UBND Art. 5(1)" in out.evidence[0].detail.en
    assert "QĐ 07/2019/QĐ-UBND Điều 5 khoản 1" in out.evidence[0].detail.vi
    district = judge("Huyện Kế Sách", "district", "huyenkesach.soctrang.gov.vn")
    assert district.status == "warn"
    assert district.evidence[0].expected == "kesach.soctrang.gov.vn"


def test_unrelated_label_fails() -> None:
    out = judge("Sở Thông tin và Truyền thông", "department", "ict.soctrang.gov.vn")
    assert out.status == "fail"
    assert out.evidence[0].expected == "sotttt.soctrang.gov.vn"
    assert "does not match" in out.evidence[0].detail.en


def test_commune_under_its_district_passes_and_elsewhere_fails() -> None:
    ok = judge("Xã Nhơn Mỹ", "commune", "nhonmy.kesach.soctrang.gov.vn", "kesach.soctrang.gov.vn")
    assert ok.status == "pass"
    bad = judge("Xã Nhơn Mỹ", "commune", "nhonmy.longphu.soctrang.gov.vn", "kesach.soctrang.gov.vn")
    assert bad.status == "fail"
    assert bad.evidence[0].expected == "nhonmy.kesach.soctrang.gov.vn"


def test_unknown_parent_is_not_judged() -> None:
    # 5th level, parent unknown: what can be judged passes, and the evidence says what was not
    out = judge("Xã Nhơn Mỹ", "commune", "nhonmy.kesach.soctrang.gov.vn")
    assert out.status == "pass"
    assert "was not checked" in details(out)
    # wrong depth is known even without the parent
    shallow = judge("Xã Nhơn Mỹ", "commune", "nhonmy.soctrang.gov.vn")
    assert shallow.status == "fail"
    assert "level 4" in details(shallow) and "was not checked" in details(shallow)


def test_unit_label_is_free_but_position_is_not() -> None:
    parent = "sotttt.soctrang.gov.vn"
    name = "Trung tâm Công nghệ thông tin và Truyền thông"
    assert judge(name, "unit", "ict.sotttt.soctrang.gov.vn", parent).status == "pass"
    out = judge(name, "unit", "ict.soctrang.gov.vn", parent)
    assert out.status == "fail"
    assert out.evidence[0].expected == "ict.sotttt.soctrang.gov.vn"


def test_parent_of_unexpected_level_is_a_note_not_a_failure() -> None:
    registry = Registry(
        province="Sóc Trăng",
        agencies=(Agency(name="Sở Nội vụ", level="department", domain="snv.soctrang.gov.vn"),),
    )
    out = judge(
        "Xã Nhơn Mỹ", "commune", "nhonmy.snv.soctrang.gov.vn", "snv.soctrang.gov.vn", registry
    )
    assert out.status == "pass"
    assert "level 'department'" in details(out)


def test_other_organisations_are_only_encouraged() -> None:
    out = judge("Báo Sóc Trăng", "other", "baosoctrang.vn")
    assert out.status == "warn"
    assert out.evidence[0].expected == "baosoctrang.soctrang.gov.vn"
    assert judge("Báo Sóc Trăng", "other", "baosoctrang.soctrang.gov.vn").status == "pass"
    assert judge("Du lịch Sóc Trăng", "thematic", "dulich.soctrang.gov.vn").status == "pass"


def test_guessed_facts_are_not_judged() -> None:
    level = judge(
        "sotttt.soctrang.gov.vn", "department", "sotttt.soctrang.gov.vn", guessed=("name", "level")
    )
    assert level.status == "manual"
    assert "guessed" in details(level)
    name = judge(
        "sotttt.soctrang.gov.vn", "department", "sotttt.soctrang.gov.vn", guessed=("name",)
    )
    assert name.status == "manual"
    assert "label was not checked" in details(name)
    # a domain outside the zone is wrong whatever the agency is
    outside = judge("x.vn", "department", "sotttt.soctrang.vn", guessed=("name", "level"))
    assert outside.status == "fail"


def test_params_are_validated() -> None:
    with pytest.raises(ValidationError):
        DomainParams(zone="soctrang.gov.vn", scheme="nowhere-2030")
    with pytest.raises(ValidationError):
        DomainParams(zone="not a host", scheme="soctrang-2019")
    params = DomainParams(zone="WWW.SocTrang.gov.vn.", scheme="soctrang-2019")
    assert params.zone == "soctrang.gov.vn"


def test_split_host_uses_the_bundled_suffix_list_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the suffix list was fetched")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    domain._suffixes.cache_clear()
    parts = split_host("ict.sotttt.soctrang.gov.vn")
    assert (parts.subdomain, parts.domain, parts.suffix) == ("ict.sotttt", "soctrang", "gov.vn")
    assert parts.registered == "soctrang.gov.vn" and parts.depth == 5
    assert split_host("www.soctrang.gov.vn").host == "soctrang.gov.vn"


@pytest.mark.parametrize(
    ("host", "parts"),
    [
        ("soctrang.gov.vn", ("", "soctrang", "gov.vn")),
        ("a.b.c.hanoi.gov.vn", ("a.b.c", "hanoi", "gov.vn")),
        ("abc.edu.vn", ("", "abc", "edu.vn")),
        ("gov.vn", ("", "", "gov.vn")),  # a suffix: no registered domain
        ("xn--vi8h.gov.vn", ("", "xn--vi8h", "gov.vn")),
        ("x.blogspot.com", ("x", "blogspot", "com")),  # private suffixes are not suffixes
        ("portal.staging.invalid", ("portal.staging", "invalid", "")),  # no known suffix
        ("localhost", ("", "localhost", "")),
        ("10.0.0.5", ("", "10.0.0.5", "")),  # an address is its own domain
        ("::1", ("", "::1", "")),
    ],
)
def test_split_host_at_the_icann_suffix(host: str, parts: tuple[str, str, str]) -> None:
    got = split_host(host)
    assert (got.subdomain, got.domain, got.suffix) == parts
    assert got.registered == (f"{parts[1]}.{parts[2]}" if parts[1] and parts[2] else "")


# --- Lâm Đồng (QĐ 2111/2025 Đ4 k2), Tuyên Quang (draft 2026 Đ2 k2), Quảng Ninh (QĐ 05/2023 Đ4) ---

LD = DomainParams(zone="lamdong.gov.vn", scheme="lamdong-2025")
TQ = DomainParams(zone="tuyenquang.gov.vn", scheme="tuyenquang-2026")
QN = DomainParams(zone="quangninh.gov.vn", scheme="quangninh-2023")


def judge_in(
    params: DomainParams, name: str, level: Level, host: str, parent: str | None = None
) -> Outcome:
    agency = Agency.model_validate({"name": name, "level": level, "domain": host, "parent": parent})
    return domain_name(art(agency=agency), params)


@pytest.mark.parametrize(
    ("params", "name", "level", "host", "parent"),
    [
        # Lâm Đồng Đ4 k2 a–c
        (LD, "Ủy ban nhân dân tỉnh Lâm Đồng", "province", "lamdong.gov.vn", None),
        (LD, "Sở Nội vụ", "department", "snv.lamdong.gov.vn", None),
        (LD, "Sở Nội vụ", "department", "sonoivu.lamdong.gov.vn", None),
        (LD, "Sở Tài chính", "department", "stc.lamdong.gov.vn", None),
        (LD, "Phường Xuân Hương - Đà Lạt", "commune", "xuanhuongdalat.lamdong.gov.vn", None),
        (LD, "Đặc khu Phú Quý", "commune", "phuquy.lamdong.gov.vn", None),
        (LD, "Xã Đam Rông 1", "commune", "damrong1.lamdong.gov.vn", None),
        # Tuyên Quang Đ2 k2: the provincial portal only
        (TQ, "Ủy ban nhân dân tỉnh Tuyên Quang", "province", "tuyenquang.gov.vn", None),
        # Quảng Ninh Điều 2 and Điều 4 k1–k4: the text's own examples
        (QN, "Ủy ban nhân dân tỉnh Quảng Ninh", "province", "www.quangninh.gov.vn", None),
        (QN, "Sở Thông tin và Truyền thông", "department", "sttvtt.quangninh.gov.vn", None),
        (QN, "Thanh tra Tỉnh", "department", "ttt.quangninh.gov.vn", None),
        (QN, "Ban Xúc tiến và Hỗ trợ đầu tư", "department", "ipa.quangninh.gov.vn", None),
        (QN, "Thành phố Cẩm Phả", "district", "campha.quangninh.gov.vn", None),
        (
            QN,
            "Phường Quang Trung",
            "commune",
            "quangtrung.uongbi.quangninh.gov.vn",
            "uongbi.quangninh.gov.vn",
        ),
        (QN, "Chuyên trang về Du lịch", "thematic", "dulich.quangninh.gov.vn", None),
    ],
)
def test_other_provinces_own_examples_pass(
    params: DomainParams, name: str, level: Level, host: str, parent: str | None
) -> None:
    out = judge_in(params, name, level, host, parent)
    assert out.status == "pass", details(out)
    assert out.evidence[0].found == normalise(host)
    assert out.evidence[0].expected == normalise(host)


def normalise(host: str) -> str:
    return host.removeprefix("www.")


def test_lamdong_commune_under_a_former_district_fails_at_depth_5() -> None:
    out = judge_in(
        LD,
        "Phường Xuân Hương - Đà Lạt",
        "commune",
        "xuanhuongdalat.dalat.lamdong.gov.vn",
        "dalat.lamdong.gov.vn",
    )
    assert out.status == "fail"
    assert out.evidence[0].expected == "xuanhuongdalat.lamdong.gov.vn"
    assert "level 5" in details(out) and "level 4" in details(out)


def test_lamdong_and_tuyenquang_wrong_zone_fails() -> None:
    out = judge_in(LD, "Sở Nội vụ", "department", "snv.tuyenquang.gov.vn")
    assert out.status == "fail"
    assert "not under lamdong.gov.vn" in details(out)
    assert out.evidence[0].expected == "snv.lamdong.gov.vn"
    province = judge_in(TQ, "Ủy ban nhân dân tỉnh Tuyên Quang", "province", "tuyenquang.vn")
    assert province.status == "fail"
    assert "tuyenquang.gov.vn" in (province.evidence[0].expected or "")


def test_post_2025_schemes_have_no_district_level() -> None:
    for params in (LD, TQ):
        out = judge_in(params, "Huyện Đức Trọng", "district", "ductrong.lamdong.gov.vn")
        assert out.status == "not_applicable"
        assert "no district level" in details(out)
        assert "không còn cấp huyện" in out.evidence[0].detail.vi


def test_lamdong_commune_label_spelling() -> None:
    near = judge_in(LD, "Phường Xuân Hương - Đà Lạt", "commune", "xuanhuong.lamdong.gov.vn")
    assert near.status == "warn"
    assert near.evidence[0].expected == "xuanhuongdalat.lamdong.gov.vn"
    assert "xuanhuongdalat" in near.evidence[0].detail.vi
    wrong = judge_in(LD, "Phường Xuân Hương - Đà Lạt", "commune", "langbiang.lamdong.gov.vn")
    assert wrong.status == "fail"
    assert "does not match" in details(wrong)


def test_department_label_partial_abbreviation_warns_and_other_words_need_a_human() -> None:
    # "stt" spells only part of Sở Thông tin và Truyền thông: a plausible spelling, a warning
    part = judge_in(QN, "Sở Thông tin và Truyền thông", "department", "stt.quangninh.gov.vn")
    assert part.status == "warn"
    assert "sotttt" in (part.evidence[0].detail.en)
    # an unrelated label may be an English name, which the text allows: a human judges it
    other = judge_in(LD, "Sở Nội vụ", "department", "home-affairs.lamdong.gov.vn")
    assert other.status == "manual"
    assert "English name" in details(other)
    assert other.evidence[0].expected == "sonv.lamdong.gov.vn"


def test_quangninh_wrong_depth_zone_and_parent_fail() -> None:
    deep = judge_in(
        QN, "Sở Thông tin và Truyền thông", "department", "sttvtt.ubnd.quangninh.gov.vn"
    )
    assert deep.status == "fail" and "level 5" in details(deep)
    assert deep.evidence[0].expected == "sttvtt.quangninh.gov.vn"
    zone = judge_in(QN, "Thành phố Cẩm Phả", "district", "campha.gov.vn")
    assert zone.status == "fail" and "not under quangninh.gov.vn" in details(zone)
    # a commune at the 4th level, not under its district
    flat = judge_in(
        QN,
        "Phường Quang Trung",
        "commune",
        "quangtrung.quangninh.gov.vn",
        "uongbi.quangninh.gov.vn",
    )
    assert flat.status == "fail"
    assert flat.evidence[0].expected == "quangtrung.uongbi.quangninh.gov.vn"
    elsewhere = judge_in(
        QN,
        "Phường Quang Trung",
        "commune",
        "quangtrung.campha.quangninh.gov.vn",
        "uongbi.quangninh.gov.vn",
    )
    assert elsewhere.status == "fail"
    assert "not directly under its parent's domain uongbi.quangninh.gov.vn" in details(elsewhere)
    portal = judge_in(
        QN, "Ủy ban nhân dân tỉnh Quảng Ninh", "province", "congthongtin.quangninh.gov.vn"
    )
    assert portal.status == "fail" and portal.evidence[0].expected == "quangninh.gov.vn"


def test_quangninh_district_and_thematic_labels() -> None:
    near = judge_in(QN, "Thành phố Cẩm Phả", "district", "tpcampha.quangninh.gov.vn")
    assert near.status == "warn"
    assert near.evidence[0].expected == "campha.quangninh.gov.vn"
    wrong = judge_in(QN, "Chuyên trang về Du lịch", "thematic", "travel.quangninh.gov.vn")
    assert wrong.status == "fail"  # Điều 4 k4 wants the unaccented Vietnamese name
    assert wrong.evidence[0].expected == "dulich.quangninh.gov.vn"
    deep = judge_in(QN, "Chuyên trang về Du lịch", "thematic", "dulich.vhtt.quangninh.gov.vn")
    assert deep.status == "fail" and "level 5" in details(deep)


def test_accented_label_fails_in_every_scheme() -> None:
    for params, host in ((LD, "phúquý.lamdong.gov.vn"), (QN, "cẩmphả.quangninh.gov.vn")):
        level: Level = "commune" if params is LD else "district"
        name = "Đặc khu Phú Quý" if params is LD else "Thành phố Cẩm Phả"
        out = judge_in(params, name, level, host)
        assert out.status == "fail"
        assert "unaccented" in details(out)


def test_all_four_schemes_are_registered() -> None:
    assert {"soctrang-2019", "lamdong-2025", "tuyenquang-2026", "quangninh-2023"} <= set(
        domain.SCHEMES
    )


@pytest.mark.parametrize(
    ("name", "level", "host"),
    [
        ("Sở Khoa học và Công nghệ", "department", "sokhcn.tuyenquang.gov.vn"),
        ("Sở Khoa học và Công nghệ", "department", "sokhcn.hagiang.tuyenquang.gov.vn"),
        ("Phường Minh Xuân", "commune", "minhxuan.tp.tuyenquang.gov.vn"),
    ],
)
def test_tuyenquang_draft_sets_no_form_for_component_sites(
    name: str, level: Level, host: str
) -> None:
    out = judge_in(TQ, name, level, host)
    assert out.status == "not_applicable"
    assert "sets no naming form" in out.evidence[0].detail.en
    assert out.evidence[0].found == host
