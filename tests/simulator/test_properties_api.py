"""Properties API v3: definitions, batches and groups."""

from __future__ import annotations

import pytest

BASE = "/crm/v3/properties/contacts"
PQL = {"name": "pql_score", "label": "PQL score", "type": "number", "fieldType": "number",
       "groupName": "contactinformation"}


def test_defaults_include_the_properties_integrations_touch(api):
    body = api.get(BASE).json()
    by_name = {p["name"]: p for p in body["results"]}
    for name in ("email", "firstname", "lastname", "jobtitle", "company", "phone", "country", "city", "industry",
                 "numemployees", "lifecyclestage", "hs_lead_status", "hubspot_owner_id", "createdate",
                 "lastmodifieddate", "hs_object_id"):
        assert name in by_name, name
    stages = [o["value"] for o in by_name["lifecyclestage"]["options"]]
    assert stages[:6] == ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity",
                          "customer"]
    assert by_name["email"]["hasUniqueValue"] is True
    assert by_name["hs_object_id"]["modificationMetadata"]["readOnlyValue"] is True


def test_create_answers_201_and_the_property_can_be_written(api):
    response = api.post(BASE, json=PQL)
    assert response.status_code == 201
    assert response.json()["name"] == "pql_score"
    assert "hubspotDefined" not in response.json()  # only HubSpot's own properties carry it
    contact = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "a@b.io", "pql_score": "72"}})
    assert contact.json()["properties"]["pql_score"] == "72"


def test_creating_an_existing_name_is_a_409(api):
    api.post(BASE, json=PQL)
    response = api.post(BASE, json=PQL)
    assert response.status_code == 409
    assert response.json()["message"] == "Property named 'pql_score' already exists."


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"type": "number", "fieldType": "text"}, "fieldType text is not valid for type number"),
        ({"type": "enumeration", "fieldType": "select"}, "at least one option"),
        ({"groupName": "nope"}, "Property group nope does not exist"),
        ({"name": "PQL Score"}, "is invalid"),
    ],
)
def test_invalid_definitions_are_400_and_create_nothing(api, change, fragment):
    response = api.post(BASE, json={**PQL, **change})
    assert response.status_code == 400
    assert fragment in response.json()["message"]
    assert api.get(f"{BASE}/pql_score").status_code == 404


def test_missing_required_fields_name_them(api):
    response = api.post(BASE, json={"name": "x"})
    assert response.status_code == 400
    fields = {e["in"] for e in response.json()["errors"]}
    assert {"label", "type", "fieldType", "groupName"} <= fields


def test_update_changes_a_custom_property(api):
    api.post(BASE, json=PQL)
    response = api.patch(f"{BASE}/pql_score", json={"label": "Product-qualified score"})
    assert response.status_code == 200
    assert api.get(f"{BASE}/pql_score").json()["label"] == "Product-qualified score"


def test_a_display_hint_must_be_one_of_hubspots(api):
    response = api.post(BASE, json={**PQL, "type": "string", "fieldType": "text", "textDisplayHint": "shouty"})
    assert response.status_code == 400
    assert [(e["in"], e["code"]) for e in response.json()["errors"]] == [("textDisplayHint", "INVALID_TYPE")]
    hinted = api.post(BASE, json={**PQL, "numberDisplayHint": "percentage"})
    assert hinted.json()["numberDisplayHint"] == "percentage"


@pytest.mark.parametrize("field", ["label", "type", "fieldType", "groupName", "options", "hidden", "displayOrder"])
def test_null_in_an_update_leaves_the_field_as_it_was(api, field):
    created = api.post(BASE, json=PQL).json()
    response = api.patch(f"{BASE}/pql_score", json={field: None, "description": "Fit and usage"})
    assert response.status_code == 200
    assert response.json()["description"] == "Fit and usage"
    assert response.json()[field] == created[field]


def test_a_hubspot_defined_property_keeps_its_type(api):
    response = api.patch(f"{BASE}/email", json={"type": "number", "fieldType": "number"})
    assert response.status_code == 400
    assert api.get(f"{BASE}/email").json()["type"] == "string"


def test_archive_hides_the_property_and_its_writes_fail(api):
    api.post(BASE, json=PQL)
    assert api.delete(f"{BASE}/pql_score").status_code == 204
    assert api.get(f"{BASE}/pql_score").status_code == 404
    assert api.get(f"{BASE}/pql_score", params={"archived": "true"}).json()["archived"] is True
    write = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "a@b.io", "pql_score": "1"}})
    assert "PROPERTY_DOESNT_EXIST" in write.json()["message"]


def test_hubspot_defined_properties_cannot_be_archived(api):
    assert api.delete(f"{BASE}/email").status_code == 400


def test_batch_create_reports_each_bad_input_in_a_207(api):
    response = api.post(f"{BASE}/batch/create", json={"inputs": [PQL, {**PQL, "name": "bad", "fieldType": "text"}]})
    body = response.json()
    assert response.status_code == 207
    assert [p["name"] for p in body["results"]] == ["pql_score"]
    assert body["errors"][0]["context"] == {"name": ["bad"]}


def test_batch_read_and_archive(api):
    api.post(BASE, json=PQL)
    read = api.post(f"{BASE}/batch/read", json={"inputs": [{"name": "pql_score"}, {"name": "nope"}]})
    assert read.status_code == 207
    assert [p["name"] for p in read.json()["results"]] == ["pql_score"]
    assert api.post(f"{BASE}/batch/archive", json={"inputs": [{"name": "pql_score"}, {"name": "nope"}]}).status_code == 204
    assert api.get(f"{BASE}/pql_score").status_code == 404


def test_property_groups_crud(api):
    created = api.post(f"{BASE}/groups", json={"name": "plg", "label": "PLG signals", "displayOrder": 3})
    assert created.status_code == 201
    assert created.json() == {"name": "plg", "label": "PLG signals", "displayOrder": 3, "archived": False}
    assert api.patch(f"{BASE}/groups/plg", json={"label": "Product signals"}).json()["label"] == "Product signals"
    assert "plg" in [g["name"] for g in api.get(f"{BASE}/groups").json()["results"]]
    api.post(BASE, json={**PQL, "groupName": "plg"})
    assert api.delete(f"{BASE}/groups/plg").status_code == 400  # still holds pql_score
    api.delete(f"{BASE}/pql_score")
    assert api.delete(f"{BASE}/groups/plg").status_code == 204
    assert api.get(f"{BASE}/groups/plg").status_code == 404


def test_null_in_a_group_update_leaves_its_label(api):
    response = api.patch(f"{BASE}/groups/contactinformation", json={"label": None, "displayOrder": 7})
    assert response.status_code == 200
    assert response.json() == {"name": "contactinformation", "label": "Contact information", "displayOrder": 7,
                               "archived": False}  # fmt: skip


def test_an_unknown_object_type_is_named_in_the_error(api):
    response = api.get("/crm/v3/properties/widgets")
    assert response.status_code == 400
    assert response.json()["message"] == "Unable to infer object type from: widgets"
