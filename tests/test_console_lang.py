"""One language per run on the console: the main commands under ``--lang vi`` print no English
words of the tool's own, and under ``--lang en`` no Vietnamese ones (quoted data such as agency
names, document numbers and regulation quotes is left out of the check)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml
from typer.testing import CliRunner

from auditor.cli import app
from auditor.paths import fixtures_dir, rules_dir
from auditor.rules.loader import list_packs, load_pack

runner = CliRunner()

# words of the tool's English that must not appear in a Vietnamese run
ENGLISH = {
    "error", "errors", "failed", "fail", "gate", "reason", "reasons", "problem", "problems",
    "score", "reports", "report", "summary", "audited", "agency", "agencies", "domain", "grade",
    "pages", "portal", "portals", "warning", "expected", "must", "unknown", "invalid", "nothing",
    "fetched", "written", "change", "fixed", "only", "the", "not", "and", "with", "from", "rule",
    "rules", "history", "run", "runs", "started", "new", "old", "title", "citation", "levels",
    "category", "severity", "weight", "failure", "check", "manual", "results", "audit", "demo",
    "on", "at", "least", "label", "host", "name", "level", "valid", "file", "folder",
}  # fmt: skip
# the -q line's machine-readable tokens are the same in both languages (README)
MACHINE = {"auditor", "OK", "FAIL", "NOT-AUDITED", "exit"}
VI_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def _data_words() -> set[str]:
    """Words of quoted data: agency and province names, document ids, pack titles."""
    registry = yaml.safe_load((fixtures_dir() / "demo" / "registry.yaml").read_text("utf-8"))
    texts = [registry["province"], *(a["name"] for a in registry["agencies"])]
    for ref in list_packs(rules_dir()):
        texts += [d.id for d in load_pack(ref.id, rules_dir()).documents]
    return {w for text in texts for w in re.split(r"[\s,()]+", text) if w}


DATA = _data_words()


def _tokens(output: str) -> Iterator[str]:
    for line in output.splitlines():
        line = re.sub(r"“[^”]*”", " ", line)  # a regulation's own words, quoted
        line = re.sub(r"\S*\[\d+\]\S*", " ", line)  # a key path in the input (agencies[0].domain)
        line = re.sub(r"\{.*\}", " ", line)  # a check tree as JSON, the pack's own data
        line = re.sub(r"'[^']*'", " ", line)  # a quoted key or value of the input
        for token in re.split(r"[\s,;:()\[\]{}|│┃━─┏┓┗┛┳┻╇┡┩→✓✗!?=<>'\"“”·…+*]+", line):
            token = token.strip(".")
            if not token or token.startswith("-") or "/" in token or "." in token:
                continue  # flags, paths, file names, domains, numbers
            if token in DATA or token in MACHINE or token.isdigit():
                continue
            yield token


def _english_words(output: str) -> set[str]:
    return {t for t in _tokens(output) if t.lower() in ENGLISH}


def _vietnamese_words(output: str) -> set[str]:
    return {t for t in _tokens(output) if any(not c.isascii() for c in VI_LETTER.findall(t))}


@pytest.fixture(scope="module", params=["vi", "en"])
def runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """The console output of the main commands in one language."""
    lang: str = request.param
    tmp = tmp_path_factory.mktemp(f"console-{lang}")
    out = tmp / "demo"
    said: dict[str, str] = {"lang": lang}

    def run(name: str, args: list[str], codes: tuple[int, ...]) -> None:
        result = runner.invoke(app, [*args, "--lang", lang])
        assert result.exit_code in codes, (name, result.output)
        assert "Traceback" not in result.output
        said[name] = result.output

    # a province scan of the demo portals with a gate failing (progress, table, gate lines)
    run("demo", ["demo", "--out", str(out), "--fail-under", "95"], (1,))
    # the saved run again: the -q line, and reports re-rendered
    run(
        "quiet",
        ["report", str(out / "summary.json"), "-o", str(tmp / "r"), "-f", "json", "-q"],
        (0,),
    )
    bad = tmp / "registry.yaml"
    bad.write_text("province: X\nagencies:\n  - {name: A, level: province, domain: a_b.gov.vn}\n")
    run("bad-registry", ["scan", "--registry", str(bad), "--out", str(tmp / "x")], (2,))
    run("bad-flag", ["scan", "soctrang.gov.vn", "--max-pages", "0", "--out", str(tmp / "x")], (2,))
    run("bad-profile", ["scan", "a.gov.vn", "--profile", "nope", "--out", str(tmp / "x")], (2,))
    run("bad-target", ["scan", "x..gov.vn", "--out", str(tmp / "x")], (2,))
    pack = tmp / "pack.yaml"  # an inspectorate's own pack with typos
    pack.write_text(
        "pack:\n  id: my-pack\n  title: {vi: x, en: x}\n  extends: soctrang-2019\nrules:\n"
        "  - id: my.r1\n    title: {vi: x, en: x}\n    failure: {vi: x, en: x}\n"
        "    citation: {document: 'QĐ 07/2019/QĐ-UBND', article: '6'}\n"
        "    applies_to: [all]\n    category: security\n    severity: high\n"
        "    weigth: 2\n    check: {https_availabel: {}}\n",
        encoding="utf-8",
    )
    run(
        "bad-pack", ["scan", "soctrang.gov.vn", "--rules", str(pack), "--out", str(tmp / "x")], (2,)
    )
    run("diff", ["diff", str(out), str(tmp / "r" / "summary.json")], (0,))
    run("history", ["history", "--history", str(out / "history.sqlite")], (0,))
    run(
        "history-one",
        ["history", "sokhdt.soctrang.gov.vn", "--history", str(out / "history.sqlite")],
        (0,),
    )
    run("no-history", ["history", "--history", str(tmp / "none.sqlite")], (2,))
    from auditor.cli_rules import rules_app

    for name, args in (
        ("rules-show", ["show", "st.d6k2.https"]),
        ("rules-list", ["list", "--profile", "tuyenquang-2026"]),
        ("rules-unknown", ["show", "st.nope"]),
    ):
        result = runner.invoke(rules_app, [*args, "--lang", lang])
        said[name] = result.output
    return said


def test_every_line_is_in_the_language_asked(runs: dict[str, str]) -> None:
    lang = runs["lang"]
    outputs = {k: v for k, v in runs.items() if k != "lang"}
    for name, output in outputs.items():
        assert output.strip(), name
        if lang == "vi":
            assert not _english_words(output), (name, _english_words(output), output)
        else:
            assert not _vietnamese_words(output), (name, _vietnamese_words(output), output)


def test_the_commands_said_what_they_did(runs: dict[str, str]) -> None:
    """The outputs checked above are the real ones: the gate failed, errors named the input."""
    vi = runs["lang"] == "vi"
    demo = runs["demo"]
    assert ("Các cổng mẫu chạy tại" if vi else "Demo portals on") in demo
    assert ("không đạt ngưỡng" if vi else "gate failed") in demo
    assert ("Kết quả kiểm tra" if vi else "Audit results") in demo
    assert runs["quiet"].startswith("auditor: OK ")
    assert "registry.yaml:3:" in runs["bad-registry"] and "a_b.gov.vn" in runs["bad-registry"]
    assert "--max-pages" in runs["bad-flag"]
    assert "pack.yaml:13:" in runs["bad-pack"] and "'weight'" in runs["bad-pack"]
    assert ("Lần trước" if vi else "old") in runs["diff"]
    assert "sokhdt.soctrang.gov.vn" in runs["history-one"] or "C" in runs["history-one"]
    assert ("tên" if vi else "title") in runs["rules-show"]
