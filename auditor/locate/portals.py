"""Links from the home page to other state portals."""

from __future__ import annotations

from auditor.artifacts import Artifacts, host_of
from auditor.models import normalise_host
from auditor.page import Link

STATE_SUFFIXES = (".gov.vn", "chinhphu.vn", "quochoi.vn", "dangcongsan.vn")
STATE_ZONES = tuple(s.lstrip(".") for s in STATE_SUFFIXES)


def is_state_host(host: str) -> bool:
    """Whether ``host`` is a state zone or under one, on a dot boundary
    (``vpcp.chinhphu.vn`` is, ``attacker-chinhphu.vn`` is not)."""
    host = host.lower().rstrip(".")
    return any(host == zone or host.endswith("." + zone) for zone in STATE_ZONES)


MAX_STATE_LINKS = 8  # other state portals probed per site (one link per host)


def state_portal_links(art: Artifacts, limit: int = MAX_STATE_LINKS) -> list[Link]:
    """Home-page links to other state portals (``*.gov.vn``, ``chinhphu.vn``…), one per host.
    Links on the agency's own host are not among them, even to another agency's path there
    (a path-based agency's siblings and province): the scan requests that host only under the
    agency's prefix."""
    home = art.home
    if home is None:
        return []
    seen: set[str] = {normalise_host(art.agency.domain)}
    out: list[Link] = []
    for link in home.links:
        host = host_of(link.url)
        if not host or art.in_scope(link.url) or normalise_host(host) in seen:
            continue
        if is_state_host(host):
            seen.add(normalise_host(host))
            out.append(link)
            if len(out) >= limit:
                break
    return out
