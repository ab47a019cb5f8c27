"""Faults as real socket clients see them: httpx and the official SDK."""

from __future__ import annotations

import json
import time

import httpx
import pytest
import urllib3
from hubspot import HubSpot
from hubspot.crm.contacts import ApiException, SimplePublicObjectInputForCreate

CONTACTS = "/crm/v3/objects/contacts"


@pytest.fixture
def sdk(hubspot_sim) -> HubSpot:
    return HubSpot(access_token=hubspot_sim.token, host=hubspot_sim.base_url, base_url=hubspot_sim.base_url)


def emails(hubspot_sim) -> list[str]:
    with hubspot_sim.client() as client:
        return [c["properties"]["email"] for c in client.get(CONTACTS).json()["results"]]


def test_a_503_surfaces_in_the_sdk_as_hubspots_would(hubspot_sim, sdk):
    hubspot_sim.faults.add(match={"method": "POST", "path": CONTACTS}, action={"status": 503}, times=1)
    with pytest.raises(ApiException) as raised:
        sdk.crm.contacts.basic_api.create(SimplePublicObjectInputForCreate(properties={"email": "a@b.io"}))
    assert raised.value.status == 503
    assert json.loads(raised.value.body)["status"] == "error"
    assert emails(hubspot_sim) == []


def test_a_429_surfaces_in_the_sdk_with_the_rate_limit_body(hubspot_sim, sdk):
    hubspot_sim.faults.add(action={"status": 429}, times=1)
    with pytest.raises(ApiException) as raised:
        sdk.crm.contacts.basic_api.get_page()
    assert raised.value.status == 429
    assert json.loads(raised.value.body)["errorType"] == "RATE_LIMIT"


def test_a_reset_is_a_connection_error_for_httpx(hubspot_sim):
    hubspot_sim.faults.add(action={"reset": True}, times=1)
    with hubspot_sim.client() as client:
        with pytest.raises(httpx.TransportError):
            client.get(CONTACTS)
        assert client.get(CONTACTS).status_code == 200


def test_a_reset_is_a_connection_error_for_the_sdk(hubspot_sim, sdk):
    hubspot_sim.faults.add(match={"method": "POST"}, action={"reset": True}, times=1)
    with pytest.raises(urllib3.exceptions.ProtocolError):
        sdk.crm.contacts.basic_api.create(SimplePublicObjectInputForCreate(properties={"email": "a@b.io"}))
    assert emails(hubspot_sim) == []


def test_a_reset_after_apply_leaves_the_write_in_place(hubspot_sim):
    hubspot_sim.faults.add(match={"method": "POST"}, action={"reset": True, "afterApply": True}, times=1)
    with hubspot_sim.client() as client:
        with pytest.raises(httpx.TransportError):
            client.post(CONTACTS, json={"properties": {"email": "a@b.io"}})
    assert emails(hubspot_sim) == ["a@b.io"]


def test_a_status_after_apply_leaves_the_write_in_place_for_the_sdk(hubspot_sim, sdk):
    hubspot_sim.faults.add(match={"method": "POST"}, action={"status": 500, "afterApply": True}, times=1)
    with pytest.raises(ApiException):
        sdk.crm.contacts.basic_api.create(SimplePublicObjectInputForCreate(properties={"email": "a@b.io"}))
    assert emails(hubspot_sim) == ["a@b.io"]


def test_a_hang_holds_until_the_client_gives_up(hubspot_sim):
    hubspot_sim.faults.add(action={"hang": True, "hangMs": 20_000}, times=1)
    started = time.perf_counter()
    with hubspot_sim.client(timeout=0.5) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.get(CONTACTS)
    assert 0.5 <= time.perf_counter() - started < 5
    with hubspot_sim.client() as client:
        assert client.get(CONTACTS).status_code == 200  # the server did not stay stuck on the abandoned request


def test_a_delay_is_felt_by_the_client(hubspot_sim):
    hubspot_sim.faults.add(action={"delayMs": 300}, times=1)
    started = time.perf_counter()
    with hubspot_sim.client() as client:
        assert client.get(CONTACTS).status_code == 200
    assert time.perf_counter() - started >= 0.3


@pytest.mark.hubspot(tier="starter", frozen_at="2030-01-01T00:00:00Z",
                     faults=[{"match": {"method": "GET"}, "action": {"status": 503}, "times": 1}])
def test_the_marker_starts_a_test_with_settings_a_frozen_clock_and_faults(hubspot_sim):
    assert hubspot_sim.settings()["tier"] == "starter"
    assert hubspot_sim.clock.state() == {"now": "2030-01-01T00:00:00.000Z", "frozen": True, "speed": 1.0}
    with hubspot_sim.client() as client:
        assert client.get(CONTACTS).status_code == 503
        assert client.get(CONTACTS).status_code == 200
