"""The transport's pools: one per origin, connections reused within it, idle pools closed
beyond the bound and busy ones never."""

from __future__ import annotations

import asyncio
import ssl

import httpx

from auditor.crawl.connect import ConnectToBackend, parse_connect_to
from auditor.crawl.transport import PoolTransport
from tests.test_crawl_support import RecordingBackend, Routes, html, serve


def _transport(port: int, max_origins: int) -> tuple[PoolTransport, RecordingBackend]:
    recorder = RecordingBackend()
    backend = ConnectToBackend([parse_connect_to(f"::127.0.0.1:{port}")], recorder)
    transport = PoolTransport(
        ssl.create_default_context(),
        backend,
        max_connections=2,
        max_keepalive=2,
        max_origins=max_origins,
    )
    return transport, recorder


def test_idle_origins_beyond_the_bound_are_closed_and_kept_ones_reuse_connections() -> None:
    hosts = [f"p{i}.soctrang.gov.vn" for i in range(5)]

    async def run(port: int) -> tuple[list[int], int, list[str]]:
        transport, backend = _transport(port, max_origins=2)
        open_after: list[int] = []
        texts: list[str] = []
        async with httpx.AsyncClient(transport=transport) as client:
            for host in hosts:
                texts.append((await client.get(f"http://{host}/")).text)
                open_after.append(transport.origins_open)
            # the last host's pool is still open: its connection is used again
            texts.append((await client.get(f"http://{hosts[-1]}/")).text)
        return open_after, len(backend.calls), texts

    with serve(Routes({"*/": html("trang chủ")})) as sites:
        open_after, opened, texts = asyncio.run(run(sites.http_port))
    assert open_after == [1, 2, 2, 2, 2]
    assert opened == 5  # one per host; the repeated request reused its host's connection
    assert all("trang chủ" in text for text in texts)


def test_an_origin_with_a_response_in_flight_is_never_closed() -> None:
    async def run(port: int) -> tuple[int, int, str]:
        transport, _ = _transport(port, max_origins=1)
        async with httpx.AsyncClient(transport=transport) as client:
            async with client.stream("GET", "http://a.soctrang.gov.vn/") as held:
                for host in ("b", "c", "d"):
                    await client.get(f"http://{host}.soctrang.gov.vn/")
                open_while_held = transport.origins_open
                body = (await held.aread()).decode()
            await client.get("http://e.soctrang.gov.vn/")
            open_after = transport.origins_open
        return open_while_held, open_after, body

    with serve(Routes({"*/": html("đang đọc")})) as sites:
        open_while_held, open_after, body = asyncio.run(run(sites.http_port))
    assert open_while_held == 2  # the held origin and the newest; b and c were closed
    assert "đang đọc" in body
    assert open_after == 1
