"""The sync under fire: 503s, connection resets, hangs past the timeout, writes that land while the client sees an
error, and rate limits. Everything still arrives once; the limits are never overrun."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.scoring.conftest import T0, SimTime, make_client, world

pytestmark = pytest.mark.hubspot(frozen_at="2026-03-02T09:00:00Z")

FAULTS = [
    {"match": {"method": "POST", "path": "/crm/v3/objects/*/batch/upsert"}, "action": {"status": 503},
     "probability": 0.1, "seed": 1},
    {"match": {"method": "POST", "path": "/crm/*"}, "action": {"reset": True}, "probability": 0.05, "seed": 2},
    {"match": {"method": "POST", "path": "/crm/v3/objects/contacts/batch/upsert"},
     "action": {"hang": True, "hangMs": 1500}, "times": 1},
    {"match": {"method": "POST", "path": "/crm/v3/objects/*/batch/upsert"},
     "action": {"status": 502, "afterApply": True}, "times": 3},
    {"match": {"method": "POST", "path": "/crm/v4/associations/*"},
     "action": {"status": 500, "afterApply": True}, "times": 2},
]


def search_all(portal, object_type: str, prop: str) -> list[str]:
    with portal.client() as http:
        answer = http.post(f"/crm/v3/objects/{object_type}/search", json={"limit": 200, "properties": [prop]}).json()
    return sorted(r["properties"][prop] for r in answer["results"])


def test_with_faults_injected_every_record_lands_exactly_once(hubspot_sim, make_sync):
    for rule in FAULTS:
        hubspot_sim.faults.add(**rule)
    sync = make_sync(client=make_client(hubspot_sim, timeout=0.5))
    sync.ensure_schema()
    people, accounts, events = world(30)
    sync.add_profiles(people, accounts)
    by_day: dict[str, list[dict]] = {}
    for row in events.rows:
        by_day.setdefault(row["timestamp"][:13], []).append(row)  # an hour at a time: many small batches
    for hour, rows in sorted(by_day.items()):
        sync.push(rows, T0 + timedelta(days=3))
    fired = {r["action"].get("status") or next(k for k in ("reset", "hang") if r["action"].get(k)): r["fired"]
             for r in hubspot_sim.faults.rules()}
    assert all(count > 0 for count in fired.values()), fired
    hubspot_sim.faults.clear()
    assert sync.outbox.dead_letters() == []
    assert search_all(hubspot_sim, "contacts", "email") == sorted(p["email"] for p in people)
    assert search_all(hubspot_sim, "companies", "domain") == sorted(a["domain"] for a in accounts)
    assert set(search_all(hubspot_sim, "contacts", "pql_score")) == {"88"}
    with hubspot_sim.client() as http:
        for who in people:
            got = http.get(f"/crm/v3/objects/contacts/{who['email']}",
                           params={"idProperty": "email", "associations": "companies"}).json()
            companies = {r["id"] for r in got["associations"]["companies"]["results"]}
            assert len(companies) == 1
    assert sync.client.stats.retries >= sum(fired.values())


def test_the_sync_keeps_under_the_ten_second_allowance(hubspot_sim, make_sync):
    hubspot_sim.settings(tier="starter")  # 100 requests per 10 s
    sim_time = SimTime(hubspot_sim)
    sync = make_sync(client=make_client(hubspot_sim, sim_time, ten_secondly=100))
    sync.ensure_schema()
    people, accounts, events = world(40)
    sync.add_profiles(people, accounts)
    for row in events.rows:  # one event a push: the most requests this data can make
        sync.push([row], T0 + timedelta(days=3))
    usage = hubspot_sim.usage()["policies"]["tenSecondly"]
    assert usage["accepted"] > 150  # enough to need two windows
    assert usage["peak"] <= 100
    assert usage["rejected"] == 0
    assert sim_time.offset >= 10  # the limiter waited (on hubsim's clock) rather than being refused


def test_a_shared_budget_429_is_waited_out_not_dropped(hubspot_sim, make_sync):
    hubspot_sim.settings(tier="starter")
    sim_time = SimTime(hubspot_sim)
    sync = make_sync(client=make_client(hubspot_sim, sim_time, ten_secondly=100, budget=1.5))  # thinks it has 150
    sync.ensure_schema()
    people, accounts, events = world(40)
    sync.add_profiles(people, accounts)
    for row in events.rows:
        sync.push([row], T0 + timedelta(days=3))
    usage = hubspot_sim.usage()["policies"]["tenSecondly"]
    assert usage["peak"] <= 100 and usage["rejected"] > 0
    assert sync.client.stats.throttled == usage["rejected"]
    assert usage["rejected"] / (usage["accepted"] + usage["rejected"]) < 0.05
    assert search_all(hubspot_sim, "contacts", "email") == sorted(p["email"] for p in people)
