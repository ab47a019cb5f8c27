"""Time in list filters: offsets, time points, windows, and the moment a time-relative result can next change.

A filter that compares a time against the clock ("in the last 7 days") gives a different answer later without any
write. Each such comparison tells the Probe when it next flips (`probe.until(at)`); the list store schedules a
re-evaluation of that record then. A window includes its bounds: an event exactly 7 days old is still in it, and
leaves one millisecond later (HubSpot's timestamps are milliseconds).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from simulator.errors import ValidationError
from simulator.lists.language import (
    DatePoint,
    IndexedTimePoint,
    IndexOffset,
    NowReference,
    QuarterReference,
    TimeOffset,
    TodayReference,
    WeekReference,
    YearReference,
)

TICK = timedelta(milliseconds=1)  # HubSpot's time resolution: a bound is left one tick after it
_UNITS = {
    "MILLISECONDS": timedelta(milliseconds=1), "SECONDS": timedelta(seconds=1), "MINUTES": timedelta(minutes=1),
    "HOURS": timedelta(hours=1), "DAYS": timedelta(days=1), "WEEKS": timedelta(weeks=1),
}  # fmt: skip
_MONTHS = {"MONTHS": 1, "QUARTERS": 3, "YEARS": 12}
_WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


class Probe:
    """One evaluation at `now`; collects the earliest later moment at which its answer may change. `zone` is the
    portal's time zone, in which calendar days, weeks, months, quarters and years begin."""

    __slots__ = ("now", "wake", "zone")

    def __init__(self, now: datetime, zone: tzinfo = UTC):
        self.now = now
        self.zone = zone
        self.wake: datetime | None = None

    def until(self, at: datetime) -> None:
        if at > self.now and (self.wake is None or at < self.wake):
            self.wake = at


def zone(zone_id: str) -> ZoneInfo:
    try:
        return ZoneInfo(zone_id)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"Unknown time zone {zone_id!r} in a list filter's time point") from None


def from_ms(epoch_ms: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=epoch_ms)


def add_months(moment: datetime, months: int) -> datetime:
    """Calendar months: the same day of the month, or the month's last day when it has fewer."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month)


def shift(moment: datetime, offset: TimeOffset) -> datetime:
    """`moment` moved by a refine-by offset (PAST goes back)."""
    amount = offset.amount if offset.offset_direction == "FUTURE" else -offset.amount
    if offset.time_unit in _MONTHS:
        return add_months(moment, amount * _MONTHS[offset.time_unit])
    return moment + _UNITS[offset.time_unit] * amount


def shift_index(moment: datetime, offset: IndexOffset | None) -> datetime:
    if offset is None:
        return moment
    moment = add_months(moment, offset.months + 3 * offset.quarters + 12 * offset.years)
    return moment + timedelta(
        weeks=offset.weeks, days=offset.days, hours=offset.hours, minutes=offset.minutes, seconds=offset.seconds,
        milliseconds=offset.milliseconds,
    )  # fmt: skip


def relative_crossing(offset_at: datetime, now: datetime, t: datetime) -> datetime:
    """When `now + d` (d = offset_at - now) reaches `t`: the instant a NOW-relative bound passes a fixed time."""
    return t - (offset_at - now)


def date_point(point: DatePoint) -> datetime:
    local = datetime(point.year, point.month, min(point.day, 28) if point.day > 28 else point.day, point.hour,
                     point.minute, point.second, point.millisecond * 1000, tzinfo=zone(point.zone_id))  # fmt: skip
    if point.day > 28:
        local = _clamp_day(local, point.day)
    return local.astimezone(UTC)


def indexed_point(point: IndexedTimePoint, probe: Probe) -> datetime:
    """The instant an INDEXED time point names at the probe's now; tells the probe when the reference moves."""
    tz = zone(point.zone_id)
    reference = point.index_reference
    local_now = probe.now.astimezone(tz)
    if isinstance(reference, NowReference):
        start, following = local_now, None
    else:
        start, following = _period(reference, local_now)
        start = start.replace(hour=reference.hour or 0, minute=reference.minute or 0, second=reference.second or 0,
                              microsecond=(reference.millisecond or 0) * 1000)  # fmt: skip
    if following is not None:
        probe.until(following.astimezone(UTC))  # the reference itself moves on then
    return shift_index(start, point.offset).astimezone(UTC)


def _period(reference, local_now: datetime) -> tuple[datetime, datetime]:
    """The start of the current day/week/month/quarter/year (at the reference's day), and of the next one."""
    midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    if isinstance(reference, TodayReference):
        return midnight, _next_midnight(midnight)
    if isinstance(reference, WeekReference):
        start = midnight - timedelta(days=midnight.weekday()) + timedelta(days=_WEEKDAYS.index(reference.day_of_week))
        return start, _next_midnight(midnight - timedelta(days=midnight.weekday()) + timedelta(days=6))
    month_start = midnight.replace(day=1)
    if isinstance(reference, QuarterReference):
        quarter_start = month_start.replace(month=(month_start.month - 1) // 3 * 3 + 1)
        return _clamp_day(add_months(quarter_start, reference.month - 1), reference.day), add_months(quarter_start, 3)
    if isinstance(reference, YearReference):
        year_start = month_start.replace(month=1)
        return _clamp_day(year_start.replace(month=reference.month), reference.day), add_months(year_start, 12)
    return _clamp_day(month_start, reference.day), add_months(month_start, 1)


def _next_midnight(midnight: datetime) -> datetime:
    following = (midnight + timedelta(days=1, hours=3)).replace(hour=0)  # safe across a DST change
    return following.replace(tzinfo=midnight.tzinfo)


def _clamp_day(moment: datetime, day: int) -> datetime:
    for candidate in range(day, 27, -1):
        try:
            return moment.replace(day=candidate)
        except ValueError:
            continue
    return moment.replace(day=min(day, 28))
