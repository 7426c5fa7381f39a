"""The bundled Sóc Trăng demo portals are consistent and show exactly their documented defects."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

DEMO = Path(__file__).resolve().parents[1] / "auditor" / "data" / "fixtures" / "demo"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_sites", DEMO / "check_sites.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_sites"] = module
    spec.loader.exec_module(module)
    return module


def test_demo_sites_validate(capsys: pytest.CaptureFixture[str]) -> None:
    check_sites = _load()
    assert check_sites.main() == 0
    out = capsys.readouterr().out
    assert "0 problems" in out
    assert "phuong2.thanhpho.soctrang.gov.vn: " in out and "fresh=fail" in out


def test_kesach_is_really_windows_1258() -> None:
    raw = (DEMO.parent / "sites" / "kesach.soctrang.gov.vn" / "index.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1258")
    assert '<meta charset="windows-1258">' in text and ".VnTime" in text
