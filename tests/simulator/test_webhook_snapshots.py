"""Webhooks in snapshots and --state files: settings, subscriptions and undelivered sends come back; retries resume."""

from __future__ import annotations

import httpx
import pytest
from test_persistence import client
from webhook_receiver import Receiver, dead_url

from simulator import Hub
from simulator.harness.persistence import StateDirectory

APP = "/webhooks/v3/9"


@pytest.fixture
def other(app):
    """A second, fresh portal of the same simulator."""
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://hubsim.test",
                      headers={"Authorization": "Bearer pat-na1-other"}) as other_client:
        yield other_client


def _failing_send(api, url):
    """A portal whose one send failed once and waits for its first retry."""
    api.post("/_sim/clock", json={"freeze": True, "set": "2030-01-01T00:00:00Z"})
    api.post("/_sim/apps", json={"appId": 9, "clientSecret": "nine"})
    api.put(f"{APP}/settings", json={"targetUrl": url, "throttling": {"maxConcurrentRequests": 5}})
    api.post(f"{APP}/subscriptions", json={"eventType": "contact.creation", "active": True})
    api.post("/crm/v3/objects/contacts", json={"properties": {"email": "a@b.io"}})
    api.post("/_sim/clock", json={"advance": 0})
    [attempt] = api.get("/_sim/webhooks/deliveries").json()["results"]
    assert attempt["outcome"] == "retrying"
    return attempt


def test_a_restored_portal_resumes_the_retries_of_undelivered_sends(api, other):
    attempt = _failing_send(api, dead_url())
    exported = api.get("/_sim/snapshot").json()
    assert exported["webhooks"]["pending"][0]["attempt"] == 1
    with Receiver() as receiver:
        exported["webhooks"]["apps"][0]["settings"]["targetUrl"] = receiver.url  # the receiver is back, elsewhere
        assert other.post("/_sim/snapshot", json=exported).status_code == 200
        assert other.get(f"{APP}/subscriptions").json()["results"][0]["eventType"] == "contact.creation"
        other.post("/_sim/clock", json={"advance": "PT2M"})
    [event] = receiver.events()
    assert (event["eventId"], event["attemptNumber"]) == (attempt["eventIds"][0], 1)


def test_a_restart_from_the_state_directory_resumes_retries(tmp_path):
    hub = Hub()
    with client(hub, "pat-w") as api:
        attempt = _failing_send(api, dead_url())
    StateDirectory(tmp_path, hub).save_changed()
    hub.close()

    restarted = Hub()
    StateDirectory(tmp_path, restarted).load()
    with client(restarted, "pat-w") as api:
        assert api.get("/_sim/snapshot").json()["webhooks"]["pending"][0]["events"][0]["eventId"] == \
            attempt["eventIds"][0]
        api.post("/_sim/clock", json={"advance": "PT2M"})
        [retried] = api.get("/_sim/webhooks/deliveries").json()["results"]
    restarted.close()
    assert (retried["attemptNumber"], retried["eventIds"]) == (1, attempt["eventIds"])


def test_a_version_1_file_restores_with_no_webhooks(api, other):
    _failing_send(api, dead_url())
    exported = api.get("/_sim/snapshot").json()
    del exported["webhooks"]
    exported["version"] = 1
    assert other.post("/_sim/snapshot", json=exported).status_code == 200
    assert other.get(f"{APP}/subscriptions").json() == {"results": []}
    assert other.get("/_sim/snapshot").json()["webhooks"]["pending"] == []


def test_a_bad_webhooks_section_is_refused_and_changes_nothing(api, other):
    _failing_send(api, dead_url())
    exported = api.get("/_sim/snapshot").json()
    exported["webhooks"]["apps"][0]["settings"]["targetUrl"] = "not a url"
    before = other.get("/_sim/snapshot").json()
    response = other.post("/_sim/snapshot", json=exported)
    assert response.status_code == 400 and response.json()["message"].startswith("Invalid snapshot: webhooks:")
    assert other.get("/_sim/snapshot").json()["webhooks"] == before["webhooks"]


def test_a_reset_drops_undelivered_sends(api):
    _failing_send(api, dead_url())
    api.post("/_sim/reset")
    api.post("/_sim/clock", json={"advance": "P1D"})
    assert api.get("/_sim/webhooks/deliveries").json() == {"total": 0, "pending": 0, "results": []}


def test_export_restore_export_round_trips_webhooks(api, other):
    _failing_send(api, dead_url())
    api.post(f"{APP}/subscriptions", json={"eventType": "company.propertyChange", "propertyName": "domain"})
    exported = api.get("/_sim/snapshot").json()
    other.post("/_sim/snapshot", json=exported).raise_for_status()
    assert other.get("/_sim/snapshot").json()["webhooks"] == exported["webhooks"]
    created = other.post(f"{APP}/subscriptions", json={"eventType": "contact.deletion"}).json()
    assert int(created["id"]) == exported["webhooks"]["nextSubscriptionId"]


def test_a_send_in_flight_during_a_reset_leaves_no_trace(api, portal):
    with Receiver(lambda n: (500, 0.5)) as receiver:
        api.post("/_sim/clock", json={"freeze": True})
        api.put(f"{APP}/settings", json={"targetUrl": receiver.url, "throttling": {"maxConcurrentRequests": 5}})
        api.post(f"{APP}/subscriptions", json={"eventType": "contact.creation", "active": True})
        api.post("/crm/v3/objects/contacts", json={"properties": {"email": "a@b.io"}})
        api.post("/_sim/reset")  # the receiver still holds the send
        api.post("/_sim/clock", json={"advance": "P1D"})
        portal.deliveries.close()  # the held send ends (and fails) before the receiver goes
    assert len(receiver.received) == 1
    assert api.get("/_sim/webhooks/deliveries").json() == {"total": 0, "pending": 0, "results": []}
    assert len(portal.scheduler) == 0
