"""Working days of Vietnamese state agencies: Monday to Friday, public holidays excluded.

The calendar is the maintained ``holidays`` package (``country_holidays("VN")``), which follows
the Labour Code (Bộ luật Lao động 2019 Điều 112 k1; 2012 Điều 115 k1; 1994 Điều 73), the lunar
dates computed for Vietnam (UTC+7), the Tết schedules as the Government publishes them (a Tết day
on a Saturday made up on the working day before, on a Sunday on the day after: 2023-01-20,
2024-02-08 and 2025-01-27 off; 2023-01-27, 2024-02-15, 2025-02-03 worked), compensatory days
(nghỉ bù), and the yearly swaps (a Saturday worked to bridge a holiday is a working day).

24 November, Ngày Văn hóa Việt Nam, is counted as a paid day off from 2026. Decision and why: the
seed regulations and docs do not mention it; the ``holidays`` package adds it from 2026 citing
Nghị quyết 80-NQ/TW on Vietnamese culture and the report "Thống nhất chọn ngày 24/11 là Ngày Văn
hóa Việt Nam, nghỉ hưởng lương" (Lao Động). We follow the package so that one maintained source
decides and a correction there reaches every scan. Counting it only ever gives an agency one more
day of time, never a false late-posting ``fail``.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays as holidays_pkg

from auditor.errors import CheckError

# Years the package's Vietnamese lunar calendar covers.
FIRST_YEAR = 1901
LAST_YEAR = 2100


class CalendarRangeError(CheckError):
    """A date outside the years whose holidays are known (``FIRST_YEAR``–``LAST_YEAR``)."""


@lru_cache(maxsize=256)
def _calendar(year: int) -> holidays_pkg.HolidayBase:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarRangeError(
            f"no Vietnamese holiday calendar for {year} (known: {FIRST_YEAR}–{LAST_YEAR})"
        )
    return holidays_pkg.country_holidays("VN", years=year)


def holidays(year: int) -> frozenset[date]:
    """Public holidays of ``year``: statutory days (weekends included), Tết schedule days,
    compensatory days and swapped days off. Raises :class:`CalendarRangeError` outside
    ``FIRST_YEAR``–``LAST_YEAR``."""
    return frozenset(_calendar(year).keys())


def is_working_day(d: date) -> bool:
    """Monday to Friday and not a public holiday, or a Saturday the Government swapped in as a
    working day (raises outside the known years)."""
    cal = _calendar(d.year)
    if d in cal:
        return False
    return d.weekday() < 5 or d in cal.weekend_workdays


def _weekdays_upto(d: date) -> int:
    """Number of Mondays–Fridays from a fixed Monday (0001-01-01) up to ``d`` inclusive."""
    weeks, rest = divmod(d.toordinal(), 7)  # ordinal 1 is 0001-01-01, a Monday
    return weeks * 5 + min(rest, 5)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``).

    Friday 6/11/2026 → Friday 20/11/2026 is 10. Raises :class:`CalendarRangeError` when the
    range touches a year outside the calendar.
    """
    if end <= start:
        return 0
    count = _weekdays_upto(end) - _weekdays_upto(start)
    for year in range(start.year, end.year + 1):
        cal = _calendar(year)
        count -= sum(1 for h in cal if start < h <= end and h.weekday() < 5)
        count += sum(1 for w in cal.weekend_workdays if start < w <= end and w.year == year)
    return count


def add_working_days(start: date, n: int) -> date:
    """The working day ``n`` working days after ``start`` (before it when ``n < 0``).

    ``n == 0`` returns ``start`` itself. Raises :class:`CalendarRangeError` outside the calendar.
    """
    step = timedelta(days=1 if n >= 0 else -1)
    left = abs(n)
    day = start
    while left:
        day += step
        if is_working_day(day):
            left -= 1
    return day
