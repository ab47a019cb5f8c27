"""CALENDAR_DATE and DATE: a property's date placed in the portal's calendar.

A value's day is its day in the portal's time zone (the probe's zone); a date alone (a `date` property's
`YYYY-MM-DD`) is that day wherever the portal is. Weeks begin on Monday (ISO 8601, as the WEEK time-point reference
does); quarters and years begin in January, or in `fiscalYearStart` with `useFiscalYear`. Periods are numbered (day
ordinal, week number, month number...), so "the last N" and "the next N" are ranges of numbers, and the moment an
answer can next change is the start of a period: the probe is told it, and the list is re-evaluated then.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from simulator.crm.values import parse_datetime
from simulator.lists.operation_types import CalendarDateOperation, DateOperation
from simulator.lists.timing import Probe

_MONTHS_IN = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}
_COMPARE = {"EQUAL": operator.eq, "BEFORE": operator.lt, "AFTER": operator.gt}


class Periods:
    """The days, weeks, months, quarters or years of the calendar, numbered."""

    def __init__(self, unit: str, fiscal_offset: int = 0):
        self.unit = unit
        self.months = _MONTHS_IN.get(unit, 0)
        self.offset = fiscal_offset  # months from January to the first month of a (fiscal) year

    def number(self, day: date) -> int:
        if self.unit == "DAY":
            return day.toordinal()
        if self.unit == "WEEK":
            return (day.toordinal() - 1) // 7  # day 1 (0001-01-01) is a Monday
        return (day.year * 12 + day.month - 1 - self.offset) // self.months

    def first_day(self, number: int) -> date | None:
        """The first day of a period; None outside the years a date can have."""
        try:
            if self.unit == "DAY":
                return date.fromordinal(number)
            if self.unit == "WEEK":
                return date.fromordinal(number * 7 + 1)
            year, month = divmod(number * self.months + self.offset, 12)
            return date(year, month + 1, 1)
        except (ValueError, OverflowError):
            return None


def midnight(day: date, zone: tzinfo) -> datetime | None:
    """When a day begins in `zone`; None for a day at the very edge of the calendar (year 1 or 9999)."""
    try:
        return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)
    except OverflowError:
        return None


def local_day(value: str, zone: tzinfo) -> tuple[date, datetime] | None:
    """The value's day in `zone` and the instant it stands for (a date alone: the start of that day there); None
    when it is no date, or its day there is outside the calendar."""
    if len(value) == 10:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            day = None
        if day is not None:
            start = midnight(day, zone)
            return (day, start) if start is not None else None
    moment = parse_datetime(value)
    if moment is None:
        return None
    try:
        return moment.astimezone(zone).date(), moment
    except OverflowError:
        return None


def calendar_test(op: CalendarDateOperation) -> Callable[[Probe, str, Any], bool]:
    """In this / the last N / the next N periods (N = timeUnitCount; "this" is always the one current period)."""
    periods, count, kind = Periods(op.time_unit, op.fiscal_offset), op.time_unit_count, op.operator

    def test(probe: Probe, value: str, item: Any) -> bool:
        placed = local_day(value, probe.zone)
        if placed is None:
            return False
        day, moment = placed
        at = periods.number(day)
        low, high = {"IN_LAST_TIME_UNIT": (at + 1, at + count), "IN_NEXT_TIME_UNIT": (at - count, at - 1)}.get(
            kind, (at, at)
        )  # the current periods in which the value passes
        now = periods.number(probe.now.astimezone(probe.zone).date())
        if now < low:
            _wake_at_start(probe, periods, low)
        elif now <= high:
            _wake_at_start(probe, periods, high + 1)
        inside = low <= now <= high
        if inside and kind == "IN_THIS_TIME_UNIT_SO_FAR":
            probe.until(moment)  # later in the current period: it passes once the clock has reached it
            return moment <= probe.now
        return inside

    return test


def _wake_at_start(probe: Probe, periods: Periods, number: int) -> None:
    first = periods.first_day(number)
    start = midnight(first, probe.zone) if first is not None else None
    if start is not None:
        probe.until(start)


def date_test(op: DateOperation) -> Callable[[Probe, str, Any], bool]:
    """The value's day EQUAL to, BEFORE or AFTER one calendar day."""
    wanted, compare = op.calendar_day, _COMPARE[op.operator]

    def test(probe: Probe, value: str, item: Any) -> bool:
        placed = local_day(value, probe.zone)
        return placed is not None and compare(placed[0], wanted)

    return test
