"""Wire models: camelCase on the wire, snake_case in Python, HubSpot's error for a bad body."""

from __future__ import annotations

import json
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


def decode_json(raw: bytes) -> Any:
    """Decode a request body the way HubSpot reports broken JSON (line and column)."""
    if not raw.strip():
        raise ValidationError("Invalid input JSON: no content to map due to end-of-input")
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise ValidationError("Invalid input JSON: the body is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(f"Invalid input JSON on line {exc.lineno}, column {exc.colno}: {exc.msg}") from None


def iso(moment: datetime) -> str:
    """HubSpot's timestamp format: UTC, milliseconds, Z."""
    m = moment.astimezone(UTC)
    return f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}.{m.microsecond // 1000:03d}Z"


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)
