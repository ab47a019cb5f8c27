"""The official hubspot-api-client, unchanged but for host=/base_url=, against hubsim over a socket."""

from __future__ import annotations

import json

import pytest
from hubspot import HubSpot
from hubspot.crm.contacts import (
    ApiException,
    BatchInputSimplePublicObjectBatchInputUpsert,
    BatchReadInputSimplePublicObjectId,
    Filter,
    FilterGroup,
    PublicObjectSearchRequest,
    SimplePublicObjectBatchInputUpsert,
    SimplePublicObjectId,
    SimplePublicObjectInput,
    SimplePublicObjectInputForCreate,
)
from hubspot.crm.properties import (
    BatchInputPropertyCreate,
    BatchReadInputPropertyName,
    OptionInput,
    PropertyCreate,
    PropertyGroupCreate,
    PropertyGroupUpdate,
    PropertyName,
)


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


def create_contacts(hubspot_sim, count: int) -> None:
    with hubspot_sim.client() as client:
        inputs = [{"properties": {"email": f"p{i}@acme.io", "firstname": f"P{i:02d}"}} for i in range(count)]
        assert client.post("/crm/v3/objects/contacts/batch/create", json={"inputs": inputs}).status_code == 201


def test_search_pages_through_sorted_results_with_after(sdk, hubspot_sim):
    create_contacts(hubspot_sim, 25)
    ours = Filter(property_name="email", operator="CONTAINS_TOKEN", value="*@acme.io")
    request = PublicObjectSearchRequest(  # the SDK types sorts as strings; HubSpot's docs send objects, and so can it
        filter_groups=[FilterGroup(filters=[ours])], sorts=[{"propertyName": "firstname", "direction": "DESCENDING"}],
        properties=["firstname"], limit=10,
    )
    names, totals = [], set()
    while True:
        page = sdk.crm.contacts.search_api.do_search(request)
        names += [r.properties["firstname"] for r in page.results]
        totals.add(page.total)
        if page.paging is None:
            break
        request.after = page.paging.next.after
    assert names == [f"P{i:02d}" for i in reversed(range(25))]
    assert totals == {25}


def test_batch_read_by_email_reports_the_missing_ones(sdk):
    sdk.crm.contacts.basic_api.create(SimplePublicObjectInputForCreate(properties={"email": "ann@acme.io"}))
    read = sdk.crm.contacts.batch_api.read(BatchReadInputSimplePublicObjectId(
        id_property="email", properties=["email"], properties_with_history=[],
        inputs=[SimplePublicObjectId(id="ann@acme.io"), SimplePublicObjectId(id="nobody@acme.io")],
    ))  # fmt: skip
    assert [r.properties["email"] for r in read.results] == ["ann@acme.io"]
    assert (read.errors[0].category, read.errors[0].context) == ("OBJECT_NOT_FOUND", {"ids": ["nobody@acme.io"]})


def test_get_page_after_a_cursor_carries_property_history(sdk, hubspot_sim):
    create_contacts(hubspot_sim, 3)
    sdk.crm.contacts.basic_api.update("p2@acme.io", SimplePublicObjectInput(properties={"firstname": "Pia"}),
                                      id_property="email")  # fmt: skip
    first = sdk.crm.contacts.basic_api.get_page(limit=2)
    last = sdk.crm.contacts.basic_api.get_page(after=first.paging.next.after, properties_with_history=["firstname"])
    [pia] = last.results
    assert [(h.value, h.source_type) for h in pia.properties_with_history["firstname"]] == [("Pia", "API"),
                                                                                             ("P02", "API")]
    assert last.paging is None


def test_properties_api(sdk):
    sdk.crm.properties.core_api.create("contacts", PropertyCreate(
        name="pql_score", label="PQL score", type="number", field_type="number", group_name="contactinformation"))
    names = [p.name for p in sdk.crm.properties.core_api.get_all("contacts").results]
    assert "pql_score" in names and "email" in names
    assert sdk.crm.properties.core_api.get_by_name("contacts", "pql_score").type == "number"


def test_property_groups_and_batches(sdk):
    properties = sdk.crm.properties
    properties.groups_api.create("contacts", PropertyGroupCreate(name="product", label="Product", display_order=3))
    renamed = properties.groups_api.update("contacts", "product", PropertyGroupUpdate(label="Product usage"))
    assert (renamed.label, renamed.display_order) == ("Product usage", 3)
    plan = PropertyCreate(name="plan", label="Plan", type="enumeration", field_type="select", group_name="product",
                          options=[OptionInput(label="Free", value="free", hidden=False, display_order=0)])
    bad = PropertyCreate(name="seats", label="Seats", type="number", field_type="text", group_name="product")
    created = properties.batch_api.create("contacts", BatchInputPropertyCreate(inputs=[plan, bad]))
    assert [(p.name, p.options[0].value) for p in created.results] == [("plan", "free")]
    assert created.errors[0].context == {"name": ["seats"]}
    read = properties.batch_api.read("contacts", BatchReadInputPropertyName(
        archived=False, inputs=[PropertyName(name="plan"), PropertyName(name="email")]))  # fmt: skip
    assert sorted(p.group_name for p in read.results) == ["contactinformation", "product"]


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
