"""What makes two runs comparable: digests of the rule packs and of the verdict-changing settings.

A report carries its run's :class:`~auditor.models.RunStamp`; ``--resume`` reuses a report, and
``auditor merge`` joins shard outputs, only when the audit date, the pack digest and the settings
digest agree. Settings that only route or pace the requests (``--connect-to``, ``--ca-bundle``,
``--dns-server``, concurrency, delay) are left out, so the demo's random loopback ports or a
politer crawl do not make two identical plans look different.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from auditor.config import CrawlSettings
from auditor.models import AuditReport, LocalText, RunStamp, Waiver, address_key, t
from auditor.rules.loader import Pack

# routing and pacing: they change how a portal is reached, not what is judged
ROUTING_SETTINGS = frozenset(
    {"connect_to", "ca_bundle", "dns_server", "concurrency", "per_host", "delay_s"}
)


def _sha256(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_run_id(now: datetime | None = None) -> str:
    """A run id that sorts by time and is unique across machines: ``20261201T031500Z-1a2b3c``."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def pack_digest(pack: Pack) -> str:
    """sha256 of the pack as loaded (its base pack merged in): rules, documents and scoring."""
    return _sha256(
        {
            "id": pack.id,
            "title": pack.title.model_dump(mode="json"),
            "draft": pack.draft,
            "domains": list(pack.domains),
            "documents": [d.model_dump(mode="json") for d in pack.documents],
            "rules": [r.model_dump(mode="json") for r in pack.rules],
            "scoring": pack.scoring.model_dump(mode="json"),
            "extends": pack.extends,
            "retired": sorted(r.id for r, _ in pack.retired),
        }
    )


def settings_digest(settings: CrawlSettings, waivers: Iterable[Waiver] = ()) -> str:
    """sha256 of the crawl settings that can change a verdict, and of the waivers."""
    kept = settings.model_dump(mode="json", exclude=set(ROUTING_SETTINGS))
    return _sha256({"settings": kept, "waivers": [w.model_dump(mode="json") for w in waivers]})


def make_stamp(
    packs: Mapping[str, Pack],
    settings: CrawlSettings,
    waivers: Iterable[Waiver] = (),
    shard: str | None = None,
    run_id: str | None = None,
) -> RunStamp:
    """The stamp of a run auditing with ``packs`` (target domain -> pack) and ``settings``."""
    digests = {pack.id: pack_digest(pack) for pack in {id(p): p for p in packs.values()}.values()}
    return RunStamp(
        run_id=run_id or new_run_id(),
        settings_digest=settings_digest(settings, waivers),
        packs=dict(sorted(digests.items())),
        shard=shard,
    )


def same_plan(report: AuditReport, stamp: RunStamp, as_of: date) -> bool:
    """Whether ``report`` was audited under the plan of ``stamp`` on ``as_of``: same audit date,
    same settings digest and the same digest of the report's rule pack."""
    if report.run is None or report.as_of != as_of:
        return False
    if report.run.settings_digest != stamp.settings_digest:
        return False
    pack = report.profile.id
    return pack in stamp.packs and report.run.packs.get(pack) == stamp.packs[pack]


def comparable(a: RunStamp, b: RunStamp) -> list[LocalText]:
    """Why two runs cannot be joined (different settings, or a pack both use differs); empty
    when they can."""
    reasons: list[LocalText] = []
    if a.settings_digest != b.settings_digest:
        reasons.append(t("khác thiết lập (mã thiết lập)", "different settings (settings digest)"))
    for pack in sorted(set(a.packs) & set(b.packs)):
        if a.packs[pack] != b.packs[pack]:
            reasons.append(
                t(
                    f"khác bộ tiêu chí {pack!r} (mã bộ tiêu chí)",
                    f"different rule pack {pack!r} (pack digest)",
                )
            )
    return reasons


def agency_key(domain: str, path: str | None = None) -> str:
    """The key of an agency across runs (:attr:`auditor.models.Agency.key`): its normalised
    host, plus the URL path prefix of a path-based agency (``lamdong.gov.vn/sites/stp/``)."""
    return address_key(domain + (path or ""))
