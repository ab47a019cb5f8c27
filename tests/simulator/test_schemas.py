"""Custom object schemas (/crm/v3/schemas) and the records of a custom object, in the generic store."""

from __future__ import annotations

import httpx
import pytest

WORKSPACE = {
    "name": "workspace",
    "labels": {"singular": "Workspace", "plural": "Workspaces"},
    "primaryDisplayProperty": "workspace_name",
    "requiredProperties": ["workspace_name"],
    "searchableProperties": ["workspace_name"],
    "properties": [
        {"name": "workspace_name", "label": "Workspace name", "type": "string", "fieldType": "text",
         "groupName": "workspace_information"},
        {"name": "seats", "label": "Seats", "type": "number", "fieldType": "number",
         "groupName": "workspace_information"},
    ],
    "associatedObjects": ["CONTACT"],
}  # fmt: skip


@pytest.fixture
def schema(api) -> dict:
    created = api.post("/crm/v3/schemas", json=WORKSPACE)
    assert created.status_code == 201, created.text
    return created.json()


def test_a_schema_gets_a_custom_type_id_and_a_fully_qualified_name(api, portal, schema):
    assert schema["objectTypeId"].startswith("2-") and schema["id"] == schema["objectTypeId"][2:]
    assert schema["fullyQualifiedName"] == f"p{portal.id}_workspace"
    assert {"workspace_name", "seats", "hs_object_id", "hs_createdate"} <= {p["name"] for p in schema["properties"]}
    assert api.get("/crm/v3/schemas").json()["results"] == [schema]
    assert api.get(f"/crm/v3/schemas/{schema['objectTypeId']}").json() == schema


def test_the_schema_list_is_empty_on_a_fresh_portal(api):
    assert api.get("/crm/v3/schemas/").json() == {"results": []}


@pytest.mark.parametrize("key", ["objectTypeId", "fullyQualifiedName", "name"])
def test_records_of_a_custom_object_are_served_like_contacts(api, schema, key):
    path = f"/crm/v3/objects/{schema[key]}"
    created = api.post(path, json={"properties": {"workspace_name": "Acme HQ", "seats": "12"}})
    assert created.status_code == 201, created.text
    read = api.get(f"{path}/{created.json()['id']}", params={"properties": "workspace_name,seats"}).json()
    assert read["properties"]["workspace_name"] == "Acme HQ" and read["properties"]["seats"] == "12"
    page = api.get(path).json()
    assert [r["properties"]["workspace_name"] for r in page["results"]] == ["Acme HQ"]  # the primary display property


def test_a_custom_object_is_searched(api, schema):
    path = f"/crm/v3/objects/{schema['objectTypeId']}"
    api.post(path, json={"properties": {"workspace_name": "Acme HQ", "seats": "12"}})
    api.post(path, json={"properties": {"workspace_name": "Globex", "seats": "3"}})
    found = api.post(f"{path}/search", json={
        "filterGroups": [{"filters": [{"propertyName": "seats", "operator": "GTE", "value": "10"}]}],
        "properties": ["workspace_name"]}).json()  # fmt: skip
    assert [r["properties"]["workspace_name"] for r in found["results"]] == ["Acme HQ"]


def test_a_required_property_of_the_schema_is_enforced(api, schema):
    response = api.post(f"/crm/v3/objects/{schema['objectTypeId']}", json={"properties": {"seats": "1"}})
    assert response.status_code == 400
    assert "workspace_name is required" in response.json()["message"]


def test_a_schema_with_a_bad_property_leaves_nothing(api):
    bad = {**WORKSPACE, "properties": [{**WORKSPACE["properties"][0], "type": "colour"}]}
    assert api.post("/crm/v3/schemas", json=bad).status_code == 400
    assert api.get("/crm/v3/schemas").json() == {"results": []}
    assert api.get("/crm/v3/objects/workspace").status_code in (400, 404)


def test_a_name_already_taken_is_a_conflict(api, schema):
    again = api.post("/crm/v3/schemas", json=WORKSPACE)
    assert again.status_code == 409
    assert again.json()["message"] == "An object type with name workspace already exists"
    taken = api.post("/crm/v3/schemas", json={**WORKSPACE, "name": "contact"})
    assert taken.status_code == 409


def test_a_schema_is_updated_and_gains_properties(api, schema):
    type_id = schema["objectTypeId"]
    patched = api.patch(f"/crm/v3/schemas/{type_id}", json={"labels": {"singular": "Space", "plural": "Spaces"}})
    assert patched.json()["labels"] == {"singular": "Space", "plural": "Spaces"}
    added = api.post(f"/crm/v3/schemas/{type_id}/properties", json={
        "name": "plan", "label": "Plan", "type": "string", "fieldType": "text", "groupName": "workspace_information"})
    assert added.status_code == 201
    assert "plan" in {p["name"] for p in api.get(f"/crm/v3/properties/{type_id}").json()["results"]}


def test_a_schema_with_records_cannot_be_archived_until_they_are(api, schema):
    type_id = schema["objectTypeId"]
    record = api.post(f"/crm/v3/objects/{type_id}", json={"properties": {"workspace_name": "Acme"}}).json()
    assert api.delete(f"/crm/v3/schemas/{type_id}").status_code == 400
    api.delete(f"/crm/v3/objects/{type_id}/{record['id']}")
    assert api.delete(f"/crm/v3/schemas/{type_id}").status_code == 204
    assert api.get(f"/crm/v3/schemas/{type_id}").status_code == 404
    assert api.get("/crm/v3/schemas", params={"archived": "true"}).json()["results"][0]["archived"] is True


def test_a_custom_object_needs_the_custom_objects_scope(hub, app):
    portal = hub.portal("pat-na1-scoped")
    portal.settings.scopes = {"crm.schemas.custom.write", "crm.schemas.custom.read"}
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://hubsim.test",
                      headers={"Authorization": "Bearer pat-na1-scoped"}) as client:
        schema = client.post("/crm/v3/schemas", json=WORKSPACE).json()
        refused = client.get(f"/crm/v3/objects/{schema['objectTypeId']}")
        assert refused.status_code == 403
        assert "crm.objects.custom.read" in refused.text
