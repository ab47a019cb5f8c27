"""A portal's association types: HubSpot's (association_kinds.KINDS), those its custom objects define, and its
custom labels.

A custom object schema's `associatedObjects`, and POST /crm/v3/schemas/{objectType}/associations, define an
association between two object types (HubSpot's schemas API: `AssociationDefinition` {id, fromObjectTypeId,
toObjectTypeId, name}). hubsim makes each definition an unlabeled USER_DEFINED type, one id each way, so records of
the custom type link, read, search and batch like contacts and companies through the same AssociationStore.

POST /crm/v4/associations/{from}/{to}/labels adds a labelled USER_DEFINED type each way to a pair that is already
associable ("Billing contact"; with `inverseLabel` a paired label: "Manager" one way, "Employee" the other).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import Field

from simulator.crm.association_kinds import DEFAULT_KIND, KINDS, AssociationKind
from simulator.crm.object_types import ObjectType
from simulator.errors import Conflict, ObjectNotFound, ValidationError
from simulator.wire import WireModel, is_decimal_id, iso

USER_DEFINED = "USER_DEFINED"
# Above every HUBSPOT_DEFINED id hubsim knows, so that one id names one kind whatever its category.
FIRST_CUSTOM_TYPE_ID = 1001
DEFINITION_LIMIT = 1000  # a bound on association definitions per portal (HubSpot's own is not documented)
LABEL_LIMIT = 50  # HubSpot's knowledge base: "up to 50 labels per object pair"
LABEL_MAX_LENGTH = 100  # hubsim's bound on a label's length


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


class LabelCreate(WireModel):
    """PublicAssociationDefinitionCreateRequest."""

    label: str = Field(min_length=1, max_length=LABEL_MAX_LENGTH)
    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,99}$")
    inverse_label: str | None = Field(default=None, min_length=1, max_length=LABEL_MAX_LENGTH)


class LabelUpdate(WireModel):
    """PublicAssociationDefinitionUpdateRequest."""

    association_type_id: int
    label: str = Field(min_length=1, max_length=LABEL_MAX_LENGTH)
    inverse_label: str | None = Field(default=None, min_length=1, max_length=LABEL_MAX_LENGTH)


class StoredLabel(WireModel):
    """A custom label as a snapshot keeps it: the ids of both directions and what each is called."""

    id: int = Field(ge=FIRST_CUSTOM_TYPE_ID)
    inverse_id: int = Field(ge=FIRST_CUSTOM_TYPE_ID)
    from_type: str
    to_type: str
    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,99}$")
    label: str = Field(min_length=1, max_length=LABEL_MAX_LENGTH)
    inverse_label: str | None = Field(default=None, min_length=1, max_length=LABEL_MAX_LENGTH)

    def kinds(self) -> tuple[AssociationKind, AssociationKind]:
        """Forward with its label; back with the inverse label, or the same label when it has none."""
        return (
            AssociationKind(self.id, self.from_type, self.to_type, self.inverse_id, self.name, self.label,
                            category=USER_DEFINED),
            AssociationKind(self.inverse_id, self.to_type, self.from_type, self.id, self.name,
                            self.inverse_label or self.label, category=USER_DEFINED),
        )  # fmt: skip


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
        self._labels: dict[int, StoredLabel] = {}  # by the id of either direction

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

    def add_label(self, from_type: ObjectType, to_type: ObjectType, request: LabelCreate) -> StoredLabel:
        """A new custom label of an associable pair of two different types (the caller holds the portal lock)."""
        pair = (from_type.name, to_type.name)
        if from_type.name == to_type.name:
            raise ValidationError(f"hubsim does not simulate associations between {from_type.name} and itself")
        if self.default(*pair) is None:
            raise ValidationError(f"{from_type.name} and {to_type.name} cannot be associated, so cannot be labelled")
        # a pair's labels, made from either side
        of_pair = {label.id: label for label in self._labels.values() if {label.from_type, label.to_type} == set(pair)}
        if len(of_pair) >= LABEL_LIMIT:
            raise ValidationError(f"A pair of object types may have at most {LABEL_LIMIT} custom labels")
        if any(label.name.lower() == request.name.lower() for label in of_pair.values()):
            raise Conflict(f"A label named {request.name} already exists between {pair[0]} and {pair[1]}")
        if len(self._definitions) + len(self._labels) // 2 >= DEFINITION_LIMIT:
            raise ValidationError(f"A portal may have at most {DEFINITION_LIMIT} association definitions")
        stored = StoredLabel(id=self.next_id, inverse_id=self.next_id + 1, from_type=from_type.name,
                             to_type=to_type.name, name=request.name, label=request.label,
                             inverse_label=request.inverse_label)  # fmt: skip
        self.next_id += 2
        self._add_label(stored)
        return stored

    def relabel(self, from_type: ObjectType, to_type: ObjectType, request: LabelUpdate) -> None:
        """Rename a custom label; `associationTypeId` may name either direction (the other gets `inverseLabel`)."""
        stored = self.label(from_type, to_type, request.association_type_id)
        forward = stored.id == request.association_type_id
        inverse = request.inverse_label if request.inverse_label is not None else (
            stored.inverse_label if forward else stored.label)
        changed = (stored.model_copy(update={"label": request.label, "inverse_label": inverse}) if forward
                   else stored.model_copy(update={"label": inverse, "inverse_label": request.label}))
        self._add_label(changed)

    def remove_label(self, stored: StoredLabel) -> None:
        for type_id in (stored.id, stored.inverse_id):
            self._custom.pop(type_id, None)
            self._labels.pop(type_id, None)

    def label(self, from_type: ObjectType, to_type: ObjectType, type_id: int | str) -> StoredLabel:
        """The custom label with this id (either direction) between the pair; 404 otherwise (any id: a path's too)."""
        stored = self._labels.get(int(type_id)) if is_decimal_id(str(type_id)) else None
        if stored is None or {stored.from_type, stored.to_type} != {from_type.name, to_type.name}:
            raise ObjectNotFound(f"No custom association label {type_id} between {from_type.name} and "
                                 f"{to_type.name}")  # fmt: skip
        return stored

    def _add_label(self, stored: StoredLabel) -> None:
        for kind in stored.kinds():
            self._custom[kind.type_id] = kind
            self._labels[kind.type_id] = stored

    # --- snapshots ---------------------------------------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        labels = {id(label): label for label in self._labels.values()}.values()
        return {"nextTypeId": self.next_id,
                "definitions": [d.stored.dump() for d in self._definitions.values()],
                "labels": [label.dump() for label in labels]}  # fmt: skip

    def restore(self, data: dict[str, Any], known: set[str]) -> None:
        """Load an export into these (empty) types; `known` names the object types a definition may link."""
        next_id = data["nextTypeId"]
        if not isinstance(next_id, int) or isinstance(next_id, bool) or next_id < FIRST_CUSTOM_TYPE_ID:
            raise ValueError(f"nextTypeId must be an integer from {FIRST_CUSTOM_TYPE_ID}")
        for row in data["definitions"]:
            stored = StoredDefinition.model_validate(row)
            self._check_restored("definition", stored, known, next_id)
            if self.default(stored.from_type, stored.to_type) is not None:
                raise ValueError(f"association definition {stored.id} repeats a pair")
            self._add(stored)
        for row in data.get("labels", []):  # files from before custom labels have none
            label = StoredLabel.model_validate(row)
            self._check_restored("label", label, known, next_id)
            if label.from_type == label.to_type or self.default(label.from_type, label.to_type) is None:
                raise ValueError(f"association label {label.id} labels a pair that cannot be associated")
            self._add_label(label)
        self.next_id = next_id

    def _check_restored(self, what: str, stored: StoredDefinition | StoredLabel, known: set[str], next_id: int) -> None:
        """A restored definition or label links known types, by two new ids below the file's nextTypeId."""
        if not {stored.from_type, stored.to_type} <= known:
            raise ValueError(f"association {what} {stored.id} links an unknown object type")
        ids = (stored.id, stored.inverse_id)
        if stored.id == stored.inverse_id or any(self.get(i) or i >= next_id for i in ids):
            raise ValueError(f"association {what} {stored.id}: type ids repeated or not below nextTypeId")
