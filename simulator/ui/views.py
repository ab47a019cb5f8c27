"""What the inspector shows, read from one Portal into plain rows: no Flask, no HTML.

Everything is read under the portal lock, so a page never shows a half-applied batch. The stores built by later
pieces (events, lists, workflows) are read only when the portal has them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simulator.crm.default_properties import LIFECYCLE_STAGES
from simulator.crm.object_types import OBJECT_TYPES, ObjectType
from simulator.crm.records import Record
from simulator.hub import Portal

CONTACT_PAGE = 50
RECENT = 20
TIMELINE_EVENTS = 200  # the newest custom events on a contact's timeline  # recent 429s and faults on the overview
# The PLG playbook's score and label (the demo defines them); any portal may have them or not.
SCORE_PROPERTY = "pql_score"
LABEL_PROPERTY = "pql_label"
# The funnel as the CRM sees it: HubSpot's lifecycle stages from lead to customer, in order (a contact has passed
# every stage before its own; subscribers are not leads yet, evangelists are customers still).
CONTACTS_TYPE_ID = "0-1"
# HubSpot's calculated bookkeeping, written with every change: noise on a timeline
BOOKKEEPING = frozenset({"lastmodifieddate", "hs_lastmodifieddate", "createdate", "hs_createdate", "hs_object_id",
                         "hs_email_domain"})
# What names an associated record on a contact's page: HubSpot's primary display property of each object, then what
# tells two apart (a company's domain, a deal's stage and amount). Other objects: their first searchable property.
DISPLAY = {"companies": ("name", "domain"), "deals": ("dealname", "dealstage", "amount"),
           "tasks": ("hs_task_subject", "hs_task_status"), "tickets": ("subject", "hs_pipeline_stage")}
LINKED_SHOWN = 20  # associated records listed per object type on a contact's page; the count covers them all
FUNNEL_STAGES = ("lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer")
STAGE_LABELS = dict(LIFECYCLE_STAGES)


@dataclass
class ContactRow:
    id: str
    email: str
    name: str
    score: str
    label: str
    stage: str
    owner: str
    updated: datetime


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # "property", "created", "association"...
    title: str
    detail: str = ""


@dataclass
class Overview:
    portal_id: int
    tier: str
    now: datetime
    frozen: bool
    counts: dict[str, int]
    owners: int
    windows: list[dict[str, Any]]
    throttled: list[dict[str, Any]]
    faults: list[dict[str, Any]]
    journal_size: int
    extras: dict[str, int] = field(default_factory=dict)


def overview(portal: Portal) -> Overview:
    usage = portal.limiter.usage()
    windows = [{"label": policy["policyName"], "used": policy["current"], "limit": policy["limit"],
                "peak": policy.get("peak"), "rejected": policy["rejected"]}
               for policy in usage["policies"].values()]
    _, recent = portal.journal.query(limit=None)
    throttled = [entry.dump() for entry in recent if entry.throttled_by][:RECENT]
    faults = [entry.dump() for entry in recent if entry.fault or entry.status >= 500][:RECENT]
    with portal.lock:
        counts = {t.name: len(portal.objects(t.name)) for t in OBJECT_TYPES}
        owners = len(portal.crm.owners.page(limit=10_000, after=None, email=None, archived=False)[0])
    return Overview(portal.id, portal.settings.tier, portal.clock.now(), portal.clock.frozen, counts, owners,
                    windows, throttled, faults, len(recent))


def owner_names(portal: Portal) -> dict[str, str]:
    owners, _ = portal.crm.owners.page(limit=10_000, after=None, email=None, archived=False)
    return {o.id: f"{o.first_name} {o.last_name}" for o in owners}


def contacts(portal: Portal, *, query: str = "", stage: str = "", limit: int = CONTACT_PAGE,
             offset: int = 0) -> tuple[int, list[ContactRow]]:
    """(how many match, one page of them): newest first, matched on email, name or id, and on lifecycle stage."""
    needle = query.strip().lower()
    with portal.lock:
        names = owner_names(portal)
        found = [r for r in portal.objects("contacts").records()
                 if (not stage or r.values.get("lifecyclestage") == stage) and (not needle or _matches(r, needle))]
        found.sort(key=lambda r: (r.updated_at, int(r.id)), reverse=True)
        return len(found), [_row(r, names) for r in found[offset:offset + limit]]


def _matches(record: Record, needle: str) -> bool:
    values = record.values
    return needle == record.id or any(needle in values.get(name, "").lower()
                                      for name in ("email", "firstname", "lastname", "company"))


def _row(record: Record, names: dict[str, str]) -> ContactRow:
    v = record.values
    owner = v.get("hubspot_owner_id", "")
    return ContactRow(record.id, v.get("email", ""), " ".join(filter(None, (v.get("firstname"), v.get("lastname")))),
                      v.get(SCORE_PROPERTY, ""), v.get(LABEL_PROPERTY, ""),
                      STAGE_LABELS.get(v.get("lifecyclestage", ""), v.get("lifecyclestage", "")),
                      names.get(owner, owner), record.updated_at)


@dataclass
class Linked:
    """The records of one object type associated with a contact: how many, and the first LINKED_SHOWN by id."""
    label: str  # the object type: "Companies"
    count: int
    records: list[tuple[str, str, str]]  # (id, name, detail)


@dataclass
class ContactDetail:
    row: ContactRow
    properties: list[tuple[str, str]]
    associations: list[Linked]
    timeline: list[TimelineEntry]


def contact(portal: Portal, contact_id: str) -> ContactDetail:
    """One contact: its properties, associations and timeline (newest first). Unknown: ObjectNotFound (404)."""
    with portal.lock:
        record = portal.objects("contacts").get(contact_id)
        names = owner_names(portal)
        links = [_linked(portal, record.id, t) for t in OBJECT_TYPES if t.name != "contacts"]
        entries = [*_property_history(record), *_events(portal, record.id), *_workflow_steps(portal, record.id),
                   *_messages(portal, record.id), *_list_joins(portal, record.id)]
        timeline = sorted(entries, key=lambda e: e.at, reverse=True)
        return ContactDetail(_row(record, names), sorted(record.values.items()),
                             [linked for linked in links if linked.count], timeline)


def _linked(portal: Portal, contact_id: str, to_type: ObjectType) -> Linked:
    ids = [to_id for to_id, _ in portal.crm.associations.targets(portal.object_type("contacts"), contact_id, to_type)]
    shown = DISPLAY.get(to_type.name, to_type.search_properties[:1])
    records = []
    for to_id in ids[:LINKED_SHOWN]:
        values = portal.objects(to_type.name).get(to_id).values
        name, *details = [values.get(prop, "") for prop in shown] or [""]
        records.append((to_id, name or f"{to_type.label} {to_id}", " · ".join(filter(None, details))))
    return Linked(to_type.name.replace("_", " ").capitalize(), len(ids), records)


def _property_history(record: Record) -> Iterable[TimelineEntry]:
    for number, (at, source, changes) in enumerate(record.versions):
        if number == 0:
            yield TimelineEntry(at, "created", "Contact created", f"by {source}")
            continue
        for name, value in sorted(changes.items()):
            if name in BOOKKEEPING:
                continue
            shown = STAGE_LABELS.get(value, value) if name == "lifecyclestage" else value
            yield TimelineEntry(at, "property", f"{name} set to {shown}" if value else f"{name} cleared",
                                f"by {source}")


def _events(portal: Portal, contact_id: str) -> Iterable[TimelineEntry]:
    occurrences, _ = portal.events.occurrences(
        object_type="contacts", object_id=contact_id, email=None, event_type=None, occurred_after=None,
        occurred_before=None, descending=True, after=None, limit=TIMELINE_EVENTS)
    for occurrence in occurrences:
        definition = portal.events.definition(occurrence.event_type_id)
        name = definition.label if definition else occurrence.event_name
        detail = ", ".join(f"{k}={v}" for k, v in sorted(occurrence.properties.items()))
        yield TimelineEntry(occurrence.occurred_at, "event", name, detail)


def _workflow_steps(portal: Portal, contact_id: str) -> Iterable[TimelineEntry]:
    engine = portal.workflows
    for flow in engine.flows:
        for enrollment in engine.enrollments.of_flow(flow.id, contact_id):
            for step in enrollment.history:
                what = (f"action {step['actionId']} ({step.get('actionType', '')}): {step['result']}"
                        if step["event"] == "ACTION" else step["event"].lower())
                detail = ", ".join(f"{k}={v}" for k, v in step.items()
                                   if k not in ("at", "event", "actionId", "actionType", "result"))
                yield TimelineEntry(_time(step["at"]), "workflow", f"Workflow {flow.name}: {what}", detail)


def _messages(portal: Portal, contact_id: str) -> Iterable[TimelineEntry]:
    for message in portal.workflows.outbox.query(object_id=contact_id):
        to = ", ".join(str(r.get("email") or r.get("id", "")) for r in message.get("recipients", [])) or \
            message.get("to", "")
        yield TimelineEntry(_time(message["sentAt"]), "message",
                            f"{message['type'].replace('_', ' ').lower()}: {message.get('subject', '')}", f"to {to}")


def _list_joins(portal: Portal, contact_id: str) -> Iterable[TimelineEntry]:
    for found, first, last in portal.lists.memberships_of(CONTACTS_TYPE_ID, contact_id):
        yield TimelineEntry(first, "list", f"Joined list {found.name}")
        if last != first:
            yield TimelineEntry(last, "list", f"Joined list {found.name} again")


def _time(stamp: str | datetime) -> datetime:
    """Stores keep some times as datetimes and some as HubSpot's ISO strings."""
    return stamp if isinstance(stamp, datetime) else datetime.fromisoformat(stamp.replace("Z", "+00:00"))


@dataclass
class FlowRow:
    id: str
    name: str
    enabled: bool
    counts: dict[str, int]
    actions: list[tuple[str, str, dict[str, int]]]  # (action id, type, results by kind)


def workflows(portal: Portal) -> list[FlowRow]:
    engine = portal.workflows
    rows = []
    with portal.lock:
        for flow in engine.flows:
            actions: dict[str, tuple[str, Counter[str]]] = {}
            for enrollment in engine.enrollments.of_flow(flow.id):
                for step in enrollment.history:
                    if step["event"] == "ACTION":
                        kind, results = actions.setdefault(step["actionId"], (step.get("actionType", ""), Counter()))
                        results[step["result"]] += 1
            rows.append(FlowRow(flow.id, flow.name, flow.enabled, engine.enrollments.counts(flow.id),
                                [(aid, kind, dict(results)) for aid, (kind, results) in
                                 sorted(actions.items(), key=lambda item: int(item[0]) if item[0].isdigit() else 0)]))
    return rows


@dataclass
class ListRow:
    id: str
    name: str
    processing_type: str
    size: int
    last_added: datetime | None
    members: list[tuple[str, datetime]]


def lists(portal: Portal, *, members: int = 0) -> list[ListRow]:
    """Every live list with its size, and its newest `members` (record id, joined) when asked."""
    with portal.lock:
        return [ListRow(found.id, found.name, found.processing_type, len(found.members), found.last_added_at,
                        list(reversed(list(found.members.items())))[:members])
                for found in portal.lists.all()]


def lifecycle_funnel(portal: Portal) -> list[tuple[str, int]]:
    """Contacts that reached each lifecycle stage or a later one (HubSpot's stages only move forward by default)."""
    with portal.lock:
        stages = Counter(r.values.get("lifecyclestage", "") for r in portal.objects("contacts").records())
    reached, steps = stages.get("evangelist", 0), []
    for name in reversed(FUNNEL_STAGES):
        reached += stages.get(name, 0)
        steps.append((STAGE_LABELS[name], reached))
    return list(reversed(steps))


def journal(portal: Portal, *, method: str | None = None, path: str | None = None, status: str | None = None,
            limit: int = 200) -> tuple[int, list[dict[str, Any]]]:
    total, entries = portal.journal.query(method=method or None, path=path or None, status=status or None,
                                          limit=limit)
    return total, [entry.dump() for entry in entries]
