"""The official hubspot-api-client, unchanged but for host=/base_url=, against hubsim over a socket."""

from __future__ import annotations

import json

import pytest
from hubspot import HubSpot
from hubspot.crm.contacts import (
    ApiException,
    BatchInputSimplePublicObjectBatchInputUpsert,
    SimplePublicObjectBatchInputUpsert,
    SimplePublicObjectInput,
    SimplePublicObjectInputForCreate,
)
from hubspot.crm.properties import PropertyCreate


@pytest.fixture
def sdk(hubspot_sim) -> HubSpot:
    return HubSpot(access_token=hubspot_sim.token, host=hubspot_sim.base_url, base_url=hubspot_sim.base_url)


def test_contacts_crud(sdk):
    contacts = sdk.crm.contacts.basic_api
    created = contacts.create(SimplePublicObjectInputForCreate(properties={"email": "ann@acme.io", "firstname": "Ann"}))
    assert created.id.isdigit()
    assert created.properties["email"] == "ann@acme.io"
    fetched = contacts.get_by_id(created.id, properties=["firstname", "email"])
    assert fetched.properties["firstname"] == "Ann"
    by_email = contacts.get_by_id("ann@acme.io", id_property="email")
    assert by_email.id == created.id
    updated = contacts.update(created.id, SimplePublicObjectInput(properties={"jobtitle": "CTO"}))
    assert updated.properties["jobtitle"] == "CTO"
    contacts.archive(created.id)
    with pytest.raises(ApiException) as raised:
        contacts.get_by_id(created.id)
    assert raised.value.status == 404


def test_batch_upsert_by_email(sdk):
    batch = BatchInputSimplePublicObjectBatchInputUpsert(inputs=[
        SimplePublicObjectBatchInputUpsert(id=f"user{i}@acme.io", id_property="email", properties={"firstname": f"U{i}"})
        for i in range(3)
    ])
    first = sdk.crm.contacts.batch_api.upsert(batch)
    again = sdk.crm.contacts.batch_api.upsert(batch)
    assert first.status == "COMPLETE"
    assert sorted(r.new for r in first.results) == [True, True, True]
    assert sorted(r.new for r in again.results) == [False, False, False]
    assert {r.id for r in first.results} == {r.id for r in again.results}


def test_get_all_pages_through_every_contact_and_stops(sdk, hubspot_sim):
    with hubspot_sim.client() as client:
        for start in range(0, 250, 100):
            inputs = [{"properties": {"email": f"p{i}@acme.io"}} for i in range(start, min(start + 100, 250))]
            assert client.post("/crm/v3/objects/contacts/batch/create", json={"inputs": inputs}).status_code == 201
    everyone = sdk.crm.contacts.get_all()
    assert len(everyone) == 250
    assert len({c.id for c in everyone}) == 250


def test_properties_api(sdk):
    sdk.crm.properties.core_api.create("contacts", PropertyCreate(
        name="pql_score", label="PQL score", type="number", field_type="number", group_name="contactinformation"))
    names = [p.name for p in sdk.crm.properties.core_api.get_all("contacts").results]
    assert "pql_score" in names and "email" in names
    assert sdk.crm.properties.core_api.get_by_name("contacts", "pql_score").type == "number"


def test_errors_surface_as_api_exceptions_with_hubspots_body(sdk):
    contacts = sdk.crm.contacts.basic_api
    contacts.create(SimplePublicObjectInputForCreate(properties={"email": "ann@acme.io"}))
    with pytest.raises(ApiException) as raised:
        contacts.create(SimplePublicObjectInputForCreate(properties={"email": "ann@acme.io"}))
    body = json.loads(raised.value.body)
    assert raised.value.status == 409
    assert body["category"] == "CONFLICT"
    assert body["message"].startswith("Contact already exists. Existing ID: ")
    assert raised.value.headers["X-HubSpot-Correlation-Id"] == body["correlationId"]


def test_a_validation_error_reaches_the_sdk_intact(sdk):
    with pytest.raises(ApiException) as raised:
        sdk.crm.contacts.basic_api.create(SimplePublicObjectInputForCreate(properties={"email": "nope"}))
    body = json.loads(raised.value.body)
    assert raised.value.status == 400
    assert body["errors"][0]["code"] == "INVALID_EMAIL"


def test_the_generic_api_request_reaches_the_same_portal(sdk):
    sdk.crm.contacts.basic_api.create(SimplePublicObjectInputForCreate(properties={"email": "ann@acme.io"}))
    response = sdk.api_request({"method": "GET", "path": "/crm/v3/objects/contacts", "qs": {"limit": 10}})
    assert [c["properties"]["email"] for c in response.json()["results"]] == ["ann@acme.io"]
