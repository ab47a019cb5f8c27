"""Sending occurrences (events v3 send and send/batch): the request bodies, and the check of each input against its
definition, done for a whole batch before anything is recorded.

Limits (send-event-data guide › Limits): at most 50 properties an occurrence, values at most 256 characters (1,024
for URL, referrer and link properties), at most 500 occurrences a batch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from pydantic import Field

from simulator.crm.inputs import RecordId
from simulator.crm.objects import ObjectStore
from simulator.crm.values import as_text, coerce, parse_datetime
from simulator.errors import ObjectNotFound, PropertyValueError, ValidationError, invalid_property_values
from simulator.events.definitions import EventDefinition
from simulator.uuids import random_uuid
from simulator.wire import WireModel

MAX_PROPERTIES = 50
VALUE_LIMIT = 256
LONG_VALUE_LIMIT = 1024
LONG_VALUE_PROPERTIES = frozenset({"hs_page_url", "hs_referrer", "hs_link_href"})
SEND_BATCH_LIMIT = 500
UUID_LIMIT = 256  # a bound of hubsim's own: HubSpot's uuids are 36 characters
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)  # occurredAt is epoch milliseconds on HubSpot's side
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
UnknownEmail = Literal["create", "reject"]
Scalar = str | int | float | bool | None


class EventSend(WireModel):
    event_name: str = Field(min_length=1, max_length=200)
    # The spec requires `properties`; HubSpot's examples and clients leave it out when there are none.
    properties: dict[str, Scalar] = Field(default_factory=dict)
    object_id: RecordId | None = None
    email: str | None = None
    utk: str | None = None
    occurred_at: str | int | None = None  # ISO-8601 or epoch milliseconds
    uuid: str | None = Field(default=None, min_length=1, max_length=UUID_LIMIT)


class BatchEventSend(WireModel):
    inputs: list[EventSend]


@dataclass(slots=True)
class PlannedSend:
    """One input checked and ready to record."""

    definition: EventDefinition
    object_id: str | None  # None: a contact to create from `create_email`, or an anonymous visitor
    create_email: str | None
    utk: str | None
    occurred_at: datetime
    properties: dict[str, str]
    id: str


class SendPlanner:
    """Checks sends against the portal as it stands; the caller holds the portal lock."""

    def __init__(
        self,
        *,
        definition: Callable[[str], EventDefinition | None],
        objects: Callable[[str], ObjectStore],
        utks: Mapping[str, str],
        now: datetime,
        portal_id: int,
        unknown_email: UnknownEmail,
    ):
        self._definition = definition
        self._objects = objects
        self._utks = utks
        self._now = now
        self._portal_id = portal_id
        self._unknown_email = unknown_email

    def plan(self, item: EventSend) -> PlannedSend:
        definition = self._definition(item.event_name)
        if definition is None or item.event_name != definition.fully_qualified_name:
            raise ValidationError(
                f"Event {item.event_name!r} does not exist: eventName is the definition's fullyQualifiedName, "
                f"pe{self._portal_id}_<name>",
                context={"eventName": [item.event_name]},
            )
        object_id, create_email = self._identify(item, definition)
        return PlannedSend(
            definition=definition,
            object_id=object_id,
            create_email=create_email,
            utk=item.utk,
            occurred_at=self._occurred_at(item.occurred_at),
            properties=self._properties(item.properties, definition),
            id=item.uuid or random_uuid(),
        )

    def _identify(self, item: EventSend, definition: EventDefinition) -> tuple[str | None, str | None]:
        """HubSpot's priority: the definition's customMatchingId, then objectId, then email, then utk."""
        store = self._objects(definition.object_type)
        if definition.custom_matching_id is not None:
            rule = definition.custom_matching_id.primary_object_rule
            value = as_text(item.properties.get(rule.event_property_name))
            matched = matching_record(store, rule.target_object_property_name, value) if value else None
            if matched is not None:
                return matched, None
        if item.object_id is not None:
            object_id = live_id(store, item.object_id)
            if object_id is None:
                raise ValidationError(
                    f"No {definition.primary_object.lower()} has the objectId {item.object_id}",
                    context={"objectId": [item.object_id]},
                )
            return object_id, None
        if item.email is None and item.utk is None:
            raise ValidationError(
                "One of objectId, email or utk is required to say which record the event occurred on",
                context={"objectId": ["This property is required"]},
            )
        if definition.primary_object != "CONTACT":
            raise ValidationError(
                f"Event {definition.fully_qualified_name} is recorded on {definition.primary_object} records: "
                "email and utk identify contacts only; send objectId",
            )
        if item.email is None:
            known = self._utks.get(item.utk or "")
            # None: an anonymous visitor, whose occurrences HubSpot keeps off every contact's timeline
            return (live_id(store, known) if known is not None else None), None
        email = item.email.strip().lower()
        found = store.properties.validate_values({"email": email}, current={}, portal_id=self._portal_id)["email"]
        contact_id = live_id(store, found, id_property="email")
        if contact_id is not None:
            return contact_id, None
        if self._unknown_email == "reject":
            raise ValidationError(f"No contact has the email {found}", context={"email": [found]})
        return None, found

    def _occurred_at(self, raw: str | int | None) -> datetime:
        if raw is None:
            return self._now
        moment = parse_datetime(str(raw))
        if moment is None or not EARLIEST <= moment <= LATEST:
            raise ValidationError(
                f"occurredAt {raw!r} is not a valid timestamp: use ISO-8601 (2026-01-20T21:14:16.512Z) or epoch "
                f"milliseconds between {EARLIEST.year} and {LATEST.year}",
                context={"occurredAt": [str(raw)]},
            )
        return moment

    def _properties(self, raw: Mapping[str, Scalar], definition: EventDefinition) -> dict[str, str]:
        if len(raw) > MAX_PROPERTIES:
            raise ValidationError(
                f"An event occurrence can carry at most {MAX_PROPERTIES} properties, got {len(raw)}",
                context={"properties": [str(len(raw))]},
            )
        known = definition.properties
        clean: dict[str, str] = {}
        problems: list[PropertyValueError] = []
        for name, value in raw.items():
            prop = known.get(name)
            if prop is None:
                problems.append(PropertyValueError(name, "PROPERTY_DOESNT_EXIST", f'Property "{name}" does not exist'))
                continue
            limit = LONG_VALUE_LIMIT if name in LONG_VALUE_PROPERTIES else VALUE_LIMIT
            if len(as_text(value)) > limit:
                problems.append(
                    PropertyValueError(name, "INVALID_STRING_LENGTH", f"{name} is longer than {limit} characters")
                )
                continue
            result = coerce(prop, value, None)
            if isinstance(result, PropertyValueError):
                problems.append(result)
            elif result:
                clean[prop.name] = result
        if problems:
            raise invalid_property_values(problems, self._portal_id)
        return clean


def live_id(store: ObjectStore, key: str, *, id_property: str | None = None) -> str | None:
    """The id of the live record `key` names (a merged-away id names the record it went into), or None."""
    try:
        return store.get(key, id_property=id_property).id
    except ObjectNotFound:
        return None


def matching_record(store: ObjectStore, name: str, value: str) -> str | None:
    """The live record whose property `name` holds `value` (by its index when the property is unique)."""
    definition = store.properties.definition(name)
    if name in store.type.lookup_properties or (definition is not None and definition.has_unique_value):
        return live_id(store, value, id_property=name)
    return next((r.id for r in store.records() if r.values.get(name) == value), None)
