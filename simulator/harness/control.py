"""The control API's domain: portal settings and the clock."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import Field, field_validator

from simulator.config import Tier, check_time_zone
from simulator.crm.search import MAX_INDEX_DELAY_MS
from simulator.errors import ValidationError
from simulator.events.send import UnknownEmail
from simulator.events.store import STORAGE_CEILING as EVENT_STORAGE_CEILING
from simulator.harness.journal import MAX_SIZE as MAX_JOURNAL_SIZE
from simulator.hub import Portal
from simulator.ratelimit import MAX_API_LIMIT_INCREASES
from simulator.wire import WireModel, iso

# HubSpot's timestamps are epoch milliseconds; a clock outside these bounds would only produce nonsense.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
MAX_ADVANCE = timedelta(days=365 * 100)
_UNIT_SECONDS = {"weeks": 604_800, "days": 86_400, "hours": 3_600, "minutes": 60, "seconds": 1}
MAX_SPEED = 100_000.0
_DURATION = re.compile(
    r"P(?:(?P<weeks>[0-9]+(?:\.[0-9]+)?)W)?(?:(?P<days>[0-9]+(?:\.[0-9]+)?)D)?"
    r"(?:T(?:(?P<hours>[0-9]+(?:\.[0-9]+)?)H)?(?:(?P<minutes>[0-9]+(?:\.[0-9]+)?)M)?"
    r"(?:(?P<seconds>[0-9]+(?:\.[0-9]+)?)S)?)?"
)


def parse_duration(value: str | float | int) -> timedelta:
    """Seconds, or an ISO-8601 duration in weeks, days, hours, minutes and seconds (P1D, PT90M, P1DT12H)."""
    seconds = _seconds(value)
    if seconds is None:
        raise ValidationError(f"advance takes seconds or an ISO-8601 duration such as P1D or PT90M, got {value!r}")
    if not 0 <= seconds <= MAX_ADVANCE.total_seconds():
        raise ValidationError(f"advance must be between 0 and {MAX_ADVANCE.days} days, got {value!r}")
    return timedelta(seconds=seconds)


def _seconds(value: str | float | int) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value)
    except ValueError:
        pass
    text = value.strip().upper()
    match = _DURATION.fullmatch(text)
    if not match or text in ("P", "PT") or text.endswith("T"):
        return None
    return sum(float(amount) * _UNIT_SECONDS[unit] for unit, amount in match.groupdict().items() if amount)


class ClockCommand(WireModel):
    set: datetime | None = None
    freeze: bool | None = None
    speed: float | None = None
    advance: str | float | None = None

    @field_validator("set")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("set needs a time zone, e.g. 2030-01-01T00:00:00Z")
        if not EARLIEST <= value <= LATEST:
            raise ValueError(f"set must fall between {EARLIEST.date()} and {LATEST.date()}")
        return value

    @field_validator("speed")
    @classmethod
    def _positive(cls, value: float | None) -> float | None:
        if value is not None and not 0 < value <= MAX_SPEED:
            raise ValueError(f"speed must be above 0 and at most {MAX_SPEED:g}")
        return value


def clock_state(portal: Portal) -> dict[str, Any]:
    return {"now": iso(portal.clock.now()), "frozen": portal.clock.frozen, "speed": portal.clock.speed}


def control_clock(portal: Portal, command: ClockCommand) -> dict[str, Any]:
    """Freeze, set, run, change speed, then advance (running what falls due on the way)."""
    delta = parse_duration(command.advance) if command.advance is not None else None
    if delta is not None and (command.set or portal.clock.now()) + delta > LATEST:
        raise ValidationError(f"advance would take the clock past {LATEST.date()}")
    if command.freeze is True:
        portal.clock.freeze()  # before set, so a frozen clock lands exactly on the moment asked for
    if command.set is not None:
        portal.clock.set(command.set)
    if command.freeze is False:
        portal.clock.unfreeze()
    if command.speed is not None:
        portal.clock.set_speed(command.speed)
    if delta is not None:
        portal.advance(delta)
    elif command.set is not None:
        portal.clock_moved()
    else:
        portal.run_due()
    return clock_state(portal)


class PortalSettingsUpdate(WireModel):
    tier: Tier | None = None
    time_zone: str | None = None
    scopes: list[str] | None = None
    rate_limits: bool | None = None
    retry_after: bool | None = None
    search_index_delay_ms: int | None = Field(default=None, ge=0, le=MAX_INDEX_DELAY_MS)
    list_processing_delay_ms: int | None = Field(default=None, ge=0, le=MAX_INDEX_DELAY_MS)
    api_limit_increases: int | None = Field(default=None, ge=0, le=MAX_API_LIMIT_INCREASES)
    secondly_headers: bool | None = None
    journal: bool | None = None
    journal_size: int | None = Field(default=None, ge=1, le=MAX_JOURNAL_SIZE)
    event_storage_limit: int | None = Field(default=None, ge=1, le=EVENT_STORAGE_CEILING)
    event_unknown_email: UnknownEmail | None = None

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return check_time_zone(value) if value is not None else None


def portal_state(portal: Portal) -> dict[str, Any]:
    return {"portalId": portal.id, **portal.settings.dump()}


def update_portal(portal: Portal, update: PortalSettingsUpdate) -> dict[str, Any]:
    settings = portal.settings
    for field in update.model_fields_set:
        value = getattr(update, field)
        if field == "scopes":
            value = set(value) if value is not None else None
        if value is not None or field == "scopes":
            setattr(settings, field, value)
    if update.journal_size is not None:
        portal.journal.resize(update.journal_size)
    if update.event_storage_limit is not None:
        portal.events.trim()
    return portal_state(portal)
