"""The agency report and the index opened in headless Chromium: score, grade and findings are
visible, the league table sorts, and hostile scanned content stays inert.

Needs Debian's ``chromium`` package; the tests skip, saying so, where it is not installed (they
never install it themselves).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from auditor.models import Evidence, t
from auditor.report.html_report import render_agency_html, render_index_html
from tests.test_report_html import HOSTILE_SNIPPET, HOSTILE_TITLE, _parse, make_report, make_summary

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless browser tests need Debian's chromium package (apt-get install chromium), "
    "which is not installed on this machine",
)

# A page that opens a report in a frame and writes what the browser laid out as JSON.
PROBE = """<!DOCTYPE html><meta charset="utf-8"><body>
<iframe id="f" src="%(page)s" style="width:1280px;height:2000px"></iframe>
<script>
document.getElementById("f").addEventListener("load", function () {
  var w = document.getElementById("f").contentWindow, d = w.document;
  function probe(sel) {
    var el = d.querySelector(sel);
    if (!el) { return null; }
    var r = el.getBoundingClientRect(), cs = w.getComputedStyle(el);
    return {text: el.textContent.trim().slice(0, 300), w: r.width, h: r.height,
            display: cs.display, visibility: cs.visibility, top: r.top};
  }
  function names() {
    return Array.prototype.map.call(d.querySelectorAll("#league tbody tr"),
      function (tr) { return tr.cells[1].textContent.trim(); });
  }
  function after(sel, badge) {  // x of the last letter of sel's first text, and of badge
    var el = d.querySelector(sel), tag = d.querySelector(badge);
    if (!el || !tag) { return null; }
    var node = d.createTreeWalker(el, NodeFilter.SHOW_TEXT).nextNode(), r = d.createRange();
    r.setStart(node, node.textContent.length - 1); r.setEnd(node, node.textContent.length);
    return {last: r.getBoundingClientRect().left, badge: tag.getBoundingClientRect().left};
  }
  var out = {score: probe("#score"), grade: probe("#grade"),
             guessed: after("h1", "h1 .draft"), title: d.title, h1: probe("h1"),
             found: probe("[id='rule-st.d8.title'] .evidence li"),
             finding: probe("#section-failures .finding"), league: probe("#league"),
             before: names(), scripts: d.scripts.length,
             markup: d.documentElement.outerHTML,
             handlers: d.querySelectorAll("[onerror],[onload],[onclick]").length};
  var button = d.querySelector("#league thead th:nth-child(2) button");
  if (button) { button.click(); out.after = names(); }
  var pre = document.createElement("pre");
  pre.id = "result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


PROFILE: list[Path] = []  # one browser profile for the module: a fresh one is slow to make


@pytest.fixture(scope="module", autouse=True)
def _profile(tmp_path_factory: pytest.TempPathFactory) -> None:
    PROFILE[:] = [tmp_path_factory.mktemp("chromium-profile")]


def _chromium(*args: str) -> str:
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--allow-file-access-from-files",
            f"--user-data-dir={PROFILE[0]}",
            "--virtual-time-budget=2000",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _probe(folder: Path, page: str) -> dict[str, Any]:
    wrapper = folder / f"probe-{page}"
    wrapper.write_text(PROBE % {"page": page}, encoding="utf-8")
    dom = _chromium("--dump-dom", wrapper.as_uri())
    raw = dom.split('<pre id="result">', 1)[1].split("</pre>", 1)[0]
    data: dict[str, Any] = json.loads(unescape(raw))
    return data


def _visible(box: dict[str, Any] | None) -> bool:
    return (
        box is not None
        and box["w"] > 0
        and box["h"] > 0
        and box["display"] != "none"
        and box["visibility"] == "visible"
    )


def test_agency_report_shows_score_grade_and_findings(tmp_path: Path) -> None:
    html = render_agency_html(make_report(), "vi")
    (tmp_path / "agency.html").write_text(html, encoding="utf-8")
    seen = _probe(tmp_path, "agency.html")
    assert _visible(seen["score"]) and seen["score"]["text"].startswith("72,5")
    assert _visible(seen["grade"]) and seen["grade"]["text"] == "Khá"
    assert _visible(seen["finding"]) and "Cổng sử dụng HTTPS" in seen["finding"]["text"]
    # hostile title and snippet: text on the page, never elements or handlers
    assert seen["handlers"] == 0
    assert seen["scripts"] == len(_parse(html).scripts)
    dom = seen["markup"]  # the document as the browser built it
    assert HOSTILE_SNIPPET not in dom and "&lt;script&gt;alert(3)&lt;/script&gt;" in dom
    assert HOSTILE_TITLE not in dom


def test_index_league_table_is_visible_and_sorts(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(render_index_html(make_summary(), "vi"), encoding="utf-8")
    seen = _probe(tmp_path, "index.html")
    assert _visible(seen["league"])
    assert seen["before"][0] == "Sở B <script>alert(5)</script>"  # best score first, as text
    assert (
        seen["after"] == sorted(seen["before"], key=str.casefold) or seen["after"] != seen["before"]
    )
    assert seen["handlers"] == 0


RLO, PDF = "\u202e", "\u202c"


def test_bidi_controls_and_nul_from_pages_stay_inside_their_quote(tmp_path: Path) -> None:
    report = make_report(name=f"Sở {RLO}Tư pháp\x00 tỉnh")
    agency = report.agency.model_copy(update={"guessed": ("name",)})
    findings = tuple(
        f.model_copy(
            update={
                "evidence": (
                    Evidence(
                        detail=t(f"Tiêu đề {RLO}trang\x00", "Page title"),
                        found=f"{RLO}Tin tức\x00",
                        snippet="<title>\x00</title>",
                    ),
                )
            }
        )
        if f.rule_id == "st.d8.title"
        else f
        for f in report.findings
    )
    html = render_agency_html(report.model_copy(update={"agency": agency, "findings": findings}))
    assert "\x00" not in html
    (tmp_path / "agency.html").write_text(html, encoding="utf-8")
    seen = _probe(tmp_path, "agency.html")
    # the report's own badge after a hostile name stays after it (not pulled into its order)
    guessed = seen["guessed"]
    assert guessed is not None and guessed["last"] < guessed["badge"], guessed
    assert "\ufffd" not in seen["title"] and "\x00" not in seen["title"]
    assert "\ufffd" not in seen["h1"]["text"] and "Tư pháp" in seen["h1"]["text"]
    assert "Tin tức" in seen["found"]["text"] and "\ufffd" not in seen["found"]["text"]
    assert seen["markup"].count("<bdi>") >= 3
