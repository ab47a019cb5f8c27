"""The request journal: every API request of a portal, bounded, filterable, without secrets; and the routes
HubSpot has that hubsim does not simulate, named as such."""

from __future__ import annotations

import json

import pytest

from simulator.harness.journal import BODY_LIMIT, Journal
from tests.conftest import TOKEN

CONTACTS = "/crm/v3/objects/contacts"


def journal(api, **filters) -> dict:
    answer = api.get("/_sim/journal", params=filters)
    answer.raise_for_status()
    return answer.json()


def newest(api) -> dict:
    return journal(api, limit=1)["results"][0]


def test_a_request_is_recorded_with_what_was_asked_and_answered(api):
    created = api.post(CONTACTS, params={"idProperty": "email"}, json={"properties": {"email": "ann@acme.io"}})
    entry = newest(api)
    assert {k: entry[k] for k in ("method", "path", "query", "status")} == {
        "method": "POST", "path": CONTACTS, "query": "idProperty=email", "status": 201,
    }
    assert entry["requestBody"] == {"properties": {"email": "ann@acme.io"}}
    assert entry["responseBody"] == created.json()
    assert entry["correlationId"] == created.headers["X-HubSpot-Correlation-Id"]
    assert entry["latencyMs"] > 0
    assert (entry["throttledBy"], entry["notSimulated"], entry["fault"]) == (None, False, None)


def test_entries_carry_domain_time(api):
    api.post("/_sim/clock", json={"set": "2031-05-01T09:30:00Z", "freeze": True}).raise_for_status()
    api.get(CONTACTS)
    assert newest(api)["time"] == "2031-05-01T09:30:00.000Z"


def test_entries_come_newest_first(api):
    for name in ("a", "b", "c"):
        api.get(f"{CONTACTS}/{name}")
    assert [e["path"] for e in journal(api)["results"]] == [f"{CONTACTS}/{n}" for n in ("c", "b", "a")]


def test_error_answers_are_recorded_with_their_body(api):
    missing = api.get(f"{CONTACTS}/999")
    entry = newest(api)
    assert entry["status"] == 404
    assert entry["responseBody"]["message"] == "Object not found.  objectId are usually numeric."
    assert entry["correlationId"] == missing.headers["X-HubSpot-Correlation-Id"]


def test_a_throttled_request_is_recorded_with_the_policy_that_refused_it(api):
    api.post("/_sim/portal", json={"tier": "starter"}).raise_for_status()
    for _ in range(101):
        api.get(CONTACTS)
    entry = newest(api)
    assert (entry["status"], entry["throttledBy"]) == (429, "TEN_SECONDLY_ROLLING")


def test_bodies_past_16_kib_are_cut_and_flagged(api):
    api.post(CONTACTS, json={"properties": {"notes": "x" * (BODY_LIMIT + 100)}})
    entry = newest(api)
    assert entry["requestBodyTruncated"] is True
    assert len(entry["requestBody"]) == BODY_LIMIT
    assert entry["responseBodyTruncated"] is False


def test_no_token_or_api_key_is_stored(api):
    api.get(CONTACTS, params={"hapikey": "secret-key", "limit": "5"})
    stored = json.dumps(journal(api))
    assert newest(api)["query"] == "limit=5"
    assert "secret-key" not in stored
    assert TOKEN not in stored


def test_the_control_api_is_not_recorded(api):
    api.get("/_sim/usage")
    api.get("/_sim/portal")
    assert journal(api)["total"] == 0


def test_the_journal_is_a_bounded_ring(api):
    api.post("/_sim/portal", json={"journalSize": 5}).raise_for_status()
    for n in range(8):
        api.get(f"{CONTACTS}/{n}")
    recorded = journal(api)
    assert recorded["total"] == 5
    assert [e["path"] for e in recorded["results"]] == [f"{CONTACTS}/{n}" for n in (7, 6, 5, 4, 3)]


def test_a_portal_can_turn_its_journal_off(api):
    api.post("/_sim/portal", json={"journal": False}).raise_for_status()
    api.get(CONTACTS)
    assert journal(api)["total"] == 0


def test_delete_clears_the_journal(api):
    api.get(CONTACTS)
    assert api.delete("/_sim/journal").status_code == 204
    assert journal(api) == {"total": 0, "results": []}


# --- filters ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def traffic(api):
    api.post(CONTACTS, json={"properties": {"email": "ann@acme.io"}})
    api.post(CONTACTS, json={"properties": {"email": "ann@acme.io"}})  # 409
    api.get(f"{CONTACTS}/999")  # 404
    api.get(CONTACTS)
    api.get("/crm/v3/properties/contacts")
    return api


def test_filter_by_method(traffic):
    assert journal(traffic, method="post")["total"] == 2


def test_filter_by_exact_path(traffic):
    assert journal(traffic, path=CONTACTS)["total"] == 3


def test_filter_by_path_glob(traffic):
    assert journal(traffic, path="/crm/v3/objects/*")["total"] == 4


def test_filter_by_status(traffic):
    assert [e["status"] for e in journal(traffic, status=409)["results"]] == [409]


def test_filter_by_status_class(traffic):
    assert sorted(e["status"] for e in journal(traffic, status="4xx")["results"]) == [404, 409]


def test_limit_keeps_the_total(traffic):
    recorded = journal(traffic, limit=2)
    assert (recorded["total"], len(recorded["results"])) == (5, 2)


def test_a_nonsense_status_filter_is_a_validation_error(api):
    refused = api.get("/_sim/journal", params={"status": "teapot"})
    assert refused.status_code == 400
    assert refused.json()["message"] == "status must be a status code such as 429 or a class such as 4xx, got 'teapot'"


# --- routes HubSpot has and hubsim does not ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "area"),
    [
        ("/crm/v3/objects/invoices", "the invoices object"),
        ("/crm/v3/objects/0-123/42", "the orders object"),
        ("/crm/v3/properties/carts", "the carts object"),
        ("/crm/v3/imports", "the CRM imports API"),
        ("/marketing/v3/emails", "the marketing APIs"),
        ("/crm/objects/2026-03/invoices", "the invoices object"),
        ("/crm/objects/2027-01/contacts", "the date-versioned /crm/objects/2027-01 API"),
        ("/events/2027-01/send", "the date-versioned /events/2027-01 API"),
        ("/crm-pipelines/v1/pipelines/contacts", "this route of HubSpot's /crm-pipelines/v1 API"),
        ("/integrations/v1/me", "this route of HubSpot's /integrations/v1 API"),
        ("/crm/v3/no-such-api/7", "this route of HubSpot's /crm/v3 API"),
    ],
)
def test_a_route_hubspot_has_and_hubsim_does_not_is_named(api, path, area):
    answer = api.get(path)
    assert answer.status_code == 404
    assert answer.json()["category"] == "OBJECT_NOT_FOUND"
    assert answer.json()["message"].startswith(f"hubsim does not simulate {area}")
    assert answer.json()["message"].endswith(f"yet (GET {path})")


def test_a_not_simulated_request_is_journaled_as_such(api):
    api.get("/cms/v3/pages/site-pages")
    entry = newest(api)
    assert (entry["status"], entry["notSimulated"]) == (404, True)


def test_an_unknown_object_type_is_hubspots_error_not_a_gap(api):
    answer = api.get("/crm/v3/objects/widgets")
    assert answer.status_code == 400  # what HubSpot answers for a name it cannot resolve
    assert "widgets" in answer.json()["message"]
    assert newest(api)["notSimulated"] is False


def test_a_route_hubspot_does_not_have_is_a_plain_404(api):
    answer = api.get("/no/such/api")
    assert answer.json()["message"] == "No route for GET /no/such/api"
    assert newest(api)["notSimulated"] is False


def test_a_route_hubsim_serves_is_never_shadowed_by_the_not_simulated_table(app, api):
    app.add_url_rule("/marketing/v3/emails", "served_marketing", lambda: {"results": []})
    assert api.get("/marketing/v3/emails").json() == {"results": []}


# --- the Python face ----------------------------------------------------------------------------------------------------


def test_the_python_face_reads_counts_and_clears_the_journal(hubspot_sim):
    with hubspot_sim.client() as client:
        client.post(CONTACTS, json={"properties": {"email": "ann@acme.io"}})
        client.get(f"{CONTACTS}/999")
    assert hubspot_sim.journal.count(method="POST", path=CONTACTS, status=201) == 1
    assert [e["status"] for e in hubspot_sim.journal.requests()] == [404, 201]
    assert len(hubspot_sim.journal.requests(limit=1)) == 1
    hubspot_sim.journal.clear()
    assert hubspot_sim.journal.count() == 0


def test_the_python_face_reads_usage(hubspot_sim):
    with hubspot_sim.client() as client:
        client.get(CONTACTS)
    assert hubspot_sim.usage()["policies"]["tenSecondly"]["accepted"] == 1


def test_concurrent_recording_keeps_each_entry_once_within_the_bound():
    # recording takes no lock (a convoy under load): the bound and the ids must hold all the same
    import sys
    import threading
    from datetime import UTC, datetime

    journal, at = Journal(size=500), datetime(2030, 1, 1, tzinfo=UTC)

    def record(thread: int) -> None:
        for n in range(1000):
            journal.record(time=at, method="GET", path=f"/{thread}/{n}", query=b"", status=200, latency_ms=0.1,
                           request_body=b"", response_body=b"{}", correlation_id=None)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=record, args=(t,)) for t in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    total, entries = journal.query()
    ids = [e.id for e in entries]
    assert len(set(ids)) == len(ids) and total == 500
    # the last 500 recorded are kept, which need not be the 500 highest ids: a thread may be parked between taking
    # its id and appending. Id 8000 is kept (at most 7 parked entries follow it); each thread keeps a run of its last.
    assert 8000 in ids
    kept: dict[str, list[int]] = {}
    for entry in sorted(entries, key=lambda e: e.id):
        thread, n = entry.path.strip("/").split("/")
        kept.setdefault(thread, []).append(int(n))
    for thread, ns in kept.items():
        assert ns == list(range(1000 - len(ns), 1000)), thread
    journal.resize(10)
    assert journal.query()[0] == 10
