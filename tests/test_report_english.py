"""An English report speaks English in the tool's own words: rule titles, failures, fixes,
evidence texts, what was expected, and labels of the demo, run with --lang en. Quoted page text («…», “…”, '…'),
URLs, agency names and document ids stay as the portals and texts write them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.report import i18n
from auditor.sections import load_catalogue

VIETNAMESE = re.compile(
    r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹàáèéìíòóùúýãõĩũ]", re.I
)
LABELS = {label for section in load_catalogue().sections.values() for label in section.labels}
QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"|'[^']*'|https?://\S+")


def _foreign(text: str, names: set[str]) -> str | None:
    plain = QUOTED.sub("", text)
    for name in sorted(names, key=len, reverse=True):
        plain = plain.replace(name, "")
    found = VIETNAMESE.search(plain)
    return plain if found else None


@pytest.fixture(scope="module")
def english_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo-en")
    result = CliRunner().invoke(
        app, ["demo", "--lang", "en", "-f", "json", "-q", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


def test_no_vietnamese_in_the_tools_own_words(english_demo: Path) -> None:
    problems: list[str] = []
    for path in sorted(english_demo.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "findings" not in data:
            continue
        names = {data["agency"]["name"], *(d["id"] for d in data["profile"]["documents"])}
        names.add(data["profile"]["document"])
        names |= LABELS  # the section names a page is expected to show are page text
        for finding in data["findings"]:
            texts = [finding["title"]["en"], finding["failure"]["en"]]
            texts += [finding["fix"]["en"]] if finding.get("fix") else []
            texts += [e["detail"]["en"] for e in finding["evidence"]]
            # "Expected:" is the tool's words too (a value or a requirement), as shown in English
            texts += [i18n.observed(e["expected"], "en") or "" for e in finding["evidence"]]
            for text in texts:
                bad = _foreign(text, names)
                if bad is not None:
                    problems.append(f"{finding['rule_id']}: {bad}")
        for category in data["score"]["by_category"].values():
            if _foreign(category["label"]["en"], names):
                problems.append(f"category {category['label']['en']}")
    assert not problems, "\n".join(sorted(set(problems))[:30])


def test_report_labels_have_english() -> None:
    tables = [i18n.UI, i18n.STATUS_LABELS, i18n.LEVEL_LABELS, i18n.SEVERITY_LABELS]
    for table in tables:
        for key, text in table.items():
            assert _foreign(text.en, set()) is None, (key, text.en)
