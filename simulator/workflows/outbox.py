"""The portal's outbox: the emails and notifications its workflows sent (HubSpot delivers them; hubsim keeps them
for tests and the inspector to read). Tasks are not here: they are CRM task records."""

from __future__ import annotations

from collections import deque
from typing import Any

from simulator.wire import iso

CONTACT_TYPE_ID = "0-1"
MAX_MESSAGES = 50_000  # a ring: the oldest messages go first, so a long load test cannot exhaust memory


class Outbox:
    def __init__(self) -> None:
        self._messages: deque[dict[str, Any]] = deque(maxlen=MAX_MESSAGES)
        self.next_id = 1

    def add(self, run: Any, entry: dict[str, Any]) -> dict[str, Any]:
        message = {
            "id": str(self.next_id),
            **entry,
            "flowId": run.flow_id,
            "flowName": run.flow_name,
            "actionId": run.action_id,
            "enrollmentId": run.enrollment_id,
            "objectTypeId": run.object_type.object_type_id,
            "objectId": run.object_id,
            **({"contactId": run.object_id} if run.object_type.object_type_id == CONTACT_TYPE_ID else {}),
            "sentAt": iso(run.now),
        }
        self.next_id += 1
        self._messages.append(message)
        return message

    def query(self, *, flow_id: str | None = None, object_id: str | None = None, kind: str | None = None,
              limit: int | None = None) -> list[dict[str, Any]]:
        """Oldest first, filtered by flow, record and type (MARKETING_EMAIL, INTERNAL_EMAIL, IN_APP_NOTIFICATION)."""
        found = [
            m for m in self._messages
            if (flow_id is None or m["flowId"] == flow_id) and (object_id is None or m["objectId"] == object_id)
            and (kind is None or m["type"] == kind)
        ]  # fmt: skip
        return found if limit is None else found[-limit:]

    def export(self) -> dict[str, Any]:
        return {"nextId": self.next_id, "messages": list(self._messages)}

    def restore(self, data: dict[str, Any]) -> None:
        messages = data["messages"]
        if not isinstance(messages, list) or not all(isinstance(m, dict) and "id" in m for m in messages):
            raise ValueError("outbox messages must be objects with an id")
        self._messages.extend(messages)
        self.next_id = int(data["nextId"])
