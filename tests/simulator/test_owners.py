"""Owners v3: the portal's sales reps (seeded, or from its configuration), paging, filters, and owner checks."""

from __future__ import annotations

import httpx
import pytest

from simulator import Hub, create_app
from simulator.config import HubConfig

OWNERS = "/crm/v3/owners"


def test_the_default_owners_are_realistic_active_reps(api):
    body = api.get(f"{OWNERS}/").json()  # the SDK's trailing slash
    assert [o["email"] for o in body["results"]] == [
        "ava.chen@example.com", "marcus.reid@example.com", "priya.nair@example.com", "tomas.becker@example.com",
    ]  # fmt: skip
    ava = body["results"][0]
    assert ava == {
        "id": "75103841", "email": "ava.chen@example.com", "firstName": "Ava", "lastName": "Chen",
        "userId": 9104501, "userIdIncludingInactive": 9104501, "type": "PERSON",
        "teams": [{"id": "4821", "name": "Sales - North America", "primary": True}],
        "archived": False, "createdAt": ava["createdAt"], "updatedAt": ava["updatedAt"],
    }  # fmt: skip
    assert "paging" not in body


def test_archived_owners_are_listed_apart_without_a_user_id(api):
    [jordan] = api.get(OWNERS, params={"archived": "true"}).json()["results"]
    assert (jordan["email"], jordan["archived"]) == ("jordan.hale@example.com", True)
    assert "userId" not in jordan
    assert jordan["userIdIncludingInactive"] == 9104505


def test_owners_filter_by_email_in_any_case(api):
    body = api.get(OWNERS, params={"email": "Priya.Nair@example.com"}).json()
    assert [o["id"] for o in body["results"]] == ["75103843"]


def test_owners_page_by_limit_and_after(api):
    first = api.get(OWNERS, params={"limit": 3}).json()
    assert len(first["results"]) == 3
    after = first["paging"]["next"]["after"]
    second = api.get(OWNERS, params={"limit": 3, "after": after}).json()
    assert [o["email"] for o in second["results"]] == ["tomas.becker@example.com"]


def test_an_owner_reads_by_id_or_by_user_id(api):
    assert api.get(f"{OWNERS}/75103842").json()["firstName"] == "Marcus"
    assert api.get(f"{OWNERS}/9104502", params={"idProperty": "userId"}).json()["id"] == "75103842"


def test_an_unknown_owner_is_not_found(api):
    response = api.get(f"{OWNERS}/1")
    assert response.status_code == 404
    assert response.json()["category"] == "OBJECT_NOT_FOUND"


def test_an_owner_id_must_be_a_number(api):
    response = api.get(f"{OWNERS}/ava")
    assert response.status_code == 400
    assert response.json()["message"] == "ownerId must be an integer, got 'ava'"


def test_an_owner_is_assigned_to_a_contact(api):
    properties = {"email": "a@b.io", "hubspot_owner_id": "75103843"}
    body = api.post("/crm/v3/objects/contacts", json={"properties": properties})
    assert body.status_code == 201
    assert body.json()["properties"]["hubspot_owner_id"] == "75103843"


def test_an_unknown_owner_id_on_a_deal_is_invalid_option(api):
    response = api.post("/crm/v3/objects/deals", json={"properties": {"dealname": "X", "hubspot_owner_id": "42"}})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "INVALID_OPTION"
    assert response.json()["errors"][0]["context"] == {"propertyName": ["hubspot_owner_id"]}


@pytest.fixture
def configured():
    hub = Hub(HubConfig.model_validate({"portals": [{"token": "pat-team", "owners": [
        {"id": "501", "email": "sam@plg.dev", "firstName": "Sam", "lastName": "Ito", "userId": 77,
         "teams": [{"id": "9", "name": "Self-serve"}]},
    ]}]}))  # fmt: skip
    app = create_app(hub)
    app.testing = True
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://hubsim.test",
                      headers={"Authorization": "Bearer pat-team"}) as client:  # fmt: skip
        yield client
    hub.close()


def test_a_portals_configuration_names_its_owners(configured):
    body = configured.get(OWNERS).json()
    owners = [(o["id"], o["email"], o["teams"][0]["name"]) for o in body["results"]]
    assert owners == [("501", "sam@plg.dev", "Self-serve")]
    refused = configured.post("/crm/v3/objects/contacts", json={"properties": {"hubspot_owner_id": "75103841"}})
    assert refused.status_code == 400
