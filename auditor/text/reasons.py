"""Why something was not seen, in Vietnamese.

The crawler and the gatherer say why a page, a probe or an input is missing in one technical
English line (``https://x.gov.vn/: connect: connection refused``, ``timeout: no data for 15s``,
``robots: … disallows …``): it is the record's ``found`` value and the English report's text.
A Vietnamese report must not carry it as the tool's own words: :func:`reason_vi` says the same
line in Vietnamese, phrase by phrase, keeping what is not the tool's words (addresses, hosts,
numbers, quoted page text «…», and messages of the TLS library it does not know, which stay as
they are, technical detail rather than sentences).

The phrases are the ones written in :mod:`auditor.crawl.failures`, :mod:`auditor.crawl.fetcher`,
:mod:`auditor.crawl.resolve`, :mod:`auditor.page`, :class:`auditor.models.PageSnapshot`,
:mod:`auditor.gather.build`, :mod:`auditor.gather.dns` and
:meth:`auditor.artifacts.Artifacts.missing`; a test over the fault server's portals fails when a
new one reaches a Vietnamese report untranslated.
"""

from __future__ import annotations

import re

_URL = r"\S+"

# (pattern, Vietnamese) in order: the first that matches a part of the line rewrites it; named
# groups are kept as they are
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), vi)
    for pattern, vi in (
        # whole lines (gather, artifacts)
        (
            rf"(?P<start>{_URL}) redirects to (?P<to>{_URL}), outside the agency's domain: "
            r"not followed, nothing judged there",
            r"\g<start> chuyển hướng tới \g<to>, ngoài tên miền của cơ quan: không đi theo, "
            r"không đánh giá gì ở đó",
        ),
        (
            r"the portal's time budget \(--portal-timeout\) ran out before its home page",
            "hết thời gian dành cho cổng (--portal-timeout) trước khi tải được trang chủ",
        ),
        (r"not gathered: no rule in use needed it", "không thu thập: không tiêu chí nào cần"),
        (r"no HTML page was received", "không nhận được trang HTML nào"),
        (r"the home page was not fetched", "chưa tải được trang chủ"),
        (r"(^|: )not observed$", r"\1không quan sát được"),
        # robots.txt (fetcher)
        (
            rf"robots: (?P<url>{_URL}) could not be read \((?P<why>[^)]*)\); RFC 9309 says to "
            r"crawl nothing then",
            r"robots: không đọc được \g<url> (\g<why>); theo RFC 9309 khi đó không thu thập gì",
        ),
        (
            rf"robots: (?P<robots>{_URL}) disallows (?P<url>{_URL})",
            r"robots: \g<robots> không cho phép thu thập \g<url>",
        ),
        # the address a name resolves to (resolve)
        (
            r"blocked: (?P<host>\S+) resolves to the non-public address (?P<addr>\S+) "
            r"\(give --allow-private to audit a private network\)",
            r"bị chặn: \g<host> phân giải ra địa chỉ không công khai \g<addr> (dùng "
            r"--allow-private để đánh giá một mạng nội bộ)",
        ),
        (r"(?P<host>\S+) has no address", r"\g<host> không có địa chỉ"),
        (r"name resolution failed", "không phân giải được tên miền"),
        (
            r"nxdomain: (?P<host>\S+) does not exist in DNS",
            r"nxdomain: \g<host> không tồn tại trong DNS",
        ),
        # transport failures (failures, fetcher)
        (r"timeout: the response took too long", "quá thời gian: phản hồi quá lâu"),
        (
            r"timeout: no connection within (?P<s>[\d.]+)s",
            r"quá thời gian: không kết nối được trong \g<s> giây",
        ),
        (
            r"timeout: no data for (?P<s>[\d.]+)s",
            r"quá thời gian: không nhận được dữ liệu trong \g<s> giây",
        ),
        (
            r"protocol: more than (?P<n>\d+) redirects",
            r"giao thức: quá \g<n> lần chuyển hướng",
        ),
        (
            r"connection closed during the TLS handshake",
            "kết nối bị đóng trong lúc bắt tay TLS",
        ),
        (r"TLS exchange failed", "trao đổi TLS thất bại"),
        (r"connection refused", "kết nối bị từ chối"),
        (r"connection reset by peer", "kết nối bị máy chủ ngắt"),
        (r"certificate verify failed", "xác minh chứng thư số thất bại"),
        (r"certificate has expired", "chứng thư số đã hết hạn"),
        (
            r"unable to get local issuer certificate",
            "không tìm được chứng thư của tổ chức phát hành",
        ),
        (
            r"Hostname mismatch, certificate is not valid for (?P<name>'[^']*')\.?",
            r"tên máy chủ không khớp, chứng thư số không dùng được cho \g<name>",
        ),
        (r"\bconnect: ", "kết nối: "),
        (r"\btimeout: ", "quá thời gian: "),
        # pages not seen (page, models)
        (
            r"truncated at the byte cap \((?P<n>[\d,.]+) bytes\): not seen whole",
            r"bị cắt ở giới hạn dung lượng (\g<n> byte): không xem được trọn vẹn",
        ),
        (
            r"not HTML: (?P<n>\d+)% control or undecodable bytes \(binary data\?\)",
            r"không phải HTML: \g<n>% là byte điều khiển hoặc không giải mã được (dữ liệu nhị "
            r"phân?)",
        ),
        (
            r"an error page served with HTTP (?P<status>\d+) \((?P<quote>«[^»]*»)\): not seen",
            r"một trang báo lỗi trả về với HTTP \g<status> (\g<quote>): không xem được",
        ),
        (
            r"redirected to a sign-in page \((?P<url>[^)]*)\): not seen",
            r"bị chuyển tới trang đăng nhập (\g<url>): không xem được",
        ),
        (
            r"no content without scripts \(the page is built in the browser\): not seen",
            "không có nội dung khi không chạy script (trang được dựng trong trình duyệt): "
            "không xem được",
        ),
        (
            rf"redirects to (?P<url>{_URL}) \(outside the audit's scope: not followed\)",
            r"chuyển hướng tới \g<url> (ngoài phạm vi đánh giá: không đi theo)",
        ),
        (r"(^|: )no answer$", r"\1không có phản hồi"),
    )
)


def reason_vi(reason: str) -> str:
    """``reason`` (the crawler's English line) in Vietnamese; parts it does not know (a URL,
    ``HTTP 503``, a TLS library message) are kept as they are."""
    for pattern, vi in _PHRASES:
        reason = pattern.sub(vi, reason)
    return reason
