"""The older wire formats HubSpot still serves (contacts v1, companies v2, deals v1, properties v1, pipelines v1),
written from the same records, definitions and pipelines the v3 routes read: one record, many wire formats.

Shapes from HubSpot's legacy API reference (legacy.developers.hubspot.com): a property is
`{"value", "versions": [...]}`, contacts are keyed by `vid`, pages say `has-more` with `vid-offset` / `offset`, and a
date or datetime value is a string of epoch milliseconds (a date: its midnight UTC), where v3 writes ISO-8601.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from typing import Any

from simulator.crm.object_types import ObjectType
from simulator.crm.pipelines import Pipeline
from simulator.crm.properties import PropertyDefinition
from simulator.crm.records import Record
from simulator.crm.values import parse_datetime
from simulator.wire import epoch_ms as millis

# What the v1 "all contacts" page shows when it names no property (HubSpot's contacts v1 reference).
CONTACT_PAGE_PROPERTIES = ("firstname", "lastname", "company", "lastmodifieddate")


def _ms(stamp: str | None) -> int | None:
    moment = parse_datetime(stamp) if stamp else None
    return millis(moment) if moment else None


def time_properties(definitions: Iterable[PropertyDefinition]) -> frozenset[str]:
    """The names whose values the legacy formats write in epoch milliseconds."""
    return frozenset(d.name for d in definitions if d.type in ("date", "datetime"))


def _value(name: str, value: str, times: Set[str]) -> str:
    if name in times and value:
        ms = _ms(value)
        if ms is not None:
            return str(ms)
    return value


def _names(record: Record, names: Sequence[str] | None) -> list[str]:
    return sorted(record.values) if names is None else [n for n in names if n in record.values]


def contact_properties(record: Record, names: Sequence[str] | None, times: Set[str]) -> dict[str, Any]:
    """Contacts v1: each value with its versions, newest first (`source-type`, `timestamp` in ms)."""
    return {
        name: {
            "value": _value(name, record.values[name], times),
            "versions": [
                {"value": _value(name, value, times), "source-type": source, "source-id": None, "source-label": None,
                 "timestamp": millis(at), "selected": False}
                for value, at, source in record.history(name)
            ],
        }
        for name in _names(record, names)
    }  # fmt: skip


def object_properties(record: Record, names: Sequence[str] | None, times: Set[str], *,
                      latest_only: bool = False) -> dict[str, Any]:
    """Companies v2 and deals v1: the value, when and by what it was last set, and its versions (only the latest
    with deals v1's `allPropertiesFetchMode=latest_version`)."""
    shown = {}
    for name in _names(record, names):
        history = record.history(name)
        if latest_only:
            history = history[:1]
        _, at, source = history[0]
        shown[name] = {
            "value": _value(name, record.values[name], times), "timestamp": millis(at), "source": source,
            "sourceId": None,
            "versions": [{"name": name, "value": _value(name, value, times), "timestamp": millis(when),
                          "source": origin, "sourceVid": []} for value, when, origin in history],
        }  # fmt: skip
    return shown


def contact(record: Record, portal_id: int, names: Sequence[str] | None, times: Set[str]) -> dict[str, Any]:
    vid = int(record.id)
    identities = [{"type": "LEAD_GUID", "value": f"hubsim-{vid}", "timestamp": millis(record.created_at)}]
    if "email" in record.values:
        identities.insert(0, {"type": "EMAIL", "value": record.values["email"], "timestamp": millis(record.created_at),
                              "is-primary": True})  # fmt: skip
    return {
        "vid": vid,
        "canonical-vid": vid,
        "merged-vids": [int(i) for i in record.values.get("hs_merged_object_ids", "").split(";") if i],
        "portal-id": portal_id,
        "is-contact": True,
        "addedAt": millis(record.created_at),
        "properties": contact_properties(record, names, times),
        "identity-profiles": [{"vid": vid, "saved-at-timestamp": millis(record.updated_at), "deleted-changed-timestamp": 0,
                               "identities": identities}],  # fmt: skip
    }


def company(record: Record, portal_id: int, names: Sequence[str] | None, times: Set[str]) -> dict[str, Any]:
    return {"portalId": portal_id, "companyId": int(record.id), "isDeleted": record.archived,
            "properties": object_properties(record, names, times)}  # fmt: skip


def deal(record: Record, portal_id: int, names: Sequence[str] | None, times: Set[str], links: dict[str, list[int]],
         *, latest_only: bool = False) -> dict[str, Any]:
    return {
        "portalId": portal_id, "dealId": int(record.id), "isDeleted": record.archived,
        "associations": {"associatedVids": links.get("contacts", []),
                         "associatedCompanyIds": links.get("companies", []), "associatedDealIds": []},
        "properties": object_properties(record, names, times, latest_only=latest_only),
    }  # fmt: skip


def property_v1(definition: PropertyDefinition) -> dict[str, Any]:
    """Properties v1 (and v2): the v3 definition in the older field names, times in ms."""
    meta = definition.modification_metadata
    return {
        "name": definition.name, "label": definition.label, "description": definition.description,
        "groupName": definition.group_name, "type": definition.type, "fieldType": definition.field_type,
        "options": [{"label": o.label, "value": o.value, "displayOrder": o.display_order, "hidden": o.hidden,
                     "description": o.description} for o in definition.options],
        "displayOrder": definition.display_order, "hidden": definition.hidden, "formField": definition.form_field,
        "calculated": definition.calculated, "externalOptions": definition.external_options,
        "hubspotDefined": definition.hubspot_defined, "readOnlyValue": meta.read_only_value,
        "readOnlyDefinition": meta.read_only_definition, "mutableDefinitionNotDeletable": not meta.archivable,
        "deleted": definition.archived, "createdAt": _ms(definition.created_at),
        "updatedAt": _ms(definition.updated_at),
    }  # fmt: skip


def deal_pipelines_v1(pipelines: Iterable[Pipeline]) -> list[dict[str, Any]]:
    """/deals/v1/pipelines: stages carry `probability` and `closedWon`."""
    return [
        {"pipelineId": p.id, "label": p.label, "displayOrder": p.display_order, "active": not p.archived,
         "stages": [{"stageId": s.id, "label": s.label, "displayOrder": s.display_order, "active": not s.archived,
                     "probability": float(s.probability or 0), "closedWon": s.is_closed and float(s.probability or 0) == 1}
                    for s in p.stages if not s.archived]}
        for p in pipelines
    ]  # fmt: skip


def crm_pipelines_v1(pipelines: Iterable[Pipeline], object_type: ObjectType) -> dict[str, Any]:
    """/crm-pipelines/v1/pipelines/{deals,tickets}: the object type named, stage metadata as in v3."""
    return {"results": [
        {"objectType": object_type.singular.upper(), "objectTypeId": object_type.object_type_id, "pipelineId": p.id,
         "label": p.label,
         "displayOrder": p.display_order, "active": not p.archived,
         "stages": [{"stageId": s.id, "label": s.label, "displayOrder": s.display_order, "active": not s.archived,
                     "metadata": dict(s.metadata)} for s in p.stages if not s.archived]}
        for p in pipelines
    ]}  # fmt: skip


def daily_limit(usage: dict[str, Any]) -> list[dict[str, Any]]:
    """/integrations/v1/limit/daily: the portal's DAILY rate-limit policy (simulator/ratelimit.py `usage()`) as
    HubSpot's v1 entry, times in ms. The figures are live, so `fetchStatus` is always SUCCESS (never CACHED)."""
    daily = usage["policies"]["daily"]
    return [{"name": "api-calls-daily", "usageLimit": daily["limit"], "currentUsage": daily["current"],
             "collectedAt": _ms(usage["now"]), "fetchStatus": "SUCCESS", "resetsAt": _ms(daily["resetsAt"])}]
