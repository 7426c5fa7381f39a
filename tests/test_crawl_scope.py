"""The request scope, public-address check and Retry-After parsing (no network)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpcore
import pytest

from auditor.crawl.fetcher import retry_after_s
from auditor.crawl.resolve import BlockedAddress, GuardedBackend, is_public
from auditor.crawl.scope import Scope, host_under
from auditor.locate.portals import is_state_host
from auditor.models import Agency, status_broken, status_observed


def test_host_boundaries_are_matched_on_dots() -> None:
    assert host_under("vpcp.chinhphu.vn", "chinhphu.vn") and host_under(
        "chinhphu.vn", "chinhphu.vn"
    )
    assert not host_under("attacker-chinhphu.vn", "chinhphu.vn")
    assert not host_under("chinhphu.vn.attacker.com", "chinhphu.vn")
    assert is_state_host("soctrang.gov.vn") and is_state_host("chinhphu.vn")
    assert not is_state_host("attacker-chinhphu.vn") and not is_state_host("gov.vn.evil.com")


def test_scope_of_an_agency_and_its_www_twin() -> None:
    scope = Scope.of(Agency(name="UBND", level="province", domain="soctrang.gov.vn"), ("vbpl.vn",))
    assert scope.site("https://soctrang.gov.vn/tin-tuc/") and scope.site(
        "http://www.soctrang.gov.vn/"
    )
    assert not scope.site("https://sotttt.soctrang.gov.vn/")  # a sub-domain is another portal
    assert not scope.site("https://soctrang.gov.vn.evil.com/")
    assert scope.probe("https://vbpl.vn/van-ban/1") and scope.probe("https://www.vbpl.vn/")
    assert not scope.site("https://vbpl.vn/van-ban/1")  # a link target, never crawled
    assert not scope.probe("https://evil-vbpl.vn/")


def test_scope_of_a_path_based_agency() -> None:
    agency = Agency(
        name="Sở Tư pháp", level="department", domain="lamdong.gov.vn", path="/sites/stp/"
    )
    scope = Scope.of(agency)
    assert scope.site("https://lamdong.gov.vn/sites/stp/") and scope.site(
        "https://lamdong.gov.vn/sites/stp"
    )
    assert scope.site("https://www.lamdong.gov.vn/sites/stp/tin-tuc/a.html")
    assert not scope.site("https://lamdong.gov.vn/sites/sxd/")
    assert not scope.site("https://lamdong.gov.vn/")


@pytest.mark.parametrize(
    "address",
    [
        "10.9.9.9", "172.16.0.1", "192.168.1.1", "127.0.0.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "224.0.0.1", "255.255.255.255", "192.0.2.1", "::1", "::", "fe80::1",
        "fd00::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "64:ff9b::a00:1",
        "2002:a00:1::1", "not-an-address",
    ],
)  # fmt: skip
def test_non_public_addresses(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "203.162.4.190", "2001:4860:4860::8888"])
def test_public_addresses(address: str) -> None:
    assert is_public(address)


class _Recorder(httpcore.AsyncNetworkBackend):
    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    async def connect_tcp(
        self, host: str, port: int, *args: object, **kw: object
    ) -> httpcore.AsyncNetworkStream:  # type: ignore[override]
        self.calls.append((host, port))
        raise httpcore.ConnectError("recorded")


def test_private_addresses_are_refused_unless_allowed_or_routed() -> None:
    from auditor.config import ConnectTo

    async def connect(backend: GuardedBackend, host: str) -> None:
        await backend.connect_tcp(host, 80, timeout=1.0)

    rec = _Recorder()
    with pytest.raises(BlockedAddress, match=r"non-public address 169\.254\.169\.254"):
        asyncio.run(connect(GuardedBackend(backend=rec), "169.254.169.254"))
    with pytest.raises(BlockedAddress):
        asyncio.run(connect(GuardedBackend(backend=rec), "::ffff:10.0.0.1"))
    assert rec.calls == []
    with pytest.raises(httpcore.ConnectError, match="recorded"):
        asyncio.run(connect(GuardedBackend(allow_private=True, backend=rec), "10.9.9.9"))
    route = ConnectTo(host="staging.gov.vn", addr="10.1.2.3", addr_port=8080)
    with pytest.raises(httpcore.ConnectError, match="recorded"):
        asyncio.run(connect(GuardedBackend([route], backend=rec), "staging.gov.vn"))
    assert rec.calls == [("10.9.9.9", 80), ("10.1.2.3", 8080)]


def test_retry_after_seconds_or_date() -> None:
    now = datetime(2026, 11, 20, 8, 0, 0, tzinfo=UTC)
    assert retry_after_s("7") == 7.0
    assert retry_after_s("Fri, 20 Nov 2026 08:00:30 GMT", now) == 30.0
    assert retry_after_s("Fri, 20 Nov 2026 07:00:00 GMT", now) == 0.0
    assert retry_after_s("soon") is None and retry_after_s(None) is None


def test_passing_statuses_are_not_observed() -> None:
    assert status_observed(200) and status_observed(404) and status_broken(404)
    for status in (0, 408, 429, 500, 502, 503, 504):
        assert not status_observed(status) and not status_broken(status)
