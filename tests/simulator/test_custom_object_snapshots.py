"""Custom object schemas, their records and their association definitions survive a snapshot and --state."""

from __future__ import annotations

import copy

from simulator import Hub
from simulator.harness.persistence import StateDirectory
from test_persistence import client
from test_schemas import WORKSPACE

SNAPSHOT = "/_sim/snapshot"


def populate(api) -> dict[str, str]:
    """A workspace schema linked to contacts, one workspace linked to Ann, one archived workspace."""
    api.post("/_sim/clock", json={"set": "2031-05-01T12:00:00Z", "freeze": True})
    schema = api.post("/crm/v3/schemas", json=WORKSPACE).json()
    type_id = schema["objectTypeId"]
    ann = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "ann@acme.io"}}).json()["id"]
    space = api.post(f"/crm/v3/objects/{type_id}", json={"properties": {"workspace_name": "Acme HQ", "seats": "12"}})
    gone = api.post(f"/crm/v3/objects/{type_id}", json={"properties": {"workspace_name": "Old"}}).json()["id"]
    api.delete(f"/crm/v3/objects/{type_id}/{gone}")
    linked = api.put(f"/crm/v4/objects/{type_id}/{space.json()['id']}/associations/default/contacts/{ann}")
    assert linked.status_code == 200, linked.text
    return {"type": type_id, "space": space.json()["id"], "ann": ann}


def test_schemas_are_a_section_and_round_trip_exactly(api, other):
    ids = populate(api)
    exported = api.get(SNAPSHOT).json()
    assert [t["objectTypeId"] for t in exported["schemas"]["types"]] == [ids["type"]]
    assert set(exported["objects"]) >= {"contacts", "workspace"}
    restored = other.post(SNAPSHOT, json=exported)
    assert restored.status_code == 200, restored.text
    assert restored.json()["records"]["workspace"] == 1
    assert other.get(SNAPSHOT).json() == exported


def test_a_restored_portal_serves_the_schema_its_records_and_their_links(api, other, hub):
    ids = populate(api)
    schema = api.get(f"/crm/v3/schemas/{ids['type']}").json()
    other.post(SNAPSHOT, json=api.get(SNAPSHOT).json())
    again = other.get(f"/crm/v3/schemas/{ids['type']}").json()
    # the fully qualified name is the restoring portal's: p{portalId}_workspace
    assert again.pop("fullyQualifiedName") == f"p{hub.portal('pat-na1-other').id}_workspace"
    assert again == {k: v for k, v in schema.items() if k != "fullyQualifiedName"}
    read = other.get(f"/crm/v3/objects/workspace/{ids['space']}", params={"associations": "contacts"}).json()
    assert read["properties"]["workspace_name"] == "Acme HQ"
    assert [r["id"] for r in read["associations"]["contacts"]["results"]] == [ids["ann"]]
    found = other.post(f"/crm/v3/objects/{ids['type']}/search", json={
        "filterGroups": [{"filters": [{"propertyName": "seats", "operator": "EQ", "value": "12"}]}]}).json()
    assert [r["id"] for r in found["results"]] == [ids["space"]]
    # a new schema continues the restored counters: another type id, other association type ids
    second = other.post("/crm/v3/schemas", json={"name": "seat", "labels": {"singular": "Seat", "plural": "Seats"},
                                                  "associatedObjects": ["COMPANY"]})  # fmt: skip
    assert second.json()["objectTypeId"] != ids["type"]
    assert second.json()["associations"][0]["id"] not in {a["id"] for a in schema["associations"]}


def test_a_version_2_file_without_the_section_loads_without_custom_objects(api, other):
    populate(api)
    exported = api.get(SNAPSHOT).json()
    del exported["schemas"]
    exported["objects"].pop("workspace")
    exported["properties"].pop("workspace")
    exported["associations"] = [a for a in exported["associations"] if "workspace" not in a]
    restored = other.post(SNAPSHOT, json=exported)
    assert restored.status_code == 200, restored.text
    assert other.get("/crm/v3/schemas").json() == {"results": []}
    assert other.get("/crm/v3/objects/contacts").json()["results"][0]["properties"]["email"] == "ann@acme.io"


def test_records_of_a_type_the_file_does_not_define_are_refused(api, other):
    populate(api)
    exported = api.get(SNAPSHOT).json()
    del exported["schemas"]
    refused = other.post(SNAPSHOT, json=exported)
    assert refused.status_code == 400
    assert "objects must have one entry for each of" in refused.json()["message"] or \
        "properties must have one entry" in refused.json()["message"]


def test_a_bad_schemas_section_is_refused_and_changes_nothing(api, other):
    populate(api)
    other.post("/_sim/clock", json={"freeze": True})
    other.post("/crm/v3/objects/contacts", json={"properties": {"email": "kept@acme.io"}})
    before = other.get(SNAPSHOT).json()
    for damage, problem in (
        (lambda s: s["types"][0].update(objectTypeId="0-1"), "schemas: "),
        (lambda s: s["types"].append(copy.deepcopy(s["types"][0])), "is repeated"),
        (lambda s: s["associationTypes"]["definitions"][0].update(toType="nowhere"), "unknown object type"),
        (lambda s: s["associationTypes"].update(nextTypeId=1001), "not below nextTypeId"),
    ):
        exported = api.get(SNAPSHOT).json()
        damage(exported["schemas"])
        refused = other.post(SNAPSHOT, json=exported)
        assert refused.status_code == 400
        assert problem in refused.json()["message"] and "Nothing was restored" in refused.json()["message"]
    assert other.get(SNAPSHOT).json() == before


def test_a_restart_from_the_state_directory_keeps_custom_objects(tmp_path):
    hub = Hub()
    with client(hub, "pat-co") as api:
        ids = populate(api)
    StateDirectory(tmp_path, hub).save_changed()
    hub.close()
    restarted = Hub()
    StateDirectory(tmp_path, restarted).load()
    with client(restarted, "pat-co") as api:
        page = api.get(f"/crm/v4/objects/contacts/{ids['ann']}/associations/{ids['type']}").json()
        assert [r["toObjectId"] for r in page["results"]] == [int(ids["space"])]
    restarted.close()
