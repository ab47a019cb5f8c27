"""Portal snapshots: GET /_sim/snapshot exports the caller's portal, POST restores it (all or nothing)."""

from __future__ import annotations

import copy

import pytest

from simulator.crm.object_types import OBJECT_TYPES
from simulator.harness.snapshot import SnapshotError, restore_portal

SNAPSHOT = "/_sim/snapshot"
SECTIONS = {"format", "version", "settings", "clock", "ids", "owners", "pipelines", "properties", "objects",
            "associations", "events", "lists", "workflows", "webhooks", "schemas", "ticketPipelines"}  # fmt: skip


def populate(api) -> dict[str, str]:
    """A portal with something of everything: records of each type, links, history, a merge, an archive."""
    api.post("/_sim/clock", json={"set": "2031-05-01T12:00:00Z", "freeze": True})
    api.post("/_sim/portal", json={"timeZone": "Europe/Berlin"})
    api.post("/crm/v3/properties/contacts", json={"name": "pql_score", "label": "PQL score", "type": "number",
                                                  "fieldType": "number", "groupName": "contactinformation"})
    objects = "/crm/v3/objects"
    acme = api.post(f"{objects}/companies", json={"properties": {"name": "Acme", "domain": "acme.io"}}).json()["id"]
    primary = [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}]
    ann = api.post(f"{objects}/contacts", json={"properties": {"email": "ann@acme.io", "pql_score": "40"},
                                                "associations": [{"to": {"id": acme}, "types": primary}]}).json()["id"]
    api.post("/_sim/clock", json={"advance": "P1D"})
    api.patch(f"/crm/v3/objects/contacts/{ann}", json={"properties": {"pql_score": "85"}})
    dup = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "ann.l@acme.io"}}).json()["id"]
    merged = api.post(f"{objects}/contacts/merge", json={"primaryObjectId": ann, "objectIdToMerge": dup}).json()["id"]
    won = {"dealname": "Acme", "dealstage": "closedwon"}
    deal = api.post(f"{objects}/deals", json={"properties": won}).json()["id"]
    api.put(f"/crm/v4/objects/deals/{deal}/associations/default/contacts/{merged}")
    gone = api.post("/crm/v3/objects/tasks", json={"properties": {"hs_timestamp": "2031-06-01"}}).json()["id"]
    api.delete(f"/crm/v3/objects/tasks/{gone}")
    return {"acme": acme, "ann": ann, "merged": merged, "deal": deal, "gone": gone}


def test_the_export_is_versioned_with_one_section_per_store(api):
    body = api.get(SNAPSHOT).json()
    assert set(body) == SECTIONS
    assert (body["format"], body["version"]) == ("hubsim-portal", 2)
    assert set(body["objects"]) == {t.name for t in OBJECT_TYPES}


def test_export_restore_export_round_trips_exactly(api, other):
    populate(api)
    exported = api.get(SNAPSHOT).json()
    restored = other.post(SNAPSHOT, json=exported)
    assert restored.status_code == 200
    counts = {t.name: 0 for t in OBJECT_TYPES} | {"contacts": 1, "companies": 1, "deals": 1}
    assert restored.json() == {"status": "restored", "records": counts}
    assert other.get(SNAPSHOT).json() == exported


def test_a_restored_portal_answers_as_the_original_did(api, other):
    ids = populate(api)
    other.post(SNAPSHOT, json=api.get(SNAPSHOT).json())
    contact = other.get(f"/crm/v3/objects/contacts/{ids['ann']}", params={
        "propertiesWithHistory": "pql_score", "associations": "companies,deals"}).json()  # fmt: skip
    assert contact["id"] == ids["merged"]  # the merged-away id still resolves
    assert [h["value"] for h in contact["propertiesWithHistory"]["pql_score"]][:2] == ["85", "40"]
    assert contact["associations"]["companies"]["results"][0] == {"id": ids["acme"], "type": "contact_to_company"}
    assert contact["associations"]["deals"]["results"] == [{"id": ids["deal"], "type": "contact_to_deal"}]
    assert other.get(f"/crm/v3/objects/tasks/{ids['gone']}", params={"archived": "true"}).json()["archived"] is True
    assert other.get("/_sim/clock").json() == {"now": "2031-05-02T12:00:00.000Z", "frozen": True, "speed": 1.0}
    assert other.get("/_sim/portal").json()["timeZone"] == "Europe/Berlin"


def test_new_records_continue_the_restored_id_sequence(api, other):
    ids = populate(api)
    other.post(SNAPSHOT, json=api.get(SNAPSHOT).json())
    created = other.post("/crm/v3/objects/contacts", json={"properties": {"email": "new@acme.io"}}).json()
    assert int(created["id"]) > max(int(i) for i in ids.values())


def test_a_restore_replaces_what_the_portal_held(api, other):
    populate(api)
    mine = other.post("/crm/v3/objects/contacts", json={"properties": {"email": "mine@other.io"}}).json()["id"]
    other.post(SNAPSHOT, json=api.get(SNAPSHOT).json())
    assert other.get(f"/crm/v3/objects/contacts/{mine}").status_code == 404


def test_search_finds_restored_records(api, other):
    populate(api)
    other.post(SNAPSHOT, json=api.get(SNAPSHOT).json())
    hot = {"filterGroups": [{"filters": [{"propertyName": "pql_score", "operator": "GTE", "value": "80"}]}]}
    found = other.post("/crm/v3/objects/contacts/search", json=hot).json()
    assert [r["properties"]["email"] for r in found["results"]] == ["ann@acme.io"]


def test_a_newer_version_is_refused_and_changes_nothing(api, other):
    populate(api)
    other.post("/_sim/clock", json={"freeze": True})
    before = other.get(SNAPSHOT).json()
    response = other.post(SNAPSHOT, json={**api.get(SNAPSHOT).json(), "version": 3})
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Invalid snapshot: version 3 is newer than this hubsim reads (up to 2); upgrade hubsim. Nothing was restored."
    )
    assert other.get(SNAPSHOT).json() == before


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda s: s.pop("owners"), "missing sections ['owners'], unknown sections []"),
        (lambda s: s["objects"]["contacts"]["records"][0].pop("versions"),
         "objects.contacts: missing field 'versions'"),
        (lambda s: s["associations"].append(["contacts", "424242", "companies", "1", [279]]), "names a missing record"),
        (lambda s: s["ids"].update(next=1), "ids.next (1) must be above every record id"),
        (lambda s: s["properties"]["contacts"]["definitions"][0].update(type="colour"),
         "properties.contacts: type: Input should be 'bool'"),
        (lambda s: s["clock"].update(now="soon"), "clock: Invalid isoformat string"),
    ],
)
def test_a_malformed_snapshot_is_refused_and_changes_nothing(api, other, damage, problem):
    populate(api)
    snapshot = copy.deepcopy(api.get(SNAPSHOT).json())
    damage(snapshot)
    mine = other.post("/crm/v3/objects/contacts", json={"properties": {"email": "mine@other.io"}}).json()["id"]
    other.post("/_sim/clock", json={"freeze": True})
    before = other.get(SNAPSHOT).json()
    response = other.post(SNAPSHOT, json=snapshot)
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"
    assert problem in response.json()["message"]
    assert other.get(SNAPSHOT).json() == before
    assert other.get(f"/crm/v3/objects/contacts/{mine}").status_code == 200


def test_something_else_than_a_snapshot_is_refused(other):
    response = other.post(SNAPSHOT, json={"results": []})
    assert response.status_code == 400
    assert response.json()["message"] == (
        'Invalid snapshot: not a hubsim portal snapshot (expected "format": "hubsim-portal"). Nothing was restored.'
    )


@pytest.mark.parametrize(
    ("clock", "problem"),
    [
        ({"speed": 1e308}, "clock: clock.speed must be above 0 and at most 100000"),
        ({"speed": float("nan")}, "clock: clock.speed must be above 0"),
        ({"speed": float("inf")}, "clock: clock.speed must be above 0"),
        ({"speed": True}, "clock: clock.frozen must be a boolean and clock.speed a number"),
        ({"now": "9999-01-01T00:00:00+00:00"}, "clock: clock.now must fall between 1970-01-01 and 9000-01-01"),
        ({"now": "1969-12-31T23:59:59+00:00"}, "clock: clock.now must fall between"),
    ],
)
def test_a_restored_clock_obeys_the_control_apis_bounds(api, other, hub, clock, problem):
    populate(api)
    snapshot = api.get(SNAPSHOT).json()
    snapshot["clock"].update(clock)
    other.post("/_sim/clock", json={"freeze": True})
    before = other.get(SNAPSHOT).json()
    with pytest.raises(SnapshotError) as refused:  # NaN and inf cannot travel as JSON: restore in-process
        restore_portal(hub.portal("pat-na1-other"), snapshot)
    assert refused.value.message.startswith(f"Invalid snapshot: {problem}")
    assert other.get(SNAPSHOT).json() == before
    assert other.post("/_sim/reset").status_code == 204


def test_a_year_9999_snapshot_is_refused_over_http_and_the_portal_keeps_answering(api, other):
    snapshot = api.get(SNAPSHOT).json()
    snapshot["clock"].update({"now": "9999-12-31T00:00:00+00:00", "speed": 1e308})
    response = other.post(SNAPSHOT, json=snapshot)
    assert response.status_code == 400
    assert "clock.now must fall between" in response.json()["message"]
    assert other.get("/crm/v3/objects/contacts").status_code == 200
    assert other.post("/_sim/reset").status_code == 204


def test_a_file_from_before_the_other_standard_objects_still_loads(api, other):
    populate(api)
    exported = api.get(SNAPSHOT).json()
    for section in ("properties", "objects"):
        exported[section] = {name: exported[section][name] for name in ("contacts", "companies", "deals", "tasks")}
    restored = other.post(SNAPSHOT, json=exported)
    assert restored.status_code == 200
    assert restored.json()["records"]["contacts"] == 1 and restored.json()["records"]["notes"] == 0
    assert other.get("/crm/v3/properties/notes/hs_note_body").json()["type"] == "string"
