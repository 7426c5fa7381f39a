"""IPv6 and DNSSEC (Lâm Đồng Đ4 k2; Tuyên Quang Đ2 k2; NĐ 224/2026 Đ11 k4; TT 32/2017 Đ15 k4).

Both read ``art.dns`` (:func:`auditor.gather.dns.lookup_dns`). A lookup that could not be made or
did not answer is ``error`` ("could not tell"), never ``fail``: a staging host audited under its
final name, or a machine without a resolver, says nothing about the portal.
"""

from __future__ import annotations

from auditor.artifacts import Artifacts
from auditor.checks.registry import NoParams, check
from auditor.models import DnsFacts, Evidence, Outcome, t


def _where(facts: DnsFacts) -> str:
    return facts.server or "system resolver"


def _not_looked_up(art: Artifacts) -> Outcome:
    return Outcome(
        status="error",
        evidence=(
            Evidence(
                detail=t(
                    "Chưa tra cứu DNS cho tên miền này; không xác định được.",
                    "DNS was not looked up for this host; could not tell.",
                ),
                found=art.agency.domain,
            ),
        ),
    )


def _failed(facts: DnsFacts, error: str, what_vi: str, what_en: str) -> Outcome:
    return Outcome(
        status="error",
        evidence=(
            Evidence(
                detail=t(
                    f"Tra cứu DNS {what_vi} của {facts.host} thất bại; không xác định được.",
                    f"The DNS {what_en} lookup of {facts.host} failed; could not tell.",
                ),
                found=f"{error} [{_where(facts)}]",
            ),
        ),
    )


@check("ipv6_aaaa", requires=("dns",))
def ipv6_aaaa(art: Artifacts, p: NoParams) -> Outcome:
    """The host has an AAAA record (IPv6): present → pass, absent → fail, lookup failed → error."""
    facts = art.dns
    if facts is None:
        return _not_looked_up(art)
    if facts.error:
        return _failed(facts, facts.error, "AAAA", "AAAA")
    if facts.aaaa:
        return Outcome(
            status="pass",
            evidence=(
                Evidence(
                    detail=t(
                        f"{facts.host} có bản ghi AAAA (IPv6).",
                        f"{facts.host} has AAAA (IPv6) records.",
                    ),
                    expected="AAAA",
                    found=", ".join(facts.aaaa),
                ),
            ),
        )
    if facts.aaaa_error:
        return _failed(facts, facts.aaaa_error, "AAAA", "AAAA")
    found = f"A: {', '.join(facts.a)}; AAAA: —" if facts.a else "AAAA: —"
    return Outcome(
        status="fail",
        evidence=(
            Evidence(
                detail=t(
                    f"{facts.host} không có bản ghi AAAA: cổng chưa dùng địa chỉ IPv6.",
                    f"{facts.host} has no AAAA record: the portal is not reachable over IPv6.",
                ),
                expected="AAAA",
                found=f"{found} [{_where(facts)}]",
            ),
        ),
    )


@check("dnssec_hint", requires=("dns",))
def dnssec_hint(art: Artifacts, p: NoParams) -> Outcome:
    """DNSSEC signs (a DS record or RRSIGs): present → pass, absent → warn (a hint),
    lookup failed → error."""
    facts = art.dns
    if facts is None:
        return _not_looked_up(art)
    if facts.error:
        return _failed(facts, facts.error, "DNSSEC", "DNSSEC")
    signs: list[str] = []
    if facts.ds:
        signs.append(f"DS ({facts.ds_zone})")
    if facts.rrsig:
        signs.append("RRSIG")
    if signs:
        return Outcome(
            status="pass",
            evidence=(
                Evidence(
                    detail=t(
                        f"Tên miền {facts.host} được ký DNSSEC.",
                        f"The name {facts.host} is DNSSEC-signed.",
                    ),
                    expected="DS / RRSIG",
                    found=", ".join(signs),
                ),
            ),
        )
    if facts.dnssec_error:
        return _failed(facts, facts.dnssec_error, "DNSSEC", "DNSSEC")
    return Outcome(
        status="warn",
        evidence=(
            Evidence(
                detail=t(
                    f"Không thấy dấu hiệu DNSSEC (DS, RRSIG) cho {facts.host}: nên ký DNSSEC "
                    "(bắt buộc với cổng cung cấp dịch vụ công mức 3, 4).",
                    f"No DNSSEC signs (DS, RRSIG) for {facts.host}: signing is advised "
                    "(required for portals serving level 3–4 online public services).",
                ),
                expected="DS / RRSIG",
                found=f"— [{_where(facts)}]",
            ),
        ),
    )
