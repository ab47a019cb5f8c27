"""HubSpot's error envelope. Every failure the simulator answers is a HubSpotError; nothing else builds error bodies."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from simulator.uuids import random_uuid


class HubSpotError(Exception):
    status = 400
    category = "VALIDATION_ERROR"

    def __init__(
        self,
        message: str,
        *,
        errors: Iterable[Mapping[str, Any]] = (),
        context: Mapping[str, list[str]] | None = None,
        sub_category: str | None = None,
        links: Mapping[str, str] | None = None,
        status: int | None = None,
        category: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.errors = [dict(e) for e in errors]
        self.context = dict(context) if context else None
        self.sub_category = sub_category
        self.links = dict(links) if links else None
        if status is not None:
            self.status = status
        if category is not None:
            self.category = category

    def to_json(self, correlation_id: str) -> dict[str, Any]:
        body: dict[str, Any] = {"status": "error", "message": self.message, "correlationId": correlation_id}
        if self.errors:
            body["errors"] = self.errors
        if self.context:
            body["context"] = self.context
        if self.links:
            body["links"] = self.links
        body["category"] = self.category
        if self.sub_category:
            body["subCategory"] = self.sub_category
        return body

    def as_batch_error(self, context: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
        """The StandardError item of a batch response's `errors` (a 207 multi-status)."""
        item: dict[str, Any] = {
            "status": "error",
            "category": self.category,
            "message": self.message,
            "context": dict(context or self.context or {}),
            "errors": self.errors,
            "links": self.links or {},
        }
        if self.sub_category:
            item["subCategory"] = self.sub_category
        return item


class ValidationError(HubSpotError):
    status, category = 400, "VALIDATION_ERROR"


class InvalidAuthentication(HubSpotError):
    status, category = 401, "INVALID_AUTHENTICATION"
    # HubSpot's own text, identical across captures for missing, unknown and malformed tokens.
    MESSAGE = (
        "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more "
        "details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
    )

    def __init__(self, message: str = MESSAGE):
        super().__init__(message)


class MissingScopes(HubSpotError):
    status, category = 403, "MISSING_SCOPES"

    def __init__(self, required: Iterable[str]):
        super().__init__(
            "This app hasn't been granted all required scopes to make this call. Read more about required scopes "
            "here: https://developers.hubspot.com/scopes.",
            errors=[
                {
                    "message": "One or more of the following scopes are required.",
                    "context": {"requiredGranularScopes": sorted(required)},
                }
            ],
            links={"scopes": "https://developers.hubspot.com/scopes"},
        )


class ObjectNotFound(HubSpotError):
    status, category = 404, "OBJECT_NOT_FOUND"

    @classmethod
    def for_id(cls, object_id: str) -> ObjectNotFound:
        # The double space is HubSpot's.
        return cls("Object not found.  objectId are usually numeric.", context={"id": [object_id]})


class RouteNotFound(HubSpotError):
    status, category = 404, "OBJECT_NOT_FOUND"


class NotSimulated(RouteNotFound):
    """A route HubSpot has and hubsim does not: say so, rather than let a user guess."""

    def __init__(self, area: str, method: str, path: str):
        super().__init__(f"hubsim does not simulate {area} yet ({method} {path})")


class MethodNotAllowed(HubSpotError):
    status, category = 405, "VALIDATION_ERROR"


class Conflict(HubSpotError):
    status, category = 409, "CONFLICT"


class AlreadyExists(HubSpotError):
    status, category = 409, "OBJECT_ALREADY_EXISTS"


class PayloadTooLarge(HubSpotError):
    status, category = 413, "VALIDATION_ERROR"


class RateLimited(HubSpotError):
    """429 in HubSpot's rate-limit shape: `errorType` and `policyName` instead of `category`."""

    status, category = 429, "RATE_LIMITS"

    def __init__(self, policy_name: str):
        # "You have reached your daily limit." / "... secondly limit." / "... ten_secondly_rolling limit."
        super().__init__(f"You have reached your {policy_name.lower()} limit.")
        self.policy_name = policy_name

    def to_json(self, correlation_id: str) -> dict[str, Any]:
        return {
            "status": "error",
            "message": self.message,
            "errorType": "RATE_LIMIT",
            "correlationId": correlation_id,
            "policyName": self.policy_name,
            "requestId": random_uuid(),
        }


class InternalError(HubSpotError):
    status, category = 500, "INTERNAL_ERROR"


class PropertyValueError:
    """One invalid property value; many are folded into a single VALIDATION_ERROR the way HubSpot does."""

    def __init__(self, name: str, code: str, message: str):
        self.name, self.code, self.message = name, code, message

    def embedded(self, portal_id: int) -> dict[str, Any]:
        return {
            "isValid": False,
            "message": self.message,
            "error": self.code,
            "name": self.name,
            "localizedErrorMessage": self.message,
            "portalId": portal_id,
        }

    def detail(self) -> dict[str, Any]:
        return {"message": self.message, "code": self.code, "context": {"propertyName": [self.name]}}


def invalid_property_values(problems: list[PropertyValueError], portal_id: int) -> ValidationError:
    embedded = json.dumps([p.embedded(portal_id) for p in problems], separators=(",", ":"))
    return ValidationError(f"Property values were not valid: {embedded}", errors=[p.detail() for p in problems])
