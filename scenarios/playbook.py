"""The PLG playbook the demo installs through the public API, after the sync core has ensured its schema: the
dynamic lists sales watches ("PQL: score >= 70 and fit ok", "pricing page 3+ in 7 days") in HubSpot's lists v3
filter language (hubspot-api.md §6.2, §6.3)."""

from __future__ import annotations

import httpx

PQL_SCORE, FIT_SCORE = 70, 40  # the scoring model's PQL threshold, and its fit band B ("fit ok": A or B)
PRICING_EVENT, PRICING_VISITS, PRICING_DAYS = "pricing_page_viewed", 3, 7
CONTACTS = "0-1"


def _and(filters: list[dict], branches: list[dict] | None = None) -> dict:
    return {"filterBranchType": "OR", "filterBranchOperator": "OR", "filters": [], "filterBranches": [
        {"filterBranchType": "AND", "filterBranchOperator": "AND", "filters": filters,
         "filterBranches": branches or []}]}


def _at_least(name: str, value: float) -> dict:
    return {"filterType": "PROPERTY", "property": name, "operation": {
        "operationType": "NUMBER", "operator": "IS_GREATER_THAN_OR_EQUAL_TO", "value": value,
        "includeObjectsWithNoValueSet": False}}


def pql_list() -> dict:
    return {"name": f"PQL: score >= {PQL_SCORE} and fit ok", "objectTypeId": CONTACTS, "processingType": "DYNAMIC",
            "filterBranch": _and([_at_least("pql_score", PQL_SCORE), _at_least("pql_fit_score", FIT_SCORE)])}


def pricing_list(event_type_id: str) -> dict:
    return {"name": f"pricing page {PRICING_VISITS}+ in {PRICING_DAYS} days", "objectTypeId": CONTACTS,
            "processingType": "DYNAMIC", "filterBranch": _and([], [{
                "filterBranchType": "UNIFIED_EVENTS", "filterBranchOperator": "AND", "eventTypeId": event_type_id,
                "operator": "HAS_COMPLETED", "filters": [], "filterBranches": [],
                "coalescingRefineBy": {"type": "NUM_OCCURRENCES", "minOccurrences": PRICING_VISITS},
                "pruningRefineBy": {"type": "RELATIVE_RANGED", "rangeType": "BETWEEN",
                                    "lowerBoundOffset": {"offsetDirection": "PAST", "timeUnit": "DAYS",
                                                         "amount": PRICING_DAYS},
                                    "upperBoundOffset": {"offsetDirection": "PAST", "timeUnit": "DAYS",
                                                         "amount": 0}}}])}


def install_lists(hubspot: httpx.Client) -> dict[str, str]:
    """Create the lists; returns their ids by name."""
    definition = hubspot.get(f"/events/v3/event-definitions/{PRICING_EVENT}")
    definition.raise_for_status()
    ids = {}
    for body in (pql_list(), pricing_list(definition.json()["objectTypeId"])):
        created = hubspot.post("/crm/v3/lists", json=body)
        if created.status_code != 200:
            raise RuntimeError(f"the list {body['name']!r} was refused: {created.text[:300]}")
        ids[body["name"]] = created.json()["list"]["listId"]
    return ids
