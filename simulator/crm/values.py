"""Typed property values: what a write may carry and how HubSpot stores it (every value a string on the wire)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from simulator.errors import PropertyValueError
from simulator.wire import iso

MAX_STRING_LENGTH = 65_536  # HubSpot's limit for string property values
# Deliberately plain: HubSpot's own check is stricter (it knows top-level domains); see docs/differences.md. The
# local part takes no whitespace, control character or RFC 5322 special outside a quoted string (HubSpot refuses
# quoted local parts); the domain is an ASCII host name. Always fullmatch: `$` would let a final newline through.
_EMAIL = re.compile(
    r"[^@\s;,\x00-\x1f\x7f\"()<>\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}"
)


def as_text(raw: Any) -> str:
    """JSON scalars become the strings HubSpot would store; null clears like an empty string."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def coerce(definition: Any, raw: Any, current: str | None) -> str | PropertyValueError:
    """The stored form of `raw` for this property, or the problem HubSpot would report. "" clears the value."""
    text = as_text(raw)
    if text == "":
        return ""
    name, kind = definition.name, definition.type
    if kind == "number":
        return _number(name, text)
    if kind == "bool":
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered
        return PropertyValueError(name, "INVALID_BOOLEAN", f"{text} is not a valid boolean value")
    if kind == "date":
        return _date(name, text)
    if kind == "datetime":
        return _datetime(name, text)
    if kind == "enumeration":
        return _enumeration(definition, text, current)
    if len(text) > MAX_STRING_LENGTH:
        return PropertyValueError(
            name, "INVALID_STRING_LENGTH", f"{name} is longer than {MAX_STRING_LENGTH} characters"
        )
    if name == "email":
        if not is_email(text):
            return PropertyValueError(name, "INVALID_EMAIL", f"Email address {text} is invalid")
        return text.lower()  # HubSpot stores email addresses lower-cased
    return text


def is_email(text: str) -> bool:
    return _EMAIL.fullmatch(text) is not None


def _number(name: str, text: str) -> str | PropertyValueError:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        return PropertyValueError(name, "INVALID_INTEGER", f"{text} was not a valid number")
    normalized = format(number.normalize(), "f")
    return "0" if normalized in ("-0", "") else normalized


def parse_epoch_ms(text: str) -> datetime | None:
    if re.fullmatch(r"-?\d{1,15}", text):
        return datetime.fromtimestamp(int(text) / 1000, UTC)
    return None


def parse_datetime(text: str) -> datetime | None:
    """ISO-8601 (a date alone means its midnight UTC) or epoch milliseconds; None when it is neither."""
    moment = parse_epoch_ms(text)
    if moment is not None:
        return moment
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _datetime(name: str, text: str) -> str | PropertyValueError:
    moment = parse_datetime(text)
    if moment is None:
        return PropertyValueError(name, "INVALID_DATETIME", f"{text} is not a valid datetime (ISO-8601 or epoch ms)")
    return iso(moment)


def _date(name: str, text: str) -> str | PropertyValueError:
    moment = parse_epoch_ms(text)
    if moment is not None:
        if moment.time() != datetime.min.time():
            return PropertyValueError(
                name,
                "INVALID_DATE",
                f"{text} is at {moment.hour}:{moment.minute}:{moment.second}.{moment.microsecond // 1000} UTC, "
                "not midnight!",
            )
        return moment.date().isoformat()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return PropertyValueError(name, "INVALID_DATE", f"{text} is not a valid date (YYYY-MM-DD or epoch ms)")


def _enumeration(definition: Any, text: str, current: str | None) -> str | PropertyValueError:
    allowed = definition.option_values()
    if allowed is None:  # options owned elsewhere (owners): checked by whoever owns them
        return text
    if definition.field_type != "checkbox":
        if text in allowed:
            return text
        return _not_an_option(definition, text, allowed)
    # Multiple checkboxes: "a;b"; a leading ";" appends to what is already there.
    appending = text.startswith(";")
    chosen = [v for v in text.split(";") if v]
    bad = [v for v in chosen if v not in allowed]
    if bad:
        return _not_an_option(definition, bad[0], allowed)
    if appending and current:
        chosen = [v for v in current.split(";") if v] + [v for v in chosen if v not in current.split(";")]
    return ";".join(dict.fromkeys(chosen))


def _not_an_option(definition: Any, value: str, allowed: list[str]) -> PropertyValueError:
    return PropertyValueError(
        definition.name, "INVALID_OPTION", f"{value} was not one of the allowed options: [{', '.join(allowed)}]"
    )
