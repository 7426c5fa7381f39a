"""Mobile primitives (Điều 7) and zoom (Điều 8): unit fixtures, and the demo portals from files."""

from __future__ import annotations

import pytest

from auditor.artifacts import Artifacts
from auditor.checks.accessibility import EvidenceParams
from auditor.checks.mobile import (
    FixedWidthParams,
    ZoomParams,
    mobile_fixed_width,
    mobile_no_plugins,
    mobile_viewport,
    mobile_zoom,
)
from auditor.models import Outcome
from tests.factories import art, judged, page
from tests.test_check_accessibility import DEMO_FAILS, DEMO_HOSTS, MOBILE, demo_site, run

HOME = "https://soctrang.gov.vn/"
TEXT = "<p>" + "Tin tức, văn bản và thủ tục hành chính của tỉnh. " * 10 + "</p>"


def doc(body: str, viewport: str | None = "width=device-width, initial-scale=1") -> str:
    meta = f'<meta name="viewport" content="{viewport}">' if viewport is not None else ""
    return (
        f'<!DOCTYPE html><html lang="vi"><head><title>Trang</title>{meta}</head>'
        f"<body>{body}</body></html>"
    )


def one(html: str) -> Artifacts:
    return art(page(HOME, html))


@pytest.mark.parametrize("host", DEMO_HOSTS)
@pytest.mark.parametrize("name", MOBILE)
def test_demo_portals(host: str, name: str) -> None:
    out = run(name, demo_site(host))
    expected = "fail" if name in DEMO_FAILS.get(host, set()) else "pass"
    if expected == "fail" and name == "mobile_fixed_width":
        expected = "warn"  # a hint by default
    assert out.status == expected, [e.detail.en for e in out.evidence][:4]


def test_sonnptnt_evidence() -> None:
    site = demo_site("sonnptnt.soctrang.gov.vn")
    viewport = run("mobile_viewport", site)
    assert viewport.evidence[0].detail.en.startswith("Mobile meta viewport: 23 of 23 pages")
    first = viewport.evidence[1]
    assert first.url == "https://sonnptnt.soctrang.gov.vn/"
    assert first.found == "head" and first.snippet is None
    assert 'no <meta name="viewport">' in first.detail.en
    assert first.expected == '<meta name="viewport" content="width=device-width, initial-scale=1">'

    width = run("mobile_fixed_width", site)
    assert width.evidence[1].found == "div#wrapper"
    assert width.evidence[1].snippet is not None
    assert width.evidence[1].snippet.startswith('<div id="wrapper" style="width:1200px">')
    assert "1200px" in width.evidence[1].detail.vi
    assert width.evidence[-1].detail.en.startswith("… and 18 more pages (18 issues), e.g. https")


def test_thanhpho_zoom_is_blocked_but_viewport_is_mobile() -> None:
    site = demo_site("thanhpho.soctrang.gov.vn")
    assert run("mobile_viewport", site).status == "pass"
    zoom = run("mobile_zoom", site)
    assert zoom.status == "fail"
    assert zoom.evidence[1].found == "html > head > meta:nth-of-type(2)"
    assert zoom.evidence[1].snippet is not None and "user-scalable=no" in zoom.evidence[1].snippet
    assert "user-scalable=no, maximum-scale=1" in zoom.evidence[1].detail.en


def test_zoom() -> None:
    assert mobile_zoom(one(doc(TEXT)), ZoomParams()).status == "pass"  # nothing limits zoom
    roomy = one(doc(TEXT, "width=device-width, maximum-scale=5"))
    assert mobile_zoom(roomy, ZoomParams()).status == "pass"
    out = mobile_zoom(one(doc(TEXT, "width=device-width, maximum-scale=1.5")), ZoomParams())
    assert out.status == "fail"
    assert out.evidence[1].detail.vi == (
        "Thẻ meta viewport chặn phóng to (maximum-scale=1.5) (1/1 trên trang này)."
    )
    lenient = ZoomParams(min_max_scale=1.5)
    assert mobile_zoom(one(doc(TEXT, "maximum-scale=1.5")), lenient).status == "pass"


def test_every_viewport_meta_is_judged_for_zoom() -> None:
    # ACT b4f0c3 judges each <meta name=viewport>: a later one that disables zoom is caught
    two = (
        '<!DOCTYPE html><html lang="vi"><head><title>Trang</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="viewport" content="width=device-width, user-scalable=no">'
        f"</head><body>{TEXT}</body></html>"
    )
    out = mobile_zoom(one(two), ZoomParams())
    assert out.status == "fail"
    assert out.evidence[1].found == "html > head > meta:nth-of-type(2)"
    assert "user-scalable=no" in out.evidence[1].detail.en
    # the viewport browsers apply is the last one
    late_fixed = two.replace("user-scalable=no", "").replace(
        'content="width=device-width, "', 'content="width=1024"'
    )
    assert mobile_viewport(one(late_fixed), EvidenceParams()).status == "fail"
    assert mobile_zoom(one(late_fixed), ZoomParams()).status == "pass"


def test_viewport() -> None:
    assert mobile_viewport(one(doc(TEXT)), EvidenceParams()).status == "pass"
    assert mobile_viewport(one(doc(TEXT, "initial-scale=1")), EvidenceParams()).status == "pass"
    out = mobile_viewport(one(doc(TEXT, "width=1024")), EvidenceParams())
    assert out.status == "fail"
    assert out.evidence[1].snippet == '<meta name="viewport" content="width=1024">'
    assert out.evidence[1].found == "html > head > meta"
    missing = mobile_viewport(one(doc(TEXT, None)), EvidenceParams())
    assert missing.status == "fail" and missing.evidence[1].found == "head"


def test_viewport_fails_when_one_page_of_many_lacks_it() -> None:
    site = art(page(HOME, doc(TEXT)), page(HOME + "cu/", doc(TEXT, None)))
    out = mobile_viewport(site, EvidenceParams())
    assert out.status == "fail"
    assert out.evidence[0].detail.vi.startswith("Thẻ meta viewport cho di động: 1/2 trang có lỗi")
    assert out.evidence[1].url == HOME + "cu/"


def test_no_plugins() -> None:
    good = doc(f'{TEXT}<video src="a.mp4" controls></video><object data="so-do.svg"></object>')
    assert mobile_no_plugins(one(good), EvidenceParams()).status == "pass"
    flash = doc(f'{TEXT}<object data="/gt.swf" type="application/x-shockwave-flash"></object>')
    out = mobile_no_plugins(one(flash), EvidenceParams())
    assert out.status == "fail"
    assert out.evidence[1].found == "html > body > object"
    assert "Flash" in out.evidence[1].detail.en
    pdf = doc(f'{TEXT}<embed src="/van-ban/qd.pdf" type="application/pdf">')
    out = mobile_no_plugins(one(pdf), EvidenceParams())
    assert out.status == "warn"
    assert out.evidence[1].snippet == '<embed src="/van-ban/qd.pdf" type="application/pdf">'


def test_fixed_width() -> None:
    fluid = doc(f'<div id="wrapper" style="max-width:1200px;margin:0 auto">{TEXT}</div>')
    assert mobile_fixed_width(one(fluid), FixedWidthParams()).status == "pass"
    fixed = doc(f"<style>#page {{ width: 1100px }}</style><div id=page>{TEXT}</div>")
    assert mobile_fixed_width(one(fixed), FixedWidthParams()).status == "warn"  # a hint
    out = mobile_fixed_width(one(fixed), FixedWidthParams(hint=False))
    assert out.status == "fail"
    assert out.evidence[1].found == "div#page"
    assert "CSS: #page { width: 1100px }" in out.evidence[1].detail.en
    assert mobile_fixed_width(one(fixed), FixedWidthParams(max_px=1200)).status == "pass"
    banner = doc(f'<img src="banner.png" width="1920" alt="Banner">{TEXT}')
    assert mobile_fixed_width(one(banner), FixedWidthParams()).status == "pass"


def test_error_without_pages() -> None:
    out: Outcome = judged(mobile_viewport, art(), EvidenceParams())
    assert out.status == "error"
    assert "Could not be judged: an HTML page was not fetched" in out.evidence[0].detail.en


def test_min_width_is_judged_even_under_a_max_width() -> None:
    css = "<style>#s4-workspace { max-width: 1400px; min-width: 1264px }</style>"
    page = doc(f'{css}<div id="s4-workspace">{TEXT}</div>')
    out = mobile_fixed_width(one(page), FixedWidthParams(hint=False))
    assert out.status == "fail"
    assert out.evidence[1].found == "div#s4-workspace"
    assert "fixed width of 1264px" in out.evidence[1].detail.en
    fluid = doc(f'<div id="w" style="width:1200px;max-width:100%">{TEXT}</div>')
    assert mobile_fixed_width(one(fluid), FixedWidthParams(hint=False)).status == "pass"
