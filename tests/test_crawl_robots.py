"""robots.txt rules and sitemap parsing (no fetching)."""

from __future__ import annotations

import gzip

import pytest

from auditor.crawl.robots import RobotsRules, sitemap_children, sitemap_urls

UA = "auditor/0.1 (+compliance audit of state portals)"

ROBOTS = """\
# Cổng thông tin điện tử
User-agent: *
Disallow: /admin/
Disallow: /tim-kiem
Crawl-delay: 2

User-agent: auditor
Disallow: /noi-bo/
Allow: /

User-agent: BadBot
Disallow: /

Sitemap: https://soctrang.gov.vn/sitemap.xml
sitemap:https://soctrang.gov.vn/sitemap-news.xml
Sitemap: /relative.xml
Sitemap: https://soctrang.gov.vn/sitemap.xml
"""


def test_robots_rules_for_our_user_agent() -> None:
    rules = RobotsRules(ROBOTS, UA)
    # our own group applies, not the '*' one
    assert not rules.can_fetch("https://soctrang.gov.vn/noi-bo/bao-cao")
    assert rules.can_fetch("https://soctrang.gov.vn/admin/")
    assert rules.can_fetch("https://soctrang.gov.vn/tin-tuc?page=2")
    other = RobotsRules(ROBOTS, "SomeCrawler/1.0")
    assert not other.can_fetch("https://soctrang.gov.vn/admin/x")
    assert not other.can_fetch("https://soctrang.gov.vn/tim-kiem?q=a")
    assert other.can_fetch("https://soctrang.gov.vn/tin-tuc")
    assert other.crawl_delay == 2.0 and rules.crawl_delay is None


def test_robots_sitemap_lines_absolute_deduplicated_in_order() -> None:
    assert RobotsRules(ROBOTS, UA).sitemaps == (
        "https://soctrang.gov.vn/sitemap.xml",
        "https://soctrang.gov.vn/sitemap-news.xml",
    )


@pytest.mark.parametrize(
    "text", ["", "<html><body>Không tìm thấy</body></html>", "\x00\xff garbage"]
)
def test_empty_or_garbage_robots_allows_everything(text: str) -> None:
    rules = RobotsRules(text, UA)
    assert rules.can_fetch("https://soctrang.gov.vn/anything") and rules.sitemaps == ()


def test_disallow_all() -> None:
    rules = RobotsRules("User-agent: *\nDisallow: /\n", UA)
    assert not rules.can_fetch("https://soctrang.gov.vn/")
    assert RobotsRules.allow_all(UA).can_fetch("https://soctrang.gov.vn/")


URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://soctrang.gov.vn/</loc><lastmod>2026-11-19</lastmod></url>
  <url><loc> https://soctrang.gov.vn/tin-tuc?a=1&amp;b=2 </loc></url>
  <url><loc><![CDATA[https://soctrang.gov.vn/van-ban]]></loc></url>
  <url><loc>https://soctrang.gov.vn/</loc></url>
  <url><loc>javascript:alert(1)</loc></url>
  <url><loc>/relative</loc></url>
</urlset>"""

INDEX = b"""<?xml version="1.0"?>
<sm:sitemapindex xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sm:sitemap><sm:loc>https://soctrang.gov.vn/sitemap-1.xml</sm:loc></sm:sitemap>
  <sm:sitemap><sm:loc>https://soctrang.gov.vn/sitemap-2.xml.gz</sm:loc></sm:sitemap>
</sm:sitemapindex>"""


def test_sitemap_urlset() -> None:
    expected = (
        "https://soctrang.gov.vn/",
        "https://soctrang.gov.vn/tin-tuc?a=1&b=2",
        "https://soctrang.gov.vn/van-ban",
    )
    assert sitemap_urls(URLSET) == expected
    assert sitemap_urls(gzip.compress(URLSET)) == expected
    assert sitemap_children(URLSET) == ()


def test_sitemap_index() -> None:
    assert sitemap_children(INDEX) == (
        "https://soctrang.gov.vn/sitemap-1.xml",
        "https://soctrang.gov.vn/sitemap-2.xml.gz",
    )
    assert sitemap_urls(INDEX) == ()


def test_plain_text_sitemap() -> None:
    body = b"https://soctrang.gov.vn/\nhttps://soctrang.gov.vn/lien-he\n\n"
    assert sitemap_urls(body) == ("https://soctrang.gov.vn/", "https://soctrang.gov.vn/lien-he")


def test_image_and_video_locs_are_not_pages() -> None:
    # Google image/video sitemap extensions: <image:loc> names an image of the page
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"
        xmlns:video="http://www.google.com/schemas/sitemap-video/1.1">
  <url><loc>https://soctrang.gov.vn/tin-tuc/a.html</loc>
    <image:image><image:loc>https://soctrang.gov.vn/anh/a.jpg</image:loc></image:image>
    <video:video><video:content_loc>https://soctrang.gov.vn/v.mp4</video:content_loc>
      <video:loc>https://soctrang.gov.vn/v2.mp4</video:loc></video:video>
  </url>
</urlset>"""
    assert sitemap_urls(data) == ("https://soctrang.gov.vn/tin-tuc/a.html",)
    # a prefixed sitemap namespace keeps its own prefix
    prefixed = (
        data.replace(b"<urlset xmlns=", b"<sm:urlset xmlns:sm=")
        .replace(b"</urlset>", b"</sm:urlset>")
        .replace(b"<url><loc>", b"<sm:url><sm:loc>")
        .replace(b"</loc>\n", b"</sm:loc>\n")
    )
    assert sitemap_urls(prefixed) == ("https://soctrang.gov.vn/tin-tuc/a.html",)


def test_text_sitemap_with_a_bom() -> None:
    body = b"\xef\xbb\xbfhttps://soctrang.gov.vn/\r\nhttps://soctrang.gov.vn/lien-he\r\n"
    assert sitemap_urls(body) == ("https://soctrang.gov.vn/", "https://soctrang.gov.vn/lien-he")
    assert sitemap_urls(b"\xef\xbb\xbf" + URLSET)[0] == "https://soctrang.gov.vn/"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x1f\x8b\x08garbage-not-gzip",
        b"<html><body><a href='https://soctrang.gov.vn/'>x</a></body></html>",
        b"<urlset><url><loc>https://soctrang.gov.vn/unclosed",
        b"not a sitemap\nhttps://soctrang.gov.vn/",
        bytes(range(256)) * 4,
    ],
)
def test_garbage_sitemaps_give_nothing(data: bytes) -> None:
    assert sitemap_urls(data) == ()
    assert sitemap_children(data) == ()


# --- RFC 9309 (protego) --------------------------------------------------------------------


def test_longest_match_wins_not_the_first() -> None:
    rules = RobotsRules("User-agent: *\nDisallow: /van-ban/\nAllow: /van-ban/cong-khai/\n", UA)
    assert rules.can_fetch("https://x.gov.vn/van-ban/cong-khai/a.pdf")
    assert not rules.can_fetch("https://x.gov.vn/van-ban/mat/a.pdf")


def test_wildcards_and_end_anchor() -> None:
    rules = RobotsRules("User-agent: *\nDisallow: /*.aspx$\nDisallow: /*?print=\n", UA)
    assert not rules.can_fetch("https://x.gov.vn/Pages/tin.aspx")
    assert rules.can_fetch("https://x.gov.vn/Pages/tin.aspx?id=3")
    assert not rules.can_fetch("https://x.gov.vn/tin/3?print=1")


def test_a_bom_does_not_hide_the_first_group() -> None:
    rules = RobotsRules("\ufeffUser-agent: *\nDisallow: /\n", UA)
    assert not rules.can_fetch("https://x.gov.vn/tin-tuc/")


def test_groups_of_one_agent_are_merged_and_blank_lines_do_not_end_them() -> None:
    text = "User-agent: auditor\nDisallow: /a/\n\nUser-agent: auditor\n\nDisallow: /b/\n"
    rules = RobotsRules(text, UA)
    assert not rules.can_fetch("https://x.gov.vn/a/1")
    assert not rules.can_fetch("https://x.gov.vn/b/1")
    assert rules.can_fetch("https://x.gov.vn/c/1")


def test_unreachable_robots_disallows_everything_but_itself() -> None:
    rules = RobotsRules.disallow_all(UA)
    assert not rules.can_fetch("https://x.gov.vn/")
    assert RobotsRules.allow_all(UA).can_fetch("https://x.gov.vn/noi-bo/")
    assert RobotsRules("User-agent: *\nDisallow: /\n", UA).can_fetch("https://x.gov.vn/robots.txt")


def test_crawl_delay_of_our_group() -> None:
    assert RobotsRules("User-agent: *\nCrawl-delay: 2.5\n", UA).crawl_delay == 2.5
    assert RobotsRules.disallow_all(UA).crawl_delay is None
