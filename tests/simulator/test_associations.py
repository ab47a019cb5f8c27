"""Associations v4 between contacts, companies, deals and tasks; associations on create and on v3 reads."""

from __future__ import annotations

import pytest

V4 = "/crm/v4"
UNLABELED_CONTACT_TO_COMPANY = {"category": "HUBSPOT_DEFINED", "typeId": 279, "label": None}
PRIMARY_CONTACT_TO_COMPANY = {"category": "HUBSPOT_DEFINED", "typeId": 1, "label": "Primary"}


def spec(type_id: int) -> dict:
    return {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}


def record(api, object_type: str, **properties) -> str:
    response = api.post(f"/crm/v3/objects/{object_type}", json={"properties": properties})
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.fixture
def ann(api) -> str:
    return record(api, "contacts", email="ann@acme.io")


@pytest.fixture
def acme(api) -> str:
    return record(api, "companies", name="Acme", domain="acme.io")


def linked(api, from_type: str, from_id: str, to_type: str) -> list[dict]:
    response = api.get(f"{V4}/objects/{from_type}/{from_id}/associations/{to_type}")
    assert response.status_code == 200, response.text
    return response.json()["results"]


def test_a_default_association_answers_both_directions(api, ann, acme):
    response = api.put(f"{V4}/objects/contact/{ann}/associations/default/company/{acme}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "COMPLETE"
    assert body["results"] == [
        {"from": {"id": ann}, "to": {"id": acme}, "associationSpec": spec(279)},
        {"from": {"id": acme}, "to": {"id": ann}, "associationSpec": spec(280)},
    ]


def test_an_association_is_seen_from_both_records_with_the_inverse_type(api, ann, acme):
    api.put(f"{V4}/objects/contacts/{ann}/associations/default/companies/{acme}")
    assert linked(api, "contacts", ann, "companies") == [
        {"toObjectId": int(acme), "associationTypes": [UNLABELED_CONTACT_TO_COMPANY]}
    ]
    assert linked(api, "companies", acme, "contacts") == [
        {"toObjectId": int(ann), "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 280, "label": None}]}
    ]


def test_a_labelled_association_answers_201_with_the_pairs_labels(api, ann, acme):
    response = api.put(f"{V4}/objects/contacts/{ann}/associations/companies/{acme}", json=[spec(1)])
    assert response.status_code == 201
    assert response.json() == {
        "fromObjectTypeId": "0-1", "fromObjectId": int(ann), "toObjectTypeId": "0-2", "toObjectId": int(acme),
        "labels": ["Primary"],
    }  # fmt: skip
    assert linked(api, "contacts", ann, "companies")[0]["associationTypes"] == [
        PRIMARY_CONTACT_TO_COMPANY, UNLABELED_CONTACT_TO_COMPANY
    ]


def test_a_new_primary_company_takes_the_label_from_the_old_one(api, ann, acme):
    globex = record(api, "companies", name="Globex")
    api.put(f"{V4}/objects/contacts/{ann}/associations/companies/{acme}", json=[spec(1)])
    api.put(f"{V4}/objects/companies/{globex}/associations/contacts/{ann}", json=[spec(2)])  # from the company side
    assert linked(api, "contacts", ann, "companies") == [
        {"toObjectId": int(acme), "associationTypes": [UNLABELED_CONTACT_TO_COMPANY]},
        {"toObjectId": int(globex), "associationTypes": [PRIMARY_CONTACT_TO_COMPANY, UNLABELED_CONTACT_TO_COMPANY]},
    ]


def test_a_type_id_of_another_pair_is_refused_as_hubspot_does(api, acme):
    deal = record(api, "deals", dealname="Acme")
    response = api.put(f"{V4}/objects/deal/{deal}/associations/company/{acme}", json=[spec(1)])
    assert response.status_code == 400
    body = response.json()
    assert (body["category"], body["message"]) == ("VALIDATION_ERROR", "One or more associations are invalid")
    assert body["context"] == {"INVALID_OBJECT_IDS": [f"CONTACT={deal} is not valid"], "objectId": [deal],
                               "objectType": ["CONTACT"]}  # fmt: skip


def test_an_association_to_a_missing_record_is_refused(api, ann):
    response = api.put(f"{V4}/objects/contacts/{ann}/associations/default/companies/999")
    assert response.status_code == 400
    assert response.json()["context"]["INVALID_OBJECT_IDS"] == ["COMPANY=999 is not valid"]


def test_an_unknown_type_id_is_refused(api, ann, acme):
    response = api.put(f"{V4}/objects/contacts/{ann}/associations/companies/{acme}", json=[spec(99999)])
    assert response.status_code == 400
    assert response.json()["context"] == {
        "INVALID_ASSOCIATION_TYPE": ["HUBSPOT_DEFINED 99999 is not a defined association type"]
    }


def test_delete_removes_the_pair_both_ways(api, ann, acme):
    api.put(f"{V4}/objects/contacts/{ann}/associations/companies/{acme}", json=[spec(1)])
    assert api.delete(f"{V4}/objects/companies/{acme}/associations/contacts/{ann}").status_code == 204
    assert linked(api, "contacts", ann, "companies") == []
    assert linked(api, "companies", acme, "contacts") == []


def test_the_list_pages_by_limit_and_after(api, acme):
    contacts = [record(api, "contacts", email=f"c{i}@acme.io") for i in range(3)]
    for contact in contacts:
        api.put(f"{V4}/objects/companies/{acme}/associations/default/contacts/{contact}")
    first = api.get(f"{V4}/objects/companies/{acme}/associations/contacts", params={"limit": 2}).json()
    assert [r["toObjectId"] for r in first["results"]] == [int(c) for c in contacts[:2]]
    after = first["paging"]["next"]["after"]
    second = api.get(f"{V4}/objects/companies/{acme}/associations/contacts", params={"limit": 2, "after": after}).json()
    assert [r["toObjectId"] for r in second["results"]] == [int(contacts[2])]
    assert "paging" not in second


def test_labels_between_two_object_types(api):
    body = api.get(f"{V4}/associations/deals/companies/labels").json()
    assert body["results"] == [
        {"category": "HUBSPOT_DEFINED", "typeId": 5, "label": "Primary"},
        {"category": "HUBSPOT_DEFINED", "typeId": 341, "label": None},
    ]


@pytest.mark.parametrize(("from_type", "to_type", "type_id"), [
    ("contacts", "companies", 279), ("companies", "contacts", 280), ("deals", "contacts", 3), ("contacts", "deals", 4),
    ("deals", "companies", 341), ("companies", "deals", 342), ("tasks", "contacts", 204), ("contacts", "tasks", 203),
    ("tasks", "companies", 192), ("companies", "tasks", 191), ("tasks", "deals", 216), ("deals", "tasks", 215),
])  # fmt: skip
def test_hubspots_default_type_ids(api, from_type, to_type, type_id):
    labels = api.get(f"{V4}/associations/{from_type}/{to_type}/labels").json()["results"]
    assert {"category": "HUBSPOT_DEFINED", "typeId": type_id, "label": None} in labels


def test_batch_create_links_the_good_inputs_and_reports_the_bad(api, ann, acme):
    bob = record(api, "contacts", email="bob@acme.io")
    response = api.post(f"{V4}/associations/contacts/companies/batch/create", json={"inputs": [
        {"from": {"id": ann}, "to": {"id": acme}, "types": [spec(1)]},
        {"from": {"id": bob}, "to": {"id": "424242"}, "types": [spec(279)]},
    ]})  # fmt: skip
    assert response.status_code == 207
    body = response.json()
    assert body["results"] == [{"fromObjectTypeId": "0-1", "fromObjectId": int(ann), "toObjectTypeId": "0-2",
                                "toObjectId": int(acme), "labels": ["Primary"]}]  # fmt: skip
    assert body["numErrors"] == 1
    assert body["errors"][0]["context"]["INVALID_OBJECT_IDS"] == ["COMPANY=424242 is not valid"]


def test_batch_read_reports_records_without_links_as_hubspot_does(api, ann, acme):
    lonely = record(api, "contacts", email="lonely@acme.io")
    api.put(f"{V4}/objects/contacts/{ann}/associations/default/companies/{acme}")
    inputs = [{"id": ann}, {"id": lonely}]
    response = api.post(f"{V4}/associations/contacts/companies/batch/read", json={"inputs": inputs})
    assert response.status_code == 207
    body = response.json()
    assert body["results"] == [{"from": {"id": ann}, "to": [{"toObjectId": int(acme),
                                                             "associationTypes": [UNLABELED_CONTACT_TO_COMPANY]}]}]
    [error] = body["errors"]
    assert (error["category"], error["subCategory"]) == ("OBJECT_NOT_FOUND", "crm.associations.NO_ASSOCIATIONS_FOUND")
    assert error["message"] == f"No company is associated with contact {lonely}."
    assert error["context"] == {"fromObjectId": [lonely], "fromObjectType": ["contact"], "toObjectType": ["company"]}


def test_batch_associate_default_and_batch_archive(api, ann, acme):
    deal = record(api, "deals", dealname="Acme")
    created = api.post(f"{V4}/associations/deals/contacts/batch/associate/default",
                       json={"inputs": [{"from": {"id": deal}, "to": {"id": ann}}]})  # fmt: skip
    assert created.status_code == 200
    assert created.json()["results"][0] == {"from": {"id": deal}, "to": {"id": ann}, "associationSpec": spec(3)}
    assert linked(api, "contacts", ann, "deals")[0]["toObjectId"] == int(deal)
    archived = api.post(f"{V4}/associations/deals/contacts/batch/archive",
                        json={"inputs": [{"from": {"id": deal}, "to": [{"id": ann}]}]})  # fmt: skip
    assert archived.status_code == 204
    assert linked(api, "contacts", ann, "deals") == []


def test_batch_associate_default_reports_bad_inputs_inside_a_200(api, ann, acme):
    response = api.post(f"{V4}/associations/contacts/companies/batch/associate/default", json={"inputs": [
        {"from": {"id": ann}, "to": {"id": acme}},
        {"from": {"id": ann}, "to": {"id": "424242"}},
    ]})  # fmt: skip
    assert response.status_code == 200  # HubSpot's spec gives this endpoint no 207; the SDK would read nothing
    body = response.json()
    assert [r["associationSpec"]["associationTypeId"] for r in body["results"]] == [279, 280]
    assert body["numErrors"] == 1
    assert body["errors"][0]["context"]["INVALID_OBJECT_IDS"] == ["COMPANY=424242 is not valid"]


def test_archiving_a_label_keeps_the_association(api, ann, acme):
    api.put(f"{V4}/objects/contacts/{ann}/associations/companies/{acme}", json=[spec(1)])
    response = api.post(f"{V4}/associations/contacts/companies/batch/labels/archive",
                        json={"inputs": [{"from": {"id": ann}, "to": {"id": acme}, "types": [spec(1)]}]})  # fmt: skip
    assert response.status_code == 204
    assert linked(api, "contacts", ann, "companies")[0]["associationTypes"] == [UNLABELED_CONTACT_TO_COMPANY]


def test_a_record_created_with_associations_is_linked_at_once(api, acme):
    response = api.post("/crm/v3/objects/contacts", json={
        "properties": {"email": "ann@acme.io"},
        "associations": [{"to": {"id": acme}, "types": [spec(279)]}],
    })  # fmt: skip
    assert response.status_code == 201
    assert linked(api, "companies", acme, "contacts")[0]["toObjectId"] == int(response.json()["id"])


def test_a_create_with_a_bad_association_creates_nothing(api, acme):
    response = api.post("/crm/v3/objects/contacts", json={
        "properties": {"email": "ann@acme.io"},
        "associations": [{"to": {"id": acme}, "types": [spec(279)]}, {"to": {"id": "777"}, "types": [spec(279)]}],
    })  # fmt: skip
    assert response.status_code == 400
    assert response.json()["context"]["INVALID_OBJECT_IDS"] == ["COMPANY=777 is not valid"]
    assert api.get("/crm/v3/objects/contacts").json()["results"] == []
    assert linked(api, "companies", acme, "contacts") == []


def test_batch_create_of_records_takes_associations(api, acme):
    response = api.post("/crm/v3/objects/deals/batch/create", json={"inputs": [
        {"properties": {"dealname": "One"}, "associations": [{"to": {"id": acme}, "types": [spec(5)]}]},
        {"properties": {"dealname": "Two"}, "associations": [{"to": {"id": acme}, "types": [spec(341)]}]},
    ]})  # fmt: skip
    assert response.status_code == 201
    assert len(linked(api, "companies", acme, "deals")) == 2


def test_a_v3_read_shows_associations_by_v3_type_names(api, ann, acme):
    api.put(f"{V4}/objects/contacts/{ann}/associations/companies/{acme}", json=[spec(1)])
    body = api.get(f"/crm/v3/objects/contacts/{ann}", params={"associations": "companies,deals"}).json()
    assert body["associations"] == {"companies": {"results": [
        {"id": acme, "type": "contact_to_company"}, {"id": acme, "type": "contact_to_company_unlabeled"},
    ]}}  # fmt: skip


def test_a_v3_read_ignores_association_types_it_cannot_find(api, ann, acme):
    api.put(f"{V4}/objects/contacts/{ann}/associations/default/companies/{acme}")
    body = api.get(f"/crm/v3/objects/contacts/{ann}", params={"associations": "tickets,companies,widgets"}).json()
    assert body["associations"] == {"companies": {"results": [{"id": acme, "type": "contact_to_company_unlabeled"}]}}
    page = api.get("/crm/v3/objects/contacts", params={"associations": "tickets"})
    assert [r["id"] for r in page.json()["results"]] == [ann]


def test_the_list_shows_associations_of_each_record(api, ann, acme):
    api.put(f"{V4}/objects/companies/{acme}/associations/default/contacts/{ann}")
    body = api.get("/crm/v3/objects/companies", params={"associations": "contacts"}).json()
    assert body["results"][0]["associations"] == {
        "contacts": {"results": [{"id": ann, "type": "company_to_contact_unlabeled"}]}
    }


def test_an_archived_record_drops_out_of_association_reads(api, ann, acme):
    api.put(f"{V4}/objects/contacts/{ann}/associations/default/companies/{acme}")
    api.delete(f"/crm/v3/objects/companies/{acme}")
    assert linked(api, "contacts", ann, "companies") == []
    body = api.get(f"/crm/v3/objects/contacts/{ann}", params={"associations": "companies"}).json()
    assert "associations" not in body


def test_an_unknown_object_type_in_a_path_is_refused(api, ann):
    response = api.get(f"{V4}/objects/contacts/{ann}/associations/widgets")
    assert response.status_code == 400
    assert response.json()["message"] == "Unable to infer object type from: widgets"
