"""The built-in actions (SINGLE_CONNECTION), by actionTypeId; hubspot-api.md §7 has the ids and their confidence.

An action type hubsim does not simulate is accepted and, when reached, recorded `notSimulated`; the record goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from simulator.crm.association_kinds import DEFAULT_KIND
from simulator.crm.inputs import AssociationInput, AssociationTarget, AssociationType, ObjectCreate
from simulator.crm.object_types import CONTACTS, DEALS, TASKS, ObjectType
from simulator.crm.object_types import resolve as resolve_type
from simulator.errors import HubSpotError
from simulator.wire import is_decimal_id, iso
from simulator.workflows.definitions import SingleConnectionAction
from simulator.workflows.steps import FAILED, NOT_SIMULATED, SKIPPED, Outcome, Run
from simulator.workflows.values import FieldProblem, check_value, duration, render, resolve

DELAY, DELAY_UNTIL, CREATE_TASK, MARKETING_EMAIL, SET_PROPERTY = "0-1", "0-35", "0-3", "0-4", "0-5"
INTERNAL_EMAIL, IN_APP, ROTATE_OWNER, CREATE_RECORD = "0-8", "0-9", "0-11", "0-14"
LEGACY_LIST, ADD_TO_LIST, REMOVE_FROM_LIST = "0-13", "0-63809083", "0-63863438"
OWNER_PROPERTY = "hubspot_owner_id"
# What a notification shows of the record (HubSpot's internal emails show the record's name, email and owner).
CONTEXT_PROPERTIES = ("email", "firstname", "lastname", "company", "lifecyclestage", OWNER_PROPERTY, "name",
                      "domain", "dealname")  # fmt: skip


def _strings(fields: dict[str, Any], name: str, where: str) -> list[str]:
    raw = fields.get(name, [])
    if isinstance(raw, str | int):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(v, str | int) for v in raw):
        raise FieldProblem(f"{where}{name} must be a list of ids")
    return [str(v) for v in raw]


def _flag(fields: dict[str, Any], name: str, default: bool) -> bool:
    raw = fields.get(name, default)
    return raw if isinstance(raw, bool) else str(raw).lower() == "true"


@dataclass
class Delay:
    action_id: str
    kind: str
    delta: timedelta

    def run(self, run: Run) -> Outcome:
        return Outcome(wait_until=run.now + self.delta, detail={"delay": self.delta.total_seconds()})


@dataclass
class DelayUntil:
    """0-35: until a date (a static one or a date property of the record), optionally at a time of day (UTC)."""

    action_id: str
    kind: str
    date: dict[str, Any]
    hour: int | None
    minute: int

    def run(self, run: Run) -> Outcome:
        raw = resolve(self.date, run.resolution())
        moment = _moment(raw)
        if moment is None:
            return Outcome(detail={"skipped": f"no date to wait for (got {raw!r})"})
        if self.hour is not None:
            moment = moment.replace(hour=self.hour, minute=self.minute, second=0, microsecond=0)
        return Outcome(wait_until=max(moment, run.now), detail={"until": iso(moment)})


def _moment(raw: str) -> datetime | None:
    if not raw:
        return None
    if is_decimal_id(raw):  # epoch milliseconds; "²".isdigit() is true too
        return datetime.fromtimestamp(int(raw) / 1000, UTC)
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass
class SetProperty:
    action_id: str
    kind: str
    property_name: str
    value: dict[str, Any]

    def run(self, run: Run) -> Outcome:
        current = run.values().get(self.property_name, "")
        new = resolve(self.value, run.resolution(), current)
        store = run.services().crm.objects(run.object_type.name)
        try:
            store.update(run.object_id, {self.property_name: new})
        except HubSpotError as exc:
            return Outcome(FAILED, {"error": exc.message, "property": self.property_name})
        return Outcome(detail={"property": self.property_name, "value": new, "previous": current})


@dataclass
class CreateTask:
    action_id: str
    kind: str
    fields: dict[str, Any]
    due: timedelta

    def run(self, run: Run) -> Outcome:
        values = run.values()
        owner_value = self.fields.get("owner_assignment")
        owner = (resolve(owner_value["value"] if "value" in owner_value else owner_value, run.resolution())
                 if isinstance(owner_value, dict) else values.get(OWNER_PROPERTY, ""))  # fmt: skip
        properties = {
            "hs_task_subject": render(str(self.fields.get("subject", "")), values),
            "hs_task_body": render(str(self.fields.get("body", "")), values),
            "hs_task_type": str(self.fields.get("task_type", "TODO")),
            "hs_task_priority": str(self.fields.get("priority", "NONE")),
            "hs_task_status": "NOT_STARTED",
            "hs_timestamp": iso(run.now + self.due),
        }
        if owner:
            properties[OWNER_PROPERTY] = owner
        link = _link(TASKS, run.object_type, run.object_id)
        try:
            task = run.services().crm.objects(TASKS.name).create(ObjectCreate(properties=properties, associations=link))
        except HubSpotError as exc:
            return Outcome(FAILED, {"error": exc.message})
        return Outcome(detail={"taskId": task.id, "ownerId": owner or None})


def _link(new_type: ObjectType, to_type: ObjectType, to_id: str) -> list[AssociationInput]:
    kind = DEFAULT_KIND.get((new_type.name, to_type.name))
    if kind is None:
        return []
    spec = AssociationType(association_category="HUBSPOT_DEFINED", association_type_id=kind.type_id)
    return [AssociationInput(to=AssociationTarget(id=to_id), types=[spec])]


@dataclass
class Notify:
    """0-4 marketing email to the record; 0-8 internal email and 0-9 in-app notification to users and owners."""

    action_id: str
    kind: str
    fields: dict[str, Any]

    KINDS = {MARKETING_EMAIL: "MARKETING_EMAIL", INTERNAL_EMAIL: "INTERNAL_EMAIL", IN_APP: "IN_APP_NOTIFICATION"}

    def run(self, run: Run) -> Outcome:
        engine = run.services()
        values = run.values()
        entry: dict[str, Any] = {"type": self.KINDS[self.kind]}
        if self.kind == MARKETING_EMAIL:
            if not values.get("email"):
                return Outcome(SKIPPED, {"reason": "the record has no email address"})
            entry |= {"contentId": str(self.fields.get("content_id", "")), "to": values["email"]}
        else:
            recipients = engine.recipients(
                user_ids=_strings(self.fields, "user_ids", ""),
                team_ids=_strings(self.fields, "team_ids", ""),
                owner_ids=[values[p] for p in _strings(self.fields, "owner_properties", "") if values.get(p)],
            )
            if not recipients:
                return Outcome(SKIPPED, {"reason": "no user, team or owner to notify"})
            entry["recipients"] = recipients
            if self.kind == IN_APP:
                entry["deliveryMethod"] = str(self.fields.get("delivery_method", "APP"))
        entry |= {
            "subject": render(str(self.fields.get("subject", "")), values),
            "body": render(str(self.fields.get("body", "")), values),
            "record": {"objectTypeId": run.object_type.object_type_id, "id": run.object_id,
                       "properties": {p: values[p] for p in CONTEXT_PROPERTIES if p in values}},
        }  # fmt: skip
        message = engine.outbox.add(run, entry)
        return Outcome(detail={"outboxId": message["id"]})


@dataclass
class RotateOwner:
    action_id: str
    kind: str
    owner_ids: list[str]
    team_ids: list[str]
    target: str
    overwrite: bool

    def run(self, run: Run) -> Outcome:
        engine = run.services()
        if not self.overwrite and run.values().get(self.target):
            return Outcome(SKIPPED, {"reason": "the record already has an owner", "ownerId": run.values()[self.target]})
        candidates = engine.owner_pool(self.owner_ids, self.team_ids)
        if not candidates:
            return Outcome(FAILED, {"error": "none of the listed owners is active"})
        owner = candidates[engine.next_rotation(run.flow_id, self.action_id) % len(candidates)]
        try:
            engine.crm.objects(run.object_type.name).update(run.object_id, {self.target: owner})
        except HubSpotError as exc:
            return Outcome(FAILED, {"error": exc.message})
        return Outcome(detail={"ownerId": owner})


@dataclass
class CreateRecord:
    """0-14: a record of another type from value objects, linked to the enrolled record (a deal also to the
    contact's companies)."""

    action_id: str
    kind: str
    object_type: ObjectType
    properties: list[tuple[str, dict[str, Any]]]

    def run(self, run: Run) -> Outcome:
        engine = run.services()
        context = run.resolution()
        values = {name: resolve(value, context) for name, value in self.properties}
        links = _link(self.object_type, run.object_type, run.object_id)
        if self.object_type is DEALS and run.object_type is CONTACTS:
            companies = engine.crm.associations.targets(CONTACTS, run.object_id, resolve_type("companies"))
            for company_id, _ in companies:
                links += _link(DEALS, resolve_type("companies"), company_id)
        try:
            record = engine.crm.objects(self.object_type.name).create(ObjectCreate(properties=values, associations=links))
        except HubSpotError as exc:
            return Outcome(FAILED, {"error": exc.message})
        return Outcome(detail={"objectTypeId": self.object_type.object_type_id, "objectId": record.id})


@dataclass
class ListMembership:
    """Add to / remove from a static (MANUAL or SNAPSHOT) list, through the lists store."""

    action_id: str
    kind: str
    list_id: str
    add: bool

    def run(self, run: Run) -> Outcome:
        lists = run.services().lists()
        if lists is None:
            return Outcome(FAILED, {"error": "this hubsim has no lists store"})
        try:
            (lists.add_members if self.add else lists.remove_members)(self.list_id, [run.object_id])
        except HubSpotError as exc:
            return Outcome(FAILED, {"error": exc.message, "listId": self.list_id})
        return Outcome(detail={"listId": self.list_id, "operation": "ADD" if self.add else "REMOVE"})


@dataclass
class NotSimulated:
    action_id: str
    kind: str

    def run(self, run: Run) -> Outcome:
        return Outcome(NOT_SIMULATED, {"reason": f"hubsim does not simulate action type {self.kind}"})


def compile_single(action: SingleConnectionAction, env: Any) -> Any:
    """The runnable step of a built-in action, its fields checked; raises FieldProblem naming the field."""
    kind, fields, aid = action.action_type_id, action.fields, action.action_id
    if kind == DELAY:
        return Delay(aid, kind, duration(fields.get("delta"), fields.get("time_unit"), "fields."))
    if kind == DELAY_UNTIL:
        check_value(fields.get("date"), "fields.date")
        time_of_day = fields.get("time_of_day") or {}
        hour, minute = time_of_day.get("hour"), time_of_day.get("minute", 0)
        if hour is not None and not (isinstance(hour, int) and 0 <= hour < 24 and isinstance(minute, int)
                                     and 0 <= minute < 60):  # fmt: skip
            raise FieldProblem("fields.time_of_day needs an hour 0-23 and a minute 0-59")
        return DelayUntil(aid, kind, fields["date"], hour, minute)
    if kind == SET_PROPERTY:
        name = fields.get("property_name")
        env.check_property(name, "fields.property_name")
        check_value(fields.get("value"), "fields.value")
        return SetProperty(aid, kind, name, fields["value"])
    if kind == CREATE_TASK:
        due = fields.get("due_time") or {}
        if not isinstance(due, dict):
            raise FieldProblem("fields.due_time must be an object with delta and time_unit")
        owner = fields.get("owner_assignment")
        if owner is not None:
            check_value(owner.get("value", owner) if isinstance(owner, dict) else owner, "fields.owner_assignment")
        delta = duration(due["delta"], due.get("time_unit", "DAYS"), "fields.due_time.") if due else timedelta(0)
        return CreateTask(aid, kind, fields, delta)
    if kind in Notify.KINDS:
        for name in ("user_ids", "team_ids", "owner_properties"):
            _strings(fields, name, "fields.")
        if kind == MARKETING_EMAIL and not fields.get("content_id"):
            raise FieldProblem("fields.content_id (the marketing email's id) is required")
        return Notify(aid, kind, fields)
    if kind == ROTATE_OWNER:
        owners, teams = _strings(fields, "user_ids", "fields."), _strings(fields, "team_ids", "fields.")
        if not owners and not teams:
            raise FieldProblem("fields.user_ids or fields.team_ids must name the owners to rotate between")
        target = str(fields.get("target_property", OWNER_PROPERTY))
        env.check_property(target, "fields.target_property")
        return RotateOwner(aid, kind, owners, teams, target, _flag(fields, "overwrite_current_owner", False))
    if kind == CREATE_RECORD:
        return _compile_create_record(action, env)
    if kind in (LEGACY_LIST, ADD_TO_LIST, REMOVE_FROM_LIST):
        list_id = fields.get("list_id", fields.get("listId"))
        if not isinstance(list_id, str | int) or not str(list_id).isdigit():
            raise FieldProblem("fields.listId must be the id of a static list")
        add = kind == ADD_TO_LIST or (kind == LEGACY_LIST and fields.get("operation", "ADD") == "ADD")
        return ListMembership(aid, kind, str(list_id), add)
    return NotSimulated(aid, kind)


def _compile_create_record(action: SingleConnectionAction, env: Any) -> CreateRecord:
    fields = action.fields
    try:
        object_type = resolve_type(str(fields.get("object_type_id", "")))
    except HubSpotError:
        raise FieldProblem(f"fields.object_type_id {fields.get('object_type_id')!r} is not an object type hubsim "
                           "simulates") from None  # fmt: skip
    rows = fields.get("properties", [])
    if not isinstance(rows, list):
        raise FieldProblem("fields.properties must be a list of {targetProperty, value}")
    properties = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("targetProperty"), str):
            raise FieldProblem(f"fields.properties[{i}] needs a targetProperty")
        env.check_property(row["targetProperty"], f"fields.properties[{i}].targetProperty", object_type)
        check_value(row.get("value"), f"fields.properties[{i}].value")
        properties.append((row["targetProperty"], row["value"]))
    return CreateRecord(action.action_id, action.action_type_id, object_type, properties)
