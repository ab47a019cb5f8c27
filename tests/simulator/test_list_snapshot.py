"""Lists in portal snapshots: lists, members with their join times, deleted lists and folders round-trip exactly,
and a restored portal resumes the window checks that were pending."""

from __future__ import annotations

import copy

import pytest
from list_kit import EVENT_LIST

SNAPSHOT, LISTS = "/_sim/snapshot", "/crm/v3/lists"


def populate(api) -> dict[str, str]:
    api.post("/_sim/clock", json={"set": "2030-01-10T12:00:00Z", "freeze": True})
    event = api.post("/events/v3/event-definitions", json={"label": "Used X", "name": "used_x"}).json()
    body = copy.deepcopy(EVENT_LIST)
    body["filterBranch"]["filterBranches"][0]["filterBranches"][0]["eventTypeId"] = event["objectTypeId"]
    folder = api.post(f"{LISTS}/folders", json={"name": "PLG"}).json()["folder"]["id"]
    dynamic = api.post(LISTS, json={**body, "listFolderId": folder}).json()["list"]["listId"]
    ann = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "ann@acme.io"}}).json()["id"]
    for day in ("04", "06", "08"):
        api.post("/events/v3/send", json={"eventName": event["fullyQualifiedName"], "email": "ann@acme.io",
                                          "occurredAt": f"2030-01-{day}T12:00:00Z"})  # fmt: skip
    manual = api.post(LISTS, json={"name": "Hand", "objectTypeId": "0-1", "processingType": "MANUAL"}).json()
    api.put(f"{LISTS}/{manual['list']['listId']}/memberships/add", json=[ann])
    gone = api.post(LISTS, json={"name": "Gone", "objectTypeId": "0-1", "processingType": "MANUAL"}).json()
    api.delete(f"{LISTS}/{gone['list']['listId']}")
    return {"dynamic": dynamic, "ann": ann, "gone": gone["list"]["listId"]}


def members(client, list_id: str) -> list[str]:
    return [r["recordId"] for r in client.get(f"{LISTS}/{list_id}/memberships").json()["results"]]


def test_lists_round_trip_and_window_checks_resume(api, other):
    made = populate(api)
    exported = api.get(SNAPSHOT).json()
    assert other.post(SNAPSHOT, json=exported).status_code == 200
    assert other.get(SNAPSHOT).json()["lists"] == exported["lists"]
    assert members(other, made["dynamic"]) == [made["ann"]]
    assert other.get(f"{LISTS}/{made['gone']}").status_code == 404
    assert other.put(f"{LISTS}/{made['gone']}/restore").status_code == 204

    other.post("/_sim/clock", json={"advance": "P1DT1S"})  # the 2030-01-04 event leaves the 7-day window
    assert members(other, made["dynamic"]) == []
    assert members(api, made["dynamic"]) == [made["ann"]]  # the original portal is its own


def test_a_file_without_lists_starts_them_empty(api, other):
    populate(api)
    exported = api.get(SNAPSHOT).json()
    del exported["lists"]
    assert other.post(SNAPSHOT, json=exported).status_code == 200
    assert other.post(f"{LISTS}/search", json={}).json()["total"] == 0


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda s: s["lists"]["lists"][0].update(processingType="LIVE"),
         "lists: processingType must be one of ('MANUAL', 'DYNAMIC', 'SNAPSHOT')"),
        (lambda s: s["lists"].update(nextId=1), "lists: nextId must be above every list id"),
        (lambda s: s["lists"]["lists"][0]["filterBranch"].update(filterBranchType="AND"),
         "lists: list 1: filterBranch: the root filter branch must be an OR branch without filters"),
        (lambda s: s["lists"]["lists"][0].pop("members"), "lists: missing field 'members'"),
    ],
)
def test_a_damaged_lists_section_is_refused_and_changes_nothing(api, other, damage, problem):
    populate(api)
    other.post("/_sim/clock", json={"freeze": True})
    before = other.get(SNAPSHOT).json()
    broken = api.get(SNAPSHOT).json()
    damage(broken)
    answer = other.post(SNAPSHOT, json=broken)
    assert answer.status_code == 400
    assert answer.json()["message"] == f"Invalid snapshot: {problem}. Nothing was restored."
    assert other.get(SNAPSHOT).json() == before


def test_a_calendar_list_round_trips_and_leaves_when_its_week_ends(api, other):
    api.post("/_sim/clock", json={"set": "2030-01-10T12:00:00Z", "freeze": True})
    api.post("/crm/v3/properties/contacts", json={"name": "renews", "label": "Renews", "type": "datetime",
                                                  "fieldType": "date", "groupName": "contactinformation"})
    this_week = {"filterType": "PROPERTY", "property": "renews", "operation": {
        "operationType": "CALENDAR_DATE", "operator": "IN_THIS_TIME_UNIT", "timeUnit": "WEEK"}}  # fmt: skip
    list_id = api.post(LISTS, json={"name": "Renews this week", "objectTypeId": "0-1", "processingType": "DYNAMIC",
                                    "filterBranch": {"filterBranchType": "OR", "filterBranches": [
                                        {"filterBranchType": "AND", "filters": [this_week]}]}}).json()["list"]["listId"]
    ann = api.post("/crm/v3/objects/contacts", json={"properties": {"renews": "2030-01-12T00:00:00Z"}}).json()["id"]
    exported = api.get(SNAPSHOT).json()
    assert other.post(SNAPSHOT, json=exported).status_code == 200
    assert other.get(SNAPSHOT).json()["lists"] == exported["lists"]
    assert members(other, list_id) == [ann]
    other.post("/_sim/clock", json={"set": "2030-01-14T00:00:00Z"})  # Monday: the restored portal's check ran
    assert members(other, list_id) == []
