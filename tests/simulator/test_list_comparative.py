"""COMPARATIVE_DATE, COMPARATIVE_STRING and COMPARATIVE_PROPERTY_UPDATED: a property against another property of the
same record, live on writes of either; and their bad input."""

from __future__ import annotations

import pytest
from list_kit import assert_refused_naming, contact, dynamic, members, root, update

NOW = "2030-01-10T12:00:00Z"


def compare(prop, operation_type, operator, other, **fields):
    return {"filterType": "PROPERTY", "property": prop,
            "operation": {"operationType": operation_type, "operator": operator, "comparisonPropertyName": other,
                          "includeObjectsWithNoValueSet": False, **fields}}  # fmt: skip


@pytest.fixture(autouse=True)
def frozen(api):
    api.post("/_sim/clock", json={"set": NOW, "freeze": True}).raise_for_status()
    for name, kind, field in (("renews", "datetime", "date"), ("trial_ends", "datetime", "date"),
                              ("plan", "string", "text"), ("signup_plan", "string", "text")):  # fmt: skip
        api.post("/crm/v3/properties/contacts", json={
            "name": name, "label": name, "type": kind, "fieldType": field, "groupName": "contactinformation",
        }).raise_for_status()  # fmt: skip


STRINGS = [
    ("IS_EQUAL_TO", "Pro", "pro", True),  # case-insensitive, as STRING is
    ("IS_EQUAL_TO", "Pro", "Starter", False),
    ("IS_NOT_EQUAL_TO", "Pro", "Starter", True),
    ("CONTAINS", "Pro Team", "team", True),
    ("DOES_NOT_CONTAIN", "Pro Team", "team", False),
    ("STARTS_WITH", "Pro Team", "pro", True),
    ("ENDS_WITH", "Pro Team", "pro", False),
]


@pytest.mark.parametrize(("operator", "plan", "signup_plan", "passes"), STRINGS)
def test_comparative_string_operators(api, portal, operator, plan, signup_plan, passes):
    ann = contact(api, email="ann@acme.io", plan=plan, signup_plan=signup_plan)
    list_id = dynamic(api, root(compare("plan", "COMPARATIVE_STRING", operator, "signup_plan")))
    assert members(portal, list_id) == ({ann} if passes else set())


def test_a_comparative_string_follows_writes_of_either_property_and_the_default(api, portal):
    changed = dynamic(api, root(compare("plan", "COMPARATIVE_STRING", "IS_NOT_EQUAL_TO", "signup_plan",
                                        defaultComparisonValue="Free")))  # fmt: skip
    ann = contact(api, email="ann@acme.io", plan="Free")
    bob = contact(api, email="bob@acme.io", plan="Pro")  # no signup_plan: compared with "Free"
    assert members(portal, changed) == {bob}
    update(api, ann, signup_plan="Starter")
    assert members(portal, changed) == {ann, bob}
    update(api, bob, signup_plan="PRO")
    assert members(portal, changed) == {ann}


def test_comparative_dates_follow_writes_of_either_property(api, portal):
    late = dynamic(api, root(compare("renews", "COMPARATIVE_DATE", "IS_AFTER", "trial_ends")))
    ann = contact(api, email="ann@acme.io", renews="2030-02-01T00:00:00Z", trial_ends="2030-01-15T00:00:00Z")
    bob = contact(api, email="bob@acme.io", renews="2030-02-01T00:00:00Z")  # nothing to compare with
    assert members(portal, late) == {ann}
    update(api, ann, trial_ends="2030-03-01T00:00:00Z")
    assert members(portal, late) == set()
    update(api, bob, trial_ends="1830297600000")  # epoch milliseconds: 2028-01-01
    assert members(portal, late) == {bob}


def test_a_comparative_date_default_stands_in_for_a_missing_comparison(api, portal):
    early = dynamic(api, root(compare("renews", "COMPARATIVE_DATE", "IS_BEFORE", "trial_ends",
                                      defaultComparisonValue="2030-01-31T00:00:00Z")))  # fmt: skip
    ann = contact(api, email="ann@acme.io", renews="2030-01-20T00:00:00Z")
    bob = contact(api, email="bob@acme.io", renews="2030-01-20T00:00:00Z", trial_ends="2030-01-01T00:00:00Z")
    assert members(portal, early) == {ann}
    update(api, bob, trial_ends="")  # cleared: the default again
    assert members(portal, early) == {ann, bob}


def test_comparative_property_updated_compares_when_each_was_last_written(api, portal):
    newer = dynamic(api, root(compare("plan", "COMPARATIVE_PROPERTY_UPDATED", "IS_AFTER", "signup_plan")))
    ann = contact(api, email="ann@acme.io", signup_plan="Free")
    api.post("/_sim/clock", json={"advance": "P1D"}).raise_for_status()
    update(api, ann, plan="Pro")
    assert members(portal, newer) == {ann}
    api.post("/_sim/clock", json={"advance": "P1D"}).raise_for_status()
    update(api, ann, signup_plan="Starter")  # now written after plan
    assert members(portal, newer) == set()


def test_comparative_property_updated_with_a_default_time_and_no_value(api, portal):
    older = dynamic(api, root(compare("plan", "COMPARATIVE_PROPERTY_UPDATED", "IS_BEFORE", "signup_plan",
                                      defaultComparisonValue="2030-01-11T00:00:00Z",
                                      includeObjectsWithNoValueSet=True)))  # fmt: skip
    ann = contact(api, email="ann@acme.io", plan="Pro")  # written at NOW, before the default time
    bob = contact(api, email="bob@acme.io")  # plan never written: includeObjectsWithNoValueSet
    assert members(portal, older) == {ann, bob}
    api.post("/_sim/clock", json={"advance": "P2D"}).raise_for_status()
    update(api, ann, plan="Team")
    assert members(portal, older) == {bob}


BAD = [
    ({"filterType": "PROPERTY", "property": "plan", "operation": {
        "operationType": "COMPARATIVE_STRING", "operator": "IS_EQUAL_TO"}}, "comparisonPropertyName"),  # fmt: skip
    (compare("plan", "COMPARATIVE_STRING", "IS_BEFORE", "signup_plan"), "operator"),
    (compare("renews", "COMPARATIVE_DATE", "IS_EQUAL_TO", "trial_ends"), "operator"),
    (compare("renews", "COMPARATIVE_DATE", "IS_AFTER", "trial_ends", defaultComparisonValue="soon"),
     "defaultComparisonValue"),  # fmt: skip
    (compare("plan", "COMPARATIVE_PROPERTY_UPDATED", "IS_AFTER", "signup_plan", defaultComparisonValue="later"),
     "defaultComparisonValue"),  # fmt: skip
]


@pytest.mark.parametrize(("item", "field"), BAD)
def test_bad_comparative_operations_are_refused_naming_the_field(api, portal, item, field):
    assert_refused_naming(api, portal, root(item), field)


def test_an_unknown_comparison_property_is_refused_by_name(api, portal):
    answer = api.post("/crm/v3/lists", json={"name": "Bad", "objectTypeId": "0-1", "processingType": "DYNAMIC",
                                             "filterBranch": root(compare("plan", "COMPARATIVE_STRING", "IS_EQUAL_TO",
                                                                          "no_such_plan"))})  # fmt: skip
    assert answer.status_code == 400
    body = answer.json()
    assert body["message"] == "Property no_such_plan (read by the filter on plan) does not exist on contacts"
    assert body["context"] == {"propertyName": ["no_such_plan"]}
    assert portal.lists.all() == []
