"""Links from the home page to other state portals."""

from __future__ import annotations

from auditor.artifacts import Artifacts, host_of
from auditor.page import Link

STATE_SUFFIXES = (".gov.vn", "chinhphu.vn", "quochoi.vn", "dangcongsan.vn")


MAX_STATE_LINKS = 8  # other state portals probed per site (one link per host)


def state_portal_links(art: Artifacts, limit: int = MAX_STATE_LINKS) -> list[Link]:
    """Home-page links to other state portals (``*.gov.vn``, ``chinhphu.vn``…), one per host."""
    home = art.home
    if home is None:
        return []
    seen: set[str] = set()
    out: list[Link] = []
    for link in home.links:
        host = host_of(link.url)
        if not host or art.in_scope(link.url) or host in seen:
            continue
        if host.endswith(STATE_SUFFIXES) or host in {s.lstrip(".") for s in STATE_SUFFIXES}:
            seen.add(host)
            out.append(link)
            if len(out) >= limit:
                break
    return out
