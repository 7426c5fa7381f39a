"""User-interface strings of the reports, in Vietnamese (first) and English."""

from __future__ import annotations

from datetime import date

from auditor.models import Lang, Level, LocalText, Severity, Status, t
from auditor.text.observed import observed_text

STATUS_LABELS: dict[Status, LocalText] = {
    "pass": t("Đạt", "Pass"),
    "fail": t("Không đạt", "Fail"),
    "warn": t("Cảnh báo", "Warning"),
    "not_applicable": t("Không áp dụng", "Not applicable"),
    "manual": t("Cần kiểm tra thủ công", "To check by hand"),
    "error": t("Lỗi kiểm tra", "Could not check"),
}

# A one-character mark per status, so that colour is never the only cue.
STATUS_MARKS: dict[Status, str] = {
    "pass": "✓",
    "fail": "✗",
    "warn": "!",
    "not_applicable": "–",
    "manual": "?",
    "error": "⚠",
}

LEVEL_LABELS: dict[Level, LocalText] = {
    "province": t("Cổng tỉnh", "Provincial portal"),
    "department": t("Sở, ban, ngành", "Department"),
    "district": t("Cấp huyện", "District"),
    "commune": t("Cấp xã", "Commune"),
    "unit": t("Đơn vị trực thuộc", "Subordinate unit"),
    "thematic": t("Chuyên trang", "Thematic site"),
    "other": t("Khác", "Other"),
}

SEVERITY_LABELS: dict[Severity, LocalText] = {
    "critical": t("Nghiêm trọng", "Critical"),
    "high": t("Cao", "High"),
    "medium": t("Trung bình", "Medium"),
    "low": t("Thấp", "Low"),
    "info": t("Thông tin", "Info"),
}

UI: dict[str, LocalText] = {
    "agency_title": t("Báo cáo đánh giá cổng thông tin điện tử", "Portal compliance report"),
    "index_title": t("Tổng hợp đánh giá cổng thông tin điện tử", "Portal audit summary"),
    "agency": t("Cơ quan", "Agency"),
    "domain": t("Tên miền", "Domain"),
    "level": t("Cấp", "Level"),
    "guessed": t(
        "đoán từ tên miền: dùng --registry hoặc --name/--level",
        "guessed from the domain: use --registry or --name/--level",
    ),
    "province": t("Tỉnh", "Province"),
    "profile": t("Bộ tiêu chí", "Rule pack"),
    "documents": t("Văn bản áp dụng", "Documents applied"),
    "draft": t("dự thảo", "draft"),
    "as_of": t("Ngày đánh giá", "Audit date"),
    "tool": t("Công cụ", "Tool"),
    "start_url": t("Địa chỉ bắt đầu", "Start URL"),
    "pages": t("Số trang đã tải", "Pages fetched"),
    "pages_failed": t("Số trang lỗi", "Pages failed"),
    "registry_source": t("Danh sách đơn vị", "Agency list"),
    "registry_bundled": t("kèm theo công cụ", "bundled with the tool"),
    "registry_none": t(
        "không có (thông tin từ tham số hoặc suy đoán)", "none (facts from flags or guessed)"
    ),
    "duration": t("Thời gian quét", "Crawl time"),
    "crawl_notes": t("Ghi chú thu thập", "Crawl notes"),
    "robots_ignored": t(
        "robots.txt không được tuân theo (--ignore-robots, theo thẩm quyền thanh tra)",
        "robots.txt not obeyed (--ignore-robots, under the inspectorate's mandate)",
    ),
    "robots_disallow": t(
        "không đọc được robots.txt: theo RFC 9309 không thu thập thêm",
        "robots.txt could not be read: per RFC 9309 nothing more was crawled",
    ),
    "off_scope": t(
        "trang chủ chuyển hướng ra ngoài tên miền, không theo",
        "the root redirects off the domain, not followed",
    ),
    "timed_out": t(
        "hết thời gian cho cổng (--portal-timeout): chỉ đánh giá phần đã tải",
        "the portal's time budget ran out (--portal-timeout): only what was fetched is judged",
    ),
    "retries": t("lần thử lại", "retries"),
    "score": t("Điểm", "Score"),
    "grade": t("Xếp loại", "Grade"),
    "no_score": t("Không tính được điểm", "No score"),
    "no_grade": t("Chưa xếp loại", "Ungraded"),
    "by_category": t("Điểm theo nhóm tiêu chí", "Score by category"),
    "category": t("Nhóm", "Category"),
    "counts": t("Số tiêu chí theo kết quả", "Findings by status"),
    "section_failures": t("Không đạt và cảnh báo", "Failures and warnings"),
    "section_errors": t("Không kiểm tra được", "Could not be checked"),
    "errors_note": t(
        "Công cụ không xác định được kết quả (lỗi mạng, hết thời gian chờ…). Các tiêu chí này "
        "không được tính là đạt hay không đạt.",
        "The auditor could not tell (network error, timeout…). These are counted neither as "
        "compliance nor as violations.",
    ),
    "section_manual": t("Cần kiểm tra thủ công", "To check by hand"),
    "manual_note": t(
        "Các yêu cầu này không quan sát được qua việc thu thập tự động; cán bộ cần kiểm tra "
        "trực tiếp. Không tính vào điểm.",
        "These requirements cannot be observed by a crawl; an inspector must check them. "
        "Not scored.",
    ),
    "section_waived": t("Được miễn trừ (có giải trình)", "Waived (comply or explain)"),
    "waived_note": t(
        "Các tiêu chí chưa đạt nhưng đã được chấp thuận miễn trừ có thời hạn, kèm lý do. Không "
        "tính vào điểm cho đến khi hết hạn.",
        "Requirements not met but waived for a time, with a reason. Not scored until the waiver "
        "expires.",
    ),
    "waiver": t("Miễn trừ", "Waiver"),
    "waiver_expired": t(
        "Miễn trừ đã hết hạn nên không được áp dụng", "Waiver expired, so it is ignored"
    ),
    "approved_by": t("Người phê duyệt", "Approved by"),
    "expires": t("Hiệu lực đến", "Valid until"),
    "all_portals": t("mọi cổng", "every portal"),
    "section_passed": t("Các tiêu chí đạt", "Passed"),
    "section_na": t("Không áp dụng", "Not applicable"),
    "none": t("Không có.", "None."),
    "evidence": t("Bằng chứng", "Evidence"),
    "expected": t("Yêu cầu", "Expected"),
    "found": t("Thực tế", "Found"),
    "url": t("Địa chỉ", "URL"),
    "snippet": t("Trích đoạn", "Snippet"),
    "fix": t("Cách khắc phục", "How to fix"),
    "rule": t("Mã tiêu chí", "Rule"),
    "severity": t("Mức độ", "Severity"),
    "weight": t("Trọng số", "Weight"),
    "rank": t("Hạng", "Rank"),
    "failures": t("Không đạt", "Failures"),
    "errors": t("Lỗi kiểm tra", "Errors"),
    "grade_distribution": t("Phân bố xếp loại", "Grade distribution"),
    "trend": t("Điểm qua các lần đánh giá", "Score over the runs"),
    "diff_title": t("So sánh hai lần đánh giá", "Comparison of two audits"),
    "diff_old": t("Lần trước", "Earlier run"),
    "diff_new": t("Lần sau", "Later run"),
    "diff_change": t("Thay đổi điểm", "Score change"),
    "diff_new_failures": t("Lỗi mới", "New failures"),
    "diff_fixed": t("Lỗi đã khắc phục", "Fixed failures"),
    "diff_rules_in_force": t(
        "Điều khoản bắt đầu / hết hiệu lực giữa hai ngày đánh giá",
        "Rules that came into / went out of force between the two audit dates",
    ),
    "diff_came": t("bắt đầu có hiệu lực", "came into force"),
    "diff_went": t("hết hiệu lực", "went out of force"),
    "diff_only_old": t("chỉ có ở lần trước", "only in the earlier run"),
    "diff_only_new": t("chỉ có ở lần sau", "only in the later run"),
    "diff_none": t("Không có thay đổi", "No changes"),
    "diff_now": t("nay", "now"),
    "grid": t("Mức đáp ứng theo điều khoản", "Compliance by article"),
    "grid_short": t("Theo điều khoản", "By article"),
    "report": t("Báo cáo", "Report"),
    "agencies_count": t("Số cơ quan", "Agencies"),
    "sort_hint": t("Bấm vào tiêu đề cột để sắp xếp.", "Click a column header to sort."),
    "legend": t("Chú giải", "Legend"),
    "generated_by": t("Tạo bởi", "Generated by"),
    "league": t("Bảng xếp hạng", "League table"),
    "grade_cap": t("Xếp loại tối đa", "Grade at most"),
    "findings_sheet": t("Danh sách tiêu chí", "Findings"),
    "other_document": t("Văn bản khác", "Other document"),
    "interrupted": t(
        "Quét bị dừng ({signal}): đã đánh giá {finished}/{planned} cổng; các cổng còn lại "
        "không có trong bảng tổng hợp.",
        "Interrupted ({signal}): {finished} of {planned} portals audited; the others are not in "
        "this summary.",
    ),
}


def ui(key: str, lang: Lang) -> str:
    """The UI string ``key`` in ``lang`` (``KeyError`` for an unknown key)."""
    return UI[key].get(lang)


def observed(value: str | None, lang: Lang) -> str | None:
    """A recorded observation (an evidence's ``expected`` or ``found``, why robots.txt could
    not be read) as shown in ``lang``: the crawler's English reasons ("connect: connection
    refused") in Vietnamese in a Vietnamese report, the few tool words checks record in
    Vietnamese in English in an English one (:mod:`auditor.text.observed`); whatever else it
    holds is shown as recorded."""
    return None if value is None else observed_text(value, lang)


def status_label(status: Status, lang: Lang) -> str:
    """Name of an outcome status, e.g. 'Không đạt'."""
    return STATUS_LABELS[status].get(lang)


def level_label(level: Level, lang: Lang) -> str:
    """Name of an agency level, e.g. 'Sở, ban, ngành'."""
    return LEVEL_LABELS[level].get(lang)


def severity_label(severity: Severity, lang: Lang) -> str:
    """Name of a severity, e.g. 'Nghiêm trọng'."""
    return SEVERITY_LABELS[severity].get(lang)


def format_number(value: float | None, lang: Lang, digits: int = 1) -> str:
    """A number with ``digits`` decimals and a decimal comma in Vietnamese; '—' for ``None``."""
    if value is None:
        return "—"
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "vi" else text


def format_date(value: date, lang: Lang) -> str:
    """A date as 20/11/2026 (Vietnamese) or 2026-11-20 (English)."""
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()
