"""Search over every object type, through associations, after a merge and after a snapshot restore."""

from __future__ import annotations


def create(api, object_type, **properties) -> str:
    response = api.post(f"/crm/v3/objects/{object_type}", json={"properties": properties})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def search(api, object_type, *filters, **body) -> dict:
    if filters:
        body["filterGroups"] = [{"filters": list(filters)}]
    response = api.post(f"/crm/v3/objects/{object_type}/search", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def _ids(body: dict) -> list[str]:
    return [r["id"] for r in body["results"]]


def eq(name: str, value: str) -> dict:
    return {"propertyName": name, "operator": "EQ", "value": value}


def test_companies_query_searches_name_domain_website_and_phone(api):
    acme = create(api, "companies", name="Acme Inc", domain="acme.io")
    create(api, "companies", name="Globex", domain="globex.com")
    assert _ids(search(api, "companies", query="acme")) == [acme]
    body = search(api, "companies", eq("domain", "ACME.IO"))
    assert _ids(body) == [acme]
    assert set(body["results"][0]["properties"]) >= {"name", "domain"}


def test_deals_filter_amounts_as_numbers(api):
    big = create(api, "deals", dealname="Big", amount="1000")
    create(api, "deals", dealname="Small", amount="999.5")
    assert _ids(search(api, "deals", {"propertyName": "amount", "operator": "GTE", "value": "1000"})) == [big]


def test_tasks_query_searches_the_subject(api):
    call = create(api, "tasks", hs_task_subject="Call Ann", hs_timestamp="2030-01-01T00:00:00Z")
    create(api, "tasks", hs_task_subject="Email Bob", hs_timestamp="2030-01-01T00:00:00Z")
    assert _ids(search(api, "tasks", query="call")) == [call]


def associate(api, deal_id: str, contact_id: str) -> None:
    response = api.put(f"/crm/v4/objects/deals/{deal_id}/associations/default/contacts/{contact_id}")
    assert response.status_code == 200, response.text


def test_associations_pseudo_property_finds_the_records_linked_to_a_record(api):
    ann, bob = create(api, "contacts", email="ann@x.io"), create(api, "contacts", email="bob@x.io")
    first, second, alone = (create(api, "deals", dealname=name) for name in ("First", "Second", "Alone"))
    associate(api, first, ann)
    associate(api, second, bob)
    assert _ids(search(api, "deals", eq("associations.contact", ann))) == [first]
    either = {"propertyName": "associations.contact", "operator": "IN", "values": [ann, bob]}
    assert _ids(search(api, "deals", either)) == [first, second]
    neither = {"propertyName": "associations.contact", "operator": "NOT_IN", "values": [ann, bob]}
    assert _ids(search(api, "deals", neither)) == [alone]


def test_an_associations_filter_takes_no_range(api):
    response = api.post("/crm/v3/objects/deals/search", json={"filterGroups": [{"filters": [
        {"propertyName": "associations.contact", "operator": "GT", "value": "1"}]}]})  # fmt: skip
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Filter associations.contact GT: an associations filter takes EQ, NEQ, IN or NOT_IN"
    )


def test_a_merge_leaves_one_record_that_search_finds_by_either_email(api):
    ann = create(api, "contacts", email="ann@x.io", firstname="Ann")
    bob = create(api, "contacts", email="bob@x.io", firstname="Bob")
    response = api.post("/crm/v3/objects/contacts/merge", json={"primaryObjectId": ann, "objectIdToMerge": bob})
    merged = response.json()["id"]
    assert _ids(search(api, "contacts")) == [merged]
    assert _ids(search(api, "contacts", query="bob@x.io")) == [merged]  # hs_additional_emails is searchable


def test_a_restored_snapshot_is_searchable(api):
    ann = create(api, "contacts", email="ann@x.io", firstname="Ann")
    snapshot = api.get("/_sim/snapshot").json()
    assert api.post("/_sim/reset").status_code == 204
    assert search(api, "contacts")["total"] == 0
    assert api.post("/_sim/snapshot", json=snapshot).status_code == 200
    assert _ids(search(api, "contacts", eq("firstname", "ann"))) == [ann]
