"""Support functions: search, site map, print, RSS (NĐ 43/2011 Đ15; TT 32/2017 Đ16 k4 b)."""

from __future__ import annotations

import dataclasses

import pytest

from auditor.artifacts import Artifacts, SearchProbe
from auditor.checks.registry import NoParams
from auditor.checks.support import (
    PrintParams,
    SitemapParams,
    StateLinksParams,
    print_affordance,
    print_function,
    rss_hint,
    search_works,
    sitemap_present,
    state_links_resolve,
)
from auditor.locate.portals import state_portal_links
from auditor.locate.search import headline_query, recent_headline, search_forms
from auditor.models import PageSnapshot, RobotsInfo, TransportProbe
from tests.factories import art, page
from tests.test_gather import demo_artifacts

HOME = "https://soctrang.gov.vn/"
ARTICLE = "https://soctrang.gov.vn/tin-tuc/hop-bao.html"
HEADLINE = "Ủy ban nhân dân tỉnh họp báo thông tin kinh tế xã hội"
FORM = (
    '<form role="search" action="/tim-kiem" method="get"><label for="q">Tìm kiếm</label>'
    '<input type="search" id="q" name="q"><input type="hidden" name="lang" value="vi"></form>'
)


def _home(extra: str = "", form: str = FORM, head: str = "") -> str:
    return (
        f"<html lang='vi'><head>{head}</head><body><header>{form}</header>"
        "<nav><a href='/tin-tuc/'>Tin tức</a> <a href='/so-do-cong/'>Sơ đồ cổng</a></nav>"
        f"<main><ul><li><a href='/tin-tuc/hop-bao.html'>{HEADLINE}</a> 19/11/2026</li></ul>"
        f"{extra}</main></body></html>"
    )


def _article(tools: str = "<button onclick='window.print()'>In bài</button>") -> str:
    return (
        f"<html><body><main><article><h1>{HEADLINE}</h1><p>Ngày 19/11/2026</p>{tools}"
        "<p>Nội dung bài viết.</p></article></main></body></html>"
    )


def _results(body: str) -> PageSnapshot:
    url = HOME + "tim-kiem?lang=vi&q=h%E1%BB%8Dp"
    return page(url, f"<html><body><main><h1>Kết quả</h1>{body}</main></body></html>").snapshot


def _probe(response: PageSnapshot | None, note: str | None = None) -> SearchProbe:
    return SearchProbe(
        HOME, HOME + "tim-kiem?lang=vi&q=h%E1%BB%8Dp", "họp", HEADLINE, ARTICLE, response, note
    )


def _with(a: Artifacts, **changes: object) -> Artifacts:
    return dataclasses.replace(a, **changes)  # type: ignore[arg-type]


def test_search_form_found_with_hidden_fields() -> None:
    forms = search_forms(page(HOME, _home()))
    assert forms and forms[0].action == HOME + "tim-kiem" and forms[0].param == "q"
    assert forms[0].hidden == (("lang", "vi"),)
    login = '<form action="/login"><input name="user"><input type="password" name="pw"></form>'
    assert search_forms(page(HOME, _home(form=login))) == []


def test_recent_headline_is_the_newest_article_title() -> None:
    site = art(page(HOME, _home()), page(ARTICLE, _article()))
    headline = recent_headline(site)
    assert headline is not None and headline.text == HEADLINE and headline.url == ARTICLE


def test_headline_query_prefers_a_rare_word_outside_the_agency_name() -> None:
    word = headline_query(HEADLINE, ["Tin tức", "Thông tin chung"], "Ủy ban nhân dân tỉnh")
    # "thông" is in another link text, "nhân"/"tỉnh" in the agency's name: "kinh" is rarest
    assert word == "kinh"
    assert headline_query("12 34", []) is None


def test_search_finds_the_headline_passes() -> None:
    results = _results(f'<ul><li><a href="/tin-tuc/hop-bao.html">{HEADLINE}</a></li></ul>')
    site = _with(art(page(HOME, _home())), search=_probe(results))
    out = search_works(site, NoParams())
    assert out.status == "pass"
    assert out.evidence[0].found == f"link → {ARTICLE}"
    assert "họp" in out.evidence[0].detail.vi


def test_search_without_the_headline_fails() -> None:
    results = _results("<p>Không tìm thấy kết quả</p>")
    out = search_works(_with(art(page(HOME, _home())), search=_probe(results)), NoParams())
    assert out.status == "fail"
    assert out.evidence[0].expected == ARTICLE
    assert "Không tìm thấy" in (out.evidence[0].snippet or "")


def test_search_http_error_fails_and_network_error_is_error() -> None:
    broken = PageSnapshot(url=HOME + "tim-kiem", final_url=HOME + "tim-kiem", status=404)
    out = search_works(_with(art(page(HOME, _home())), search=_probe(broken)), NoParams())
    assert out.status == "fail" and out.evidence[0].found == "404"
    # 5xx or 429 after the retries says nothing about the search: not observed
    for status in (500, 503, 429, 403, 401):
        busy = PageSnapshot(url=HOME + "tim-kiem", final_url=HOME + "tim-kiem", status=status)
        out = search_works(_with(art(page(HOME, _home())), search=_probe(busy)), NoParams())
        assert out.status == "error" and out.evidence[0].found == f"HTTP {status}"
    down = PageSnapshot(url=HOME, final_url=HOME, status=0, error="timeout: no answer in 10s")
    out = search_works(_with(art(page(HOME, _home())), search=_probe(down)), NoParams())
    assert out.status == "error" and out.evidence[0].found == "timeout: no answer in 10s"


def test_search_results_not_seen_are_error() -> None:
    error_page = _results("").model_copy(
        update={"body": b"<html><head><title>Service Unavailable</title></head></html>"}
    )
    out = search_works(_with(art(page(HOME, _home())), search=_probe(error_page)), NoParams())
    assert out.status == "error" and "error page served with HTTP 200" in (
        out.evidence[0].found or ""
    )


def test_no_search_form_fails_and_untried_search_is_error() -> None:
    out = search_works(art(page(HOME, _home(form=""))), NoParams())
    assert out.status == "fail" and "no search form" in out.evidence[0].detail.en
    assert search_works(art(page(HOME, _home())), NoParams()).status == "error"
    untried = _with(art(page(HOME, _home())), search=_probe(None, "POST form"))
    out = search_works(untried, NoParams())
    assert out.status == "error" and "POST form" in out.evidence[0].detail.en


def _sitemap_page(n: int) -> str:
    links = "".join(f"<li><a href='/muc-{i}/'>Mục {i}</a></li>" for i in range(n))
    return f"<html><body><main><h1>Sơ đồ cổng</h1><ul>{links}</ul></main></body></html>"


ROBOTS = RobotsInfo(url=HOME + "robots.txt", status=200, sitemaps=(HOME + "sitemap.xml",))


def test_sitemap_page_and_xml_pass() -> None:
    site = _with(
        art(page(HOME, _home()), page(HOME + "so-do-cong/", _sitemap_page(12))),
        robots=ROBOTS,
        sitemap_urls=(HOME, HOME + "tin-tuc/"),
    )
    out = sitemap_present(site, SitemapParams())
    assert out.status == "pass"
    assert out.evidence[0].url == HOME + "so-do-cong/" and out.evidence[0].found == "12"
    assert out.evidence[1].found == "2"


def test_sitemap_thin_page_or_missing_xml_fails() -> None:
    thin = art(page(HOME, _home()), page(HOME + "so-do-cong/", _sitemap_page(3)))
    out = sitemap_present(_with(thin, sitemap_urls=(HOME,)), SitemapParams())
    assert out.status == "fail" and out.evidence[0].found == "3"
    full = art(page(HOME, _home()), page(HOME + "so-do-cong/", _sitemap_page(12)))
    out = sitemap_present(full, SitemapParams())
    assert out.status == "fail" and "No valid sitemap.xml" in out.evidence[1].detail.en
    declared = sitemap_present(_with(full, robots=ROBOTS), SitemapParams())
    assert declared.status == "warn"
    # a sitemap.xml that answered 503 (or nothing) after the retries was not seen: error
    unseen = _with(full, sitemap_error=HOME + "sitemap.xml: HTTP 503")
    out = sitemap_present(unseen, SitemapParams())
    assert out.status == "error" and out.evidence[1].found == HOME + "sitemap.xml: HTTP 503"


def test_sitemap_page_not_linked_fails() -> None:
    home = page(HOME, _home().replace("Sơ đồ cổng", "Liên hệ").replace("so-do-cong", "lien-he"))
    out = sitemap_present(_with(art(home), sitemap_urls=(HOME,)), SitemapParams())
    assert out.status == "fail" and "links no site-map page" in out.evidence[0].detail.en


@pytest.mark.parametrize(
    ("tools", "how"),
    [
        ("<button onclick='window.print()'>In bài</button>", "window.print()"),
        ("<a href='/tin-tuc/hop-bao.html?print=1'>Bản in</a>", "«Bản in»"),
        ("<a href='?view=print'>x</a>", "href=?view=print"),
        ("<style>@media print { nav { display: none } }</style>", "@media print"),
        ("", None),
    ],
)
def test_print_affordance(tools: str, how: str | None) -> None:
    assert print_affordance(page(ARTICLE, _article(tools))) == how


def test_print_function_ratio() -> None:
    second = "https://soctrang.gov.vn/tin-tuc/b.html"
    good = art(page(HOME, _home()), page(ARTICLE, _article()), page(second, _article()))
    out = print_function(good, PrintParams())
    assert out.status == "pass" and out.evidence[0].found == "window.print()"
    bad = art(page(HOME, _home()), page(ARTICLE, _article()), page(second, _article("")))
    out = print_function(bad, PrintParams())
    assert out.status == "fail"
    assert [e.url for e in out.evidence[1:]] == [second]
    assert print_function(art(page(HOME, _home())), PrintParams()).status == "error"


def test_rss_hint_passes_or_warns_never_fails() -> None:
    head = '<link rel="alternate" type="application/rss+xml" href="/rss.xml">'
    out = rss_hint(art(page(HOME, _home(head=head))), NoParams())
    assert out.status == "pass" and out.evidence[0].url == HOME + "rss.xml"
    linked = rss_hint(art(page(HOME, _home("<a href='/rss.xml'>Tin RSS</a>"))), NoParams())
    assert linked.status == "pass"
    out = rss_hint(art(page(HOME, _home())), NoParams())
    assert out.status == "warn"


def test_demo_portals_all_have_working_support_functions() -> None:
    for domain, site in demo_artifacts().items():
        for name, outcome in (
            ("search", search_works(site, NoParams())),
            ("sitemap", sitemap_present(site, SitemapParams())),
            ("print", print_function(site, PrintParams())),
            ("rss", rss_hint(site, NoParams())),
        ):
            assert outcome.status == "pass", (domain, name, outcome.evidence[0].detail.en)


def _state_home() -> Artifacts:
    links = (
        "<a href='https://chinhphu.vn/'>Cổng TTĐT Chính phủ</a>"
        "<a href='https://sotttt.soctrang.gov.vn/'>Sở TT&amp;TT</a>"
        "<a href='https://sotttt.soctrang.gov.vn/tin-tuc/'>Tin của Sở</a>"
        "<a href='https://facebook.com/ubnd'>Facebook</a>"
    )
    return art(page(HOME, _home(links)))


def _tp(url: str, status: int = 200, error: str | None = None) -> TransportProbe:
    return TransportProbe(url=url, ok=error is None, status=status, error=error)


def test_state_portal_links_one_per_host() -> None:
    links = state_portal_links(_state_home())
    assert [lk.url for lk in links] == ["https://chinhphu.vn/", "https://sotttt.soctrang.gov.vn/"]


def test_state_links_resolve() -> None:
    site = _state_home()
    good = (_tp("https://chinhphu.vn/"), _tp("https://sotttt.soctrang.gov.vn/"))
    out = state_links_resolve(_with(site, state_links=good), StateLinksParams())
    assert out.status == "pass" and out.evidence[0].found == "chinhphu.vn, sotttt.soctrang.gov.vn"
    bad = (_tp("https://chinhphu.vn/"), _tp("https://sotttt.soctrang.gov.vn/", 404))
    out = state_links_resolve(_with(site, state_links=bad), StateLinksParams())
    assert out.status == "fail"
    assert (
        out.evidence[1].url == "https://sotttt.soctrang.gov.vn/" and out.evidence[1].found == "404"
    )
    down = (_tp("https://chinhphu.vn/"), _tp("https://sotttt.soctrang.gov.vn/", 0, "timeout"))
    out = state_links_resolve(_with(site, state_links=down), StateLinksParams())
    assert out.status == "error" and out.evidence[1].found == "timeout"
    assert state_links_resolve(site, StateLinksParams()).status == "error"
    out = state_links_resolve(art(page(HOME, _home())), StateLinksParams())
    assert out.status == "fail" and out.evidence[0].found == "0"


def test_demo_state_links_all_work() -> None:
    for domain, site in demo_artifacts().items():
        out = state_links_resolve(site, StateLinksParams())
        assert out.status == "pass", (domain, [e.detail.en for e in out.evidence])
        assert len(site.state_links) >= 4, domain
