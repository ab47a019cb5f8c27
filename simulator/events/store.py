"""EventStore: one portal's custom event definitions and occurrences (`portal.events`).

Definitions are known by their short name, their fully qualified name `pe{portalId}_{name}` or their objectTypeId
`6-<n>`. Each recorded occurrence is published on the portal's change feed as `EventOccurred`, after it is stored and
under the portal lock, so lists and workflows see it before the send is answered.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from simulator.crm.inputs import ObjectCreate
from simulator.crm.object_types import UnknownObjectType, resolve
from simulator.crm.stores import CrmStores
from simulator.errors import AlreadyExists, ObjectNotFound, ValidationError
from simulator.events.definitions import (
    PRIMARY_OBJECTS,
    PROPERTY_LIMIT,
    EventDefinition,
    EventDefinitionCreate,
    EventDefinitionPatch,
    EventPropertyCreate,
    EventPropertyPatch,
    check_name,
    default_properties,
    event_property,
    name_from_label,
    patched_property,
)
from simulator.events.occurrences import Key, Occurrence, Timelines, keep_filter
from simulator.events.send import SEND_BATCH_LIMIT, EventSend, PlannedSend, SendPlanner, UnknownEmail, live_id
from simulator.feed import EventOccurred, OccurrencesDropped, RecordChanged
from simulator.wire import cursor

DEFINITION_LIMIT = 500  # HubSpot: 500 event definitions per account
# HubSpot's documented ceiling is 30 million occurrences a month per account; hubsim keeps at most this many per
# portal (the `eventStorageLimit` setting), dropping the oldest beyond it.
STORAGE_CEILING = 30_000_000
DEFAULT_STORAGE_LIMIT = 1_000_000


class EventSettings(Protocol):
    event_storage_limit: int
    event_unknown_email: UnknownEmail


class EventStore:
    def __init__(self, portal_id: int, lock: threading.RLock, now: Callable[[], datetime], crm: CrmStores,
                 settings: EventSettings):  # fmt: skip
        self.portal_id = portal_id
        self._lock = lock
        self._now = now
        self._crm = crm
        self._settings = settings
        self._feed = crm.feed
        self._definitions: dict[str, EventDefinition] = {}  # by short name
        self._by_type_id: dict[str, EventDefinition] = {}
        self._deleted_names: set[str] = set()  # HubSpot: a deleted event's name cannot be used again
        self._next_id = 1
        self._timelines = Timelines()
        self._utks: dict[str, str] = {}  # a visitor's usertoken -> the contact an identified send tied it to
        self.dropped = 0  # occurrences dropped past the storage bound
        self.anonymous = 0  # occurrences of visitors no contact is known for
        self._feed.subscribe(self._record_changed, RecordChanged)

    # --- definitions: reads --------------------------------------------------------------------------------------

    def definition(self, key: str) -> EventDefinition | None:
        """The live definition a short name, a fully qualified name or an objectTypeId ("6-...") names."""
        if key.startswith("6-"):
            return self._by_type_id.get(key)
        prefix = f"pe{self.portal_id}_"
        return self._definitions.get(key.removeprefix(prefix) if key.startswith(prefix) else key)

    def get_definition(self, key: str) -> EventDefinition:
        found = self.definition(key)
        if found is None:
            raise ObjectNotFound(f"Event definition {key} does not exist", context={"eventName": [key]})
        return found

    def definitions(self, *, search: str | None, after: str | None, limit: int,
                    descending: bool) -> tuple[list[EventDefinition], int, str | None]:  # fmt: skip
        """A page of definitions in creation order (or its reverse), the total matching, and the next cursor."""
        needle = (search or "").lower()
        with self._lock:
            found = [d for d in self._definitions.values() if needle in d.name or needle in d.label.lower()]
        found.sort(key=lambda d: int(d.id), reverse=descending)
        start = cursor(after) or 0
        page = found[start : start + limit]
        more = start + limit < len(found)
        return page, len(found), str(start + limit) if more else None

    def event_types(self) -> list[str]:
        with self._lock:
            return sorted(d.fully_qualified_name for d in self._definitions.values())

    # --- definitions: writes -------------------------------------------------------------------------------------

    def create_definition(self, request: EventDefinitionCreate) -> EventDefinition:
        with self._lock:
            name = request.name if request.name is not None else self._free_name(name_from_label(request.label))
            check_name(name, "Event name")
            if name in self._definitions:
                raise AlreadyExists(f"An event named {name} already exists", context={"name": [name]})
            if name in self._deleted_names:
                raise ValidationError(
                    f"The event name {name} belonged to a deleted event and cannot be used again",
                    context={"name": [name]},
                )
            primary = request.primary_object.upper()
            if primary not in PRIMARY_OBJECTS:
                raise ValidationError(
                    f"primaryObject {request.primary_object} is not one hubsim records events on: use one of "
                    f"{', '.join(PRIMARY_OBJECTS)}",
                    context={"primaryObject": [request.primary_object]},
                )
            if len(self._definitions) >= DEFINITION_LIMIT:
                raise ValidationError(f"A portal can have at most {DEFINITION_LIMIT} event definitions")
            now = self._now()
            custom = self._plan_properties(request.property_definitions, {}, now)
            definition = EventDefinition(
                id=str(self._next_id), name=name, fully_qualified_name=f"pe{self.portal_id}_{name}",
                label=request.label, description=request.description, primary_object=primary,
                include_default_properties=request.include_default_properties, custom=custom, created_at=now,
                updated_at=now, custom_matching_id=request.custom_matching_id,
                defaults=default_properties(now) if request.include_default_properties else {},
            )  # fmt: skip
            self._check_matching(definition)
            self._next_id += 1
            self._add_definition(definition)
            return definition

    def _check_matching(self, definition: EventDefinition) -> None:
        """A customMatchingId names one of the event's properties and a property of its primary object."""
        if definition.custom_matching_id is None:
            return
        rule = definition.custom_matching_id.primary_object_rule
        if rule.event_property_name not in definition.properties:
            raise ValidationError(
                f"customMatchingId: the event has no property {rule.event_property_name}",
                context={"eventPropertyName": [rule.event_property_name]},
            )
        if self._crm.properties[definition.object_type].definition(rule.target_object_property_name) is None:
            raise ValidationError(
                f"customMatchingId: {definition.object_type} have no property {rule.target_object_property_name}",
                context={"targetObjectPropertyName": [rule.target_object_property_name]},
            )

    def update_definition(self, key: str, patch: EventDefinitionPatch) -> EventDefinition:
        """Label, description, templates and the custom properties' labels, descriptions, options and order."""
        with self._lock:
            definition = self.get_definition(key)
            changes = patch.changes()
            now = self._now()
            custom = dict(definition.custom)
            for entry in changes.pop("property_order", []):
                current = custom.get(entry.name)
                if current is None:
                    raise ObjectNotFound(
                        f"Event {definition.name} has no property {entry.name}", context={"propertyName": [entry.name]}
                    )
                custom[entry.name] = patched_property(current, entry.changes(), now)
            for field, value in changes.items():
                setattr(definition, field, value)
            definition.custom = custom
            definition.updated_at = now
            return definition

    def archive_definition(self, key: str) -> None:
        """The definition goes, and every occurrence of it; its name is never given out again."""
        with self._lock:
            definition = self.get_definition(key)
            del self._definitions[definition.name]
            del self._by_type_id[definition.object_type_id]
            self._deleted_names.add(definition.name)
            self._timelines.remove_type(definition.object_type_id)

    def add_property(self, key: str, request: EventPropertyCreate) -> Any:
        with self._lock:
            definition = self.get_definition(key)
            now = self._now()
            added = self._plan_properties([request], definition.custom, now)
            definition.custom = {**definition.custom, **added}
            definition.updated_at = now
            return next(iter(added.values()))

    def update_property(self, key: str, name: str, patch: EventPropertyPatch) -> Any:
        with self._lock:
            definition = self.get_definition(key)
            current = self._custom_property(definition, name)
            now = self._now()
            updated = patched_property(current, patch.changes(), now)
            definition.custom = {**definition.custom, name: updated}
            definition.updated_at = now
            return updated

    def archive_property(self, key: str, name: str) -> None:
        """Occurrences recorded before keep the values they carried."""
        with self._lock:
            definition = self.get_definition(key)
            self._custom_property(definition, name)
            definition.custom = {k: v for k, v in definition.custom.items() if k != name}
            definition.updated_at = self._now()

    def _custom_property(self, definition: EventDefinition, name: str) -> Any:
        found = definition.custom.get(name)
        if found is None:
            raise ObjectNotFound(
                f"Event {definition.name} has no custom property {name}", context={"propertyName": [name]}
            )
        return found

    def _plan_properties(self, requests: Sequence[EventPropertyCreate], existing: dict[str, Any],
                         now: datetime) -> dict[str, Any]:  # fmt: skip
        if len(existing) + len(requests) > PROPERTY_LIMIT:
            raise ValidationError(
                f"An event definition can have at most {PROPERTY_LIMIT} custom properties, got "
                f"{len(existing) + len(requests)}"
            )
        planned: dict[str, Any] = {}
        for request in requests:
            prop = event_property(request, now, len(existing) + len(planned))
            if prop.name in existing or prop.name in planned:
                raise AlreadyExists(f"Event property {prop.name} already exists", context={"name": [prop.name]})
            planned[prop.name] = prop
        return planned

    def _free_name(self, base: str) -> str:
        """A generated name that no event has (or had): HubSpot numbers a repeated label."""
        name, n = base, 1
        while name in self._definitions or name in self._deleted_names:
            n += 1
            suffix = f"_{n}"
            name = base[: 50 - len(suffix)] + suffix
        return name

    def _add_definition(self, definition: EventDefinition) -> None:
        self._definitions[definition.name] = definition
        self._by_type_id[definition.object_type_id] = definition

    # --- occurrences ---------------------------------------------------------------------------------------------

    def send(self, inputs: Sequence[EventSend]) -> None:
        """Record every input, or none: all are checked first (HubSpot answers 204 either way for what it keeps)."""
        if not inputs:
            raise ValidationError("Batch input must not be empty")
        if len(inputs) > SEND_BATCH_LIMIT:
            raise ValidationError(f"Batch input must have at most {SEND_BATCH_LIMIT} inputs, got {len(inputs)}")
        with self._lock:
            planner = SendPlanner(
                definition=self.definition, objects=self._crm.objects, utks=self._utks, now=self._now(),
                portal_id=self.portal_id, unknown_email=self._settings.event_unknown_email,
            )  # fmt: skip
            plans = [planner.plan(item) for item in inputs]
            for plan in plans:
                self._record(plan)

    def _record(self, plan: PlannedSend) -> None:
        definition = plan.definition
        type_id = definition.object_type_id
        if self._timelines.has(type_id, plan.id):
            return  # HubSpot keeps the first occurrence of a uuid and drops the repeats
        object_id = plan.object_id
        if object_id is None and plan.create_email is not None:
            contacts = self._crm.objects("contacts")
            try:
                object_id = contacts.get(plan.create_email, id_property="email").id  # created earlier in the batch
            except ObjectNotFound:
                object_id = contacts.create(ObjectCreate(properties={"email": plan.create_email})).id
        if object_id is None:
            self.anonymous += 1
            return
        if plan.utk:
            self._utks[plan.utk] = object_id
        occurrence = Occurrence(plan.id, type_id, definition.fully_qualified_name, definition.object_type, object_id,
                                plan.occurred_at, plan.properties, self._timelines.next_seq())  # fmt: skip
        self._timelines.add(occurrence)
        if occurrence not in self.trim():  # an occurrence older than all the bound keeps is dropped at once
            self._feed.publish(EventOccurred(type_id, definition.fully_qualified_name, definition.object_type,
                                             object_id, plan.occurred_at, plan.properties))  # fmt: skip

    def trim(self) -> list[Occurrence]:
        """Drop the oldest occurrences past the portal's bound (counted in /_sim/usage); those dropped. Each record
        that lost some is told on the feed, once per event type (a list counting them re-evaluates it)."""
        if len(self._timelines) <= self._settings.event_storage_limit:
            return []  # every send asks: within the bound needs neither the lock nor the clock
        gone: list[Occurrence] = []
        with self._lock:
            while len(self._timelines) > self._settings.event_storage_limit:
                oldest = self._timelines.drop_oldest()
                if oldest is None:
                    break
                gone.append(oldest)
            self.dropped += len(gone)
            now = self._now()
            for type_id, object_type, object_id in dict.fromkeys((o.event_type_id, o.object_type, o.object_id)
                                                                 for o in gone):  # fmt: skip
                self._feed.publish(OccurrencesDropped(type_id, object_type, object_id, now))
        return gone

    def timeline(self, object_type: str, object_id: str, event_type_id: str) -> Sequence[Occurrence]:
        """One record's occurrences of one event type, oldest first. Read under the portal lock; never change it."""
        return self._timelines.timeline(object_type, object_id, event_type_id)

    def occurrences(self, *, object_type: str | None, object_id: str | None, email: str | None,
                    event_type: str | None, occurred_after: datetime | None, occurred_before: datetime | None,
                    descending: bool, after: Key | None, limit: int, ids: Sequence[str] | None = None,
                    properties: dict[str, str] | None = None) -> tuple[list[Occurrence], Key | None]:  # fmt: skip
        """A page of occurrences (GET /events/v3/events); an unknown event type or record has none. `ids` and
        `properties` (name -> value) narrow it further."""
        with self._lock:
            store = self._recorded_type(object_type) if object_type is not None else None
            record = None
            if object_id is not None or email is not None:
                store = store or "contacts"
                records = self._crm.objects(store)
                found = (
                    live_id(records, object_id) if object_id is not None
                    else live_id(records, email or "", id_property="email")
                )  # fmt: skip
                if found is None:
                    return [], None
                record = (store, found)
            types = None
            if event_type is not None or store is not None:
                wanted = self.definition(event_type) if event_type is not None else None
                types = [
                    d.object_type_id for d in self._definitions.values()
                    if (store is None or d.object_type == store) and (event_type is None or d is wanted)
                ]  # fmt: skip
            return self._timelines.select(
                record=record, event_type_ids=types, occurred_after=occurred_after, occurred_before=occurred_before,
                start=after, descending=descending, limit=limit, keep=keep_filter(ids, properties),
            )  # fmt: skip

    @staticmethod
    def _recorded_type(name: str) -> str:
        """The CRM store of an objectType query value (contact, CONTACT, contacts, 0-1...)."""
        try:
            found = resolve(name).name
        except UnknownObjectType:
            found = None
        if found not in PRIMARY_OBJECTS.values():
            raise ValidationError(
                f"objectType {name} is not one events are recorded on: use contact, company or deal",
                context={"objectType": [name]},
            )
        return found

    def usage(self) -> dict[str, Any]:
        return {
            "stored": len(self._timelines),
            "storageLimit": self._settings.event_storage_limit,
            "dropped": self.dropped,
            "anonymous": self.anonymous,
            "definitions": len(self._definitions),
        }

    def _record_changed(self, change: RecordChanged) -> None:
        if change.change == "merged" and change.merged_into is not None:
            self._timelines.move(change.object_type, change.object_id, change.merged_into)
        elif change.change == "deleted":
            self._timelines.remove_record(change.object_type, change.object_id)

    # --- snapshots -----------------------------------------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        return {
            "nextId": self._next_id,
            "deletedNames": sorted(self._deleted_names),
            "definitions": [d.export() for d in self._definitions.values()],
            "occurrences": [o.export() for o in self._timelines.all()],
            "utks": dict(sorted(self._utks.items())),
            "dropped": self.dropped,
            "anonymous": self.anonymous,
        }

    def restore(self, data: dict[str, Any]) -> None:
        """Fill a fresh store from an export (raises on a malformed one; the caller turns that into its error)."""
        next_id = data["nextId"]
        if not isinstance(next_id, int) or isinstance(next_id, bool) or next_id < 1:
            raise ValueError("nextId must be a positive integer")
        for raw in data["definitions"]:
            definition = EventDefinition.restore(raw, self.portal_id)
            if definition.name in self._definitions or int(definition.id) >= next_id:
                raise ValueError(f"event definition {definition.name} is repeated or has an id past nextId")
            self._add_definition(definition)
        self._next_id = next_id
        self._deleted_names = {str(n) for n in data["deletedNames"]}
        for raw in data["occurrences"]:
            self._timelines.add(self._restored_occurrence(raw))
        self._utks = {str(k): str(v) for k, v in dict(data["utks"]).items()}
        self.dropped, self.anonymous = int(data["dropped"]), int(data["anonymous"])

    def _restored_occurrence(self, raw: dict[str, Any]) -> Occurrence:
        definition = self._by_type_id.get(raw["eventTypeId"])
        if definition is None:
            raise ValueError(f"occurrence {raw['id']} is of unknown event type {raw['eventTypeId']}")
        if raw["objectType"] != definition.object_type or not self._crm.objects(raw["objectType"]).has(
            str(raw["objectId"])
        ):
            raise ValueError(f"occurrence {raw['id']} is on an unknown record {raw['objectType']}/{raw['objectId']}")
        at = datetime.fromisoformat(raw["occurredAt"])
        if at.tzinfo is None:
            raise ValueError(f"occurrence {raw['id']}: occurredAt needs a time zone")
        properties = {str(k): str(v) for k, v in dict(raw["properties"]).items()}
        return Occurrence(str(raw["id"]), definition.object_type_id, definition.fully_qualified_name,
                          definition.object_type, str(raw["objectId"]), at, properties,
                          self._timelines.next_seq())  # fmt: skip
