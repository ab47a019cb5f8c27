"""The generic CRM object store: records with typed properties and their history, one store per object type.

Records live in `simulator.crm.records` (its docstring explains their memory layout). Associations live in an
AssociationStore shared by the portal's object stores; a store consults it for associations on create and on read.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from simulator.batch import BatchResult, check_batch_size, check_unique_ids, partial_success_allowed
from simulator.crm.association_kinds import AssociationKind, invalid_type
from simulator.crm.associations import AssociationStore
from simulator.crm.inputs import AssociationInput, BatchRead, BatchUpdateInput, ObjectCreate, PropertyValues
from simulator.crm.merging import MergeAndDelete
from simulator.crm.object_types import ObjectType, UnknownObjectType, resolve
from simulator.crm.properties import PropertyDefinition, PropertyStore
from simulator.crm.records import API, Record
from simulator.errors import (
    Conflict,
    HubSpotError,
    ObjectNotFound,
    PropertyValueError,
    ValidationError,
    invalid_property_values,
)
from simulator.feed import ChangeFeed, RecordChange, RecordChanged
from simulator.wire import cursor, is_decimal_id, iso

CALCULATED = "CALCULATED"
HISTORY_PAGE_LIMIT = 50  # HubSpot: reads with propertiesWithHistory return at most 50 records a page
LIST_PAGE_LIMIT = 100
# Values a write calculates from the record and its changes (a deal's stage decides whether it is closed).
Calculate = Callable[[Mapping[str, str], Mapping[str, str], datetime], dict[str, str]]
CheckExternal = Callable[[PropertyDefinition, str], PropertyValueError | None]
Links = list[tuple[ObjectType, str, list[AssociationKind]]]


class ObjectStore(MergeAndDelete):
    def __init__(
        self,
        object_type: ObjectType,
        properties: PropertyStore,
        *,
        lock: threading.RLock,
        now: Callable[[], datetime],
        next_id: Callable[[], int],
        portal_id: int,
        check_external: CheckExternal | None = None,
        associations: AssociationStore | None = None,
        resolve_type: Callable[[str], ObjectType] | None = None,
        calculate: Calculate | None = None,
        feed: ChangeFeed | None = None,
    ):
        self.type = object_type
        self.properties = properties
        self._lock = lock
        self._now = now
        self._next_id = next_id
        self._portal_id = portal_id
        self._check_external = check_external
        self.associations = associations
        self._resolve_type = resolve_type
        self._calculate = calculate
        self._feed = feed or ChangeFeed()
        self._records: dict[str, Record] = {}
        self._order: list[int] = []  # every record id, ascending: list paging bisects it
        self._unique: dict[str, dict[str, str]] = {}  # property -> value -> id, live records only
        self._lookup: dict[str, dict[str, list[int]]] = {}  # lookup property -> value -> live ids, ascending
        self._merged: dict[str, str] = {}  # a merged-away id -> the id of the record it was merged into
        # Told of every record created, updated or archived, under the portal lock (the search index follows them).
        # A record merged away or deleted for good is told as archived; it is gone from the store afterwards.
        self.listeners: list[Callable[[Record], None]] = []

    def __len__(self) -> int:
        return sum(1 for r in self._records.values() if not r.archived)

    # --- reads -------------------------------------------------------------------------------------------------

    def get(self, object_id: str, *, id_property: str | None = None, archived: bool = False) -> Record:
        record = self._find(object_id, id_property, archived=archived)
        if record is None:
            raise ObjectNotFound.for_id(object_id)
        return record

    def records(self, *, archived: bool = False) -> Iterator[Record]:
        """Every live (or archived) record, in no particular order."""
        return (r for r in self._records.values() if r.archived == archived)

    def resolve_type(self, name: str) -> ObjectType:
        """Another object type as a path or filter names it (the portal's custom objects too)."""
        return (self._resolve_type or resolve)(name)

    def has(self, object_id: str) -> bool:
        """Whether the record is here, live or archived."""
        return object_id in self._records

    def exists(self, object_id: str) -> bool:
        record = self._records.get(object_id)
        return record is not None and not record.archived

    def _find(self, object_id: str, id_property: str | None, *, archived: bool = False) -> Record | None:
        if id_property and id_property != "hs_object_id":
            self._check_id_property(id_property)
            key = self.type.key(id_property, object_id)
            if id_property in self.type.lookup_properties:
                found = self._lookup.get(id_property, {}).get(key)
                object_id = str(found[0]) if found else ""
            else:
                object_id = self._unique.get(id_property, {}).get(key, "")
        record = self._records.get(self._merged.get(object_id, object_id))
        if record is None or record.archived != archived:
            return None
        return record

    def _check_id_property(self, id_property: str) -> None:
        if id_property in self.type.lookup_properties:
            return
        definition = self.properties.definition(id_property)
        if definition is None or not definition.has_unique_value:
            raise ValidationError(
                f"{id_property} is not a unique property of {self.type.name}; it cannot be an idProperty"
            )

    def page(self, *, limit: int, after: str | None, archived: bool) -> tuple[list[Record], str | None]:
        """A page in id order; the cursor is the id of the next record, as HubSpot's is."""
        start = bisect.bisect_left(self._order, cursor(after) or 0)
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
        with self._lock:
            values = self._plan_create(request.properties, claimed={})
            links = self._plan_links(request.associations)
            return self._apply_create(values, links)

    def update(self, object_id: str, values: PropertyValues, *, id_property: str | None = None) -> Record:
        with self._lock:
            record = self.get(object_id, id_property=id_property)
            return self._apply_update(record, self._plan_update(record, values, claimed={}))

    def archive(self, object_id: str) -> None:
        """Archiving an unknown or archived id succeeds, as HubSpot's DELETE does (204 either way)."""
        with self._lock:
            record = self._records.get(self._merged.get(object_id, object_id))
            if record is not None and not record.archived:
                self._archive(record)

    def batch_create(self, inputs: Sequence[ObjectCreate]) -> BatchResult:
        check_batch_size(inputs)
        with self._lock:
            started, claimed = self._now(), {}
            plans, errors = self._plan_each(
                inputs,
                lambda i: (self._plan_create(i.properties, claimed), self._plan_links(i.associations)),
                [i.object_write_trace_id for i in inputs],
            )
            records = [self._apply_create(values, links) for values, links in plans]
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
        """Create or update by a unique (or lookup) property; each result says whether it is `new`."""
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
                written = self._apply_create(changes, []) if is_new else self._apply_update(record, changes)
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
        if self._calculate is not None:
            clean.update(self._calculate({}, clean, self._now()))
        clean = {k: v for k, v in clean.items() if v != ""}
        missing = [n for n in self.type.required_properties if n not in clean]
        if missing:
            problems = [PropertyValueError(n, "REQUIRED_PROPERTY", f"{n} is required") for n in missing]
            raise invalid_property_values(problems, self._portal_id)
        self._claim_unique(None, clean, claimed)
        return clean

    def _plan_update(self, record: Record, values: PropertyValues, claimed: dict) -> dict[str, str]:
        clean = self.properties.validate_values(
            values, current=record.values, portal_id=self._portal_id, check_external=self._check_external
        )
        changes = {k: v for k, v in clean.items() if record.values.get(k, "") != v}
        if self._calculate is not None and changes:
            calculated = self._calculate(record.values, changes, self._now())
            changes.update({k: v for k, v in calculated.items() if record.values.get(k, "") != v})
        cleared = [n for n in self.type.required_properties if changes.get(n) == ""]
        if cleared:
            problems = [PropertyValueError(n, "REQUIRED_PROPERTY", f"{n} is required") for n in cleared]
            raise invalid_property_values(problems, self._portal_id)
        self._claim_unique(record, changes, claimed)
        return changes

    def _plan_links(self, inputs: Sequence[AssociationInput]) -> Links:
        """Associations asked for on create, checked before the record exists (all or nothing)."""
        if not inputs:
            return []
        if self.associations is None or self._resolve_type is None:
            raise ValidationError(f"{self.type.name} records cannot be associated")
        links: Links = []
        for item in inputs:
            to_type = self._resolve_type_of(item)
            kinds = self.associations.plan(self.type, None, to_type, item.to.id, item.types)
            links.append((to_type, item.to.id, kinds))
        return links

    def _resolve_type_of(self, item: AssociationInput) -> ObjectType:
        """The type of an association's target, told by its type ids (the create body names no object type)."""
        known = self.associations.kinds
        kinds = {known[t.association_type_id].to_type for t in item.types if known.get(t.association_type_id)}
        if len(kinds) != 1:
            raise invalid_type(f"The types of the association to {item.to.id} must name defined association types "
                               "of one object type")  # fmt: skip
        return self._resolve_type(kinds.pop())

    def _claim_unique(self, record: Record | None, values: dict[str, str], claimed: dict) -> None:
        for name in self.properties.unique_names():
            value = values.get(name)
            if not value or name == "hs_object_id":
                continue
            key = self.type.key(name, value)
            owner = self._unique.get(name, {}).get(key)
            if owner is not None and (record is None or owner != record.id):
                raise Conflict(f"{self.type.label} already exists. Existing ID: {owner}")
            if (name, key) in claimed:
                raise ValidationError(f"Two inputs of this batch give {name} the same value {value}")
            claimed[(name, key)] = 1

    def _apply_create(self, values: dict[str, str], links: Links, *, at: datetime | None = None) -> Record:
        now = at or self._now()
        object_id = str(self._next_id())
        stamp = iso(now)
        values = dict(values)
        values.setdefault(self.type.created_property, stamp)
        values.update({self.type.modified_property: stamp, "hs_object_id": object_id})
        record = Record(object_id, values, now, API)
        self._add(record)
        for to_type, to_id, kinds in links:
            self.associations.add(self.type.name, object_id, to_type.name, to_id, kinds)
        self._notify(record)
        self._publish(record, "created", values)
        return record

    def _add(self, record: Record) -> None:
        self._records[record.id] = record
        bisect.insort(self._order, int(record.id))
        self._index(record, record.values)

    def _apply_update(self, record: Record, changes: dict[str, str], *, source: str = API) -> Record:
        if not changes:
            return record
        now = self._now()
        changes = {**changes, self.type.modified_property: iso(now)}
        self._unindex(record, changes)
        record.write(now, source, changes)
        self._index(record, changes)
        self._notify(record)
        self._publish(record, "updated", changes)
        return record

    def _archive(self, record: Record) -> None:
        self._unindex(record, record.values)
        record.archived, record.archived_at = True, self._now()
        self._notify(record)
        self._publish(record, "archived", ())

    def _notify(self, record: Record) -> None:
        for listener in self.listeners:
            listener(record)

    def _publish(self, record: Record, change: RecordChange, names, merged_into: str | None = None) -> None:
        self._feed.publish(
            RecordChanged(self.type.name, record.id, change, frozenset(names), self._now(), merged_into)
        )

    def _index(self, record: Record, changed: Mapping[str, str]) -> None:
        for name in self.properties.unique_names():
            value = changed.get(name)
            if value and name != "hs_object_id":
                self._unique.setdefault(name, {})[self.type.key(name, value)] = record.id
        for name in self.type.lookup_properties:
            value = changed.get(name)
            if value:
                ids = self._lookup.setdefault(name, {}).setdefault(self.type.key(name, value), [])
                bisect.insort(ids, int(record.id))

    def _unindex(self, record: Record, changed: Mapping[str, str]) -> None:
        for name in self.properties.unique_names():
            old = record.values.get(name)
            if name in changed and old:
                self._unique.get(name, {}).pop(self.type.key(name, old), None)
        for name in self.type.lookup_properties:
            old = record.values.get(name)
            if name in changed and old:
                ids = self._lookup.get(name, {}).get(self.type.key(name, old), [])
                if int(record.id) in ids:
                    ids.remove(int(record.id))

    # --- the wire shape ----------------------------------------------------------------------------------------

    def view(
        self,
        record: Record,
        *,
        properties: Sequence[str] | None = None,
        with_history: Sequence[str] = (),
        associations: Sequence[str] = (),
        full: bool = False,
    ) -> dict[str, Any]:
        """SimplePublicObject: every value on `full` (write responses), else the named or default properties."""
        if full:
            shown: dict[str, str | None] = dict(sorted(record.values.items()))
        else:
            names = sorted({*properties, *self.type.always_returned}) if properties else self.type.shown_by_default
            shown = {n: record.values.get(n) for n in names if self.properties.definition(n) is not None}
        created_at, updated_at = record.stamps()
        body: dict[str, Any] = {
            "id": record.id,
            "properties": shown,
            "createdAt": created_at,
            "updatedAt": updated_at,
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
        if associations and self.associations is not None and self._resolve_type is not None:
            linked = self.associations.v3_view(self.type, record.id, self._association_types(associations))
            if linked:
                body["associations"] = linked
        return body

    def _association_types(self, names: Sequence[str]) -> list[ObjectType]:
        """The types a read's `associations` names; HubSpot ignores the ones it cannot find (the parameter's
        documented rule), so `associations=companies,tickets` still answers."""
        types = []
        for name in names:
            try:
                types.append(self._resolve_type(name))
            except UnknownObjectType:
                continue
        return types

    def _history_entry(self, name: str, value: str, at: datetime, source: str) -> dict[str, str]:
        definition = self.properties.definition(name)
        calculated = definition is not None and definition.calculated
        return {"value": value, "timestamp": iso(at), "sourceType": CALCULATED if calculated else source}

    # --- snapshots ---------------------------------------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        return {
            "records": [self._records[str(i)].export() for i in self._order],
            "mergedIds": dict(sorted(self._merged.items(), key=lambda item: int(item[0]))),
            "claimedKeys": {name: claims for name, claims in sorted(self._claims().items()) if claims},
        }

    def _claims(self) -> dict[str, dict[str, str]]:
        """Natural keys a record keeps from the records merged into it (not its own values)."""
        return {
            name: {key: owner for key, owner in sorted(owners.items()) if not self._holds(owner, name, key)}
            for name, owners in self._unique.items()
        }

    def _holds(self, object_id: str, name: str, key: str) -> bool:
        """Whether the record itself has this natural key (not only a claim kept from a merge)."""
        value = self._records[object_id].values.get(name) if object_id in self._records else None
        return value is not None and self.type.key(name, value) == key

    def restore(self, data: Mapping[str, Any]) -> None:
        """Load an export into this (empty) store; raises ValueError on anything inconsistent."""
        known = [*self.properties.all(), *self.properties.all(archived=True)]
        intern = {d.name: d.name for d in known}
        for row in data["records"]:
            record = Record.restore(row, intern)
            if record.id in self._records or not is_decimal_id(record.id):
                raise ValueError(f"{self.type.name} record id {record.id!r} is repeated or not a number")
            self._records[record.id] = record
            self._order.append(int(record.id))
            if not record.archived:
                self._index(record, record.values)
        self._order.sort()
        for alias, target in data["mergedIds"].items():
            if target not in self._records:
                raise ValueError(f"{self.type.name} merged id {alias} points at missing record {target}")
            self._merged[str(alias)] = target
        for name, owners in data["claimedKeys"].items():
            for key, owner in owners.items():
                if owner not in self._records:
                    raise ValueError(f"{self.type.name} {name} {key} is claimed by missing record {owner}")
                self._unique.setdefault(name, {})[key] = owner
