"""HubSpot's two list examples (reference/hubspot-api.md §6.2, §6.3) as HubSpot's exact JSON bodies, for the list
tests in-process and over a socket."""

from __future__ import annotations

LISTS = "/crm/v3/lists"
PQL_LIST = {"name": "PQL >= 70, not customer", "objectTypeId": "0-1", "processingType": "DYNAMIC",
 "filterBranch": {"filterBranchType": "OR", "filterBranchOperator": "OR", "filters": [],
  "filterBranches": [{"filterBranchType": "AND", "filterBranchOperator": "AND", "filterBranches": [],
   "filters": [
    {"filterType": "PROPERTY", "property": "pql_score",
     "operation": {"operationType": "NUMBER", "operator": "IS_GREATER_THAN_OR_EQUAL_TO", "value": 70,
                   "includeObjectsWithNoValueSet": False}},
    {"filterType": "PROPERTY", "property": "lifecyclestage",
     "operation": {"operationType": "ENUMERATION", "operator": "IS_NONE_OF", "values": ["customer"],
                   "includeObjectsWithNoValueSet": True}}]}]}}  # fmt: skip
EVENT_LIST = {"name": "Did X 3+ times in 7 days", "objectTypeId": "0-1", "processingType": "DYNAMIC",
 "filterBranch": {"filterBranchType": "OR", "filterBranchOperator": "OR", "filters": [],
  "filterBranches": [{"filterBranchType": "AND", "filterBranchOperator": "AND", "filters": [],
   "filterBranches": [{"filterBranchType": "UNIFIED_EVENTS", "filterBranchOperator": "AND",
     "eventTypeId": "6-1234567", "operator": "HAS_COMPLETED", "filters": [], "filterBranches": [],
     "coalescingRefineBy": {"type": "NUM_OCCURRENCES", "minOccurrences": 3},
     "pruningRefineBy": {"type": "RELATIVE_RANGED", "rangeType": "BETWEEN",
        "lowerBoundOffset": {"offsetDirection": "PAST", "timeUnit": "DAYS", "amount": 7},
        "upperBoundOffset": {"offsetDirection": "PAST", "timeUnit": "DAYS", "amount": 0}}}]}]}}  # fmt: skip


def root(*filters: dict, branches: tuple | list = ()) -> dict:
    """HubSpot's required shape: an OR root holding one AND branch with these filters and branches."""
    return {"filterBranchType": "OR", "filterBranchOperator": "OR", "filters": [], "filterBranches": [
        {"filterBranchType": "AND", "filterBranchOperator": "AND", "filters": list(filters),
         "filterBranches": list(branches)}]}  # fmt: skip


def contact(api, **properties) -> str:
    answer = api.post("/crm/v3/objects/contacts", json={"properties": properties})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def update(api, record_id: str, **properties) -> None:
    api.patch(f"/crm/v3/objects/contacts/{record_id}", json={"properties": properties}).raise_for_status()


def dynamic(api, filter_branch: dict, name: str = "Dynamic") -> str:
    answer = api.post(LISTS, json={"name": name, "objectTypeId": "0-1", "processingType": "DYNAMIC",
                                   "filterBranch": filter_branch})  # fmt: skip
    assert answer.status_code == 200, answer.text
    return answer.json()["list"]["listId"]


def members(portal, list_id: str) -> set[str]:
    return set(portal.lists.get(list_id).members)


def assert_refused_naming(api, portal, filter_branch: dict, field: str) -> None:
    """A DYNAMIC list with this filter branch is a 400 whose errors name `field`; no list was made."""
    answer = api.post(LISTS, json={"name": "Bad", "objectTypeId": "0-1", "processingType": "DYNAMIC",
                                   "filterBranch": filter_branch})  # fmt: skip
    assert answer.status_code == 400
    body = answer.json()
    assert body["category"] == "VALIDATION_ERROR"
    assert any(error["in"].endswith(f".{field}") for error in body["errors"]), body
    assert portal.lists.all() == []
