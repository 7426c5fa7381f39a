"""An httpx transport over httpcore connection pools, one per origin, with a chosen network
backend.

httpx's own transport does not let the caller pick the network backend, which ``--connect-to``
needs; this one does, and maps httpcore's exceptions to httpx's as httpx does.

One pool per origin rather than one for the run: httpcore's pool walks every connection it
holds (and, for its keep-alive bound, every connection again for each) whenever a request
starts or ends, so one pool of 128 connections made that walk the largest cost of a province
scan. Politeness already bounds what is in flight per host; a pool of an origin holds a few
connections. Pools with nothing in flight are closed, least recently used first, once more
than ``max_origins`` are open, so idle sockets stay bounded however many portals a scan visits.
"""

from __future__ import annotations

import contextlib
import ssl
from collections import OrderedDict
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterator

import httpcore
import httpx

# Most specific first: the first isinstance match wins.
_EXCEPTIONS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextlib.contextmanager
def _mapped() -> Iterator[None]:
    """Re-raise httpcore exceptions as their httpx counterparts (cause kept)."""
    try:
        yield
    except Exception as exc:
        for source, target in _EXCEPTIONS:
            if isinstance(exc, source):
                raise target(str(exc)) from exc
        raise


class _ResponseStream(httpx.AsyncByteStream):
    """The body of an httpcore response, with exceptions mapped; ``done`` is called once when
    it is closed."""

    def __init__(self, stream: AsyncIterable[bytes], done: Callable[[], None]) -> None:
        self._stream = stream
        self._done: Callable[[], None] | None = done

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _mapped():
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        try:
            aclose = getattr(self._stream, "aclose", None)
            if aclose is not None:
                await aclose()
        finally:
            done, self._done = self._done, None
            if done is not None:
                done()


class _Origin:
    """The pool of one origin and how many of its requests are in flight."""

    def __init__(self, pool: httpcore.AsyncConnectionPool) -> None:
        self.pool = pool
        self.in_flight = 0

    def finished(self) -> None:
        self.in_flight -= 1


class PoolTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 transport over one httpcore pool per origin (scheme, host, port), using
    ``backend`` for TCP connections: at most ``max_connections`` connections to an origin,
    ``max_keepalive`` of them kept idle, and the pools of at most ``max_origins`` origins kept
    open while idle."""

    def __init__(
        self,
        ssl_context: ssl.SSLContext,
        backend: httpcore.AsyncNetworkBackend,
        max_connections: int = 20,
        max_keepalive: int = 10,
        keepalive_expiry: float = 5.0,
        max_origins: int = 64,
    ) -> None:
        self._ssl_context = ssl_context
        self._backend = backend
        self._max_connections = max_connections
        self._max_keepalive = max_keepalive
        self._keepalive_expiry = keepalive_expiry
        self._max_origins = max_origins
        self._origins: OrderedDict[tuple[bytes, bytes, int | None], _Origin] = OrderedDict()

    @property
    def origins_open(self) -> int:
        """How many origins have a pool (busy, or idle and among the most recently used)."""
        return len(self._origins)

    def _claim(self, url: httpx.URL) -> tuple[_Origin, list[_Origin]]:
        """The pool of ``url``'s origin, with one more request counted in flight, and the
        least recently used pools with nothing in flight taken out to keep within
        ``max_origins`` (for the caller to close)."""
        key = (url.raw_scheme, url.raw_host, url.port)
        origin = self._origins.get(key)
        if origin is not None:
            self._origins.move_to_end(key)
            origin.in_flight += 1
            return origin, []
        origin = self._origins[key] = _Origin(
            httpcore.AsyncConnectionPool(
                ssl_context=self._ssl_context,
                max_connections=self._max_connections,
                max_keepalive_connections=self._max_keepalive,
                keepalive_expiry=self._keepalive_expiry,
                http1=True,
                http2=False,
                network_backend=self._backend,
            )
        )
        origin.in_flight += 1
        surplus = len(self._origins) - self._max_origins
        idle = [k for k, o in self._origins.items() if o.in_flight == 0][: max(surplus, 0)]
        return origin, [self._origins.pop(k) for k in idle]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` through its origin's pool."""
        assert isinstance(request.stream, httpx.AsyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        origin, surplus = self._claim(request.url)
        try:
            for idle in surplus:
                with contextlib.suppress(Exception):  # another origin's sockets: not this request's
                    await idle.pool.aclose()
            with _mapped():
                response = await origin.pool.handle_async_request(core_request)
        except BaseException:
            origin.finished()
            raise
        assert isinstance(response.stream, AsyncIterable)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response.stream, origin.finished),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        """Close every pooled connection."""
        origins = list(self._origins.values())
        self._origins.clear()
        for origin in origins:
            await origin.pool.aclose()
