"""The value objects of action fields (ApiStaticValue, ApiObjectPropertyValue, ...), checked when a flow is saved and
resolved against the enrolled record when an action runs; and `{{ contact.x }}` tokens in notification text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from simulator.wire import epoch_ms

# ApiTimeDelay's units that a simulated delay can mean (the spec also lists ERAS, FOREVER, ...: refused).
TIME_UNITS = {
    "MILLIS": timedelta(milliseconds=1),
    "SECONDS": timedelta(seconds=1),
    "MINUTES": timedelta(minutes=1),
    "HOURS": timedelta(hours=1),
    "HALF_DAYS": timedelta(hours=12),
    "DAYS": timedelta(days=1),
    "WEEKS": timedelta(weeks=1),
}
MAX_DELAY = timedelta(days=3660)  # ten years: longer is a mistake, and would overflow the clock's arithmetic
VALUE_TYPES = ("STATIC_VALUE", "OBJECT_PROPERTY", "INCREMENT", "TIMESTAMP", "RELATIVE_DATETIME",
               "ENROLLMENT_EVENT_PROPERTY")  # fmt: skip
_TOKEN = re.compile(r"\{\{\s*(?:contact|enrolled_object|object)\.([A-Za-z0-9_]+)\s*\}\}")


class FieldProblem(ValueError):
    """A field of an action that cannot work; the flow validator names the action around it."""


@dataclass(frozen=True)
class Resolution:
    """What an action reads while it runs: the record's values, the clock, the enrollment event's properties."""

    values: Mapping[str, str]
    now: datetime
    event: Mapping[str, str]


def duration(delta: Any, unit: Any, where: str) -> timedelta:
    if unit not in TIME_UNITS:
        raise FieldProblem(f"{where}time_unit must be one of {sorted(TIME_UNITS)}, got {unit!r}")
    try:
        amount = int(str(delta))
    except ValueError:
        raise FieldProblem(f"{where}delta must be a whole number, got {delta!r}") from None
    if amount < 0:
        raise FieldProblem(f"{where}delta must not be negative, got {amount}")
    if amount > MAX_DELAY / TIME_UNITS[unit]:
        raise FieldProblem(f"{where}delta must be at most {MAX_DELAY.days} days")
    return amount * TIME_UNITS[unit]


def check_value(value: Any, where: str) -> None:
    """A value object a flow may hold: one of the types hubsim resolves, with its fields."""
    if not isinstance(value, dict) or value.get("type") not in VALUE_TYPES:
        raise FieldProblem(f"{where} must be a value object with type one of {list(VALUE_TYPES)}")
    kind = value["type"]
    needed = {
        "STATIC_VALUE": "staticValue", "OBJECT_PROPERTY": "propertyName", "INCREMENT": "incrementAmount",
        "TIMESTAMP": "timestampType", "RELATIVE_DATETIME": "timeDelay",
        "ENROLLMENT_EVENT_PROPERTY": "enrollmentEventPropertyToken",
    }[kind]  # fmt: skip
    if needed not in value:
        raise FieldProblem(f"{where} of type {kind} needs {needed}")
    if kind == "INCREMENT" and not _number(value["incrementAmount"]):
        raise FieldProblem(f"{where}.incrementAmount must be a number")
    if kind == "RELATIVE_DATETIME":
        delay = value["timeDelay"]
        if not isinstance(delay, dict):
            raise FieldProblem(f"{where}.timeDelay must be an object")
        duration(delay.get("delta"), delay.get("timeUnit"), f"{where}.timeDelay.")


def resolve(value: dict[str, Any], context: Resolution, current: str = "") -> str:
    """The string a value object stands for now; `current` is what the target property holds (for INCREMENT)."""
    kind = value["type"]
    if kind == "STATIC_VALUE":
        return str(value["staticValue"])
    if kind == "OBJECT_PROPERTY":
        return context.values.get(value["propertyName"], "")
    if kind == "ENROLLMENT_EVENT_PROPERTY":
        return context.event.get(value["enrollmentEventPropertyToken"], "")
    if kind == "TIMESTAMP":
        return str(epoch_ms(context.now))
    if kind == "RELATIVE_DATETIME":
        delay = value["timeDelay"]
        return str(epoch_ms(context.now + duration(delay["delta"], delay["timeUnit"], "")))
    total = (_number(current) or Decimal(0)) + Decimal(str(value["incrementAmount"]))
    return _plain(total)


def render(text: str, values: Mapping[str, str]) -> str:
    """HubSpot's personalization tokens in a notification's subject and body: `{{ contact.firstname }}`."""
    return _TOKEN.sub(lambda m: values.get(m.group(1), ""), text)


def _number(raw: Any) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
