"""Settings for a scan, built from command-line flags."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from auditor.models import Frozen


class ConnectTo(Frozen):
    """A curl-style ``HOST:PORT:ADDR:PORT`` override; empty host or port match any."""

    host: str = ""
    port: int | None = None
    addr: str
    addr_port: int | None = None  # None keeps the requested port

    def matches(self, host: str, port: int) -> bool:
        """Whether a connection to ``host:port`` is redirected by this override."""
        host_ok = not self.host or self.host.lower() == host.lower()
        port_ok = self.port is None or self.port == port
        return host_ok and port_ok


class CrawlSettings(Frozen):
    """Limits and politeness of the crawler, and how it connects."""

    max_pages: int = Field(default=60, ge=1)
    max_depth: int = Field(default=3, ge=0)
    max_bytes: int = Field(default=3_000_000, ge=1024)  # per page
    concurrency: int = Field(default=8, ge=1)  # requests in flight over the whole run
    per_host: int = Field(default=4, ge=1)  # requests in flight per host
    delay_s: float = Field(default=0.0, ge=0)  # pause between requests to one host
    timeout_s: float = Field(default=15.0, gt=0)
    # extra tries for transient answers (408/429/502/503/504, resets, timeouts), with
    # exponential backoff and jitter; a Retry-After is honoured up to retry_wait_max_s
    retries: int = Field(default=3, ge=0, le=10)
    retry_wait_max_s: float = Field(default=30.0, ge=0)
    # a portal's crawl and probes end after this; what was gathered is judged, the rest is error
    portal_timeout_s: float = Field(default=600.0, gt=0)
    user_agent: str = "auditor/0.1 (+compliance audit of state portals)"
    connect_to: tuple[ConnectTo, ...] = ()
    ca_bundle: Path | None = None
    respect_robots: bool = True  # False: --ignore-robots (an inspectorate's legal mandate)
    allow_private: bool = False  # --allow-private: non-public addresses may be requested
    dns_server: str | None = None  # "ADDR[:PORT]" for A/AAAA/DNSSEC lookups; None: the system's
