"""Custom object schemas (/crm/v3/schemas): a portal's own object types, served by the same generic store.

A schema is an ObjectType made at run time: type id `2-{n}` (n from the portal's id counter, as HubSpot's are
portal-unique), fully qualified name `p{portalId}_{name}`; its records are created, read, searched and listed
through /crm/v3/objects/{objectTypeId or fullyQualifiedName} like contacts (HubSpot's custom objects guide).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import Field

from simulator.crm.object_types import ObjectType, UnknownObjectType, resolve
from simulator.crm.properties import PropertyCreate
from simulator.errors import Conflict, HubSpotError, ValidationError
from simulator.wire import WireModel, iso

_NAME = re.compile(r"[a-z][a-z0-9_]{0,99}")  # HubSpot: lower case, starts with a letter, letters, digits, _


class SchemaLabels(WireModel):
    singular: str = Field(min_length=1)
    plural: str = Field(min_length=1)


class SchemaPropertyCreate(PropertyCreate):
    """A property declared with its schema: HubSpot's ObjectTypePropertyCreate makes groupName optional."""

    group_name: str | None = None  # type: ignore[assignment]


class SchemaCreate(WireModel):
    name: str
    labels: SchemaLabels
    primary_display_property: str | None = None
    required_properties: list[str] = Field(default_factory=list)
    searchable_properties: list[str] = Field(default_factory=list)
    secondary_display_properties: list[str] = Field(default_factory=list)
    properties: list[SchemaPropertyCreate] = Field(default_factory=list)
    associated_objects: list[str] = Field(default_factory=list)
    description: str | None = None

    def property_requests(self) -> list[PropertyCreate]:
        """The declared properties; one without a group joins the object's own `{name}_information` group."""
        return [PropertyCreate.model_validate({**p.model_dump(exclude={"group_name"}),
                                               "group_name": p.group_name or f"{self.name}_information"})
                for p in self.properties]  # fmt: skip


class SchemaUpdate(WireModel):
    labels: SchemaLabels | None = None
    primary_display_property: str | None = None
    required_properties: list[str] | None = None
    searchable_properties: list[str] | None = None
    secondary_display_properties: list[str] | None = None
    description: str | None = None


class StoredSchema(WireModel):
    """A schema as a snapshot keeps it (its properties and records are in the snapshot's own sections)."""

    object_type_id: str = Field(pattern=r"^2-[0-9]{1,18}$")
    name: str = Field(pattern=_NAME.pattern)
    labels: SchemaLabels
    description: str | None = None
    primary_display_property: str | None = None
    required_properties: list[str]
    searchable_properties: list[str]
    secondary_display_properties: list[str]
    archived: bool
    created_at: datetime
    updated_at: datetime


class Schema:
    def __init__(self, object_type: ObjectType, request: SchemaCreate | StoredSchema, portal_id: int, at: datetime):
        self.type, self.portal_id = object_type, portal_id
        # the fields a PATCH may change, named as SchemaUpdate names them
        self.labels, self.description = request.labels, request.description
        self.primary_display_property = request.primary_display_property
        self.required_properties = request.required_properties
        self.searchable_properties = request.searchable_properties
        self.secondary_display_properties = request.secondary_display_properties
        self.created_at = self.updated_at = at
        self.archived = False

    def export(self) -> dict[str, Any]:
        return StoredSchema(
            object_type_id=self.type.object_type_id, name=self.type.name, labels=self.labels,
            description=self.description, primary_display_property=self.primary_display_property,
            required_properties=self.required_properties, searchable_properties=self.searchable_properties,
            secondary_display_properties=self.secondary_display_properties, archived=self.archived,
            created_at=self.created_at, updated_at=self.updated_at,
        ).dump()  # fmt: skip

    @property
    def id(self) -> str:
        return self.type.object_type_id.partition("-")[2]

    def dump(self, properties: list[dict[str, Any]], associations: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "id": self.id,
            "objectTypeId": self.type.object_type_id,
            "fullyQualifiedName": f"p{self.portal_id}_{self.type.singular}",
            "name": self.type.singular,
            "labels": self.labels.dump(),
            "description": self.description,
            "primaryDisplayProperty": self.primary_display_property,
            "requiredProperties": self.required_properties,
            "searchableProperties": self.searchable_properties,
            "secondaryDisplayProperties": self.secondary_display_properties,
            "properties": properties,
            "associations": associations,
            "metaType": "PORTAL_SPECIFIC",
            "archived": self.archived,
            "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at),
        }


class SchemaStore:
    """The portal's custom object types, by every name a path may use for them."""

    def __init__(self, portal_id: int, now: Callable[[], datetime]):
        self._portal_id, self._now = portal_id, now
        self._schemas: dict[str, Schema] = {}  # objectTypeId -> schema
        self._names: dict[str, str] = {}  # name, fully qualified name, type id -> type id

    def resolve(self, name: str) -> ObjectType:
        """A custom type by its type id, fully qualified name or name; else HubSpot's standard types."""
        found = self._names.get(name.lower())
        if found is not None and not self._schemas[found].archived:
            return self._schemas[found].type
        return resolve(name)

    def schemas(self, *, archived: bool = False) -> list[Schema]:
        return [s for s in self._schemas.values() if s.archived == archived]

    def get(self, name: str) -> Schema:
        found = self._names.get(name.lower())
        if found is None or self._schemas[found].archived:
            raise HubSpotError(f"Unable to find object type {name}", status=404, category="OBJECT_NOT_FOUND")
        return self._schemas[found]

    def plan(self, request: SchemaCreate, type_id: str) -> ObjectType:
        """The new type a create makes, checked; nothing is stored yet."""
        if not _NAME.fullmatch(request.name):
            raise ValidationError(f"Object name {request.name!r} must start with a letter and hold only lower-case "
                                  "letters, digits and underscores")
        if request.name in self._names or _is_standard(request.name):
            raise Conflict(f"An object type with name {request.name} already exists")
        declared = {p.name for p in request.properties}
        for field, names in (("requiredProperties", request.required_properties),
                             ("searchableProperties", request.searchable_properties)):
            unknown = sorted(set(names) - declared)
            if unknown:
                raise ValidationError(f"{field} names properties the schema does not define: {unknown}")
        for associated in request.associated_objects:
            self.resolve(associated)
        return _object_type(request, type_id)

    def add(self, object_type: ObjectType, request: SchemaCreate | StoredSchema) -> Schema:
        schema = Schema(object_type, request, self._portal_id, self._now())
        type_id = object_type.object_type_id
        self._schemas[type_id] = schema
        for key in (object_type.name, f"p{self._portal_id}_{object_type.name}", type_id):
            self._names[key.lower()] = type_id
        return schema

    def restore(self, rows: list[Any]) -> list[Schema]:
        """Load a snapshot's schemas into this (empty) store, checked as a create checks them."""
        for row in rows:
            stored = StoredSchema.model_validate(row)
            if stored.name in self._names or stored.object_type_id in self._names or _is_standard(stored.name):
                raise ValueError(f"schema {stored.name} ({stored.object_type_id}) is repeated or a standard object")
            schema = self.add(_object_type(stored, stored.object_type_id), stored)
            schema.created_at, schema.updated_at, schema.archived = stored.created_at, stored.updated_at, stored.archived
        return list(self._schemas.values())

    def update(self, name: str, request: SchemaUpdate) -> Schema:
        schema = self.get(name)
        for field in request.model_fields_set:
            setattr(schema, field, getattr(request, field))
        schema.updated_at = self._now()
        return schema

    def archive(self, name: str, has_records: bool) -> None:
        schema = self.get(name)
        if has_records:
            raise ValidationError(f"Object type {schema.type.object_type_id} still has records: archive them first")
        schema.archived = True


def _object_type(schema: SchemaCreate | StoredSchema, type_id: str) -> ObjectType:
    return ObjectType(
        name=schema.name, singular=schema.name, object_type_id=type_id, label=schema.labels.singular,
        default_properties=tuple(p for p in (schema.primary_display_property,) if p),
        modified_property="hs_lastmodifieddate", created_property="hs_createdate",
        search_properties=tuple(schema.searchable_properties), required_properties=tuple(schema.required_properties),
    )  # fmt: skip


def _is_standard(name: str) -> bool:
    try:
        resolve(name)
    except UnknownObjectType:
        return False
    return True
