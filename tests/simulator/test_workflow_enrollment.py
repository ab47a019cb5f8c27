"""Enrollment: manual, event-based (with event property filters), re-enrollment, turning off, unenrollment settings;
the webhook action over a real socket; a snapshot restore resumes a record waiting in a delay."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from webhook_receiver import Receiver, dead_url
from workflow_kit import advance, chain, contact, create_flow, enroll, enrollments, flow, freeze, last, read, steps

SET_LEAD = ("0-5", {"property_name": "hs_lead_status", "value": {"type": "STATIC_VALUE", "staticValue": "OPEN"}})
WAIT_DAY = ("0-1", {"delta": "1", "time_unit": "DAYS"})


@pytest.fixture
def pricing(api) -> dict:
    """A custom behavioral event definition: page views with their URL."""
    created = api.post("/events/v3/event-definitions", json={
        "label": "Pricing viewed", "name": "pricing_viewed",
        "propertyDefinitions": [{"name": "page_url", "label": "Page URL", "type": "string"}]})  # fmt: skip
    assert created.status_code == 201, created.text
    return created.json()


def event_criteria(event: dict, *, re_enroll: bool = False, filters: list | None = None) -> dict:
    return {"type": "EVENT_BASED", "shouldReEnroll": re_enroll, "listMembershipFilterBranches": [],
            "eventFilterBranches": [{"filterBranchType": "UNIFIED_EVENTS", "filterBranchOperator": "AND",
                                     "eventTypeId": event["objectTypeId"], "operator": "HAS_COMPLETED", "filters": filters or [],
                                     "filterBranches": []}]}  # fmt: skip


def occur(api, event: dict, contact_id: str, **properties: str) -> None:
    sent = api.post("/events/v3/send", json={"eventName": event["fullyQualifiedName"], "objectId": contact_id,
                                             "properties": properties})  # fmt: skip
    assert sent.status_code == 204, sent.text


def test_manual_enrollment_runs_the_first_actions_before_answering(api):
    ann = contact(api, email="ann@acme.io")
    flow_id = create_flow(api, flow(chain(SET_LEAD, WAIT_DAY, SET_LEAD)))["id"]
    answer = enroll(api, flow_id, ann, "999")
    assert answer["results"] == [{"objectId": ann, "enrolled": True, "enrollmentId": "1"},
                                 {"objectId": "999", "enrolled": False, "reason": "no such record"}]
    assert read(api, "contacts", ann, "hs_lead_status")["hs_lead_status"] == "OPEN"
    again = enroll(api, flow_id, ann)["results"][0]
    assert again == {"objectId": ann, "enrolled": False, "reason": "already enrolled"}


def test_without_re_enrollment_a_record_enrolls_once(api):
    ann = contact(api, email="ann@acme.io")
    flow_id = create_flow(api, flow(chain(SET_LEAD)))["id"]
    enroll(api, flow_id, ann)
    assert enroll(api, flow_id, ann)["results"][0]["reason"] == (
        "already enrolled once and the flow does not re-enroll")
    re_enrolling = create_flow(api, flow(chain(SET_LEAD), criteria={"type": "MANUAL", "shouldReEnroll": True}))["id"]
    enroll(api, re_enrolling, ann)
    enroll(api, re_enrolling, ann)
    assert enrollments(api, re_enrolling)["counts"] == {
        "enrolled": 2, "records": 1, "active": 0, "waiting": 0, "completed": 2, "unenrolled": 0}


def test_the_overview_counts_each_flows_enrollments(api):
    ann, bob = contact(api, email="ann@acme.io"), contact(api, email="bob@acme.io")
    waiting = create_flow(api, flow(chain(WAIT_DAY), name="waits"))["id"]
    done = create_flow(api, flow(chain(SET_LEAD), name="done", enabled=False))["id"]
    enroll(api, waiting, ann, bob)
    overview = api.get("/_sim/workflows").json()["results"]
    assert [(f["flowId"], f["name"], f["isEnabled"], f["counts"]["waiting"], f["counts"]["enrolled"])
            for f in overview] == [(waiting, "waits", True, 2, 2), (done, "done", False, 0, 0)]


def test_an_event_enrolls_when_its_properties_match(api, pricing):
    ann, bob = contact(api, email="ann@acme.io"), contact(api, email="bob@acme.io")
    page = {"filterType": "PROPERTY", "property": "page_url",
            "operation": {"operationType": "STRING", "operator": "CONTAINS", "value": "/pricing"}}
    flow_id = create_flow(api, flow(chain(SET_LEAD), criteria=event_criteria(pricing, filters=[page])))["id"]
    occur(api, pricing, ann, page_url="https://acme.io/pricing?plan=pro")
    occur(api, pricing, bob, page_url="https://acme.io/blog")
    assert read(api, "contacts", ann, "hs_lead_status")["hs_lead_status"] == "OPEN"
    assert read(api, "contacts", bob, "hs_lead_status")["hs_lead_status"] is None
    assert last(api, flow_id, ann)["trigger"] == "EVENT"
    assert enrollments(api, flow_id)["counts"]["enrolled"] == 1


def test_an_event_re_enrolls_only_when_the_flow_says_so(api, pricing):
    ann = contact(api, email="ann@acme.io")
    once = create_flow(api, flow(chain(SET_LEAD), criteria=event_criteria(pricing)))["id"]
    every = create_flow(api, flow(chain(SET_LEAD), criteria=event_criteria(pricing, re_enroll=True)))["id"]
    for _ in range(3):
        occur(api, pricing, ann)
    assert enrollments(api, once)["counts"]["enrolled"] == 1
    assert enrollments(api, every)["counts"]["enrolled"] == 3


def test_a_turned_off_flow_enrolls_nobody_and_turning_off_unenrolls(api, pricing):
    ann = contact(api, email="ann@acme.io")
    created = create_flow(api, flow(chain(WAIT_DAY, SET_LEAD), criteria=event_criteria(pricing)))
    occur(api, pricing, ann)
    assert last(api, created["id"], ann)["state"] == "WAITING"
    body = {**flow(chain(WAIT_DAY, SET_LEAD), criteria=event_criteria(pricing), enabled=False), "revisionId": "1"}
    api.put(f"/automation/v4/flows/{created['id']}", json=body)
    final = last(api, created["id"], ann)
    assert (final["state"], final["history"][-1]["reason"]) == ("UNENROLLED", "the flow was turned off")
    advance(api, "P2D")
    occur(api, pricing, contact(api, email="bob@acme.io"))
    assert read(api, "contacts", ann, "hs_lead_status")["hs_lead_status"] is None
    assert enrollments(api, created["id"])["counts"]["enrolled"] == 1


def test_enrolling_in_a_flow_can_take_the_record_out_of_others(api):
    ann = contact(api, email="ann@acme.io")
    nurture = create_flow(api, flow(chain(WAIT_DAY, SET_LEAD), name="nurture"))["id"]
    enroll(api, nurture, ann)
    sales = create_flow(api, flow(chain(WAIT_DAY), name="sales",
                                  unEnrollmentSetting={"type": "SELECTIVE", "flowIds": [nurture]}))["id"]
    enroll(api, sales, ann)
    assert last(api, nurture, ann)["history"][-1] == {
        "at": last(api, nurture, ann)["history"][-1]["at"], "event": "UNENROLLED", "reason": f"enrolled in flow {sales}"}
    assert last(api, sales, ann)["state"] == "WAITING"


def test_deleting_the_record_unenrolls_it_at_its_next_step(api):
    ann = contact(api, email="ann@acme.io")
    flow_id = create_flow(api, flow(chain(WAIT_DAY, SET_LEAD)))["id"]
    enroll(api, flow_id, ann)
    api.delete(f"/crm/v3/objects/contacts/{ann}")
    advance(api, "P1D")
    assert last(api, flow_id, ann)["history"][-1]["reason"] == "the record or the flow is gone"


@pytest.fixture
def receiver():
    """A local HTTP server answering 200, then what `statuses` queues."""
    statuses: list[int] = []
    with Receiver(lambda n: (statuses.pop(0) if statuses else 200, 0.0)) as server:
        yield server, statuses


def webhook(url: str, **extra) -> dict:
    return {"type": "WEBHOOK", "actionId": "1", "webhookUrl": url, "method": "POST", "queryParams": [],
            "connection": {"edgeType": "STANDARD", "nextActionId": "2"}, **extra}  # fmt: skip


def test_a_webhook_is_sent_with_the_record_and_its_auth_key(api, receiver):
    server, _ = receiver
    url = server.url.split("/hooks")[0]
    api.put("/_sim/workflows/secrets/crmKey", json={"value": "s3cret"})
    ann = contact(api, email="ann@acme.io")
    auth = {"type": "AUTH_KEY", "location": "HEADER", "name": "X-Api-Key", "secretName": "crmKey"}
    actions = [webhook(f"{url}/hook", authSettings=auth,
                       queryParams=[{"name": "src", "value": {"type": "STATIC_VALUE", "staticValue": "hs"}}]),
               chain(SET_LEAD)[0] | {"actionId": "2"}]
    flow_id = create_flow(api, flow(actions))["id"]
    enroll(api, flow_id, ann)
    advance(api, "PT0S")  # an advance returns once the sends that fell due were attempted
    [sent] = server.received
    assert (sent.method, sent.path, sent.headers["X-Api-Key"]) == ("POST", "/hook?src=hs", "s3cret")
    assert sent.json()["objectId"] == int(ann) and sent.json()["properties"]["email"] == "ann@acme.io"
    assert steps(api, flow_id, ann) == [("1", "done"), ("2", "done")]
    assert last(api, flow_id, ann)["history"][1]["webhook"]["status"] == 200


def test_a_failed_webhook_is_recorded_and_the_record_goes_on(api, receiver):
    server, statuses = receiver
    statuses.append(503)
    ann, bob = contact(api, email="ann@acme.io"), contact(api, email="bob@acme.io")
    flow_id = create_flow(api, flow([webhook(server.url), chain(SET_LEAD)[0] | {"actionId": "2"}]))["id"]
    enroll(api, flow_id, ann)
    advance(api, "PT0S")
    assert steps(api, flow_id, ann) == [("1", "failed"), ("2", "done")]
    assert last(api, flow_id, ann)["history"][1]["webhook"]["status"] == 503
    dead = create_flow(api, flow([webhook(dead_url()), chain(SET_LEAD)[0] | {"actionId": "2"}]))
    enroll(api, dead["id"], bob)
    advance(api, "PT0S")
    assert steps(api, dead["id"], bob) == [("1", "failed"), ("2", "done")]
    assert "error" in last(api, dead["id"], bob)["history"][1]["webhook"]


def test_a_signature_webhook_is_signed_with_the_apps_secret(api, receiver):
    from hubspot.utils.signature import Signature

    server, _ = receiver
    api.post("/_sim/apps", json={"appId": 77, "clientSecret": "app-secret"})
    ann = contact(api, email="ann@acme.io")
    auth = {"type": "SIGNATURE", "appId": 77}
    flow_id = create_flow(api, flow([webhook(server.url, authSettings=auth) | {"connection": None}]))["id"]
    enroll(api, flow_id, ann)
    advance(api, "PT0S")
    [sent] = server.received
    assert Signature.is_valid(signature=sent.headers["X-HubSpot-Signature-v3"], client_secret="app-secret",
                              request_body=sent.body.decode(), http_uri=server.url, http_method="POST",
                              signature_version="v3", timestamp=sent.headers["X-HubSpot-Request-Timestamp"])
    assert steps(api, flow_id, ann) == [("1", "done")]


def test_a_webhook_without_its_secret_fails_without_sending(api, receiver):
    server, _ = receiver
    ann = contact(api, email="ann@acme.io")
    auth = {"type": "AUTH_KEY", "location": "QUERY_PARAM", "name": "key", "secretName": "missing"}
    flow_id = create_flow(api, flow([webhook(server.url, authSettings=auth) | {"connection": None}]))["id"]
    enroll(api, flow_id, ann)
    advance(api, "PT0S")
    assert server.received == []
    assert last(api, flow_id, ann)["history"][1]["error"] == "workflow secret 'missing' is not set"


def test_a_restored_snapshot_resumes_a_record_waiting_in_a_delay(api, app):
    freeze(api)
    ann = contact(api, email="ann@acme.io")
    flow_id = create_flow(api, flow(chain(WAIT_DAY, SET_LEAD)))["id"]
    enroll(api, flow_id, ann)
    snapshot = api.get("/_sim/snapshot").json()
    assert snapshot["workflows"]["enrollments"][0]["wakeAt"] == "2031-03-04T09:00:00+00:00"
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://hubsim.test",
                      headers={"Authorization": "Bearer pat-na1-restored"}) as other:  # fmt: skip
        assert other.post("/_sim/snapshot", json=snapshot).status_code == 200
        assert other.get("/_sim/snapshot").json() == snapshot
        advance(other, "P1D")
        assert read(other, "contacts", ann, "hs_lead_status")["hs_lead_status"] == "OPEN"
        assert last(other, flow_id, ann)["state"] == "COMPLETED"
    assert read(api, "contacts", ann, "hs_lead_status")["hs_lead_status"] is None  # the original waits on its own


def test_a_snapshot_with_a_broken_workflows_section_changes_nothing(api):
    snapshot = api.get("/_sim/snapshot").json()
    snapshot["workflows"]["flows"] = [{"id": "x"}]
    response = api.post("/_sim/snapshot", json=snapshot)
    assert response.status_code == 400
    assert response.json()["message"].startswith("Invalid snapshot: workflows: missing field")


def test_a_version_1_snapshot_starts_workflows_empty(api):
    create_flow(api, flow(chain(SET_LEAD)))
    old = {k: v for k, v in api.get("/_sim/snapshot").json().items() if k != "workflows"} | {"version": 1}
    assert api.post("/_sim/snapshot", json=old).status_code == 200
    assert api.get("/automation/v4/flows").json()["results"] == []


def test_the_clock_advance_runs_waits_in_time_order(api):
    freeze(api)
    ann, bob = contact(api, email="ann@acme.io"), contact(api, email="bob@acme.io")
    long_wait = create_flow(api, flow(chain(("0-1", {"delta": "3", "time_unit": "DAYS"}), SET_LEAD)))["id"]
    short_wait = create_flow(api, flow(chain(("0-1", {"delta": "1", "time_unit": "HOURS"}), SET_LEAD)))["id"]
    enroll(api, long_wait, ann)
    enroll(api, short_wait, bob)
    advance(api, "P5D")
    finished = [last(api, f, c)["history"][-1]["at"] for f, c in ((long_wait, ann), (short_wait, bob))]
    assert finished == ["2031-03-06T09:00:00.000Z", "2031-03-03T10:00:00.000Z"]
    assert datetime.fromisoformat(api.get("/_sim/clock").json()["now"]) == datetime(2031, 3, 8, 9, tzinfo=UTC)
