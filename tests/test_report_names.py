"""Report files that never lose each other: IDNA names, path-based agencies, collisions refused
before any request, modes from the umask."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from auditor.config import CrawlSettings
from auditor.errors import RegistryError, UsageError
from auditor.hostnames import ascii_host, split_address, url_in_prefix
from auditor.registry import load_registry
from auditor.report.files import write_text_atomic
from auditor.report.html_report import bdi, clean_text
from auditor.report.writer import report_stem
from auditor.scan import build_plan


def test_host_names_become_their_idna_form() -> None:
    assert ascii_host("Sở.SocTrang.gov.vn.") == "xn--s-lym.soctrang.gov.vn"
    assert report_stem("sở.soctrang.gov.vn") != report_stem("sợ.soctrang.gov.vn")
    assert report_stem("www.sở.soctrang.gov.vn") == "xn--s-lym.soctrang.gov.vn"
    for bad in ("a..gov.vn", "-a.gov.vn", "a b.gov.vn", "x" * 64 + ".vn", "vn", "xn--zz.vn"):
        with pytest.raises(ValueError, match=r"host name|domain name"):
            ascii_host(bad)


def test_agency_addresses_with_paths() -> None:
    assert split_address("lamdong.gov.vn/sites/stp") == ("lamdong.gov.vn", "/sites/stp/")
    assert split_address("https://www.quangninh.gov.vn/So/soxaydung/") == (
        "www.quangninh.gov.vn",
        "/So/soxaydung/",
    )
    assert split_address("soctrang.gov.vn/") == ("soctrang.gov.vn", None)
    for bad in ("x.gov.vn/a/../b", "x.gov.vn/?q=1", "ftp://x.gov.vn/", "x.gov.vn:8080"):
        with pytest.raises(ValueError):
            split_address(bad)
    assert url_in_prefix("/sites/STP/tin-tuc", "/sites/stp/")
    assert url_in_prefix("/sites/stp", "/sites/stp/")
    assert not url_in_prefix("/sites/stpx/", "/sites/stp/")


def test_path_agencies_get_their_own_report_names() -> None:
    stp = report_stem("lamdong.gov.vn", "/sites/stp/")
    sxd = report_stem("www.quangninh.gov.vn", "/So/soxaydung/")
    assert stp == "lamdong.gov.vn_sites_stp" and sxd == "quangninh.gov.vn_so_soxaydung"
    assert report_stem("lamdong.gov.vn", "/sites/sở/") != report_stem(
        "lamdong.gov.vn", "/sites/sợ/"
    )
    long = report_stem("a.gov.vn", "/" + "x" * 300 + "/")
    assert len(long) <= 180 and len(long + ".junit.xml") < 255


REGISTRY = """province: Lâm Đồng
agencies:
  - {name: UBND tỉnh Lâm Đồng, level: province, domain: lamdong.gov.vn}
  - {name: Sở Tư pháp, level: department, domain: lamdong.gov.vn/sites/stp, parent: lamdong.gov.vn}
  - {name: Sở Y tế, level: department, domain: "https://lamdong.gov.vn/sites/soyte/"}
"""


def test_registry_lists_path_based_agencies(tmp_path: Path) -> None:
    path = tmp_path / "reg.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    reg = load_registry(path)
    assert [(a.domain, a.path) for a in reg.agencies] == [
        ("lamdong.gov.vn", None),
        ("lamdong.gov.vn", "/sites/stp/"),
        ("lamdong.gov.vn", "/sites/soyte/"),
    ]
    assert reg.by_domain("lamdong.gov.vn") == reg.agencies[0]
    assert reg.find("lamdong.gov.vn", "/sites/stp/van-ban/") == reg.agencies[1]


def test_registry_refuses_addresses_twice_and_colliding_names(tmp_path: Path) -> None:
    path = tmp_path / "reg.yaml"
    path.write_text(
        REGISTRY
        + "  - {name: Again, level: department, domain: lamdong.gov.vn/sites/STP/}\n"
        + "  - {name: Clash, level: department, domain: lamdong.gov.vn/sites_stp}\n"
        + "  - {name: Bad, level: department, domain: lamdong.gov.vn/a/../b}\n",
        encoding="utf-8",
    )
    with pytest.raises(RegistryError) as info:
        load_registry(path)
    text = [str(p) for p in info.value.problems]
    assert any(f"{path}:6:" in t and "listed twice" in t for t in text), text
    assert any(f"{path}:7:" in t and "would both write reports" in t for t in text), text
    assert any(f"{path}:8:" in t and "'..'" in t for t in text), text


def _plan(targets: list[str], out: Path) -> None:
    build_plan(
        targets,
        None,
        "national",
        out,
        frozenset({"json"}),
        "en",
        date(2026, 11, 20),
        CrawlSettings(),
    )


def test_collisions_are_refused_at_plan_time(tmp_path: Path) -> None:
    _plan(["lamdong.gov.vn/sites/stp", "https://lamdong.gov.vn/sites/soyte/"], tmp_path)
    with pytest.raises(UsageError, match="would both write reports named"):
        _plan(["lamdong.gov.vn/sites/stp", "lamdong.gov.vn/sites_stp"], tmp_path)
    with pytest.raises(UsageError, match="are the same agency"):
        _plan(["soctrang.gov.vn", "https://www.soctrang.gov.vn/"], tmp_path)


def test_report_files_honour_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        mode = write_text_atomic(tmp_path / "a.json", "{}").stat().st_mode & 0o777
    finally:
        os.umask(old)
    assert mode == 0o640
    old = os.umask(0o022)
    try:
        mode = write_text_atomic(tmp_path / "b.json", "{}").stat().st_mode & 0o777
    finally:
        os.umask(old)
    assert mode == 0o644


def test_quoted_text_is_cleaned_and_isolated() -> None:
    assert clean_text("Tin\x00 tức\x07") == "Tin tức"
    assert clean_text("a\u202eb") == "a\u202eb\u202c"  # an override closed where it ends
    assert clean_text("a\u2067b\u202bc") == "a\u2067b\u202bc\u202c\u2069"
    assert clean_text("a\u202eb\u202c c") == "a\u202eb\u202c c"  # already balanced
    assert str(bdi("<b>\x00x</b>")) == "<bdi>&lt;b&gt;x&lt;/b&gt;</bdi>"
