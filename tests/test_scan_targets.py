"""Targets: domains and URLs, agency facts from a registry, a bundled registry, or flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import UsageError
from auditor.paths import fixtures_dir, rules_dir
from auditor.registry import bundled_registries, load_registry
from auditor.scan import parse_target

BUNDLED = bundled_registries(rules_dir() / "registries")


def test_registry_gives_name_level_and_parent() -> None:
    demo = load_registry(fixtures_dir() / "demo" / "registry.yaml")
    target = parse_target("nhonmy.soctrang.gov.vn", demo, bundled=BUNDLED)
    assert target.agency.name == "Xã Nhơn Mỹ" and target.agency.level == "commune"
    assert target.agency.parent == "kesach.soctrang.gov.vn"
    assert target.registry is demo and target.agency.guessed == ()


def test_bundled_registry_knows_the_regulations_examples() -> None:
    target = parse_target("https://www.soctrang.gov.vn/", None, bundled=BUNDLED)
    assert target.agency.name == "Ủy ban nhân dân tỉnh Sóc Trăng"
    assert target.agency.level == "province" and target.agency.guessed == ()
    assert target.start_url == "https://www.soctrang.gov.vn/"
    assert target.registry is not None and target.registry.province == "Sóc Trăng"


def test_unknown_host_is_guessed_and_says_so() -> None:
    target = parse_target("stnmt.soctrang.gov.vn", None, bundled=BUNDLED)
    assert target.agency.level == "department"
    assert target.agency.guessed == ("name", "level")
    named = parse_target(
        "stnmt.soctrang.gov.vn",
        None,
        name="Sở Tài nguyên và Môi trường",
        level="department",
        bundled=BUNDLED,
    )
    assert named.agency.guessed == () and named.agency.name == "Sở Tài nguyên và Môi trường"


@pytest.mark.parametrize("text", ["", "soctrang", "ftp://soctrang.gov.vn/", "a b.gov.vn", "x/y"])
def test_bad_targets_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        parse_target(text, None)


def test_bundled_registries_are_valid(tmp_path: Path) -> None:
    assert BUNDLED and all(r.note for r in BUNDLED)  # each says it holds only examples
    assert bundled_registries(tmp_path / "none") == ()
