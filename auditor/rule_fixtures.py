"""Rule fixtures: each rule is run against a portal that must pass it and one that must fail it.

``fixtures/rules/<rule-id>/pass/`` and ``…/fail/`` (also ``pass-<n>/``, ``fail-<n>/``) each hold a
``fixture.yaml``::

    agency: {name: "Sở Kế hoạch và Đầu tư", level: department,
             domain: sokhdt.soctrang.gov.vn, parent: soctrang.gov.vn}
    as_of: 2026-11-20                 # audit date (default 2026-11-20, the demo's date)
    registry: [ {name:…, level:…, domain:…, parent:…} ]   # other agencies (optional)
    base: soctrang.gov.vn             # a demo site under fixtures/sites/ (optional)
    portal: rich                      # a portal shared by many cases, fixtures/rules/_portals/rich/
    site_config: {tls: false}         # switches merged over the base's _site.yaml (optional)
    delete: [khoa-hoc/index.html]     # base files left out (optional)
    dns: {aaaa: false, signed: true}  # the loopback DNS: AAAA (default yes), DS (default no)
    rewrite: {files: "tin-tuc/*.html", pattern: "<button[^>]*>In bài</button>"}  # served edited
    expect: fail                      # pass or not_applicable (in pass/), fail or warn (in fail/)
    note: "why this portal passes or fails"

and optionally a ``site/`` folder whose files are laid over the base and the shared portal (or are
the whole site when there is neither). Each case is served by the loopback fixture server under the
agency's domain and captured with the real scan path (:func:`auditor.scan.capture_site`), then
judged (:func:`auditor.judge.judge`) on only the rules under test. Cases that describe the same
portal share one crawl; cases that need the same host with different content are served by
separate servers. With a cache folder an unchanged case is judged again from its saved capture.
"""

from __future__ import annotations

import asyncio
import fnmatch
import hashlib
import json
import logging
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError, field_validator

from auditor.capture.model import CAPTURE_SCHEMA_VERSION, SiteCapture
from auditor.capture.warc import SUFFIX as CAPTURE_SUFFIX
from auditor.capture.warc import read_capture, write_capture
from auditor.config import CrawlSettings
from auditor.crawl.fetcher import Fetcher
from auditor.errors import Problem, RuleError
from auditor.fixtureserver import FixtureServer
from auditor.fixtureserver.dns import HostDns
from auditor.judge import JudgeTask, judge
from auditor.models import Agency, DocumentInfo, Frozen, Registry, Status, normalise_host
from auditor.rules.loader import Pack
from auditor.rules.schema import Rule
from auditor.scan import ScanPlan, Target, capture_site

logger = logging.getLogger(__name__)

DEFAULT_AS_OF = date(2026, 11, 20)
FIXTURE_FILE = "fixture.yaml"
SITE_DIR = "site"
PORTALS_DIR = "_portals"  # portals shared by many cases, beside the rule folders
SCANS_AT_ONCE = 16
Kind = Literal["pass", "fail"]


class RewriteSpec(Frozen):
    """A regular-expression rewrite of some served files (e.g. the demo articles without their
    print button), so a case can break a demo portal without copying its files."""

    files: str  # a glob over the site's relative paths, e.g. "tin-tuc/*.html"
    pattern: str
    replace: str = ""

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        return value

    def apply(self, rel: str, data: bytes) -> bytes | None:
        """The rewritten content of file ``rel``; ``None`` when the rewrite does not touch it."""
        if not fnmatch.fnmatch(rel, self.files):
            return None
        text = data.decode("utf-8", errors="surrogateescape")
        return re.sub(self.pattern, self.replace, text).encode("utf-8", errors="surrogateescape")


class DnsSpec(Frozen):
    """What the fixture DNS says of the case's host (default: A and AAAA, unsigned)."""

    aaaa: bool = True
    signed: bool = False


class FixtureSpec(Frozen):
    """The ``fixture.yaml`` of one case."""

    agency: Agency
    as_of: date = DEFAULT_AS_OF
    registry: tuple[Agency, ...] = ()
    base: str | None = None
    portal: str | None = None  # a folder of fixtures/rules/_portals/, shared by many cases
    site_config: dict[str, Any] = Field(default_factory=dict)
    delete: tuple[str, ...] = ()
    expect: Literal["pass", "not_applicable", "fail", "warn"] | None = None
    note: str | None = None
    max_pages: int = Field(default=60, ge=1)
    dns: DnsSpec = Field(default_factory=DnsSpec)
    rewrite: RewriteSpec | None = None


@dataclass(frozen=True)
class FixtureCase:
    """One pass or fail case of one rule."""

    rule_id: str
    kind: Kind
    folder: Path
    spec: FixtureSpec

    @property
    def expected(self) -> str:
        """The status the rule must give."""
        return self.spec.expect or self.kind

    @property
    def name(self) -> str:
        """``<rule-id>/<case folder>``."""
        return f"{self.rule_id}/{self.folder.name}"


@dataclass(frozen=True)
class CaseResult:
    """What one case gave."""

    case: FixtureCase
    status: Status | None  # None: the case could not run
    ok: bool
    detail: str = ""


@dataclass
class RuleTestReport:
    """The outcome of ``auditor rules test`` for one pack."""

    pack_id: str
    results: list[CaseResult] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # rules without both fixtures
    problems: list[Problem] = field(default_factory=list)  # unreadable fixture files
    manual: int = 0

    @property
    def ok(self) -> bool:
        """True when every case gave its expected status and no fixture is missing."""
        return not self.missing and not self.problems and all(r.ok for r in self.results)


def case_folders(rule_dir: Path, kind: Kind) -> list[Path]:
    """The case folders of one kind: ``pass/`` and ``pass-*/`` (likewise ``fail``)."""
    if not rule_dir.is_dir():
        return []
    return sorted(
        p
        for p in rule_dir.iterdir()
        if p.is_dir()
        and (p.name == kind or p.name.startswith(f"{kind}-"))
        and (p / FIXTURE_FILE).is_file()
    )


def load_case(rule_id: str, kind: Kind, folder: Path) -> FixtureCase:
    """Read one case; raise :class:`RuleError` when its ``fixture.yaml`` is invalid."""
    path = folder / FIXTURE_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = FixtureSpec.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise RuleError([Problem(str(path), None, f"unreadable fixture: {exc}")]) from exc
    except ValidationError as exc:
        raise RuleError(
            [
                Problem(str(path), None, f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
                for e in exc.errors()
            ]
        ) from exc
    # a compliant portal may leave a rule inapplicable (nothing blinks: nothing to judge)
    allowed = {"pass": {"pass", "not_applicable"}, "fail": {"fail", "warn"}}[kind]
    if spec.expect is not None and spec.expect not in allowed:
        raise RuleError([Problem(str(path), None, f"expect: {spec.expect!r} in a {kind} case")])
    return FixtureCase(rule_id, kind, folder, spec)


def fixture_kinds(fixtures_root: Path, rule_id: str) -> dict[Kind, int]:
    """How many pass and fail cases a rule has."""
    rule_dir = fixtures_root / rule_id
    return {
        "pass": len(case_folders(rule_dir, "pass")),
        "fail": len(case_folders(rule_dir, "fail")),
    }


def collect(
    pack: Pack, fixtures_root: Path, rule_ids: Iterable[str] | None = None
) -> tuple[list[FixtureCase], RuleTestReport]:
    """The cases of the pack's checked rules, and a report listing missing fixtures."""
    report = RuleTestReport(pack.id)
    wanted = set(rule_ids) if rule_ids is not None else None
    cases: list[FixtureCase] = []
    for rule in pack.rules:
        if wanted is not None and rule.id not in wanted:
            continue
        if rule.manual or rule.check is None:
            report.manual += 1
            continue
        rule_dir = fixtures_root / rule.id
        found: dict[Kind, int] = {}
        kinds: tuple[Kind, Kind] = ("pass", "fail")
        for kind in kinds:
            folders = case_folders(rule_dir, kind)
            found[kind] = len(folders)
            for folder in folders:
                try:
                    cases.append(load_case(rule.id, kind, folder))
                except RuleError as exc:
                    report.problems.extend(exc.problems)
        lacking = [k for k in kinds if not found[k]]
        if lacking:
            report.missing.append(f"{rule.id}: no {' and no '.join(lacking)} fixture")
    return cases, report


# -- building the served sites ------------------------------------------------------------------


def _site_files(case: FixtureCase, sites_root: Path) -> dict[str, Path]:
    """Relative path -> source file of the case's site (base files, then its own)."""
    files: dict[str, Path] = {}
    if case.spec.base:
        base = sites_root / case.spec.base
        if not base.is_dir():
            raise RuleError(
                [Problem(str(case.folder / FIXTURE_FILE), None, f"base: no demo site {base}")]
            )
        files.update({p.relative_to(base).as_posix(): p for p in base.rglob("*") if p.is_file()})
    if case.spec.portal:
        portal = case.folder.parent.parent / PORTALS_DIR / case.spec.portal
        if not portal.is_dir():
            raise RuleError(
                [
                    Problem(
                        str(case.folder / FIXTURE_FILE), None, f"portal: no shared portal {portal}"
                    )
                ]
            )
        files.update(
            {p.relative_to(portal).as_posix(): p for p in portal.rglob("*") if p.is_file()}
        )
    for name in case.spec.delete:
        files.pop(name, None)
    own = case.folder / SITE_DIR
    if own.is_dir():
        files.update({p.relative_to(own).as_posix(): p for p in own.rglob("*") if p.is_file()})
    return files


def _site_key(case: FixtureCase, sites_root: Path) -> str:
    """A fingerprint of everything the scan of this case depends on."""
    digest = hashlib.sha256()
    spec = case.spec
    head = {
        "agency": spec.agency.model_dump(mode="json"),
        "as_of": str(spec.as_of),
        "registry": [a.model_dump(mode="json") for a in spec.registry],
        "config": spec.site_config,
        "max_pages": spec.max_pages,
        "dns": spec.dns.model_dump(),
        "rewrite": spec.rewrite.model_dump() if spec.rewrite else None,
    }
    digest.update(json.dumps(head, sort_keys=True).encode())
    for rel, path in sorted(_site_files(case, sites_root).items()):
        digest.update(rel.encode() + b"\0")
        if spec.base and path.is_relative_to(sites_root):
            digest.update(f"{spec.base}\0".encode())  # a demo file: named by its place
        else:
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _write_site(case: FixtureCase, sites_root: Path, dest: Path) -> None:
    files = _site_files(case, sites_root)
    config: dict[str, Any] = {}
    site_yaml = files.pop("_site.yaml", None)
    if site_yaml is not None:
        config = yaml.safe_load(site_yaml.read_text(encoding="utf-8")) or {}
    config.update(case.spec.site_config)
    # a base site's aliases belong to the base host; keep them only when serving that host
    if case.spec.base and normalise_host(case.spec.agency.domain) != normalise_host(case.spec.base):
        config.pop("aliases", None)
    rewrite = case.spec.rewrite
    for rel, src in files.items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        changed = rewrite.apply(rel, src.read_bytes()) if rewrite else None
        if changed is None:
            shutil.copyfile(src, target)
        else:
            target.write_bytes(changed)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "_site.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def _served_names(folder: Path) -> set[str]:
    """The host names a site folder answers for: its name and its ``_site.yaml`` aliases."""
    names = {folder.name.lower()}
    config = folder / "_site.yaml"
    if config.is_file():
        data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        names |= {str(a).lower() for a in data.get("aliases") or ()}
    return names


@dataclass
class _Scan:
    """One crawl shared by the cases that describe the same portal."""

    key: str
    first: FixtureCase
    cases: list[FixtureCase] = field(default_factory=list)

    @property
    def hosts(self) -> set[str]:
        return {self.first.spec.agency.domain.lower()}


def _rounds(scans: list[_Scan]) -> list[list[_Scan]]:
    """Groups of scans whose hosts differ, so that one server can serve each group."""
    rounds: list[list[_Scan]] = []
    taken: list[set[str]] = []
    for scan in scans:
        for index, hosts in enumerate(taken):
            if not hosts & scan.hosts:
                rounds[index].append(scan)
                hosts |= scan.hosts
                break
        else:
            rounds.append([scan])
            taken.append(set(scan.hosts))
    return rounds


def _sub_pack(owners: list[Pack], cases: list[FixtureCase]) -> Pack:
    """One pack holding only the rules under test, with every document they cite."""
    wanted = {c.rule_id for c in cases}
    rules: dict[str, Rule] = {}
    documents: dict[str, DocumentInfo] = {}
    for pack in owners:
        rules.update({r.id: r for r in pack.rules if r.id in wanted})
        documents.update({d.id: d for d in pack.documents if d.id not in documents})
    return replace(owners[0], rules=tuple(rules.values()), documents=tuple(documents.values()))


def _target(case: FixtureCase) -> Target:
    spec = case.spec
    agencies = (spec.agency, *(a for a in spec.registry if a.domain != spec.agency.domain))
    registry = Registry(province="fixture", agencies=agencies)
    return Target(agency=spec.agency, registry=registry)


async def _run_round(
    group: list[_Scan],
    packs: dict[str, Pack],
    sites_root: Path,
    workdir: Path,
    gate: asyncio.Semaphore,
    cache_dir: Path | None = None,
) -> list[CaseResult]:
    sites = workdir / "sites"
    for scan in group:
        _write_site(scan.first, sites_root, sites / scan.first.spec.agency.domain.lower())
    taken = {n for scan in group for n in _served_names(sites / scan.first.spec.agency.domain)}
    for other in sorted(sites_root.iterdir()) if sites_root.is_dir() else ():
        # the other demo portals and national stand-ins, so that links between portals resolve
        names = _served_names(other)
        if other.is_dir() and not (sites / other.name).exists() and not names & taken:
            (sites / other.name).symlink_to(other.resolve(), target_is_directory=True)
            taken |= names
    results: list[CaseResult] = []
    served = _tree_digest(sites)

    def cached(scan: _Scan) -> Path | None:
        if cache_dir is None:
            return None
        key = hashlib.sha256(f"{CAPTURE_SCHEMA_VERSION}\0{scan.key}\0{served}".encode())
        return cache_dir / f"{key.hexdigest()[:32]}{CAPTURE_SUFFIX}"

    def judge_scan(scan: _Scan, capture: SiteCapture) -> None:
        spec = scan.first.spec
        sub = _sub_pack([packs[c.rule_id] for c in scan.cases], scan.cases)
        target = _target(scan.first)
        task = JudgeTask(capture, sub, spec.as_of, target.registry, agency=target.agency)
        found = {f.rule_id: f for f in judge(task).findings}
        for case in scan.cases:
            finding = found.get(case.rule_id)
            if finding is None:
                results.append(CaseResult(case, None, False, "rule not evaluated"))
                continue
            ok = finding.status == case.expected
            detail = "; ".join(e.detail.en for e in finding.evidence[:2])
            results.append(CaseResult(case, finding.status, ok, detail))

    todo: list[_Scan] = []
    for scan in group:
        path = cached(scan)
        if path is not None and path.is_file():
            judge_scan(scan, read_capture(path))  # captured before: judged offline
        else:
            todo.append(scan)
    if not todo:
        return results
    hosts_dns = {
        scan.first.spec.agency.domain: HostDns(scan.first.spec.dns.aaaa, scan.first.spec.dns.signed)
        for scan in todo
    }
    server = FixtureServer(sites, dns=hosts_dns)
    await asyncio.to_thread(server.start)
    try:
        settings = CrawlSettings(
            connect_to=server.connect_to(),
            ca_bundle=server.ca_pem_path,
            timeout_s=10.0,
            dns_server=server.dns_server,
        )
        async with Fetcher(settings) as fetcher:

            async def one(scan: _Scan) -> None:
                spec = scan.first.spec
                sub = _sub_pack([packs[c.rule_id] for c in scan.cases], scan.cases)
                target = _target(scan.first)
                plan = ScanPlan(
                    targets=(target,),
                    packs={spec.agency.key: sub},
                    as_of=spec.as_of,
                    out_dir=workdir,
                    formats=frozenset(),
                    lang="vi",
                    settings=settings.model_copy(update={"max_pages": spec.max_pages}),
                )
                async with gate:
                    capture = await capture_site(fetcher, target, plan)
                path = cached(scan)
                if path is not None:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    write_capture(capture, path)
                judge_scan(scan, capture)

            await asyncio.gather(*(one(scan) for scan in todo))
    finally:
        await asyncio.to_thread(server.close)
    return results


def _tree_digest(root: Path) -> str:
    """SHA-256 of every file served from ``root`` (links followed), by relative path."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


async def run_cases(
    cases: list[FixtureCase],
    packs: dict[str, Pack],
    sites_root: Path,
    cache_dir: Path | None = None,
) -> list[CaseResult]:
    """Scan every case (``packs``: rule id -> the pack holding it); one result per case.

    With ``cache_dir`` each portal's capture is kept there under a digest of everything it
    depends on (the case, the served files, the capture schema): an unchanged case is judged
    again from its capture, offline, without a crawl."""
    scans: dict[str, _Scan] = {}
    problems: list[Problem] = []
    for case in cases:
        try:
            key = _site_key(case, sites_root)
        except RuleError as exc:
            problems.extend(exc.problems)
            continue
        scans.setdefault(key, _Scan(key, case)).cases.append(case)
    if problems:
        raise RuleError(problems)
    gate = asyncio.Semaphore(SCANS_AT_ONCE)
    with tempfile.TemporaryDirectory(prefix="auditor-rule-fixtures-") as tmp:
        groups = _rounds(list(scans.values()))
        batches = await asyncio.gather(
            *(
                _run_round(group, packs, sites_root, Path(tmp) / str(i), gate, cache_dir)
                for i, group in enumerate(groups)
            )
        )
    order = {id(c): i for i, c in enumerate(cases)}
    out = [r for batch in batches for r in batch]
    return sorted(out, key=lambda r: order[id(r.case)])


def run_pack_fixtures(
    packs: list[Pack], fixtures_root: Path, sites_root: Path
) -> list[RuleTestReport]:
    """Run the fixtures of every rule of ``packs`` (one event loop, servers shared)."""
    reports: list[RuleTestReport] = []
    all_cases: list[FixtureCase] = []
    owner: dict[str, Pack] = {}
    for pack in packs:
        cases, report = collect(pack, fixtures_root)
        for case in cases:
            owner.setdefault(case.rule_id, pack)
        all_cases.extend(c for c in cases if owner[c.rule_id] is pack)
        reports.append(report)
    results = asyncio.run(run_cases(all_cases, owner, sites_root)) if all_cases else []
    by_pack = {r.pack_id: r for r in reports}
    for result in results:
        by_pack[owner[result.case.rule_id].id].results.append(result)
    # a rule inherited by several packs is run once, with the first pack that holds it
    for report in reports:
        pack = next(p for p in packs if p.id == report.pack_id)
        own = {r.id for r in pack.rules}
        known = {id(r) for r in report.results}
        for result in results:
            if result.case.rule_id in own and id(result) not in known:
                report.results.append(result)
                known.add(id(result))
    return reports


def rule_of(pack: Pack, rule_id: str) -> Rule | None:
    """The rule ``rule_id`` of ``pack``."""
    return next((r for r in pack.rules if r.id == rule_id), None)
