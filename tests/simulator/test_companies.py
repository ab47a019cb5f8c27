"""Companies (0-2): default properties, typed values, lookups and upserts by domain (not unique, as in HubSpot)."""

from __future__ import annotations

import json

COMPANIES = "/crm/v3/objects/companies"


def create(api, **properties):
    response = api.post(COMPANIES, json={"properties": properties})
    assert response.status_code == 201, response.text
    return response.json()


def test_create_stores_typed_values_and_stamps_hs_lastmodifieddate(api):
    body = create(api, name="Acme", domain="acme.io", industry="COMPUTER_SOFTWARE", numberofemployees="120.0",
                  annualrevenue=2_500_000, country="Germany")  # fmt: skip
    props = body["properties"]
    assert props["industry"] == "COMPUTER_SOFTWARE"
    assert props["numberofemployees"] == "120"
    assert props["annualrevenue"] == "2500000"
    assert props["hs_object_id"] == body["id"]
    assert props["createdate"] == props["hs_lastmodifieddate"] == body["createdAt"]
    assert "lastmodifieddate" not in props


def test_get_returns_domain_and_name_and_the_record_keys(api):
    created = create(api, name="Acme", domain="acme.io", city="Berlin")
    body = api.get(f"{COMPANIES}/{created['id']}").json()
    assert set(body["properties"]) == {"createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"}
    assert body["properties"]["domain"] == "acme.io"


def test_industry_outside_hubspots_options_is_invalid_option(api):
    response = api.post(COMPANIES, json={"properties": {"name": "Acme", "industry": "ROCKETS"}})
    assert response.status_code == 400
    problem = json.loads(response.json()["message"].removeprefix("Property values were not valid: "))[0]
    assert problem["error"] == "INVALID_OPTION"
    assert problem["name"] == "industry"
    assert "INFORMATION_TECHNOLOGY_AND_SERVICES" in problem["message"]


def test_number_of_employees_must_be_a_number(api):
    response = api.post(COMPANIES, json={"properties": {"numberofemployees": "lots"}})
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "message": "lots was not a valid number",
        "code": "INVALID_INTEGER",
        "context": {"propertyName": ["numberofemployees"]},
    }


def test_two_companies_may_share_a_domain(api):
    first = create(api, name="Acme EU", domain="acme.io")
    second = create(api, name="Acme US", domain="acme.io")
    assert first["id"] != second["id"]


def test_get_by_domain_answers_the_first_live_company_with_it(api):
    first = create(api, name="Acme EU", domain="acme.io")
    create(api, name="Acme US", domain="ACME.io")
    body = api.get(f"{COMPANIES}/Acme.IO", params={"idProperty": "domain", "properties": "name"}).json()
    assert body["id"] == first["id"]
    api.delete(f"{COMPANIES}/{first['id']}")
    body = api.get(f"{COMPANIES}/acme.io", params={"idProperty": "domain", "properties": "name"}).json()
    assert body["properties"]["name"] == "Acme US"


def test_upsert_by_domain_updates_the_matching_company_and_creates_the_rest(api):
    existing = create(api, name="Acme", domain="acme.io")
    response = api.post(f"{COMPANIES}/batch/upsert", json={"inputs": [
        {"id": "acme.io", "idProperty": "domain", "properties": {"numberofemployees": "50"}},
        {"id": "globex.com", "idProperty": "domain", "properties": {"name": "Globex"}},
    ]})  # fmt: skip
    assert response.status_code == 200
    results = {r["properties"]["domain"]: r for r in response.json()["results"]}
    assert results["acme.io"]["id"] == existing["id"]
    assert results["acme.io"]["new"] is False
    assert results["acme.io"]["properties"]["numberofemployees"] == "50"
    assert results["globex.com"]["new"] is True
    assert results["globex.com"]["properties"]["name"] == "Globex"


def test_name_is_not_an_id_property(api):
    create(api, name="Acme")
    response = api.get(f"{COMPANIES}/Acme", params={"idProperty": "name"})
    assert response.status_code == 400
    assert "name is not a unique property of companies" in response.json()["message"]


def test_companies_and_contacts_share_one_id_sequence(api):
    company = create(api, name="Acme")
    contact = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "ann@acme.io"}}).json()
    assert int(contact["id"]) == int(company["id"]) + 1


def test_company_properties_api_lists_the_industry_options(api):
    body = api.get("/crm/v3/properties/companies/industry").json()
    assert body["type"] == "enumeration"
    values = [o["value"] for o in body["options"]]
    assert "COMPUTER_SOFTWARE" in values and "INFORMATION_TECHNOLOGY_AND_SERVICES" in values
    assert len(values) == 147
