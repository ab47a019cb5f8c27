"""Tasks (0-27): HubSpot's task properties, the required due date, owners, completion stamps."""

from __future__ import annotations

import json

TASKS = "/crm/v3/objects/tasks"
DUE = "2031-01-15T09:00:00.000Z"


def create(api, **properties):
    response = api.post(TASKS, json={"properties": {"hs_timestamp": DUE, **properties}})
    assert response.status_code == 201, response.text
    return response.json()


def problem_of(response):
    return json.loads(response.json()["message"].removeprefix("Property values were not valid: "))[0]


def test_create_keeps_hubspots_task_fields(api):
    body = create(api, hs_task_subject="Follow up with Ann", hs_task_body="Send the proposal",
                  hs_task_status="NOT_STARTED", hs_task_priority="HIGH", hs_task_type="CALL",
                  hubspot_owner_id="75103841")  # fmt: skip
    props = body["properties"]
    assert props["hs_task_subject"] == "Follow up with Ann"
    assert [props[n] for n in ("hs_task_status", "hs_task_priority", "hs_task_type")] == ["NOT_STARTED", "HIGH", "CALL"]
    assert props["hs_timestamp"] == DUE
    assert props["hs_createdate"] == props["hs_lastmodifieddate"] == body["createdAt"]
    assert "createdate" not in props


def test_the_due_date_is_required(api):
    response = api.post(TASKS, json={"properties": {"hs_task_subject": "No date"}})
    assert response.status_code == 400
    assert problem_of(response) | {"localizedErrorMessage": None, "portalId": None} == {
        "isValid": False,
        "message": "hs_timestamp is required",
        "error": "REQUIRED_PROPERTY",
        "name": "hs_timestamp",
        "localizedErrorMessage": None,
        "portalId": None,
    }


def test_the_due_date_cannot_be_cleared(api):
    task = create(api)
    response = api.patch(f"{TASKS}/{task['id']}", json={"properties": {"hs_timestamp": ""}})
    assert problem_of(response)["message"] == "hs_timestamp is required"


def test_the_due_date_takes_epoch_milliseconds(api):
    body = create(api, hs_timestamp="1925024400000")
    assert body["properties"]["hs_timestamp"] == "2031-01-01T09:00:00.000Z"


def test_a_read_without_properties_shows_the_engagement_record_keys(api):
    task = create(api, hs_task_subject="Call")
    body = api.get(f"{TASKS}/{task['id']}").json()
    assert set(body["properties"]) == {"hs_createdate", "hs_lastmodifieddate", "hs_object_id"}


def test_an_unknown_status_is_invalid_option(api):
    response = api.post(TASKS, json={"properties": {"hs_timestamp": DUE, "hs_task_status": "DONE"}})
    problem = problem_of(response)
    assert (problem["name"], problem["error"]) == ("hs_task_status", "INVALID_OPTION")
    assert problem["message"] == (
        "DONE was not one of the allowed options: [NOT_STARTED, IN_PROGRESS, WAITING, COMPLETED, DEFERRED]"
    )


def test_an_owner_must_be_one_of_the_portals_active_owners(api):
    response = api.post(TASKS, json={"properties": {"hs_timestamp": DUE, "hubspot_owner_id": "123"}})
    problem = problem_of(response)
    assert (problem["name"], problem["error"]) == ("hubspot_owner_id", "INVALID_OPTION")
    assert problem["message"].startswith("123 was not one of the allowed options: [75103841, ")
    archived_owner = api.post(TASKS, json={"properties": {"hs_timestamp": DUE, "hubspot_owner_id": "75103845"}})
    assert archived_owner.status_code == 400


def test_completing_a_task_stamps_its_completion_date_and_reopening_clears_it(api):
    task = create(api, hs_task_status="NOT_STARTED")
    api.post("/_sim/clock", json={"set": "2031-01-16T10:00:00Z", "freeze": True})
    done = api.patch(f"{TASKS}/{task['id']}", json={"properties": {"hs_task_status": "COMPLETED"}}).json()
    assert done["properties"]["hs_task_completion_date"] == "2031-01-16T10:00:00.000Z"
    reopened = api.patch(f"{TASKS}/{task['id']}", json={"properties": {"hs_task_status": "IN_PROGRESS"}}).json()
    assert "hs_task_completion_date" not in reopened["properties"]


def test_a_task_is_created_associated_to_a_contact(api):
    contact = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "ann@acme.io"}}).json()
    response = api.post(TASKS, json={
        "properties": {"hs_timestamp": DUE, "hs_task_subject": "Call Ann"},
        "associations": [{"to": {"id": int(contact["id"])},
                          "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 204}]}],
    })  # fmt: skip
    assert response.status_code == 201
    tasks = api.get(f"/crm/v4/objects/contacts/{contact['id']}/associations/tasks").json()["results"]
    assert tasks == [{"toObjectId": int(response.json()["id"]),
                      "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 203, "label": None}]}]  # fmt: skip
