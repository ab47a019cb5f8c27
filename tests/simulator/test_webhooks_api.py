"""Webhooks v3 management: settings and subscriptions per app, HubSpot's shapes and errors, the SDK's developer key."""

from __future__ import annotations

import pytest
from hubspot import HubSpot
from hubspot.webhooks import SettingsChangeRequest, SubscriptionCreateRequest, ThrottlingSettings

from simulator.testing import Simulator

APP = "/webhooks/v3/123"
SETTINGS = {"targetUrl": "https://example.com/hooks", "throttling": {"maxConcurrentRequests": 10}}


def test_settings_are_put_read_and_cleared(api):
    assert api.get(f"{APP}/settings").status_code == 404
    put = api.put(f"{APP}/settings", json=SETTINGS)
    assert put.status_code == 200
    body = put.json()
    assert body["targetUrl"] == "https://example.com/hooks"
    assert body["throttling"] == {"maxConcurrentRequests": 10}
    assert body["createdAt"].endswith("Z") and body["updatedAt"] == body["createdAt"]
    assert api.get(f"{APP}/settings").json() == body
    assert api.delete(f"{APP}/settings").status_code == 204
    assert api.get(f"{APP}/settings").json()["category"] == "OBJECT_NOT_FOUND"


@pytest.mark.parametrize("settings, problem", [
    ({"targetUrl": "ftp://example.com", "throttling": {"maxConcurrentRequests": 10}}, "absolute http or https URL"),
    ({"targetUrl": "https://example.com", "throttling": {"maxConcurrentRequests": 2}}, "maxConcurrentRequests"),
    ({"targetUrl": "https://example.com"}, "throttling"),
])  # fmt: skip
def test_bad_settings_are_refused_naming_the_field(api, settings, problem):
    response = api.put(f"{APP}/settings", json=settings)
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR" and problem in response.json()["message"]


def test_a_subscription_is_created_paused_by_default_then_read_listed_patched_and_deleted(api):
    created = api.post(f"{APP}/subscriptions", json={"eventType": "contact.propertyChange", "propertyName": "email"})
    assert created.status_code == 201
    sub = created.json()
    assert sub["eventType"] == "contact.propertyChange" and sub["propertyName"] == "email"
    assert sub["active"] is False and sub["id"].isdigit()
    assert api.get(f"{APP}/subscriptions/{sub['id']}").json() == sub
    assert api.get(f"{APP}/subscriptions").json() == {"results": [sub]}
    patched = api.patch(f"{APP}/subscriptions/{sub['id']}", json={"active": True}).json()
    assert patched["active"] is True
    assert api.delete(f"{APP}/subscriptions/{sub['id']}").status_code == 204
    missing = api.get(f"{APP}/subscriptions/{sub['id']}")
    assert missing.status_code == 404 and missing.json()["category"] == "SUBSCRIPTION_ID_NOT_FOUND"


def test_subscriptions_belong_to_their_app(api):
    api.post(f"{APP}/subscriptions", json={"eventType": "contact.creation"})
    assert api.get("/webhooks/v3/456/subscriptions").json() == {"results": []}


@pytest.mark.parametrize("body, problem", [
    ({"eventType": "contact.propertyChange"}, "propertyName is required"),
    ({"eventType": "contact.creation", "propertyName": "email"}, "applies only to propertyChange"),
    ({"eventType": "contact.propertyChange", "propertyName": "no_such_thing"}, "does not exist"),
    ({"eventType": "contact.teleport"}, "eventType"),
])  # fmt: skip
def test_bad_subscriptions_are_refused(api, body, problem):
    response = api.post(f"{APP}/subscriptions", json=body)
    assert response.status_code == 400 and problem in response.json()["message"]


def test_the_same_subscription_twice_is_a_conflict(api):
    api.post(f"{APP}/subscriptions", json={"eventType": "company.creation"})
    again = api.post(f"{APP}/subscriptions", json={"eventType": "company.creation"})
    assert again.status_code == 409 and again.json()["category"] == "CONFLICT"


def test_batch_update_reports_unknown_ids_and_updates_the_rest(api):
    sub = api.post(f"{APP}/subscriptions", json={"eventType": "contact.creation"}).json()
    response = api.post(f"{APP}/subscriptions/batch/update",
                        json={"inputs": [{"id": int(sub["id"]), "active": True}, {"id": 4567, "active": True}]})
    assert response.status_code == 207
    body = response.json()
    assert [r["active"] for r in body["results"]] == [True] and body["numErrors"] == 1
    assert body["errors"][0]["category"] == "SUBSCRIPTION_ID_NOT_FOUND"
    assert body["errors"][0]["message"] == "Failed to find subscriptions by id `4567`."


def test_a_bad_app_id_is_a_validation_error(api):
    response = api.get("/webhooks/v3/abc/settings")
    assert response.status_code == 400 and "appId" in response.json()["message"]


def test_the_sdk_manages_webhooks_with_its_developer_key():
    with Simulator() as sim:
        client = HubSpot(api_key=sim.token, host=sim.base_url, base_url=sim.base_url)
        settings = client.webhooks.settings_api.configure(123, SettingsChangeRequest(
            target_url="https://example.com/hooks", throttling=ThrottlingSettings(max_concurrent_requests=10)))
        assert settings.target_url == "https://example.com/hooks"
        created = client.webhooks.subscriptions_api.create(123, SubscriptionCreateRequest(
            event_type="contact.propertyChange", property_name="email", active=True))
        listed = client.webhooks.subscriptions_api.get_all(123)
        assert [s.id for s in listed.results] == [created.id] and listed.results[0].active is True
        # the same portal as the bearer token's
        with sim.client() as http:
            assert http.get("/webhooks/v3/123/settings").json()["targetUrl"] == "https://example.com/hooks"
