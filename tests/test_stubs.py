"""Pages that stand in for the content (auditor.stubs): redirect pages, error pages served with
HTTP 200, sign-in pages — recognised in the shapes servers emit, and real content left alone."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from auditor.stubs import (
    error_shown,
    login_page,
    redirect_in,
    refresh_target,
    script_shell,
    sign_in_url,
)
from tests.factories import page

URL = "https://soctrang.gov.vn/"
PROSE = "<p>" + "Ủy ban nhân dân tỉnh Sóc Trăng thông báo lịch tiếp công dân. " * 40 + "</p>"


def _tree(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


@pytest.mark.parametrize(
    ("html", "target"),
    [
        ('<meta http-equiv="refresh" content="0; url=/portal/">', URL + "portal/"),
        ("<META HTTP-EQUIV=Refresh CONTENT=\"0;URL='/Pages/Home.aspx'\">", URL + "Pages/Home.aspx"),
        ('<meta http-equiv="refresh" content="3;https://soctrang.gov.vn/vi/">', URL + "vi/"),
        ('<script>window.location.href = "/portal/";</script>', URL + "portal/"),
        ("<script>location.replace('/web/guest/home')</script>", URL + "web/guest/home"),
        ("<body><script>top.location='/trang-chu'</script>Đang chuyển…</body>", URL + "trang-chu"),
    ],
)
def test_redirect_pages(html: str, target: str) -> None:
    moved = refresh_target(_tree(f"<html><head>{html}</head><body></body></html>"), URL)
    assert moved is not None and moved[0] == target
    assert redirect_in(html.encode(), URL, "utf-8") == moved


@pytest.mark.parametrize(
    "html",
    [
        '<meta http-equiv="refresh" content="300">',  # a page that reloads itself
        '<meta http-equiv="refresh" content="600; url=/">',  # too late to be a redirect
        '<meta http-equiv="refresh" content="0; url=https://soctrang.gov.vn/">',  # itself
        # a content page whose script changes location on a click: not a redirect page
        f"<script>function go(){{location.href='/tim-kiem'}}</script><main>{PROSE}</main>",
    ],
)
def test_pages_that_stay(html: str) -> None:
    assert refresh_target(_tree(f"<html><head></head><body>{html}</body></html>"), URL) is None


@pytest.mark.parametrize(
    "html",
    [
        "<title>Service Unavailable</title><h1>Service Unavailable</h1><p>HTTP Error 503.</p>",
        "<title>Runtime Error</title><h1>Server Error in '/' Application.</h1><pre>"
        + "at System.Web.HttpRuntime.ProcessRequest() " * 20
        + "</pre>",
        "<title>Request Rejected</title><body>The requested URL was rejected. Please consult"
        " with your administrator. Your support ID is: 1234</body>",
        "<title>Cổng thông tin</title><body><h1>Hệ thống đang bảo trì</h1>Xin quay lại sau.</body>",
        "<title>502 Bad Gateway</title><center><h1>502 Bad Gateway</h1></center><hr>nginx",
    ],
)
def test_error_pages(html: str) -> None:
    assert error_shown(_tree(f"<html>{html}</html>")) is not None


def test_articles_about_errors_are_content() -> None:
    article = f"<title>Khắc phục lỗi hệ thống điện</title><h1>Khắc phục lỗi hệ thống</h1>{PROSE}"
    assert error_shown(_tree(f"<html><body>{article}</body></html>")) is None
    long = "<title>Service Unavailable</title>" + PROSE * 3  # a long page is content
    assert error_shown(_tree(f"<html><body>{long}</body></html>")) is None


def test_sign_in_pages() -> None:
    form = '<form><input name="u"><input type="password" name="p"><button>Đăng nhập</button></form>'
    assert login_page(_tree(f"<html><body>{form}</body></html>"), URL + "tai-khoan")
    assert login_page(_tree("<html><body>Đăng nhập</body></html>"), URL + "Account/Login.aspx")
    assert not login_page(_tree(f"<html><body>{PROSE}</body></html>"), URL + "gioi-thieu/")
    assert sign_in_url("https://sso.gov.vn/cas/login?service=https://soctrang.gov.vn/x")
    assert sign_in_url("https://id.example/authorize?redirect_uri=https://soctrang.gov.vn/")
    assert not sign_in_url("https://dichvucong.gov.vn/p/home/dvc-trang-chu.html")


def test_a_page_standing_in_is_not_seen() -> None:
    error = page(URL + "lien-he/", "<html><head><title>Service Unavailable</title></head></html>")
    assert "error page served with HTTP 200" in (error.problem or "")
    assert page(URL, f"<html><body>{PROSE}</body></html>").problem is None


def test_application_shells() -> None:
    shell = (
        '<div id="root"></div><script src="/app.js"></script><noscript>Bật JavaScript</noscript>'
    )
    assert script_shell(_tree(f"<html><body>{shell}</body></html>"))
    assert page(URL, f"<html><body>{shell}</body></html>").problem is not None
    # a page with its own text or links is content, scripts or not
    assert not script_shell(_tree(f"<html><body>{PROSE}<script>x()</script></body></html>"))
    links = "".join(f'<a href="/{i}">{i}</a>' for i in range(5))
    assert not script_shell(_tree(f"<html><body>{links}<script>x()</script></body></html>"))
    assert not script_shell(_tree("<html><body><p></p></body></html>"))  # empty: no scripts
