"""The generic CRM object store: records with typed properties and their history, one store per object type."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from simulator.batch import BatchResult, check_batch_size, check_unique_ids, partial_success_allowed
from simulator.crm.inputs import BatchRead, BatchUpdateInput, ObjectCreate, PropertyValues
from simulator.crm.object_types import ObjectType
from simulator.crm.properties import PropertyDefinition, PropertyStore
from simulator.errors import Conflict, HubSpotError, ObjectNotFound, PropertyValueError, ValidationError
from simulator.wire import iso

API = "API"
CALCULATED = "CALCULATED"
HISTORY_PAGE_LIMIT = 50  # HubSpot: reads with propertiesWithHistory return at most 50 records a page
LIST_PAGE_LIMIT = 100


class Record:
    """One CRM object. `versions` holds each write's changes, oldest first: the source of property history."""

    __slots__ = ("id", "values", "versions", "created_at", "updated_at", "archived", "archived_at")

    def __init__(self, object_id: str, values: dict[str, str], at: datetime, source: str):
        self.id = object_id
        self.values = values
        self.versions: list[tuple[datetime, str, dict[str, str]]] = [(at, source, dict(values))]
        self.created_at = self.updated_at = at
        self.archived = False
        self.archived_at: datetime | None = None

    def history(self, name: str) -> list[tuple[str, datetime, str]]:
        return [(changes[name], at, source) for at, source, changes in reversed(self.versions) if name in changes]


class ObjectStore:
    def __init__(
        self,
        object_type: ObjectType,
        properties: PropertyStore,
        *,
        lock: threading.RLock,
        now: Callable[[], datetime],
        next_id: Callable[[], int],
        portal_id: int,
        check_external: Callable[[PropertyDefinition, str], PropertyValueError | None] | None = None,
    ):
        self.type = object_type
        self.properties = properties
        self._lock = lock
        self._now = now
        self._next_id = next_id
        self._portal_id = portal_id
        self._check_external = check_external
        self._records: dict[str, Record] = {}
        self._order: list[int] = []  # every record id, ascending: list paging bisects it
        self._unique: dict[str, dict[str, str]] = {}  # property -> value -> id, live records only
        # Told of every record created, updated or archived, under the portal lock (the search index follows them).
        self.listeners: list[Callable[[Record], None]] = []

    def __len__(self) -> int:
        return sum(1 for r in self._records.values() if not r.archived)

    # --- reads -------------------------------------------------------------------------------------------------

    def get(self, object_id: str, *, id_property: str | None = None, archived: bool = False) -> Record:
        record = self._find(object_id, id_property, archived=archived)
        if record is None:
            raise ObjectNotFound.for_id(object_id)
        return record

    def _find(self, object_id: str, id_property: str | None, *, archived: bool = False) -> Record | None:
        if id_property and id_property != "hs_object_id":
            self._check_id_property(id_property)
            key = object_id.lower() if id_property == "email" else object_id
            found = self._unique.get(id_property, {}).get(key)
            record = self._records.get(found) if found else None
        else:
            record = self._records.get(object_id)
        if record is None or record.archived != archived:
            return None
        return record

    def _check_id_property(self, id_property: str) -> None:
        definition = self.properties.definition(id_property)
        if definition is None or not definition.has_unique_value:
            raise ValidationError(f"{id_property} is not a unique property of {self.type.name}; it cannot be an idProperty")

    def page(self, *, limit: int, after: str | None, archived: bool) -> tuple[list[Record], str | None]:
        """A page in id order; the cursor is the id of the next record, as HubSpot's is."""
        start = bisect.bisect_left(self._order, int(after)) if after else 0
        page: list[Record] = []
        for position in range(start, len(self._order)):
            record = self._records.get(str(self._order[position]))
            if record is None or record.archived != archived:
                continue
            if len(page) == limit:
                return page, record.id
            page.append(record)
        return page, None

    def batch_read(self, request: BatchRead, *, archived: bool) -> BatchResult:
        """Found records in `results`; the missing ids in one OBJECT_NOT_FOUND error (a 207)."""
        check_batch_size(request.inputs)
        if request.id_property and request.id_property != "hs_object_id":
            self._check_id_property(request.id_property)
        started, results, missing = self._now(), [], []
        for object_id in dict.fromkeys(i.id for i in request.inputs):
            record = self._find(object_id, request.id_property, archived=archived)
            if record is None:
                missing.append(object_id)
                continue
            results.append(
                self.view(record, properties=request.properties, with_history=request.properties_with_history)
            )
        errors = []
        if missing:
            kind = self.type.singular.upper()
            message = f"Could not get some {kind} objects, they may be deleted or not exist. Check that ids are valid."
            errors.append(ObjectNotFound(message).as_batch_error({"ids": missing}))
        return BatchResult(started, self._now(), results, errors)

    # --- writes ------------------------------------------------------------------------------------------------

    def create(self, request: ObjectCreate) -> Record:
        if request.associations:
            raise ValidationError("Associations on create are not simulated yet")
        with self._lock:
            return self._apply_create(self._plan_create(request.properties, claimed={}))

    def update(self, object_id: str, values: PropertyValues, *, id_property: str | None = None) -> Record:
        with self._lock:
            record = self.get(object_id, id_property=id_property)
            return self._apply_update(record, self._plan_update(record, values, claimed={}))

    def archive(self, object_id: str) -> None:
        """Archiving an unknown or archived id succeeds, as HubSpot's DELETE does (204 either way)."""
        with self._lock:
            record = self._records.get(object_id)
            if record is not None and not record.archived:
                self._archive(record)

    def batch_create(self, inputs: Sequence[ObjectCreate]) -> BatchResult:
        check_batch_size(inputs)
        if any(i.associations for i in inputs):
            raise ValidationError("Associations on create are not simulated yet")
        with self._lock:
            started, claimed = self._now(), {}
            plans, errors = self._plan_each(
                inputs, lambda i: self._plan_create(i.properties, claimed), [i.object_write_trace_id for i in inputs]
            )
            records = [self._apply_create(plan) for plan in plans]
            return self._result(started, records, errors, success_status=201)

    def batch_update(self, inputs: Sequence[BatchUpdateInput]) -> BatchResult:
        check_batch_size(inputs)
        check_unique_ids([i.id for i in inputs])
        with self._lock:
            started, claimed = self._now(), {}

            def plan(item: BatchUpdateInput) -> tuple[Record, dict[str, str]]:
                record = self.get(item.id, id_property=item.id_property)
                return record, self._plan_update(record, item.properties, claimed)

            plans, errors = self._plan_each(inputs, plan, [i.object_write_trace_id for i in inputs])
            records = [self._apply_update(record, changes) for record, changes in plans]
            return self._result(started, records, errors)

    def batch_upsert(self, inputs: Sequence[BatchUpdateInput]) -> BatchResult:
        """Create or update by a unique property; each result says whether it is `new`."""
        check_batch_size(inputs)
        check_unique_ids([i.id for i in inputs])
        for item in inputs:
            if not item.id_property:
                raise ValidationError("Upsert inputs need an idProperty naming a unique property")
            self._check_id_property(item.id_property)
        trace_ids = [i.object_write_trace_id for i in inputs]
        # HubSpot: "Partial upserts are not supported when using email as the idProperty".
        if any(i.id_property == "email" for i in inputs):
            trace_ids = [None]
        with self._lock:
            started, claimed = self._now(), {}

            def plan(item: BatchUpdateInput) -> tuple[Record | None, dict[str, str]]:
                record = self._find(item.id, item.id_property)
                if record is not None:
                    return record, self._plan_update(record, item.properties, claimed)
                values = {**item.properties, item.id_property: item.id}
                return None, self._plan_create(values, claimed)

            plans, errors = self._plan_each(inputs, plan, trace_ids)
            results = []
            for record, changes in plans:
                is_new = record is None
                written = self._apply_create(changes) if is_new else self._apply_update(record, changes)
                results.append({**self.view(written, full=True), "new": is_new})
            return BatchResult(started, self._now(), results, errors)

    def batch_archive(self, ids: Sequence[str]) -> None:
        check_batch_size(ids)
        with self._lock:
            for object_id in ids:
                self.archive(object_id)

    def _plan_each(self, inputs: Sequence[Any], plan: Callable[[Any], Any], trace_ids: Sequence[str | None]):
        """Validate every input before anything is written; fail the lot unless partial success is allowed."""
        partial = partial_success_allowed(trace_ids)
        plans, errors = [], []
        for item in inputs:
            try:
                plans.append(plan(item))
            except HubSpotError as exc:
                if not partial:
                    raise
                errors.append(exc.as_batch_error({"objectWriteTraceId": [item.object_write_trace_id]}))
        return plans, errors

    def _result(self, started: datetime, records: Iterable[Record], errors: list, *, success_status: int = 200):
        return BatchResult(
            started, self._now(), [self.view(r, full=True) for r in records], errors, success_status=success_status
        )

    def _plan_create(self, values: PropertyValues, claimed: dict[tuple[str, str], int]) -> dict[str, str]:
        clean = self.properties.validate_values(
            values, current={}, portal_id=self._portal_id, check_external=self._check_external
        )
        clean = {k: v for k, v in clean.items() if v != ""}
        self._claim_unique(None, clean, claimed)
        return clean

    def _plan_update(self, record: Record, values: PropertyValues, claimed: dict) -> dict[str, str]:
        clean = self.properties.validate_values(
            values, current=record.values, portal_id=self._portal_id, check_external=self._check_external
        )
        changes = {k: v for k, v in clean.items() if record.values.get(k, "") != v}
        self._claim_unique(record, changes, claimed)
        return changes

    def _claim_unique(self, record: Record | None, values: dict[str, str], claimed: dict) -> None:
        for name in self.properties.unique_names():
            value = values.get(name)
            if not value or name == "hs_object_id":
                continue
            key = value.lower() if name == "email" else value
            owner = self._unique.get(name, {}).get(key)
            if owner is not None and (record is None or owner != record.id):
                raise Conflict(f"{self.type.label} already exists. Existing ID: {owner}")
            if (name, key) in claimed:
                raise ValidationError(f"Two inputs of this batch give {name} the same value {value}")
            claimed[(name, key)] = 1

    def _apply_create(self, values: dict[str, str]) -> Record:
        now = self._now()
        object_id = str(self._next_id())
        stamp = iso(now)
        values = {**values, **self._derived(values)}
        values.setdefault("createdate", stamp)
        values.update({self.type.modified_property: stamp, "hs_object_id": object_id})
        record = Record(object_id, values, now, API)
        self._records[object_id] = record
        self._order.append(int(object_id))
        self._index(record, values)
        self._notify(record)
        return record

    def _apply_update(self, record: Record, changes: dict[str, str]) -> Record:
        if not changes:
            return record
        now = self._now()
        changes = {**changes, **self._derived(changes), self.type.modified_property: iso(now)}
        self._unindex(record, changes)
        for name, value in changes.items():
            if value == "":
                record.values.pop(name, None)
            else:
                record.values[name] = value
        record.versions.append((now, API, changes))
        record.updated_at = now
        self._index(record, changes)
        self._notify(record)
        return record

    def _archive(self, record: Record) -> None:
        self._unindex(record, record.values)
        record.archived, record.archived_at = True, self._now()
        self._notify(record)

    def _notify(self, record: Record) -> None:
        for listener in self.listeners:
            listener(record)

    def _derived(self, changes: dict[str, str]) -> dict[str, str]:
        if self.type.name == "contacts" and "email" in changes:
            return {"hs_email_domain": changes["email"].partition("@")[2]}
        return {}

    def _index(self, record: Record, changed: dict[str, str]) -> None:
        for name in self.properties.unique_names():
            value = changed.get(name)
            if value and name != "hs_object_id":
                self._unique.setdefault(name, {})[value.lower() if name == "email" else value] = record.id

    def _unindex(self, record: Record, changed: dict[str, str]) -> None:
        for name in self.properties.unique_names():
            old = record.values.get(name)
            if name in changed and old:
                self._unique.get(name, {}).pop(old.lower() if name == "email" else old, None)

    # --- the wire shape ----------------------------------------------------------------------------------------

    def view(
        self,
        record: Record,
        *,
        properties: Sequence[str] | None = None,
        with_history: Sequence[str] = (),
        full: bool = False,
    ) -> dict[str, Any]:
        """SimplePublicObject: every value on `full` (write responses), else the named or default properties."""
        if full:
            shown: dict[str, str | None] = dict(sorted(record.values.items()))
        else:
            names = list(properties) if properties else list(self.type.default_properties)
            names += [n for n in self.type.always_returned if n not in names]
            shown = {n: record.values.get(n) for n in sorted(names) if self.properties.definition(n) is not None}
        body: dict[str, Any] = {
            "id": record.id,
            "properties": shown,
            "createdAt": iso(record.created_at),
            "updatedAt": iso(record.updated_at),
            "archived": record.archived,
        }
        if record.archived_at is not None:
            body["archivedAt"] = iso(record.archived_at)
        if with_history:
            body["propertiesWithHistory"] = {
                name: [self._history_entry(name, value, at, source) for value, at, source in record.history(name)]
                for name in with_history
                if self.properties.definition(name) is not None
            }
        return body

    def _history_entry(self, name: str, value: str, at: datetime, source: str) -> dict[str, str]:
        definition = self.properties.definition(name)
        calculated = definition is not None and definition.calculated
        return {"value": value, "timestamp": iso(at), "sourceType": CALCULATED if calculated else source}
