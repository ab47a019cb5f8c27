"""Workflows over a real socket: flows created with the official SDK's generic request (it has no flows client),
run by the Python face's enroll and clock, read back through history() and outbox()."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hubspot import HubSpot

FLOW = {
    "type": "CONTACT_FLOW", "objectTypeId": "0-1", "flowType": "WORKFLOW", "name": "Trial nudge", "isEnabled": True,
    "startActionId": "1", "enrollmentCriteria": {"type": "MANUAL", "shouldReEnroll": False},
    "actions": [
        {"type": "SINGLE_CONNECTION", "actionId": "1", "actionTypeId": "0-1", "actionTypeVersion": 0,
         "connection": {"edgeType": "STANDARD", "nextActionId": "2"}, "fields": {"delta": "3", "time_unit": "DAYS"}},
        {"type": "SINGLE_CONNECTION", "actionId": "2", "actionTypeId": "0-9", "actionTypeVersion": 0,
         "fields": {"user_ids": ["9104502"], "delivery_method": "APP", "subject": "Nudge {{ contact.email }}",
                    "body": "Trial ends soon"}},
    ],
}  # fmt: skip


def test_a_flow_made_with_the_sdk_runs_on_the_simulators_clock(hubspot_sim):
    hubspot_sim.clock.freeze()
    hubspot_sim.clock.set(datetime(2031, 1, 5, 12, tzinfo=UTC))
    client = HubSpot(access_token=hubspot_sim.token, host=hubspot_sim.base_url, base_url=hubspot_sim.base_url)
    created = client.api_request({"method": "POST", "path": "/automation/v4/flows", "body": FLOW})
    assert created.status_code == 201
    flow_id = json.loads(created.text)["id"]
    listed = json.loads(client.api_request({"method": "GET", "path": "/automation/v4/flows"}).text)
    assert [f["name"] for f in listed["results"]] == ["Trial nudge"]
    ann = client.crm.contacts.basic_api.create({"properties": {"email": "ann@acme.io"}}).id

    assert hubspot_sim.workflows.enroll(flow_id, ann) == [{"objectId": ann, "enrolled": True, "enrollmentId": "1"}]
    hubspot_sim.clock.advance(days=2)
    assert hubspot_sim.outbox() == []
    assert hubspot_sim.workflows.history(ann)[0]["state"] == "WAITING"
    hubspot_sim.clock.advance(days=1)

    [message] = hubspot_sim.outbox(flowId=flow_id)
    assert (message["subject"], message["recipients"][0]["userId"], message["sentAt"]) == (
        "Nudge ann@acme.io", 9104502, "2031-01-08T12:00:00.000Z")
    [enrollment] = hubspot_sim.workflows.history(ann)
    assert [e["event"] for e in enrollment["history"]] == ["ENROLLED", "ACTION", "ACTION", "COMPLETED"]
    assert hubspot_sim.workflows.counts(flow_id)["completed"] == 1
    assert [f["name"] for f in hubspot_sim.workflows.overview()] == ["Trial nudge"]
