"""The criteria API the workflow engine builds on: parse_branch, matches, watch (interfaces.md), PROPERTY filters."""

from __future__ import annotations

import pytest

from simulator.errors import HubSpotError
from simulator.feed import MembershipChanged

PQL = {"filterType": "PROPERTY", "property": "pql_score",
       "operation": {"operationType": "NUMBER", "operator": "IS_GREATER_THAN_OR_EQUAL_TO", "value": 70}}  # fmt: skip
NOT_CUSTOMER = {"filterType": "PROPERTY", "property": "lifecyclestage",
                "operation": {"operationType": "ENUMERATION", "operator": "IS_NONE_OF", "values": ["customer"],
                              "includeObjectsWithNoValueSet": True}}  # fmt: skip


def branch(*filters, **extra):
    return {"filterBranchType": "OR", "filterBranchOperator": "OR", "filters": [],
            "filterBranches": [{"filterBranchType": "AND", "filterBranchOperator": "AND", "filters": list(filters),
                                "filterBranches": [], **extra}]}  # fmt: skip


@pytest.fixture
def pql(api):
    response = api.post("/crm/v3/properties/contacts", json={
        "name": "pql_score", "label": "PQL score", "type": "number", "fieldType": "number",
        "groupName": "contactinformation"})  # fmt: skip
    assert response.status_code == 201


def contact(api, **properties) -> str:
    response = api.post("/crm/v3/objects/contacts", json={"properties": properties})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def update(api, contact_id: str, **properties) -> None:
    assert api.patch(f"/crm/v3/objects/contacts/{contact_id}", json={"properties": properties}).status_code == 200


def test_matches_reads_current_values(api, portal, pql):
    hot = contact(api, email="hot@acme.io", pql_score="85")
    cold = contact(api, email="cold@acme.io", pql_score="20")
    customer = contact(api, email="paid@acme.io", pql_score="90", lifecyclestage="customer")
    criteria = portal.lists.parse_branch(branch(PQL, NOT_CUSTOMER))

    assert [portal.lists.matches(criteria, "0-1", c) for c in (hot, cold, customer)] == [True, False, False]
    assert portal.lists.matches(criteria, "0-1", "999999") is False


def test_watch_follows_writes_inline(api, portal, pql):
    ann = contact(api, email="ann@acme.io", pql_score="75")
    bob = contact(api, email="bob@acme.io", pql_score="10")
    heard = []
    watch = portal.lists.watch(portal.lists.parse_branch(branch(PQL, NOT_CUSTOMER)), "0-1",
                               lambda record_id, meets, at: heard.append((record_id, meets)))  # fmt: skip

    assert watch.members() == {ann}
    update(api, bob, pql_score="70")  # the bound is included
    update(api, ann, lifecyclestage="customer")
    carl = contact(api, email="carl@acme.io", pql_score="99")
    api.delete(f"/crm/v3/objects/contacts/{bob}")

    assert heard == [(bob, True), (ann, False), (carl, True), (bob, False)]
    assert watch.members() == {carl}
    watch.close()
    update(api, ann, lifecyclestage="lead")
    assert len(heard) == 4


def test_a_watch_reevaluates_only_for_what_it_reads(api, portal, pql):
    ann = contact(api, email="ann@acme.io", pql_score="75")
    calls = []
    watch = portal.lists.watch(portal.lists.parse_branch(branch(PQL)), "0-1", lambda *change: None)
    original = watch.check
    watch.check = lambda probe, record: calls.append(record.id) or original(probe, record)

    update(api, ann, firstname="Ann")
    assert calls == []
    update(api, ann, pql_score="80")
    assert calls == [ann]


def test_watches_do_not_publish_memberships(api, portal, pql):
    seen = []
    portal.feed.subscribe(seen.append, MembershipChanged)
    portal.lists.watch(portal.lists.parse_branch(branch(PQL)), "0-1", lambda *change: None)
    contact(api, email="ann@acme.io", pql_score="75")
    assert seen == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"filterBranchType": "AND", "filters": [], "filterBranches": []}, "root filter branch must be an OR"),
        (branch({"filterType": "PAGE_VIEW", "pageUrl": "x", "operator": "HAS_PAGEVIEW_EQ"}), "filterType PAGE_VIEW"),
        (branch({"filterType": "PROPERTY", "property": "x",
                 "operation": {"operationType": "SOMETHING", "operator": "IS_KNOWN"}}), "does not match any"),  # fmt: skip
        (branch(*[PQL] * 251), "at most 250 filters"),
    ],
)
def test_a_bad_branch_is_a_400_naming_the_problem(portal, raw, message):
    with pytest.raises(HubSpotError) as caught:
        portal.lists.parse_branch(raw)
    assert caught.value.status == 400
    assert message in caught.value.message


def test_an_unknown_property_is_refused_for_an_object_type(portal):
    with pytest.raises(HubSpotError) as caught:
        portal.lists.parse_branch(branch(PQL), "0-1")
    assert caught.value.message == "Property pql_score does not exist on contacts"


def test_lower_case_operation_types_are_read_and_echoed_upper_case(portal):
    raw = branch({"filterType": "PROPERTY", "property": "email",
                  "operation": {"operationType": "alltypes", "operator": "is_known"}})  # fmt: skip
    parsed = portal.lists.parse_branch(raw)
    operation = parsed.dump()["filterBranches"][0]["filters"][0]["operation"]
    assert operation == {"operationType": "ALL_PROPERTY", "operator": "IS_KNOWN", "includeObjectsWithNoValueSet": False}
    assert raw["filterBranches"][0]["filters"][0]["operation"]["operationType"] == "alltypes"  # the caller's intact
