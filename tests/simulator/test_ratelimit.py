"""HubSpot's rate limits, to the request: policies, headers, 429 bodies, usage. In-process, on a fake wall clock."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from hubspot import HubSpot
from urllib3.util.retry import Retry

from simulator import Hub, create_app, ratelimit
from simulator.ratelimit import DAILY_ONLY, SEARCHING, SENDING_EVENTS, STANDARD, TierLimits, metering

CONTACTS = "/crm/v3/objects/contacts"
SEARCH = "/crm/v3/objects/contacts/search"
EVENTS = "/events/v3/send"
HEADERS = (
    "X-HubSpot-RateLimit-Daily",
    "X-HubSpot-RateLimit-Daily-Remaining",
    "X-HubSpot-RateLimit-Interval-Milliseconds",
    "X-HubSpot-RateLimit-Max",
    "X-HubSpot-RateLimit-Remaining",
)


class FakeWall:
    def __init__(self, at: float):
        self.at = at

    def __call__(self) -> float:
        return self.at


@pytest.fixture
def wall() -> FakeWall:
    return FakeWall(datetime(2030, 1, 1, 12, tzinfo=UTC).timestamp())


@pytest.fixture
def hub(wall):
    hub = Hub(wall=wall)
    yield hub
    hub.close()


@pytest.fixture
def app(hub):
    app = create_app(hub)
    app.testing = True
    return app


def starter(api, **settings):
    api.post("/_sim/portal", json={"tier": "starter", **settings}).raise_for_status()


def fire(api, count: int, method: str = "GET", path: str = CONTACTS, **options) -> list[int]:
    return [api.request(method, path, **options).status_code for _ in range(count)]


def search(api, count: int) -> list[int]:
    return fire(api, count, "POST", SEARCH, json={"filterGroups": []})


# --- the ten-secondly window ------------------------------------------------------------------------------------


def test_a_starter_portal_answers_100_quick_requests_and_refuses_the_101st(api):
    starter(api)
    statuses = fire(api, 101)
    assert statuses.count(200) == 100
    assert statuses[-1] == 429


def test_the_429_is_hubspots_rate_limit_body(api):
    starter(api)
    fire(api, 100)
    refused = api.get(CONTACTS)
    body = refused.json()
    assert list(body) == ["status", "message", "errorType", "correlationId", "policyName", "requestId"]
    assert body["status"] == "error"
    assert body["message"] == "You have reached your ten_secondly_rolling limit."
    assert body["errorType"] == "RATE_LIMIT"
    assert body["policyName"] == "TEN_SECONDLY_ROLLING"
    assert body["correlationId"] == refused.headers["X-HubSpot-Correlation-Id"]
    assert body["requestId"] != body["correlationId"]


def test_advancing_the_clock_ten_seconds_lets_the_next_request_through(api):
    starter(api)
    fire(api, 101)
    api.post("/_sim/clock", json={"advance": 10}).raise_for_status()
    assert api.get(CONTACTS).status_code == 200


def test_the_window_slides_rather_than_resetting_on_ten_second_boundaries(api, wall):
    starter(api)
    wall.at += 9  # the aligned window [12:00:00, 12:00:10) is nearly over
    fire(api, 100)
    wall.at += 1  # a fixed window (or a bucket refilling 10 a second) would let requests through here
    assert api.get(CONTACTS).status_code == 429
    wall.at += 8.999
    assert api.get(CONTACTS).status_code == 429
    wall.at += 0.001
    assert api.get(CONTACTS).status_code == 200


def test_a_refused_request_consumes_no_capacity(api, wall):
    starter(api)
    fire(api, 100)
    assert set(fire(api, 50)) == {429}
    wall.at += 10
    assert fire(api, 101).count(200) == 100


@pytest.mark.parametrize(("tier", "allowed"), [("free", 100), ("professional", 190), ("enterprise", 190),
                                               ("api-add-on", 250)])
def test_each_tier_allows_hubspots_ten_second_allowance(api, tier, allowed):
    api.post("/_sim/portal", json={"tier": tier}).raise_for_status()
    assert fire(api, allowed + 1).count(200) == allowed


def test_a_refused_request_changes_nothing(api):
    starter(api)
    fire(api, 100)
    refused = api.post(CONTACTS, json={"properties": {"email": "ann@acme.io"}})
    assert refused.status_code == 429
    api.post("/_sim/clock", json={"advance": 10}).raise_for_status()
    assert api.get(CONTACTS).json()["results"] == []


def test_a_batch_call_counts_once(api):
    starter(api)
    inputs = [{"properties": {"email": f"u{i}@acme.io"}} for i in range(10)]
    created = api.post(f"{CONTACTS}/batch/create", json={"inputs": inputs})
    assert created.status_code == 201
    assert created.headers["X-HubSpot-RateLimit-Remaining"] == "99"


def test_an_error_answer_counts_like_any_other(api):
    starter(api)
    missing = api.get(f"{CONTACTS}/424242")
    assert missing.status_code == 404
    assert missing.headers["X-HubSpot-RateLimit-Remaining"] == "99"


# --- headers --------------------------------------------------------------------------------------------------------


def test_headers_count_the_window_and_the_day_down(api):
    starter(api)
    fire(api, 41)
    answer = api.get(CONTACTS)
    assert {name: answer.headers[name] for name in HEADERS} == {
        "X-HubSpot-RateLimit-Daily": "250000",
        "X-HubSpot-RateLimit-Daily-Remaining": "249958",
        "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
        "X-HubSpot-RateLimit-Max": "100",
        "X-HubSpot-RateLimit-Remaining": "58",
    }


def test_a_429_carries_the_headers_with_nothing_remaining(api):
    starter(api)
    fire(api, 100)
    refused = api.get(CONTACTS)
    assert refused.headers["X-HubSpot-RateLimit-Remaining"] == "0"
    assert refused.headers["X-HubSpot-RateLimit-Daily-Remaining"] == "249900"


def test_secondly_headers_are_off_unless_asked_for(api):
    starter(api)
    assert "X-HubSpot-RateLimit-Secondly" not in api.get(CONTACTS).headers


def test_secondly_headers_show_a_tenth_of_the_window_and_the_last_seconds_use(api, wall):
    starter(api, secondlyHeaders=True)
    fire(api, 5)
    wall.at += 1.5
    answer = api.get(CONTACTS)
    assert answer.headers["X-HubSpot-RateLimit-Secondly"] == "10"
    assert answer.headers["X-HubSpot-RateLimit-Secondly-Remaining"] == "9"


def test_retry_after_is_off_by_default(api):
    starter(api)
    fire(api, 100)
    assert "Retry-After" not in api.get(CONTACTS).headers


def test_retry_after_says_when_the_oldest_counted_request_leaves_the_window(api, wall):
    starter(api, retryAfter=True)
    fire(api, 100)
    wall.at += 2.5
    assert api.get(CONTACTS).headers["Retry-After"] == "8"


def test_api_limit_increases_raise_the_window_and_add_a_million_a_day_each(api):
    starter(api, apiLimitIncreases=2)
    answer = api.get(CONTACTS)
    assert answer.headers["X-HubSpot-RateLimit-Max"] == "250"
    assert answer.headers["X-HubSpot-RateLimit-Daily"] == "2250000"


def test_with_rate_limits_off_nothing_is_refused_or_announced(api):
    starter(api, rateLimits=False)
    assert set(fire(api, 150)) == {200}
    assert "X-HubSpot-RateLimit-Max" not in api.get(CONTACTS).headers


def test_the_control_api_never_counts(api):
    starter(api)
    fire(api, 100)
    for path in ("/_sim/portal", "/_sim/clock", "/_sim/usage", "/_sim/journal", "/openapi.json"):
        assert api.get(path).status_code == 200
    assert api.get(CONTACTS).status_code == 429
    assert api.get("/_sim/usage").json()["policies"]["tenSecondly"]["rejected"] == 1


# --- the daily limit --------------------------------------------------------------------------------------------------


@pytest.fixture
def three_a_day(monkeypatch):
    monkeypatch.setattr(ratelimit, "tier_limits", lambda tier, increases=0: TierLimits(100, 3))


def test_past_the_daily_limit_every_call_is_refused_naming_daily(api, wall, three_a_day):
    fire(api, 3)
    wall.at += 3600
    refused = api.get(CONTACTS)
    assert refused.status_code == 429
    assert refused.json()["policyName"] == "DAILY"
    assert refused.json()["message"] == "You have reached your daily limit."


def test_the_day_resets_at_midnight_in_the_portals_time_zone(api, wall, three_a_day):
    api.post("/_sim/portal", json={"timeZone": "America/New_York"}).raise_for_status()
    wall.at = datetime(2030, 1, 2, 4, 59, tzinfo=UTC).timestamp()  # 23:59 in New York
    fire(api, 3)
    assert api.get(CONTACTS).status_code == 429
    wall.at += 60  # midnight in New York, 05:00 UTC
    assert api.get(CONTACTS).status_code == 200


def test_a_daily_429_says_how_long_until_midnight(api, wall, three_a_day):
    api.post("/_sim/portal", json={"retryAfter": True}).raise_for_status()
    wall.at = datetime(2030, 1, 2, 23, 0, tzinfo=UTC).timestamp()
    fire(api, 3)
    assert api.get(CONTACTS).headers["Retry-After"] == "3600"


# --- search and custom-event sends --------------------------------------------------------------------------------


def test_six_quick_searches_give_one_429_naming_secondly(api):
    statuses = search(api, 6)
    assert statuses.count(429) == 1
    assert statuses[-1] == 429
    body = api.post(SEARCH, json={"filterGroups": []}).json()
    assert (body["policyName"], body["message"]) == ("SECONDLY", "You have reached your secondly limit.")


def test_a_search_is_let_through_again_after_a_second(api):
    search(api, 6)
    api.post("/_sim/clock", json={"advance": 1}).raise_for_status()
    assert search(api, 1) != [429]


def test_search_is_exempt_from_the_ten_second_window(api):
    starter(api)
    fire(api, 100)
    assert search(api, 1) != [429]


def test_search_responses_carry_no_rate_limit_headers(api):
    starter(api)
    answer = api.post(SEARCH, json={"filterGroups": []})
    assert not [name for name in answer.headers if name.lower().startswith("x-hubspot-ratelimit")]


def define_event(api) -> str:
    answer = api.post("/events/v3/event-definitions", json={"label": "Signed up", "includeDefaultProperties": False})
    assert answer.status_code == 201, answer.text
    return answer.json()["fullyQualifiedName"]


def send_events(api, name: str, count: int) -> list[int]:
    return fire(api, count, "POST", EVENTS, json={"eventName": name, "email": "ann@acme.io"})


def test_event_sends_are_exempt_from_the_ten_second_window(api):
    starter(api)
    name = define_event(api)
    fire(api, 99)
    assert fire(api, 1) == [429]
    assert send_events(api, name, 1) == [204]


def test_event_sends_are_limited_to_1250_a_second(api):
    name = define_event(api)
    statuses = send_events(api, name, 1251)
    assert statuses.count(204) == 1250
    assert statuses[-1] == 429
    refused = api.post(EVENTS, json={"eventName": name, "email": "ann@acme.io"})
    assert (refused.json()["policyName"], refused.json()["message"]) == (
        "SECONDLY", "You have reached your secondly limit.")
    assert api.get("/_sim/usage").json()["events"]["stored"] == 1250


@pytest.mark.parametrize(
    ("method", "path", "kind"),
    [
        ("GET", "/crm/v3/objects/contacts", STANDARD),
        ("POST", "/crm/v3/objects/companies/search/", SEARCHING),
        ("POST", "/crm/v3/lists/search", SEARCHING),
        ("POST", "/events/v3/send", SENDING_EVENTS),
        ("POST", "/events/v3/send/batch", SENDING_EVENTS),
        ("POST", "/crm/v4/associations/contacts/companies/batch/create", DAILY_ONLY),
        ("POST", "/crm/v4/associations/usage/high-usage-report/12", DAILY_ONLY),
        ("POST", "/automation/v4/flows", DAILY_ONLY),
        ("PUT", "/automation/v4/flows/77", DAILY_ONLY),
        ("GET", "/automation/v4/flows/77", STANDARD),
    ],
)
def test_what_each_request_is_counted_against(method, path, kind):
    assert metering(method, path) is kind


# --- usage -------------------------------------------------------------------------------------------------------------


def test_usage_reports_the_current_window_and_each_recent_ten_seconds(api, wall):
    starter(api)
    fire(api, 101)
    wall.at += 10
    fire(api, 7)
    policy = api.get("/_sim/usage").json()["policies"]["tenSecondly"]
    assert (policy["limit"], policy["current"], policy["remaining"], policy["peak"]) == (100, 7, 93, 100)
    assert (policy["accepted"], policy["rejected"]) == (107, 1)
    assert policy["windows"] == [
        {"start": "2030-01-01T12:00:00.000Z", "accepted": 100, "rejected": 1},
        {"start": "2030-01-01T12:00:10.000Z", "accepted": 7, "rejected": 0},
    ]


def test_usage_reports_the_day(api):
    starter(api)
    fire(api, 12)
    daily = api.get("/_sim/usage").json()["policies"]["daily"]
    assert (daily["limit"], daily["current"], daily["remaining"]) == (250_000, 12, 249_988)
    assert (daily["date"], daily["resetsAt"]) == ("2030-01-01", "2030-01-02T00:00:00.000Z")


# --- over a socket -----------------------------------------------------------------------------------------------------


def test_threads_hammering_a_starter_portal_get_exactly_100_through(hubspot_sim):
    hubspot_sim.settings(tier="starter")
    statuses: list[int] = []

    def hammer() -> None:
        with hubspot_sim.client() as client:
            statuses.extend(client.get(CONTACTS).status_code for _ in range(25))

    threads = [threading.Thread(target=hammer) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (statuses.count(200), statuses.count(429)) == (100, 200)
    assert hubspot_sim.usage()["policies"]["tenSecondly"]["peak"] == 100


def test_the_official_sdk_retrying_on_429_recovers(hubspot_sim):
    hubspot_sim.settings(tier="starter")
    with hubspot_sim.client() as client:
        assert all(client.get(CONTACTS).status_code == 200 for _ in range(100))
    retry = Retry(total=8, status_forcelist=(429,), allowed_methods=None, backoff_factor=0.05)
    sdk = HubSpot(access_token=hubspot_sim.token, host=hubspot_sim.base_url, base_url=hubspot_sim.base_url,
                  retry=retry)
    window_passes = threading.Timer(0.2, hubspot_sim.clock.advance, kwargs={"seconds": 10})
    window_passes.start()
    try:
        page = sdk.crm.contacts.basic_api.get_page(limit=10)
    finally:
        window_passes.join()
    assert page.results == []
    answers = [entry["status"] for entry in hubspot_sim.journal.requests(path=CONTACTS)]
    assert answers[0] == 200
    assert 429 in answers[1:]
