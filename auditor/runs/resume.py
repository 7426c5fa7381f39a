"""``--resume``: which agencies already have a finished report of the same plan in ``--out``.

A report counts when its JSON file reads and validates (files are written atomically, so an
interrupted write leaves no half file) and it was audited on the same date, with the same
settings digest and the same digest of its rule pack (:func:`auditor.planid.same_plan`).
Anything else is audited again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from auditor.errors import AuditorError, LogText
from auditor.models import Agency, RunStamp
from auditor.planid import agency_key, same_plan
from auditor.report.json_report import load_report

logger = logging.getLogger(__name__)


def finished_reports(
    out_dir: Path, agencies: Iterable[Agency], stamp: RunStamp, as_of: date
) -> dict[str, Path]:
    """Agency key → JSON report in ``out_dir`` that can stand for this plan's audit of it."""
    wanted = {agency_key(a.domain, a.path): a for a in agencies}
    found: dict[str, Path] = {}
    if not out_dir.is_dir():
        return found
    for path in sorted(out_dir.glob("*.json")):
        if path.name == "summary.json":
            continue
        try:
            report = load_report(path)
        except AuditorError:
            logger.info(
                LogText(
                    "--resume: %s không phải báo cáo đã hoàn tất; bỏ qua",
                    "--resume: %s is not a finished report; ignored",
                ),
                path,
            )
            continue
        key = agency_key(report.agency.domain, report.agency.path)
        if key not in wanted:
            continue
        if not same_plan(report, stamp, as_of):
            logger.info(
                LogText(
                    "--resume: %s được kiểm tra theo kế hoạch khác; kiểm tra lại",
                    "--resume: %s was audited under another plan; audited again",
                ),
                path,
            )
            continue
        found[key] = path
    return found
