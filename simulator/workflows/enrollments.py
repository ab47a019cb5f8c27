"""Enrollments: one record's pass through one flow, with its history (enrolled, each action with its time and
result, waiting until, unenrolled, completed), indexed by flow and by record."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from simulator.wire import iso

ACTIVE, WAITING, COMPLETED, UNENROLLED = "ACTIVE", "WAITING", "COMPLETED", "UNENROLLED"
STATES = (ACTIVE, WAITING, COMPLETED, UNENROLLED)


class Enrollment:
    __slots__ = ("id", "flow_id", "object_id", "enrolled_at", "trigger", "event", "state", "current", "wake_at",
                 "history", "token")  # fmt: skip

    def __init__(self, enrollment_id: str, flow_id: str, object_id: str, at: datetime, trigger: str,
                 event: dict[str, str] | None, start: str | None):  # fmt: skip
        self.id, self.flow_id, self.object_id = enrollment_id, flow_id, object_id
        self.enrolled_at, self.trigger, self.event = at, trigger, event
        self.state, self.current = ACTIVE, start
        self.wake_at: datetime | None = None
        self.history: list[dict[str, Any]] = [{"at": at, "event": "ENROLLED", "trigger": trigger}]
        self.token = 0  # bumped when the enrollment leaves: a wake-up scheduled before then does nothing

    @property
    def unfinished(self) -> bool:
        return self.state in (ACTIVE, WAITING)

    def record(self, at: datetime, action_id: str, kind: str, result: str, detail: dict[str, Any]) -> dict[str, Any]:
        entry = {"at": at, "event": "ACTION", "actionId": action_id, "actionType": kind, "result": result,
                 **detail}  # fmt: skip
        self.history.append(entry)
        return entry

    def finish(self, state: str, at: datetime, reason: str | None) -> None:
        self.state, self.wake_at, self.token = state, None, self.token + 1
        self.history.append({"at": at, "event": state, **({"reason": reason} if reason else {})})

    def view(self) -> dict[str, Any]:
        body = {"enrollmentId": self.id, "flowId": self.flow_id, "objectId": self.object_id,
                "enrolledAt": iso(self.enrolled_at), "trigger": self.trigger, "state": self.state,
                "history": [_wire(entry) for entry in self.history]}  # fmt: skip
        if self.current is not None and self.unfinished:
            body["nextActionId"] = self.current
        if self.wake_at is not None:
            body["waitingUntil"] = iso(self.wake_at)
        return body

    def export(self) -> dict[str, Any]:
        return {**self.view(), "enrolledAt": self.enrolled_at.isoformat(), "event": self.event,
                "current": self.current, "wakeAt": self.wake_at.isoformat() if self.wake_at else None}  # fmt: skip

    @classmethod
    def restore(cls, row: dict[str, Any]) -> Enrollment:
        enrollment = cls(str(row["enrollmentId"]), str(row["flowId"]), str(row["objectId"]),
                         datetime.fromisoformat(row["enrolledAt"]), str(row["trigger"]), row["event"], row["current"])
        if row["state"] not in STATES:
            raise ValueError(f"enrollment {enrollment.id} has an unknown state {row['state']!r}")
        if not isinstance(row["history"], list):
            raise ValueError(f"enrollment {enrollment.id} history must be a list")
        enrollment.state, enrollment.history = row["state"], row["history"]
        enrollment.wake_at = datetime.fromisoformat(row["wakeAt"]) if row["wakeAt"] else None
        return enrollment


def _wire(entry: dict[str, Any]) -> dict[str, Any]:
    """A history entry as JSON: its times are kept as datetimes (formatting 10k of them costs more than running the
    actions) and written in HubSpot's format when read."""
    return {k: iso(v) if isinstance(v, datetime) else v for k, v in entry.items()}


class Enrollments:
    def __init__(self) -> None:
        self._by_flow: dict[str, dict[str, list[Enrollment]]] = {}  # flow -> record -> its enrollments, oldest first
        self._unfinished: dict[str, dict[str, Enrollment]] = {}  # record -> flow -> the enrollment in progress
        self.next_id = 1

    def add(self, flow_id: str, object_id: str, at: datetime, trigger: str, event: dict[str, str] | None,
            start: str | None) -> Enrollment:  # fmt: skip
        enrollment = Enrollment(str(self.next_id), flow_id, object_id, at, trigger, event, start)
        self.next_id += 1
        self._keep(enrollment)
        return enrollment

    def _keep(self, enrollment: Enrollment) -> None:
        self._by_flow.setdefault(enrollment.flow_id, {}).setdefault(enrollment.object_id, []).append(enrollment)
        if enrollment.unfinished:
            self._unfinished.setdefault(enrollment.object_id, {})[enrollment.flow_id] = enrollment

    def active(self, flow_id: str, object_id: str | None = None) -> list[Enrollment]:
        """The enrollments in progress in a flow (of one record)."""
        if object_id is not None:
            found = self._unfinished.get(object_id, {}).get(flow_id)
            return [found] if found is not None and found.unfinished else []
        return [e for e in self.of_flow(flow_id) if e.unfinished]

    def active_for(self, object_id: str) -> list[Enrollment]:
        return [e for e in self._unfinished.get(object_id, {}).values() if e.unfinished]

    def ever(self, flow_id: str, object_id: str) -> bool:
        return bool(self._by_flow.get(flow_id, {}).get(object_id))

    def of_flow(self, flow_id: str, object_id: str | None = None) -> list[Enrollment]:
        records = self._by_flow.get(flow_id, {})
        chosen = records.get(object_id, []) if object_id is not None else [e for es in records.values() for e in es]
        return sorted(chosen, key=lambda e: int(e.id))

    def unfinished(self) -> Iterable[Enrollment]:
        return sorted((e for flows in self._unfinished.values() for e in flows.values() if e.unfinished),
                      key=lambda e: int(e.id))  # fmt: skip

    def counts(self, flow_id: str) -> dict[str, int]:
        enrollments = self.of_flow(flow_id)
        counts = {"enrolled": len(enrollments), "records": len(self._by_flow.get(flow_id, {}))}
        for state in STATES:
            counts[state.lower()] = sum(1 for e in enrollments if e.state == state)
        return counts

    def export(self) -> list[dict[str, Any]]:
        return [e.export() for flows in self._by_flow.values() for es in flows.values() for e in es]

    def forget(self, flow_id: str) -> None:
        """A deleted flow's enrollments go with it."""
        for object_id in self._by_flow.pop(flow_id, {}):
            self._unfinished.get(object_id, {}).pop(flow_id, None)

    def restore(self, rows: list[dict[str, Any]], flow_ids: set[str]) -> None:
        for row in sorted(rows, key=lambda r: int(r["enrollmentId"])):
            enrollment = Enrollment.restore(row)
            if enrollment.flow_id not in flow_ids:
                raise ValueError(f"enrollment {enrollment.id} is in flow {enrollment.flow_id}, which is not there")
            self._keep(enrollment)
            self.next_id = max(self.next_id, int(enrollment.id) + 1)
