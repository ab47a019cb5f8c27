"""Ensuring the schema the sync writes to: property groups, properties and custom event definitions.

Idempotent: it reads what exists and creates only what is missing, so a second run makes no writes. A definition
created by someone else keeps its properties; missing ones are added to it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scoring.client import Conflict, HubSpotClient, NotFound
from scoring.mapping import PropertySpec, SyncMapping

EVENT_PAGE = 100


def ensure_schema(client: HubSpotClient, mapping: SyncMapping, *, send_events: bool = True) -> dict[str, str]:
    """Create what is missing; answers each mapped event's fully qualified name (`pe{portalId}_{name}`)."""
    group = mapping.property_group
    for object_type, specs in (("contacts", mapping.contact_properties), ("companies", mapping.company_properties),
                               ("deals", mapping.deal_properties)):
        if specs:
            _ensure_group(client, object_type, group.name, group.label)
            _ensure_properties(client, object_type, specs, group.name)
    if not send_events:
        return {}
    return _ensure_event_definitions(client, mapping)


def _ensure_group(client: HubSpotClient, object_type: str, name: str, label: str) -> None:
    try:
        client.request("GET", f"/crm/v3/properties/{object_type}/groups/{name}")
    except NotFound:
        try:
            client.request("POST", f"/crm/v3/properties/{object_type}/groups", json_body={"name": name, "label": label})
        except Conflict:
            pass  # created meanwhile by another run


def _ensure_properties(client: HubSpotClient, object_type: str, specs: Sequence[PropertySpec], group: str) -> None:
    existing = {p["name"] for p in client.request("GET", f"/crm/v3/properties/{object_type}")["results"]}
    missing = [spec.definition(group) for spec in specs if spec.name not in existing]
    if missing:
        client.request("POST", f"/crm/v3/properties/{object_type}/batch/create", json_body={"inputs": missing})


def _ensure_event_definitions(client: HubSpotClient, mapping: SyncMapping) -> dict[str, str]:
    existing: dict[str, dict[str, Any]] = {}
    after = None
    while True:
        params = {"limit": EVENT_PAGE, "includeProperties": "true"} | ({"after": after} if after else {})
        page = client.request("GET", "/events/v3/event-definitions", params=params)
        for definition in page.get("results", []):
            existing[definition["name"]] = definition
        after = ((page.get("paging") or {}).get("next") or {}).get("after")
        if not after:
            break
    names = {}
    for name, event in mapping.events.items():
        if not event.send:
            continue
        declared = [{"name": prop, "label": prop.replace("_", " ").capitalize(), "type": kind}
                    for prop, kind in event.properties.items()]
        definition = existing.get(name)
        if definition is None:
            definition = client.request("POST", "/events/v3/event-definitions", json_body={
                "name": name, "label": name.replace("_", " ").capitalize(), "primaryObject": "CONTACT",
                "includeDefaultProperties": True, "propertyDefinitions": declared})
        else:
            has = {p["name"] for p in definition.get("properties", [])}
            for prop in declared:
                if prop["name"] not in has:
                    client.request("POST", f"/events/v3/event-definitions/{name}/property", json_body=prop)
        names[name] = definition["fullyQualifiedName"]
    return names
