"""Foreign-language versions (Sóc Trăng Đ13; Lâm Đồng Đ4 k2 a; Quảng Ninh Đ2, Đ15)."""

from __future__ import annotations

from urllib.parse import urljoin

from auditor.artifacts import Artifacts
from auditor.checks.common import home_unavailable
from auditor.checks.registry import Params, check
from auditor.langid import identify
from auditor.locate.language import find_version_link
from auditor.models import Evidence, Outcome, status_broken, t
from auditor.page import Page
from auditor.text.fold import fold, fold_words

TOPICS = {
    "en": {
        "organisation": ("organisation", "organization", "structure", "organizational"),
        "functions": ("function", "functions", "duties", "mandate", "responsibilities"),
        "contact": ("contact", "contacts", "directory"),
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


def _version_pages(art: Artifacts, root: str) -> list[Page]:
    prefix = root.rstrip("/")
    return [p for p in art.pages if p.url.rstrip("/").startswith(prefix)]


@check("foreign_version", params=ForeignVersionParams)
def foreign_version(art: Artifacts, p: ForeignVersionParams) -> Outcome:
    """A foreign-language version is linked from home, really in that language, with its topics."""
    home = art.home
    if home is None:
        return home_unavailable(art)
    link = find_version_link(home, p.lang, p.paths)
    if link is None:
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
                        "Liên kết phiên bản tiếng nước ngoài không mở được.",
                        "The foreign-language link could not be opened.",
                    ),
                    found=(
                        str(failed.status)
                        if failed and failed.status
                        else (failed.error if failed else None)
                    ),
                ),
            ),
        )
    guess = identify(page.main_text or page.text)
    evidence = [
        Evidence(
            url=page.url,
            detail=t(
                f"Ngôn ngữ nhận dạng: {guess.lang} (độ tin cậy {guess.confidence}); "
                f'lang="{page.lang or ""}".',
                f"Detected language: {guess.lang} (confidence {guess.confidence}); "
                f'lang="{page.lang or ""}".',
            ),
            expected=p.lang,
            found=guess.lang,
        )
    ]
    if guess.lang != p.lang or guess.confidence < p.min_confidence:
        return Outcome(status="fail", evidence=tuple(evidence))
    if p.topics:
        pages = _version_pages(art, page.url) or [page]
        text = " ".join(pg.title + " " + " ".join(lk.text for lk in pg.links) for pg in pages)
        words_seen = set(fold_words(text).split())  # Latin-script topics: whole words
        folded = fold(text)  # CJK topics: substrings (fold_words keeps only ASCII words)
        missing = [
            name
            for name, words in TOPICS.get(p.lang, {}).items()
            if not any(w in words_seen if w.isascii() else w in folded for w in words)
        ]
        found = [n for n in TOPICS.get(p.lang, {}) if n not in missing]
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
