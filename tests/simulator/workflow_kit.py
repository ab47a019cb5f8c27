"""Building flows and reading what they did, for the workflow tests (through the public API only)."""

from __future__ import annotations

from typing import Any

MANUAL = {"type": "MANUAL", "shouldReEnroll": False}
START = "2031-03-03T09:00:00Z"  # a Monday


def action(action_id: str, type_id: str, fields: dict[str, Any] | None = None, then: str | None = None) -> dict:
    body = {"type": "SINGLE_CONNECTION", "actionId": action_id, "actionTypeId": type_id, "actionTypeVersion": 0,
            "fields": fields or {}}  # fmt: skip
    if then is not None:
        body["connection"] = {"edgeType": "STANDARD", "nextActionId": then}
    return body


def chain(*actions: tuple[str, dict[str, Any]]) -> list[dict]:
    """Actions 1..n, each leading to the next."""
    n = len(actions)
    return [action(str(i + 1), t, f, str(i + 2) if i + 1 < n else None) for i, (t, f) in enumerate(actions)]


def flow(actions: list[dict], *, criteria: dict | None = None, enabled: bool = True, **extra: Any) -> dict:
    return {"type": "CONTACT_FLOW", "objectTypeId": "0-1", "flowType": "WORKFLOW", "name": "test flow",
            "isEnabled": enabled, "startActionId": actions[0]["actionId"] if actions else None,
            "enrollmentCriteria": criteria or MANUAL, "actions": actions, **extra}  # fmt: skip


def create_flow(api, body: dict) -> dict:
    response = api.post("/automation/v4/flows", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def contact(api, **properties: str) -> str:
    response = api.post("/crm/v3/objects/contacts", json={"properties": properties})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def read(api, object_type: str, object_id: str, *names: str) -> dict:
    query = "&".join(f"properties={n}" for n in names)
    return api.get(f"/crm/v3/objects/{object_type}/{object_id}?{query}").json()["properties"]


def enroll(api, flow_id: str, *object_ids: str) -> dict:
    response = api.post(f"/_sim/workflows/{flow_id}/enroll", json={"objectIds": list(object_ids)})
    assert response.status_code == 200, response.text
    return response.json()


def enrollments(api, flow_id: str, object_id: str | None = None) -> dict:
    query = f"?objectId={object_id}" if object_id else ""
    response = api.get(f"/_sim/workflows/{flow_id}/enrollments{query}")
    assert response.status_code == 200, response.text
    return response.json()


def last(api, flow_id: str, object_id: str) -> dict:
    """The record's latest enrollment in the flow."""
    return enrollments(api, flow_id, object_id)["results"][-1]


def steps(api, flow_id: str, object_id: str) -> list[tuple[str, str]]:
    """(actionId, result) of every action the record's latest enrollment ran, in order."""
    return [(e["actionId"], e["result"]) for e in last(api, flow_id, object_id)["history"] if e["event"] == "ACTION"]


def outbox(api, **query: str) -> list[dict]:
    return api.get("/_sim/outbox", params=query).json()["results"]


def freeze(api, at: str = START) -> None:
    api.post("/_sim/clock", json={"set": at, "freeze": True})


def advance(api, duration: str) -> None:
    assert api.post("/_sim/clock", json={"advance": duration}).status_code == 200
