"""DNS lookups (A, AAAA, DS/RRSIG) against a real DNS server on loopback, and the IPv6 and
DNSSEC primitives on what they found."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from dnslib import AAAA, DS, QTYPE, RCODE, RR, RRSIG, A, DNSRecord
from dnslib.server import DNSLogger, DNSServer

from auditor.artifacts import Artifacts
from auditor.checks.dns import dnssec_hint, ipv6_aaaa
from auditor.checks.registry import NoParams
from auditor.config import ConnectTo, CrawlSettings
from auditor.errors import UsageError
from auditor.gather.dns import MAX_TIMEOUT_S, lookup_dns, parse_dns_server, site_dns
from auditor.models import Agency, DnsFacts

SIG = RRSIG(QTYPE.A, 8, 3, 300, 2000000000, 1700000000, 12345, "lamdong.gov.vn.", b"\x00" * 16)

# name → {qtype: [rdata]}; names not listed are NXDOMAIN
ZONE: dict[str, dict[str, list[Any]]] = {
    "soctrang.gov.vn.": {
        "A": [A("192.0.2.1")],
        "AAAA": [AAAA("2001:db8::1")],
        "DS": [DS(12345, 8, 2, b"\x01" * 32)],
    },
    "sotttt.soctrang.gov.vn.": {"A": [A("192.0.2.2")], "AAAA": [AAAA("2001:db8::2")]},
    "v4only.lamdong.gov.vn.": {"A": [A("192.0.2.3")]},
    "lamdong.gov.vn.": {"A": [A("192.0.2.4")]},
    "signed.quangninh.gov.vn.": {"A": [A("192.0.2.5")], "AAAA": [AAAA("2001:db8::5")]},
    "quangninh.gov.vn.": {"A": [A("192.0.2.6")]},
}
SIGNED = {"signed.quangninh.gov.vn."}  # answers carry an RRSIG
BROKEN = {"broken.lamdong.gov.vn."}  # SERVFAIL


class ZoneResolver:
    """A tiny authoritative answerer for the names above."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def resolve(self, request: DNSRecord, handler: object) -> DNSRecord:
        reply = request.reply()
        qname = str(request.q.qname).lower()
        qtype = QTYPE[request.q.qtype]
        self.asked.append((qname, qtype))
        if qname in BROKEN:
            reply.header.rcode = RCODE.SERVFAIL
            return reply
        records = ZONE.get(qname)
        if records is None:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        for rdata in records.get(qtype, []):
            reply.add_answer(RR(qname, QTYPE.reverse[qtype], rdata=rdata, ttl=300))
        if qname in SIGNED and records.get(qtype):
            reply.add_answer(
                RR(qname, QTYPE.RRSIG, rdata=SIG, ttl=300)
            )  # covers A only: enough for a sign
        return reply


class Quiet(DNSLogger):
    def __init__(self) -> None:
        super().__init__(logf=lambda _s: None)


@pytest.fixture(scope="module")
def dns_server() -> Iterator[tuple[str, ZoneResolver]]:
    resolver = ZoneResolver()
    server = DNSServer(resolver, address="127.0.0.1", port=0, logger=Quiet())
    server.start_thread()
    port = server.server.server_address[1]
    try:
        yield f"127.0.0.1:{port}", resolver
    finally:
        server.stop()
        server.server.server_close()


@pytest.fixture
def silent() -> Iterator[str]:
    """A UDP port that takes queries and never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield f"127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


def look(host: str, server: str | None, timeout: float = 2.0) -> DnsFacts:
    return asyncio.run(lookup_dns(host, server, timeout))


def art(facts: DnsFacts | None, domain: str = "soctrang.gov.vn") -> Artifacts:
    agency = Agency(name="Cơ quan", level="province", domain=domain)
    return Artifacts(
        agency=agency, as_of=date(2026, 11, 20), start_url=f"https://{domain}/", dns=facts
    )


NP = NoParams()


# --- lookup_dns --------------------------------------------------------------------------------


def test_a_aaaa_and_ds_of_a_signed_zone(dns_server: tuple[str, ZoneResolver]) -> None:
    server, _ = dns_server
    facts = look("soctrang.gov.vn", server)
    assert facts.a == ("192.0.2.1",) and facts.aaaa == ("2001:db8::1",)
    assert facts.ds and facts.ds_zone == "soctrang.gov.vn" and not facts.rrsig
    assert facts.server == server and facts.error is None and facts.aaaa_error is None


def test_only_the_hosts_own_ds_counts(dns_server: tuple[str, ZoneResolver]) -> None:
    server, resolver = dns_server
    child = look("sotttt.soctrang.gov.vn", server)
    assert child.aaaa == ("2001:db8::2",)
    # the parent's DS says nothing about a child that may be delegated to an unsigned zone
    assert not child.ds and child.ds_zone is None
    apex = look("soctrang.gov.vn", server)
    assert apex.ds and apex.ds_zone == "soctrang.gov.vn"
    asked_ds = {name for name, qtype in resolver.asked if qtype == "DS"}
    assert asked_ds <= {"sotttt.soctrang.gov.vn.", "soctrang.gov.vn."}  # no walk up the tree


def test_rrsig_in_answers_is_a_dnssec_sign(dns_server: tuple[str, ZoneResolver]) -> None:
    facts = look("signed.quangninh.gov.vn", dns_server[0])
    assert facts.rrsig and not facts.ds
    assert facts.aaaa == ("2001:db8::5",)


def test_no_aaaa_is_an_empty_answer_not_an_error(dns_server: tuple[str, ZoneResolver]) -> None:
    facts = look("v4only.lamdong.gov.vn", dns_server[0])
    assert facts.a == ("192.0.2.3",) and facts.aaaa == ()
    assert facts.aaaa_error is None and facts.dnssec_error is None
    assert not facts.ds and not facts.rrsig


def test_nxdomain_and_servfail_are_recorded(dns_server: tuple[str, ZoneResolver]) -> None:
    server = dns_server[0]
    missing = look("missing.lamdong.gov.vn", server)
    assert (
        missing.aaaa_error == f"nxdomain: missing.lamdong.gov.vn does not exist in DNS ({server})"
    )
    assert missing.dnssec_error is not None
    broken = look("broken.lamdong.gov.vn", server)
    assert broken.aaaa_error is not None and broken.aaaa_error.startswith("servfail:")
    assert broken.aaaa == ()


def test_silent_server_times_out_quickly(silent: str) -> None:
    started = time.monotonic()
    facts = look("soctrang.gov.vn", silent, timeout=0.3)
    assert time.monotonic() - started < 2.0
    assert facts.aaaa_error == f"timeout: no answer from {silent} within 0.3 s"
    assert facts.a_error is not None and facts.dnssec_error is not None


def test_addresses_and_bad_names_are_facts_not_exceptions(
    dns_server: tuple[str, ZoneResolver],
) -> None:
    assert look("127.0.0.1", dns_server[0]).error == "other: 127.0.0.1 is an address, not a name"
    bad = look("a..b.gov.vn", dns_server[0])
    assert bad.error is not None and bad.error.startswith("other:")


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("127.0.0.1", ("127.0.0.1", 53)),
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        ("::1", ("::1", 53)),
        ("[::1]:5353", ("::1", 5353)),
        (" 8.8.8.8 ", ("8.8.8.8", 53)),
    ],
)
def test_parse_dns_server(value: str, parsed: tuple[str, int]) -> None:
    assert parse_dns_server(value) == parsed


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("dns.google", "is not an IP address"),
        ("127.0.0.1:0", "port must be 1–65535"),
        ("127.0.0.1:99999", "port must be 1–65535"),
        ("127.0.0.1:x", "port must be 1–65535"),
        ("[::1", "expected ADDR[:PORT]"),
        ("[::1]x", "expected ADDR[:PORT]"),
        ("", "is not an IP address"),
    ],
)
def test_bad_server_is_a_usage_error(value: str, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_dns_server(value)
    with pytest.raises(UsageError):
        asyncio.run(lookup_dns("soctrang.gov.vn", value, 0.5))


def test_settings_carry_the_dns_server() -> None:
    assert CrawlSettings().dns_server is None
    assert CrawlSettings(dns_server="127.0.0.1:5353").dns_server == "127.0.0.1:5353"


# --- primitives on real lookups ------------------------------------------------------------------


def test_ipv6_pass_with_the_addresses(dns_server: tuple[str, ZoneResolver]) -> None:
    out = ipv6_aaaa(art(look("soctrang.gov.vn", dns_server[0])), NP)
    assert out.status == "pass"
    assert out.evidence[0].found == "2001:db8::1" and out.evidence[0].expected == "AAAA"
    assert "IPv6" in out.evidence[0].detail.vi


def test_ipv6_fail_without_aaaa(dns_server: tuple[str, ZoneResolver]) -> None:
    facts = look("v4only.lamdong.gov.vn", dns_server[0])
    out = ipv6_aaaa(art(facts, "v4only.lamdong.gov.vn"), NP)
    assert out.status == "fail"
    assert out.evidence[0].found == f"A: 192.0.2.3; AAAA: — [{dns_server[0]}]"
    assert "no AAAA record" in out.evidence[0].detail.en


@pytest.mark.parametrize("host", ["missing.lamdong.gov.vn", "broken.lamdong.gov.vn"])
def test_ipv6_error_when_lookup_fails(dns_server: tuple[str, ZoneResolver], host: str) -> None:
    out = ipv6_aaaa(art(look(host, dns_server[0]), host), NP)
    assert out.status == "error"
    assert "could not tell" in out.evidence[0].detail.en
    assert out.evidence[0].found is not None and dns_server[0] in out.evidence[0].found


def test_ipv6_and_dnssec_error_on_timeout_and_when_not_looked_up(silent: str) -> None:
    facts = look("soctrang.gov.vn", silent, timeout=0.2)
    for primitive in (ipv6_aaaa, dnssec_hint):
        out = primitive(art(facts), NP)
        assert out.status == "error"
        assert out.evidence[0].found is not None and "timeout" in out.evidence[0].found
        none = primitive(art(None), NP)
        assert none.status == "error"
        assert "not looked up" in none.evidence[0].detail.en
        assert none.evidence[0].found == "soctrang.gov.vn"


def test_dnssec_pass_by_ds_or_rrsig_and_warn_without(dns_server: tuple[str, ZoneResolver]) -> None:
    server = dns_server[0]
    by_ds = dnssec_hint(art(look("soctrang.gov.vn", server)), NP)
    assert by_ds.status == "pass" and by_ds.evidence[0].found == "DS (soctrang.gov.vn)"
    assert dnssec_hint(art(look("sotttt.soctrang.gov.vn", server)), NP).status == "warn"
    by_sig = dnssec_hint(art(look("signed.quangninh.gov.vn", server)), NP)
    assert by_sig.status == "pass" and by_sig.evidence[0].found == "RRSIG"
    unsigned = dnssec_hint(art(look("v4only.lamdong.gov.vn", server)), NP)
    assert unsigned.status == "warn"
    assert unsigned.evidence[0].expected == "DS / RRSIG"
    assert "No DNSSEC signs" in unsigned.evidence[0].detail.en
    missing = dnssec_hint(art(look("missing.lamdong.gov.vn", server)), NP)
    assert missing.status == "error"


def test_lookup_error_field_makes_both_primitives_error() -> None:
    facts = DnsFacts(host="soctrang.gov.vn", error="no-resolver: this machine has no DNS resolver")
    for primitive in (ipv6_aaaa, dnssec_hint):
        out = primitive(art(facts), NP)
        assert out.status == "error"
        assert (
            out.evidence[0].found
            == "no-resolver: this machine has no DNS resolver [system resolver]"
        )


# --- the scan's policy ---------------------------------------------------------------------------

DEMO_ROUTES = (
    ConnectTo(port=443, addr="127.0.0.1", addr_port=8443),
    ConnectTo(port=80, addr="127.0.0.1", addr_port=8080),
)


def test_routed_host_without_dns_server_is_not_looked_up() -> None:
    started = time.monotonic()
    facts = asyncio.run(site_dns("soctrang.gov.vn", CrawlSettings(connect_to=DEMO_ROUTES)))
    assert time.monotonic() - started < 0.5
    assert facts.error is not None and facts.error.startswith("skipped:")
    out = ipv6_aaaa(art(facts), NP)
    assert out.status == "error" and "--dns-server" in (out.evidence[0].found or "")
    # a rule naming this very host counts as well
    own = (ConnectTo(host="kesach.soctrang.gov.vn", addr="127.0.0.1"),)
    routed = asyncio.run(site_dns("kesach.soctrang.gov.vn", CrawlSettings(connect_to=own)))
    assert routed.error is not None and routed.error.startswith("skipped:")


def test_dns_server_is_asked_even_for_a_routed_host(dns_server: tuple[str, ZoneResolver]) -> None:
    settings = CrawlSettings(connect_to=DEMO_ROUTES, dns_server=dns_server[0])
    facts = asyncio.run(site_dns("soctrang.gov.vn", settings))
    assert facts.aaaa == ("2001:db8::1",) and facts.server == dns_server[0]


def test_scan_lookup_is_bounded(silent: str) -> None:
    settings = CrawlSettings(dns_server=silent, timeout_s=0.3)
    started = time.monotonic()
    facts = asyncio.run(site_dns("soctrang.gov.vn", settings))
    assert time.monotonic() - started < 2.0
    assert facts.aaaa_error is not None and facts.aaaa_error.startswith("timeout:")
    assert ipv6_aaaa(art(facts), NP).status == "error"
    assert MAX_TIMEOUT_S <= 5


def test_system_resolver_never_makes_a_fail_for_a_name_that_cannot_exist() -> None:
    # RFC 6761: .invalid never resolves; whatever this machine's resolver does (answer
    # NXDOMAIN, time out, be absent), the verdict is error, and it comes back in time
    started = time.monotonic()
    facts = asyncio.run(site_dns("portal.example.invalid", CrawlSettings(timeout_s=1.0)))
    assert time.monotonic() - started < 3 * 1.0 + 2
    assert ipv6_aaaa(art(facts, "portal.example.invalid"), NP).status == "error"
    assert dnssec_hint(art(facts, "portal.example.invalid"), NP).status == "error"
