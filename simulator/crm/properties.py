"""Property definitions and groups (Properties API v3), and the typed validation of every property write."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from simulator.batch import BatchResult, check_batch_size
from simulator.crm.default_properties import DEFAULTS
from simulator.crm.object_types import ObjectType
from simulator.crm.values import coerce
from simulator.errors import (
    AlreadyExists,
    HubSpotError,
    ObjectNotFound,
    PropertyValueError,
    ValidationError,
    invalid_property_values,
)
from simulator.wire import WireModel, iso

PropertyType = Literal["bool", "date", "datetime", "enumeration", "number", "phone_number", "string"]
FieldType = Literal[
    "booleancheckbox", "calculation_equation", "checkbox", "date", "file", "html", "number", "phonenumber", "radio",
    "select", "text", "textarea",
]  # fmt: skip
NumberDisplayHint = Literal["currency", "duration", "formatted", "percentage", "probability", "unformatted"]
TextDisplayHint = Literal[
    "domain_name", "email", "ip_address", "multi_line", "phone_number", "physical_address", "postal_code",
    "unformatted_single_line",
]  # fmt: skip
# Valid type/fieldType pairs, from HubSpot's properties guide.
FIELD_TYPES = {
    "bool": {"booleancheckbox", "calculation_equation"},
    "enumeration": {"booleancheckbox", "checkbox", "radio", "select", "calculation_equation"},
    "date": {"date"},
    "datetime": {"date"},
    "string": {"text", "textarea", "file", "html", "phonenumber", "calculation_equation"},
    "number": {"number", "calculation_equation"},
    "phone_number": {"phonenumber"},
}
UNIQUE_PROPERTY_LIMIT = 10  # HubSpot: up to 10 unique-value properties per object
_NAME = re.compile(r"[a-z][a-z0-9_]{0,99}")  # HubSpot's internal names; always fullmatch (`$` takes a final "\n")
_EDITABLE_WHEN_DEFINED = {"label", "description", "display_order", "hidden", "options"}
# Default properties whose options live elsewhere, and the object HubSpot says they reference.
_REFERENCES = {"owner": "OWNER", "pipeline": "PIPELINE", "stage": "PIPELINE_STAGE"}


class Option(WireModel):
    label: str
    value: str
    description: str = ""
    display_order: int = -1
    hidden: bool = False


class ModificationMetadata(WireModel):
    archivable: bool
    read_only_definition: bool
    read_only_value: bool


class PropertyDefinition(WireModel):
    name: str
    label: str
    type: PropertyType
    field_type: FieldType
    description: str = ""
    group_name: str
    options: list[Option] = Field(default_factory=list)
    display_order: int = -1
    calculated: bool = False
    external_options: bool = False
    has_unique_value: bool = False
    hidden: bool = False
    hubspot_defined: bool | None = None
    form_field: bool = False
    data_sensitivity: str = "non_sensitive"
    referenced_object_type: str | None = None
    number_display_hint: NumberDisplayHint | None = None
    text_display_hint: TextDisplayHint | None = None
    show_currency_symbol: bool | None = None
    calculation_formula: str | None = None
    currency_property_name: str | None = None
    modification_metadata: ModificationMetadata
    archived: bool = False
    archived_at: str | None = None
    created_at: str
    updated_at: str

    @property
    def read_only(self) -> bool:
        return self.modification_metadata.read_only_value

    def option_values(self) -> list[str] | None:
        return None if self.external_options else [o.value for o in self.options]


class PropertyGroup(WireModel):
    name: str
    label: str
    display_order: int = -1
    archived: bool = False


class PropertyCreate(WireModel):
    name: str
    label: str
    type: PropertyType
    field_type: FieldType
    group_name: str
    description: str = ""
    options: list[Option] = Field(default_factory=list)
    display_order: int = -1
    has_unique_value: bool = False
    hidden: bool = False
    form_field: bool = False
    external_options: bool = False
    referenced_object_type: str | None = None
    data_sensitivity: Literal["highly_sensitive", "non_sensitive", "sensitive"] = "non_sensitive"
    number_display_hint: NumberDisplayHint | None = None
    text_display_hint: TextDisplayHint | None = None
    show_currency_symbol: bool | None = None
    calculation_formula: str | None = None
    currency_property_name: str | None = None


class PropertyUpdate(WireModel):
    label: str | None = None
    type: PropertyType | None = None
    field_type: FieldType | None = None
    group_name: str | None = None
    description: str | None = None
    options: list[Option] | None = None
    display_order: int | None = None
    hidden: bool | None = None
    form_field: bool | None = None
    number_display_hint: NumberDisplayHint | None = None
    text_display_hint: TextDisplayHint | None = None
    show_currency_symbol: bool | None = None
    calculation_formula: str | None = None
    currency_property_name: str | None = None


class PropertyGroupCreate(WireModel):
    name: str
    label: str
    display_order: int = -1


class PropertyGroupUpdate(WireModel):
    label: str | None = None
    display_order: int | None = None


class PropertyStore:
    """The definitions and groups of one object type in one portal."""

    def __init__(self, object_type: ObjectType, lock: threading.RLock, now: Callable[[], datetime]):
        self.object_type = object_type
        self._lock = lock
        self._now = now
        self._definitions: dict[str, PropertyDefinition] = {}
        self._groups: dict[str, PropertyGroup] = {}
        self._load_defaults()

    def _load_defaults(self) -> None:
        stamp = iso(self._now())
        groups, properties = DEFAULTS[self.object_type.name]
        for order, (name, label) in enumerate(groups):
            self._groups[name] = PropertyGroup(name=name, label=label, display_order=order)
        for name, label, kind, field_type, group, options, flags in properties:
            reference = next((_REFERENCES[f] for f in flags if f in _REFERENCES), None)
            self._definitions[name] = PropertyDefinition(
                name=name,
                label=label,
                type=kind,
                field_type=field_type,
                group_name=group,
                options=[Option(label=lbl, value=v, display_order=i) for i, (v, lbl) in enumerate(options)],
                has_unique_value="unique" in flags,
                external_options=reference is not None,
                referenced_object_type=reference,
                calculated="readonly" in flags,
                hubspot_defined=True,
                form_field=not flags,
                modification_metadata=ModificationMetadata(
                    archivable=False, read_only_definition=True, read_only_value="readonly" in flags
                ),
                created_at=stamp,
                updated_at=stamp,
            )

    # --- reads -------------------------------------------------------------------------------------------------

    def definition(self, name: str) -> PropertyDefinition | None:
        """The live (not archived) definition named `name`."""
        found = self._definitions.get(name)
        return found if found is not None and not found.archived else None

    def get(self, name: str, *, archived: bool = False) -> PropertyDefinition:
        found = self._definitions.get(name)
        if found is None or found.archived != archived:
            raise ObjectNotFound(
                f"Unable to find property with name {name} for object type {self.object_type.object_type_id}"
            )
        return found

    def all(self, *, archived: bool = False, names: Iterable[str] | None = None) -> list[PropertyDefinition]:
        wanted = set(names) if names is not None else None
        return [
            d
            for d in self._definitions.values()
            if d.archived == archived and (wanted is None or d.name in wanted)
        ]

    def unique_names(self) -> list[str]:
        return [d.name for d in self._definitions.values() if d.has_unique_value and not d.archived]

    # --- definitions ------------------------------------------------------------------------------------------

    def create(self, request: PropertyCreate) -> PropertyDefinition:
        with self._lock:
            definition = self._plan_create(request, taken=set())
            self._definitions[definition.name] = definition
            return definition

    def _plan_create(self, request: PropertyCreate, taken: set[str]) -> PropertyDefinition:
        if not _NAME.fullmatch(request.name):
            raise ValidationError(
                f"Property name {request.name!r} is invalid: use lowercase letters, digits and underscores, "
                "starting with a letter"
            )
        if request.name in self._definitions or request.name in taken:
            raise AlreadyExists(f"Property named '{request.name}' already exists.")
        self._check_group(request.group_name)
        self._check_shape(request.type, request.field_type, request.options, request.external_options)
        if request.has_unique_value and len(self.unique_names()) >= UNIQUE_PROPERTY_LIMIT + 1:  # +1: hs_object_id
            raise ValidationError(f"An object type may have at most {UNIQUE_PROPERTY_LIMIT} unique-value properties")
        stamp = iso(self._now())
        return PropertyDefinition(
            **request.model_dump(),
            hubspot_defined=None,
            modification_metadata=ModificationMetadata(
                archivable=True, read_only_definition=False, read_only_value=False
            ),
            created_at=stamp,
            updated_at=stamp,
        )

    def update(self, name: str, request: PropertyUpdate) -> PropertyDefinition:
        with self._lock:
            current = self.get(name)
            changes = request.changes()
            if current.modification_metadata.read_only_definition and set(changes) - _EDITABLE_WHEN_DEFINED:
                raise ValidationError(
                    f"Property {name} is HubSpot-defined: only its label, description, order and options can change"
                )
            merged = current.model_copy(update=changes)
            if "group_name" in changes:
                self._check_group(merged.group_name)
            self._check_shape(merged.type, merged.field_type, merged.options, merged.external_options)
            merged = merged.model_copy(update={"updated_at": iso(self._now())})
            self._definitions[name] = PropertyDefinition.model_validate(merged.model_dump())
            return self._definitions[name]

    def archive(self, name: str) -> None:
        with self._lock:
            current = self.get(name)
            if not current.modification_metadata.archivable:
                raise ValidationError(f"Property {name} is HubSpot-defined and cannot be archived")
            stamp = iso(self._now())
            self._definitions[name] = current.model_copy(
                update={"archived": True, "archived_at": stamp, "updated_at": stamp}
            )

    def batch_create(self, requests: list[PropertyCreate]) -> BatchResult:
        """Each input stands alone: the good ones are created, the bad ones reported (HubSpot answers 207)."""
        check_batch_size(requests)
        with self._lock:
            started, created, errors, taken = self._now(), [], [], set()
            for request in requests:
                try:
                    definition = self._plan_create(request, taken)
                except HubSpotError as exc:
                    errors.append(exc.as_batch_error({"name": [request.name]}))
                    continue
                taken.add(definition.name)
                created.append(definition)
            for definition in created:
                self._definitions[definition.name] = definition
            return BatchResult(started, self._now(), [d.dump() for d in created], errors, success_status=201)

    def batch_read(self, names: list[str], *, archived: bool) -> BatchResult:
        check_batch_size(names)
        started, found, errors = self._now(), [], []
        for name in names:
            try:
                found.append(self.get(name, archived=archived).dump())
            except ObjectNotFound as exc:
                errors.append(exc.as_batch_error({"name": [name]}))
        return BatchResult(started, self._now(), found, errors)

    def batch_archive(self, names: list[str]) -> None:
        """HubSpot answers 204 whatever the state of each name (active, archived, unknown)."""
        check_batch_size(names)
        with self._lock:
            for name in names:
                current = self._definitions.get(name)
                if current is not None and not current.archived and current.modification_metadata.archivable:
                    self.archive(name)

    def _check_group(self, group_name: str) -> None:
        group = self._groups.get(group_name)
        if group is None or group.archived:
            raise ValidationError(f"Property group {group_name} does not exist")

    @staticmethod
    def _check_shape(kind: str, field_type: str, options: list[Option], external: bool) -> None:
        if field_type not in FIELD_TYPES[kind]:
            raise ValidationError(
                f"fieldType {field_type} is not valid for type {kind}; use one of {sorted(FIELD_TYPES[kind])}"
            )
        if kind == "enumeration" and not options and not external:
            raise ValidationError("Enumeration properties need at least one option")
        values = [o.value for o in options]
        if len(values) != len(set(values)):
            raise ValidationError("Option values must be unique")

    # --- groups -----------------------------------------------------------------------------------------------

    def groups(self) -> list[PropertyGroup]:
        return [g for g in self._groups.values() if not g.archived]

    def group(self, name: str) -> PropertyGroup:
        found = self._groups.get(name)
        if found is None or found.archived:
            raise ObjectNotFound(f"Unable to find property group {name}")
        return found

    def create_group(self, request: PropertyGroupCreate) -> PropertyGroup:
        with self._lock:
            if not _NAME.fullmatch(request.name):
                raise ValidationError(f"Property group name {request.name!r} is invalid")
            if request.name in self._groups and not self._groups[request.name].archived:
                raise AlreadyExists(f"Property group named '{request.name}' already exists.")
            self._groups[request.name] = PropertyGroup(**request.model_dump())
            return self._groups[request.name]

    def update_group(self, name: str, request: PropertyGroupUpdate) -> PropertyGroup:
        with self._lock:
            changes = request.changes()
            updated = self.group(name).model_copy(update=changes)
            self._groups[name] = updated
            return updated

    def archive_group(self, name: str) -> None:
        with self._lock:
            group = self.group(name)
            if any(d.group_name == name and not d.archived for d in self._definitions.values()):
                raise ValidationError(f"Property group {name} still holds properties; move or archive them first")
            self._groups[name] = group.model_copy(update={"archived": True})

    # --- snapshots --------------------------------------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        return {
            "groups": [g.dump() for g in self._groups.values()],
            "definitions": [d.dump() for d in self._definitions.values()],
        }

    def restore(self, data: Mapping[str, Any]) -> None:
        """Replace definitions and groups with an export's (pydantic raises on a malformed one)."""
        groups = [PropertyGroup.model_validate(g) for g in data["groups"]]
        definitions = [PropertyDefinition.model_validate(d) for d in data["definitions"]]
        self._groups = {g.name: g for g in groups}
        self._definitions = {d.name: d for d in definitions}

    # --- values -----------------------------------------------------------------------------------------------

    def validate_values(
        self,
        values: Mapping[str, Any],
        *,
        current: Mapping[str, str],
        portal_id: int,
        check_external: Callable[[PropertyDefinition, str], PropertyValueError | None] | None = None,
    ) -> dict[str, str]:
        """The stored form of a write, all properties checked at once; one bad value rejects the whole write."""
        clean: dict[str, str] = {}
        problems: list[PropertyValueError] = []
        for name, raw in values.items():
            definition = self.definition(name)
            if definition is None:
                message = f'Property "{name}" does not exist'
                problems.append(PropertyValueError(name, "PROPERTY_DOESNT_EXIST", message))
                continue
            if definition.read_only:
                problems.append(PropertyValueError(name, "READ_ONLY_VALUE", f"{name} is a read only property"))
                continue
            result = coerce(definition, raw, current.get(name))
            if isinstance(result, str) and result and definition.external_options and check_external:
                result = check_external(definition, result) or result
            if isinstance(result, PropertyValueError):
                problems.append(result)
            else:
                clean[definition.name] = result  # the definition's own string: one key object shared by all records
        if problems:
            raise invalid_property_values(problems, portal_id)
        return clean
