"""Workflows enroll on the lists store's live criteria (interfaces.md): list-based enrollment and un-enrollment."""

from __future__ import annotations

from workflow_kit import chain, contact, create_flow, enrollments, flow

SET_LEAD = ("0-5", {"property_name": "hs_lead_status", "value": {"type": "STATIC_VALUE", "staticValue": "OPEN"}})
WAIT_DAY = ("0-1", {"delta": "1", "time_unit": "DAYS"})
CUSTOMERS = {"filterBranchType": "OR", "filters": [], "filterBranches": [{
    "filterBranchType": "AND", "filterBranches": [],
    "filters": [{"filterType": "PROPERTY", "property": "lifecyclestage",
                 "operation": {"operationType": "ENUMERATION", "operator": "IS_ANY_OF", "values": ["customer"]}}]}]}


def test_a_list_based_flow_enrolls_records_as_they_start_meeting_its_criteria(api):
    api.post("/_sim/clock", json={"set": "2030-01-10T12:00:00Z", "freeze": True}).raise_for_status()
    criteria = {"type": "LIST_BASED", "shouldReEnroll": False, "unEnrollObjectsNotMeetingCriteria": True,
                "listFilterBranch": CUSTOMERS}  # fmt: skip
    flow_id = create_flow(api, flow(chain(WAIT_DAY, SET_LEAD), criteria=criteria))["id"]
    ann = contact(api, email="ann@acme.io")
    assert enrollments(api, flow_id)["counts"]["enrolled"] == 0

    api.patch(f"/crm/v3/objects/contacts/{ann}", json={"properties": {"lifecyclestage": "customer"}})
    assert enrollments(api, flow_id)["counts"]["waiting"] == 1  # enrolled, on its one-day delay
    api.patch(f"/crm/v3/objects/contacts/{ann}", json={"properties": {"lifecyclestage": "lead"}})
    counts = enrollments(api, flow_id)["counts"]
    assert (counts["enrolled"], counts["waiting"], counts["unenrolled"]) == (1, 0, 1)
