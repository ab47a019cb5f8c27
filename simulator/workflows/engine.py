"""The workflow engine of one portal (`portal.workflows`): enrollment, running actions, delays on the scheduler.

Enrollment happens inline where the trigger is seen (a change on the feed, a list's watch, a control call), under the
portal lock; it only records the enrollment and schedules its first step "now". The portal runs due work before an
API call answers and while the clock advances, so by then every action due has run, in time order (DESIGN.md).
A step that waits (a delay) schedules the enrollment's wake-up; a webhook hands its HTTP request to the portal,
which sends it after releasing the lock, and the record goes on once the outcome is recorded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from simulator.crm.object_types import ObjectType
from simulator.crm.stores import CrmStores
from simulator.errors import HubSpotError, ValidationError
from simulator.feed import EventOccurred
from simulator.webhooks.worker import Delivery, DeliveryWorker
from simulator.webhooks.worker import Outcome as DeliveryOutcome
from simulator.workflows import playbook
from simulator.workflows.definitions import FlowCreate, ListBasedCriteria, ManualEnroll
from simulator.workflows.enrollments import ACTIVE, COMPLETED, UNENROLLED, WAITING, Enrollment, Enrollments
from simulator.workflows.flows import Flow, FlowStore
from simulator.workflows.outbox import Outbox
from simulator.workflows.playbook import PlaybookInstall
from simulator.workflows.steps import FAILED, UNSET
from simulator.workflows.values import FieldProblem, Resolution
from simulator.workflows.webhook import Request

ScheduleAt = Callable[[datetime, Callable[[datetime], Iterable[Callable[[], None]] | None]], None]


class CompileEnv:
    """What compiling a flow may ask: does a property exist, what does a filter branch mean."""

    def __init__(self, engine: WorkflowEngine, object_type: ObjectType | None = None):
        self._engine, self.object_type = engine, object_type

    def for_type(self, object_type: ObjectType) -> CompileEnv:
        return CompileEnv(self._engine, object_type)

    def lists(self) -> Any:
        return self._engine.lists()

    def check_property(self, name: Any, where: str, object_type: ObjectType | None = None) -> None:
        target = object_type or self.object_type
        if not isinstance(name, str) or self._engine.crm.properties[target.name].definition(name) is None:
            raise FieldProblem(f"{where} {name!r} is not a property of {target.name}")

    def parse_branch(self, raw: Any, where: str) -> Any:
        lists = self._engine.lists()
        if lists is None:
            raise FieldProblem(f"{where}: filter branches need the lists store, which this hubsim does not have")
        try:
            return lists.parse_branch(raw, self.object_type.object_type_id)
        except HubSpotError as exc:
            raise FieldProblem(f"{where}: {exc.message}") from None


class StepRun:
    """One enrolled record at one step: what an action reads and whom it asks (steps.Run)."""

    def __init__(self, engine: WorkflowEngine, flow: Flow, enrollment: Enrollment, action_id: str, now: datetime):
        self._engine, self._enrollment = engine, enrollment
        self.flow_id, self.flow_name, self.action_id, self.now = flow.id, flow.name, action_id, now
        self.object_type: ObjectType = flow.object_type
        self.object_id, self.enrollment_id = enrollment.object_id, enrollment.id
        self.portal_id = engine.portal_id

    def values(self) -> Mapping[str, str]:
        return self._engine.crm.objects(self.object_type.name).get(self.object_id).values

    def resolution(self) -> Resolution:
        return Resolution(self.values(), self.now, self._enrollment.event or {})

    def services(self) -> WorkflowEngine:
        return self._engine


class WorkflowEngine:
    def __init__(self, crm: CrmStores, *, lock: threading.RLock, now: Callable[[], datetime], portal_id: int,
                 schedule_at: ScheduleAt, deliveries: DeliveryWorker, lists: Callable[[], Any] = lambda: None,
                 events: Callable[[], Any] = lambda: None, webhooks: Callable[[], Any] = lambda: None):  # fmt: skip
        self.crm = crm
        self.webhooks = webhooks
        self.portal_id = portal_id
        self.lists = lists
        self.events = events
        self._lock = lock
        self._now = now
        self._schedule_at = schedule_at
        self._deliveries = deliveries
        self.flows = FlowStore(portal_id, now, CompileEnv(self))
        self.outbox = Outbox()
        self.enrollments = Enrollments()
        self.rotation: dict[str, int] = {}  # "flowId:actionId" -> owners handed out so far (round robin)
        self.secrets: dict[str, str] = {}  # webhook AUTH_KEY secrets by name (never saved)
        self._by_event: dict[str, list[tuple[Flow, Any]]] = {}
        self._watches: dict[str, Any] = {}
        self._starting: list[tuple[Enrollment, int]] = []  # enrolled, first step not run yet
        crm.feed.subscribe(self._on_event, EventOccurred)

    # --- flows (automation v4) ---------------------------------------------------------------------------------

    def create_flow(self, body: Any) -> dict[str, Any]:
        with self._lock:
            flow = self.flows.create(body)
            self._turned(None, flow)
            return flow.view()

    def install_playbook(self, request: PlaybookInstall) -> dict[str, Any]:
        """One of hubsim's playbook flows, its events resolved against this portal's definitions, created."""
        with self._lock:
            return self.create_flow(FlowCreate.parse(playbook.resolved(request, self._event_type_id)))

    def _event_type_id(self, name: str) -> str | None:
        events = self.events()
        definition = events.definition(name) if events is not None else None
        return definition.object_type_id if definition is not None else None

    def update_flow(self, flow_id: str, body: Any) -> dict[str, Any]:
        with self._lock:
            old, new = self.flows.replace(flow_id, body)
            self._turned(old, new)
            return new.view()

    def delete_flow(self, flow_id: str) -> None:
        with self._lock:
            self._turned(self.flows.delete(flow_id), None)
            self.enrollments.forget(flow_id)

    def get_flow(self, flow_id: str) -> dict[str, Any]:
        with self._lock:
            return self.flows.get(flow_id).view()

    def _turned(self, old: Flow | None, new: Flow | None) -> None:
        """A flow appeared, changed or went: its triggers follow, and turning it off unenrolls who is in it."""
        if old is not None and old.id in self._watches:
            self._watches.pop(old.id).close()
        if old is not None and old.enabled and (new is None or not new.enabled):
            reason = "the flow was deleted" if new is None else "the flow was turned off"
            for enrollment in self.enrollments.active(old.id):
                self._unenroll(enrollment, reason)
        self._index_events()
        if new is not None and new.enabled and isinstance(new.body.enrollment_criteria, ListBasedCriteria):
            self._watch(new, enroll_present=(old is None or not old.enabled) and new.enroll_existing)

    def _index_events(self) -> None:
        index: dict[str, list[tuple[Flow, Any]]] = {}
        for flow in self.flows:
            if flow.enabled:
                for trigger in flow.compiled.triggers:
                    index.setdefault(trigger.event_type_id, []).append((flow, trigger))
        self._by_event = index

    # --- triggers ----------------------------------------------------------------------------------------------

    def _on_event(self, change: EventOccurred) -> None:
        for flow, trigger in self._by_event.get(change.event_type_id, ()):
            if flow.object_type.name != change.object_type or not trigger.matches(change.properties):
                continue
            if flow.compiled.refinements and not self._meets_all(flow, flow.compiled.refinements, change.object_id):
                continue
            self._enroll(flow, change.object_id, "EVENT", dict(change.properties))

    def _meets_all(self, flow: Flow, branches: Iterable[Any], object_id: str) -> bool:
        lists = self.lists()
        return all(lists.matches(b, flow.body.object_type_id, object_id) for b in branches)

    def _watch(self, flow: Flow, *, enroll_present: bool) -> None:
        def on_change(record_id: str, meets: bool, at: datetime) -> None:
            self._on_list(flow.id, record_id, meets)

        watch = self.lists().watch(flow.compiled.list_branch, flow.body.object_type_id, on_change)
        self._watches[flow.id] = watch
        if enroll_present:
            for object_id in sorted(watch.members(), key=int):
                self._enroll(flow, object_id, "LIST", None)

    def _on_list(self, flow_id: str, object_id: str, meets: bool) -> None:
        flow = self.flows.find(flow_id)
        if flow is None:
            return
        if meets:
            self._enroll(flow, object_id, "LIST", None)
            return
        criteria = flow.body.enrollment_criteria
        if isinstance(criteria, ListBasedCriteria) and criteria.un_enroll_objects_not_meeting_criteria:
            for enrollment in self.enrollments.active(flow_id, object_id):
                self._unenroll(enrollment, "no longer meets the enrollment criteria")

    # --- enrollment ----------------------------------------------------------------------------------------------

    def enroll(self, flow_id: str, request: ManualEnroll) -> dict[str, Any]:
        """Manual enrollment (the control API): each record enrolled, or the reason it was not."""
        with self._lock:
            flow = self.flows.get(flow_id)
            if not flow.enabled:
                raise ValidationError(f"Flow {flow_id} is turned off; turn it on (isEnabled) to enroll records")
            store = self.crm.objects(flow.body.object_type_id)
            results = []
            for object_id in request.object_ids:
                if not store.exists(object_id):
                    results.append({"objectId": object_id, "enrolled": False, "reason": "no such record"})
                    continue
                enrollment, reason = self._enroll(flow, object_id, "MANUAL", None)
                results.append({"objectId": object_id, "enrolled": enrollment is not None}
                               | ({"enrollmentId": enrollment.id} if enrollment else {"reason": reason}))  # fmt: skip
            return {"flowId": flow_id, "results": results}

    def _enroll(self, flow: Flow, object_id: str, trigger: str, event: dict[str, str] | None):
        if not flow.enabled:
            return None, "the flow is turned off"
        if self.enrollments.active(flow.id, object_id):
            return None, "already enrolled"
        criteria = flow.body.enrollment_criteria
        if self.enrollments.ever(flow.id, object_id) and not (criteria is not None and criteria.should_re_enroll):
            return None, "already enrolled once and the flow does not re-enroll"
        now = self._now()
        enrollment = self.enrollments.add(flow.id, object_id, now, trigger, event, flow.compiled.start)
        self._leave_others(flow, object_id)
        self._start_soon(enrollment)
        return enrollment, None

    def _leave_others(self, flow: Flow, object_id: str) -> None:
        """unEnrollmentSetting: enrolling here takes the record out of the other flows named (or all of them)."""
        setting = flow.body.un_enrollment_setting
        if setting is None:
            return
        for other in self.enrollments.active_for(object_id):
            if other.flow_id != flow.id and (setting.type == "ALL" or other.flow_id in setting.flow_ids):
                self._unenroll(other, f"enrolled in flow {flow.id}")

    def _unenroll(self, enrollment: Enrollment, reason: str) -> None:
        enrollment.finish(UNENROLLED, self._now(), reason)

    # --- running ---------------------------------------------------------------------------------------------------

    def _start_soon(self, enrollment: Enrollment) -> None:
        """Records enrolled at one moment start in one scheduled job (10,000 crossing a threshold at once: one job,
        not 10,000), in the order they enrolled."""
        self._starting.append((enrollment, enrollment.token))
        if len(self._starting) == 1:
            self._schedule_at(self._now(), self._start_all)

    def _start_all(self, at: datetime) -> list[Callable[[], Any]]:
        starting, self._starting = self._starting, []
        return [send for enrollment, token in starting for send in self._run(enrollment, token)]

    def _schedule(self, enrollment: Enrollment, due: datetime) -> None:
        token = enrollment.token
        self._schedule_at(due, lambda at: self._run(enrollment, token))

    def _run(self, enrollment: Enrollment, token: int) -> list[Callable[[], None]]:
        """Run the record from its current action until it waits, leaves or reaches the end (portal lock held)."""
        if enrollment.token != token or enrollment.state not in (ACTIVE, WAITING):
            return []
        flow = self.flows.find(enrollment.flow_id)
        now = self._now()
        enrollment.state, enrollment.wake_at = ACTIVE, None
        if flow is None or not self.crm.objects(flow.object_type.name).exists(enrollment.object_id):
            self._unenroll(enrollment, "the record or the flow is gone")
            return []
        while enrollment.current is not None and enrollment.token == token:
            if self._goal_met(flow, enrollment):
                enrollment.finish(UNENROLLED, now, "met the flow's goal")
                return []
            step = flow.compiled.steps.get(enrollment.current)
            if step is None:
                break
            outcome = step.run(StepRun(self, flow, enrollment, step.action_id, now))
            target = flow.follow(step.action_id) if outcome.next_action_id is UNSET else outcome.next_action_id
            entry = enrollment.record(now, step.action_id, step.kind, outcome.result, outcome.detail)
            if enrollment.token != token:  # the action itself took the record out (it no longer meets the criteria)
                return []
            enrollment.current = target
            if outcome.outbound is not None:
                enrollment.state = WAITING
                return [self._sender(outcome.outbound, enrollment, token, entry)]
            if outcome.wait_until is not None and outcome.wait_until > now:
                enrollment.state, enrollment.wake_at = WAITING, outcome.wait_until
                entry["waitingUntil"] = outcome.wait_until
                self._schedule(enrollment, outcome.wait_until)
                return []
        if enrollment.token == token:
            enrollment.finish(COMPLETED, now, None)
        return []

    def _sender(self, request: Request, enrollment: Enrollment, token: int, entry: dict[str, Any]):
        """The outbound work of a webhook step: hand the request to the delivery worker (the portal calls this after
        releasing its lock); the outcome is recorded and the record goes on, from the worker's thread."""

        def done(outcome: DeliveryOutcome) -> None:
            with self._lock:
                entry["webhook"] = {"status": outcome.status, "elapsedMs": round(outcome.elapsed * 1000, 1)} | (
                    {"error": outcome.error} if outcome.error else {})
                if not outcome.ok:
                    entry["result"] = FAILED
                if enrollment.token == token and enrollment.state == WAITING:
                    self._schedule(enrollment, self._now())

        delivery = Delivery(request.url, request.method, request.headers, request.body, on_done=done)
        return lambda: self._deliveries.submit(delivery)

    def _goal_met(self, flow: Flow, enrollment: Enrollment) -> bool:
        goal = flow.compiled.goal
        return goal is not None and self._meets_all(flow, [goal], enrollment.object_id)

    # --- what actions ask --------------------------------------------------------------------------------------

    def _owners(self) -> list[Any]:
        return self.crm.owners.page(limit=1 << 30, after=None, email=None, archived=False)[0]

    def recipients(self, *, user_ids: list[str], team_ids: list[str], owner_ids: list[str]) -> list[dict[str, Any]]:
        """The active users a notification goes to: named users, team members, the record's owners."""
        chosen = [
            o for o in self._owners()
            if o.id in owner_ids or str(o.user_id) in user_ids or o.id in user_ids
            or any(t.id in team_ids for t in o.teams)
        ]  # fmt: skip
        return [{"ownerId": o.id, "userId": o.user_id, "email": o.email} for o in chosen]

    def owner_pool(self, owner_ids: list[str], team_ids: list[str]) -> list[str]:
        """The owners a rotation hands out, in the order listed, then team members by id."""
        owners = self._owners()
        by_key = {key: o.id for o in owners for key in (o.id, str(o.user_id))}
        pool = [by_key[k] for k in owner_ids if k in by_key]
        pool += [o.id for o in owners if any(t.id in team_ids for t in o.teams)]
        return list(dict.fromkeys(pool))

    def next_rotation(self, flow_id: str, action_id: str) -> int:
        key = f"{flow_id}:{action_id}"
        turn = self.rotation.get(key, 0)
        self.rotation[key] = turn + 1
        return turn

    def secret(self, name: str) -> str | None:
        return self.secrets.get(name)

    def set_secret(self, name: str, value: str) -> None:
        with self._lock:
            self.secrets[name] = value

    def sign(self, app_id: int, method: str, url: str, body: bytes) -> dict[str, str] | None:
        """Signature headers for a SIGNATURE-authenticated webhook, signed with the app's secret (POST /_sim/apps)."""
        webhooks = self.webhooks()
        return webhooks.signature_headers(app_id, method, url, body) if webhooks is not None else None

    # --- what tests read ---------------------------------------------------------------------------------------

    def enrollment_report(self, flow_id: str, object_id: str | None = None) -> dict[str, Any]:
        with self._lock:
            self.flows.get(flow_id)
            chosen = self.enrollments.of_flow(flow_id, object_id)
            return {"flowId": flow_id, "counts": self.enrollments.counts(flow_id),
                    "results": [e.view() for e in chosen]}  # fmt: skip

    def overview(self) -> dict[str, Any]:
        """Every flow with its enrollment counts."""
        with self._lock:
            return {"results": [
                {"flowId": f.id, "name": f.name, "isEnabled": f.enabled, "counts": self.enrollments.counts(f.id)}
                for f in sorted(self.flows, key=lambda f: int(f.id))
            ]}  # fmt: skip

    def messages(self, **filters: Any) -> dict[str, Any]:
        with self._lock:
            return {"results": self.outbox.query(**filters)}

    # --- snapshots -------------------------------------------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        return {
            "nextFlowId": self.flows.next_id,
            "flows": [f.export() for f in sorted(self.flows, key=lambda f: int(f.id))],
            "enrollments": self.enrollments.export(),
            "outbox": self.outbox.export(),
            "rotation": dict(sorted(self.rotation.items())),
        }

    def restore(self, data: Mapping[str, Any]) -> None:
        """Load an export into this (new, detached) engine; `resume` schedules its wake-ups once installed."""
        self.flows.restore(data["flows"], int(data["nextFlowId"]))
        self.enrollments.restore(data["enrollments"], {f.id for f in self.flows})
        self.outbox.restore(data["outbox"])
        self.rotation = {str(k): int(v) for k, v in data["rotation"].items()}

    def resume(self) -> None:
        """After the portal installed this engine: watches opened again, waiting records woken when due."""
        with self._lock:
            self._index_events()
            for flow in self.flows:
                if flow.enabled and isinstance(flow.body.enrollment_criteria, ListBasedCriteria):
                    self._watch(flow, enroll_present=False)
            for enrollment in self.enrollments.unfinished():
                self._schedule(enrollment, enrollment.wake_at or self._now())
