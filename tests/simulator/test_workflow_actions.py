"""Each action and branch type, driven through the public API and the clock, asserted through CRM reads, the outbox
and the enrollment history."""

from __future__ import annotations

from workflow_kit import (
    action,
    advance,
    chain,
    contact,
    create_flow,
    enroll,
    flow,
    freeze,
    last,
    outbox,
    read,
    steps,
)

AVA, MARCUS, PRIYA = "75103841", "75103842", "75103843"  # the default sales reps (owners)


def run_flow(api, actions: list[dict], object_id: str, **extra) -> str:
    flow_id = create_flow(api, flow(actions, **extra))["id"]
    enroll(api, flow_id, object_id)
    return flow_id


def static(value: str) -> dict:
    return {"type": "STATIC_VALUE", "staticValue": value}


def test_a_delay_waits_on_the_portal_clock(api):
    freeze(api)
    ann = contact(api, email="ann@acme.io")
    flow_id = run_flow(api, chain(("0-1", {"delta": "2", "time_unit": "DAYS"}),
                                  ("0-5", {"property_name": "lifecyclestage", "value": static("lead")})), ann)
    waiting = last(api, flow_id, ann)
    assert (waiting["state"], waiting["waitingUntil"], waiting["nextActionId"]) == (
        "WAITING", "2031-03-05T09:00:00.000Z", "2")
    advance(api, "P1DT23H")
    assert read(api, "contacts", ann, "lifecyclestage")["lifecyclestage"] is None
    advance(api, "PT1H")
    assert read(api, "contacts", ann, "lifecyclestage")["lifecyclestage"] == "lead"
    done = last(api, flow_id, ann)
    assert done["state"] == "COMPLETED"
    assert [(e["event"], e["at"]) for e in done["history"]] == [
        ("ENROLLED", "2031-03-03T09:00:00.000Z"), ("ACTION", "2031-03-03T09:00:00.000Z"),
        ("ACTION", "2031-03-05T09:00:00.000Z"), ("COMPLETED", "2031-03-05T09:00:00.000Z")]


def test_delay_until_a_date_property_at_a_time_of_day(api):
    freeze(api)
    api.post("/crm/v3/properties/contacts", json={"name": "trial_ends", "label": "Trial ends", "type": "date",
                                                  "fieldType": "date", "groupName": "contactinformation"})
    ann = contact(api, email="ann@acme.io", trial_ends="2031-03-10")
    flow_id = run_flow(api, chain(
        ("0-35", {"date": {"type": "OBJECT_PROPERTY", "propertyName": "trial_ends"}, "time_of_day": {"hour": 8}}),
        ("0-5", {"property_name": "hs_lead_status", "value": static("OPEN")})), ann)
    assert last(api, flow_id, ann)["waitingUntil"] == "2031-03-10T08:00:00.000Z"
    advance(api, "P7D")
    assert read(api, "contacts", ann, "hs_lead_status")["hs_lead_status"] == "OPEN"


def test_set_property_copies_and_increments(api):
    api.post("/crm/v3/properties/contacts", json={"name": "score", "label": "Score", "type": "number",
                                                  "fieldType": "number", "groupName": "contactinformation"})
    ann = contact(api, email="ann@acme.io", firstname="Ann", score="10")
    run_flow(api, chain(
        ("0-5", {"property_name": "lastname", "value": {"type": "OBJECT_PROPERTY", "propertyName": "firstname"}}),
        ("0-5", {"property_name": "score", "value": {"type": "INCREMENT", "incrementAmount": 15}})), ann)
    assert read(api, "contacts", ann, "lastname", "score").items() >= {"lastname": "Ann", "score": "25"}.items()


def test_a_failing_action_is_recorded_and_the_record_goes_on(api):
    ann = contact(api, email="ann@acme.io")
    flow_id = run_flow(api, chain(("0-5", {"property_name": "lifecyclestage", "value": static("not-a-stage")}),
                                  ("0-5", {"property_name": "firstname", "value": static("Ann")})), ann)
    assert steps(api, flow_id, ann) == [("1", "failed"), ("2", "done")]
    assert "not-a-stage" in last(api, flow_id, ann)["history"][1]["error"]
    assert read(api, "contacts", ann, "firstname")["firstname"] == "Ann"


def test_create_task_for_the_owner_associated_with_the_contact(api):
    freeze(api)
    ann = contact(api, email="ann@acme.io", firstname="Ann", hubspot_owner_id=MARCUS)
    flow_id = run_flow(api, chain(("0-3", {"subject": "Call {{ contact.firstname }}", "body": "PQL reached",
                                           "task_type": "CALL", "priority": "HIGH",
                                           "due_time": {"delta": 1, "time_unit": "DAYS"}})), ann)
    task_id = last(api, flow_id, ann)["history"][1]["taskId"]
    task = read(api, "tasks", task_id, "hs_task_subject", "hs_task_type", "hs_task_priority", "hubspot_owner_id",
                "hs_timestamp", "hs_task_status")
    assert task.items() >= {"hs_task_subject": "Call Ann", "hs_task_type": "CALL", "hs_task_priority": "HIGH",
                            "hubspot_owner_id": MARCUS, "hs_task_status": "NOT_STARTED"}.items()
    assert task["hs_timestamp"].startswith("2031-03-04T09:00:00")
    linked = api.get(f"/crm/v4/objects/contacts/{ann}/associations/tasks").json()["results"]
    assert [r["toObjectId"] for r in linked] == [int(task_id)]


def test_notifications_land_in_the_outbox_with_the_record_context(api):
    ann = contact(api, email="ann@acme.io", firstname="Ann", lifecyclestage="lead", hubspot_owner_id=PRIYA)
    flow_id = run_flow(api, chain(
        ("0-8", {"user_ids": ["9104501"], "subject": "Hot lead: {{ contact.email }}", "body": "Ann is back"}),
        ("0-9", {"owner_properties": ["hubspot_owner_id"], "delivery_method": "APP", "subject": "s", "body": "b"}),
        ("0-4", {"content_id": "55501"})), ann)
    email, in_app, marketing = outbox(api, flowId=flow_id)
    assert (email["type"], email["subject"], email["recipients"]) == (
        "INTERNAL_EMAIL", "Hot lead: ann@acme.io",
        [{"ownerId": AVA, "userId": 9104501, "email": "ava.chen@example.com"}])
    assert email["record"] == {"objectTypeId": "0-1", "id": ann, "properties": {
        "email": "ann@acme.io", "firstname": "Ann", "lifecyclestage": "lead", "hubspot_owner_id": PRIYA}}
    assert (email["contactId"], email["actionId"], email["flowName"]) == (ann, "1", "test flow")
    assert [r["ownerId"] for r in in_app["recipients"]] == [PRIYA]
    assert (marketing["type"], marketing["to"], marketing["contentId"]) == ("MARKETING_EMAIL", "ann@acme.io", "55501")
    assert outbox(api, objectId="999") == []


def test_a_notification_with_nobody_to_tell_is_skipped(api):
    ann = contact(api, email="ann@acme.io")
    flow_id = run_flow(api, chain(("0-9", {"owner_properties": ["hubspot_owner_id"], "subject": "s", "body": "b"})), ann)
    assert steps(api, flow_id, ann) == [("1", "skipped")]
    assert outbox(api) == []


def test_rotate_owner_round_robin_and_keeps_an_existing_owner(api):
    ids = [contact(api, email=f"{n}@acme.io") for n in range(3)]
    kept = contact(api, email="kept@acme.io", hubspot_owner_id=PRIYA)
    flow_id = create_flow(api, flow(chain(("0-11", {"user_ids": [AVA, MARCUS],
                                                    "overwrite_current_owner": "false"}))))["id"]
    enroll(api, flow_id, *ids, kept)
    assert [read(api, "contacts", i, "hubspot_owner_id")["hubspot_owner_id"] for i in ids] == [AVA, MARCUS, AVA]
    assert read(api, "contacts", kept, "hubspot_owner_id")["hubspot_owner_id"] == PRIYA
    assert steps(api, flow_id, kept) == [("1", "skipped")]


def test_create_record_makes_a_deal_linked_to_the_contact_and_its_company(api):
    acme = api.post("/crm/v3/objects/companies", json={"properties": {"name": "Acme", "domain": "acme.io"}}).json()["id"]
    ann = contact(api, email="ann@acme.io")
    api.put(f"/crm/v4/objects/contacts/{ann}/associations/default/companies/{acme}")
    flow_id = run_flow(api, chain(("0-14", {"object_type_id": "0-3", "properties": [
        {"targetProperty": "dealname", "value": {"type": "OBJECT_PROPERTY", "propertyName": "email"}},
        {"targetProperty": "pipeline", "value": static("default")},
        {"targetProperty": "dealstage", "value": static("appointmentscheduled")}]})), ann)
    deal_id = last(api, flow_id, ann)["history"][1]["objectId"]
    assert read(api, "deals", deal_id, "dealname", "dealstage").items() >= {
        "dealname": "ann@acme.io", "dealstage": "appointmentscheduled"}.items()
    linked = {t: [r["toObjectId"] for r in api.get(f"/crm/v4/objects/deals/{deal_id}/associations/{t}").json()["results"]]
              for t in ("contacts", "companies")}  # fmt: skip
    assert linked == {"contacts": [int(ann)], "companies": [int(acme)]}


def test_static_branch_switches_on_a_property(api):
    actions = [
        {"type": "STATIC_BRANCH", "actionId": "1", "inputValue": {"type": "OBJECT_PROPERTY", "propertyName": "country"},
         "staticBranches": [{"branchValue": "DE", "connection": {"edgeType": "STANDARD", "nextActionId": "2"}}],
         "defaultBranchName": "elsewhere", "defaultBranch": {"edgeType": "STANDARD", "nextActionId": "3"}},
        action("2", "0-5", {"property_name": "hs_lead_status", "value": static("OPEN")}),
        action("3", "0-5", {"property_name": "hs_lead_status", "value": static("NEW")}),
    ]
    de, us = contact(api, email="de@acme.io", country="DE"), contact(api, email="us@acme.io", country="US")
    flow_id = create_flow(api, flow(actions))["id"]
    enroll(api, flow_id, de, us)
    assert read(api, "contacts", de, "hs_lead_status")["hs_lead_status"] == "OPEN"
    assert read(api, "contacts", us, "hs_lead_status")["hs_lead_status"] == "NEW"
    assert last(api, flow_id, us)["history"][1].items() >= {"branch": "elsewhere", "value": "US"}.items()


def test_ab_test_splits_by_seed_the_same_way_every_time(api, app):
    actions = [
        {"type": "AB_TEST_BRANCH", "actionId": "1", "testBranches": [
            {"percentage": 50, "connection": {"edgeType": "STANDARD", "nextActionId": "2"}},
            {"percentage": 50, "connection": {"edgeType": "STANDARD", "nextActionId": "3"}}]},
        action("2", "0-5", {"property_name": "hs_lead_status", "value": static("OPEN")}),
        action("3", "0-5", {"property_name": "hs_lead_status", "value": static("NEW")}),
    ]
    ids = [contact(api, email=f"{n}@acme.io") for n in range(40)]
    flow_id = create_flow(api, flow(actions))["id"]
    enroll(api, flow_id, *ids[:20])
    enroll(api, flow_id, *ids[20:])
    paths = [read(api, "contacts", i, "hs_lead_status")["hs_lead_status"] for i in ids]
    assert 8 <= paths.count("OPEN") <= 32  # a fair split of 40, not everyone down one path
    rolls = [last(api, flow_id, i)["history"][1]["roll"] for i in ids]
    api.post("/_sim/reset")
    again = [contact(api, email=f"{n}@acme.io") for n in range(40)]
    flow_again = create_flow(api, flow(actions))["id"]
    enroll(api, flow_again, *again[:20])
    assert [last(api, flow_again, i)["history"][1]["roll"] for i in again[:20]] == rolls[:20]


def test_an_action_hubsim_does_not_simulate_is_recorded_and_the_contact_continues(api):
    ann = contact(api, email="ann@acme.io")
    custom = {"type": "CUSTOM_CODE", "actionId": "2", "runtime": "NODE20X", "sourceCode": "exports.main = () => {}",
              "secretNames": [], "inputFields": [], "outputFields": [],
              "connection": {"edgeType": "STANDARD", "nextActionId": "3"}}  # fmt: skip
    actions = [action("1", "0-42424242", {"x": 1}, then="2"), custom,
               action("3", "0-5", {"property_name": "firstname", "value": static("Ann")})]
    flow_id = run_flow(api, actions, ann)
    assert steps(api, flow_id, ann) == [("1", "notSimulated"), ("2", "notSimulated"), ("3", "done")]
    assert last(api, flow_id, ann)["state"] == "COMPLETED"


def test_manual_enrollment_needs_the_flow_turned_on(api):
    ann = contact(api, email="ann@acme.io")
    flow_id = create_flow(api, flow(chain(("0-1", {"delta": "1", "time_unit": "DAYS"})), enabled=False))["id"]
    response = api.post(f"/_sim/workflows/{flow_id}/enroll", json={"objectIds": [ann]})
    assert response.status_code == 400
    assert response.json()["message"] == f"Flow {flow_id} is turned off; turn it on (isEnabled) to enroll records"
