"""Working days of Vietnamese state agencies: Monday to Friday, public holidays excluded.

Holidays follow the Labour Code (Bộ luật Lao động 2019, Điều 112 k1, in force from 2021;
Bộ luật Lao động 2012, Điều 115 k1, before): Tết Dương lịch 1/1; Tết Âm lịch (the statutory
5 days: lunar new year's eve and lunar 1–4 of month 1); Giỗ Tổ Hùng Vương (lunar 10/3);
30/4; 1/5; Quốc khánh 2/9, plus from 2021 one adjacent day (1/9 or 3/9). A holiday falling on
Saturday or Sunday gives a compensatory day off on the next working day (BLLĐ 2019 Điều 111 k3;
BLLĐ 2012 Điều 115 k3).

Not modelled: the Government's yearly swaps of working days (a Saturday worked to bridge a
holiday) and Tết schedules longer than the statutory 5 days; so a count may differ from the
published schedule by a day or two around Tết. Lunar dates come from a table (2019–2030);
outside it :class:`CalendarRangeError` is raised rather than a guess.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from auditor.errors import CheckError

# Gregorian date of lunar 1/1 (Tết Nguyên Đán) in Vietnam (UTC+7). Checked against
# Hồ Ngọc Đức's astronomical algorithm: 2030 is 2 Feb in Vietnam (the new moon falls at
# 23:07 UTC+7 on 2 Feb), whereas the Chinese calendar (UTC+8) has 3 Feb.
TET: dict[int, date] = {
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 2),
}
# Gregorian date of lunar 10/3 (Giỗ Tổ Hùng Vương).
GIO_TO: dict[int, date] = {
    2019: date(2019, 4, 14),
    2020: date(2020, 4, 2),
    2021: date(2021, 4, 21),
    2022: date(2022, 4, 10),
    2023: date(2023, 4, 29),
    2024: date(2024, 4, 18),
    2025: date(2025, 4, 7),
    2026: date(2026, 4, 26),
    2027: date(2027, 4, 16),
    2028: date(2028, 4, 4),
    2029: date(2029, 4, 23),
    2030: date(2030, 4, 12),
}
# Day added to Quốc khánh 2/9 (BLLĐ 2019 Điều 112 k1 đ: "01 ngày liền kề trước hoặc sau"),
# as the Government chose it; other years from 2021 default to 1/9 (not yet published, or
# unknown to this table). Before 2021 (BLLĐ 2012) 2/9 was a single day.
QUOC_KHANH_EXTRA: dict[int, date] = {
    2021: date(2021, 9, 3),
    2022: date(2022, 9, 1),
    2023: date(2023, 9, 1),
    2024: date(2024, 9, 3),
    2025: date(2025, 9, 1),
}
FIRST_YEAR = min(TET)
LAST_YEAR = max(TET)
_QUOC_KHANH_EXTRA_FROM = 2021


class CalendarRangeError(CheckError):
    """A date outside the years whose lunar holidays are known (``FIRST_YEAR``–``LAST_YEAR``)."""


def _statutory(year: int) -> list[date]:
    tet = TET[year]
    days = [date(year, 1, 1)]
    days += [tet + timedelta(days=k) for k in range(-1, 4)]
    days += [GIO_TO[year], date(year, 4, 30), date(year, 5, 1), date(year, 9, 2)]
    if year >= _QUOC_KHANH_EXTRA_FROM:
        days.append(QUOC_KHANH_EXTRA.get(year, date(year, 9, 1)))
    return sorted(set(days))


@lru_cache(maxsize=64)
def holidays(year: int) -> frozenset[date]:
    """Public holidays of ``year``: statutory days (weekends included) and compensatory days.

    Raises :class:`CalendarRangeError` for a year outside the lunar table.
    """
    if year not in TET:
        raise CalendarRangeError(
            f"no Vietnamese holiday calendar for {year} (known: {FIRST_YEAR}–{LAST_YEAR})"
        )
    statutory = _statutory(year)
    off = set(statutory)
    for day in statutory:
        if day.weekday() < 5:
            continue
        comp = day + timedelta(days=1)
        while comp.weekday() >= 5 or comp in off:
            comp += timedelta(days=1)
        off.add(comp)
    return frozenset(off)


def is_working_day(d: date) -> bool:
    """Monday to Friday and not a public holiday (raises outside the known years)."""
    return d.weekday() < 5 and d not in holidays(d.year)


def _weekdays_upto(d: date) -> int:
    """Number of Mondays–Fridays from a fixed Monday (0001-01-01) up to ``d`` inclusive."""
    weeks, rest = divmod(d.toordinal(), 7)  # ordinal 1 is 0001-01-01, a Monday
    return weeks * 5 + min(rest, 5)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``).

    Friday 6/11/2026 → Friday 20/11/2026 is 10. Raises :class:`CalendarRangeError` when the
    range touches a year outside the lunar table.
    """
    if end <= start:
        return 0
    count = _weekdays_upto(end) - _weekdays_upto(start)
    for year in range(start.year, end.year + 1):
        count -= sum(1 for h in holidays(year) if start < h <= end and h.weekday() < 5)
    return count


def add_working_days(start: date, n: int) -> date:
    """The working day ``n`` working days after ``start`` (before it when ``n < 0``).

    ``n == 0`` returns ``start`` itself. Raises :class:`CalendarRangeError` outside the table.
    """
    step = timedelta(days=1 if n >= 0 else -1)
    left = abs(n)
    day = start
    while left:
        day += step
        if is_working_day(day):
            left -= 1
    return day
