"""Associations of custom objects: a schema's definitions are USER_DEFINED types, used like HubSpot's own."""

from __future__ import annotations

import pytest

from test_schemas import WORKSPACE

V4 = "/crm/v4"


@pytest.fixture
def workspace(api) -> dict:
    created = api.post("/crm/v3/schemas", json=WORKSPACE)
    assert created.status_code == 201, created.text
    return created.json()


@pytest.fixture
def kinds(api, workspace) -> dict[str, int]:
    """The type ids of workspace -> contact and back, as the labels endpoint tells them."""
    forward = api.get(f"{V4}/associations/{workspace['objectTypeId']}/contacts/labels").json()["results"]
    backward = api.get(f"{V4}/associations/contacts/workspace/labels").json()["results"]
    return {"to_contact": forward[0]["typeId"], "to_workspace": backward[0]["typeId"]}


def spec(type_id: int, category: str = "USER_DEFINED") -> dict:
    return {"associationCategory": category, "associationTypeId": type_id}


def records(api, workspace) -> tuple[str, str]:
    space = api.post(f"/crm/v3/objects/{workspace['objectTypeId']}", json={"properties": {"workspace_name": "Acme"}})
    ann = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "ann@acme.io"}})
    return space.json()["id"], ann.json()["id"]


def test_associated_objects_become_definitions_on_the_schema(workspace):
    [definition] = workspace["associations"]
    assert definition["fromObjectTypeId"] == workspace["objectTypeId"]
    assert (definition["toObjectTypeId"], definition["name"]) == ("0-1", "workspace_to_contact")
    assert definition["id"].isdigit()


def test_the_labels_endpoint_lists_one_unlabeled_user_defined_type_each_way(api, workspace, kinds):
    forward = api.get(f"{V4}/associations/workspace/contact/labels").json()
    assert forward == {"results": [{"category": "USER_DEFINED", "typeId": kinds["to_contact"], "label": None}]}
    assert str(kinds["to_contact"]) == workspace["associations"][0]["id"]
    assert kinds["to_workspace"] != kinds["to_contact"]


def test_a_default_association_is_read_from_both_sides(api, workspace, kinds):
    space, ann = records(api, workspace)
    linked = api.put(f"{V4}/objects/workspace/{space}/associations/default/contact/{ann}")
    assert linked.status_code == 200
    assert [r["associationSpec"] for r in linked.json()["results"]] == [spec(kinds["to_contact"]),
                                                                        spec(kinds["to_workspace"])]
    page = api.get(f"{V4}/objects/contacts/{ann}/associations/{workspace['objectTypeId']}").json()
    assert page["results"] == [{"toObjectId": int(space), "associationTypes": [
        {"category": "USER_DEFINED", "typeId": kinds["to_workspace"], "label": None}]}]
    read = api.get(f"/crm/v3/objects/contacts/{ann}", params={"associations": "workspace"}).json()
    assert read["associations"] == {"workspace": {"results": [{"id": space, "type": "contact_to_workspace"}]}}


def test_a_record_is_created_with_an_association_by_its_type_id(api, workspace, kinds):
    ann = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "ann@acme.io"}}).json()["id"]
    created = api.post(f"/crm/v3/objects/{workspace['objectTypeId']}", json={
        "properties": {"workspace_name": "Acme"},
        "associations": [{"to": {"id": ann}, "types": [spec(kinds["to_contact"])]}]})  # fmt: skip
    assert created.status_code == 201, created.text
    page = api.get(f"{V4}/objects/contacts/{ann}/associations/workspace").json()
    assert [r["toObjectId"] for r in page["results"]] == [int(created.json()["id"])]


def test_a_custom_type_named_with_the_wrong_category_is_refused(api, workspace, kinds):
    space, ann = records(api, workspace)
    refused = api.put(f"{V4}/objects/workspace/{space}/associations/contacts/{ann}",
                      json=[spec(kinds["to_contact"], "HUBSPOT_DEFINED")])
    assert refused.status_code == 400
    assert refused.json()["context"] == {"INVALID_ASSOCIATION_TYPE": [
        f"HUBSPOT_DEFINED {kinds['to_contact']} is not a defined association type"]}
    assert api.get(f"{V4}/objects/workspace/{space}/associations/contacts").json()["results"] == []


def test_a_pair_without_a_definition_has_no_default_type(api, workspace):
    space, _ = records(api, workspace)
    acme = api.post("/crm/v3/objects/companies", json={"properties": {"domain": "acme.io"}}).json()["id"]
    refused = api.put(f"{V4}/objects/workspace/{space}/associations/default/companies/{acme}")
    assert refused.status_code == 400
    assert refused.json()["context"] == {
        "INVALID_ASSOCIATION_TYPE": ["There is no default association type from workspace to companies"]}


def test_batch_create_read_and_archive(api, workspace, kinds):
    space, ann = records(api, workspace)
    bob = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "bob@acme.io"}}).json()["id"]
    created = api.post(f"{V4}/associations/workspace/contacts/batch/create", json={"inputs": [
        {"from": {"id": space}, "to": {"id": who}, "types": [spec(kinds["to_contact"])]} for who in (ann, bob)]})
    assert created.status_code == 201, created.text
    read = api.post(f"{V4}/associations/workspace/contacts/batch/read", json={"inputs": [{"id": space}]}).json()
    assert [t["toObjectId"] for t in read["results"][0]["to"]] == [int(ann), int(bob)]
    archived = api.post(f"{V4}/associations/workspace/contacts/batch/archive",
                        json={"inputs": [{"from": {"id": space}, "to": [{"id": ann}]}]})
    assert archived.status_code == 204
    page = api.get(f"{V4}/objects/workspace/{space}/associations/contacts").json()
    assert [r["toObjectId"] for r in page["results"]] == [int(bob)]


def test_search_through_a_custom_association(api, workspace):
    space, ann = records(api, workspace)
    api.post(f"/crm/v3/objects/{workspace['objectTypeId']}", json={"properties": {"workspace_name": "Other"}})
    api.put(f"{V4}/objects/workspace/{space}/associations/default/contacts/{ann}")
    found = api.post(f"/crm/v3/objects/{workspace['objectTypeId']}/search", json={
        "filterGroups": [{"filters": [{"propertyName": "associations.contact", "operator": "EQ", "value": ann}]}]})
    assert [r["id"] for r in found.json()["results"]] == [space]
    back = api.post("/crm/v3/objects/contacts/search", json={
        "filterGroups": [{"filters": [{"propertyName": "associations.workspace", "operator": "EQ", "value": space}]}]})
    assert [r["id"] for r in back.json()["results"]] == [ann]


def test_an_archived_record_drops_out_of_the_other_sides_links(api, workspace):
    space, ann = records(api, workspace)
    api.put(f"{V4}/objects/workspace/{space}/associations/default/contacts/{ann}")
    api.delete(f"/crm/v3/objects/workspace/{space}")
    assert api.get(f"{V4}/objects/contacts/{ann}/associations/workspace").json()["results"] == []
    api.post("/crm/v3/objects/contacts/gdpr-delete", json={"objectId": ann})
    assert api.get("/_sim/snapshot").json()["associations"] == []


def test_a_definition_is_added_through_the_schemas_api(api, workspace):
    type_id = workspace["objectTypeId"]
    made = api.post(f"/crm/v3/schemas/{type_id}/associations",
                    json={"fromObjectTypeId": type_id, "toObjectTypeId": "company", "name": "workspace_owner"})
    assert made.status_code == 201, made.text
    assert {k: made.json()[k] for k in ("fromObjectTypeId", "toObjectTypeId", "name")} == {
        "fromObjectTypeId": type_id, "toObjectTypeId": "0-2", "name": "workspace_owner"}
    assert made.json() in api.get(f"/crm/v3/schemas/{type_id}").json()["associations"]
    labels = api.get(f"{V4}/associations/companies/{type_id}/labels").json()["results"]
    assert [(l["category"], l["label"]) for l in labels] == [("USER_DEFINED", None)]
    again = api.post(f"/crm/v3/schemas/{type_id}/associations", json={"fromObjectTypeId": "0-2", "toObjectTypeId": type_id})
    assert again.status_code == 409


def test_a_definition_must_link_its_schema(api, workspace):
    refused = api.post(f"/crm/v3/schemas/{workspace['objectTypeId']}/associations",
                       json={"fromObjectTypeId": "0-2", "toObjectTypeId": "0-3"})
    assert refused.status_code == 400
    assert refused.json()["message"] == (f"An association definition of {workspace['objectTypeId']} must link it: "
                                         "0-2 to 0-3 does not")  # fmt: skip


def test_two_custom_objects_associate_with_each_other(api, workspace):
    seat = api.post("/crm/v3/schemas", json={"name": "seat", "labels": {"singular": "Seat", "plural": "Seats"},
                                             "associatedObjects": ["workspace"]}).json()  # fmt: skip
    assert seat["associations"][0]["toObjectTypeId"] == workspace["objectTypeId"]
    space, _ = records(api, workspace)
    one = api.post(f"/crm/v3/objects/{seat['objectTypeId']}", json={"properties": {}}).json()["id"]
    assert api.put(f"{V4}/objects/seat/{one}/associations/default/workspace/{space}").status_code == 200
    page = api.get(f"{V4}/objects/workspace/{space}/associations/seat").json()
    assert [r["toObjectId"] for r in page["results"]] == [int(one)]
