"""Loopback HTTP/HTTPS server of the fixture portals (``fixtures/sites/<host>/``).

Each ``<sites_dir>/<host>/`` folder is a site, chosen by the ``Host`` header (and the TLS SNI);
``_site.yaml`` holds its switches (TLS, certificate, redirect, HSTS, charset, latency, aliases,
faults) and ``_search.yaml`` its search endpoint. Nothing is ever forwarded off the machine.

Order of an answer: unknown Host → 404; ``latency_ms`` wait; ``fault`` (on both schemes, after
the request is read: ``http500`` answers 500, ``reset`` sends a TCP RST, ``garbage`` non-HTTP bytes,
``hang`` nothing until the server closes); plain HTTP with ``http_redirect`` → 301 to https; the
search endpoint; files (see :mod:`auditor.fixtureserver.files`). HTTPS answers carry ``hsts``.
POST on another path answers as GET. The same names are answered by a loopback DNS server
(``FixtureServer.dns_server``; ``_site.yaml`` ``ipv6`` and ``dnssec`` switches).
Run ``python -m auditor.fixtureserver`` to try it by hand.
"""

from auditor.fixtureserver.dns import FixtureDns, HostDns, start_dns
from auditor.fixtureserver.handler import FixtureHandler, Hook, Request
from auditor.fixtureserver.server import FixtureServer, FixtureServerError
from auditor.fixtureserver.sites import SearchConfig, Site, SiteConfig, SiteConfigError, load_sites

__all__ = [
    "FixtureDns",
    "FixtureHandler",
    "FixtureServer",
    "FixtureServerError",
    "Hook",
    "HostDns",
    "Request",
    "SearchConfig",
    "Site",
    "SiteConfig",
    "SiteConfigError",
    "load_sites",
    "start_dns",
]
