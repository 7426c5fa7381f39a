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
BUNDLED = load_registry(Path(__file__).resolve().parent.parent / "rules/registries/soctrang.yaml")

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


def test_plausible_spelling_warns_with_expected_forms() -> None:
    out = judge("Sở Thông tin và Truyền thông", "department", "stttt.soctrang.gov.vn")
    assert out.status == "warn"
    assert out.evidence[0].expected == "sotttt.soctrang.gov.vn"
    assert out.evidence[0].found == "stttt.soctrang.gov.vn"
    assert "sotttt" in out.evidence[0].detail.vi
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
        agencies=(
            Agency(name="Sở Nội vụ", level="department", domain="snv.soctrang.gov.vn"),
        ),
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
    level = judge("sotttt.soctrang.gov.vn", "department", "sotttt.soctrang.gov.vn",
                  guessed=("name", "level"))
    assert level.status == "manual"
    assert "guessed" in details(level)
    name = judge("sotttt.soctrang.gov.vn", "department", "sotttt.soctrang.gov.vn",
                 guessed=("name",))
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
        raise AssertionError("tldextract tried the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    domain._extractor.cache_clear()
    parts = split_host("ict.sotttt.soctrang.gov.vn")
    assert (parts.subdomain, parts.domain, parts.suffix) == ("ict.sotttt", "soctrang", "gov.vn")
    assert parts.registered == "soctrang.gov.vn" and parts.depth == 5
    assert split_host("www.soctrang.gov.vn").host == "soctrang.gov.vn"
