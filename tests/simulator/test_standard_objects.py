"""HubSpot's other standard objects in the generic store: type ids, names, default properties, association types."""

from __future__ import annotations

import json

import pytest

from simulator.crm.object_types import OBJECT_TYPES

WHEN = "2026-03-02T10:00:00.000Z"
# HubSpot's type ids (CRM objects guide) and the names its paths accept.
STANDARD = [
    ("tickets", "ticket", "0-5"), ("products", "product", "0-7"), ("line_items", "line_item", "0-8"),
    ("quotes", "quote", "0-14"), ("communications", "communication", "0-18"), ("notes", "note", "0-46"),
    ("meetings", "meeting", "0-47"), ("calls", "call", "0-48"), ("emails", "email", "0-49"),
    ("goal_targets", "goal_target", "0-74"), ("postal_mail", "postal_mail", "0-116"), ("leads", "lead", "0-136"),
]  # fmt: skip


def contact(api) -> str:
    return api.post("/crm/v3/objects/contacts", json={"properties": {"email": "ann@acme.io"}}).json()["id"]


@pytest.mark.parametrize(("name", "singular", "type_id"), STANDARD)
def test_each_standard_object_answers_by_plural_singular_and_type_id(api, name, singular, type_id):
    properties = api.get(f"/crm/v3/properties/{type_id}").json()["results"]
    assert {"hs_object_id", "hs_lastmodifieddate"} <= {p["name"] for p in properties}
    assert api.get(f"/crm/v3/objects/{singular}").json() == api.get(f"/crm/v3/objects/{name}").json() == {"results": []}


def test_the_standard_objects_are_hubspots_list():
    assert {(t.name, t.singular, t.object_type_id) for t in OBJECT_TYPES} >= set(STANDARD)


def test_a_note_logged_on_a_contact_is_associated_by_hubspots_default_type(api):
    ann = contact(api)
    note = api.post("/crm/v3/objects/notes", json={
        "properties": {"hs_note_body": "Asked for a demo", "hs_timestamp": WHEN},
        "associations": [{"to": {"id": ann}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 202}]}],
    })  # fmt: skip
    assert note.status_code == 201, note.text
    assert note.json()["properties"]["hs_note_body"] == "Asked for a demo"
    page = api.get(f"/crm/v4/objects/contacts/{ann}/associations/notes").json()
    assert page["results"] == [{"toObjectId": int(note.json()["id"]), "associationTypes": [
        {"category": "HUBSPOT_DEFINED", "typeId": 201, "label": None}]}]  # fmt: skip


@pytest.mark.parametrize("engagement", ["notes", "calls", "emails", "meetings", "communications", "postal_mail"])
def test_an_engagement_needs_its_timestamp(api, engagement):
    response = api.post(f"/crm/v3/objects/{engagement}", json={"properties": {}})
    assert response.status_code == 400
    problem = json.loads(response.json()["message"].removeprefix("Property values were not valid: "))[0]
    assert (problem["error"], problem["name"]) == ("REQUIRED_PROPERTY", "hs_timestamp")


def test_a_ticket_read_returns_its_default_properties(api):
    created = api.post("/crm/v3/objects/tickets", json={"properties": {
        "subject": "Cannot log in", "hs_pipeline": "0", "hs_pipeline_stage": "1", "hs_ticket_priority": "HIGH"}})
    assert created.status_code == 201, created.text
    read = api.get(f"/crm/v3/objects/tickets/{created.json()['id']}").json()["properties"]
    assert read["subject"] == "Cannot log in" and read["hs_ticket_priority"] == "HIGH"
    assert {"content", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_category", "createdate"} <= set(read)


def test_an_option_outside_a_standard_enumeration_is_refused(api):
    response = api.post("/crm/v3/objects/calls", json={"properties": {"hs_timestamp": WHEN, "hs_call_direction": "SIDEWAYS"}})
    assert response.status_code == 400
    assert "SIDEWAYS" in response.json()["message"]


def test_calls_are_searched_by_their_title(api):
    api.post("/crm/v3/objects/calls", json={"properties": {"hs_timestamp": WHEN, "hs_call_title": "Discovery call"}})
    api.post("/crm/v3/objects/calls", json={"properties": {"hs_timestamp": WHEN, "hs_call_title": "Renewal"}})
    found = api.post("/crm/v3/objects/calls/search", json={"query": "discovery", "properties": ["hs_call_title"]}).json()
    assert [r["properties"]["hs_call_title"] for r in found["results"]] == ["Discovery call"]


def test_line_items_and_deals_have_hubspots_default_association_labels(api):
    labels = api.get("/crm/v4/associations/line_items/deals/labels").json()["results"]
    assert labels == [{"category": "HUBSPOT_DEFINED", "typeId": 20, "label": None}]
