"""The flow definitions of one portal (automation v4): create, read, replace on the current revision, delete, list."""

from __future__ import annotations

import uuid
from functools import cached_property
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from simulator.batch import BatchResult, check_batch_size
from simulator.crm.object_types import CONTACTS, ObjectType, resolve
from simulator.errors import Conflict, HubSpotError, ObjectNotFound, ValidationError
from simulator.wire import cursor, iso
from simulator.workflows.definitions import FlowBatchRead, FlowBody, FlowCreate, FlowUpdate
from simulator.workflows.graph import Compiled, compile_flow

FLOW_PAGE_LIMIT = 100  # GET /automation/v4/flows: HubSpot's default and largest page
ENROLL_EXISTING = "hubsim.enrollExisting"  # customProperties key: enroll who already qualifies when turned on
UUID_NAMESPACE = uuid.UUID("6f1d3c2e-4b1a-4f3e-9a51-1a2b3c4d5e6f")  # flow uuids derive from portal and flow id


@dataclass
class Flow:
    id: str
    revision_id: int
    uuid: str
    created_at: datetime
    updated_at: datetime
    body: FlowBody
    compiled: Compiled

    @property
    def enabled(self) -> bool:
        return self.body.is_enabled

    @cached_property
    def object_type(self) -> ObjectType:
        return resolve(self.body.object_type_id)

    @property
    def name(self) -> str:
        return self.body.name or ""

    @property
    def enroll_existing(self) -> bool:
        return self.body.custom_properties.get(ENROLL_EXISTING, "false").lower() == "true"

    def follow(self, action_id: str) -> str | None:
        """Where a non-branching action leads (None: the flow ends after it)."""
        return self.compiled.follow.get(action_id)

    def view(self) -> dict[str, Any]:
        """ApiContactFlow / ApiPlatformFlow."""
        body = self.body.model_dump(mode="json", exclude_none=True, exclude={"uuid"})
        return {
            "id": self.id,
            "revisionId": str(self.revision_id),
            "uuid": self.uuid,
            **body,
            "nextAvailableActionId": self.compiled.next_available,
            "crmObjectCreationStatus": "COMPLETE",
            "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at),
        }

    def listing(self) -> dict[str, Any]:
        """ApiFlowListing."""
        return {
            "id": self.id, "name": self.name, "isEnabled": self.enabled, "flowType": self.body.flow_type,
            "objectTypeId": self.body.object_type_id, "revisionId": str(self.revision_id), "uuid": self.uuid,
            "createdAt": iso(self.created_at), "updatedAt": iso(self.updated_at),
        }  # fmt: skip

    def export(self) -> dict[str, Any]:
        return {"id": self.id, "revisionId": self.revision_id, "uuid": self.uuid, "createdAt": self.created_at.isoformat(),
                "updatedAt": self.updated_at.isoformat(), "body": self.body.model_dump(mode="json", exclude_none=True)}


def not_found(flow_id: str) -> ObjectNotFound:
    return ObjectNotFound(f"Flow {flow_id} was not found", context={"flowId": [flow_id]})


class FlowStore:
    """Not locked itself: the engine calls it under the portal lock."""

    def __init__(self, portal_id: int, now: Callable[[], datetime], env: Any):
        self._portal_id = portal_id
        self._now = now
        self._env = env  # checks properties and parses filter branches while a flow is compiled
        self._flows: dict[str, Flow] = {}
        self.next_id = 1

    def __iter__(self):
        return iter(list(self._flows.values()))

    def get(self, flow_id: str) -> Flow:
        flow = self._flows.get(flow_id)
        if flow is None:
            raise not_found(flow_id)
        return flow

    def find(self, flow_id: str) -> Flow | None:
        return self._flows.get(flow_id)

    def compile(self, body: FlowBody) -> Compiled:
        try:
            object_type = resolve(body.object_type_id)
        except HubSpotError:
            raise ValidationError(f"objectTypeId {body.object_type_id} is not an object type hubsim simulates") from None
        if (body.type == "CONTACT_FLOW") != (object_type is CONTACTS):
            raise ValidationError("A CONTACT_FLOW is a flow of contacts (objectTypeId 0-1); other objects take "
                                  "a PLATFORM_FLOW")  # fmt: skip
        return compile_flow(body, self._env.for_type(object_type))

    def create(self, body: FlowCreate) -> Flow:
        compiled = self.compile(body)
        flow_id = str(self.next_id)
        now = self._now()
        flow_uuid = body.uuid or str(uuid.uuid5(UUID_NAMESPACE, f"{self._portal_id}:{flow_id}"))
        flow = Flow(flow_id, 1, flow_uuid, now, now, FlowBody(**dict(body)), compiled)
        self.next_id += 1
        self._flows[flow_id] = flow
        return flow

    def replace(self, flow_id: str, body: FlowUpdate) -> tuple[Flow, Flow]:
        """The old and the new version; the caller's revisionId must be the current one."""
        old = self.get(flow_id)
        if body.revision_id != str(old.revision_id):
            raise Conflict(f"revisionId {body.revision_id} is not the current revision of flow {flow_id} "
                           f"({old.revision_id}); read the flow again and retry")  # fmt: skip
        given = body.model_fields_set
        for name, label in (("type", "type"), ("object_type_id", "objectTypeId"), ("flow_type", "flowType")):
            if name in given and getattr(body, name) != getattr(old.body, name):
                raise ValidationError(f"{label} of a flow cannot change (flow {flow_id} is {getattr(old.body, name)})")
        fields = {k: v for k, v in dict(body).items() if k in FlowBody.model_fields}
        fields |= {"type": old.body.type, "object_type_id": old.body.object_type_id, "flow_type": old.body.flow_type}
        new_body = FlowBody(**fields)
        compiled = self.compile(new_body)
        new = Flow(flow_id, old.revision_id + 1, old.uuid, old.created_at, self._now(), new_body, compiled)
        self._flows[flow_id] = new
        return old, new

    def delete(self, flow_id: str) -> Flow:
        flow = self.get(flow_id)
        del self._flows[flow_id]
        return flow

    def page(self, *, limit: int, after: str | None) -> tuple[list[dict[str, Any]], str | None]:
        start = cursor(after)
        ordered = sorted(self._flows.values(), key=lambda f: int(f.id))
        if start is not None:
            ordered = [f for f in ordered if int(f.id) >= start]
        next_after = ordered[limit].id if len(ordered) > limit else None
        return [f.listing() for f in ordered[:limit]], next_after

    def batch_read(self, request: FlowBatchRead) -> BatchResult:
        check_batch_size(request.inputs)
        started = self._now()
        found, missing = [], []
        for flow_id in dict.fromkeys(i.flow_id for i in request.inputs):
            flow = self._flows.get(flow_id)
            (found.append(flow.view()) if flow is not None else missing.append(flow_id))
        errors = [not_found(", ".join(missing)).as_batch_error({"flowIds": missing})] if missing else []
        return BatchResult(started, self._now(), found, errors)

    def restore(self, rows: list[dict[str, Any]], next_id: int) -> None:
        for row in rows:
            body = FlowBody.model_validate(row["body"])
            flow = Flow(str(row["id"]), int(row["revisionId"]), row["uuid"], datetime.fromisoformat(row["createdAt"]),
                        datetime.fromisoformat(row["updatedAt"]), body, self.compile(body))  # fmt: skip
            if not (flow.id.isascii() and flow.id.isdigit()) or int(flow.id) >= next_id or flow.id in self._flows:
                raise ValueError(f"flow id {flow.id!r} is repeated, not a number or not below nextFlowId")
            self._flows[flow.id] = flow
        self.next_id = next_id
