"""Interaction features: rating of the portal, sharing to social networks (Lâm Đồng Đ3 k3 c–d).

Both are recognised in the shapes portals publish, not only in a ``<form>``: a poll of radio
buttons with a "Bình chọn" button wired by script, a select of satisfaction levels, a row of star
links (Liferay's ratings taglib, jQuery star plugins), share links and ``onclick`` share dialogs,
the Facebook/Zalo SDK share buttons and share toolbars (AddThis, ShareThis, AddToAny).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from selectolax.lexbor import LexborNode

from auditor.artifacts import Artifacts
from auditor.checks.registry import NoParams, check, until_found
from auditor.models import Evidence, Outcome, t
from auditor.page import Page, collapse, read_once
from auditor.text.fold import fold_words

# Words of a rating, poll or survey widget (folded, whole words).
_RATING_WORDS = (
    "danh gia",
    "muc do hai long",
    "hai long",
    "khao sat",
    "tham do",
    "tham do y kien",
    "binh chon",
    "bieu quyet",
    "rating",
    "rate",
    "survey",
    "poll",
    "vote",
)
# Field names and ids of such widgets (folded words, also glued: "rdoPoll", "binhchon").
_RATING_NAMES = re.compile(
    r"poll|vote|survey|rating|danhgia|khaosat|binhchon|thamdo|haiLong", re.IGNORECASE
)
_SCOPE_CHARS = 1500  # a widget is the nearest ancestor of its controls with at most this text
_SCOPE_LEVELS = 8
_STAR_CLASS = re.compile(
    r"(?:^|[-_])(?:star|stars|rating|ratings|rate|rateit|raty)(?:$|[-_])", re.IGNORECASE
)
_STAR_IMAGE = re.compile(r"star|rating|\bsao\b", re.IGNORECASE)
_RATING_CONTAINERS = (
    ".taglib-ratings, .liferay-rating-vote, .liferay-rating-score, .star-rating, .rating-stars,"
    " .rateit, .raty, [data-rating], [data-rateit-value]"
)
_MIN_STARS = 3
# Empty containers filled by script that name a poll or rating: the crawl cannot see inside.
_SCRIPTED_WIDGET = re.compile(r"poll|survey|vote|binhchon|khaosat|thamdo|danhgia", re.IGNORECASE)

_SHARE = re.compile(
    r"https?://(?:[a-z0-9-]+\.)*(?:"
    r"facebook\.com/(?:sharer|share\.php|dialog/share|dialog/feed)"
    r"|zalo\.me/(?:share|share_inline|share_external)"
    r"|(?:twitter|x)\.com/(?:intent/|share)"
    r"|linkedin\.com/(?:shareArticle|sharing/share-offsite)"
    r"|(?:t\.me|telegram\.me)/share"
    r"|pinterest\.com/pin/create"
    r"|reddit\.com/submit"
    r"|addtoany\.com/(?:share|add_to)"
    r")",
    re.IGNORECASE,
)
# The networks' host names of _SHARE: an address it matches holds one of them in its host,
# which comes from the link or from the page's address.
_SHARE_HOSTS = re.compile(
    r"facebook\.com|zalo\.me|twitter\.com|x\.com|linkedin\.com|t\.me|telegram\.me"
    r"|pinterest\.com|reddit\.com|addtoany\.com",
    re.IGNORECASE,
)
_URL_REMOVED = re.compile("[\t\r\n]")  # what urljoin drops from anywhere in an address
# Share buttons rendered by the networks' SDKs and share toolbars.
_SHARE_WIDGETS = (
    ".zalo-share-button, .fb-share-button, .fb-like[data-share=true i], .twitter-share-button,"
    " .addthis_inline_share_toolbox, .addthis_toolbox, .addthis_sharing_toolbox,"
    " .a2a_kit, .sharethis-inline-share-buttons, .sharethis-sticky-share-buttons,"
    " .st-custom-button[data-network], [data-share]"
)
# Scripts of share toolbars (the toolbar is drawn by the script).
_SHARE_SCRIPTS = re.compile(
    r"addthis\.com/js/|addthis_widget\.js|sharethis\.com/js/|static\.addtoany\.com/menu/"
    r"|sharethis\.js|sharer\.js",
    re.IGNORECASE,
)
_NETWORKS = ("facebook", "fb", "zalo", "twitter", "linkedin", "telegram", "x")
_SHARE_WORDS = ("chia se", "share")


def _words(text: str) -> str:
    return f" {fold_words(text)} "


def _rating_word(text: str) -> str | None:
    words = _words(text)
    return next((w for w in _RATING_WORDS if f" {w} " in words), None)


def _names(node: LexborNode) -> str:
    parts = [
        (n.attributes.get("name") or "") + " " + (n.attributes.get("id") or "")
        for n in (node, *node.css("input, select, button, div, span, a"))
    ]
    return " ".join(parts)


def _scope(node: LexborNode) -> LexborNode:
    """The nearest ancestor of ``node`` that still reads as one widget (small text)."""
    best = node
    current = node.parent
    for _ in range(_SCOPE_LEVELS):
        if current is None or current.tag in ("body", "html"):
            break
        if len(collapse(current.text(separator=" "))) > _SCOPE_CHARS:
            break
        best = current
        current = current.parent
    return best


def _choice_widget(page: Page) -> str | None:
    """A poll or rating made of choices (radio buttons, a select, a range) whose widget reads as
    rating or survey, with or without a ``<form>``."""
    seen: set[int] = set()
    for control in page.tree.css('input[type="radio" i], select, input[type="range" i]'):
        scope = _scope(control)
        key = scope.mem_id
        if key in seen:
            continue
        seen.add(key)
        radio = control.tag == "input" and (control.attributes.get("type") or "").lower() == "radio"
        if radio and len(scope.css('input[type="radio" i]')) < 2:
            continue
        text = scope.text(separator=" ")
        labels = " ".join(
            (n.attributes.get("value") or "") + " " + (n.attributes.get("title") or "")
            for n in scope.css("input, button, option")
        )
        hit = _rating_word(text + " " + labels)
        if hit is None and not _RATING_NAMES.search(_names(scope)):
            continue
        return collapse(text)[:120] or f"<{control.tag}>"
    return None


def _star_widget(page: Page) -> str | None:
    """A row of stars: a ratings container (Liferay ``taglib-ratings``, ``star-rating``,
    ``data-rating``…) or at least three star-classed siblings."""
    for node in page.tree.css(_RATING_CONTAINERS):
        stars = [n for n in node.css("a, span, i, input, img, button, label") if _starry(n)]
        if stars or node.css_first('input[type="radio" i]') is not None:
            cls = node.attributes.get("class") or node.tag
            return f'<{node.tag} class="{cls}"> ({len(stars)} sao/stars)'
    for parent in page.tree.css("div, span, ul, p, td"):
        children = [c for c in parent.iter() if _starry(c)]
        if len(children) >= _MIN_STARS:
            where = parent.attributes.get("class") or parent.attributes.get("id") or ""
            return f'<{parent.tag} "{where}">: {len(children)} × <{children[0].tag}> (sao/stars)'
    return None


def _starry(node: LexborNode) -> bool:
    tokens = (node.attributes.get("class") or "").split()
    if any(_STAR_CLASS.search(tok) for tok in tokens):
        return True
    if node.tag != "img":
        return False
    src = (node.attributes.get("src") or "").rsplit("/", 1)[-1]
    return bool(_STAR_IMAGE.search(src + " " + (node.attributes.get("alt") or "")))


def _is_found(description: object) -> bool:
    return description is not None


@read_once
def rating_form(page: Page) -> str | None:
    """A rating or survey widget of ``page``: choices (radio buttons, a select, a range) under
    wording such as "Đánh giá", "Mức độ hài lòng", "Thăm dò ý kiến", "Bình chọn" (with or without
    a ``<form>``), or a row of rating stars. A description, or ``None``."""
    return _choice_widget(page) or _star_widget(page)


@read_once
def scripted_widget(page: Page) -> str | None:
    """An empty element whose id or class names a poll or rating (filled by script), or
    ``None``."""
    for node in page.tree.css("[id], [class]"):
        ident = (node.attributes.get("id") or "") + " " + (node.attributes.get("class") or "")
        if _SCRIPTED_WIDGET.search(ident) and node.child is None:
            return f"<{node.tag} {ident.strip()}>"
    return None


def _labelled_share(node: LexborNode) -> bool:
    """A control named or classed as sharing to a network ("Chia sẻ Facebook", ``share-zalo``)."""
    attrs = node.attributes
    name = " ".join(
        x or ""
        for x in (
            node.text(separator=" "),
            attrs.get("title"),
            attrs.get("aria-label"),
            attrs.get("class"),
            attrs.get("id"),
        )
    )
    words = _words(name.replace("_", " "))
    return any(f" {w} " in words for w in _SHARE_WORDS) and any(
        f" {n} " in words for n in _NETWORKS
    )


@read_once
def share_links(page: Page) -> list[str]:
    """Share links (Facebook sharer, Zalo share, X/Twitter intent, LinkedIn…), ``onclick`` share
    dialogs, SDK share buttons, share toolbars and labelled share controls of ``page``."""
    out: list[str] = []

    def add(item: str) -> None:
        if item not in out:
            out.append(item)

    every_link = _SHARE_HOSTS.search(_URL_REMOVED.sub("", page.url)) is not None
    for a in page.tree.css("a[href]"):
        href = a.attributes.get("href") or ""
        if not every_link and _SHARE_HOSTS.search(href) is None and not _URL_REMOVED.search(href):
            continue  # no network's host in the link nor the page's address: not a share link
        url = urljoin(page.url, href)
        if _SHARE.match(url):
            add(url)
    for node in page.tree.css("[onclick], [data-href], [data-url]"):
        for attr in ("onclick", "data-href", "data-url"):
            found = _SHARE.search(node.attributes.get(attr) or "")
            if found and attr == "onclick":
                add(f"onclick → {found.group(0)}")
    for node in page.tree.css(_SHARE_WIDGETS):
        add("." + ((node.attributes.get("class") or "").split() or ["[data-share]"])[0])
    for node in page.tree.css("script[src]"):
        src = node.attributes.get("src") or ""
        if _SHARE_SCRIPTS.search(src):
            add(f"<script src={src[:80]}>")
    for node in page.tree.css("a, button"):
        if _labelled_share(node):
            add(f"«{collapse(node.text()) or node.attributes.get('class') or node.tag}»")
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


@check(
    "rating_form",
    params=NoParams,
    absence=True,
    requires=("home",),
    reads=(
        until_found(rating_form, _is_found),
        until_found(scripted_widget, _is_found, unless=rating_form),
    ),
)
def rating_form_present(art: Artifacts, p: NoParams) -> Outcome:
    """A fetched page carries a rating, poll or survey widget of the portal's information
    (``manual`` when only an empty, script-filled poll container is seen)."""
    home = art.home_page
    for page in art.pages:
        found = rating_form(page)
        if found is not None:
            return Outcome(
                status="pass",
                evidence=(
                    Evidence(
                        url=page.url,
                        detail=t(
                            "Có chức năng đánh giá, thăm dò ý kiến.",
                            "A rating, poll or survey widget.",
                        ),
                        found=found,
                    ),
                ),
            )
    for page in art.pages:
        placeholder = scripted_widget(page)
        if placeholder is not None:
            return Outcome(
                status="manual",
                evidence=(
                    Evidence(
                        url=page.url,
                        detail=t(
                            "Khung thăm dò/đánh giá được nạp bằng script, không xem được khi "
                            "thu thập; cần kiểm tra trực tiếp.",
                            "A poll or rating box is filled by script and cannot be seen by "
                            "the crawl; an inspector must look.",
                        ),
                        found=placeholder,
                    ),
                ),
            )
    return _missing(
        art,
        home,
        "Không tìm thấy chức năng đánh giá, khảo sát mức độ hài lòng",
        "No rating or satisfaction survey widget found",
        "đánh giá / mức độ hài lòng / bình chọn (radio, select, sao)",
    )


@check(
    "share_buttons",
    params=NoParams,
    absence=True,
    requires=("home",),
    reads=(until_found(share_links),),
)
def share_buttons(art: Artifacts, p: NoParams) -> Outcome:
    """A fetched page offers sharing to social networks (Facebook, Zalo, X, LinkedIn…)."""
    home = art.home_page
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
        "facebook.com/sharer, zalo.me/share, .fb-share-button, .zalo-share-button, AddThis…",
    )
