"""Foreign-language versions (Sóc Trăng Đ13; Lâm Đồng Đ4 k2 a; Quảng Ninh Đ2, Đ15)."""

from __future__ import annotations

from urllib.parse import urljoin

from auditor.artifacts import Artifacts
from auditor.checks.registry import Params, check
from auditor.langid import identify
from auditor.locate.language import locate_version, scripted_switch, version_root
from auditor.models import Evidence, Outcome, status_broken, t
from auditor.page import Page
from auditor.text.fold import fold, fold_words

# The required topics in the wording of foreign-language government sites (folded phrases,
# matched as whole words in the version's titles, menus, headings and text).
TOPICS = {
    "en": {
        "organisation": (
            "organisation",
            "organization",
            "organisational",
            "organizational",
            "structure",
            "apparatus",
            "organigram",
            "leadership",
            "leaders",
            "departments",
            "affiliated units",
            "subordinate units",
        ),
        "functions": (
            "function",
            "functions",
            "duties",
            "mandate",
            "mandates",
            "responsibilities",
            "tasks",
            "mission",
            "missions",
            "roles",
            "powers",
        ),
        "contact": (
            "contact",
            "contacts",
            "contact us",
            "directory",
            "hotline",
            "telephone",
            "address",
            "email",
            "e mail",
            "get in touch",
        ),
    },
    "zh": {
        "organisation": ("组织", "机构"),
        "functions": ("职能", "任务"),
        "contact": ("联系",),
    },
}


class ForeignVersionParams(Params):
    """Which language version is required and where it is expected."""

    lang: str = "en"
    paths: tuple[str, ...] = ("/en/", "/en", "/sites/en")
    min_confidence: float = 0.6
    topics: bool = True  # also require organisation, functions and contact topics


def _version_pages(art: Artifacts, url: str) -> list[Page]:
    prefix = version_root(url)
    return [p for p in art.pages if (p.url.rstrip("/") + "/").startswith(prefix)]


def _topic_text(pages: list[Page]) -> str:
    """Titles, link texts and visible text of the version's pages."""
    return " ".join(
        " ".join((pg.title, " ".join(lk.text for lk in pg.links), pg.text)) for pg in pages
    )


def missing_topics(lang: str, pages: list[Page]) -> tuple[list[str], list[str]]:
    """The required topics (found, missing) in the ``lang`` version's ``pages``."""
    text = _topic_text(pages)
    words = f" {fold_words(text)} "  # Latin-script topics: whole words and phrases
    folded = fold(text)  # CJK topics: substrings (fold_words keeps only ASCII words)
    found: list[str] = []
    missing: list[str] = []
    for name, phrases in TOPICS.get(lang, {}).items():
        hit = any(f" {w} " in words if w.isascii() else w in folded for w in phrases)
        (found if hit else missing).append(name)
    return found, missing


def _read_version(art: Artifacts, page: Page, p: ForeignVersionParams) -> None:
    """What :func:`foreign_version` reads of the foreign-language version's pages."""

    def version_url() -> str | None:
        home = art.home
        located = locate_version(home, p.lang, p.paths) if home is not None else None
        found = art.page(located.link.url) if located is not None else None
        return found.url if found is not None else None

    target = art.remember(("foreign version", p.lang, p.paths), version_url)
    if target is None:
        return
    if page.url == target or (page.url.rstrip("/") + "/").startswith(version_root(target)):
        for view in ("main_text", "text", "lang", "title", "links"):
            getattr(page, view)


@check("foreign_version", params=ForeignVersionParams, requires=("home",), reads=(_read_version,))
def foreign_version(art: Artifacts, p: ForeignVersionParams) -> Outcome:
    """A foreign-language version is linked from home, really in that language, with its topics."""
    home = art.home_page
    located = locate_version(home, p.lang, p.paths)
    if located is None:
        switch = scripted_switch(home, p.lang)
        if switch is not None:
            return Outcome(
                status="manual",
                evidence=(
                    Evidence(
                        url=home.url,
                        detail=t(
                            f"Có nút chọn ngôn ngữ ({p.lang}) nhưng địa chỉ do script quyết định, "
                            "không theo được khi thu thập; cần kiểm tra trực tiếp.",
                            f"There is a language switch ({p.lang}), but a script decides its "
                            "address and the crawl cannot follow it; an inspector must look.",
                        ),
                        found=switch,
                    ),
                ),
            )
        return Outcome(
            status="fail",
            evidence=(
                Evidence(
                    url=home.url,
                    detail=t(
                        f"Trang chủ không có liên kết tới phiên bản tiếng nước ngoài ({p.lang}).",
                        f"The home page does not link to a {p.lang} version.",
                    ),
                    expected=" | ".join(urljoin(home.url, x) for x in p.paths),
                ),
            ),
        )
    link = located.link
    page = art.page(link.url)
    if page is None:
        failed = art.failed_fetch(link.url)
        broken = failed is not None and status_broken(failed.status)
        return Outcome(
            status="fail" if broken else "error",
            evidence=(
                Evidence(
                    url=link.url,
                    detail=t(
                        f"Liên kết phiên bản tiếng nước ngoài ({located.how}) không mở được.",
                        f"The foreign-language link ({located.how}) could not be opened.",
                    ),
                    found=failed.why_not_seen if failed else None,
                ),
            ),
        )
    guess = identify(page.main_text or page.text)
    evidence = [
        Evidence(
            url=page.url,
            detail=t(
                f"Liên kết tới phiên bản {p.lang}: {located.how}. Ngôn ngữ nhận dạng: "
                f'{guess.lang} (độ tin cậy {guess.confidence}); lang="{page.lang or ""}".',
                f"Link to the {p.lang} version: {located.how}. Detected language: "
                f'{guess.lang} (confidence {guess.confidence}); lang="{page.lang or ""}".',
            ),
            expected=p.lang,
            found=guess.lang,
        )
    ]
    if guess.lang != p.lang or guess.confidence < p.min_confidence:
        return Outcome(status="fail", evidence=tuple(evidence))
    if p.topics:
        pages = [
            pg
            for pg in _version_pages(art, page.url) or [page]
            if not pg.lang or pg.lang.lower().startswith(p.lang) or pg is page
        ]
        found, missing = missing_topics(p.lang, pages)
        evidence.append(
            Evidence(
                url=page.url,
                detail=t(
                    "Chủ đề bắt buộc: cơ cấu tổ chức, chức năng nhiệm vụ, liên hệ.",
                    "Required topics: organisation, functions and duties, contacts.",
                ),
                expected="organisation, functions, contact",
                found=", ".join(found) or "-",
            )
        )
        if missing:
            return Outcome(status="fail", evidence=tuple(evidence))
    return Outcome(status="pass", evidence=tuple(evidence))
