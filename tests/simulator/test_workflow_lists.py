"""LIST_BASED enrollment (the lists filter language, live), LIST_BRANCH, goals, static list actions, and HubSpot's
example create body from reference/hubspot-api.md §7, which runs unchanged."""

from __future__ import annotations

import httpx
import pytest
from workflow_kit import action, advance, chain, contact, create_flow, enroll, enrollments, flow, freeze, last, read, steps

from simulator.lists.requests import ListCreate

SET_LEAD = ("0-5", {"property_name": "hs_lead_status", "value": {"type": "STATIC_VALUE", "staticValue": "OPEN"}})
WAIT_DAY = ("0-1", {"delta": "1", "time_unit": "DAYS"})


def pql_at_least(score: int) -> dict:
    return {"filterBranchType": "OR", "filterBranchOperator": "OR", "filters": [], "filterBranches": [
        {"filterBranchType": "AND", "filterBranchOperator": "AND", "filterBranches": [], "filters": [
            {"filterType": "PROPERTY", "property": "pql_score", "operation": {
                "operationType": "NUMBER", "operator": "IS_GREATER_THAN_OR_EQUAL_TO", "value": score,
                "includeObjectsWithNoValueSet": False}}]}]}  # fmt: skip


def list_based(*, re_enroll: bool = False, unenroll: bool = False, score: int = 70) -> dict:
    return {"type": "LIST_BASED", "shouldReEnroll": re_enroll, "unEnrollObjectsNotMeetingCriteria": unenroll,
            "reEnrollmentTriggersFilterBranches": [], "listFilterBranch": pql_at_least(score)}  # fmt: skip


@pytest.fixture(autouse=True)
def pql_score(api):
    created = api.post("/crm/v3/properties/contacts", json={"name": "pql_score", "label": "PQL score", "type": "number",
                                                            "fieldType": "number", "groupName": "contactinformation"})
    assert created.status_code == 201, created.text


def score(api, contact_id: str, value: int) -> None:
    updated = api.patch(f"/crm/v3/objects/contacts/{contact_id}", json={"properties": {"pql_score": str(value)}})
    assert updated.status_code == 200, updated.text


def test_a_contact_enrolls_when_it_starts_to_meet_the_criteria(api):
    ann = contact(api, email="ann@acme.io", pql_score="40")
    flow_id = create_flow(api, flow(chain(SET_LEAD), criteria=list_based()))["id"]
    assert enrollments(api, flow_id)["counts"]["enrolled"] == 0
    score(api, ann, 75)  # the answer comes after the first actions ran
    assert read(api, "contacts", ann, "hs_lead_status")["hs_lead_status"] == "OPEN"
    assert last(api, flow_id, ann)["trigger"] == "LIST"
    score(api, ann, 80)  # still meeting: no second enrollment
    assert enrollments(api, flow_id)["counts"]["enrolled"] == 1


def test_turning_on_enrolls_who_already_qualifies_only_when_the_flow_says_so(api):
    ann = contact(api, email="ann@acme.io", pql_score="90")
    plain = create_flow(api, flow(chain(SET_LEAD), criteria=list_based()))["id"]
    assert enrollments(api, plain)["counts"]["enrolled"] == 0
    existing = create_flow(api, flow(chain(SET_LEAD), criteria=list_based(),
                                     customProperties={"hubsim.enrollExisting": "true"}))["id"]
    assert [e["objectId"] for e in enrollments(api, existing)["results"]] == [ann]


def test_no_longer_meeting_the_criteria_unenrolls_when_the_flow_says_so(api):
    ann, bob = contact(api, email="ann@acme.io"), contact(api, email="bob@acme.io")
    strict = create_flow(api, flow(chain(WAIT_DAY, SET_LEAD), criteria=list_based(unenroll=True)))["id"]
    loose = create_flow(api, flow(chain(WAIT_DAY, SET_LEAD), criteria=list_based()))["id"]
    score(api, ann, 75)
    score(api, bob, 75)
    score(api, ann, 10)
    final = last(api, strict, ann)
    assert (final["state"], final["history"][-1]["reason"]) == (
        "UNENROLLED", "no longer meets the enrollment criteria")
    assert last(api, loose, ann)["state"] == "WAITING"
    advance(api, "P1D")
    assert last(api, loose, ann)["state"] == "COMPLETED"
    assert last(api, strict, bob)["state"] == "COMPLETED"


def test_re_enrollment_when_the_contact_meets_the_criteria_again(api):
    ann = contact(api, email="ann@acme.io")
    once = create_flow(api, flow(chain(SET_LEAD), criteria=list_based()))["id"]
    again = create_flow(api, flow(chain(SET_LEAD), criteria=list_based(re_enroll=True)))["id"]
    for value in (75, 10, 80):
        score(api, ann, value)
    assert enrollments(api, once)["counts"]["enrolled"] == 1
    assert enrollments(api, again)["counts"]["enrolled"] == 2


def test_list_branch_takes_the_first_branch_the_record_meets(api):
    actions = [
        {"type": "LIST_BRANCH", "actionId": "1", "listBranches": [
            {"branchName": "hot", "filterBranch": pql_at_least(70),
             "connection": {"edgeType": "STANDARD", "nextActionId": "2"}},
            {"branchName": "warm", "filterBranch": pql_at_least(40),
             "connection": {"edgeType": "STANDARD", "nextActionId": "3"}}],
         "defaultBranchName": "cold"},
        action("2", "0-5", {"property_name": "hs_lead_status", "value": {"type": "STATIC_VALUE", "staticValue": "OPEN"}}),
        action("3", "0-5", {"property_name": "hs_lead_status", "value": {"type": "STATIC_VALUE", "staticValue": "NEW"}}),
    ]
    hot, warm, cold = (contact(api, email=f"{n}@acme.io", pql_score=s) for n, s in (("h", "90"), ("w", "50"), ("c", "5")))
    flow_id = create_flow(api, flow(actions))["id"]
    enroll(api, flow_id, hot, warm, cold)
    assert [read(api, "contacts", c, "hs_lead_status")["hs_lead_status"] for c in (hot, warm, cold)] == [
        "OPEN", "NEW", None]
    assert [last(api, flow_id, c)["history"][1]["branch"] for c in (hot, warm, cold)] == ["hot", "warm", "cold"]


def test_a_list_branch_on_an_unknown_property_is_refused_naming_the_action(api):
    bad = {"type": "LIST_BRANCH", "actionId": "1", "listBranches": [
        {"branchName": "x", "filterBranch": pql_at_least(1) | {"filterBranches": [
            {"filterBranchType": "AND", "filterBranchOperator": "AND", "filterBranches": [], "filters": [
                {"filterType": "PROPERTY", "property": "no_such_property", "operation": {
                    "operationType": "ALL_PROPERTY", "operator": "IS_KNOWN"}}]}]}}]}  # fmt: skip
    response = api.post("/automation/v4/flows", json=flow([bad]))
    assert response.status_code == 400
    assert response.json()["message"].startswith("Action 1 (LIST_BRANCH): listBranches[0].filterBranch:")
    assert "no_such_property" in response.json()["message"]


def test_meeting_the_goal_unenrolls_before_the_next_action(api):
    ann = contact(api, email="ann@acme.io", pql_score="10")
    flow_id = create_flow(api, flow(chain(WAIT_DAY, SET_LEAD), goalFilterBranch=pql_at_least(70)))["id"]
    enroll(api, flow_id, ann)
    score(api, ann, 95)
    advance(api, "P1D")
    final = last(api, flow_id, ann)
    assert (final["state"], final["history"][-1]["reason"]) == ("UNENROLLED", "met the flow's goal")
    assert read(api, "contacts", ann, "hs_lead_status")["hs_lead_status"] is None


def test_an_event_based_flow_enrolls_only_contacts_meeting_its_refinement(api):
    created = api.post("/events/v3/event-definitions", json={"label": "Signed up", "name": "signed_up",
                                                            "propertyDefinitions": []})
    event = created.json()
    criteria = {"type": "EVENT_BASED", "shouldReEnroll": False, "listMembershipFilterBranches": [],
                "refinementCriteria": pql_at_least(50),
                "eventFilterBranches": [{"filterBranchType": "UNIFIED_EVENTS", "filterBranchOperator": "AND",
                                         "eventTypeId": event["objectTypeId"], "operator": "HAS_COMPLETED",
                                         "filters": [], "filterBranches": []}]}  # fmt: skip
    flow_id = create_flow(api, flow(chain(SET_LEAD), criteria=criteria))["id"]
    fit, unfit = contact(api, email="fit@acme.io", pql_score="60"), contact(api, email="no@acme.io", pql_score="5")
    for contact_id in (fit, unfit):
        api.post("/events/v3/send", json={"eventName": event["fullyQualifiedName"], "objectId": contact_id})
    assert [e["objectId"] for e in enrollments(api, flow_id)["results"]] == [fit]


def test_static_list_actions_add_and_remove_members(api, portal):
    hot = portal.lists.create(ListCreate(name="Hot leads", object_type_id="0-1", processing_type="MANUAL")).id
    stale = portal.lists.create(ListCreate(name="Stale", object_type_id="0-1", processing_type="MANUAL")).id
    ann = contact(api, email="ann@acme.io")
    portal.lists.add_members(stale, [ann])
    flow_id = create_flow(api, flow(chain(("0-63809083", {"listId": hot}), ("0-63863438", {"listId": stale}))))["id"]
    enroll(api, flow_id, ann)
    assert steps(api, flow_id, ann) == [("1", "done"), ("2", "done")]
    assert (portal.lists.is_member(hot, ann), portal.lists.is_member(stale, ann)) == (True, False)


def test_a_list_action_on_a_dynamic_list_fails_and_the_record_goes_on(api, portal):
    dynamic = portal.lists.create(ListCreate(name="PQLs", object_type_id="0-1", processing_type="DYNAMIC",
                                             filter_branch=pql_at_least(70))).id
    ann = contact(api, email="ann@acme.io")
    flow_id = create_flow(api, flow(chain(("0-63809083", {"listId": dynamic}), SET_LEAD)))["id"]
    enroll(api, flow_id, ann)
    assert steps(api, flow_id, ann) == [("1", "failed"), ("2", "done")]
    assert portal.lists.is_member(dynamic, ann) is False


def test_hubspots_example_body_runs_unchanged(api):
    freeze(api)
    example = {
        "type": "CONTACT_FLOW", "objectTypeId": "0-1", "flowType": "WORKFLOW", "name": "PQL follow-up",
        "isEnabled": False, "startActionId": "1", "canEnrollFromSalesforce": False, "timeWindows": [],
        "blockedDates": [], "customProperties": {}, "dataSources": [], "suppressionListIds": [],
        "enrollmentCriteria": {
            "type": "LIST_BASED", "shouldReEnroll": False, "unEnrollObjectsNotMeetingCriteria": False,
            "reEnrollmentTriggersFilterBranches": [],
            "listFilterBranch": {
                "filterBranchType": "OR", "filterBranchOperator": "OR", "filters": [],
                "filterBranches": [{"filterBranchType": "AND", "filterBranchOperator": "AND", "filterBranches": [],
                    "filters": [
                        {"filterType": "PROPERTY", "property": "pql_score",
                         "operation": {"operationType": "NUMBER", "operator": "IS_GREATER_THAN_OR_EQUAL_TO",
                                       "value": 70, "includeObjectsWithNoValueSet": False}},
                        {"filterType": "PROPERTY", "property": "lifecyclestage",
                         "operation": {"operationType": "ENUMERATION", "operator": "IS_NONE_OF",
                                       "values": ["customer"], "includeObjectsWithNoValueSet": True}}]}]}},
        "actions": [
            {"type": "SINGLE_CONNECTION", "actionId": "1", "actionTypeId": "0-1", "actionTypeVersion": 0,
             "connection": {"edgeType": "STANDARD", "nextActionId": "2"},
             "fields": {"delta": "60", "time_unit": "MINUTES"}},
            {"type": "SINGLE_CONNECTION", "actionId": "2", "actionTypeId": "0-5", "actionTypeVersion": 0,
             "fields": {"property_name": "lifecyclestage",
                        "value": {"type": "STATIC_VALUE", "staticValue": "salesqualifiedlead"}}}],
    }  # fmt: skip
    response = api.post("/automation/v4/flows", json=example)
    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["revisionId"], created["nextAvailableActionId"]) == ("1", "3")
    turned_on = api.put(f"/automation/v4/flows/{created['id']}", json={**example, "isEnabled": True, "revisionId": "1"})
    assert turned_on.status_code == 200, turned_on.text
    ann, customer = contact(api, email="ann@acme.io"), contact(api, email="cus@acme.io", lifecyclestage="customer")
    score(api, ann, 72)
    score(api, customer, 99)
    advance(api, "PT59M")
    assert read(api, "contacts", ann, "lifecyclestage")["lifecyclestage"] is None
    advance(api, "PT1M")
    assert read(api, "contacts", ann, "lifecyclestage")["lifecyclestage"] == "salesqualifiedlead"
    assert read(api, "contacts", customer, "lifecyclestage")["lifecyclestage"] == "customer"
    assert [e["objectId"] for e in enrollments(api, created["id"])["results"]] == [ann]


def test_a_restored_portal_watches_its_list_based_flows_again(api, app):
    freeze(api)
    ann, bob = contact(api, email="ann@acme.io"), contact(api, email="bob@acme.io")
    flow_id = create_flow(api, flow(chain(WAIT_DAY, SET_LEAD), criteria=list_based()))["id"]
    score(api, ann, 75)
    snapshot = api.get("/_sim/snapshot").json()
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://hubsim.test",
                      headers={"Authorization": "Bearer pat-na1-restored"}) as other:  # fmt: skip
        assert other.post("/_sim/snapshot", json=snapshot).status_code == 200
        score(other, bob, 90)  # the restored flow's criteria are live again
        assert [e["objectId"] for e in enrollments(other, flow_id)["results"]] == [ann, bob]
        advance(other, "P1D")
        assert [e["state"] for e in enrollments(other, flow_id)["results"]] == ["COMPLETED", "COMPLETED"]
