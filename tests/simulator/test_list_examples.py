"""HubSpot's two list examples (reference/hubspot-api.md §6.2, §6.3), sent as HubSpot's exact JSON bodies: membership
follows property writes, appears on the third event and goes when the clock moves the events out of the window."""

from __future__ import annotations

import copy

import pytest
from list_kit import EVENT_LIST, LISTS, PQL_LIST

from simulator.feed import MembershipChanged


@pytest.fixture
def frozen(api):
    api.post("/_sim/clock", json={"set": "2030-01-10T12:00:00Z", "freeze": True}).raise_for_status()


@pytest.fixture
def pql(api):
    api.post("/crm/v3/properties/contacts", json={"name": "pql_score", "label": "PQL score", "type": "number",
                                                  "fieldType": "number", "groupName": "contactinformation"})  # fmt: skip


@pytest.fixture
def event(api, frozen) -> dict:
    created = api.post("/events/v3/event-definitions", json={"label": "Used X", "name": "used_x"})
    assert created.status_code == 201, created.text
    return created.json()


def contact(api, **properties) -> str:
    return api.post("/crm/v3/objects/contacts", json={"properties": properties}).json()["id"]


def members(api, list_id: str) -> list[str]:
    page = api.get(f"{LISTS}/{list_id}/memberships")
    assert page.status_code == 200, page.text
    return [m["recordId"] for m in page.json()["results"]]


def test_pql_list_is_created_with_hubspots_body_and_echoes_it(api, frozen, pql):
    hot = contact(api, email="hot@acme.io", pql_score="85")
    contact(api, email="cold@acme.io", pql_score="10")
    created = api.post(LISTS, json=PQL_LIST)

    assert created.status_code == 200
    listed = created.json()["list"]
    assert listed["filterBranch"] == PQL_LIST["filterBranch"]
    assert {k: listed[k] for k in ("name", "objectTypeId", "processingType", "processingStatus", "size",
                                   "listVersion", "createdAt")} == {
        "name": "PQL >= 70, not customer", "objectTypeId": "0-1", "processingType": "DYNAMIC",
        "processingStatus": "COMPLETE", "size": 1, "listVersion": 1, "createdAt": "2030-01-10T12:00:00.000Z",
    }  # fmt: skip
    assert members(api, listed["listId"]) == [hot]


def test_pql_list_follows_writes_before_the_call_returns(api, frozen, pql):
    list_id = api.post(LISTS, json=PQL_LIST).json()["list"]["listId"]
    ann = contact(api, email="ann@acme.io", pql_score="40")
    assert members(api, list_id) == []

    api.patch(f"/crm/v3/objects/contacts/{ann}", json={"properties": {"pql_score": "72"}})
    assert members(api, list_id) == [ann]
    api.patch(f"/crm/v3/objects/contacts/{ann}", json={"properties": {"lifecyclestage": "customer"}})
    assert members(api, list_id) == []
    assert api.get(f"{LISTS}/{list_id}").json()["list"]["size"] == 0


def test_event_list_gets_the_member_on_the_third_event_and_loses_it_when_the_window_passes(api, event):
    body = copy.deepcopy(EVENT_LIST)
    body["filterBranch"]["filterBranches"][0]["filterBranches"][0]["eventTypeId"] = event["objectTypeId"]
    list_id = api.post(LISTS, json=body).json()["list"]["listId"]
    ann = contact(api, email="ann@acme.io")

    def send(occurred_at: str) -> None:
        sent = api.post("/events/v3/send", json={"eventName": event["fullyQualifiedName"], "email": "ann@acme.io",
                                                 "occurredAt": occurred_at})  # fmt: skip
        assert sent.status_code == 204, sent.text

    send("2030-01-04T12:00:00Z")  # exactly 6 days before now
    send("2030-01-08T09:00:00Z")
    assert members(api, list_id) == []
    send("2030-01-10T12:00:00Z")  # at now: inside the window
    assert members(api, list_id) == [ann]
    joined = api.get(f"{LISTS}/{list_id}/memberships/join-order").json()["results"]
    assert joined == [{"recordId": ann, "membershipTimestamp": "2030-01-10T12:00:00.000Z"}]

    api.post("/_sim/clock", json={"advance": "P1D"})  # the first event is exactly 7 days old: still in
    assert members(api, list_id) == [ann]
    api.post("/_sim/clock", json={"advance": 1})  # one second later it is out, and with it the third occurrence
    assert members(api, list_id) == []
    record = api.get(f"{LISTS}/records/0-1/{ann}/memberships").json()
    assert record == {"results": [], "total": 0}


def test_the_window_is_left_at_its_exact_moment(api, portal, event):
    body = copy.deepcopy(EVENT_LIST)
    body["filterBranch"]["filterBranches"][0]["filterBranches"][0]["eventTypeId"] = event["objectTypeId"]
    list_id = api.post(LISTS, json=body).json()["list"]["listId"]
    contact(api, email="ann@acme.io")
    left = []
    portal.feed.subscribe(lambda change: None if change.joined else left.append(change.at.isoformat()),
                          MembershipChanged)
    for day in ("03", "05", "06"):
        api.post("/events/v3/send", json={"eventName": event["fullyQualifiedName"], "email": "ann@acme.io",
                                          "occurredAt": f"2030-01-{day}T12:00:00Z"})  # fmt: skip
    assert api.get(f"{LISTS}/{list_id}").json()["list"]["size"] == 1
    api.post("/_sim/clock", json={"advance": "P3D"})
    assert left == ["2030-01-10T12:00:00.001000+00:00"]  # the 2030-01-03 event left the window a tick after 7 days
