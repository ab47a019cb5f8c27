"""UNIFIED_EVENTS branches with nested AND / OR / NOT_ANY branches of event-property filters, and DYNAMIC lists that
count occurrences re-evaluated when the portal's storage bound drops the oldest ones."""

from __future__ import annotations

import pytest
from list_kit import contact, dynamic, members, root

from simulator.feed import MembershipChanged, OccurrencesDropped

NOW = "2030-01-10T12:00:00Z"


def feature(operator, value):
    return {"filterType": "PROPERTY", "property": "feature",
            "operation": {"operationType": "STRING", "operator": operator, "value": value,
                          "includeObjectsWithNoValueSet": False}}  # fmt: skip


def branch(kind, *filters, branches=()):
    return {"filterBranchType": kind, "filterBranchOperator": "OR" if kind in ("OR", "NOT_ANY") else "AND",
            "filters": list(filters), "filterBranches": list(branches)}  # fmt: skip


def used(event_type_id, *filters, branches=(), times=1, **extra):
    return {"filterBranchType": "UNIFIED_EVENTS", "filterBranchOperator": "AND", "eventTypeId": event_type_id,
            "operator": "HAS_COMPLETED", "filters": list(filters), "filterBranches": list(branches),
            "coalescingRefineBy": {"type": "NUM_OCCURRENCES", "minOccurrences": times},
            "pruningRefineBy": {"type": "ALL_HISTORY"}, **extra}  # fmt: skip


@pytest.fixture(autouse=True)
def frozen(api):
    api.post("/_sim/clock", json={"set": NOW, "freeze": True}).raise_for_status()


@pytest.fixture
def event(api) -> dict:
    answer = api.post("/events/v3/event-definitions", json={
        "label": "Used feature", "name": "used_feature",
        "propertyDefinitions": [{"name": "feature", "label": "Feature", "type": "string"},
                                {"name": "plan", "label": "Plan", "type": "string"}]})  # fmt: skip
    assert answer.status_code == 201, answer.text
    return answer.json()


def send(api, event, record_id, at, **properties):
    answer = api.post("/events/v3/send", json={"eventName": event["fullyQualifiedName"], "objectId": record_id,
                                               "occurredAt": at, "properties": properties})  # fmt: skip
    assert answer.status_code == 204, answer.text


def test_an_occurrence_counts_when_its_properties_pass_the_nested_branches(api, portal, event):
    """Exported or imported (OR), on a paid plan (NOT_ANY of plan = free), twice."""
    nested = [branch("OR", feature("IS_EQUAL_TO", "export"), feature("IS_EQUAL_TO", "import")),
              branch("NOT_ANY", {"filterType": "PROPERTY", "property": "plan", "operation": {
                  "operationType": "STRING", "operator": "IS_EQUAL_TO", "value": "free"}})]  # fmt: skip
    list_id = dynamic(api, root(branches=[used(event["objectTypeId"], branches=nested, times=2)]))
    ann = contact(api, email="ann@acme.io")
    send(api, event, ann, "2030-01-08T10:00:00Z", feature="Export", plan="pro")
    send(api, event, ann, "2030-01-08T11:00:00Z", feature="share", plan="pro")  # neither export nor import
    send(api, event, ann, "2030-01-08T12:00:00Z", feature="import", plan="free")  # a free plan
    assert members(portal, list_id) == set()
    send(api, event, ann, "2030-01-09T10:00:00Z", feature="import", plan="team")
    assert members(portal, list_id) == {ann}


def test_nested_branches_and_the_branchs_own_filters_both_apply(api, portal, event):
    starts_ex = feature("STARTS_WITH", "ex")
    nested = branch("AND", branches=[branch("OR", feature("ENDS_WITH", "port"), feature("ENDS_WITH", "cel"))])
    list_id = dynamic(api, root(branches=[used(event["objectTypeId"], starts_ex, branches=[nested])]))
    ann, bob, cy = (contact(api, email=f"{name}@acme.io") for name in ("ann", "bob", "cy"))
    send(api, event, ann, "2030-01-08T10:00:00Z", feature="export")
    send(api, event, bob, "2030-01-08T10:00:00Z", feature="import")  # ends with port, does not start with ex
    send(api, event, cy, "2030-01-08T10:00:00Z", feature="excel")
    assert members(portal, list_id) == {ann, cy}


@pytest.mark.parametrize(("nested", "message"), [
    (branch("ASSOCIATION", branches=[]) | {"objectTypeId": "0-2", "operator": "IN_LIST", "associationTypeId": 1},
     "ASSOCIATION branches cannot be nested in a UNIFIED_EVENTS branch"),
    (branch("OR", {"filterType": "CONSTANT", "shouldAccept": True}),
     "The filters of a UNIFIED_EVENTS branch must be PROPERTY filters on the event"),
])  # fmt: skip
def test_what_a_unified_events_branch_cannot_nest_is_refused(api, portal, event, nested, message):
    bad = root(branches=[used(event["objectTypeId"], branches=[nested])])
    answer = api.post("/crm/v3/lists", json={"name": "Bad", "objectTypeId": "0-1", "processingType": "DYNAMIC",
                                             "filterBranch": bad})  # fmt: skip
    assert answer.status_code == 400
    assert answer.json()["message"].startswith(message)
    assert portal.lists.all() == []


def test_a_list_member_leaves_when_the_storage_bound_drops_its_occurrences(api, portal, event):
    heard = []
    portal.feed.subscribe(heard.append, OccurrencesDropped, MembershipChanged)
    api.post("/_sim/portal", json={"eventStorageLimit": 4}).raise_for_status()
    three_times = dynamic(api, root(branches=[used(event["objectTypeId"], times=3)]), name="3+ times ever")
    never = dynamic(api, root(branches=[used(event["objectTypeId"]) | {"operator": "HAS_NOT_COMPLETED"}]),
                    name="Never")
    ann, bob = contact(api, email="ann@acme.io"), contact(api, email="bob@acme.io")
    for day in (1, 2, 3):
        send(api, event, ann, f"2030-01-0{day}T10:00:00Z", feature="export")
    assert (members(portal, three_times), members(portal, never)) == ({ann}, {bob})

    send(api, event, bob, "2030-01-05T10:00:00Z")  # 4 stored: nothing dropped
    assert (members(portal, three_times), members(portal, never)) == ({ann}, set())
    heard.clear()
    send(api, event, bob, "2030-01-06T10:00:00Z")  # 5: ann's oldest goes
    assert members(portal, three_times) == set()
    assert heard[0] == OccurrencesDropped(event["objectTypeId"], "contacts", ann, heard[0].at)
    assert [(c.list_id, c.record_id, c.joined) for c in heard[1:]] == [(three_times, ann, False)]

    api.post("/_sim/portal", json={"eventStorageLimit": 1}).raise_for_status()  # lowering the bound drops at once
    assert (members(portal, three_times), members(portal, never)) == (set(), {ann})
    assert api.get("/_sim/usage").json()["events"]["dropped"] == 4
