"""The control API's domain: portal settings and the clock."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from pydantic import field_validator

from simulator.config import Tier, check_time_zone
from simulator.errors import ValidationError
from simulator.hub import Portal
from simulator.wire import WireModel, iso

_DURATION = re.compile(
    r"^P(?:(?P<weeks>\d+(?:\.\d+)?)W)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(value: str | float | int) -> timedelta:
    """Seconds, or an ISO-8601 duration in weeks, days, hours, minutes and seconds (P1D, PT90M, P1DT12H)."""
    if isinstance(value, bool):
        raise ValidationError("advance takes seconds or an ISO-8601 duration such as P1D")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        try:
            seconds = float(value)
        except ValueError:
            match = _DURATION.match(value.strip().upper())
            if not match or value.strip().upper() in ("P", "PT") or value.strip().upper().endswith("T"):
                raise ValidationError(
                    f"advance takes seconds or an ISO-8601 duration such as P1D or PT90M, got {value!r}"
                ) from None
            parts = {k: float(v) for k, v in match.groupdict().items() if v}
            return timedelta(**parts)
    if seconds < 0:
        raise ValidationError("The clock only moves forwards: advance must not be negative")
    return timedelta(seconds=seconds)


class ClockCommand(WireModel):
    set: datetime | None = None
    freeze: bool | None = None
    speed: float | None = None
    advance: str | float | None = None

    @field_validator("set")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("set needs a time zone, e.g. 2030-01-01T00:00:00Z")
        return value

    @field_validator("speed")
    @classmethod
    def _positive(cls, value: float | None) -> float | None:
        if value is not None and value <= 0:
            raise ValueError("speed must be positive")
        return value


def clock_state(portal: Portal) -> dict[str, Any]:
    return {"now": iso(portal.clock.now()), "frozen": portal.clock.frozen, "speed": portal.clock.speed}


def control_clock(portal: Portal, command: ClockCommand) -> dict[str, Any]:
    """Set, then freeze or run, then change speed, then advance (running what falls due on the way)."""
    delta = parse_duration(command.advance) if command.advance is not None else None
    if command.set is not None:
        portal.clock.set(command.set)
    if command.freeze is True:
        portal.clock.freeze()
    elif command.freeze is False:
        portal.clock.unfreeze()
    if command.speed is not None:
        portal.clock.set_speed(command.speed)
    if delta is not None:
        portal.advance(delta)
    else:
        portal.run_due()
    return clock_state(portal)


class PortalSettingsUpdate(WireModel):
    tier: Tier | None = None
    time_zone: str | None = None
    scopes: list[str] | None = None
    rate_limits: bool | None = None
    retry_after: bool | None = None

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
    return portal_state(portal)
