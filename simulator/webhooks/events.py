"""What one change on the portal's feed means to one subscription: the fields of the events HubSpot would send.

Delivered: creation, deletion, propertyChange, associationChange, merge and restore of contacts, companies and
deals; contact.privacyDeletion (a GDPR delete); event.completed (custom behavioral events). Other event types can
be subscribed to and are never sent (docs/differences.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.crm.object_types import resolve
from simulator.feed import AssociationChanged, EventOccurred, RecordChanged
from simulator.webhooks.apps import Subscription

# The CRM store's name -> the event type's prefix, for the object types hubsim delivers
PREFIXES = {"contacts": "contact", "companies": "company", "deals": "deal"}
# A record change -> the subscription kinds it fires (a GDPR delete is a deletion too; hubsim sends both)
KINDS = {"created": ("creation",), "archived": ("deletion",), "restored": ("restore",),
         "deleted": ("deletion", "privacyDeletion"), "merged": ("merge",)}  # fmt: skip
Fields = dict[str, Any]
ValueOf = Callable[[str, str, str], tuple[str, str] | None]  # (type, id, property) -> (value, change source)


def record_event(change: RecordChanged, sub: Subscription, value_of: ValueOf) -> Fields | None:
    """The event `change` sends to `sub`, if any: objectId first, then what its kind adds."""
    prefix = PREFIXES.get(change.object_type)
    subject, kind = sub.event_type.split(".")
    if prefix is None or subject != prefix:
        return None
    fields: Fields = {"objectId": int(change.object_id)}
    if kind == "propertyChange":
        if change.change not in ("created", "updated") or sub.property_name not in change.properties:
            return None
        found = value_of(change.object_type, change.object_id, sub.property_name)
        value, source = found if found is not None else ("", "API")
        if change.change == "created" and not value:
            return None  # a creation tells the properties it set
        return {**fields, "propertyName": sub.property_name, "propertyValue": value, "changeSource": source}
    if kind not in KINDS.get(change.change, ()):
        return None
    if kind == "merge":
        return {"objectId": int(change.merged_into or change.object_id), "changeSource": "API",
                "primaryObjectId": int(change.object_id), "mergedObjectIds": [],
                "newObjectId": int(change.merged_into or change.object_id)}
    return {**fields, "changeSource": "API" if kind != "privacyDeletion" else "GDPR"}


def absorb_merge(event: Fields, change: RecordChanged) -> bool:
    """Fold a merge's further record into the merge event already made for it; whether it was."""
    if event.get("newObjectId") != int(change.merged_into or 0) or "mergedObjectIds" not in event:
        return False
    event["mergedObjectIds"].append(int(change.object_id))
    return True


def association_events(change: AssociationChanged, sub: Subscription) -> list[Fields]:
    """associationChange, seen from each end whose type the subscription watches."""
    events = []
    for from_type, from_id, to_type, to_id in (
        (change.from_type, change.from_id, change.to_type, change.to_id),
        (change.to_type, change.to_id, change.from_type, change.from_id),
    ):
        if sub.event_type != f"{PREFIXES.get(from_type)}.associationChange" or to_type not in PREFIXES:
            continue
        events.append({
            "changeSource": "API",
            "associationType": f"{PREFIXES[from_type].upper()}_TO_{PREFIXES[to_type].upper()}",
            "fromObjectId": int(from_id),
            "toObjectId": int(to_id),
            "associationRemoved": not change.linked,
            "isPrimaryAssociation": False,
        })
        if change.from_type == change.to_type:
            break  # a record linked to one of its own type: one event, not the same one twice
    return events


def completion_event(change: EventOccurred, sub: Subscription) -> Fields | None:
    """event.completed, for every custom event or only the one the subscription names (eventTypeName)."""
    if sub.event_type != "event.completed":
        return None
    if sub.event_type_name is not None and sub.event_type_name not in (change.event_name, change.event_type_id):
        return None
    return {
        "objectId": int(change.object_id),
        "objectTypeId": resolve(change.object_type).object_type_id,
        "eventTypeId": change.event_type_id,
        "eventName": change.event_name,
        "properties": dict(change.properties),
    }
