"""HTTPS and transport checks (Sóc Trăng Đ6 k2; TT 32/2017 Đ20)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from auditor.checks.registry import NoParams, Params, check
from auditor.gather.artifacts import Artifacts, host_of
from auditor.models import Evidence, Outcome, RedirectHop, TransportProbe, normalise_host, t

_MAX_AGE = re.compile(r"max-age\s*=\s*\"?(\d+)", re.I)


def _chain(probe: TransportProbe) -> str:
    """A redirect chain as 'url (301) → url (200)'."""
    hops: list[RedirectHop] = list(probe.redirects)
    parts = [f"{h.url} ({h.status})" for h in hops]
    if probe.final_url:
        parts.append(f"{probe.final_url} ({probe.status})")
    return " → ".join(parts) if parts else probe.url


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
                        "Không kết nối được cổng qua HTTPS lẫn HTTP.",
                        "The portal answered neither over HTTPS nor over HTTP.",
                    ),
                    found=f"https: {https.error}; http: {http.error}",
                ),
            ),
        )
    return None


@check("https_available")
def https_available(art: Artifacts, p: NoParams) -> Outcome:
    """HTTPS answers with a certificate valid for the host."""
    blocked = _unreachable(art)
    if blocked is not None:
        return blocked
    probe = art.https
    assert probe is not None
    if probe.ok and probe.status < 400 and (probe.final_url or "").startswith("https://"):
        detail = t(
            "Cổng trả lời qua HTTPS với chứng thư hợp lệ.",
            "HTTPS answers with a valid certificate.",
        )
        chain = _chain(probe)
        if probe.tls and probe.tls.cert_not_after:
            days = (probe.tls.cert_not_after.date() - art.as_of).days
            chain += f"; chứng thư hết hạn {probe.tls.cert_not_after.date()} ({days} ngày)"
        return Outcome(
            status="pass", evidence=(Evidence(url=probe.url, detail=detail, found=chain),)
        )
    if probe.ok and probe.status >= 500:
        return Outcome(
            status="error",
            evidence=(
                Evidence(
                    url=probe.url,
                    detail=t("Máy chủ HTTPS báo lỗi.", "The HTTPS server answered with an error."),
                    found=_chain(probe),
                ),
            ),
        )
    if probe.error_kind == "timeout":
        return Outcome(
            status="error",
            evidence=(
                Evidence(
                    url=probe.url,
                    detail=t("HTTPS không trả lời kịp thời.", "HTTPS timed out."),
                    found=probe.error,
                ),
            ),
        )
    found: str | None
    if probe.ok:
        detail = t(
            "Trang chủ qua HTTPS không dùng được.", "The home page over HTTPS is not usable."
        )
        found = _chain(probe)
    elif probe.error_kind == "tls":
        detail = t(
            "Kết nối HTTPS thất bại: chứng thư hoặc bắt tay TLS không hợp lệ.",
            "HTTPS failed: invalid certificate or TLS handshake.",
        )
        found = probe.error
    else:
        detail = t("Cổng không trả lời qua HTTPS.", "The portal does not answer over HTTPS.")
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
    """The certificate is not about to expire."""
    probe = art.https
    if probe is None or not probe.ok or probe.tls is None or probe.tls.cert_not_after is None:
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
    return Outcome(
        status=status,
        evidence=(
            Evidence(
                url=probe.url,
                detail=t(
                    f"Chứng thư còn {days} ngày hiệu lực.",
                    f"The certificate is valid for {days} more days.",
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
    if not probe.ok:
        if probe.error_kind in ("connect",) and art.https is not None and art.https.ok:
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
                    detail=t("Không thăm dò được HTTP.", "The HTTP probe failed."),
                    found=probe.error,
                ),
            ),
        )
    final = probe.final_url or probe.url
    same_host = normalise_host(host_of(final)) == normalise_host(art.agency.domain)
    first_status = probe.redirects[0].status if probe.redirects else probe.status
    if final.startswith("https://") and same_host:
        return Outcome(
            status="pass",
            evidence=(
                Evidence(
                    url=probe.url,
                    detail=t("HTTP chuyển hướng sang HTTPS.", "HTTP redirects to HTTPS."),
                    found=f"{first_status}: {_chain(probe)}",
                ),
            ),
        )
    detail = (
        t("HTTP chuyển sang máy chủ khác.", "HTTP redirects to another host.")
        if final.startswith("https://")
        else t(
            "Trang vẫn được phục vụ qua HTTP, không chuyển sang HTTPS.",
            "The page is served over plain HTTP without redirecting to HTTPS.",
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
    return Outcome(
        status="pass" if ok else "warn",
        evidence=(
            Evidence(
                url=probe.final_url or probe.url,
                detail=t("Tiêu đề Strict-Transport-Security.", "Strict-Transport-Security header."),
                expected=f"max-age >= {p.min_max_age}",
                found=value or "(không có / absent)",
            ),
        ),
    )


class TlsVersionParams(Params):
    """Oldest acceptable TLS version."""

    minimum: str = "TLSv1.2"


_TLS_ORDER = {"SSLv3": 0, "TLSv1": 1, "TLSv1.1": 2, "TLSv1.2": 3, "TLSv1.3": 4}


@check("tls_version", params=TlsVersionParams)
def tls_version(art: Artifacts, p: TlsVersionParams) -> Outcome:
    """The negotiated TLS version is at least 1.2 (warn otherwise)."""
    probe = art.https
    if probe is None or probe.tls is None or probe.tls.version is None:
        return Outcome(
            status="not_applicable",
            evidence=(
                Evidence(detail=t("Không có phiên TLS để xét.", "No TLS session to examine.")),
            ),
        )
    version = probe.tls.version
    ok = _TLS_ORDER.get(version, 0) >= _TLS_ORDER.get(p.minimum, 3)
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


@check("no_mixed_content")
def no_mixed_content(art: Artifacts, p: NoParams) -> Outcome:
    """HTTPS pages load no scripts, styles, frames (fail) or images (warn) over plain HTTP."""
    active: list[Evidence] = []
    passive: list[Evidence] = []
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
    for page in https_pages:
        for table, bucket in ((_ACTIVE, active), (_PASSIVE, passive)):
            for tag, attr in table.items():
                for node in page.tree.css(f"{tag}[{attr}]"):
                    if (
                        tag == "link"
                        and "stylesheet" not in (node.attributes.get("rel") or "").lower()
                    ):
                        continue
                    value = (node.attributes.get(attr) or "").strip()
                    if value.lower().startswith("http://"):
                        bucket.append(
                            Evidence(
                                url=page.url,
                                detail=t(f"<{tag}> tải qua HTTP.", f"<{tag}> loaded over HTTP."),
                                found=value,
                                snippet=(node.html or "")[:200],
                            )
                        )
    if active:
        return Outcome(status="fail", evidence=tuple((active + passive)[:10]))
    if passive:
        return Outcome(status="warn", evidence=tuple(passive[:10]))
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
