"""Vietnamese working-day calendar (auditor.text.workdays)."""

from __future__ import annotations

from datetime import date, timedelta

import holidays as holidays_pkg
import pytest

from auditor.errors import AuditorError, CheckError
from auditor.text.workdays import (
    CalendarRangeError,
    add_working_days,
    holidays,
    is_working_day,
    working_days_between,
)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


def test_tet_2026_is_the_statutory_five_days() -> None:
    tet = _days(date(2026, 2, 16), date(2026, 2, 20))  # lunar 30/12 … 4/1, Monday–Friday
    assert all(d in holidays(2026) for d in tet)
    assert not any(is_working_day(d) for d in tet)
    assert is_working_day(date(2026, 2, 13)) and is_working_day(date(2026, 2, 23))


def test_reunification_and_labour_day() -> None:
    assert not is_working_day(date(2026, 4, 30))  # Thursday
    assert not is_working_day(date(2026, 5, 1))  # Friday
    assert is_working_day(date(2026, 4, 29)) and is_working_day(date(2026, 5, 4))


def test_national_day_and_its_adjacent_day() -> None:
    # published choices: 2024 took 3/9, 2025 took 1/9
    assert {date(2024, 9, 2), date(2024, 9, 3)} <= holidays(2024)
    assert is_working_day(date(2024, 8, 30)) and is_working_day(date(2024, 9, 4))
    assert {date(2025, 9, 1), date(2025, 9, 2)} <= holidays(2025)
    assert is_working_day(date(2025, 9, 3))
    # 2026: 1/9 and 2/9, and Monday 31/8 swapped for Saturday 22/8 (worked)
    assert not is_working_day(date(2026, 9, 1)) and not is_working_day(date(2026, 9, 2))
    assert not is_working_day(date(2026, 8, 31)) and is_working_day(date(2026, 8, 22))
    assert is_working_day(date(2026, 9, 3))
    # before 2021 (Labour Code 2012) 2/9 was a single day
    assert is_working_day(date(2020, 9, 1)) and is_working_day(date(2020, 9, 3))
    assert not is_working_day(date(2020, 9, 2))


def test_saturday_holiday_gives_a_compensatory_monday() -> None:
    # 2/9/2023 was a Saturday: off on Monday 4/9/2023 (as the Government announced)
    assert date(2023, 9, 2).weekday() == 5
    assert not is_working_day(date(2023, 9, 4))
    assert is_working_day(date(2023, 9, 5))
    # 1/5/2027 is a Saturday: Monday 3/5/2027 off
    assert not is_working_day(date(2027, 5, 3)) and is_working_day(date(2027, 5, 4))


def test_stacked_weekend_holidays_push_compensation_past_other_holidays() -> None:
    # 2023: Giỗ Tổ Sat 29/4, 30/4 Sun, 1/5 Mon → off until Wednesday 3/5 (as announced)
    assert [is_working_day(d) for d in _days(date(2023, 4, 28), date(2023, 5, 4))] == [
        True, False, False, False, False, False, True,
    ]  # fmt: skip
    # 2022: 1/1 Saturday → Monday 3/1 off
    assert not is_working_day(date(2022, 1, 3)) and is_working_day(date(2022, 1, 4))


def test_working_days_over_two_weeks() -> None:
    assert working_days_between(date(2026, 11, 6), date(2026, 11, 20)) == 10
    assert working_days_between(date(2026, 11, 19), date(2026, 11, 20)) == 1
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 20)) == 0
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 6)) == 0
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 22)) == 0  # a weekend


def test_working_days_across_tet() -> None:
    # Friday 13/2/2026 → Friday 27/2/2026: 10 weekdays, 5 of them Tết
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 27)) == 5
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert add_working_days(date(2026, 2, 23), -1) == date(2026, 2, 13)


def test_working_days_across_years() -> None:
    # 14/02/2025 (the demo ward's newest news) to the demo audit date
    n = working_days_between(date(2025, 2, 14), date(2026, 11, 20))
    assert n == sum(1 for d in _days(date(2025, 2, 15), date(2026, 11, 20)) if is_working_day(d))
    assert n > 400


def test_count_matches_day_by_day_definition() -> None:
    start = date(2022, 12, 20)
    for end in _days(start, date(2024, 2, 20))[::7]:
        slow = sum(1 for d in _days(start + timedelta(days=1), end) if is_working_day(d))
        assert working_days_between(start, end) == slow


def test_add_working_days_inverts_the_count() -> None:
    start = date(2026, 4, 24)  # Friday before Giỗ Tổ (Sun 26/4 → Mon 27/4), 30/4 and 1/5
    assert add_working_days(start, 0) == start
    assert add_working_days(start, 1) == date(2026, 4, 28)
    assert add_working_days(start, 3) == date(2026, 5, 4)
    for n in range(1, 30):
        end = add_working_days(start, n)
        assert is_working_day(end) and working_days_between(start, end) == n


def test_tet_on_a_weekend_is_made_up_as_published() -> None:
    # a Tết day on Saturday is made up on the working day before, on Sunday on the day after
    for off in (date(2023, 1, 20), date(2024, 2, 8), date(2025, 1, 27)):
        assert off in holidays(off.year) and not is_working_day(off), off
    for worked in (date(2023, 1, 27), date(2024, 2, 15), date(2025, 2, 3)):
        assert is_working_day(worked), worked


def test_culture_day_is_off_from_2026() -> None:
    assert not is_working_day(date(2026, 11, 24))  # Tuesday, Ngày Văn hóa Việt Nam
    assert is_working_day(date(2025, 11, 24))  # Monday, before the day was adopted
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 27)) == 4


def test_swapped_saturday_is_a_working_day() -> None:
    # 2024: Monday 29/4 off, Saturday 4/5 worked (Công văn 2450/VPCP-KGVX)
    assert not is_working_day(date(2024, 4, 29)) and is_working_day(date(2024, 5, 4))
    assert working_days_between(date(2024, 5, 3), date(2024, 5, 6)) == 2


def test_every_year_agrees_with_the_holidays_package() -> None:
    for year in range(2000, 2101):
        cal = holidays_pkg.country_holidays("VN", years=year)
        assert holidays(year) == frozenset(cal), year
        first, last = date(year, 1, 1), date(year, 12, 31)
        expected = sum(1 for d in _days(first, last) if cal.is_working_day(d))
        assert working_days_between(first - timedelta(days=1), last) == expected, year


def test_outside_the_table_is_an_explicit_error() -> None:
    with pytest.raises(CalendarRangeError, match="2101"):
        holidays(2101)
    with pytest.raises(CalendarRangeError):
        working_days_between(date(1899, 12, 1), date(2026, 11, 20))
    with pytest.raises(CalendarRangeError):
        is_working_day(date(2101, 1, 3))
    assert issubclass(CalendarRangeError, CheckError)  # a check that meets it reports `error`
    assert issubclass(CalendarRangeError, AuditorError)
