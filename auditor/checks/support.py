"""Support functions: search, site map, print, RSS (NĐ 43/2011 Đ15 k1; TT 32/2017 Đ16 k4 b;
Quảng Ninh Đ14 k11)."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from auditor.artifacts import Artifacts, SearchProbe, host_of
from auditor.checks.registry import NoParams, Params, check, of_page
from auditor.locate.portals import state_portal_links
from auditor.locate.search import search_forms
from auditor.locate.sections import home_section_links, linked_section_pages
from auditor.models import Evidence, Outcome, Status, status_broken, status_observed, t
from auditor.page import Link, Page, collapse, read_once
from auditor.sections import load_catalogue
from auditor.text.fold import fold_words

_WORST_FIRST: tuple[Status, ...] = ("fail", "error", "warn")


def _headline_found(probe: SearchProbe, results: Page) -> str | None:
    """How the results page shows the headline (link to it, or its text), or ``None``."""
    wanted = probe.headline_url.rstrip("/")
    for link in results.links:
        if link.url.rstrip("/") == wanted:
            return f"link → {link.url}"
    head = fold_words(probe.headline).split()[:8]
    if head and " ".join(head) in fold_words(results.main_text or results.text):
        return "text"
    return None


def _one(status: Status, **kwargs: object) -> Outcome:
    return Outcome(status=status, evidence=(Evidence.model_validate(kwargs),))


@check("search_works", requires=("home", "search"))
def search_works(art: Artifacts, p: NoParams) -> Outcome:
    """The home page has a search form, and searching a word of a recent headline lists that
    headline (the gatherer submitted the form: :attr:`Artifacts.search`)."""
    home = art.home_page
    forms = search_forms(home)
    if not forms:
        return _one(
            "fail",
            url=home.url,
            detail=t("Trang chủ không có ô tìm kiếm.", "The home page has no search form."),
            expected='<form role="search"> / <input type="search">',
        )
    probe = art.search
    if probe is None:
        return _one(
            "error",
            url=home.url,
            detail=t(
                "Có ô tìm kiếm nhưng chưa thử tìm (không có dữ liệu thu thập).",
                "There is a search form, but no search was tried (nothing gathered).",
            ),
            found=forms[0].action,
        )
    query = f"«{probe.query}» ({probe.headline})" if probe.query else None
    response = probe.response
    if response is None:
        return _one(
            "error",
            url=probe.form_url,
            detail=t(
                f"Có ô tìm kiếm nhưng không thử được: {probe.note or 'không rõ'}.",
                f"There is a search form, but it could not be tried: {probe.note or 'unknown'}.",
            ),
            found=forms[0].action,
        )
    if not status_observed(response.status):  # no answer, or 429/5xx after the retries
        return _one(
            "error",
            url=probe.action,
            detail=t(
                "Không tải được trang kết quả tìm kiếm.", "The search results could not be fetched."
            ),
            expected=query,
            found=response.error or f"HTTP {response.status}",
        )
    if response.status >= 400 or not response.is_html:
        return _one(
            "fail",
            url=probe.action,
            detail=t(
                f"Tìm kiếm không trả về trang kết quả (HTTP {response.status}, "
                f"{response.content_type or '?'}).",
                f"The search returns no results page (HTTP {response.status}, "
                f"{response.content_type or '?'}).",
            ),
            expected=query,
            found=str(response.status),
        )
    results = art.search_page or Page(response)
    if results.problem is not None:  # an error or sign-in page, cut, built by scripts…
        return _one(
            "error",
            url=probe.action,
            detail=t(
                "Không xem được trang kết quả tìm kiếm.", "The search results page was not seen."
            ),
            expected=query,
            found=results.problem,
        )
    how = _headline_found(probe, results)
    if how is None:
        return _one(
            "fail",
            url=probe.action,
            detail=t(
                f"Tìm «{probe.query}» không thấy tin «{probe.headline}» đang có trên trang chủ.",
                f"Searching «{probe.query}» does not list «{probe.headline}», which is on the "
                "home page.",
            ),
            expected=probe.headline_url,
            snippet=collapse(results.main_text)[:300] or None,
        )
    return _one(
        "pass",
        url=probe.action,
        detail=t(
            f"Tìm «{probe.query}» trả về tin «{probe.headline}».",
            f"Searching «{probe.query}» lists «{probe.headline}».",
        ),
        expected=probe.headline_url,
        found=how,
    )


class SitemapParams(Params):
    """How many in-scope links an HTML site-map page must list."""

    min_links: int = 10


def _sitemap_page(art: Artifacts, home: Page, min_links: int) -> tuple[Status, Evidence]:
    section = load_catalogue().sections["sitemap"]
    candidates = home_section_links(art, "sitemap")
    if not candidates:
        return "fail", Evidence(
            url=home.url,
            detail=t(
                "Trang chủ không liên kết tới trang sơ đồ cổng.",
                "The home page links no site-map page.",
            ),
            expected=", ".join(section.labels[:3]),
        )
    verdicts: list[tuple[Status, Evidence]] = []
    for link, _why in candidates[:4]:
        page = art.page(link.url)
        if page is None:
            failed = art.failed_fetch(link.url)
            status: Status = (
                "fail" if failed is not None and status_broken(failed.status) else "error"
            )
            verdicts.append(
                (
                    status,
                    Evidence(
                        url=link.url,
                        detail=t(
                            f"Liên kết «{link.text}» không mở được trang HTML.",
                            f"The link «{link.text}» does not open an HTML page.",
                        ),
                        found=failed.why_not_seen if failed else None,
                    ),
                )
            )
            continue
        listed = {lk.url for lk in page.links if art.in_scope(lk.url) and lk.url != page.url}
        ok = len(listed) >= min_links
        verdicts.append(
            (
                "pass" if ok else "fail",
                Evidence(
                    url=page.url,
                    detail=t(
                        f"Trang sơ đồ «{link.text}» liệt kê {len(listed)} liên kết trong cổng.",
                        f"The site-map page «{link.text}» lists {len(listed)} links of the portal.",
                    ),
                    expected=f">= {min_links}",
                    found=str(len(listed)),
                ),
            )
        )
    for wanted in ("pass", "error", "fail"):
        for verdict in verdicts:
            if verdict[0] == wanted:
                return verdict
    return verdicts[0]


def _sitemap_xml(art: Artifacts) -> tuple[Status, Evidence]:
    declared = art.robots.sitemaps if art.robots is not None else ()
    if art.sitemap_urls:
        return "pass", Evidence(
            url=declared[0] if declared else None,
            detail=t(
                f"Sitemap XML hợp lệ, liệt kê {len(art.sitemap_urls)} địa chỉ"
                + (" (khai báo trong robots.txt)." if declared else "."),
                f"A valid XML sitemap lists {len(art.sitemap_urls)} URLs"
                + (" (declared in robots.txt)." if declared else "."),
            ),
            found=str(len(art.sitemap_urls)),
        )
    if art.sitemap_error is not None:  # not observed: neither its presence nor its absence
        return "error", Evidence(
            url=declared[0] if declared else urljoin(art.start_url, "/sitemap.xml"),
            detail=t(
                "Không đọc được sitemap XML (lỗi kết nối hoặc lỗi tạm thời sau các lần thử lại).",
                "The XML sitemap could not be read (no answer or a passing error after retries).",
            ),
            found=art.sitemap_error,
        )
    if declared:
        return "warn", Evidence(
            url=declared[0],
            detail=t(
                "robots.txt khai báo Sitemap nhưng không đọc được địa chỉ nào từ đó.",
                "robots.txt declares a Sitemap, but no URL could be read from it.",
            ),
            found=", ".join(declared[:3]),
        )
    return "fail", Evidence(
        url=urljoin(art.start_url, "/sitemap.xml"),
        detail=t(
            "Không có sitemap.xml hợp lệ và robots.txt không khai báo Sitemap.",
            "No valid sitemap.xml, and robots.txt declares no Sitemap.",
        ),
        expected="/sitemap.xml | Sitemap: …",
    )


def _read_sitemap_page(art: Artifacts, page: Page, p: SitemapParams) -> None:
    """What :func:`sitemap_present` reads of the site-map pages: their links."""
    if id(page) in linked_section_pages(art, "sitemap"):
        page.links  # noqa: B018 (cached)


@check("sitemap_present", params=SitemapParams, requires=("home",), reads=(_read_sitemap_page,))
def sitemap_present(art: Artifacts, p: SitemapParams) -> Outcome:
    """An HTML site-map page linked from the home page, and a valid ``sitemap.xml`` (or a
    ``Sitemap:`` line in robots.txt)."""
    home = art.home_page
    parts = [_sitemap_page(art, home, p.min_links), _sitemap_xml(art)]
    statuses = {s for s, _ in parts}
    status = next((s for s in _WORST_FIRST if s in statuses), "pass")
    return Outcome(status=status, evidence=tuple(e for _, e in parts))


_PRINT_TEXTS = frozenset(
    {"in", "in bai", "in trang", "in bai viet", "in tin", "ban in", "phien ban in", "print"}
)


@read_once
def print_affordance(page: Page) -> str | None:
    """How an article page offers printing (a print button or link, ``window.print()``, a
    print stylesheet), or ``None``."""
    for node in page.tree.css("[onclick]"):
        if "print(" in (node.attributes.get("onclick") or "").replace(" ", ""):
            return "window.print()"
    for node in page.tree.css("a, button, input[type=button]"):
        attrs = node.attributes
        names = (
            node.text(separator=" "),
            attrs.get("title"),
            attrs.get("aria-label"),
            attrs.get("value"),
        )
        for name in names:
            if name and fold_words(name) in _PRINT_TEXTS:
                return f"«{collapse(name)}»"
        href = (attrs.get("href") or "").lower()
        if href and ("print" in href or "/in-bai" in href or "inbai" in href):
            return f"href={href[:80]}"
    for node in page.tree.css("link[rel~=stylesheet][media], style[media]"):
        if "print" in (node.attributes.get("media") or "").lower():
            return "CSS media=print"
    for node in page.tree.css("style"):
        if "@media print" in node.text().lower():
            return "@media print"
    return None


class PrintParams(Params):
    """Share of the crawled article pages that must offer printing."""

    min_ratio: float = 0.8


def _article_print(page: Page) -> str | None:
    """:func:`print_affordance` of an article page (what ``print_function`` reads of each)."""
    return print_affordance(page) if page.is_article else None


@check(
    "print_function",
    params=PrintParams,
    absence=True,
    requires=("home",),
    reads=(of_page(_article_print),),
)
def print_function(art: Artifacts, p: PrintParams) -> Outcome:
    """Article pages offer printing ("In bài", ``window.print()``, a print link or stylesheet)."""
    articles = [pg for pg in art.pages if art.in_scope(pg.url) and pg.is_article]
    if not articles:
        return _one(
            "error",
            url=art.home_page.url,
            detail=t(
                "Không tìm thấy trang bài viết nào để xét chức năng in.",
                "No article page was found to look for a print function.",
            ),
        )
    offers = [(pg, print_affordance(pg)) for pg in articles]
    missing = [pg for pg, how in offers if how is None]
    ratio = (len(articles) - len(missing)) / len(articles)
    first = next(((pg, how) for pg, how in offers if how is not None), None)
    summary = Evidence(
        url=first[0].url if first else articles[0].url,
        detail=t(
            f"{len(articles) - len(missing)}/{len(articles)} trang bài viết có chức năng in.",
            f"{len(articles) - len(missing)}/{len(articles)} article pages offer printing.",
        ),
        expected=f">= {p.min_ratio:.0%}",
        found=first[1] if first else None,
    )
    lacking = tuple(
        Evidence(
            url=pg.url,
            detail=t("Bài viết không có chức năng in.", "The article offers no print function."),
            expected="«In bài» / window.print()",
        )
        for pg in missing[:5]
    )
    return Outcome(status="pass" if ratio >= p.min_ratio else "fail", evidence=(summary, *lacking))


_FEED_TYPES = ("application/rss+xml", "application/atom+xml")


def _feed_link(links: tuple[Link, ...]) -> Link | None:
    for link in links:
        path = urlsplit(link.url).path.lower()
        if path.endswith((".rss", "/rss.xml", "/rss", "/feed", "/atom.xml")) or (
            link.folded.split()[:1] == ["rss"]
        ):
            return link
    return None


@check("rss_hint", requires=("home",))
def rss_hint(art: Artifacts, p: NoParams) -> Outcome:
    """The home page offers an RSS/Atom feed (advisory: ``warn`` when absent, never ``fail``)."""
    home = art.home_page
    for node in home.tree.css("link[rel~=alternate][type][href]"):
        if (node.attributes.get("type") or "").lower() in _FEED_TYPES:
            href = urljoin(home.url, node.attributes.get("href") or "")
            return _one(
                "pass",
                url=href,
                detail=t(
                    "Trang chủ khai báo nguồn tin RSS.", "The home page declares an RSS feed."
                ),
                found=node.attributes.get("type"),
            )
    link = _feed_link(home.links)
    if link is not None:
        return _one(
            "pass",
            url=link.url,
            detail=t("Trang chủ liên kết tới nguồn tin RSS.", "The home page links an RSS feed."),
            found=link.text or link.url,
        )
    return _one(
        "warn",
        url=home.url,
        detail=t(
            "Không thấy nguồn tin RSS trên trang chủ (khuyến nghị).",
            "No RSS feed offered on the home page (recommended).",
        ),
        expected='<link rel="alternate" type="application/rss+xml">',
    )


class StateLinksParams(Params):
    """How many links to other state portals the home page must carry."""

    min_links: int = 1


@check("state_links_resolve", params=StateLinksParams, requires=("home", "state_links"))
def state_links_resolve(art: Artifacts, p: StateLinksParams) -> Outcome:
    """The home page links to related state portals and those links work (the gatherer
    requested each one: :attr:`Artifacts.state_links`)."""
    home = art.home_page
    links = state_portal_links(art)
    if len(links) < p.min_links:
        return _one(
            "fail",
            url=home.url,
            detail=t(
                "Trang chủ không liên kết tới cổng thông tin của cơ quan nhà nước khác.",
                "The home page links no other state portal.",
            ),
            expected=f">= {p.min_links} (*.gov.vn, chinhphu.vn)",
            found=str(len(links)),
        )
    probes = {pr.url: pr for pr in art.state_links}
    if not probes:
        return _one(
            "error",
            url=home.url,
            detail=t(
                "Có liên kết tới cổng nhà nước khác nhưng chưa kiểm tra "
                "(không có dữ liệu thu thập).",
                "There are links to other state portals, but none was requested "
                "(nothing gathered).",
            ),
            found=", ".join(lk.url for lk in links[:5]),
        )
    broken = [pr for pr in probes.values() if pr.ok and status_broken(pr.status)]
    unreachable = [pr for pr in probes.values() if not pr.ok or not status_observed(pr.status)]
    working = [pr for pr in probes.values() if pr.ok and pr.status < 400]
    evidence = [
        Evidence(
            url=pr.url,
            detail=t(
                f"Liên kết tới cổng nhà nước hỏng (HTTP {pr.status}).",
                f"Broken link to a state portal (HTTP {pr.status}).",
            ),
            found=str(pr.status),
        )
        for pr in broken
    ] + [
        Evidence(
            url=pr.url,
            detail=t(
                "Không kết nối được tới cổng nhà nước được liên kết.",
                "The linked state portal could not be reached.",
            ),
            found=pr.error or f"HTTP {pr.status}",
        )
        for pr in unreachable
    ]
    summary = Evidence(
        url=home.url,
        detail=t(
            f"{len(working)}/{len(probes)} liên kết tới cổng nhà nước khác hoạt động.",
            f"{len(working)}/{len(probes)} links to other state portals work.",
        ),
        found=", ".join(host_of(pr.url) for pr in working[:8]) or None,
    )
    status: Status = "fail" if broken else "error" if unreachable else "pass"
    return Outcome(status=status, evidence=(summary, *evidence))
