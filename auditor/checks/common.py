"""Outcomes shared by many primitives."""

from __future__ import annotations

from auditor.artifacts import Artifacts
from auditor.models import Evidence, Outcome, t


def home_unavailable(art: Artifacts) -> Outcome:
    """``error``: the home page could not be fetched, so nothing on it can be judged."""
    return Outcome(
        status="error",
        evidence=(
            Evidence(
                url=art.start_url,
                detail=t("Không tải được trang chủ.", "The home page could not be fetched."),
                found=art.home_error,
            ),
        ),
    )
