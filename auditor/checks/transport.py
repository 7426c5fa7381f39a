"""HTTPS and transport checks (Sóc Trăng Đ6 k2; TT 32/2017 Đ20)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pydantic import field_validator

from auditor.artifacts import Artifacts, host_of
from auditor.checks.registry import NoParams, Params, check, of_page
from auditor.models import (
    Evidence,
    Outcome,
    RedirectHop,
    TransportProbe,
    normalise_host,
    probe_observed,
    status_observed,
    t,
)
from auditor.page import Page, read_once

_MAX_AGE = re.compile(r"max-age\s*=\s*\"?(\d+)", re.I)


def _chain(probe: TransportProbe) -> str:
    """A redirect chain as 'url (301) → url (200)'."""
    hops: list[RedirectHop] = list(probe.redirects)
    parts = [f"{h.url} ({h.status})" for h in hops]
    if probe.final_url:
        parts.append(f"{probe.final_url} ({probe.status})")
    return " → ".join(parts) if parts else probe.url


# What a verification error says, as (Vietnamese, English) reasons; first match wins.
_TLS_REASONS: tuple[tuple[str, str, str], ...] = (
    ("certificate has expired", "chứng thư đã hết hạn", "the certificate has expired"),
    ("not yet valid", "chứng thư chưa đến ngày hiệu lực", "the certificate is not yet valid"),
    (
        "hostname mismatch",
        "chứng thư không cấp cho tên miền này",
        "the certificate is for another name",
    ),
    ("self-signed", "chứng thư tự ký", "the certificate is self-signed"),
    ("self signed", "chứng thư tự ký", "the certificate is self-signed"),
    (
        "unable to get local issuer",
        "chứng thư do nơi cấp không được tin cậy (thiếu chuỗi chứng thư)",
        "the certificate's issuer is not trusted (or the chain is incomplete)",
    ),
    ("unknown ca", "nơi cấp chứng thư không được tin cậy", "the issuer is not trusted"),
    ("wrong version number", "máy chủ không nói TLS trên cổng 443", "no TLS on port 443"),
)


def tls_reason(error: str | None) -> tuple[str, str]:
    """Why a TLS connection failed, in Vietnamese and English, from the verifier's message."""
    low = (error or "").lower()
    for needle, vi, en in _TLS_REASONS:
        if needle in low:
            return vi, en
    return "bắt tay TLS thất bại", "the TLS handshake failed"


def _days_left(art: Artifacts, probe: TransportProbe) -> int | None:
    if probe.tls is None or probe.tls.cert_not_after is None:
        return None
    return (probe.tls.cert_not_after.date() - art.as_of).days


def _unreachable(art: Artifacts) -> Outcome | None:
    """``error`` when neither scheme answered: nothing can be judged."""
    https, http = art.https, art.http
    if https is None or http is None:
        return Outcome(
            status="error",
            evidence=(Evidence(detail=t("Chưa thăm dò HTTP/HTTPS.", "HTTP/HTTPS not probed.")),),
        )
    if not https.ok and not http.ok and https.error_kind != "tls":
        return Outcome(
            status="error",
            evidence=(
                Evidence(
                    url=https.url,
                    detail=t(
                        "Không quan sát được câu trả lời nào của cổng, qua HTTPS lẫn HTTP.",
                        "No answer of the portal was observed, over HTTPS or over HTTP.",
                    ),
                    found=f"https: {https.error}; http: {http.error}",
                ),
            ),
        )
    return None


def _cause(probe: TransportProbe) -> tuple[str, str]:
    """Why a probe that is not observed showed nothing, in Vietnamese and English."""
    if probe.ok:
        if probe.status in (401, 403):
            return (
                f"máy chủ từ chối yêu cầu của công cụ (HTTP {probe.status}: tường lửa hoặc đăng "
                "nhập)",
                f"the server refused the audit's requests (HTTP {probe.status}: a firewall or a "
                "login wall)",
            )
        return (
            f"máy chủ báo lỗi tạm thời (HTTP {probe.status}, sau các lần thử lại)",
            f"the server answered with a passing error (HTTP {probe.status}, after retries)",
        )
    kind = probe.error_kind
    if kind == "timeout":
        return "không trả lời kịp thời", "it timed out"
    if kind == "other":
        return (
            "không được thăm dò (phạm vi, robots.txt)",
            "it was not requested (scope, robots.txt)",
        )
    if kind == "protocol":
        return "trao đổi HTTP không hợp lệ", "no valid HTTP exchange"
    return (
        "kết nối bị ngắt hoặc không lập được (sau các lần thử lại)",
        "the connection was lost or could not be made (after retries)",
    )


def _not_observed(probe: TransportProbe, scheme: str) -> Outcome:
    """``error``: the probe of ``scheme`` showed nothing about the server (see
    :func:`~auditor.models.probe_observed`), so nothing is concluded from it."""
    vi, en = _cause(probe)
    return Outcome(
        status="error",
        evidence=(
            Evidence(
                url=probe.url,
                detail=t(
                    f"Không quan sát được {scheme}: {vi}; không có bằng chứng để kết luận.",
                    f"{scheme} could not be observed: {en}; no evidence to conclude from.",
                ),
                found=probe.error or _chain(probe),
            ),
        ),
    )


def _unseen_https(probe: TransportProbe) -> Outcome | None:
    """``error`` for a check of the HTTPS answer when HTTPS was not observed (nothing to say
    "not applicable" about: it may well be there); ``None`` when it was observed."""
    return None if probe_observed(probe) else _not_observed(probe, "HTTPS")


@check("https_available")
def https_available(art: Artifacts, p: NoParams) -> Outcome:
    """HTTPS answers with a certificate valid for the host. Only a definite answer (refused
    port, rejected certificate or handshake, an error page or a redirect to plain HTTP) fails;
    a reset, a cut handshake, a timeout or a passing error is ``error`` with its cause."""
    blocked = _unreachable(art)
    if blocked is not None:
        return blocked
    probe = art.https
    assert probe is not None
    downgrade = probe.off_scope if (probe.off_scope or "").lower().startswith("http://") else None
    if (
        probe.ok
        and probe.status < 400
        and (probe.final_url or "").startswith("https://")
        and downgrade is None
    ):
        detail = t(
            "Cổng trả lời qua HTTPS với chứng thư hợp lệ.",
            "HTTPS answers with a valid certificate.",
        )
        chain = _chain(probe)
        days = _days_left(art, probe)
        if probe.tls and probe.tls.cert_not_after and days is not None:
            expiry = probe.tls.cert_not_after.date()
            detail = t(  # the tool's words go in the text of each language, not in ``found``
                f"Cổng trả lời qua HTTPS với chứng thư hợp lệ (hết hạn {expiry:%d/%m/%Y}, còn "
                f"{days} ngày).",
                f"HTTPS answers with a valid certificate (expires {expiry}, in {days} days).",
            )
        if probe.tls and probe.tls.version:
            chain += f"; {probe.tls.version}"
        return Outcome(
            status="pass", evidence=(Evidence(url=probe.url, detail=detail, found=chain),)
        )
    if not probe_observed(probe):
        return _not_observed(probe, "HTTPS")
    found: str | None
    if downgrade is not None:
        detail = t(
            f"HTTPS chuyển người xem về HTTP thường ({downgrade}).",
            f"HTTPS sends visitors back to plain HTTP ({downgrade}).",
        )
        found = f"{_chain(probe)} → {downgrade}"
    elif probe.ok and not (probe.final_url or "").startswith("https://"):
        detail = t(
            "HTTPS chuyển người xem về HTTP thường.", "HTTPS redirects visitors to plain HTTP."
        )
        found = _chain(probe)
    elif probe.ok:
        detail = t(
            "Trang chủ qua HTTPS không dùng được.", "The home page over HTTPS is not usable."
        )
        found = _chain(probe)
    elif probe.error_kind == "tls":
        vi, en = tls_reason(probe.error)
        detail = t(
            f"Kết nối HTTPS thất bại: {vi} (chứng thư hoặc bắt tay TLS không hợp lệ).",
            f"HTTPS failed: {en} (invalid certificate or TLS handshake).",
        )
        found = probe.error
    else:  # refused: nothing listens on the HTTPS port
        detail = t(
            "Cổng không trả lời qua HTTPS (cổng 443 từ chối kết nối).",
            "The portal does not answer over HTTPS (port 443 refuses connections).",
        )
        found = probe.error
    return Outcome(
        status="fail",
        evidence=(
            Evidence(
                url=probe.url,
                detail=detail,
                expected="https://" + art.agency.domain + "/",
                found=found,
            ),
        ),
    )


class CertificateParams(Params):
    """Days of validity left under which a certificate is flagged."""

    warn_days: int = 30


@check("https_certificate_lifetime", params=CertificateParams)
def https_certificate_lifetime(art: Artifacts, p: CertificateParams) -> Outcome:
    """The certificate is not about to expire: days left in the evidence, ``warn`` under
    ``warn_days``; an expired certificate (HTTPS refused for it) fails."""
    probe = art.https
    if probe is not None and not probe.ok and "certificate has expired" in (probe.error or ""):
        return Outcome(
            status="fail",
            evidence=(
                Evidence(
                    url=probe.url,
                    detail=t("Chứng thư đã hết hạn.", "The certificate has expired."),
                    expected=f">= {p.warn_days}",
                    found=probe.error,
                ),
            ),
        )
    if probe is None or not probe.ok or probe.tls is None or probe.tls.cert_not_after is None:
        if probe is not None and (probe.tls is None or probe.tls.cert_not_after is None):
            unseen = _unseen_https(probe)
            if unseen is not None:
                return unseen
        return Outcome(
            status="not_applicable",
            evidence=(
                Evidence(
                    detail=t(
                        "Không có chứng thư hợp lệ để xét.", "No valid certificate to examine."
                    )
                ),
            ),
        )
    days = (probe.tls.cert_not_after.date() - art.as_of).days
    status = "warn" if days < p.warn_days else "pass"
    until = probe.tls.cert_not_after.date().isoformat()
    return Outcome(
        status=status,
        evidence=(
            Evidence(
                url=probe.url,
                detail=t(
                    f"Chứng thư còn {days} ngày hiệu lực (đến {until}).",
                    f"The certificate is valid for {days} more days (until {until}).",
                ),
                expected=f">= {p.warn_days}",
                found=str(days),
            ),
        ),
    )


@check("http_redirects_to_https")
def http_redirects_to_https(art: Artifacts, p: NoParams) -> Outcome:
    """Plain HTTP redirects to HTTPS on the same host."""
    blocked = _unreachable(art)
    if blocked is not None:
        return blocked
    probe = art.http
    assert probe is not None
    final = probe.final_url or probe.url
    urls = [hop.url for hop in probe.redirects] + [final]
    if probe.off_scope:  # a redirect to another host, recorded but not followed
        urls.append(probe.off_scope)
    first_https = next((u for u in urls if u.lower().startswith("https://")), None)
    target = first_https or final
    same_host = normalise_host(host_of(target)) == normalise_host(art.agency.domain)
    first_status = probe.redirects[0].status if probe.redirects else probe.status
    if probe.ok and first_https is None and not probe.off_scope and not probe_observed(probe):
        # 401/403/408/429/5xx after the retries: nothing said about a redirect to HTTPS
        return _not_observed(probe, "HTTP")
    if not probe.ok and not (probe.redirects and first_https is not None):
        # no redirect seen: nothing to judge, unless plain HTTP is simply closed (refused)
        if probe.error_kind == "refused" and art.https is not None and art.https.ok:
            return Outcome(
                status="pass",
                evidence=(
                    Evidence(
                        url=probe.url,
                        detail=t(
                            "Cổng không mở HTTP thường; chỉ phục vụ qua HTTPS.",
                            "Plain HTTP is closed; the portal is served over HTTPS only.",
                        ),
                        found=probe.error,
                    ),
                ),
            )
        return Outcome(
            status="error",
            evidence=(
                Evidence(
                    url=probe.url,
                    detail=t(
                        f"Không thăm dò được HTTP: {_cause(probe)[0]}.",
                        f"The HTTP probe failed: {_cause(probe)[1]}.",
                    ),
                    found=probe.error,
                ),
            ),
        )
    if not probe.ok:  # the redirect was given; what failed is its target (HTTPS's own finding)
        first_status = probe.redirects[0].status
        if first_https is not None and same_host:
            return Outcome(
                status="pass",
                evidence=(
                    Evidence(
                        url=probe.url,
                        detail=t(
                            "HTTP chuyển hướng sang HTTPS (trang HTTPS đích không mở được: "
                            "xem kết quả HTTPS).",
                            "HTTP redirects to HTTPS (the HTTPS target failed: see the HTTPS "
                            "finding).",
                        ),
                        found=f"{first_status}: {_chain(probe)}; {probe.error}",
                    ),
                ),
            )
    if first_https is not None and same_host:
        soft = any(hop.status == 200 for hop in probe.redirects)
        detail = (
            t(
                "HTTP đưa người xem sang HTTPS bằng một trang tự chuyển (meta refresh hoặc "
                "script), không bằng chuyển hướng HTTP (nên dùng 301).",
                "HTTP leads visitors to HTTPS by a page that moves the browser on (meta refresh "
                "or script), not by an HTTP redirect (a 301 is the usual way).",
            )
            if soft
            else t("HTTP chuyển hướng sang HTTPS.", "HTTP redirects to HTTPS.")
        )
        return Outcome(
            status="pass",
            evidence=(
                Evidence(url=probe.url, detail=detail, found=f"{first_status}: {_chain(probe)}"),
            ),
        )
    detail = (
        t(
            f"HTTP chuyển sang HTTPS trên máy chủ khác ({host_of(target)}), không phải "
            f"{art.agency.domain}.",
            f"HTTP redirects to HTTPS on another host ({host_of(target)}), not "
            f"{art.agency.domain}.",
        )
        if first_https is not None
        else t(
            f"HTTP chuyển sang máy chủ khác ({host_of(probe.off_scope)}), không sang HTTPS của "
            f"{art.agency.domain}.",
            f"HTTP redirects to another host ({host_of(probe.off_scope)}), not to HTTPS on "
            f"{art.agency.domain}.",
        )
        if probe.off_scope
        else t(
            "Trang vẫn được phục vụ qua HTTP, không chuyển sang HTTPS.",
            "The page is served over plain HTTP without redirecting to HTTPS.",
        )
        if probe.status < 400
        else t(
            f"HTTP trả lời {probe.status}, không chuyển sang HTTPS.",
            f"Plain HTTP answers {probe.status} without redirecting to HTTPS.",
        )
    )
    return Outcome(
        status="fail",
        evidence=(
            Evidence(
                url=probe.url,
                detail=detail,
                expected=f"301 → https://{urlsplit(probe.url).hostname}/",
                found=f"{first_status}: {_chain(probe)}",
            ),
        ),
    )


class HstsParams(Params):
    """Minimum HSTS max-age in seconds."""

    min_max_age: int = 31_536_000


@check("hsts", params=HstsParams)
def hsts(art: Artifacts, p: HstsParams) -> Outcome:
    """HTTPS responses carry Strict-Transport-Security with a long max-age (warn otherwise)."""
    probe = art.https
    if probe is not None and (not probe.ok or not status_observed(probe.status)):
        unseen = _unseen_https(probe)
        if unseen is not None:
            return unseen
    if probe is None or not probe.ok:
        return Outcome(
            status="not_applicable",
            evidence=(
                Evidence(
                    detail=t(
                        "HTTPS không trả lời; HSTS không xét.",
                        "No HTTPS answer; HSTS not examined.",
                    )
                ),
            ),
        )
    value = probe.hsts
    match = _MAX_AGE.search(value or "")
    age = int(match.group(1)) if match else 0
    ok = age >= p.min_max_age
    if ok:
        detail = t("Tiêu đề Strict-Transport-Security.", "Strict-Transport-Security header.")
    elif value is None:
        detail = t(
            "Thiếu tiêu đề Strict-Transport-Security (HSTS).",
            "No Strict-Transport-Security (HSTS) header.",
        )
    else:
        detail = t(
            f"HSTS max-age {age} giây, ngắn hơn {p.min_max_age} (một năm).",
            f"HSTS max-age is {age} s, under {p.min_max_age} (one year).",
        )
    return Outcome(
        status="pass" if ok else "warn",
        evidence=(
            Evidence(
                url=probe.final_url or probe.url,
                detail=detail,
                expected=f"max-age >= {p.min_max_age}",
                found=value or "(không có / absent)",
            ),
        ),
    )


class TlsVersionParams(Params):
    """Oldest acceptable TLS version."""

    minimum: str = "TLSv1.2"

    @field_validator("minimum")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in _TLS_ORDER:
            raise ValueError(f"unknown TLS version {value!r} (known: {', '.join(_TLS_ORDER)})")
        return value


_TLS_ORDER = {"SSLv2": 0, "SSLv3": 0, "TLSv1": 1, "TLSv1.1": 2, "TLSv1.2": 3, "TLSv1.3": 4}


@check("tls_version", params=TlsVersionParams)
def tls_version(art: Artifacts, p: TlsVersionParams) -> Outcome:
    """The negotiated TLS version is at least 1.2 (warn otherwise)."""
    probe = art.https
    if probe is not None and (probe.tls is None or probe.tls.version is None):
        unseen = _unseen_https(probe)
        if unseen is not None:
            return unseen
    if probe is None or probe.tls is None or probe.tls.version is None:
        return Outcome(
            status="not_applicable",
            evidence=(
                Evidence(detail=t("Không có phiên TLS để xét.", "No TLS session to examine.")),
            ),
        )
    version = probe.tls.version
    rank = _TLS_ORDER.get(version)
    if rank is None:
        return Outcome(
            status="error",
            evidence=(
                Evidence(
                    url=probe.url,
                    detail=t(
                        "Không nhận ra phiên bản TLS đã thương lượng.",
                        "Unknown negotiated TLS version.",
                    ),
                    expected=f">= {p.minimum}",
                    found=version,
                ),
            ),
        )
    ok = rank >= _TLS_ORDER[p.minimum]
    return Outcome(
        status="pass" if ok else "warn",
        evidence=(
            Evidence(
                url=probe.url,
                detail=t("Phiên bản TLS đã thương lượng.", "Negotiated TLS version."),
                expected=f">= {p.minimum}",
                found=version,
            ),
        ),
    )


_ACTIVE = {"script": "src", "iframe": "src", "link": "href", "embed": "src", "object": "data"}
_PASSIVE = {"img": "src", "audio": "src", "video": "src", "source": "src"}


_MAX_LISTED = 20


@dataclass
class _Seen:
    """One plain-HTTP resource: where it was first seen, how, and on how many pages."""

    tag: str
    page: str
    snippet: str
    pages: set[str] = field(default_factory=set)


@read_once
def _http_resources(page: Page) -> list[tuple[str, str, str, bool]]:
    """(tag, url, snippet, active) of every resource the page loads over plain HTTP."""
    out: list[tuple[str, str, str, bool]] = []
    for table, active in ((_ACTIVE, True), (_PASSIVE, False)):
        for tag, attr in table.items():
            for node in page.tree.css(f"{tag}[{attr}]"):
                if tag == "link" and "stylesheet" not in (node.attributes.get("rel") or "").lower():
                    continue
                value = (node.attributes.get(attr) or "").strip()
                if value.lower().startswith("http://"):
                    out.append((tag, value, (node.html or "")[:200], active))
    return out


def _listed(seen: dict[str, _Seen]) -> list[Evidence]:
    out: list[Evidence] = []
    for url, item in list(seen.items())[:_MAX_LISTED]:
        others = len(item.pages) - 1
        more_vi = f" (và {others} trang khác)" if others else ""
        more_en = f" (and {others} other pages)" if others else ""
        out.append(
            Evidence(
                url=item.page,
                detail=t(
                    f"<{item.tag}> tải qua HTTP{more_vi}.",
                    f"<{item.tag}> loaded over HTTP{more_en}.",
                ),
                expected="https://",
                found=url,
                snippet=item.snippet,
            )
        )
    return out


@check("no_mixed_content", reads=(of_page(_http_resources),))
def no_mixed_content(art: Artifacts, p: NoParams) -> Outcome:
    """HTTPS pages load no scripts, styles, frames (fail) or images and media (warn) over plain
    HTTP. Each resource is listed once, with the first page it was seen on and how many others."""
    https_pages = [pg for pg in art.pages if pg.url.startswith("https://")]
    if not https_pages:
        return Outcome(
            status="not_applicable",
            evidence=(
                Evidence(
                    detail=t("Không có trang HTTPS nào.", "No HTTPS pages."),
                ),
            ),
        )
    active: dict[str, _Seen] = {}
    passive: dict[str, _Seen] = {}
    for page in https_pages:
        for tag, url, snippet, is_active in _http_resources(page):
            bucket = active if is_active else passive
            item = bucket.setdefault(url, _Seen(tag=tag, page=page.url, snippet=snippet))
            item.pages.add(page.url)
    if not active and not passive:
        return Outcome(
            status="pass",
            evidence=(
                Evidence(
                    detail=t(
                        f"{len(https_pages)} trang HTTPS không tải tài nguyên qua HTTP.",
                        f"{len(https_pages)} HTTPS pages load nothing over HTTP.",
                    )
                ),
            ),
        )
    affected = {pg for item in (*active.values(), *passive.values()) for pg in item.pages}
    summary = Evidence(
        detail=t(
            f"{len(active)} tài nguyên chủ động (script, CSS, iframe…) và {len(passive)} tài "
            f"nguyên thụ động (ảnh, âm thanh, video) tải qua HTTP trên {len(affected)}/"
            f"{len(https_pages)} trang HTTPS.",
            f"{len(active)} active (script, CSS, iframe…) and {len(passive)} passive (image, "
            f"audio, video) resources loaded over HTTP on {len(affected)}/{len(https_pages)} "
            "HTTPS pages.",
        ),
        expected="https://",
        found=f"{len(active) + len(passive)}",
    )
    listed = _listed(active) + _listed(passive)
    return Outcome(
        status="fail" if active else "warn",
        evidence=(*listed[:_MAX_LISTED], summary),
    )
