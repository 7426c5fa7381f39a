"""The bundled packs: time (texts in force on the audit date), levels, drafts, domains, registries."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date

import pytest

from auditor.config import CrawlSettings
from auditor.fixtureserver import FixtureServer
from auditor.models import Agency, AuditReport, Level
from auditor.paths import fixtures_dir, rules_dir
from auditor.registry import bundled_registries
from auditor.rules.engine import documents_applied, evaluate
from auditor.rules.loader import Pack, list_packs, load_pack, pack_for_domain
from auditor.scan import build_plan, run_scan
from tests.factories import art, page

PACK_IDS = [ref.id for ref in list_packs(rules_dir())]
NĐ43, NĐ42, NĐ224 = "NĐ 43/2011/NĐ-CP", "NĐ 42/2022/NĐ-CP", "NĐ 224/2026/NĐ-CP"


@pytest.fixture(scope="module")
def packs() -> dict[str, Pack]:
    return {pack_id: load_pack(pack_id, rules_dir()) for pack_id in PACK_IDS}


# --- every rule is well formed ------------------------------------------------------------------


@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_every_rule_cites_its_document_levels_and_weight(
    packs: dict[str, Pack], pack_id: str
) -> None:
    pack = packs[pack_id]
    docs = {d.id for d in pack.documents}
    assert len({r.id for r in pack.rules}) == len(pack.rules)
    for rule in pack.rules:
        assert rule.citation.document in docs and rule.citation.article.strip(), rule.id
        assert rule.applies_to, rule.id
        if rule.manual:
            assert rule.weight == 0 and rule.check is None, rule.id
        else:
            assert rule.check is not None, rule.id


def test_national_rules_carry_the_dates_of_their_texts(packs: dict[str, Pack]) -> None:
    spans = {
        NĐ43: (date(2011, 8, 1), date(2022, 8, 14)),
        NĐ42: (date(2022, 8, 15), date(2026, 6, 30)),
        NĐ224: (date(2026, 7, 1), None),
    }
    for rule in packs["national"].rules:
        assert rule.effective_from is not None, rule.id
        if rule.citation.document in spans:
            assert (rule.effective_from, rule.effective_to) == spans[rule.citation.document]


def test_documents_applied_follow_the_audit_date(packs: dict[str, Pack]) -> None:
    pack = packs["soctrang-2019"]
    in_2021 = {d.id for d in documents_applied(pack, date(2021, 6, 1))}
    in_2023 = {d.id for d in documents_applied(pack, date(2023, 6, 1))}
    in_2026 = {d.id for d in documents_applied(pack, date(2026, 11, 20))}
    assert NĐ43 in in_2021 and NĐ42 not in in_2021
    assert NĐ42 in in_2023 and {NĐ43, NĐ224}.isdisjoint(in_2023)
    assert NĐ224 in in_2026 and {NĐ43, NĐ42}.isdisjoint(in_2026)
    assert "QĐ 07/2019/QĐ-UBND" in in_2023 & in_2026
    assert "QĐ 2111/QĐ-UBND" not in {
        d.id for d in documents_applied(packs["lamdong-2025"], date(2025, 11, 12))
    }


@pytest.fixture(scope="module")
def soctrang_reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, AuditReport]]:
    """The same demo portal audited as of 2023-06-01 and 2026-11-20 (one server)."""
    out: dict[str, AuditReport] = {}
    with FixtureServer(fixtures_dir() / "sites") as server:
        settings = CrawlSettings(
            connect_to=server.connect_to(), ca_bundle=server.ca_pem_path, timeout_s=10.0
        )
        for as_of in (date(2023, 6, 1), date(2026, 11, 20)):
            folder = tmp_path_factory.mktemp(f"as-of-{as_of}")
            plan = build_plan(
                ["soctrang.gov.vn"], None, None, folder, frozenset({"json"}), "vi", as_of, settings
            )
            asyncio.run(run_scan(plan))
            text = (folder / "soctrang.gov.vn.json").read_text(encoding="utf-8")
            out[str(as_of)] = AuditReport.model_validate_json(text)
    yield out


def test_same_portal_is_judged_by_the_texts_in_force(
    soctrang_reports: dict[str, AuditReport],
) -> None:
    old, new = soctrang_reports["2023-06-01"], soctrang_reports["2026-11-20"]
    assert old.profile.id == new.profile.id == "soctrang-2019"
    old_docs = {d.id for d in old.profile.documents}
    new_docs = {d.id for d in new.profile.documents}
    assert NĐ42 in old_docs and NĐ224 not in old_docs
    assert NĐ224 in new_docs and NĐ42 not in new_docs
    old_f = {f.rule_id: f for f in old.findings}
    new_f = {f.rule_id: f for f in new.findings}
    # NĐ 42/2022 Đ7 k2 (English for every agency) judges the portal in 2023 only …
    assert old_f["nat.nd42.d7k2.english"].status == "pass"
    assert new_f["nat.nd42.d7k2.english"].status == "not_applicable"
    assert "2026-06-30" in (new_f["nat.nd42.d7k2.english"].evidence[0].expected or "")
    # … and NĐ 224/2026 Đ10 k3 b (interaction) in 2026 only
    assert old_f["nat.nd224.d10k3b.interaction"].status == "not_applicable"
    assert new_f["nat.nd224.d10k3b.interaction"].status == "pass"


# --- levels ---------------------------------------------------------------------------------------

HOME = page(
    "https://x.gov.vn/", "<html lang='vi'><head><title>x</title></head><body></body></html>"
)


def _statuses(pack: Pack, level: Level, domain: str = "x.gov.vn") -> dict[str, str]:
    agency = Agency(name="Cơ quan", level=level, domain=domain)
    return {f.rule_id: f.status for f in evaluate(pack, art(HOME, agency=agency))}


def test_provincial_only_articles_do_not_fail_a_commune(packs: dict[str, Pack]) -> None:
    commune = _statuses(packs["soctrang-2019"], "commune")
    province = _statuses(packs["soctrang-2019"], "province")
    for rule_id in ("st.d11.science", "st.d13.english", "st.d21k3.services-integrated"):
        assert commune[rule_id] == "not_applicable" and province[rule_id] != "not_applicable"
    lamdong_commune = _statuses(packs["lamdong-2025"], "commune")
    assert lamdong_commune["ld.d11k1.twice-daily"] == "not_applicable"
    assert lamdong_commune["ld.d4k2c.domain-commune"] != "not_applicable"
    assert _statuses(packs["lamdong-2025"], "province")["ld.d11k1.twice-daily"] != "not_applicable"


@pytest.mark.parametrize(
    ("level", "article"),
    [
        ("province", "14"),
        ("department", "16"),
        ("district", "17"),
        ("commune", "18"),
        ("other", "19"),
        ("unit", "19"),
    ],
)
def test_quangninh_level_articles_bind_their_own_level(
    packs: dict[str, Pack], level: Level, article: str
) -> None:
    statuses = _statuses(packs["quangninh-2023"], level)
    for art_no in ("14", "16", "17", "18", "19"):
        ids = [r for r in statuses if r.startswith(f"qn.d{art_no}k")]
        assert len(ids) >= 13, art_no
        applied = [r for r in ids if statuses[r] != "not_applicable"]
        assert applied == (ids if art_no == article else []), (level, art_no)


# --- drafts, domains, registries ------------------------------------------------------------------


def test_tuyenquang_is_a_draft_with_no_effective_date(packs: dict[str, Pack]) -> None:
    pack = packs["tuyenquang-2026"]
    main = pack.documents[0]
    assert pack.draft and main.draft and main.effective_from is None
    assert pack.extends == "national"
    assert all(not p.draft for i, p in packs.items() if i != "tuyenquang-2026")


@pytest.mark.parametrize(
    ("host", "pack_id"),
    [
        ("soctrang.gov.vn", "soctrang-2019"),
        ("lamdong.gov.vn", "lamdong-2025"),
        ("sokhcn.lamdong.gov.vn", "lamdong-2025"),
        ("tuyenquang.gov.vn", "tuyenquang-2026"),
        ("www.quangninh.gov.vn", "quangninh-2023"),
        ("quangtrung.uongbi.quangninh.gov.vn", "quangninh-2023"),
        ("hanoi.gov.vn", "national"),
    ],
)
def test_the_domain_picks_the_pack(host: str, pack_id: str) -> None:
    assert pack_for_domain(host, rules_dir()) == pack_id


def test_provincial_packs_extend_national(packs: dict[str, Pack]) -> None:
    for pack_id, pack in packs.items():
        if pack_id != "national":
            assert pack.extends == "national"
            assert any(r.id.startswith("nat.") for r in pack.rules)
            for rule, why in pack.retired:
                assert rule.id.startswith("nat.") and why.strip()


def test_bundled_registries_name_the_examples_and_pass_their_domain_rules(
    packs: dict[str, Pack],
) -> None:
    registries = {r.province: r for r in bundled_registries(rules_dir() / "registries")}
    assert set(registries) == {"Sóc Trăng", "Lâm Đồng", "Tuyên Quang", "Quảng Ninh"}
    qn = {a.domain for a in registries["Quảng Ninh"].agencies}
    assert {
        "sttvtt.quangninh.gov.vn",
        "ttt.quangninh.gov.vn",
        "ipa.quangninh.gov.vn",
        "campha.quangninh.gov.vn",
        "quangtrung.uongbi.quangninh.gov.vn",
        "dulich.quangninh.gov.vn",
    } <= qn
    for registry in registries.values():
        note = registry.note or ""
        assert "Chỉ gồm" in note and "Only" in note, registry.province  # examples, not a list
        assert registry.profile in packs
        pack = packs[registry.profile]
        for agency in registry.agencies:
            home = page(f"https://{agency.domain}/", "<html lang='vi'><body></body></html>")
            findings = evaluate(pack, art(home, agency=agency, registry=registry))
            domain = [
                f
                for f in findings
                if f.status != "not_applicable"
                and f.rule_id.split(".")[1].startswith(("d4k", "d5k1", "d2"))
                and "domain" in f.rule_id
            ]
            # a path-based agency has no domain of its own: its naming is a person's call
            want = "manual" if agency.path else "pass"
            assert domain and all(f.status == want for f in domain), (
                agency.domain,
                [(f.rule_id, f.status) for f in domain],
            )


def test_every_pack_has_checked_and_manual_rules(packs: dict[str, Pack]) -> None:
    for pack_id, pack in packs.items():
        manual = sum(1 for r in pack.rules if r.manual)
        assert len(pack.rules) > manual > 0, pack_id
