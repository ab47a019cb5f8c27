"""The PLG playbook the demo installs through the public API, after the sync core has ensured its schema: the
dynamic lists sales watches ("PQL: score >= 70 and fit ok", "pricing page 3+ in 7 days") in HubSpot's lists v3
filter language (hubspot-api.md §6.2, §6.3), and the PQL routing workflow (plg-guide: "PQL -> rotate to an owner,
create a task, notify the owner"), automation v4 (hubspot-api.md §7)."""

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


def _action(action_id: str, type_id: str, fields: dict, then: str | None = None) -> dict:
    body = {"type": "SINGLE_CONNECTION", "actionId": action_id, "actionTypeId": type_id, "actionTypeVersion": 0,
            "fields": fields}
    if then:
        body["connection"] = {"edgeType": "STANDARD", "nextActionId": then}
    return body


ROTATE_OWNER, CREATE_TASK, IN_APP = "0-11", "0-3", "0-9"  # HubSpot's actionTypeIds (hubspot-api.md §7)


def pql_routing_flow(owner_ids: list[str]) -> dict:
    """Contacts entering the PQL criteria get an owner (round robin), a task due in a day, and the owner a
    notification."""
    return {
        "type": "CONTACT_FLOW", "objectTypeId": CONTACTS, "flowType": "WORKFLOW", "name": "PQL routing",
        "isEnabled": True, "startActionId": "1",
        "enrollmentCriteria": {"type": "LIST_BASED", "shouldReEnroll": False,
                               "unEnrollObjectsNotMeetingCriteria": False, "reEnrollmentTriggersFilterBranches": [],
                               "listFilterBranch": pql_list()["filterBranch"]},
        "actions": [
            _action("1", ROTATE_OWNER, {"user_ids": owner_ids, "target_property": "hubspot_owner_id",
                                        "overwrite_current_owner": "false"}, then="2"),
            _action("2", CREATE_TASK, {"subject": "Reach out to a new PQL", "task_type": "CALL",
                                       "priority": "HIGH", "body": "Product usage crossed the PQL threshold.",
                                       "due_time": {"delta": "1", "time_unit": "DAYS"}}, then="3"),
            _action("3", IN_APP, {"owner_properties": ["hubspot_owner_id"], "delivery_method": "APP",
                                  "subject": "New PQL assigned to you",
                                  "body": "A product-qualified lead is waiting for your call."}),
        ],
    }


def install(hubspot: httpx.Client) -> dict[str, str]:
    """The workflow, and the lists where the simulator serves the lists API; their ids by name."""
    serves_lists = hubspot.get("/crm/v3/lists", params={"listIds": "0"}).status_code != 404
    ids = install_lists(hubspot) if serves_lists else {}
    owners = hubspot.get("/crm/v3/owners", params={"limit": 100})
    owners.raise_for_status()
    flow = hubspot.post("/automation/v4/flows", json=pql_routing_flow([o["id"] for o in owners.json()["results"]]))
    if flow.status_code != 201:
        raise RuntimeError(f"the PQL routing workflow was refused: {flow.text[:300]}")
    ids["PQL routing"] = flow.json()["id"]
    return ids


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
