"""What each filter means: every PROPERTY operation type (history and time windows included), IN_LIST, ASSOCIATION
branches, UNIFIED_EVENTS refine-bys, NOT_ALL / NOT_ANY; and that DYNAMIC membership follows each of them live."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

NOW = "2030-01-10T12:00:00Z"
MS_NOW = int(datetime(2030, 1, 10, 12, tzinfo=UTC).timestamp() * 1000)
DAY_MS = 86_400_000


def root(*filters, branches=()):
    return {"filterBranchType": "OR", "filters": [], "filterBranches": [
        {"filterBranchType": "AND", "filters": list(filters), "filterBranches": list(branches)}]}  # fmt: skip


def prop(name, operation_type, operator, **fields):
    return {"filterType": "PROPERTY", "property": name,
            "operation": {"operationType": operation_type, "operator": operator, **fields}}  # fmt: skip


@pytest.fixture(autouse=True)
def frozen(api):
    api.post("/_sim/clock", json={"set": NOW, "freeze": True}).raise_for_status()
    for name, kind, field in (("plan", "string", "text"), ("seats", "number", "number"),
                              ("trial", "bool", "booleancheckbox"), ("renews", "datetime", "date"),
                              ("aliases", "string", "textarea")):  # fmt: skip
        api.post("/crm/v3/properties/contacts", json={"name": name, "label": name, "type": kind, "fieldType": field,
                                                      "groupName": "contactinformation"}).raise_for_status()  # fmt: skip
    api.post("/crm/v3/properties/contacts", json={
        "name": "tools", "label": "Tools", "type": "enumeration", "fieldType": "checkbox",
        "groupName": "contactinformation",
        "options": [{"label": v, "value": v} for v in ("slack", "jira", "github")]}).raise_for_status()  # fmt: skip


def contact(api, **properties) -> str:
    answer = api.post("/crm/v3/objects/contacts", json={"properties": properties})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def update(api, record_id, **properties):
    api.patch(f"/crm/v3/objects/contacts/{record_id}", json={"properties": properties}).raise_for_status()


@pytest.fixture
def ann(api) -> str:
    """plan was "Starter" then "Pro Team"; seats 5 then 12; trial true; tools slack+jira; renews in 3 days."""
    record_id = contact(api, email="ann@acme.io", plan="Starter", seats="5", trial="true", tools="slack;jira",
                        renews="2030-01-13T12:00:00Z")  # fmt: skip
    api.post("/_sim/clock", json={"advance": "P1D"})
    update(api, record_id, plan="Pro Team", seats="12")
    api.post("/_sim/clock", json={"set": NOW})
    return record_id


CASES = [
    (prop("plan", "STRING", "IS_EQUAL_TO", value="pro team"), True),
    (prop("plan", "STRING", "IS_NOT_EQUAL_TO", value="Pro Team"), False),
    (prop("plan", "STRING", "CONTAINS", value="team"), True),
    (prop("plan", "STRING", "DOES_NOT_CONTAIN", value="team"), False),
    (prop("plan", "STRING", "STARTS_WITH", value="Pro"), True),
    (prop("plan", "STRING", "ENDS_WITH", value="Pro"), False),
    (prop("plan", "STRING", "HAS_EVER_BEEN_EQUAL_TO", value="starter"), True),
    (prop("plan", "STRING", "HAS_NEVER_BEEN_EQUAL_TO", value="Starter"), False),
    (prop("plan", "STRING", "HAS_EVER_CONTAINED", value="start"), True),
    (prop("plan", "STRING", "HAS_NEVER_CONTAINED", value="enterprise"), True),
    (prop("plan", "MULTISTRING", "IS_EQUAL_TO", values=["Basic", "Pro Team"]), True),
    (prop("plan", "MULTISTRING", "CONTAINS", values=["ent", "xyz"]), False),
    (prop("plan", "MULTISTRING", "DOES_NOT_CONTAIN", values=["ent", "xyz"]), True),
    (prop("seats", "NUMBER", "IS_GREATER_THAN", value=11.5), True),
    (prop("seats", "NUMBER", "IS_LESS_THAN_OR_EQUAL_TO", value=11), False),
    (prop("seats", "NUMBER", "HAS_EVER_BEEN_EQUAL_TO", value=5), True),
    (prop("seats", "NUMBER", "HAS_NEVER_BEEN_EQUAL_TO", value=5), False),
    (prop("seats", "NUMBER_RANGED", "IS_BETWEEN", lowerBound=12, upperBound=20), True),
    (prop("seats", "NUMBER_RANGED", "IS_NOT_BETWEEN", lowerBound=12, upperBound=20), False),
    (prop("trial", "BOOL", "IS_EQUAL_TO", value=True), True),
    (prop("trial", "BOOL", "IS_NOT_EQUAL_TO", value=True), False),
    (prop("trial", "BOOL", "HAS_NEVER_BEEN_EQUAL_TO", value=False), True),
    (prop("tools", "ENUMERATION", "IS_ANY_OF", values=["jira", "github"]), True),
    (prop("tools", "ENUMERATION", "IS_NONE_OF", values=["github"]), True),
    (prop("tools", "ENUMERATION", "IS_EXACTLY", values=["jira", "slack"]), True),
    (prop("tools", "ENUMERATION", "IS_NOT_EXACTLY", values=["jira"]), True),
    (prop("tools", "ENUMERATION", "CONTAINS_ALL", values=["slack", "github"]), False),
    (prop("tools", "ENUMERATION", "DOES_NOT_CONTAIN_ALL", values=["slack", "github"]), True),
    (prop("tools", "ENUMERATION", "HAS_EVER_BEEN_ANY_OF", values=["github"]), False),
    (prop("tools", "ENUMERATION", "HAS_NEVER_BEEN_EXACTLY", values=["slack"]), True),
    (prop("tools", "ENUMERATION", "HAS_EVER_CONTAINED_ALL", values=["slack"]), True),
    (prop("plan", "ALL_PROPERTY", "IS_KNOWN"), True),
    (prop("firstname", "ALL_PROPERTY", "IS_UNKNOWN"), True),
    (prop("firstname", "STRING", "IS_NOT_EQUAL_TO", value="x"), False),  # no value: includeObjectsWithNoValueSet
    (prop("firstname", "STRING", "IS_NOT_EQUAL_TO", value="x", includeObjectsWithNoValueSet=True), True),
    (prop("renews", "DATETIME", "IS_AFTER", timestamp=MS_NOW), True),
    (prop("renews", "DATETIME", "IS_BEFORE", timestamp=MS_NOW), False),
    (prop("renews", "RANGED_DATE", "IS_BETWEEN", lowerBound=MS_NOW, upperBound=MS_NOW + 3 * DAY_MS), True),
    (prop("renews", "ROLLING_DATE_RANGE", "IS_LESS_THAN_X_DAYS_FROM_NOW", numberOfDays=3), True),
    (prop("renews", "ROLLING_DATE_RANGE", "IS_MORE_THAN_X_DAYS_FROM_NOW", numberOfDays=3), False),
    (prop("createdate", "ROLLING_DATE_RANGE", "IS_LESS_THAN_X_DAYS_AGO", numberOfDays=0), True),
    (prop("plan", "ROLLING_PROPERTY_UPDATED", "UPDATED_IN_LAST_X_DAYS", numberOfDays=1), False),  # updated "tomorrow"
    (prop("trial", "ROLLING_PROPERTY_UPDATED", "NOT_UPDATED_IN_LAST_X_DAYS", numberOfDays=1), False),
    (prop("renews", "TIME_POINT", "IS_AFTER", timePoint={
        "timeType": "INDEXED", "indexReference": {"referenceType": "TODAY"}, "offset": {"days": 2},
        "zoneId": "UTC"}), True),  # fmt: skip
    (prop("renews", "TIME_POINT", "IS_BEFORE", timePoint={
        "timeType": "DATE", "year": 2030, "month": 1, "day": 13, "zoneId": "Europe/Berlin"}), False),  # fmt: skip
    (prop("createdate", "TIME_POINT", "IS_BEFORE", timePoint={
        "timeType": "PROPERTY_REFERENCED", "property": "renews", "referenceType": "VALUE", "zoneId": "UTC"}),
     True),  # fmt: skip
    (prop("renews", "TIME_RANGED", "IS_BETWEEN",
          lowerBoundTimePoint={"timeType": "INDEXED", "indexReference": {"referenceType": "NOW"}, "zoneId": "UTC"},
          upperBoundTimePoint={"timeType": "INDEXED", "indexReference": {"referenceType": "NOW"},
                               "offset": {"days": 3}, "zoneId": "UTC"}), True),  # fmt: skip
    (prop("renews", "TIME_RANGED", "IS_BETWEEN", upperBoundEndpointBehavior="EXCLUSIVE",
          lowerBoundTimePoint={"timeType": "INDEXED", "indexReference": {"referenceType": "NOW"}, "zoneId": "UTC"},
          upperBoundTimePoint={"timeType": "INDEXED", "indexReference": {"referenceType": "NOW"},
                               "offset": {"days": 3}, "zoneId": "UTC"}), False),  # fmt: skip
]


@pytest.mark.parametrize(("item", "expected"), CASES, ids=[f"{c[0]['property']}-{c[0]['operation']['operator']}-{i}"
                                                            for i, c in enumerate(CASES)])  # fmt: skip
def test_property_operations(api, portal, ann, item, expected):
    assert portal.lists.matches(portal.lists.parse_branch(root(item)), "0-1", ann) is expected


def test_not_all_and_not_any(portal, ann):
    hit = prop("seats", "NUMBER", "IS_EQUAL_TO", value=12)
    miss = prop("seats", "NUMBER", "IS_EQUAL_TO", value=13)

    def with_branch(kind, *filters):
        branch = {"filterBranchType": kind, "filters": list(filters), "filterBranches": []}
        return portal.lists.matches(portal.lists.parse_branch(root(branches=[branch])), "0-1", ann)

    assert [with_branch("NOT_ALL", hit, miss), with_branch("NOT_ALL", hit, hit)] == [True, False]
    assert [with_branch("NOT_ANY", miss, miss), with_branch("NOT_ANY", hit, miss)] == [True, False]


def test_a_rolling_window_lets_a_member_go_when_time_passes(api, portal):
    listed = api.post("/crm/v3/lists", json={"name": "Recent", "objectTypeId": "0-1", "processingType": "DYNAMIC",
                                             "filterBranch": root(prop("createdate", "ROLLING_DATE_RANGE",
                                                                       "IS_LESS_THAN_X_DAYS_AGO", numberOfDays=2))})
    list_id = listed.json()["list"]["listId"]
    ann = contact(api, email="ann@acme.io")
    api.post("/_sim/clock", json={"advance": "P2D"})
    assert portal.lists.get(list_id).members.keys() == {ann}  # exactly 2 days: still in
    api.post("/_sim/clock", json={"advance": 0.001})
    assert portal.lists.get(list_id).members == {}


def test_in_list_follows_the_other_lists_membership(api, portal):
    manual = api.post("/crm/v3/lists", json={"name": "VIP", "objectTypeId": "0-1", "processingType": "MANUAL"})
    vip = manual.json()["list"]["listId"]
    not_vip = api.post("/crm/v3/lists", json={
        "name": "Not VIP", "objectTypeId": "0-1", "processingType": "DYNAMIC",
        "filterBranch": root({"filterType": "IN_LIST", "listId": vip, "operator": "NOT_IN_LIST"})}).json()["list"]
    ann = contact(api, email="ann@acme.io")
    assert ann in portal.lists.get(not_vip["listId"]).members
    api.put(f"/crm/v3/lists/{vip}/memberships/add", json=[ann])
    assert ann not in portal.lists.get(not_vip["listId"]).members
    refused = api.delete(f"/crm/v3/lists/{vip}")
    assert refused.status_code == 400
    assert refused.json()["message"] == f"List {vip} is used in the filters of lists {not_vip['listId']}; remove it " \
                                        "from them first"  # fmt: skip
    cycle = api.put(f"/crm/v3/lists/{not_vip['listId']}/update-list-filters", json={"filterBranch": root(
        {"filterType": "IN_LIST", "listId": not_vip["listId"], "operator": "IN_LIST"})})  # fmt: skip
    assert cycle.status_code == 400


def company_branch(low, high, type_id=279):
    return {"filterBranchType": "ASSOCIATION", "objectTypeId": "0-2", "operator": "IN_LIST",
            "associationTypeId": type_id, "associationCategory": "HUBSPOT_DEFINED", "filterBranches": [],
            "filters": [prop("numberofemployees", "NUMBER_RANGED", "IS_BETWEEN", lowerBound=low,
                             upperBound=high)]}  # fmt: skip


def test_contacts_whose_company_has_100_to_500_employees_live(api, portal):
    listed = api.post("/crm/v3/lists", json={"name": "Mid-market", "objectTypeId": "0-1",
                                             "processingType": "DYNAMIC",
                                             "filterBranch": root(branches=[company_branch(100, 500)])})  # fmt: skip
    assert listed.status_code == 200, listed.text
    list_id = listed.json()["list"]["listId"]
    acme = api.post("/crm/v3/objects/companies", json={"properties": {"name": "Acme", "numberofemployees": "50"}})
    acme_id = acme.json()["id"]
    ann = contact(api, email="ann@acme.io")
    api.put(f"/crm/v4/objects/contacts/{ann}/associations/default/companies/{acme_id}").raise_for_status()
    assert portal.lists.get(list_id).members == {}
    api.patch(f"/crm/v3/objects/companies/{acme_id}", json={"properties": {"numberofemployees": "250"}})
    assert set(portal.lists.get(list_id).members) == {ann}  # the company changed: its contacts were re-evaluated
    api.delete(f"/crm/v4/objects/contacts/{ann}/associations/companies/{acme_id}")
    assert portal.lists.get(list_id).members == {}


def test_an_association_branch_to_deals(api, portal):
    branch = {"filterBranchType": "ASSOCIATION", "objectTypeId": "0-3", "operator": "IN_LIST",
              "associationTypeId": 4, "associationCategory": "HUBSPOT_DEFINED", "filterBranches": [],
              "filters": [prop("dealstage", "ENUMERATION", "IS_ANY_OF", values=["closedwon"])]}  # fmt: skip
    criteria = portal.lists.parse_branch(root(branches=[branch]))
    ann = contact(api, email="ann@acme.io")
    deal = api.post("/crm/v3/objects/deals", json={"properties": {"dealname": "D", "dealstage": "closedwon"}})
    assert portal.lists.matches(criteria, "0-1", ann) is False
    api.put(f"/crm/v4/objects/contacts/{ann}/associations/default/deals/{deal.json()['id']}").raise_for_status()
    assert portal.lists.matches(criteria, "0-1", ann) is True


def test_a_wrong_association_type_is_refused(api):
    answer = api.post("/crm/v3/lists", json={"name": "X", "objectTypeId": "0-1", "processingType": "DYNAMIC",
                                             "filterBranch": root(branches=[company_branch(1, 2, type_id=3)])})
    assert answer.status_code == 400
    assert answer.json()["message"] == "associationTypeId 3 is not an association type from contacts"


@pytest.fixture
def used(api) -> dict:
    return api.post("/events/v3/event-definitions", json={
        "label": "Used", "name": "used",
        "propertyDefinitions": [{"name": "feature", "label": "Feature", "type": "string"}]}).json()  # fmt: skip


def events_branch(event_type_id, *filters, operator="HAS_COMPLETED", **refine):
    return {"filterBranchType": "UNIFIED_EVENTS", "eventTypeId": event_type_id, "operator": operator,
            "filters": list(filters), "filterBranches": [], **refine}  # fmt: skip


def offset(direction, amount, unit="DAYS"):
    return {"offsetDirection": direction, "timeUnit": unit, "amount": amount}


REFINES = [
    ({}, True),
    ({"coalescingRefineBy": {"type": "NUM_OCCURRENCES", "minOccurrences": 4}}, False),
    ({"coalescingRefineBy": {"type": "NUM_OCCURRENCES", "maxOccurrences": 2}}, False),
    ({"pruningRefineBy": {"type": "ALL_HISTORY"}, "coalescingRefineBy": {"type": "NUM_OCCURRENCES",
                                                                         "minOccurrences": 3}}, True),  # fmt: skip
    ({"pruningRefineBy": {"type": "RELATIVE_COMPARATIVE", "comparison": "AFTER", "timeOffset": offset("PAST", 2)},
      "coalescingRefineBy": {"type": "NUM_OCCURRENCES", "minOccurrences": 2}}, False),  # fmt: skip
    ({"pruningRefineBy": {"type": "RELATIVE_COMPARATIVE", "comparison": "BEFORE", "timeOffset": offset("PAST", 2)},
      "coalescingRefineBy": {"type": "NUM_OCCURRENCES", "minOccurrences": 2}}, True),  # fmt: skip
    ({"pruningRefineBy": {"type": "RELATIVE_RANGED", "rangeType": "NOT_BETWEEN", "lowerBoundOffset": offset("PAST", 1),
                          "upperBoundOffset": offset("PAST", 0)},
      "coalescingRefineBy": {"type": "NUM_OCCURRENCES", "minOccurrences": 3}}, False),  # fmt: skip
    ({"pruningRefineBy": {"type": "ABSOLUTE_COMPARATIVE", "comparison": "AFTER", "timestamp": MS_NOW - DAY_MS}}, True),
    ({"pruningRefineBy": {"type": "ABSOLUTE_RANGED", "rangeType": "BETWEEN", "lowerTimestamp": MS_NOW - 6 * DAY_MS,
                          "upperTimestamp": MS_NOW - 4 * DAY_MS}}, True),  # fmt: skip
    ({"pruningRefineBy": {"type": "TIME_RANGED", "operator": "IS_BETWEEN", "lowerBoundTimePoint": {
        "timeType": "INDEXED", "indexReference": {"referenceType": "TODAY"}, "offset": {"days": -1}, "zoneId": "UTC"},
        "upperBoundTimePoint": {"timeType": "INDEXED", "indexReference": {"referenceType": "NOW"}, "zoneId": "UTC"}},
      "coalescingRefineBy": {"type": "NUM_OCCURRENCES", "minOccurrences": 1, "maxOccurrences": 1}}, True),  # fmt: skip
    ({"pruningRefineBy": {"type": "TIME_POINT", "operator": "IS_BEFORE", "timePoint": {
        "timeType": "DATE", "year": 2030, "month": 1, "day": 1, "zoneId": "UTC"}}}, False),  # fmt: skip
]


@pytest.mark.parametrize(("refine", "expected"), REFINES)
def test_event_refine_bys(api, portal, used, refine, expected):
    """Occurrences 5 days, 3 days and 1 hour ago."""
    ann = contact(api, email="ann@acme.io")
    for at in ("2030-01-05T12:00:00Z", "2030-01-07T12:00:00Z", "2030-01-10T11:00:00Z"):
        api.post("/events/v3/send", json={"eventName": used["fullyQualifiedName"], "objectId": ann,
                                          "occurredAt": at}).raise_for_status()  # fmt: skip
    criteria = portal.lists.parse_branch(root(branches=[events_branch(used["objectTypeId"], **refine)]))
    assert portal.lists.matches(criteria, "0-1", ann) is expected


def test_event_property_filters_and_not_completed(api, portal, used):
    ann = contact(api, email="ann@acme.io")
    api.post("/events/v3/send", json={"eventName": used["fullyQualifiedName"], "objectId": ann,
                                      "properties": {"feature": "Export"}}).raise_for_status()  # fmt: skip
    export = prop("feature", "STRING", "IS_EQUAL_TO", value="export")
    other = prop("feature", "STRING", "IS_EQUAL_TO", value="import")
    matches = [portal.lists.matches(portal.lists.parse_branch(root(branches=[b])), "0-1", ann) for b in (
        events_branch(used["objectTypeId"], export), events_branch(used["objectTypeId"], other),
        events_branch(used["objectTypeId"], other, operator="HAS_NOT_COMPLETED"))]  # fmt: skip
    assert matches == [True, False, True]


def test_an_unknown_event_type_is_refused(api):
    answer = api.post("/crm/v3/lists", json={"name": "X", "objectTypeId": "0-1", "processingType": "DYNAMIC",
                                             "filterBranch": root(branches=[events_branch("6-999")])})
    assert answer.status_code == 400
    assert answer.json()["message"] == "Event type 6-999 does not exist"
