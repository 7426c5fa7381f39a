"""A simulated province on loopback: N portals × M pages of Vietnamese text, by Host header.

Every portal ``pNNN.<province>`` has a home page linking to its pages, pages linking on (so a
breadth-first crawl reaches all M within depth 3), an allow-all ``robots.txt`` and 404 for the
rest. Pages are about ``size`` bytes of UTF-8 Vietnamese in the shape of a portal article
(header, menu, headings, paragraphs, images with text alternatives, footer with the owner
agency). Each response waits ``latency`` seconds; the server counts requests and the most
requests in flight per host, so a bench can check that a client kept to its per-host limit.

It is a bare asyncio protocol serving prepared bytes (HTTP/1.1 keep-alive, HTTP and HTTPS with
one wildcard certificate from its own CA), meant to run in a process of its own so that it is
never what a bench measures:

    python -m bench.farm --portals 120 --pages 50 --latency 0.1 --ready /tmp/farm.json

writes ``{"http": PORT, "https": PORT, "ca": PEM, "hosts": [...]}`` to ``--ready`` and serves
until SIGTERM/SIGINT. ``GET /__stats__`` on any host answers the counters as JSON (and
``/__reset__`` zeroes them).

``--faulty 0.1 --seed 7`` gives a seeded random tenth of the portals one fault each (kinds in
``FAULTS``, assigned in turn): 503 on every request, 429 with ``Retry-After``, pages reset
mid-body, pages whose body stalls past any sensible timeout, random bytes served as
``text/html``, a root redirecting to a private address (off scope). ``Farm.faults`` names them.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import ipaddress
import json
import random
import signal
import ssl
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

PROVINCE = "soctrang.gov.vn"
PROVINCE_NAME = "Sóc Trăng"
ARTICLE_VARIANTS = 64  # distinct article bodies shared by the farm's pages
FAULTS = ("503", "429", "reset", "slow", "binary", "offscope")
SLOW_S = 120.0  # how long a "slow" page stalls mid-body

_SEED_TEXT = (
    "Ủy ban nhân dân tỉnh chỉ đạo các sở, ban, ngành và địa phương triển khai thực hiện "
    "nghiêm túc kế hoạch cải cách hành chính năm nay, đẩy mạnh chuyển đổi số, nâng cao chất "
    "lượng cung cấp dịch vụ công trực tuyến toàn trình, bảo đảm công khai minh bạch thông tin "
    "về thủ tục hành chính, tiếp nhận và xử lý phản ánh kiến nghị của người dân và doanh "
    "nghiệp. Hội nghị đánh giá kết quả thực hiện nhiệm vụ phát triển kinh tế xã hội, quốc "
    "phòng an ninh, đồng thời thảo luận giải pháp tháo gỡ khó khăn vướng mắc trong giải ngân "
    "vốn đầu tư công, xây dựng nông thôn mới, bảo vệ môi trường, phòng chống thiên tai, "
    "chăm lo đời sống nhân dân vùng sâu vùng xa và đồng bào dân tộc thiểu số. Sở Thông tin và "
    "Truyền thông hướng dẫn các cơ quan cập nhật tin bài, văn bản quy phạm pháp luật, lịch "
    "công tác của lãnh đạo, thông tin dự án và hồ sơ mời thầu, chương trình đề tài khoa học, "
    "số liệu thống kê chuyên ngành trên cổng thông tin điện tử theo đúng quy định hiện hành."
)


def _words() -> list[str]:
    return [w.strip(".,") for w in _SEED_TEXT.split() if w.strip(".,")]


def _paragraphs(rng: random.Random, size: int) -> str:
    words = _words()
    out: list[str] = []
    total = 0
    n = 0
    while total < size:
        sentence_count = rng.randint(3, 6)
        sentences = []
        for _ in range(sentence_count):
            chosen = rng.choices(words, k=rng.randint(10, 24))
            sentences.append(" ".join(chosen).capitalize() + ".")
        para = " ".join(sentences)
        n += 1
        if n % 4 == 0:
            heading = " ".join(rng.choices(words, k=5)).capitalize()
            para_html = f"<h2>{heading}</h2>\n<p>{para}</p>\n"
        elif n % 7 == 0:
            para_html = (
                f'<figure><img src="/anh/{n}.jpg" alt="{" ".join(rng.choices(words, k=6))}" '
                f'width="640" height="360"><figcaption>{" ".join(rng.choices(words, k=8))}'
                "</figcaption></figure>\n"
            )
        else:
            para_html = f"<p>{para}</p>\n"
        out.append(para_html)
        total += len(para_html.encode("utf-8"))
    return "".join(out)


@dataclass(frozen=True)
class Farm:
    """What the farm serves: hosts, page count, page size, latency."""

    portals: int
    pages: int
    size: int = 40_000
    latency: float = 0.0
    per_host: int = 2  # the politeness a client should keep (counted, not enforced)
    faulty: float = 0.0  # share of portals given one fault each
    seed: int = 0  # chooses which portals (and so which fault each gets)

    @property
    def hosts(self) -> list[str]:
        """The portals' host names."""
        return [f"p{i:03d}.{PROVINCE}" for i in range(1, self.portals + 1)]

    @property
    def faults(self) -> dict[str, str]:
        """Faulty portal host → its fault kind (a seeded random choice of ``faulty`` of them)."""
        count = round(self.portals * self.faulty)
        chosen = sorted(random.Random(self.seed).sample(self.hosts, count))
        return {host: FAULTS[i % len(FAULTS)] for i, host in enumerate(chosen)}

    def registry_yaml(self) -> str:
        """A registry of the farm's agencies (for ``auditor scan --registry``)."""
        lines = [
            "# Simulated province served by bench/farm.py",
            f"province: {PROVINCE_NAME}",
            "profile: soctrang-2019",
            "agencies:",
        ]
        for i, host in enumerate(self.hosts, start=1):
            lines.append(
                f'  - {{name: "Sở Số {i} tỉnh {PROVINCE_NAME}", level: department, '
                f"domain: {host}, parent: null}}"
            )
        return "\n".join(lines) + "\n"


def page_links(index: int, pages: int) -> list[int]:
    """The farm pages page ``index`` links to (0 is the home page): a tree of fan-out 7, so a
    crawl of depth 3 reaches 1 + 7 + 49 + 343 pages."""
    first = index * 7 + 1
    return [j for j in range(first, first + 7) if j < pages]


def page_path(index: int) -> str:
    """The URL path of page ``index``."""
    return "/" if index == 0 else f"/tin-tuc/bai-{index}.html"


class Pages:
    """Prepared response bytes: head and foot per portal, article bodies shared."""

    def __init__(self, farm: Farm) -> None:
        self.farm = farm
        rng = random.Random(20261120)
        self.articles = [_paragraphs(rng, farm.size) for _ in range(ARTICLE_VARIANTS)]
        self.titles = [" ".join(rng.choices(_words(), k=9)).capitalize() for _ in range(97)]

    def body(self, portal: int, index: int) -> bytes:
        """The HTML of page ``index`` of portal ``portal`` (1-based)."""
        name = f"Sở Số {portal} tỉnh {PROVINCE_NAME}"
        host = f"p{portal:03d}.{PROVINCE}"
        title = "Trang chủ" if index == 0 else self.titles[(portal + index) % len(self.titles)]
        links = "".join(
            f'<li><a href="{page_path(j)}">{self.titles[(portal + j) % len(self.titles)]}</a> '
            f'<span class="date">{(j % 28) + 1:02d}/11/2026</span></li>\n'
            for j in page_links(index, self.farm.pages)
        )
        article = self.articles[(portal * 31 + index) % ARTICLE_VARIANTS]
        html = f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - Trang thông tin điện tử {name}</title>
<meta name="description" content="Trang thông tin điện tử {name}: tin tức, văn bản, thủ tục.">
<meta name="DC.title" content="{title}">
<meta name="DC.creator" content="{name}">
<meta name="DC.date" content="2026-11-18">
<meta name="DC.language" content="vi">
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<a class="skip" href="#noi-dung">Bỏ qua, đến nội dung chính</a>
<header><img src="/static/quoc-huy.svg" alt="Quốc huy" width="64" height="64">
<p class="brand"><a href="/">Trang thông tin điện tử {name}</a></p>
<form role="search" action="/tim-kiem" method="get"><label for="q">Tìm kiếm</label>
<input type="search" id="q" name="q"> <button type="submit">Tìm</button></form>
<nav aria-label="Menu chính"><ul>
<li><a href="/">Trang chủ</a></li>
<li><a href="{page_path(1)}">Giới thiệu</a></li>
<li><a href="{page_path(2 % self.farm.pages)}">Tin tức – Sự kiện</a></li>
</ul></nav></header>
<main id="noi-dung">
<h1>{title}</h1>
<p class="date">Ngày đăng: 18/11/2026</p>
{article}
<h2>Tin liên quan</h2>
<ul class="related">
{links}</ul>
</main>
<footer><p>Cơ quan chủ quản: {name}</p>
<p>Địa chỉ: số 1 đường Trần Hưng Đạo, tỉnh {PROVINCE_NAME}. Điện thoại: 0299 3821 000.
Thư điện tử: <a href="mailto:vanthu@{host}">vanthu@{host}</a></p>
<p>Chịu trách nhiệm chính: Giám đốc {name}</p>
<p>Giấy phép số 12/GP-TTĐT ngày 01/01/2025.</p></footer>
</body>
</html>
"""
        return html.encode("utf-8")


ROBOTS = b"User-agent: *\nAllow: /\n"
NOT_FOUND = "<!DOCTYPE html><html lang=vi><title>Không tìm thấy</title><p>404</p></html>".encode()


def _response(status: str, body: bytes, ctype: str) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
        "Connection: keep-alive\r\n\r\n"
    )
    return head.encode("ascii") + body


@dataclass
class Stats:
    """What the server saw."""

    requests: int = 0
    pages: int = 0
    in_flight: Counter[str] = field(default_factory=Counter)
    peak: Counter[str] = field(default_factory=Counter)
    over_limit: int = 0  # requests that started with the host already at its limit
    peak_total: int = 0

    def as_json(self) -> bytes:
        return json.dumps(
            {
                "requests": self.requests,
                "pages": self.pages,
                "peak_per_host": max(self.peak.values(), default=0),
                "over_limit": self.over_limit,
                "peak_total": self.peak_total,
            }
        ).encode()


class FarmProtocol(asyncio.Protocol):
    """One client connection: requests answered in order, each after the latency."""

    def __init__(self, server: FarmServer) -> None:
        self.server = server
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        self.worker: asyncio.Task[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.worker = asyncio.get_running_loop().create_task(self._serve())

    def connection_lost(self, exc: Exception | None) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            parts = lines[0].split(" ")
            path = parts[1] if len(parts) > 1 else "/"
            host = ""
            for line in lines[1:]:
                if line[:5].lower() == "host:":
                    host = line[5:].strip().split(":")[0].lower()
            self.queue.put_nowait((host, path))

    async def _serve(self) -> None:
        while True:
            host, path = await self.queue.get()
            stats = self.server.stats
            if path.startswith("/__"):
                if path == "/__reset__":
                    self.server.stats = Stats()
                body = self.server.stats.as_json()
                self._write(_response("200 OK", body, "application/json"))
                continue
            stats.requests += 1
            stats.in_flight[host] += 1
            total = sum(stats.in_flight.values())
            stats.peak_total = max(stats.peak_total, total)
            if stats.in_flight[host] > self.server.farm.per_host:
                stats.over_limit += 1
            stats.peak[host] = max(stats.peak[host], stats.in_flight[host])
            try:
                if self.server.farm.latency > 0:
                    await asyncio.sleep(self.server.farm.latency)
                response = self.server.respond(host, path)
                kind = self.server.faults.get(host)
                if kind in ("reset", "slow") and path != "/robots.txt":
                    self._write(response[: len(response) // 2])
                    if kind == "reset" and self.transport is not None:
                        self.transport.abort()
                        return
                    await asyncio.sleep(SLOW_S)
                    response = response[len(response) // 2 :]
            finally:
                stats.in_flight[host] -= 1
            self._write(response)

    def _write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)


class FarmServer:
    """Answers the farm's requests."""

    def __init__(self, farm: Farm) -> None:
        self.farm = farm
        self.pages = Pages(farm)
        self.stats = Stats()
        self.portal_of = {host: i for i, host in enumerate(farm.hosts, start=1)}
        self.portal_of.update({f"www.{h}": i for h, i in list(self.portal_of.items())})
        self.paths = {page_path(i): i for i in range(farm.pages)}
        self.faults = farm.faults
        self.faults.update({f"www.{h}": k for h, k in list(self.faults.items())})

    def respond(self, host: str, path: str) -> bytes:
        portal = self.portal_of.get(host)
        if portal is None:
            return _response("404 Not Found", NOT_FOUND, "text/html; charset=utf-8")
        kind = self.faults.get(host)
        if kind == "503":
            return _response("503 Service Unavailable", NOT_FOUND, "text/html; charset=utf-8")
        if kind == "429":
            return _response("429 Too Many Requests\r\nRetry-After: 1", b"", "text/plain")
        if path == "/robots.txt":
            return _response("200 OK", ROBOTS, "text/plain")
        index = self.paths.get(path.split("?", 1)[0].split("#", 1)[0])
        if index is None:
            return _response("404 Not Found", NOT_FOUND, "text/html; charset=utf-8")
        self.stats.pages += 1
        if kind == "offscope" and index == 0:
            return _response("302 Found\r\nLocation: http://10.9.9.9/", b"", "text/html")
        if kind == "binary":
            noise = random.Random(portal * 1000 + index).randbytes(64_000)
            return _response("200 OK", noise, "text/html; charset=utf-8")
        return _response("200 OK", self.pages.body(portal, index), "text/html; charset=utf-8")


def make_tls(workdir: Path) -> tuple[ssl.SSLContext, Path]:
    """A CA (its PEM written to ``workdir``) and a server context for ``*.<province>``."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "auditor bench farm CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names = [PROVINCE, f"*.{PROVINCE}", "localhost"]
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, PROVINCE)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=90))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(n) for n in names]
                + [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_pem = workdir / "farm-ca.pem"
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    chain = workdir / "farm-leaf.pem"
    chain.write_bytes(
        leaf.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(chain)
    return context, ca_pem


async def serve(farm: Farm, ready: Path) -> None:
    """Serve ``farm`` on two loopback ports until SIGTERM/SIGINT; describe them in ``ready``."""
    server = FarmServer(farm)
    loop = asyncio.get_running_loop()
    with tempfile.TemporaryDirectory(prefix="auditor-farm-") as tmp:
        context, ca_pem = make_tls(Path(tmp))
        plain = await loop.create_server(lambda: FarmProtocol(server), "127.0.0.1", 0, backlog=512)
        secure = await loop.create_server(
            lambda: FarmProtocol(server), "127.0.0.1", 0, ssl=context, backlog=512
        )
        info = {
            "http": plain.sockets[0].getsockname()[1],
            "https": secure.sockets[0].getsockname()[1],
            "ca": str(ca_pem),
            "hosts": farm.hosts,
        }
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        tmp_ready = ready.with_suffix(".tmp")
        tmp_ready.write_text(json.dumps(info), encoding="utf-8")
        tmp_ready.replace(ready)
        await stop.wait()
        plain.close()
        secure.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve a simulated province on loopback.")
    parser.add_argument("--portals", type=int, default=120)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--size", type=int, default=40_000, help="bytes of text per page")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per response")
    parser.add_argument("--per-host", type=int, default=2, help="limit to count breaches of")
    parser.add_argument("--ready", type=Path, required=True, help="JSON file to write ports to")
    parser.add_argument("--faulty", type=float, default=0.0, help="share of faulty portals")
    parser.add_argument("--seed", type=int, default=0, help="which portals are faulty")
    args = parser.parse_args()
    farm = Farm(
        args.portals, args.pages, args.size, args.latency, args.per_host, args.faulty, args.seed
    )
    asyncio.run(serve(farm, args.ready))


if __name__ == "__main__":
    main()
