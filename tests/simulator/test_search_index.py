"""Search stays true to writes (its index follows every one), HubSpot's opt-in indexing delay, the index's column
scans, and the official SDK's do_search over a socket."""

from __future__ import annotations

import pytest
from hubspot import HubSpot
from hubspot.crm.contacts import (
    ApiException,
    Filter,
    FilterGroup,
    PublicObjectSearchRequest,
    SimplePublicObjectInputForCreate,
)

from simulator.crm.search_filters import compile_filter

CONTACTS = "/crm/v3/objects/contacts"


def create(api, object_type="contacts", **properties) -> str:
    response = api.post(f"/crm/v3/objects/{object_type}", json={"properties": properties})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def update(api, object_id, **properties) -> None:
    response = api.patch(f"{CONTACTS}/{object_id}", json={"properties": properties})
    assert response.status_code == 200, response.text


def search(api, object_type="contacts", *filters, **body) -> dict:
    if filters:
        body["filterGroups"] = [{"filters": list(filters)}]
    response = api.post(f"/crm/v3/objects/{object_type}/search", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def found(api, *filters, **body) -> list[str]:
    return [r["id"] for r in search(api, "contacts", *filters, **body)["results"]]


def eq(name: str, value: str) -> dict:
    return {"propertyName": name, "operator": "EQ", "value": value}


# --- the index follows writes -----------------------------------------------------------------------------------------


def test_an_update_after_a_search_is_seen_by_the_next_search(api):
    ann = create(api, firstname="Ann")
    assert found(api, eq("firstname", "bob")) == []
    update(api, ann, firstname="Bob")
    assert found(api, eq("firstname", "bob")) == [ann]
    assert found(api, eq("firstname", "ann")) == []


def test_a_cleared_value_no_longer_matches(api):
    ann = create(api, firstname="Ann", jobtitle="CTO")
    assert found(api, {"propertyName": "jobtitle", "operator": "HAS_PROPERTY"}) == [ann]
    update(api, ann, jobtitle="")
    assert found(api, {"propertyName": "jobtitle", "operator": "NOT_HAS_PROPERTY"}) == [ann]


def test_tokens_follow_an_update(api):
    ann = create(api, email="ann@old.io")
    assert found(api, {"propertyName": "email", "operator": "CONTAINS_TOKEN", "value": "old"}) == [ann]
    update(api, ann, email="ann@new.io")
    assert found(api, {"propertyName": "email", "operator": "CONTAINS_TOKEN", "value": "old"}) == []
    assert found(api, {"propertyName": "email", "operator": "CONTAINS_TOKEN", "value": "*@new.io"}) == [ann]


def test_an_archived_record_is_never_returned(api):
    ann, bob = create(api, firstname="Ann"), create(api, firstname="Bob")
    assert found(api, {"propertyName": "firstname", "operator": "HAS_PROPERTY"}) == [ann, bob]
    assert api.delete(f"{CONTACTS}/{ann}").status_code == 204
    assert found(api, {"propertyName": "firstname", "operator": "HAS_PROPERTY"}) == [bob]
    assert search(api)["total"] == 1


def test_batch_created_records_are_searchable(api):
    assert search(api)["total"] == 0
    inputs = [{"properties": {"email": f"u{i}@x.io", "firstname": "Batch"}} for i in range(3)]
    assert api.post(f"{CONTACTS}/batch/create", json={"inputs": inputs}).status_code == 201
    assert search(api, "contacts", eq("firstname", "batch"))["total"] == 3


# --- HubSpot's indexing delay (opt-in) --------------------------------------------------------------------------------


@pytest.fixture
def delayed(api):
    assert api.post("/_sim/clock", json={"freeze": True}).status_code == 200
    settings = api.post("/_sim/portal", json={"searchIndexDelayMs": 2000})
    assert settings.json()["searchIndexDelayMs"] == 2000


def advance(api, seconds: float) -> None:
    assert api.post("/_sim/clock", json={"advance": seconds}).status_code == 200


def test_the_delay_is_off_by_default(api):
    assert api.get("/_sim/portal").json()["searchIndexDelayMs"] == 0
    ann = create(api, firstname="Ann")
    assert found(api) == [ann]


def test_with_a_delay_a_new_record_appears_only_once_the_delay_has_passed(api, delayed):
    ann = create(api, firstname="Ann")
    assert search(api) == {"total": 0, "results": []}
    advance(api, 1.999)
    assert found(api) == []
    advance(api, 0.001)
    assert found(api, eq("firstname", "ann")) == [ann]


def test_with_a_delay_an_update_is_searched_and_shown_as_before_until_the_delay_has_passed(api, delayed):
    ann = create(api, firstname="Ann")
    advance(api, 5)
    before = search(api)["results"][0]
    update(api, ann, firstname="Bob")
    assert found(api, eq("firstname", "bob")) == []
    stale = search(api, "contacts", eq("firstname", "ann"))["results"]
    assert stale == [before]  # old values and old updatedAt, as HubSpot's index would still have them
    advance(api, 2)
    fresh = search(api, "contacts", eq("firstname", "bob"))["results"]
    assert [r["properties"]["firstname"] for r in fresh] == ["Bob"]
    assert found(api, eq("firstname", "ann")) == []


def test_with_a_delay_archiving_hides_a_record_at_once(api, delayed):
    ann = create(api, firstname="Ann")
    advance(api, 5)
    api.delete(f"{CONTACTS}/{ann}")
    assert search(api)["total"] == 0


def test_the_delay_setting_is_bounded(api):
    response = api.post("/_sim/portal", json={"searchIndexDelayMs": -1})
    assert response.status_code == 400
    assert "searchIndexDelayMs" in response.json()["message"]


# --- the official SDK over a socket -----------------------------------------------------------------------------------


@pytest.fixture
def sdk(hubspot_sim) -> HubSpot:
    return HubSpot(access_token=hubspot_sim.token, host=hubspot_sim.base_url, base_url=hubspot_sim.base_url)


def test_official_sdk_do_search_pages_through_sorted_results(sdk):
    for email in ("bob@acme.io", "ann@acme.io", "eve@other.io"):
        sdk.crm.contacts.basic_api.create(SimplePublicObjectInputForCreate(properties={"email": email}))
    request = PublicObjectSearchRequest(
        filter_groups=[
            FilterGroup(filters=[Filter(property_name="email", operator="CONTAINS_TOKEN", value="*@acme.io")])
        ],
        sorts=["email"],
        properties=["email"],
        limit=1,
    )
    first = sdk.crm.contacts.search_api.do_search(request)
    assert first.total == 2
    assert first.results[0].properties["email"] == "ann@acme.io"
    assert first.paging.next.after == "1"
    request.after = first.paging.next.after
    second = sdk.crm.contacts.search_api.do_search(request)
    assert second.results[0].properties["email"] == "bob@acme.io"
    assert second.paging is None


def test_official_sdk_sees_a_bad_filter_as_an_api_exception_with_hubspots_body(sdk):
    unknown = Filter(property_name="nope", operator="EQ", value="x")
    request = PublicObjectSearchRequest(filter_groups=[FilterGroup(filters=[unknown])])
    with pytest.raises(ApiException) as raised:
        sdk.crm.contacts.search_api.do_search(request)
    assert raised.value.status == 400
    assert '"category":"VALIDATION_ERROR"' in raised.value.body


# --- the column scan is the per-record test, only faster --------------------------------------------------------------


@pytest.mark.parametrize(
    ("operator", "value", "high_value", "values"),
    [
        ("EQ", "5", None, None), ("LT", "5", None, None), ("LTE", "5", None, None), ("GT", "5", None, None),
        ("GTE", "5", None, None), ("BETWEEN", "2", "7", None), ("IN", None, None, ["1", "9"]),
        ("HAS_PROPERTY", None, None, None), ("NEQ", "5", None, None), ("NOT_IN", None, None, ["1"]),
        ("NOT_HAS_PROPERTY", None, None, None),
    ],
)  # fmt: skip
def test_a_scan_of_a_column_agrees_with_the_test_of_each_value(portal, operator, value, high_value, values):
    condition = compile_filter(
        portal.properties("contacts").definition("hs_object_id"), operator, value, high_value, values
    )
    column = {i: float(i % 10) for i in range(1, 50)}
    if condition.scan is None:  # only filters that a record without a value fails may drive a search from a column
        assert condition.test(None) is True
    else:
        assert condition.test(None) is False
        assert condition.scan(column) == [i for i, v in column.items() if condition.test(v)]
