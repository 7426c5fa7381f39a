"""Every pass and fail fixture of every rule of every bundled pack, each its own test
(``pytest -k ld.d7k1.news`` runs that rule's cases only).

The cases selected in the session are run together once (shared loopback servers, one crawl
per distinct portal, judged in this process). Each portal's capture is kept in pytest's cache
under a digest of everything it depends on, so an unchanged case is re-judged offline from its
capture; a changed one is crawled again. Each test then checks its own result. All of them go to one xdist worker (``xdist_group``) so that the batch is run once.
"""

from __future__ import annotations

import asyncio

import pytest

from auditor.paths import fixtures_dir, rules_dir
from auditor.rule_fixtures import CaseResult, FixtureCase, collect, run_cases
from auditor.rules.loader import Pack, list_packs, load_pack


def _cases() -> tuple[dict[str, FixtureCase], dict[str, Pack]]:
    cases: dict[str, FixtureCase] = {}
    owner: dict[str, Pack] = {}
    for ref in list_packs(rules_dir()):
        pack = load_pack(ref.id, rules_dir())
        found, _ = collect(pack, fixtures_dir() / "rules")
        for case in found:
            if owner.setdefault(case.rule_id, pack) is pack:
                cases.setdefault(case.name, case)
    return cases, owner


CASES, OWNER = _cases()
assert CASES, "no rule fixture found"


@pytest.fixture(scope="module")
def results(request: pytest.FixtureRequest) -> dict[str, CaseResult]:
    """The results of the cases selected in this session, run in one batch."""
    wanted = [
        item.callspec.params["name"]
        for item in request.session.items
        if item.module is request.module and hasattr(item, "callspec")
    ]
    cases = [CASES[name] for name in dict.fromkeys(wanted)]
    cache = request.config.cache.mkdir("auditor-rule-captures") if request.config.cache else None
    done = asyncio.run(run_cases(cases, OWNER, fixtures_dir() / "sites", cache))
    return {r.case.name: r for r in done}


@pytest.mark.xdist_group("rule-cases")
@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_case(name: str, results: dict[str, CaseResult]) -> None:
    result = results[name]
    case = result.case
    assert result.ok, f"{name}: expected {case.expected}, got {result.status}: {result.detail}"


def test_every_checked_rule_has_pass_and_fail_fixtures() -> None:
    for ref in list_packs(rules_dir()):
        _, report = collect(load_pack(ref.id, rules_dir()), fixtures_dir() / "rules")
        assert not report.missing and not report.problems, (ref.id, report.missing)
