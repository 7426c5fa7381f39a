"""Plan the judging of saved site captures (``auditor audit``): no crawl, no network."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from auditor.capture.warc import read_agency
from auditor.config import CrawlSettings
from auditor.errors import UsageError
from auditor.models import Lang, Registry, t
from auditor.paths import rules_dir
from auditor.registry import bundled_registries, find_agency
from auditor.scan import ScanPlan, Target, choose_packs


def plan_audit(
    files: list[Path],
    registry: Registry | None,
    profile: str | None,
    out_dir: Path,
    formats: frozenset[str],
    lang: Lang,
    as_of: date | None,
    custom_pack: Path | None = None,
    workers: int | None = None,
) -> ScanPlan:
    """A plan that judges ``files`` (site captures) instead of crawling.

    Each capture is checked (readable, known schema version) before anything is judged. The
    agency is the registry's entry for the captured domain when ``registry`` (or a bundled
    registry) lists it, else the agency as captured. Without ``as_of`` the captures are judged
    on the day they were made (all must share it).
    """
    if not files:
        raise UsageError(t("cần ít nhất một tệp CAPTURE", "give at least one CAPTURE file"))
    bundled = bundled_registries(rules_dir() / "registries")
    targets: list[Target] = []
    paths: dict[str, Path] = {}
    days: set[date] = set()
    for path in files:
        agency, captured_at = read_agency(path)
        days.add(captured_at.date())
        regs = ((registry,) if registry else ()) + bundled
        found = find_agency(agency.domain, regs, agency.path or "/")
        target = Target(agency=agency)
        if found is not None and found[0].key == agency.key:
            target = Target(agency=found[0], registry=found[1])
        key = target.agency.key
        if key in paths:
            raise UsageError(
                t(
                    f"hai bản ghi của {agency.address}: {paths[key]}, {path}",
                    f"two captures of {agency.address}: {paths[key]}, {path}",
                )
            )
        paths[key] = path
        targets.append(target)
    if as_of is None:
        if len(days) > 1:
            listed = ", ".join(str(d) for d in sorted(days))
            raise UsageError(
                t(
                    f"các bản ghi được thu vào những ngày khác nhau ({listed}): "
                    "cho --as-of YYYY-MM-DD",
                    f"the captures were made on different days ({listed}): give --as-of YYYY-MM-DD",
                )
            )
        as_of = days.pop()
    parsed = tuple(targets)
    chosen = profile or (registry.profile if registry else None)
    return ScanPlan(
        targets=parsed,
        packs=choose_packs(parsed, rules_dir(), chosen, custom_pack),
        as_of=as_of,
        out_dir=out_dir,
        formats=formats,
        lang=lang,
        settings=CrawlSettings(),
        registry=registry,
        workers=workers,
        capture_files=paths,
    )
