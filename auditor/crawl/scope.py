"""What a scan may request for one agency: its registered host (and the ``www.`` twin), under
the agency's path prefix when it has one, plus hosts its rule pack names as link targets.

Host boundaries are matched on dots: ``attacker-chinhphu.vn`` is not under ``chinhphu.vn``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from auditor.hostnames import on_site
from auditor.models import Agency, normalise_host


def host_of_url(url: str) -> str:
    """The normalised host of ``url`` (``www.`` and final dot dropped; '' when none)."""
    try:
        return normalise_host(urlsplit(url).hostname or "")
    except ValueError:
        return ""


def host_under(host: str, base: str) -> bool:
    """Whether ``host`` is ``base`` or one of its subdomains (a dot boundary, case-insensitive).

    >>> host_under("vpcp.chinhphu.vn", "chinhphu.vn")
    True
    >>> host_under("attacker-chinhphu.vn", "chinhphu.vn")
    False
    """
    host = host.lower().rstrip(".")
    base = base.lower().strip(".")
    return bool(base) and (host == base or host.endswith("." + base))


def _prefix(path: str | None) -> str | None:
    if not path or path.strip("/") == "":
        return None
    return "/" + path.strip("/") + "/"


@dataclass(frozen=True)
class Scope:
    """The requests allowed for one agency.

    ``site(url)`` is the crawl scope (pages, robots.txt, sitemap, search, section pages);
    ``probe(url)`` adds the pack's link-target hosts, which are requested once, never crawled.
    """

    hosts: frozenset[str]  # normalised: "www." dropped, so the www twin matches too
    path: str | None = None  # "/sites/stp/" for a path-based agency
    link_hosts: frozenset[str] = frozenset()  # the pack's link targets (and their subdomains)

    @classmethod
    def of(cls, agency: Agency, link_hosts: tuple[str, ...] = ()) -> Scope:
        """The scope of ``agency``."""
        return cls(
            hosts=frozenset({normalise_host(agency.domain)}),
            path=_prefix(agency.path),
            link_hosts=frozenset(normalise_host(h) for h in link_hosts if h.strip()),
        )

    @classmethod
    def around(cls, url: str) -> Scope:
        """The scope of a single probe: ``url``'s host and its ``www.`` twin."""
        return cls(hosts=frozenset({host_of_url(url)}))

    def on_host(self, url: str) -> bool:
        """Whether ``url`` is on the agency's host (path not considered)."""
        return host_of_url(url) in self.hosts

    def site(self, url: str) -> bool:
        """Whether ``url`` is on the agency's site: its host and, if any, under its path
        (:func:`auditor.hostnames.on_site`, the definition the checks use too)."""
        return on_site(url, self.hosts, self.path)

    def probe(self, url: str) -> bool:
        """Whether ``url`` may be requested once: on the site or on a pack link-target host."""
        if self.site(url):
            return True
        host = host_of_url(url)
        return any(host_under(host, base) for base in self.link_hosts)

    def __call__(self, url: str) -> bool:
        """The crawl scope (:meth:`site`)."""
        return self.site(url)
