"""The mapping file: which HubSpot properties the sync owns, and what each product event does to a contact.

    contact_properties: [{name: pql_score, label: PQL score, type: number}, ...]    # ensured, idempotently
    company_properties / deal_properties: the same (`unique: true` makes a property an upsert key)
    user_fields: {first_name: firstname, ...}        # users.jsonl field -> contact property
    account_fields: {domain: domain, ...}            # accounts.jsonl field -> company property
    events:
      trial_started:
        properties: {trial_days: number}             # the custom behavioral event's declared properties
        set: {trial_status: Active}                  # contact properties it sets ("{plan}": an event property,
                                                     #   "{timestamp}": when it happened)
      teammate_invited: {count: teammates_invited}   # a contact property counting occurrences
      upgraded: {billing: upgrade}                   # a closed-won deal (amount = ARR) for the account

Every event listed is sent as a custom behavioral event named after it; events not listed are scored only.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from scoring.model import Strict, _read, parse

DEFAULT_MAPPING = "plg-mapping.yaml"
PropertyType = Literal["string", "number", "bool", "datetime", "date", "enumeration"]
FIELD_TYPES = {"string": "text", "number": "number", "bool": "booleancheckbox", "datetime": "date", "date": "date",
               "enumeration": "select"}  # HubSpot's valid type/fieldType pairs (properties guide)


class PropertySpec(Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    type: PropertyType
    field_type: str | None = None
    options: tuple[str, ...] = ()
    unique: bool = False

    @model_validator(mode="after")
    def _options(self) -> PropertySpec:
        if (self.type == "enumeration") != bool(self.options):
            raise ValueError("an enumeration needs options, and only an enumeration has them")
        return self

    def definition(self, group: str) -> dict[str, Any]:
        """The Properties API body creating it."""
        body: dict[str, Any] = {"name": self.name, "label": self.label, "type": self.type, "groupName": group,
                                "fieldType": self.field_type or FIELD_TYPES[self.type]}
        if self.type == "bool":
            body["options"] = [{"label": "Yes", "value": "true", "displayOrder": 0},
                               {"label": "No", "value": "false", "displayOrder": 1}]
        elif self.options:
            body["options"] = [{"label": o, "value": o, "displayOrder": k} for k, o in enumerate(self.options)]
        if self.unique:
            body["hasUniqueValue"] = True
        return body


EventPropertyType = Literal["string", "number", "bool", "datetime"]


class EventMapping(Strict):
    properties: dict[str, EventPropertyType] = Field(default_factory=dict)
    set: dict[str, str] = Field(default_factory=dict)
    count: str | None = None
    billing: Literal["upgrade"] | None = None
    send: bool = True


class PropertyGroup(Strict):
    name: str
    label: str


class SyncMapping(Strict):
    property_group: PropertyGroup
    contact_properties: tuple[PropertySpec, ...] = ()
    company_properties: tuple[PropertySpec, ...] = ()
    deal_properties: tuple[PropertySpec, ...] = ()
    user_fields: dict[str, str] = Field(default_factory=dict)
    account_fields: dict[str, str] = Field(default_factory=dict)
    events: dict[str, EventMapping] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _counts_are_declared(self) -> SyncMapping:
        declared = {p.name for p in self.contact_properties}
        for name, event in self.events.items():
            if event.count is not None and event.count not in declared:
                raise ValueError(f"events.{name}.count: {event.count} is not among contact_properties")
        return self

    def effects(self, name: str, properties: Mapping[str, Any], timestamp: str, counts: dict[str, int]
                ) -> dict[str, str]:
        """The contact properties one occurrence sets; `counts` (the contact's running counters) is updated."""
        event = self.events.get(name)
        if event is None:
            return {}
        values = {prop: _fill(template, properties, timestamp) for prop, template in event.set.items()}
        if event.count is not None:
            counts[event.count] = counts.get(event.count, 0) + 1
            values[event.count] = str(counts[event.count])
        return values

    def event_properties(self, name: str, properties: Mapping[str, Any]) -> dict[str, str]:
        """An occurrence's properties as HubSpot takes them: the declared ones, as strings."""
        declared = self.events[name].properties
        return {k: _text(v) for k, v in properties.items() if k in declared and v is not None}


def _fill(template: str, properties: Mapping[str, Any], timestamp: str) -> str:
    if template == "{timestamp}":
        return timestamp
    if template.startswith("{") and template.endswith("}"):
        return _text(properties.get(template[1:-1], ""))
    return template


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def load_mapping(path: str | Path | None = None) -> SyncMapping:
    """The mapping at `path`, or the packaged plg mapping."""
    return parse(SyncMapping, _read(path, DEFAULT_MAPPING))
