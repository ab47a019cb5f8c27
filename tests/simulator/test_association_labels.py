"""Custom association labels: POST/PUT/DELETE /crm/v4/associations/{from}/{to}/labels, used on links like
HubSpot's own types, kept in snapshots."""

from __future__ import annotations

import json

LABELS = "/crm/v4/associations/contacts/companies/labels"


def _record(api, object_type, **properties) -> str:
    response = api.post(f"/crm/v3/objects/{object_type}", json={"properties": properties})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _billing(api) -> tuple[int, int]:
    created = api.post(LABELS, json={"label": "Billing contact", "name": "billing_contact"})
    assert created.status_code == 200, created.text
    forward, back = created.json()["results"]
    assert forward == {"category": "USER_DEFINED", "typeId": forward["typeId"], "label": "Billing contact"}
    assert back == {"category": "USER_DEFINED", "typeId": forward["typeId"] + 1, "label": "Billing contact"}
    return forward["typeId"], back["typeId"]


def test_a_label_is_listed_both_ways_and_labels_links_like_hubspots_types(api):
    forward, back = _billing(api)
    listed = api.get(LABELS).json()["results"]
    assert {"category": "USER_DEFINED", "typeId": forward, "label": "Billing contact"} in listed
    back_labels = api.get("/crm/v4/associations/companies/contacts/labels").json()["results"]
    assert {"category": "USER_DEFINED", "typeId": back, "label": "Billing contact"} in back_labels
    ann, acme = _record(api, "contacts", email="ann@acme.io"), _record(api, "companies", name="Acme")
    linked = api.put(f"/crm/v4/objects/contacts/{ann}/associations/companies/{acme}",
                     json=[{"associationCategory": "USER_DEFINED", "associationTypeId": forward}])
    assert linked.status_code == 201, linked.text
    assert linked.json()["labels"] == ["Billing contact"]
    seen = api.get(f"/crm/v4/objects/companies/{acme}/associations/contacts").json()["results"]
    assert {"category": "USER_DEFINED", "typeId": back, "label": "Billing contact"} in seen[0]["associationTypes"]


def test_a_paired_label_names_each_direction(api):
    created = api.post(LABELS, json={"label": "Decision maker", "inverseLabel": "Decided for by", "name": "dm"})
    forward, back = created.json()["results"]
    assert (forward["label"], back["label"]) == ("Decision maker", "Decided for by")


def test_a_label_is_renamed_from_either_direction_and_deleted_once_unused(api):
    forward, back = _billing(api)
    assert api.put(LABELS, json={"associationTypeId": forward, "label": "Invoices to"}).status_code == 204
    assert {t["typeId"]: t["label"] for t in api.get(LABELS).json()["results"]}[forward] == "Invoices to"
    assert api.put("/crm/v4/associations/companies/contacts/labels",
                   json={"associationTypeId": back, "label": "Invoiced", "inverseLabel": "Bills"}).status_code == 204
    back_labels = api.get("/crm/v4/associations/companies/contacts/labels").json()["results"]
    assert {t["typeId"]: t["label"] for t in back_labels}[back] == "Invoiced"
    assert {t["typeId"]: t["label"] for t in api.get(LABELS).json()["results"]}[forward] == "Bills"

    ann, acme = _record(api, "contacts", email="ann@acme.io"), _record(api, "companies", name="Acme")
    api.put(f"/crm/v4/objects/contacts/{ann}/associations/companies/{acme}",
            json=[{"associationCategory": "USER_DEFINED", "associationTypeId": forward}]).raise_for_status()
    refused = api.delete(f"{LABELS}/{forward}")
    assert refused.status_code == 400
    assert refused.json()["message"] == (f"Label {forward} is still on 1 association; remove it from them first "
                                         "(batch/labels/archive)")
    api.post("/crm/v4/associations/contacts/companies/batch/labels/archive", json={"inputs": [{
        "from": {"id": ann}, "to": {"id": acme},
        "types": [{"associationCategory": "USER_DEFINED", "associationTypeId": forward}]}]}).raise_for_status()
    assert api.delete(f"{LABELS}/{forward}").status_code == 204
    assert forward not in {t["typeId"] for t in api.get(LABELS).json()["results"]}
    back_labels = api.get("/crm/v4/associations/companies/contacts/labels").json()["results"]
    assert back not in {t["typeId"] for t in back_labels}
    assert api.delete(f"{LABELS}/{forward}").status_code == 404


def test_bad_label_requests_are_refused_and_change_nothing(api):
    before = api.get(LABELS).json()
    for bad in ({"label": "", "name": "x"}, {"label": "X"}, {"label": "X", "name": "has space"},
                {"label": "X", "name": "x", "inverseLabel": ""}, {"label": "x" * 101, "name": "x"}):
        response = api.post(LABELS, json=bad)
        assert response.status_code == 400, bad
        assert response.json()["category"] == "VALIDATION_ERROR"
    same = api.post("/crm/v4/associations/contacts/contacts/labels", json={"label": "Manager", "name": "manager"})
    assert same.status_code == 400 and "itself" in same.json()["message"]
    _billing(api)
    again = api.post(LABELS, json={"label": "Other", "name": "BILLING_contact"})
    assert again.status_code == 409 and again.json()["category"] == "CONFLICT"
    assert api.put(LABELS, json={"associationTypeId": 279, "label": "Mine now"}).status_code == 404
    assert api.delete(f"{LABELS}/279").status_code == 404  # HubSpot's own unlabeled contact->company
    assert api.delete("/crm/v4/associations/contacts/deals/labels/1001").status_code == 404  # another pair's
    assert api.delete(f"{LABELS}/abc").json()["message"] == "No custom association label abc between contacts and " \
        "companies"
    assert [t for t in api.get(LABELS).json()["results"] if t["category"] == "HUBSPOT_DEFINED"] == \
        [t for t in before["results"] if t["category"] == "HUBSPOT_DEFINED"]


def test_labels_and_their_links_round_trip_through_a_snapshot(api, other):
    api.post("/_sim/clock", json={"freeze": True})
    forward, _ = _billing(api)
    ann, acme = _record(api, "contacts", email="ann@acme.io"), _record(api, "companies", name="Acme")
    api.put(f"/crm/v4/objects/contacts/{ann}/associations/companies/{acme}",
            json=[{"associationCategory": "USER_DEFINED", "associationTypeId": forward}]).raise_for_status()
    exported = api.get("/_sim/snapshot").json()
    assert other.post("/_sim/snapshot", json=exported).status_code == 200
    assert other.get("/_sim/snapshot").json() == exported
    seen = other.get(f"/crm/v4/objects/contacts/{ann}/associations/companies").json()["results"][0]
    assert "Billing contact" in [t["label"] for t in seen["associationTypes"]]
    next_label = other.post(LABELS, json={"label": "Champion", "name": "champion"}).json()["results"][0]["typeId"]
    assert next_label == forward + 2


def test_the_dated_path_serves_the_same_labels(api):
    dated = "/crm/associations/2026-03/contacts/companies/labels"
    created = api.post(dated, json={"label": "Champion", "name": "champion"})
    assert created.status_code == 200, created.text
    type_id = created.json()["results"][0]["typeId"]
    assert {"category": "USER_DEFINED", "typeId": type_id, "label": "Champion"} in api.get(LABELS).json()["results"]
    assert api.delete(f"{dated}/{type_id}").status_code == 204


def test_a_pair_takes_at_most_fifty_labels_made_from_either_side(api):
    for n in range(25):
        api.post(LABELS, json={"label": f"L{n}", "name": f"l{n}"}).raise_for_status()
        api.post("/crm/v4/associations/companies/contacts/labels", json={"label": f"M{n}", "name": f"m{n}"}
                 ).raise_for_status()
    refused = api.post(LABELS, json={"label": "One more", "name": "one_more"})
    assert refused.status_code == 400
    assert refused.json()["message"] == "A pair of object types may have at most 50 custom labels"
    assert api.post("/crm/v4/associations/contacts/deals/labels", json={"label": "X", "name": "x"}).status_code == 200


def test_a_snapshot_with_a_bad_label_is_refused_and_changes_nothing(api, other):
    _billing(api)
    exported = api.get("/_sim/snapshot").json()
    other.post("/_sim/clock", json={"freeze": True})
    before = other.get("/_sim/snapshot").json()
    for bad in ({"id": 5000}, {"fromType": "contacts", "toType": "contacts"}, {"toType": "nonsense"}):
        broken = json.loads(json.dumps(exported))
        broken["schemas"]["associationTypes"]["labels"][0].update(bad)
        refused = other.post("/_sim/snapshot", json=broken)
        assert refused.status_code == 400, bad
        assert "association label" in refused.json()["message"]
    assert other.get("/_sim/snapshot").json() == before
