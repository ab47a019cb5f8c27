"""Automation v4 flows: HubSpot's bodies, 201 + Location, revisionId on PUT, and graphs that do not hold together."""

from __future__ import annotations

import pytest
from workflow_kit import action, chain, create_flow, flow

FLOWS = "/automation/v4/flows"
DELAY = ("0-1", {"delta": "60", "time_unit": "MINUTES"})
SET_STAGE = ("0-5", {"property_name": "lifecyclestage", "value": {"type": "STATIC_VALUE", "staticValue": "lead"}})


def test_create_answers_201_with_location_and_fills_in_what_hubspot_adds(api):
    response = api.post(FLOWS, json=flow(chain(DELAY, SET_STAGE), enabled=False, name="PQL follow-up"))
    assert response.status_code == 201
    created = response.json()
    assert response.headers["Location"].endswith(f"/automation/v4/flows/{created['id']}")
    assert created["id"].isdigit()
    assert (created["revisionId"], created["nextAvailableActionId"], created["crmObjectCreationStatus"]) == (
        "1", "3", "COMPLETE")
    assert created["name"] == "PQL follow-up" and created["isEnabled"] is False
    assert created["actions"][0]["connection"] == {"edgeType": "STANDARD", "nextActionId": "2"}
    assert "connection" not in created["actions"][1]
    assert created["uuid"] and created["createdAt"] == created["updatedAt"]
    assert api.get(f"{FLOWS}/{created['id']}").json() == created


def test_put_needs_the_current_revision_and_bumps_it(api):
    created = create_flow(api, flow(chain(DELAY), enabled=False))
    url = f"{FLOWS}/{created['id']}"
    missing = api.put(url, json=flow(chain(DELAY, SET_STAGE)))
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["in"] == "revisionId"

    renamed = api.put(url, json={**flow(chain(DELAY, SET_STAGE)), "name": "renamed", "revisionId": "1"})
    assert renamed.status_code == 200
    assert (renamed.json()["revisionId"], renamed.json()["name"], renamed.json()["nextAvailableActionId"]) == (
        "2", "renamed", "3")

    stale = api.put(url, json={**flow(chain(DELAY)), "revisionId": "1"})
    assert stale.status_code == 409
    assert stale.json()["category"] == "CONFLICT"
    assert "revisionId 1 is not the current revision" in stale.json()["message"]


def test_put_cannot_move_a_flow_to_another_object_type(api):
    created = create_flow(api, flow(chain(DELAY), enabled=False))
    response = api.put(f"{FLOWS}/{created['id']}",
                       json={**flow(chain(DELAY)), "type": "PLATFORM_FLOW", "objectTypeId": "0-2", "revisionId": "1"})
    assert response.status_code == 400
    assert response.json()["message"].startswith("type of a flow cannot change")


def test_delete_answers_204_and_the_flow_is_gone(api):
    created = create_flow(api, flow(chain(DELAY)))
    assert api.delete(f"{FLOWS}/{created['id']}").status_code == 204
    gone = api.get(f"{FLOWS}/{created['id']}")
    assert gone.status_code == 404
    assert gone.json()["message"] == f"Flow {created['id']} was not found"


def test_the_listing_pages_with_after(api):
    ids = [create_flow(api, flow(chain(DELAY), name=f"flow {n}"))["id"] for n in range(3)]
    first = api.get(FLOWS, params={"limit": 2}).json()
    assert [f["id"] for f in first["results"]] == ids[:2]
    assert set(first["results"][0]) == {"id", "name", "isEnabled", "flowType", "objectTypeId", "revisionId", "uuid",
                                        "createdAt", "updatedAt"}
    second = api.get(FLOWS, params={"limit": 2, "after": first["paging"]["next"]["after"]}).json()
    assert [f["id"] for f in second["results"]] == ids[2:]
    assert "paging" not in second


def test_a_cursor_that_is_not_a_flow_id_is_refused(api):
    response = api.get(FLOWS, params={"after": "²"})
    assert response.status_code == 400
    assert response.json()["message"].startswith("after must be the cursor HubSpot returned in paging.next.after")


def test_batch_read_reports_missing_flows_in_a_207(api):
    created = create_flow(api, flow(chain(DELAY)))
    response = api.post(f"{FLOWS}/batch/read", json={"inputs": [{"type": "FLOW_ID", "flowId": created["id"]},
                                                                {"type": "FLOW_ID", "flowId": "999"}]})
    assert response.status_code == 207
    body = response.json()
    assert [f["id"] for f in body["results"]] == [created["id"]]
    assert body["numErrors"] == 1 and body["errors"][0]["context"] == {"flowIds": ["999"]}


@pytest.mark.parametrize(("actions", "start", "message"), [
    ([action("1", "0-1", DELAY[1], then="7")], "1", "Action 1: connection.nextActionId 7 is not an action of this flow"),
    ([action("1", "0-1", DELAY[1], then="2"), action("2", "0-1", DELAY[1], then="1")], "1",
     "Action 2: connection.nextActionId 1 makes a cycle"),
    ([action("1", "0-1", DELAY[1]), action("1", "0-1", DELAY[1])], "1", "Action 1: actionId is used by more than one action"),
    ([action("1", "0-1", DELAY[1])], "5", "startActionId 5 is not an action of this flow"),
    ([{"type": "STATIC_BRANCH", "actionId": "1", "inputValue": {"type": "OBJECT_PROPERTY", "propertyName": "email"},
       "staticBranches": [{"branchValue": "a", "connection": {"edgeType": "STANDARD", "nextActionId": "9"}}]}], "1",
     "Action 1: staticBranches[0].nextActionId 9 is not an action of this flow"),
    ([{"type": "AB_TEST_BRANCH", "actionId": "1", "testBranches": [
        {"percentage": 50, "connection": {"edgeType": "STANDARD", "nextActionId": "2"}}]}, action("2", "0-1", DELAY[1])],
     "1", "Action 1 (AB_TEST_BRANCH): testBranches percentages must add up to 100, not 50"),
    ([action("1", "0-1", {"delta": "soon", "time_unit": "MINUTES"})], "1",
     "Action 1 (0-1): fields.delta must be a whole number, got 'soon'"),
    ([action("1", "0-5", {"property_name": "no_such", "value": {"type": "STATIC_VALUE", "staticValue": "x"}})], "1",
     "Action 1 (0-5): fields.property_name 'no_such' is not a property of contacts"),
    ([action("1", "0-11", {})], "1",
     "Action 1 (0-11): fields.user_ids or fields.team_ids must name the owners to rotate between"),
])  # fmt: skip
def test_a_graph_that_does_not_hold_together_is_refused_naming_the_action(api, actions, start, message):
    response = api.post(FLOWS, json={**flow(actions), "startActionId": start})
    assert response.status_code == 400
    assert response.json()["message"] == message
    assert api.get(FLOWS).json()["results"] == []


def test_an_unknown_action_type_is_accepted(api):
    created = create_flow(api, flow(chain(("0-999999", {"anything": True}))))
    assert created["actions"][0]["actionTypeId"] == "0-999999"


def test_a_contact_flow_is_a_flow_of_contacts(api):
    response = api.post(FLOWS, json={**flow(chain(DELAY)), "objectTypeId": "0-2"})
    assert response.status_code == 400
    assert "CONTACT_FLOW is a flow of contacts" in response.json()["message"]
