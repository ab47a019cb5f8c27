"""Ticket pipelines: HubSpot's default support pipeline, pipelines v3 on tickets, /crm-pipelines/v1, snapshots."""

from __future__ import annotations

import json

import pytest

PIPELINES = "/crm/v3/pipelines/tickets"


def test_a_new_portal_has_hubspots_support_pipeline(api):
    [pipeline] = api.get(PIPELINES).json()["results"]
    assert (pipeline["id"], pipeline["label"], pipeline["displayOrder"]) == ("0", "Support Pipeline", 0)
    assert [(s["id"], s["label"], s["metadata"]) for s in pipeline["stages"]] == [
        ("1", "New", {"ticketState": "OPEN"}),
        ("2", "Waiting on contact", {"ticketState": "OPEN"}),
        ("3", "Waiting on us", {"ticketState": "OPEN"}),
        ("4", "Closed", {"ticketState": "CLOSED"}),
    ]
    assert api.get(f"{PIPELINES}/0/stages/4").json()["label"] == "Closed"


def test_a_ticket_pipeline_is_created_with_ticket_states(api):
    created = api.post(PIPELINES, json={"label": "Onboarding", "displayOrder": 1, "stages": [
        {"label": "Kickoff", "displayOrder": 0, "metadata": {"ticketState": "OPEN"}},
        {"label": "Live", "displayOrder": 1, "metadata": {"ticketState": "CLOSED"}}]})  # fmt: skip
    assert created.status_code == 201, created.text
    assert [s["metadata"] for s in created.json()["stages"]] == [{"ticketState": "OPEN"}, {"ticketState": "CLOSED"}]
    assert [p["label"] for p in api.get(PIPELINES).json()["results"]] == ["Support Pipeline", "Onboarding"]


def test_a_ticket_stage_needs_a_ticket_state(api):
    refused = api.post(f"{PIPELINES}/0/stages", json={"label": "Escalated", "displayOrder": 5,
                                                       "metadata": {"probability": "0.5"}})  # fmt: skip
    assert refused.status_code == 400
    assert refused.json()["message"] == "Ticket stages need metadata.ticketState OPEN or CLOSED"


def test_new_ids_never_repeat_the_default_stage_ids(api):
    """The default stages are numbered 1-4; the portal's id counter also starts at 1."""
    added = api.post(f"{PIPELINES}/0/stages", json={"label": "Escalated", "displayOrder": 5,
                                                     "metadata": {"ticketState": "OPEN"}})  # fmt: skip
    ids = [s["id"] for s in api.get(f"{PIPELINES}/0").json()["stages"]]
    assert len(ids) == len(set(ids)) == 5 and added.json()["id"] in ids


def test_a_stage_holding_tickets_cannot_be_archived(api):
    api.post("/crm/v3/objects/tickets", json={"properties": {
        "subject": "Login fails", "hs_pipeline": "0", "hs_pipeline_stage": "2"}})  # fmt: skip
    refused = api.delete(f"{PIPELINES}/0/stages/2")
    assert refused.status_code == 400
    assert refused.json()["message"] == "Stage 2 still holds tickets; move or archive them first"
    assert api.delete(f"{PIPELINES}/0/stages/3").status_code == 204


def test_deal_and_ticket_pipelines_are_apart(api):
    assert [p["id"] for p in api.get("/crm/v3/pipelines/deals").json()["results"]] == ["default"]
    assert api.get("/crm/v3/pipelines/deals/0").status_code == 404


def test_crm_pipelines_v1_serves_tickets(api):
    body = api.get("/crm-pipelines/v1/pipelines/tickets").json()
    [pipeline] = body["results"]
    assert (pipeline["objectType"], pipeline["objectTypeId"], pipeline["pipelineId"]) == ("TICKET", "0-5", "0")
    assert [(s["stageId"], s["metadata"]["ticketState"]) for s in pipeline["stages"]] == [
        ("1", "OPEN"), ("2", "OPEN"), ("3", "OPEN"), ("4", "CLOSED")]
    assert api.get("/crm-pipelines/v1/pipelines/deals").json()["results"][0]["objectType"] == "DEAL"


def test_ticket_pipelines_round_trip_through_a_snapshot(api, other):
    api.post("/_sim/clock", json={"freeze": True})
    api.patch(f"{PIPELINES}/0", json={"label": "Helpdesk"})
    exported = api.get("/_sim/snapshot").json()
    assert exported["ticketPipelines"][0]["label"] == "Helpdesk"
    assert other.post("/_sim/snapshot", json=exported).status_code == 200
    assert other.get(f"{PIPELINES}/0").json()["label"] == "Helpdesk"
    assert other.get("/_sim/snapshot").json() == exported


@pytest.mark.parametrize("drop", [True, False])
def test_a_file_without_ticket_pipelines_loads_the_default_and_a_bad_one_is_refused(api, other, drop):
    exported = api.get("/_sim/snapshot").json()
    if drop:
        del exported["ticketPipelines"]
        assert other.post("/_sim/snapshot", json=exported).status_code == 200
        assert other.get(f"{PIPELINES}/0").json()["label"] == "Support Pipeline"
        return
    exported["ticketPipelines"][0]["stages"][0]["metadata"] = {"ticketState": "MAYBE"}
    refused = other.post("/_sim/snapshot", json=exported)
    assert refused.status_code == 400
    assert refused.json()["message"] == ("Invalid snapshot: ticketPipelines: Ticket stages need metadata.ticketState "
                                         "OPEN or CLOSED. Nothing was restored.")  # fmt: skip


def _problem(response) -> dict:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["category"] == "VALIDATION_ERROR"
    return json.loads(body["message"].partition("Property values were not valid: ")[2])[0]


def test_a_ticket_in_no_named_pipeline_goes_to_the_default_one(api):
    created = api.post("/crm/v3/objects/tickets", json={"properties": {"subject": "SSO", "hs_pipeline_stage": "3"}})
    assert created.status_code == 201, created.text
    properties = created.json()["properties"]
    assert (properties["hs_pipeline"], properties["hs_pipeline_stage"]) == ("0", "3")


def test_a_ticket_stage_of_no_pipeline_of_the_ticket_is_invalid_option_and_changes_nothing(api):
    other = api.post(PIPELINES, json={"label": "Onboarding", "displayOrder": 1, "stages": [
        {"label": "Kickoff", "displayOrder": 0, "metadata": {"ticketState": "OPEN"}}]}).json()  # fmt: skip
    kickoff = other["stages"][0]["id"]
    problem = _problem(api.post("/crm/v3/objects/tickets", json={"properties": {
        "subject": "SSO", "hs_pipeline": "0", "hs_pipeline_stage": kickoff}}))  # fmt: skip
    assert (problem["name"], problem["error"]) == ("hs_pipeline_stage", "INVALID_OPTION")
    assert problem["message"] == f"{kickoff} was not one of the allowed options: [1, 2, 3, 4]"
    ticket = api.post("/crm/v3/objects/tickets", json={"properties": {"subject": "SSO", "hs_pipeline_stage": "1"}})
    ticket_id = ticket.json()["id"]
    moved = api.patch(f"/crm/v3/objects/tickets/{ticket_id}", json={"properties": {"hs_pipeline": other["id"]}})
    assert _problem(moved)["message"] == f"1 was not one of the allowed options: [{kickoff}]"
    both = api.patch(f"/crm/v3/objects/tickets/{ticket_id}",
                     json={"properties": {"hs_pipeline": other["id"], "hs_pipeline_stage": kickoff}})
    assert both.json()["properties"]["hs_pipeline_stage"] == kickoff
    unknown = api.patch(f"/crm/v3/objects/tickets/{ticket_id}", json={"properties": {"hs_pipeline": "77"}})
    assert _problem(unknown)["name"] == "hs_pipeline"
    assert api.get(f"/crm/v3/objects/tickets/{ticket_id}?properties=hs_pipeline").json()["properties"]["hs_pipeline"] \
        == other["id"]
