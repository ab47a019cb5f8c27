"""Deliveries: HubSpot's payloads, signed, batched, retried on the portal clock, every attempt on record."""

from __future__ import annotations

import time

import pytest
from hubspot.utils.signature import Signature
from webhook_receiver import Receiver, dead_url

from simulator.webhooks.outbox import retry_delay

APP = "/webhooks/v3/77"
SECRET = "app-77-secret"


def _subscribe(api, url, *subscriptions):
    api.post("/_sim/clock", json={"freeze": True, "set": "2030-01-01T00:00:00Z"})
    api.post("/_sim/apps", json={"appId": 77, "clientSecret": SECRET})
    api.put(f"{APP}/settings", json={"targetUrl": url, "throttling": {"maxConcurrentRequests": 10}})
    for sub in subscriptions:
        api.post(f"{APP}/subscriptions", json={**sub, "active": True}).raise_for_status()


def _settle(api):
    """An advance of nothing returns once every send released so far was attempted."""
    api.post("/_sim/clock", json={"advance": 0}).raise_for_status()


def _contact(api, email, **properties):
    response = api.post("/crm/v3/objects/contacts", json={"properties": {"email": email, **properties}})
    response.raise_for_status()
    return response.json()["id"]


def test_a_creation_is_delivered_with_hubspots_fields_and_a_signature_the_sdk_accepts(api, portal):
    with Receiver() as receiver:
        _subscribe(api, receiver.url, {"eventType": "contact.creation"})
        contact_id = _contact(api, "ann@acme.io")
        _settle(api)
    [request] = receiver.received
    [event] = request.json()
    assert event == {
        "eventId": event["eventId"], "subscriptionId": event["subscriptionId"], "portalId": portal.id, "appId": 77,
        "occurredAt": 1893456000000, "subscriptionType": "contact.creation", "attemptNumber": 0,
        "objectId": int(contact_id), "changeSource": "API",
    }  # fmt: skip
    uri = f"http://{request.headers['Host']}{request.path}"
    assert Signature.is_valid(request.headers["X-HubSpot-Signature-v3"], SECRET, request.body.decode(), uri, "POST",
                              "v3", request.headers["X-HubSpot-Request-Timestamp"])
    assert abs(int(request.headers["X-HubSpot-Request-Timestamp"]) - time.time() * 1000) < 60_000  # wall time
    assert Signature.is_valid(request.headers["X-HubSpot-Signature"], SECRET, request.body.decode(), uri, "POST",
                              "v1")
    assert request.headers["Content-Type"] == "application/json"


def test_property_changes_carry_the_property_and_its_new_value(api):
    with Receiver() as receiver:
        _subscribe(api, receiver.url, {"eventType": "contact.propertyChange", "propertyName": "lifecyclestage"})
        contact_id = _contact(api, "ann@acme.io")  # no lifecyclestage yet: nothing to tell
        api.patch(f"/crm/v3/objects/contacts/{contact_id}", json={"properties": {"firstname": "Ann"}})
        api.patch(f"/crm/v3/objects/contacts/{contact_id}", json={"properties": {"lifecyclestage": "lead"}})
        _settle(api)
    assert [(e["objectId"], e["propertyName"], e["propertyValue"], e["subscriptionType"]) for e in receiver.events()] \
        == [(int(contact_id), "lifecyclestage", "lead", "contact.propertyChange")]


def test_deletions_of_contacts_and_companies_are_delivered(api):
    with Receiver() as receiver:
        _subscribe(api, receiver.url, {"eventType": "contact.deletion"}, {"eventType": "company.deletion"},
                   {"eventType": "contact.privacyDeletion"})
        contact_id, other = _contact(api, "a@b.io"), _contact(api, "c@d.io")
        company_id = api.post("/crm/v3/objects/companies", json={"properties": {"domain": "b.io"}}).json()["id"]
        api.delete(f"/crm/v3/objects/contacts/{contact_id}")
        api.delete(f"/crm/v3/objects/companies/{company_id}")
        api.post("/crm/v3/objects/contacts/gdpr-delete", json={"objectId": other})
        _settle(api)
    events = sorted(receiver.events(), key=lambda e: e["eventId"])  # sends run in parallel: arrival order varies
    assert [(e["subscriptionType"], e["objectId"]) for e in events] == [
        ("contact.deletion", int(contact_id)),
        ("company.deletion", int(company_id)),
        ("contact.deletion", int(other)),
        ("contact.privacyDeletion", int(other)),
    ]


def test_associations_are_delivered_from_the_subscribed_side(api):
    with Receiver() as receiver:
        _subscribe(api, receiver.url, {"eventType": "contact.associationChange"})
        contact_id = _contact(api, "a@b.io")
        company_id = api.post("/crm/v3/objects/companies", json={"properties": {"domain": "b.io"}}).json()["id"]
        api.put(f"/crm/v4/objects/contacts/{contact_id}/associations/default/companies/{company_id}")
        _settle(api)
    [event] = receiver.events()
    assert (event["associationType"], event["fromObjectId"], event["toObjectId"], event["associationRemoved"]) == (
        "CONTACT_TO_COMPANY", int(contact_id), int(company_id), False)


def test_a_merge_is_one_event_naming_both_records(api):
    with Receiver() as receiver:
        _subscribe(api, receiver.url, {"eventType": "contact.merge"})
        first, second = _contact(api, "a@b.io"), _contact(api, "c@d.io")
        merged = api.post("/crm/v3/objects/contacts/merge",
                          json={"primaryObjectId": first, "objectIdToMerge": second}).json()["id"]
        _settle(api)
    [event] = receiver.events()
    assert (event["primaryObjectId"], event["mergedObjectIds"], event["newObjectId"]) == (
        int(first), [int(second)], int(merged))


def test_events_are_batched_at_most_a_hundred_per_request(api):
    with Receiver() as receiver:
        _subscribe(api, receiver.url, {"eventType": "contact.creation"})
        for chunk in range(2):
            inputs = [{"properties": {"email": f"u{chunk}-{n}@acme.io"}} for n in range(75)]
            api.post("/crm/v3/objects/contacts/batch/create", json={"inputs": inputs}).raise_for_status()
        _settle(api)
    sizes = sorted(len(r.json()) for r in receiver.received)
    assert sizes == [75, 75]  # one request per API call: each call's events leave together
    ids = [e["eventId"] for e in receiver.events()]
    assert len(ids) == len(set(ids)) == 150


def test_a_big_batch_is_split_into_requests_of_a_hundred(api):
    with Receiver() as receiver:
        _subscribe(api, receiver.url, {"eventType": "contact.propertyChange", "propertyName": "email"},
                   {"eventType": "contact.creation"})
        inputs = [{"properties": {"email": f"u{n}@acme.io"}} for n in range(60)]
        api.post("/crm/v3/objects/contacts/batch/create", json={"inputs": inputs}).raise_for_status()
        _settle(api)
    assert sorted(len(r.json()) for r in receiver.received) == [20, 100]


def test_failures_are_retried_on_clock_advances_with_the_same_event_ids(api):
    with Receiver(lambda n: (500, 0) if n < 2 else (200, 0)) as receiver:
        _subscribe(api, receiver.url, {"eventType": "contact.creation"})
        _contact(api, "a@b.io")
        _settle(api)
        assert len(receiver.received) == 1  # the retry waits for the portal clock
        api.post("/_sim/clock", json={"advance": "PT1H"})
        attempts = api.get("/_sim/webhooks/deliveries").json()
    assert [r.json()[0]["attemptNumber"] for r in receiver.received] == [0, 1, 2]
    assert len({r.json()[0]["eventId"] for r in receiver.received}) == 1
    assert [(a["attemptNumber"], a["status"], a["outcome"]) for a in attempts["results"]] == [
        (2, 200, "delivered"), (1, 500, "retrying"), (0, 500, "retrying")]
    assert attempts["pending"] == 0 and attempts["results"][2]["nextAttemptAt"] == attempts["results"][1]["scheduledAt"]


def test_a_slow_receiver_counts_as_failed_and_is_retried(api, monkeypatch):
    monkeypatch.setattr("simulator.webhooks.outbox.DEFAULT_TIMEOUT", 0.3)
    with Receiver(lambda n: (200, 1.0) if n == 0 else (200, 0)) as receiver:
        _subscribe(api, receiver.url, {"eventType": "contact.creation"})
        _contact(api, "a@b.io")
        api.post("/_sim/clock", json={"advance": "PT10M"})
        attempts = api.get("/_sim/webhooks/deliveries").json()["results"]
    assert [(a["attemptNumber"], a["error"], a["outcome"]) for a in reversed(attempts)] == [
        (0, "timed out after 0.3 s", "retrying"), (1, None, "delivered")]
    assert [r.json()[0]["eventId"] for r in receiver.received] == [attempts[0]["eventIds"][0]] * 2


def test_a_dead_receiver_gets_ten_retries_within_a_day_then_the_send_is_given_up(api):
    _subscribe(api, dead_url(), {"eventType": "contact.creation"})
    _contact(api, "a@b.io")
    api.post("/_sim/clock", json={"advance": "P1D"})
    attempts = api.get("/_sim/webhooks/deliveries").json()
    assert [a["attemptNumber"] for a in reversed(attempts["results"])] == list(range(11))
    assert attempts["results"][0]["outcome"] == "failed" and attempts["pending"] == 0
    assert all(a["status"] is None and "Refused" in a["error"] for a in attempts["results"])
    assert attempts["results"][0]["scheduledAt"] < "2030-01-02T00:00:00.000Z"


def test_retry_delays_are_randomized_yet_replayable(api, hub):
    _subscribe(api, dead_url(), {"eventType": "contact.creation"})
    _contact(api, "a@b.io")
    _contact(api, "b@b.io")
    api.post("/_sim/clock", json={"advance": "PT3H"})
    attempts = api.get("/_sim/webhooks/deliveries").json()["results"]
    retries = {a["eventIds"][0]: a["scheduledAt"] for a in attempts if a["attemptNumber"] == 4}
    assert len(retries) == 2 and len(set(retries.values())) == 2  # two sends, two different delays
    assert retry_delay(0, 1, 3) == retry_delay(0, 1, 3) != retry_delay(1, 1, 3)


def test_a_dead_or_hanging_receiver_does_not_slow_the_api(api):
    with Receiver(lambda n: (200, 5.0)) as receiver:
        _subscribe(api, receiver.url, {"eventType": "contact.creation"})
        latencies = []
        for n in range(20):
            started = time.perf_counter()
            _contact(api, f"u{n}@acme.io")
            latencies.append(time.perf_counter() - started)
    assert max(latencies) < 2.5  # the receiver holds each send 5 s; the API call that caused it never waits


def test_nothing_is_sent_without_settings_or_for_paused_subscriptions(api):
    with Receiver() as receiver:
        _subscribe(api, receiver.url, {"eventType": "contact.creation"})
        sub = api.get(f"{APP}/subscriptions").json()["results"][0]
        api.patch(f"{APP}/subscriptions/{sub['id']}", json={"active": False})
        _contact(api, "a@b.io")
        api.patch(f"{APP}/subscriptions/{sub['id']}", json={"active": True})
        api.delete(f"{APP}/settings")
        _contact(api, "b@b.io")
        _settle(api)
    assert receiver.received == []


def test_event_completions_are_delivered_for_the_subscribed_event(api):
    with Receiver() as receiver:
        _subscribe(api, receiver.url, {"eventType": "event.completed"})
        definitions = [api.post("/events/v3/event-definitions", json={
            "label": label, "name": name, "propertyDefinitions": [{"name": "plan", "label": "Plan", "type": "string"}],
        }).json() for label, name in (("Signed up", "signed_up"), ("Invited", "invited"))]  # fmt: skip
        sub = api.get(f"{APP}/subscriptions").json()["results"][0]
        api.post(f"{APP}/subscriptions", json={"eventType": "event.completed", "active": True,
                                               "eventTypeName": definitions[0]["fullyQualifiedName"]})
        api.patch(f"{APP}/subscriptions/{sub['id']}", json={"active": False})  # only the named event from now on
        contact_id = _contact(api, "a@b.io")
        for definition in definitions:
            api.post("/events/v3/send", json={"eventName": definition["fullyQualifiedName"], "objectId": contact_id,
                                              "properties": {"plan": "pro"}}).raise_for_status()
        _settle(api)
    [event] = receiver.events()
    assert (event["subscriptionType"], event["objectId"], event["objectTypeId"], event["eventTypeId"],
            event["eventName"], event["properties"]) == (
        "event.completed", int(contact_id), "0-1", definitions[0]["objectTypeId"],
        definitions[0]["fullyQualifiedName"], {"plan": "pro"})


@pytest.mark.parametrize("query", ["eventId=0", "appId=abc", "limit=-1"])
def test_the_deliveries_log_refuses_bad_filters(api, query):
    assert api.get(f"/_sim/webhooks/deliveries?{query}").status_code == 400
