"""The crawler's httpx client: httpx's, but answers that set no cookie are not handed to the
cookie jar.

httpx gives every response to ``http.cookiejar`` through urllib request and response
adapters built for it, though a portal's pages rarely set a cookie: 4 % of a province scan's
event loop. With the jar's default policy (Netscape cookies; RFC 2965 ``Set-Cookie2`` off)
an answer without ``Set-Cookie`` stores nothing, so it is skipped; cookies a portal sets are
kept and sent back as before.
"""

from __future__ import annotations

from typing import Any

import httpx


class _Cookies(httpx.Cookies):
    """httpx's cookie store, skipping answers that set no cookie."""

    def extract_cookies(self, response: httpx.Response) -> None:
        """Store the cookies ``response`` sets (none without a ``Set-Cookie`` header)."""
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


class CrawlClient(httpx.AsyncClient):
    """An :class:`httpx.AsyncClient` whose cookie store is :class:`_Cookies`."""

    def __init__(self, **kwargs: Any) -> None:
        cookies = kwargs.pop("cookies", None)
        super().__init__(**kwargs)
        self._crawl_cookies = _Cookies(cookies)

    @property
    def cookies(self) -> httpx.Cookies:
        """The cookies the portals set."""
        return self._crawl_cookies

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        self._crawl_cookies = _Cookies(cookies)
