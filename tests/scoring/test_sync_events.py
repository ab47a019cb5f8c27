"""Custom behavioral events through the sync: every event acknowledged by HubSpot (counted through
/events/v3/events) or dead-lettered with HubSpot's reason, exactly once under faults."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from tests.scoring.conftest import T0, make_client, occurrence_ids, world

pytestmark = pytest.mark.hubspot(frozen_at="2026-03-02T09:00:00Z")


def test_every_event_is_acknowledged_or_dead_lettered_and_a_poison_event_blocks_nobody(hubspot_sim, make_sync):
    sync = make_sync(send_events=True)
    names = sync.ensure_schema()
    assert names["trial_started"].startswith("pe") and names["trial_started"].endswith("_trial_started")
    people, accounts, events = world(12)
    poison = events.add(people[3], "pricing_page_viewed", T0 + timedelta(hours=5), plan="x" * 300)  # over 256
    sync.add_profiles(people, accounts)
    sync.push(events.rows, T0 + timedelta(days=3))
    [letter] = sync.outbox.dead_letters("event")
    assert letter.key == poison["id"]
    assert letter.reason.startswith("400 VALIDATION_ERROR")
    assert sync.outbox.event_counts() == {"pending": 0, "sent": len(events.rows) - 1, "dead": 1, "local": 0}
    arrived = occurrence_ids(hubspot_sim)
    assert sorted(arrived) == sorted(r["id"] for r in events.rows if r is not poison)
    assert sync.summary.events_sent == len(events.rows) - 1 and sync.summary.events_dead == 1


def test_with_faults_on_the_event_sends_every_event_arrives_exactly_once(hubspot_sim, make_sync):
    for rule in ({"action": {"status": 503}, "probability": 0.2, "seed": 3},
                 {"action": {"reset": True}, "probability": 0.1, "seed": 4},
                 {"action": {"hang": True, "hangMs": 1500}, "times": 1},
                 {"action": {"status": 502, "afterApply": True}, "times": 3}):
        hubspot_sim.faults.add(match={"method": "POST", "path": "/events/v3/send/batch"}, **rule)
    sync = make_sync(client=make_client(hubspot_sim, timeout=0.5, max_attempts=10), send_events=True)
    sync.ensure_schema()
    people, accounts, events = world(20)
    sync.add_profiles(people, accounts)
    for k in range(0, len(events.rows), 25):  # many small sends
        sync.push(events.rows[k:k + 25], T0 + timedelta(days=3))
    fired = [r["fired"] for r in hubspot_sim.faults.rules()]
    assert all(fired), fired
    hubspot_sim.faults.clear()
    arrived = Counter(occurrence_ids(hubspot_sim))
    assert set(arrived) == {r["id"] for r in events.rows}
    assert max(arrived.values()) == 1
    assert sync.outbox.event_counts()["sent"] == len(events.rows)


def test_replayed_dead_letters_go_through_once_the_cause_is_gone(hubspot_sim, make_sync):
    sync = make_sync(send_events=True)
    sync.ensure_schema()
    people, accounts, events = world(3)
    sync.add_profiles(people, accounts)
    hubspot_sim.faults.add(match={"method": "POST", "path": "/events/v3/send/batch"},
                           action={"status": 400}, times=100)
    sync.push(events.rows, T0 + timedelta(days=3))
    assert len(sync.outbox.dead_letters("event")) == len(events.rows)
    hubspot_sim.faults.clear()
    assert sync.replay_dead_letters(T0 + timedelta(days=3)) == len(events.rows)
    assert sorted(occurrence_ids(hubspot_sim)) == sorted(r["id"] for r in events.rows)
    assert sync.outbox.dead_letters() == []
