"""Pages that stand in for the content without being it: a redirect page (a meta refresh, or a
script that only moves the browser on), an error page served with HTTP 200 ("Service
Unavailable", an ASP.NET "Runtime Error", a firewall's "Request Rejected"), and a login page
an inner page redirected to (single sign-on). Such a page is not seen: the fetcher follows a
redirect page inside the scope, and what is left counts as not seen
(:attr:`auditor.page.Page.problem`), never as the portal's content.

Only small documents are examined (:data:`MAX_STUB_BYTES`): real content pages are larger, and
the test stays cheap.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from auditor.htmltree import parse_html
from auditor.text.fold import fold

MAX_STUB_BYTES = 65_536  # larger pages are content pages, not stubs
MAX_REFRESH_DELAY_S = 10.0  # a meta refresh later than this is a page that reloads, not a redirect
MAX_SCRIPT_STUB_TEXT = 300  # visible characters of a page whose script redirects
MAX_ERROR_TEXT = 2_000  # visible characters of an error page
MAX_LOGIN_TEXT = 3_000
# The tests below read the visible text only up to this length: given a longer text, they
# decide as they would given any other text longer than this.
MAX_TEXT_READ = max(MAX_SCRIPT_STUB_TEXT, MAX_ERROR_TEXT, MAX_LOGIN_TEXT)

# the fetcher's cheap test before parsing: a refresh header tag or a location assignment
_REFRESH_HINT = re.compile(
    rb"http-equiv\s*=\s*[\"']?refresh|location\s*(?:\.\s*href\s*)?=[^=]"
    rb"|location\s*\.\s*(?:replace|assign)\s*\(",
    re.I,
)
_REFRESH = re.compile(r"^\s*(\d+(?:\.\d*)?)?\s*[;,]?\s*(?:url\s*=\s*)?(.*)$", re.I | re.S)
_SCRIPT_TARGET = re.compile(
    r"""(?:(?:window|document|top|self|parent)\s*\.\s*)?location(?:\s*\.\s*href)?\s*=\s*"""
    r"""(["'])([^"']+)\1"""
    r"""|location\s*\.\s*(?:replace|assign)\s*\(\s*(["'])([^"']+)\3\s*\)""",
    re.I,
)
_NOT_TEXT = "script, style, noscript, template"

# What error pages say in their title, heading or whole text (folded: no diacritics, lower
# case): server and proxy errors, firewall refusals — not "page not found", which is an answer
# about the page. These are looked for on pages up to MAX_ERROR_TEXT visible characters (an
# ASP.NET error page carries a stack trace); the weaker ones, which an article title might
# use, only on pages of a few lines (MAX_SCRIPT_STUB_TEXT).
ERROR_PHRASES = (
    "service unavailable",
    "service temporarily unavailable",
    "bad gateway",
    "gateway timeout",
    "gateway time-out",
    "internal server error",
    "server error in",
    "runtime error",
    "an error occurred while processing your request",
    "error establishing a database connection",
    "the requested url was rejected",
    "request rejected",
    "the service is unavailable",
)
WEAK_ERROR_PHRASES = (
    "access denied",
    "403 forbidden",
    "database error",
    "under maintenance",
    "dang bao tri",
    "loi he thong",
    "loi may chu",
    "he thong dang ban",
    "tam ngung hoat dong",
)
# a path segment that names a sign-in page (``/dang-nhap``, ``/Account/Login.aspx``, ``/cas/``)
_LOGIN_PATH = re.compile(
    r"(^|/)(login|logon|signin|sign-in|dang-?nhap|sso|cas|adfs|auth)(/|\.[a-z]+$|$)", re.I
)


def _tree(html: str) -> LexborHTMLParser:
    return parse_html(html)


def visible_text(tree: LexborHTMLParser) -> str:
    """The text of the body without scripts, styles, ``<noscript>`` and templates, white space
    collapsed (what :attr:`auditor.page.Page.text` holds for a fetched page)."""
    return " ".join(visible_raw(tree).split())


def visible_raw(tree: LexborHTMLParser) -> str:
    """:func:`visible_text` before its white space is collapsed. A body without scripts,
    styles, ``<noscript>`` or templates is read as it is, not copied to remove them."""
    body = tree.body
    if body is None:
        return ""
    if body.css_first(_NOT_TEXT) is None:
        return body.text(separator=" ")
    clone = tree.clone()
    for node in clone.css(_NOT_TEXT):
        node.decompose()
    root = clone.body
    return root.text(separator=" ") if root is not None else ""


def _absolute(base: str, target: str) -> str | None:
    target = target.strip().strip("'\"").strip()
    if not target or target.lower().startswith(("javascript:", "#", "mailto:", "data:")):
        return None
    url = urldefrag(urljoin(base, target))[0]
    if not url.lower().startswith(("http://", "https://")):
        return None
    return url


def refresh_target(
    tree: LexborHTMLParser, url: str, visible: str | None = None
) -> tuple[str, str] | None:
    """``(target URL, how)`` when the page at ``url`` sends the browser elsewhere at once: a
    ``<meta http-equiv=refresh>`` with a URL and a delay up to :data:`MAX_REFRESH_DELAY_S`
    (``how`` "meta refresh"), or a page with almost no text whose script assigns ``location``
    a literal URL ("script"). ``None`` for a page that reloads itself or stays."""
    for node in tree.css("meta[http-equiv]"):
        if (node.attributes.get("http-equiv") or "").strip().lower() != "refresh":
            continue
        match = _REFRESH.match(node.attributes.get("content") or "")
        if match is None or not match.group(2).strip():
            continue
        delay = float(match.group(1) or 0)
        target = _absolute(url, match.group(2))
        if delay <= MAX_REFRESH_DELAY_S and target is not None and target != url:
            return target, "meta refresh"
    scripts = " ".join(node.text() for node in tree.css("script"))
    if not scripts:
        return None
    if len(visible_text(tree) if visible is None else visible) > MAX_SCRIPT_STUB_TEXT:
        return None
    for match in _SCRIPT_TARGET.finditer(scripts):
        target = _absolute(url, match.group(2) or match.group(4) or "")
        if target is not None and target != url:
            return target, "script"
    return None


def redirect_in(body: bytes, url: str, encoding: str | None) -> tuple[str, str] | None:
    """:func:`refresh_target` of a fetched body, examined only when it is small and mentions a
    refresh or ``location`` (the fetcher's cheap test)."""
    if len(body) > MAX_STUB_BYTES:
        return None
    low = body.lower()  # a substring test first: the pattern is slow over a whole page
    if (b"refresh" not in low and b"location" not in low) or not _REFRESH_HINT.search(low):
        return None
    try:
        html = body.decode(encoding or "utf-8", errors="replace")
    except LookupError:
        html = body.decode("utf-8", errors="replace")
    return refresh_target(_tree(html), url)


def _heading(tree: LexborHTMLParser) -> str:
    node = tree.css_first("h1, h2")
    return node.text() if node is not None else ""


def error_shown(tree: LexborHTMLParser, visible: str | None = None) -> str | None:
    """The error an HTML page shows instead of content (its title, first heading, or whole
    short text naming a server error, a maintenance notice or a firewall refusal), or
    ``None``."""
    text = visible_text(tree) if visible is None else visible
    if len(text) > MAX_ERROR_TEXT:
        return None
    short = len(text) <= MAX_SCRIPT_STUB_TEXT
    phrases = ERROR_PHRASES + WEAK_ERROR_PHRASES if short else ERROR_PHRASES
    title = tree.css_first("title")
    places = [title.text() if title is not None else "", _heading(tree)]
    if short:
        places.append(text)
    for place in places:
        folded = fold(place)
        if any(phrase in folded for phrase in phrases):
            return " ".join(place.split())[:120]
    return None


MAX_SHELL_TEXT = 20  # visible characters of a page whose content scripts build


# where single-page application frameworks mount the content they build (React, Vue, Next,
# Nuxt, Angular), or a <noscript> asking for JavaScript
_MOUNT = (
    "#root, #app, #__next, #__nuxt, app-root, [ng-app], [ng-version], [data-reactroot], noscript"
)


def script_shell(tree: LexborHTMLParser, visible: str | None = None) -> bool:
    """Whether the page is an application shell: scripts, a mount point for the content they
    build (``<div id="root">``, ``<app-root>``, a ``<noscript>``), and next to no text or links
    of its own — its content is built in the browser."""
    if tree.css_first("script") is None or tree.css_first(_MOUNT) is None:
        return False
    if len(visible_text(tree) if visible is None else visible) >= MAX_SHELL_TEXT:
        return False
    return len(tree.css("a[href]")) < 3


def login_page(tree: LexborHTMLParser, url: str, visible: str | None = None) -> bool:
    """Whether the page is a sign-in form: a password field, or a sign-in address, on a page
    with little else."""
    if len(visible_text(tree) if visible is None else visible) > MAX_LOGIN_TEXT:
        return False
    if tree.css_first("input[type=password i]") is not None:
        return True
    return bool(_LOGIN_PATH.search(urlsplit(url).path))


_RETURN_PARAM = re.compile(
    r"(^|&)(service|returnurl|return_url|redirect_uri|redirect|next|continue)=", re.I
)


def sign_in_url(url: str) -> bool:
    """Whether ``url`` looks like a sign-in address: a sign-in path segment (``/cas/login``,
    ``/dang-nhap``) or a query carrying the address to return to (``?service=``,
    ``?ReturnUrl=``, ``?redirect_uri=``) — where single sign-on sends a visitor without a
    session."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return bool(_LOGIN_PATH.search(parts.path) or _RETURN_PARAM.search(parts.query))
