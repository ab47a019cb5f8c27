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
