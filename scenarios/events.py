"""The product events simulated users emit: their vocabulary, their properties, and the event record."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta

from scenarios.truth import EPOCH, iso_ms

TRIAL_DAYS = 14
KEY_FEATURES = ("automation", "dashboards", "integrations")  # using one is activation
ASSETS = ("plg-benchmark-report", "onboarding-checklist", "roi-calculator", "security-whitepaper")
WEBINARS = ("product-tour", "scaling-plg", "admin-masterclass")
LIMITS = ("projects", "seats", "monthly-events")
USAGE_PERCENTS = (80, 90, 100)

_encode = json.JSONEncoder(separators=(",", ":")).encode

Properties = tuple[dict, str | None]  # the properties and their JSON, when encoded ahead


def variants(properties: Iterable[dict]) -> tuple[Properties, ...]:
    """Property sets drawn from a few values, each JSON-encoded once: encoding is a hot spot at 100k users."""
    return tuple((p, _encode(p)) for p in properties)


def session_properties(plans: Iterable[str]) -> dict[str, tuple[Properties, ...]]:
    """What an in-session event can carry, by event name."""
    return {
        "logged_in": variants([{}]),
        "key_feature_used": variants({"feature": f, "first_time": False} for f in KEY_FEATURES),
        "pricing_page_viewed": variants({"plan": plan} for plan in plans),
        "usage_limit_approached": variants({"limit": limit, "usage_pct": pct}
                                           for limit in LIMITS for pct in USAGE_PERCENTS),
        "content_downloaded": variants({"asset": a} for a in ASSETS),
        "webinar_attended": variants({"webinar": w} for w in WEBINARS),
    }


def milestone_properties(plans: Iterable[str]) -> dict[str, tuple[Properties, ...]]:
    """What the event marking entry into a stage can carry, by stage (the others are built when they happen)."""
    return {
        "trialing": variants([{"trial_days": TRIAL_DAYS}]),
        "onboarded": variants([{}]),
        "activated": variants({"feature": f, "first_time": True} for f in KEY_FEATURES),
        "evaluating": variants({"plan": plan} for plan in plans),
    }


class Event:
    """One product event. Ids are `<user>-<n>`, stable for a seed, so a sync can deduplicate on them.

    Built by the million, so it holds its user (anything with `id`, `account_id` and `email`) rather than copies
    of their strings."""

    __slots__ = ("_who", "number", "event", "epoch_ms", "_properties", "_json")

    def __init__(self, who, number: int, event: str, epoch_ms: int, properties: Properties) -> None:
        self._who, self.number, self.event, self.epoch_ms = who, number, event, epoch_ms
        self._properties, self._json = properties  # the dict may be shared with other events: hand out copies

    @property
    def id(self) -> str:
        return f"{self._who.id}-{self.number}"

    @property
    def user(self) -> str:
        return self._who.id

    @property
    def account(self) -> str:
        return self._who.account_id

    @property
    def email(self) -> str:
        return self._who.email

    @property
    def timestamp(self) -> datetime:
        return EPOCH + timedelta(milliseconds=self.epoch_ms)

    @property
    def properties(self) -> dict:
        return dict(self._properties)

    def as_dict(self) -> dict:
        return {"id": self.id, "timestamp": iso_ms(self.epoch_ms), "event": self.event, "user": self.user,
                "account": self.account, "email": self.email, "properties": self.properties}

    def to_json(self) -> str:
        # Ids, event names and emails are generated ASCII ([a-z0-9._@-]): only the properties need encoding.
        who = self._who
        return (f'{{"id":"{who.id}-{self.number}","timestamp":"{iso_ms(self.epoch_ms)}","event":"{self.event}",'
                f'"user":"{who.id}","account":"{who.account_id}","email":"{who.email}",'
                f'"properties":{self._json or _encode(self._properties)}}}')

    def __repr__(self) -> str:
        return f"Event({self.to_json()})"

