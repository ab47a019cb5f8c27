"""A portal's association types: HubSpot's (association_kinds.KINDS) and those its custom objects define.

A custom object schema's `associatedObjects`, and POST /crm/v3/schemas/{objectType}/associations, define an
association between two object types (HubSpot's schemas API: `AssociationDefinition` {id, fromObjectTypeId,
toObjectTypeId, name}). hubsim makes each definition an unlabeled USER_DEFINED type, one id each way, so records of
the custom type link, read, search and batch like contacts and companies through the same AssociationStore.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import Field

from simulator.crm.association_kinds import DEFAULT_KIND, KINDS, AssociationKind
from simulator.crm.object_types import ObjectType
from simulator.errors import Conflict, ValidationError
from simulator.wire import WireModel, iso

USER_DEFINED = "USER_DEFINED"
# Above every HUBSPOT_DEFINED id hubsim knows, so that one id names one kind whatever its category.
FIRST_CUSTOM_TYPE_ID = 1001
DEFINITION_LIMIT = 1000  # a bound on association definitions per portal (HubSpot's own is not documented)


class DefinitionCreate(WireModel):
    """AssociationDefinitionEgg (the schemas API)."""

    from_object_type_id: str = Field(min_length=1)
    to_object_type_id: str = Field(min_length=1)
    name: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]{0,99}$")


class StoredDefinition(WireModel):
    """A definition as a snapshot keeps it: the ids of both directions and the type names they link."""

    id: int = Field(ge=FIRST_CUSTOM_TYPE_ID)
    inverse_id: int = Field(ge=FIRST_CUSTOM_TYPE_ID)
    from_type: str
    to_type: str
    from_object_type_id: str
    to_object_type_id: str
    name: str
    inverse_name: str
    created_at: datetime


@dataclass(frozen=True)
class Definition:
    stored: StoredDefinition

    def dump(self) -> dict[str, Any]:
        s = self.stored
        return {"id": str(s.id), "fromObjectTypeId": s.from_object_type_id, "toObjectTypeId": s.to_object_type_id,
                "name": s.name, "createdAt": iso(s.created_at), "updatedAt": iso(s.created_at)}  # fmt: skip

    def kinds(self) -> tuple[AssociationKind, AssociationKind]:
        s = self.stored
        return (
            AssociationKind(s.id, s.from_type, s.to_type, s.inverse_id, s.name, category=USER_DEFINED),
            AssociationKind(s.inverse_id, s.to_type, s.from_type, s.id, s.inverse_name, category=USER_DEFINED),
        )


class AssociationTypes:
    """Every association kind of one portal, by type id and by pair. Changed under the portal lock."""

    def __init__(self) -> None:
        self.next_id = FIRST_CUSTOM_TYPE_ID
        self._definitions: dict[int, Definition] = {}  # by the id of its forward direction
        self._custom: dict[int, AssociationKind] = {}
        self._defaults: dict[tuple[str, str], AssociationKind] = {}

    def get(self, type_id: int) -> AssociationKind | None:
        return KINDS.get(type_id) or self._custom.get(type_id)

    def __getitem__(self, type_id: int) -> AssociationKind:
        kind = self.get(type_id)
        if kind is None:
            raise KeyError(type_id)
        return kind

    def default(self, from_name: str, to_name: str) -> AssociationKind | None:
        """The unlabeled kind of a pair: HubSpot's, or the pair's custom definition."""
        return DEFAULT_KIND.get((from_name, to_name)) or self._defaults.get((from_name, to_name))

    def between(self, from_type: ObjectType, to_type: ObjectType) -> list[AssociationKind]:
        pair = (from_type.name, to_type.name)
        kinds = [k for k in (*KINDS.values(), *self._custom.values()) if (k.from_type, k.to_type) == pair]
        return sorted(kinds, key=lambda k: k.type_id)

    def definitions(self, object_type: ObjectType) -> list[Definition]:
        """The definitions that link this type, either way, in the order they were made."""
        return [d for d in self._definitions.values() if object_type.name in (d.stored.from_type, d.stored.to_type)]

    # --- writes ------------------------------------------------------------------------------------------------

    def plan(self, from_type: ObjectType, to_type: ObjectType, name: str | None = None) -> str:
        """Check a new definition; its name."""
        if self.default(from_type.name, to_type.name) is not None:
            raise Conflict(f"An association between {from_type.object_type_id} and {to_type.object_type_id} "
                           "already exists")  # fmt: skip
        if len(self._definitions) >= DEFINITION_LIMIT:
            raise ValidationError(f"A portal may have at most {DEFINITION_LIMIT} association definitions")
        return name or f"{from_type.singular}_to_{to_type.singular}"

    def define(self, from_type: ObjectType, to_type: ObjectType, name: str | None, at: datetime) -> Definition:
        chosen = self.plan(from_type, to_type, name)
        stored = StoredDefinition(
            id=self.next_id, inverse_id=self.next_id + 1, from_type=from_type.name, to_type=to_type.name,
            from_object_type_id=from_type.object_type_id, to_object_type_id=to_type.object_type_id, name=chosen,
            inverse_name=f"{to_type.singular}_to_{from_type.singular}", created_at=at,
        )  # fmt: skip
        self.next_id += 2
        return self._add(stored)

    def _add(self, stored: StoredDefinition) -> Definition:
        definition = Definition(stored)
        forward, backward = definition.kinds()
        self._definitions[stored.id] = definition
        for kind in (forward, backward):
            self._custom[kind.type_id] = kind
            self._defaults[(kind.from_type, kind.to_type)] = kind
        return definition

    # --- snapshots ---------------------------------------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        return {"nextTypeId": self.next_id,
                "definitions": [d.stored.dump() for d in self._definitions.values()]}  # fmt: skip

    def restore(self, data: dict[str, Any], known: set[str]) -> None:
        """Load an export into these (empty) types; `known` names the object types a definition may link."""
        next_id = data["nextTypeId"]
        if not isinstance(next_id, int) or isinstance(next_id, bool) or next_id < FIRST_CUSTOM_TYPE_ID:
            raise ValueError(f"nextTypeId must be an integer from {FIRST_CUSTOM_TYPE_ID}")
        for row in data["definitions"]:
            stored = StoredDefinition.model_validate(row)
            if not {stored.from_type, stored.to_type} <= known:
                raise ValueError(f"association definition {stored.id} links an unknown object type")
            ids = (stored.id, stored.inverse_id)
            if stored.id == stored.inverse_id or any(self.get(i) or i >= next_id for i in ids):
                raise ValueError(f"association definition {stored.id}: type ids repeated or not below nextTypeId")
            if self.default(stored.from_type, stored.to_type) is not None:
                raise ValueError(f"association definition {stored.id} repeats a pair")
            self._add(stored)
        self.next_id = next_id
