"""Interaction features: rating of the portal, sharing to social networks (Lâm Đồng Đ3 k3 c–d)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from auditor.artifacts import Artifacts
from auditor.checks.common import home_unavailable
from auditor.checks.registry import NoParams, check
from auditor.models import Evidence, Outcome, t
from auditor.page import Page, collapse
from auditor.text.fold import fold_words

# Words of a rating or survey form (folded).
_RATING_WORDS = (
    "danh gia",
    "muc do hai long",
    "hai long",
    "khao sat",
    "tham do y kien",
    "binh chon",
    "rating",
    "survey",
)
_STARS = re.compile(r"\b(?:star|rating|rate)\b", re.IGNORECASE)
_SHARE = re.compile(
    r"^https?://(?:[a-z0-9-]+\.)*(?:"
    r"facebook\.com/(?:sharer|share\.php|dialog/share)"
    r"|zalo\.me/share"
    r"|(?:twitter|x)\.com/(?:intent/|share)"
    r"|linkedin\.com/(?:shareArticle|sharing/share-offsite)"
    r"|(?:t\.me|telegram\.me)/share"
    r")",
    re.IGNORECASE,
)
_SHARE_WIDGETS = ".zalo-share-button, .fb-share-button, [data-share], .addthis_inline_share_toolbox"


def rating_form(page: Page) -> str | None:
    """A rating or survey form of ``page`` (radio buttons, a select or star inputs under
    wording such as "Đánh giá", "Mức độ hài lòng", "Khảo sát"): a description, or ``None``."""
    for form in page.tree.css("form"):
        choices = form.css('input[type="radio" i], select, input[type="range" i]')
        stars = [
            n
            for n in form.css("input, button, [class]")
            if _STARS.search(n.attributes.get("class") or "")
        ]
        if not choices and not stars:
            continue
        words = f" {fold_words(form.text(separator=' '))} "
        names = " ".join(
            fold_words((n.attributes.get("name") or "") + " " + (n.attributes.get("id") or ""))
            for n in form.css("input, select")
        )
        hit = next((w for w in _RATING_WORDS if f" {w} " in words or w in names), None)
        if hit is None and not stars:
            continue
        return collapse(form.text(separator=" "))[:120] or "<form>"
    return None


def share_links(page: Page) -> list[str]:
    """Share links (Facebook sharer, Zalo share, X/Twitter intent, LinkedIn…) and share
    widgets of ``page``."""
    out: list[str] = []
    for a in page.tree.css("a[href]"):
        url = urljoin(page.url, a.attributes.get("href") or "")
        if _SHARE.match(url) and url not in out:
            out.append(url)
    for node in page.tree.css(_SHARE_WIDGETS):
        label = "." + (node.attributes.get("class") or "share").split()[0]
        if label not in out:
            out.append(label)
    return out


def _missing(art: Artifacts, home: Page, vi: str, en: str, expected: str) -> Outcome:
    return Outcome(
        status="fail",
        evidence=(
            Evidence(
                url=home.url,
                detail=t(
                    f"{vi} (đã xem {len(art.pages)} trang).",
                    f"{en} ({len(art.pages)} pages examined).",
                ),
                expected=expected,
            ),
        ),
    )


@check("rating_form", params=NoParams)
def rating_form_present(art: Artifacts, p: NoParams) -> Outcome:
    """A fetched page carries a rating or survey form of the portal's information."""
    home = art.home
    if home is None:
        return home_unavailable(art)
    for page in art.pages:
        found = rating_form(page)
        if found is not None:
            return Outcome(
                status="pass",
                evidence=(
                    Evidence(
                        url=page.url,
                        detail=t("Có biểu mẫu đánh giá, khảo sát.", "A rating or survey form."),
                        found=found,
                    ),
                ),
            )
    return _missing(
        art,
        home,
        "Không tìm thấy biểu mẫu đánh giá, khảo sát mức độ hài lòng",
        "No rating or satisfaction survey form found",
        "<form> đánh giá / mức độ hài lòng (radio, select, sao)",
    )


@check("share_buttons", params=NoParams)
def share_buttons(art: Artifacts, p: NoParams) -> Outcome:
    """A fetched page offers sharing to social networks (Facebook, Zalo, X, LinkedIn…)."""
    home = art.home
    if home is None:
        return home_unavailable(art)
    for page in art.pages:
        found = share_links(page)
        if found:
            return Outcome(
                status="pass",
                evidence=(
                    Evidence(
                        url=page.url,
                        detail=t(
                            "Có nút chia sẻ lên mạng xã hội.", "Social-network share buttons."
                        ),
                        found=", ".join(found[:4]),
                    ),
                ),
            )
    return _missing(
        art,
        home,
        "Không tìm thấy nút chia sẻ lên mạng xã hội",
        "No social-network share button found",
        "facebook.com/sharer, zalo.me/share, x.com/intent…",
    )
