"""Reports an official can act on: every rule that can fail or warn says how to fix it, in
Vietnamese and English; reader texts carry no internal keys; appendix labels read right."""

from __future__ import annotations

import re

import pytest

from auditor.models import Citation
from auditor.paths import rules_dir
from auditor.report.ordering import article_key
from auditor.rules.loader import list_packs, load_pack
from auditor.sections import load_catalogue

PACKS = [ref.id for ref in list_packs(rules_dir())]
KEYS = re.compile(r"\b(" + "|".join(k for k in load_catalogue().sections if "_" in k) + r")\b")
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


@pytest.mark.parametrize("pack_id", PACKS)
def test_every_rule_that_can_fail_has_a_fix_in_both_languages(pack_id: str) -> None:
    pack = load_pack(pack_id, rules_dir())
    missing = [r.id for r in pack.rules if r.check is not None and r.fix is None]
    assert not missing, f"rules without fix: {missing}"
    for rule in pack.rules:
        if rule.fix is None:
            continue
        assert rule.fix.vi.strip() and rule.fix.en.strip(), rule.id
        assert rule.fix.vi != rule.failure.vi and rule.fix.en != rule.failure.en, rule.id
        plain = re.sub(r"«[^»]*»", "", rule.fix.en)  # quoted labels stay as the portal shows them
        assert not VIETNAMESE.search(plain), f"{rule.id}: Vietnamese in the English fix: {plain}"


@pytest.mark.parametrize("pack_id", PACKS)
def test_reader_texts_carry_no_internal_keys(pack_id: str) -> None:
    pack = load_pack(pack_id, rules_dir())
    for rule in pack.rules:
        for text in (rule.title, rule.failure, *([rule.fix] if rule.fix else [])):
            for lang in ("vi", "en"):
                found = KEYS.search(text.get(lang))
                assert found is None, f"{rule.id}: internal key {found} in {text.get(lang)!r}"


def test_appendix_labels() -> None:
    annex = Citation(document="TT 22/2023/TT-BTTTT", article="Phụ lục II")
    assert annex.label("vi") == "Phụ lục II" and annex.label("en") == "Annex II"
    assert article_key(annex, "QĐ 07/2019/QĐ-UBND") == "TT 22/2023/TT-BTTTT Phụ lục II"
    assert Citation(document="x", article="Phụ lục").label("en") == "Annex"
    assert Citation(document="x", article="6", clause="2").label("vi") == "Điều 6 khoản 2"
