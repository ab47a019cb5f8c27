"""HubSpotClient: typed errors, retries with backoff, 429 handling, and the client-side limiter (fake time)."""

from __future__ import annotations

import json
import random

import httpx
import pytest

from scoring.client import (Conflict, HubSpotClient, RateLimited, ServerError, Unavailable, ValidationFailed,
                            policies_for)


class FakeTime:
    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def client_for(answers, fake: FakeTime, **options) -> tuple[HubSpotClient, list[httpx.Request]]:
    """A client whose transport plays `answers` (responses, exceptions, or a function of the request) in turn."""
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        return answer(request) if callable(answer) else answer

    client = HubSpotClient("http://hubspot.test", "pat-test", transport=httpx.MockTransport(handle),
                           clock=fake.clock, sleep=fake.sleep, rng=random.Random(1), **options)
    return client, seen


def error(status: int, **body) -> httpx.Response:
    return httpx.Response(status, json={"status": "error", "correlationId": "c-1"} | body)


OK = httpx.Response(200, json={"ok": True})


def test_an_error_body_becomes_a_typed_exception_with_hubspots_fields():
    fake = FakeTime()
    client, _ = client_for([error(400, category="VALIDATION_ERROR", message="Property values were not valid")], fake)
    with pytest.raises(ValidationFailed) as caught:
        client.request("POST", "/crm/v3/objects/contacts", json_body={"properties": {}})
    assert (caught.value.status, caught.value.category, caught.value.correlation_id) == (400, "VALIDATION_ERROR", "c-1")
    assert caught.value.message == "Property values were not valid"
    client, _ = client_for([error(409, category="CONFLICT", message="Contact already exists. Existing ID: 5")], fake)
    with pytest.raises(Conflict, match="Existing ID: 5"):
        client.request("POST", "/crm/v3/objects/contacts")


def test_5xx_and_connection_errors_are_retried_with_growing_jittered_backoff():
    fake = FakeTime()
    client, seen = client_for([error(503, category="SERVICE_UNAVAILABLE"), httpx.ConnectError("reset"),
                               httpx.ReadTimeout("slow"), OK], fake)
    assert client.request("GET", "/crm/v3/objects/contacts") == {"ok": True}
    assert len(seen) == 4 and client.stats.retries == 3
    assert 0.25 <= fake.sleeps[0] <= 0.5 and 0.5 <= fake.sleeps[1] <= 1.0 and 1.0 <= fake.sleeps[2] <= 2.0


def test_retries_end_with_the_last_error():
    fake = FakeTime()
    client, seen = client_for([error(502, category="BAD_GATEWAY")], fake, max_attempts=3)
    with pytest.raises(ServerError):
        client.request("GET", "/x")
    assert len(seen) == 3
    client, seen = client_for([httpx.ConnectError("refused")], fake, max_attempts=2)
    with pytest.raises(Unavailable, match="ConnectError"):
        client.request("GET", "/x")
    assert len(seen) == 2


def test_a_torn_json_body_is_retried_like_a_lost_answer():
    fake = FakeTime()
    client, seen = client_for([httpx.Response(200, content=b'{"results": ['), OK], fake)
    assert client.request("GET", "/x") == {"ok": True} and len(seen) == 2


def test_a_429_waits_retry_after_and_does_not_use_up_the_retry_budget():
    fake = FakeTime()
    throttled = httpx.Response(429, headers={"Retry-After": "3"},
                               json={"status": "error", "errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING"})
    client, seen = client_for([throttled, throttled, throttled, OK], fake, max_attempts=2)
    start = fake.now
    assert client.request("GET", "/x") == {"ok": True}
    assert len(seen) == 4 and client.stats.throttled == 3
    assert fake.now - start >= 9  # three waits of Retry-After: 3


def test_without_retry_after_a_ten_secondly_429_waits_the_window():
    fake = FakeTime()
    throttled = httpx.Response(429, headers={"X-HubSpot-RateLimit-Interval-Milliseconds": "10000"},
                               json={"status": "error", "errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING"})
    client, _ = client_for([throttled, OK], fake)
    start = fake.now
    client.request("GET", "/x")
    assert 10 <= fake.now - start <= 11


def test_a_daily_429_is_not_retried():
    fake = FakeTime()
    daily = httpx.Response(429, json={"status": "error", "errorType": "RATE_LIMIT", "policyName": "DAILY",
                                      "message": "You have reached your daily limit."})
    client, seen = client_for([daily, OK], fake)
    with pytest.raises(RateLimited, match="daily limit"):
        client.request("GET", "/x")
    assert len(seen) == 1


def test_the_limiter_keeps_every_ten_second_window_under_the_budget():
    fake = FakeTime()
    sent: list[float] = []

    def answer(request):
        sent.append(fake.now)
        return OK

    client, _ = client_for([answer], fake, ten_secondly=190, budget=0.9)
    for _ in range(500):
        client.request("POST", "/crm/v3/objects/contacts/batch/upsert", json_body={"inputs": []})
    worst = max(sum(1 for t in sent if start <= t < start + 10) for start in sent)
    assert worst == 171
    assert fake.now - 1000 >= 20  # 500 requests at 171 per 10 s take more than two windows


def test_event_sends_and_association_batches_skip_the_ten_second_window():
    assert policies_for("POST", "/events/v3/send/batch") == ("events",)
    assert policies_for("POST", "/crm/v4/associations/contacts/companies/batch/associate/default") == ("daily",)
    assert policies_for("POST", "/crm/v3/objects/contacts/search") == ("search", "daily")
    assert policies_for("POST", "/crm/v3/objects/contacts/batch/upsert") == ("tenSecondly", "daily")
    fake = FakeTime()
    client, seen = client_for([httpx.Response(204)], fake)
    for _ in range(300):
        assert client.request("POST", "/events/v3/send/batch", json_body={"inputs": []}) is None
    assert fake.sleeps == [] and len(seen) == 300


def test_remaining_zero_pauses_the_next_request():
    fake = FakeTime()
    empty = httpx.Response(200, json={}, headers={"X-HubSpot-RateLimit-Remaining": "0",
                                                  "X-HubSpot-RateLimit-Max": "190",
                                                  "X-HubSpot-RateLimit-Interval-Milliseconds": "10000"})
    client, _ = client_for([empty, OK], fake)
    client.request("GET", "/x")
    client.request("GET", "/x")
    assert fake.sleeps == [pytest.approx(10 / 190)]


def test_requests_carry_the_token_and_json():
    fake = FakeTime()
    client, seen = client_for([OK], fake)
    client.request("POST", "/crm/v3/objects/contacts/batch/upsert", json_body={"inputs": [{"id": "a@b.io"}]},
                   params={"archived": "false"})
    assert seen[0].headers["Authorization"] == "Bearer pat-test"
    assert json.loads(seen[0].content) == {"inputs": [{"id": "a@b.io"}]}
    assert seen[0].url.params["archived"] == "false"
