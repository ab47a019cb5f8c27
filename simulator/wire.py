"""Wire models: camelCase on the wire, snake_case in Python, HubSpot's error for a bad body."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any, Self

from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError
from pydantic.alias_generators import to_camel

from simulator.errors import ValidationError


class WireModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="forbid",
    )

    @classmethod
    def parse(cls, payload: Any) -> Self:
        """Validate a decoded JSON body; any problem is one HubSpot VALIDATION_ERROR naming the fields."""
        try:
            return cls.model_validate(payload)
        except PydanticValidationError as exc:
            raise body_error(exc) from None

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    def changes(self) -> dict[str, Any]:
        """The fields a PATCH sets; `null` leaves a field as it is (HubSpot's PATCHes cannot clear a label or a type)."""
        return {f: getattr(self, f) for f in self.model_fields_set if getattr(self, f) is not None}


def body_error(exc: PydanticValidationError) -> ValidationError:
    details = []
    for err in exc.errors(include_url=False):
        where = ".".join(str(p) for p in err["loc"]) or "body"
        details.append({"message": f"{where}: {err['msg']}", "in": where, "code": _code(err["type"])})
    summary = "; ".join(d["message"] for d in details[:5])
    return ValidationError(f"Invalid input JSON: {summary}", errors=details)


def _code(pydantic_type: str) -> str:
    if pydantic_type == "missing":
        return "REQUIRED_FIELD"
    if pydantic_type == "extra_forbidden":
        return "UNRECOGNIZED_FIELD"
    return "INVALID_TYPE"


# Bounds of the one body decoder. HubSpot parses with Jackson, whose StreamReadConstraints allow 1000 levels and
# 1000-digit numbers; Python's stack ends sooner, so hubsim allows fewer levels (see docs/differences.md). No HubSpot
# body comes near either bound (a filter tree is under ten levels deep).
MAX_JSON_DEPTH = 100
MAX_NUMBER_LENGTH = 1000  # Jackson's maxNumberLength
MAX_CURSOR_DIGITS = 19  # HubSpot's ids and paging cursors are 64-bit integers: at most 19 decimal digits
_CURSOR = re.compile(f"[0-9]{{1,{MAX_CURSOR_DIGITS}}}")
_INTEGER = re.compile(f"-?[0-9]{{1,{MAX_CURSOR_DIGITS}}}")


def decode_json(raw: bytes) -> Any:
    """Decode a request body the way HubSpot reports broken JSON (line and column); strict JSON only (no NaN or
    Infinity), within HubSpot's bounds on nesting and number size, so no body can reach a 500."""
    if not raw.strip():
        raise ValidationError("Invalid input JSON: no content to map due to end-of-input")
    try:
        decoded = _DECODER.decode(raw.decode(json.detect_encoding(raw), "surrogatepass"))  # json.loads, for bytes
    except UnicodeDecodeError:
        raise ValidationError("Invalid input JSON: the body is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(f"Invalid input JSON on line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise _too_deep() from None
    if raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH:  # each level opens with one; fewer cannot nest deeper
        _check_depth(decoded)
    return decoded


def _non_numeric(token: str) -> Any:
    raise ValidationError(f"Invalid input JSON: Non-standard token '{token}': NaN and Infinity are not JSON numbers")


def _integer(text: str) -> int:
    if len(text) > MAX_NUMBER_LENGTH:
        raise _too_long(text)
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_LENGTH:
        raise _too_long(text)
    value = float(text)
    if value in (float("inf"), float("-inf")):  # 1e999: a valid JSON number no double can hold
        raise ValidationError(f"Invalid input JSON: number {shorten(text)} is out of range of a double")
    return value


def _too_long(text: str) -> ValidationError:
    return ValidationError(
        f"Invalid input JSON: number {shorten(text)} is longer than the maximum length of {MAX_NUMBER_LENGTH}"
    )


def _too_deep() -> ValidationError:
    return ValidationError(f"Invalid input JSON: nesting depth exceeds the maximum allowed ({MAX_JSON_DEPTH})")


# One decoder for every body: `json.loads` with hooks builds a decoder and its scanner on each call.
_DECODER = json.JSONDecoder(parse_constant=_non_numeric, parse_int=_integer, parse_float=_float)


def _check_depth(decoded: Any) -> None:
    """Iterative, so checking cannot exhaust the stack the way recursing into the value would."""
    level = [decoded] if isinstance(decoded, dict | list) else []
    for _depth in range(MAX_JSON_DEPTH):
        level = [child for item in level for child in (item.values() if isinstance(item, dict) else item)
                 if isinstance(child, dict | list)]  # fmt: skip
        if not level:
            return
    raise _too_deep()


def cursor(raw: str | int | None, *, name: str = "after") -> int | None:
    """A paging cursor (`after`) as HubSpot reads it: ASCII decimal digits of a 64-bit integer; absent or "" is none.
    `str.isdigit` is not enough: it takes "²" and other digits `int` refuses, and any number of them."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str) or _CURSOR.fullmatch(raw) is None:
        raise ValidationError(
            f"{name} must be the cursor HubSpot returned in paging.next.after (a non-negative integer of at most "
            f"{MAX_CURSOR_DIGITS} digits), got {shorten(raw)!r}"
        )
    return int(raw)


def is_decimal_id(text: Any) -> bool:
    """Whether `text` is an id HubSpot could have issued: ASCII digits, at most 19 of them."""
    return isinstance(text, str) and _CURSOR.fullmatch(text) is not None


def parse_integer(text: str) -> int | None:
    """A bounded ASCII decimal integer (an optional minus sign), or None: what a query parameter may carry."""
    return int(text) if _INTEGER.fullmatch(text) else None


def shorten(value: Any, limit: int = 40) -> Any:
    """A value echoed in an error message, cut short: a 5,000-digit input is not repeated back in full."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]}... ({len(value)} characters)"
    return value


def iso(moment: datetime) -> str:
    """HubSpot's timestamp format: UTC, milliseconds, Z."""
    m = moment.astimezone(UTC)
    return f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}.{m.microsecond // 1000:03d}Z"


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)
