"""Merge (any object type) and GDPR delete (contacts), as HubSpot does them."""

from __future__ import annotations

CONTACTS = "/crm/v3/objects/contacts"


def create(api, object_type="contacts", **properties) -> dict:
    response = api.post(f"/crm/v3/objects/{object_type}", json={"properties": properties})
    assert response.status_code == 201, response.text
    return response.json()


def merge(api, primary: str, other: str, object_type="contacts"):
    return api.post(f"/crm/v3/objects/{object_type}/merge", json={"primaryObjectId": primary, "objectIdToMerge": other})


def test_merge_answers_a_new_record_where_the_primarys_values_win(api):
    ann = create(api, email="ann@acme.io", firstname="Ann", jobtitle="CTO")
    dup = create(api, email="ann.l@acme.io", firstname="Annie", city="Berlin")
    response = merge(api, ann["id"], dup["id"])
    assert response.status_code == 200
    body = response.json()
    assert body["id"] not in (ann["id"], dup["id"])
    props = body["properties"]
    assert [props[n] for n in ("email", "firstname", "jobtitle", "city")] == ["ann@acme.io", "Ann", "CTO", "Berlin"]
    assert props["hs_object_id"] == body["id"]
    assert props["hs_merged_object_ids"] == f"{ann['id']};{dup['id']}"


def test_both_old_ids_answer_with_the_merged_record(api):
    ann, dup = create(api, email="ann@acme.io"), create(api, email="ann.l@acme.io")
    merged = merge(api, ann["id"], dup["id"]).json()
    for old in (ann["id"], dup["id"]):
        assert api.get(f"{CONTACTS}/{old}").json()["id"] == merged["id"]
    assert [r["id"] for r in api.get(CONTACTS).json()["results"]] == [merged["id"]]


def test_the_other_email_becomes_an_additional_email_and_stays_taken(api):
    ann, dup = create(api, email="ann@acme.io"), create(api, email="ann.l@acme.io")
    merged = merge(api, ann["id"], dup["id"]).json()
    assert merged["properties"]["hs_additional_emails"] == "ann.l@acme.io"
    again = api.post(CONTACTS, json={"properties": {"email": "ann.l@acme.io"}})
    assert again.status_code == 409
    assert again.json()["message"] == f"Contact already exists. Existing ID: {merged['id']}"
    assert api.get(f"{CONTACTS}/ann.l@acme.io", params={"idProperty": "email"}).json()["id"] == merged["id"]


def test_the_furthest_lifecycle_stage_wins_a_contact_merge(api):
    lead = create(api, email="ann@acme.io", lifecyclestage="lead")
    customer = create(api, email="ann.l@acme.io", lifecyclestage="customer")
    assert merge(api, lead["id"], customer["id"]).json()["properties"]["lifecyclestage"] == "customer"


def test_the_history_of_both_records_is_combined(api):
    ann = create(api, email="ann@acme.io", firstname="Ann")
    dup = create(api, email="ann.l@acme.io", firstname="Annie")
    merged = merge(api, ann["id"], dup["id"]).json()
    body = api.get(f"{CONTACTS}/{merged['id']}", params={"propertiesWithHistory": "firstname"}).json()
    values = [entry["value"] for entry in body["propertiesWithHistory"]["firstname"]]
    assert values == ["Ann", "Annie", "Ann"]  # newest first: the merge settled on the primary's value


def test_the_combined_history_is_newest_first_across_both_records(api):
    api.post("/_sim/clock", json={"set": "2030-01-01T00:00:00Z", "freeze": True})
    ann = create(api, email="ann@acme.io", firstname="Ann")
    api.post("/_sim/clock", json={"advance": "P1D"})
    dup = create(api, email="ann.l@acme.io", firstname="Annie")
    api.post("/_sim/clock", json={"advance": "P1D"})
    api.patch(f"{CONTACTS}/{ann['id']}", json={"properties": {"firstname": "Anna"}})
    api.post("/_sim/clock", json={"advance": "P1D"})
    merged = merge(api, ann["id"], dup["id"]).json()
    assert merged["properties"]["firstname"] == "Anna"
    body = api.get(f"{CONTACTS}/{merged['id']}", params={"propertiesWithHistory": "firstname"}).json()
    history = [(entry["value"], entry["timestamp"]) for entry in body["propertiesWithHistory"]["firstname"]]
    # Read backwards these would differ: the order itself is pinned, not only which values are there.
    assert history == [("Anna", "2030-01-03T00:00:00.000Z"), ("Annie", "2030-01-02T00:00:00.000Z"),
                       ("Ann", "2030-01-01T00:00:00.000Z")]


def test_associations_move_to_the_merged_record_and_the_primarys_primary_wins(api):
    acme, globex = create(api, "companies", name="Acme"), create(api, "companies", name="Globex")
    primary = [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}]
    ann = api.post(CONTACTS, json={"properties": {"email": "ann@acme.io"},
                                   "associations": [{"to": {"id": acme["id"]}, "types": primary}]}).json()
    dup = api.post(CONTACTS, json={"properties": {"email": "ann.l@acme.io"},
                                   "associations": [{"to": {"id": globex["id"]}, "types": primary}]}).json()
    merged = merge(api, ann["id"], dup["id"]).json()
    links = api.get(f"/crm/v4/objects/contacts/{merged['id']}/associations/companies").json()["results"]
    assert [(r["toObjectId"], [t["typeId"] for t in r["associationTypes"]]) for r in links] == [
        (int(acme["id"]), [1, 279]), (int(globex["id"]), [279])
    ]
    from_globex = api.get(f"/crm/v4/objects/companies/{globex['id']}/associations/contacts").json()["results"]
    assert [r["toObjectId"] for r in from_globex] == [int(merged["id"])]


def test_deals_merge_too(api):
    one = create(api, "deals", dealname="Acme", amount="100")
    two = create(api, "deals", dealname="Acme (dup)", dealstage="closedwon")
    body = merge(api, one["id"], two["id"], "deals").json()
    assert (body["properties"]["dealname"], body["properties"]["amount"]) == ("Acme", "100")
    assert body["properties"]["hs_is_closed_won"] == "true"


def test_a_record_cannot_merge_into_itself(api):
    ann = create(api, email="ann@acme.io")
    response = merge(api, ann["id"], ann["id"])
    assert response.status_code == 400
    assert response.json()["message"] == f"Cannot merge contact {ann['id']} into itself"


def test_merging_a_missing_record_is_not_found(api):
    ann = create(api, email="ann@acme.io")
    response = merge(api, ann["id"], "999")
    assert response.status_code == 404
    assert response.json()["context"] == {"id": ["999"]}


def test_gdpr_delete_removes_a_contact_for_good(api):
    ann = create(api, email="ann@acme.io")
    response = api.post(f"{CONTACTS}/gdpr-delete", json={"objectId": ann["id"]})
    assert response.status_code == 204
    assert api.get(f"{CONTACTS}/{ann['id']}").status_code == 404
    assert api.get(f"{CONTACTS}/{ann['id']}", params={"archived": "true"}).status_code == 404
    assert api.get(CONTACTS, params={"archived": "true"}).json()["results"] == []


def test_gdpr_delete_by_email_frees_the_address(api):
    create(api, email="ann@acme.io")
    response = api.post(f"{CONTACTS}/gdpr-delete", json={"objectId": "ann@acme.io", "idProperty": "email"})
    assert response.status_code == 204
    assert api.post(CONTACTS, json={"properties": {"email": "ann@acme.io"}}).status_code == 201


def test_gdpr_delete_of_an_unknown_email_is_accepted(api):
    response = api.post(f"{CONTACTS}/gdpr-delete", json={"objectId": "nobody@acme.io", "idProperty": "email"})
    assert response.status_code == 204


def test_gdpr_delete_of_an_unknown_id_is_not_found(api):
    assert api.post(f"{CONTACTS}/gdpr-delete", json={"objectId": "999"}).status_code == 404


def test_gdpr_delete_takes_the_contacts_associations_with_it(api):
    acme = create(api, "companies", name="Acme")
    ann = create(api, email="ann@acme.io")
    api.put(f"/crm/v4/objects/contacts/{ann['id']}/associations/default/companies/{acme['id']}")
    api.post(f"{CONTACTS}/gdpr-delete", json={"objectId": ann["id"]})
    assert api.get(f"/crm/v4/objects/companies/{acme['id']}/associations/contacts").json()["results"] == []


def test_gdpr_delete_is_a_contacts_operation(api):
    acme = create(api, "companies", name="Acme")
    response = api.post("/crm/v3/objects/companies/gdpr-delete", json={"objectId": acme["id"]})
    assert response.status_code == 404
    assert api.get(f"/crm/v3/objects/companies/{acme['id']}").status_code == 200
