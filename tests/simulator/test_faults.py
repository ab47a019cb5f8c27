"""Fault injection in-process: each action, afterApply, the journal's record of it, the control API."""

from __future__ import annotations

import json
import time

import pytest

CONTACTS = "/crm/v3/objects/contacts"


def add_fault(api, **rule):
    response = api.post("/_sim/faults", json=rule)
    assert response.status_code == 201, response.text
    return response.json()


def contact_emails(api) -> list[str]:
    return [c["properties"]["email"] for c in api.get(CONTACTS).json()["results"]]


def test_a_status_fault_answers_hubspots_envelope_and_writes_nothing(api):
    rule = add_fault(api, match={"method": "POST", "path": CONTACTS}, action={"status": 503})
    response = api.post(CONTACTS, json={"properties": {"email": "a@b.io"}})
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["category"] == "INTERNAL_ERROR"
    assert f"fault rule {rule['id']}" in body["message"]
    assert body["correlationId"] == response.headers["X-HubSpot-Correlation-Id"]
    assert contact_emails(api) == []


def test_a_429_fault_uses_the_rate_limit_body(api):
    add_fault(api, action={"status": 429}, times=1)
    body = api.get(CONTACTS).json()
    assert body["errorType"] == "RATE_LIMIT"
    assert body["policyName"] == "TEN_SECONDLY_ROLLING"
    assert "category" not in body


def test_times_lets_the_request_after_the_faults_through(api):
    add_fault(api, match={"method": "POST", "path": CONTACTS}, action={"status": 500}, times=2)
    statuses = [api.post(CONTACTS, json={"properties": {"email": f"u{i}@b.io"}}).status_code for i in range(3)]
    assert statuses == [500, 500, 201]
    assert contact_emails(api) == ["u2@b.io"]
    assert api.get("/_sim/faults").json()["results"][0]["fired"] == 2


def test_after_apply_writes_first_and_then_fails(api):
    add_fault(api, match={"method": "POST", "path": f"{CONTACTS}/batch/*"}, action={"status": 502, "afterApply": True},
              times=1)
    payload = {"inputs": [{"properties": {"email": "a@b.io"}}]}
    assert api.post(f"{CONTACTS}/batch/create", json=payload).status_code == 502
    assert contact_emails(api) == ["a@b.io"]
    retried = api.post(f"{CONTACTS}/batch/create", json=payload)  # the naive retry: now a duplicate
    assert retried.status_code == 409


def test_a_delay_answers_normally_after_waiting(api):
    add_fault(api, action={"delayMs": 150})
    started = time.perf_counter()
    response = api.get(CONTACTS)
    assert time.perf_counter() - started >= 0.15
    assert response.status_code == 200


def test_a_malformed_fault_answers_a_torn_body_and_writes_nothing(api):
    add_fault(api, match={"method": "POST"}, action={"malformed": True}, times=1)
    response = api.post(CONTACTS, json={"properties": {"email": "a@b.io"}})
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert contact_emails(api) == []


def test_a_malformed_after_apply_tears_the_real_answer(api):
    add_fault(api, match={"method": "POST"}, action={"malformed": True, "afterApply": True}, times=1)
    response = api.post(CONTACTS, json={"properties": {"email": "a@b.io"}})
    assert response.status_code == 201
    assert response.content.startswith(b'{"id":"')
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert contact_emails(api) == ["a@b.io"]


def test_a_reset_in_process_raises_a_connection_error(api):
    add_fault(api, action={"reset": True}, times=1)
    with pytest.raises(ConnectionResetError):
        api.get(CONTACTS)
    assert api.get(CONTACTS).status_code == 200


def test_a_short_hang_ends_in_a_gateway_timeout(api):
    add_fault(api, action={"hang": True, "hangMs": 100}, times=1)
    started = time.perf_counter()
    response = api.get(CONTACTS)
    assert time.perf_counter() - started >= 0.1
    assert response.status_code == 504


def test_the_journal_records_the_fault_applied(api):
    rule = add_fault(api, match={"method": "GET"}, action={"status": 503}, times=1)
    api.get(CONTACTS)
    api.get(CONTACTS)
    faulted, clean = api.get("/_sim/journal", params={"path": CONTACTS}).json()["results"][::-1]
    assert faulted["status"] == 503
    assert faulted["fault"] == {"ruleId": rule["id"], "kind": "status", "status": 503, "hang": False,
                                "hangMs": 30000, "reset": False, "malformed": False, "afterApply": False}
    assert clean["fault"] is None


def test_the_control_api_is_never_faulted(api):
    add_fault(api, action={"status": 500})
    assert api.get("/_sim/clock").status_code == 200
    assert api.get("/_sim/faults").status_code == 200


def test_same_seed_same_outcomes_over_http(api):
    def outcomes():
        api.delete("/_sim/faults")
        add_fault(api, match={"method": "GET"}, action={"status": 503}, probability=0.5, seed=11)
        return [api.get(CONTACTS).status_code for _ in range(30)]

    first = outcomes()
    assert first == outcomes()
    assert set(first) == {200, 503}


def test_rules_are_listed_deleted_and_cleared(api):
    first = add_fault(api, action={"status": 500})
    add_fault(api, action={"status": 502})
    assert api.delete(f"/_sim/faults/{first['id']}").status_code == 204
    assert [r["action"]["status"] for r in api.get("/_sim/faults").json()["results"]] == [502]
    assert api.delete("/_sim/faults/999").status_code == 404
    assert api.delete("/_sim/faults").status_code == 204
    assert api.get("/_sim/faults").json()["results"] == []


def test_a_bad_rule_is_refused_with_the_field_named(api):
    response = api.post("/_sim/faults", json={"action": {"status": 503, "reset": True}})
    assert response.status_code == 400
    assert "exactly one of" in response.json()["message"]
    assert api.get("/_sim/faults").json()["results"] == []
