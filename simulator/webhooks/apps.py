"""Apps and their webhook management: settings (the target URL) and event subscriptions, per appId.

The wire shapes are those of HubSpot's webhooks v3 API (webhooks-v3.json). In hubsim an app's webhooks belong to the
portal whose token manages them, and its client secret (what deliveries are signed with) is set through the control
API (`POST /_sim/apps`); an app used before that signs with DEFAULT_CLIENT_SECRET.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from simulator.errors import HubSpotError, ValidationError
from simulator.wire import WireModel, iso

DEFAULT_CLIENT_SECRET = "hubsim-client-secret"  # documented in README.md (Webhooks)
MAX_APP_ID = 2**31 - 1  # appId is an int32 in webhooks-v3.json
MAX_SUBSCRIPTIONS = 1000  # HubSpot: at most 1,000 subscriptions per app (webhooks guide, "Limits")
MIN_CONCURRENCY, MAX_CONCURRENCY = 5, 100  # HubSpot: maxConcurrentRequests must be at least 5; the top is hubsim's

EVENT_TYPES = (
    *(f"{o}.{a}" for o in ("contact", "company", "deal", "ticket", "product", "line_item", "object")
      for a in ("creation", "deletion", "propertyChange", "associationChange", "merge", "restore")
      if not (o == "product" and a == "associationChange")),
    "contact.privacyDeletion",
    *(f"conversation.{a}" for a in ("creation", "deletion", "newMessage", "privacyDeletion", "propertyChange")),
    "event.completed",
)  # fmt: skip  # webhooks-v3.json, SubscriptionCreateRequest.eventType
EventType = Literal[EVENT_TYPES]  # type: ignore[valid-type]


class SubscriptionNotFound(HubSpotError):
    status, category = 404, "SUBSCRIPTION_ID_NOT_FOUND"

    @classmethod
    def for_ids(cls, ids: list[int]) -> SubscriptionNotFound:
        # HubSpot's wording (webhooks-v3.json, BatchResponseSubscriptionResponseWithErrors example)
        return cls(f"Failed to find subscriptions by id `{', '.join(str(i) for i in ids)}`.")


class SettingsNotFound(HubSpotError):
    status, category = 404, "OBJECT_NOT_FOUND"


# --- wire models ------------------------------------------------------------------------------------------------


class Throttling(WireModel):
    max_concurrent_requests: int = Field(ge=MIN_CONCURRENCY, le=MAX_CONCURRENCY)
    period: Literal["SECONDLY", "ROLLING_MINUTE"] | None = None  # older documents still show it; echoed back


class SettingsInput(WireModel):
    target_url: str = Field(max_length=2000)
    throttling: Throttling

    @field_validator("target_url")
    @classmethod
    def _absolute_http(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("targetUrl must be an absolute http or https URL")
        return value


class SubscriptionCreate(WireModel):
    event_type: EventType
    property_name: str | None = Field(default=None, min_length=1, max_length=100)
    active: bool = False  # "Defaults to false" (webhooks-v3.json)
    event_type_name: str | None = Field(default=None, min_length=1, max_length=200)
    object_type_id: str | None = Field(default=None, min_length=1, max_length=50)


class SubscriptionPatch(WireModel):
    active: bool | None = None


class SubscriptionBatchItem(WireModel):
    id: int = Field(ge=1, le=MAX_APP_ID)
    active: bool


class SubscriptionBatchUpdate(WireModel):
    inputs: list[SubscriptionBatchItem] = Field(max_length=100)


class AppSecret(WireModel):
    """POST /_sim/apps: the client secret deliveries of this app are signed with."""

    app_id: int = Field(ge=1, le=MAX_APP_ID)
    client_secret: str = Field(min_length=1, max_length=200)


# --- stored shapes -----------------------------------------------------------------------------------------------


@dataclass
class Settings:
    target_url: str
    throttling: Throttling
    created_at: datetime
    updated_at: datetime

    def dump(self) -> dict[str, Any]:
        return {"targetUrl": self.target_url, "throttling": self.throttling.dump(),
                "createdAt": iso(self.created_at), "updatedAt": iso(self.updated_at)}

    def export(self) -> dict[str, Any]:
        return {**self.dump(), "createdAt": self.created_at.isoformat(), "updatedAt": self.updated_at.isoformat()}

    @classmethod
    def restore(cls, row: dict[str, Any]) -> Settings:
        given = SettingsInput.model_validate({"targetUrl": row["targetUrl"], "throttling": row["throttling"]})
        return cls(given.target_url, given.throttling, parse_moment(row["createdAt"]), parse_moment(row["updatedAt"]))


@dataclass
class Subscription:
    id: int
    event_type: str
    property_name: str | None
    active: bool
    created_at: datetime
    updated_at: datetime
    event_type_name: str | None = None
    object_type_id: str | None = None

    def dump(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": str(self.id), "eventType": self.event_type}
        if self.property_name is not None:
            body["propertyName"] = self.property_name
        if self.event_type_name is not None:
            body["eventTypeName"] = self.event_type_name
        if self.object_type_id is not None:
            body["objectTypeId"] = self.object_type_id
        body.update(active=self.active, createdAt=iso(self.created_at), updatedAt=iso(self.updated_at))
        return body

    def export(self) -> dict[str, Any]:
        return {**self.dump(), "createdAt": self.created_at.isoformat(), "updatedAt": self.updated_at.isoformat()}

    @classmethod
    def restore(cls, row: dict[str, Any]) -> Subscription:
        given = SubscriptionCreate.model_validate(
            {k: row[k] for k in ("eventType", "propertyName", "active", "eventTypeName", "objectTypeId") if k in row}
        )
        subscription_id = int(row["id"])
        if subscription_id < 1:
            raise ValueError("subscription ids are positive")
        return cls(subscription_id, given.event_type, given.property_name, given.active, parse_moment(row["createdAt"]),
                   parse_moment(row["updatedAt"]), given.event_type_name, given.object_type_id)


@dataclass
class App:
    app_id: int
    client_secret: str = DEFAULT_CLIENT_SECRET
    settings: Settings | None = None
    subscriptions: dict[int, Subscription] = field(default_factory=dict)

    def export(self) -> dict[str, Any]:
        return {
            "appId": self.app_id,
            "clientSecret": self.client_secret,
            "settings": self.settings.export() if self.settings else None,
            "subscriptions": [s.export() for s in self.subscriptions.values()],
        }

    @classmethod
    def restore(cls, row: dict[str, Any]) -> App:
        secret = AppSecret.model_validate({"appId": row["appId"], "clientSecret": row["clientSecret"]})
        app = cls(secret.app_id, secret.client_secret)
        app.settings = Settings.restore(row["settings"]) if row["settings"] is not None else None
        for sub in row["subscriptions"]:
            subscription = Subscription.restore(sub)
            app.subscriptions[subscription.id] = subscription
        return app


def check_subscription(request: SubscriptionCreate, known_property: Any) -> None:
    """HubSpot's rules for a new subscription; `known_property(object_name, property)` says whether it exists."""
    kind = request.event_type.split(".")[1]
    if kind == "propertyChange" and request.property_name is None:
        raise ValidationError(f"propertyName is required for {request.event_type} subscriptions")
    if kind != "propertyChange" and request.property_name is not None:
        raise ValidationError(f"propertyName applies only to propertyChange subscriptions, not {request.event_type}")
    if request.property_name is not None and not known_property(request.event_type.split(".")[0],
                                                                request.property_name):
        raise ValidationError(f"Property {request.property_name} does not exist for {request.event_type}")


def parse_moment(text: Any) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("timestamps need a time zone")
    return moment.astimezone(UTC)
