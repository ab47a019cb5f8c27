"""Custom behavioral event definitions (events v3 event-definitions): their wire models, rules and shape.

HubSpot's rules (define-events guide; reference/hubspot-api.md §5.1): `name` lowercase letters, digits and
underscores, starting with a letter, at most 50 characters, generated from the label when absent, immutable; `label`
at most 100 characters; `primaryObject` CONTACT by default; at most 50 custom properties, typed like CRM properties,
an enumeration needs options; `fullyQualifiedName` is `pe{portalId}_{name}` and `objectTypeId` `6-<n>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from simulator.crm.properties import ModificationMetadata, Option, PropertyDefinition
from simulator.errors import ValidationError
from simulator.wire import WireModel, iso

NAME_LIMIT = 50  # HubSpot: event and event property internal names, at most 50 characters
LABEL_LIMIT = 100  # HubSpot: event label, at most 100 characters
PROPERTY_LIMIT = 50  # HubSpot: at most 50 custom properties per event definition
_NAME = re.compile(r"[a-z][a-z0-9_]*")  # always fullmatch: `$` takes a final newline
EventPropertyType = Literal["bool", "date", "datetime", "enumeration", "number", "string"]
FIELD_TYPES = {  # the CRM fieldType each event property type is shown with
    "bool": "booleancheckbox", "date": "date", "datetime": "date", "enumeration": "select", "number": "number",
    "string": "text",
}  # fmt: skip
# The primary objects hubsim records events on, and the CRM store of each.
PRIMARY_OBJECTS = {"CONTACT": "contacts", "COMPANY": "companies", "DEAL": "deals"}
GROUP = "event_properties"  # the groupName event properties are shown in
# HubSpot's default event properties ("includeDefaultProperties"; the send-event-data guide's list). Values are
# strings but for the screen size, a number.
DEFAULT_PROPERTIES = (
    "hs_asset_description", "hs_asset_type", "hs_browser", "hs_campaign_id", "hs_city", "hs_country",
    "hs_device_name", "hs_device_type", "hs_element_class", "hs_element_id", "hs_element_text", "hs_language",
    "hs_link_href", "hs_operating_system", "hs_operating_version", "hs_page_content_type", "hs_page_id",
    "hs_page_title", "hs_page_url", "hs_parent_module_id", "hs_referrer", "hs_region", "hs_screen_height",
    "hs_screen_width", "hs_touchpoint_source", "hs_tracking_name", "hs_user_agent", "hs_utm_campaign",
    "hs_utm_content", "hs_utm_medium", "hs_utm_source", "hs_utm_term",
)  # fmt: skip
_NUMBER_DEFAULTS = {"hs_screen_height", "hs_screen_width"}


class OptionInput(WireModel):
    label: str = Field(max_length=LABEL_LIMIT)
    value: str = Field(max_length=256)
    description: str = ""
    display_order: int = -1
    hidden: bool = False


class EventPropertyCreate(WireModel):
    label: str = Field(min_length=1, max_length=LABEL_LIMIT)
    type: EventPropertyType
    name: str | None = None
    description: str = ""
    options: list[OptionInput] = Field(default_factory=list, max_length=1000)


class EventPropertyPatch(WireModel):
    """Only a property's label, description and options can change (HubSpot's define-events guide)."""

    label: str | None = Field(default=None, min_length=1, max_length=LABEL_LIMIT)
    description: str | None = None
    options: list[OptionInput] | None = Field(default=None, max_length=1000)


class PrimaryObjectRule(WireModel):
    target_object_property_name: str
    event_property_name: str


class CustomMatchingId(WireModel):
    primary_object_rule: PrimaryObjectRule


class EventDefinitionCreate(WireModel):
    label: str = Field(min_length=1, max_length=LABEL_LIMIT)
    name: str | None = None
    description: str = ""
    primary_object: str = "CONTACT"
    include_default_properties: bool = True
    property_definitions: list[EventPropertyCreate] = Field(default_factory=list)
    custom_matching_id: CustomMatchingId | None = None


class PropertyOrder(WireModel):
    name: str
    label: str | None = Field(default=None, min_length=1, max_length=LABEL_LIMIT)
    description: str | None = None
    display_order: int | None = None
    hidden: bool | None = None
    options: list[OptionInput] | None = Field(default=None, max_length=1000)


class EventDefinitionPatch(WireModel):
    label: str | None = Field(default=None, min_length=1, max_length=LABEL_LIMIT)
    description: str | None = None
    header_template: str | None = None
    detail_template: str | None = None
    property_order: list[PropertyOrder] | None = None


def name_from_label(label: str) -> str:
    """HubSpot generates the internal name from the label when none is given."""
    slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    if not slug or not slug[0].isalpha():
        slug = f"event_{slug}".rstrip("_")
    return slug[:NAME_LIMIT].rstrip("_")


def check_name(name: str, what: str) -> None:
    if len(name) > NAME_LIMIT or not _NAME.fullmatch(name):
        raise ValidationError(
            f"{what} {name!r} is invalid: use at most {NAME_LIMIT} lowercase letters, digits and underscores, "
            "starting with a letter",
            context={"name": [name]},
        )


def event_property(request: EventPropertyCreate, at: datetime, order: int) -> PropertyDefinition:
    """A custom event property, shaped as HubSpot shows it (the CRM's Property)."""
    name = request.name if request.name is not None else name_from_label(request.label)
    check_name(name, "Event property name")
    if name.startswith("hs_"):
        raise ValidationError(f"Event property name {name!r} is invalid: the hs_ prefix is reserved for HubSpot")
    options = _options(request.type, request.options, name)
    stamp = iso(at)
    return PropertyDefinition(
        name=name, label=request.label, type=request.type, field_type=FIELD_TYPES[request.type],
        description=request.description, group_name=GROUP, options=options, display_order=order,
        modification_metadata=ModificationMetadata(archivable=True, read_only_definition=False, read_only_value=False),
        created_at=stamp, updated_at=stamp,
    )  # fmt: skip


def patched_property(current: PropertyDefinition, changes: dict[str, Any], at: datetime) -> PropertyDefinition:
    if "options" in changes:
        changes = {**changes, "options": _options(current.type, changes["options"], current.name)}
    return current.model_copy(update={**changes, "updated_at": iso(at)})


def _options(kind: str, options: list[OptionInput], name: str) -> list[Option]:
    if kind == "enumeration" and not options:
        raise ValidationError(f"Event property {name} is an enumeration: it needs at least one option")
    if kind != "enumeration" and options:
        raise ValidationError(f"Event property {name} is not an enumeration: options apply to enumerations only")
    values = [o.value for o in options]
    if len(values) != len(set(values)):
        raise ValidationError(f"Option values of event property {name} must be unique")
    return [Option(**o.model_dump()) for o in options]


def default_properties(at: datetime) -> dict[str, PropertyDefinition]:
    stamp = iso(at)
    return {
        name: PropertyDefinition(
            name=name, label=name.removeprefix("hs_").replace("_", " ").capitalize(),
            type="number" if name in _NUMBER_DEFAULTS else "string",
            field_type="number" if name in _NUMBER_DEFAULTS else "text", group_name=GROUP, display_order=order,
            hubspot_defined=True,
            modification_metadata=ModificationMetadata(
                archivable=False, read_only_definition=True, read_only_value=False
            ),
            created_at=stamp, updated_at=stamp,
        )  # fmt: skip
        for order, name in enumerate(DEFAULT_PROPERTIES)
    }


@dataclass
class EventDefinition:
    """One live custom event definition. Timelines and lists know it by `object_type_id` ("6-...")."""

    id: str
    name: str
    fully_qualified_name: str
    label: str
    description: str
    primary_object: str  # CONTACT, COMPANY or DEAL
    include_default_properties: bool
    custom: dict[str, PropertyDefinition]
    created_at: datetime
    updated_at: datetime
    custom_matching_id: CustomMatchingId | None = None
    header_template: str | None = None
    detail_template: str | None = None
    defaults: dict[str, PropertyDefinition] = field(default_factory=dict)

    @property
    def object_type_id(self) -> str:
        return f"6-{self.id}"

    @property
    def object_type(self) -> str:
        """The CRM store its occurrences are recorded on: contacts, companies or deals."""
        return PRIMARY_OBJECTS[self.primary_object]

    @property
    def properties(self) -> dict[str, PropertyDefinition]:
        """Every property an occurrence may carry: the custom ones, and HubSpot's defaults when included."""
        return {**self.defaults, **self.custom} if self.defaults else self.custom

    def dump(self, *, include_properties: bool = True) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "fullyQualifiedName": self.fully_qualified_name,
            "labels": {"singular": self.label, "plural": self.label},
            "description": self.description,
            "primaryObject": self.primary_object,
            "objectTypeId": self.object_type_id,
            "trackingType": "MANUAL",
            "properties": [p.dump() for p in self.properties.values()] if include_properties else [],
            "associations": [],
            "archived": False,
            "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at),
        }
        if self.custom_matching_id is not None:
            body["customMatchingId"] = self.custom_matching_id.dump()
        if self.header_template is not None:
            body["headerTemplate"] = self.header_template
        if self.detail_template is not None:
            body["detailTemplate"] = self.detail_template
        return body

    # --- snapshots ----------------------------------------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "label": self.label, "description": self.description,
            "primaryObject": self.primary_object, "includeDefaultProperties": self.include_default_properties,
            "properties": [p.dump() for p in self.custom.values()],
            "createdAt": self.created_at.isoformat(), "updatedAt": self.updated_at.isoformat(),
            "customMatchingId": self.custom_matching_id.dump() if self.custom_matching_id else None,
            "headerTemplate": self.header_template, "detailTemplate": self.detail_template,
        }  # fmt: skip

    @classmethod
    def restore(cls, data: dict[str, Any], portal_id: int) -> EventDefinition:
        name = data["name"]
        check_name(name, "Event name")
        if not str(data["id"]).isdigit():
            raise ValueError(f"event definition id {data['id']!r} is not a number")
        if data["primaryObject"] not in PRIMARY_OBJECTS:
            raise ValueError(f"primaryObject {data['primaryObject']!r} is not one of {sorted(PRIMARY_OBJECTS)}")
        created = _aware(data["createdAt"])
        custom = [PropertyDefinition.model_validate(p) for p in data["properties"]]
        matching = data.get("customMatchingId")
        return cls(
            id=str(data["id"]), name=name, fully_qualified_name=f"pe{portal_id}_{name}", label=data["label"],
            description=data["description"], primary_object=data["primaryObject"],
            include_default_properties=bool(data["includeDefaultProperties"]),
            custom={p.name: p for p in custom}, created_at=created, updated_at=_aware(data["updatedAt"]),
            custom_matching_id=CustomMatchingId.model_validate(matching) if matching else None,
            header_template=data.get("headerTemplate"), detail_template=data.get("detailTemplate"),
            defaults=default_properties(created) if data["includeDefaultProperties"] else {},
        )  # fmt: skip


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} needs a time zone")
    return moment
