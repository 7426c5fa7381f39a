"""Outcomes shared by many primitives (the missing-input ``error`` is the engine's)."""

from __future__ import annotations

from auditor.artifacts import Artifacts
from auditor.models import Evidence, Outcome, t


def absence_guard(art: Artifacts, outcome: Outcome) -> Outcome:
    """A ``fail`` that says something is missing becomes ``error`` while pages the crawl tried
    could not be seen (no answer, 429/5xx, cut at the byte cap, not HTML): what is missing may
    be on them. The pages not seen are named."""
    if outcome.status != "fail":
        return outcome
    unseen = art.unseen
    if not unseen:
        return outcome
    n = len(unseen)
    named = "; ".join(f"{s.url} ({s.why_not_seen})" for s in unseen[:5])
    if n > 5:
        named += f"; … (+{n - 5})"
    head = Evidence(
        url=art.start_url,
        detail=t(
            f"{n} trang không xem được trọn vẹn (không trả lời, lỗi tạm thời, bị từ chối, bị cắt "
            "ở giới hạn dung lượng, không phải HTML, trang lỗi hoặc trang đăng nhập): chưa thể "
            "kết luận là thiếu.",
            f"{n} page(s) could not be seen whole (no answer, a transient error, access refused, "
            "cut at the byte cap, not HTML, an error or sign-in page): the absence cannot be "
            "concluded.",
        ),
        found=named,
    )
    return Outcome(status="error", evidence=(head, *outcome.evidence))
