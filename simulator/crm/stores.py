"""The CRM of one portal: its object and property stores, associations, owners and pipelines, wired together."""

from __future__ import annotations

import threading
from dataclasses import replace
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from simulator.config import OwnerConfig
from simulator.crm.association_types import Definition, DefinitionCreate
from simulator.crm.associations import AssociationStore
from simulator.crm.object_types import CONTACTS, DEALS, OBJECT_TYPES, TASKS, TICKETS, ObjectType, resolve
from simulator.crm.objects import Calculate, ObjectStore
from simulator.crm.owners import OwnerStore
from simulator.crm.pipelines import PipelineStore
from simulator.crm.properties import PropertyStore
from simulator.crm.schemas import Schema, SchemaCreate, SchemaStore
from simulator.errors import ValidationError
from simulator.feed import ChangeFeed
from simulator.wire import iso


class IdSequence:
    """The portal's record ids: one counter for every object type, as HubSpot's ids are unique per portal."""

    def __init__(self, next_value: int = 1):
        self.next_value = next_value

    def __call__(self) -> int:
        value = self.next_value
        self.next_value += 1
        return value


class CrmStores:
    def __init__(
        self,
        portal_id: int,
        lock: threading.RLock,
        now: Callable[[], datetime],
        *,
        owners: OwnerStore,
        ids: IdSequence | None = None,
        pipelines: PipelineStore | None = None,
        ticket_pipelines: PipelineStore | None = None,
    ):
        self.portal_id = portal_id
        self.feed = ChangeFeed()  # what changed in this CRM; lists, workflows and webhooks subscribe
        self.ids = ids or IdSequence()
        self.owners = owners
        self.properties = {t.name: PropertyStore(t, lock, now) for t in OBJECT_TYPES}
        self.pipelines = pipelines or PipelineStore(lock, now, self.ids, portal_id)
        self.ticket_pipelines = ticket_pipelines or PipelineStore(lock, now, self.ids, portal_id, object_type=TICKETS)
        self.associations = AssociationStore(
            lock, now, lambda name, object_id: self._objects[name].exists(object_id), self.feed,
            resolve_type=lambda name: self._objects[name].type if name in self._objects else resolve(name),
        )
        self.schemas = SchemaStore(portal_id, now)
        self._lock, self._now = lock, now
        self._objects = {t.name: self._object_store(t) for t in OBJECT_TYPES}

    def _object_store(self, t: ObjectType) -> ObjectStore:
        return ObjectStore(
            t,
            self.properties[t.name],
            lock=self._lock,
            now=self._now,
            next_id=self.ids,
            portal_id=self.portal_id,
            check_external=self.owners.check,
            associations=self.associations,
            resolve_type=self.schemas.resolve,
            calculate=self._calculations(t),
            feed=self.feed,
        )

    @classmethod
    def fresh(cls, portal_id: int, lock: threading.RLock, now: Callable[[], datetime],
              owners: Sequence[OwnerConfig] | None) -> CrmStores:
        """HubSpot's defaults: default properties, the default sales pipeline, the configured (or default) owners."""
        return cls(portal_id, lock, now, owners=OwnerStore.seeded(owners, now()))

    def objects(self, object_type: str) -> ObjectStore:
        return self._objects[self.schemas.resolve(object_type).name]

    def stores(self) -> dict[str, ObjectStore]:
        """Every object type's store by its name: the standard ones, then the custom ones (archived too)."""
        return dict(self._objects)

    def create_schema(self, request: SchemaCreate) -> Schema:
        """A custom object type: its properties are checked on a scratch store before anything is kept."""
        with self._lock:
            scratch = PropertyStore(self.schemas.plan(request, "2-0"), self._lock, self._now)
            declared = request.property_requests()
            for prop in declared:
                scratch.create(prop)
            associated = [self.schemas.resolve(name) for name in dict.fromkeys(request.associated_objects)]
            for to_type in associated:
                self.associations.kinds.plan(scratch.object_type, to_type)
            object_type = replace(scratch.object_type, object_type_id=f"2-{self.ids()}")
            properties = self._add_type(object_type)
            for prop in declared:
                properties.create(prop)
            for to_type in associated:
                self.associations.kinds.define(object_type, to_type, None, self._now())
            return self.schemas.add(object_type, request)

    def _add_type(self, object_type: ObjectType) -> PropertyStore:
        self.properties[object_type.name] = properties = PropertyStore(object_type, self._lock, self._now)
        self._objects[object_type.name] = self._object_store(object_type)
        return properties

    def restore_schemas(self, section: dict) -> None:
        """A snapshot's custom object types and their association definitions, into these (fresh) stores."""
        for schema in self.schemas.restore(section["types"]):
            if int(schema.id) >= self.ids.next_value:  # the type id came from the id counter, as a new one will
                raise ValueError(f"schema {schema.type.object_type_id} is not below ids.next")
            self._add_type(schema.type)
        self.associations.kinds.restore(section["associationTypes"], set(self._objects))

    def export_schemas(self) -> dict:
        return {"types": [s.export() for s in self.schemas.schemas() + self.schemas.schemas(archived=True)],
                "associationTypes": self.associations.kinds.export()}  # fmt: skip

    def define_association(self, name: str, request: DefinitionCreate) -> Definition:
        """POST /crm/v3/schemas/{objectType}/associations: the schema's type is one end of the definition."""
        with self._lock:
            schema = self.schemas.get(name)
            from_type = self.schemas.resolve(request.from_object_type_id)
            to_type = self.schemas.resolve(request.to_object_type_id)
            if schema.type not in (from_type, to_type):
                raise ValidationError(f"An association definition of {schema.type.object_type_id} must link it: "
                                      f"{from_type.object_type_id} to {to_type.object_type_id} does not")  # fmt: skip
            definition = self.associations.kinds.define(from_type, to_type, request.name, self._now())
            schema.updated_at = self._now()
            return definition

    def archive_schema(self, name: str) -> None:
        with self._lock:
            self.schemas.archive(name, has_records=len(self.objects(self.schemas.get(name).type.name)) > 0)

    def schema_view(self, schema: Schema) -> dict:
        definitions = self.associations.kinds.definitions(schema.type)
        return schema.dump([p.dump() for p in self.properties[schema.type.name].all()],
                           [d.dump() for d in definitions])  # fmt: skip

    def pipelines_of(self, object_type: str) -> PipelineStore:
        chosen = resolve(object_type)
        if chosen not in (DEALS, TICKETS):
            raise ValidationError(f"hubsim simulates pipelines of deals and tickets only, not {object_type}")
        return self.pipelines if chosen is DEALS else self.ticket_pipelines

    def in_pipeline(self, object_type: str) -> Callable[[str], bool]:
        """Whether a live record sits in a pipeline or stage of this type (they cannot be archived then)."""
        store = self.pipelines_of(object_type)
        names = ("pipeline", "dealstage") if store.object_type is DEALS else ("hs_pipeline", "hs_pipeline_stage")
        records = self._objects[store.object_type.name]
        return lambda pipeline_or_stage: any(
            pipeline_or_stage in (r.values.get(names[0]), r.values.get(names[1])) for r in records.records()
        )

    def _calculations(self, object_type: ObjectType) -> Calculate | None:
        if object_type is CONTACTS:
            return _contact_values
        if object_type is DEALS:
            return self.pipelines.deal_values
        if object_type is TICKETS:
            return self.ticket_pipelines.ticket_values
        if object_type is TASKS:
            return _task_values
        return None


def _contact_values(current: Mapping[str, str], changes: Mapping[str, str], now: datetime) -> dict[str, str]:
    if "email" not in changes:
        return {}
    return {"hs_email_domain": changes["email"].partition("@")[2]}


def _task_values(current: Mapping[str, str], changes: Mapping[str, str], now: datetime) -> dict[str, str]:
    """A task stamps when it was completed, and forgets it when it is reopened."""
    if "hs_task_status" not in changes:
        return {}
    if changes["hs_task_status"] == "COMPLETED":
        return {"hs_task_completion_date": current.get("hs_task_completion_date") or iso(now)}
    return {"hs_task_completion_date": ""}
