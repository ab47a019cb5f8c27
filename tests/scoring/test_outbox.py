"""The outbox: events recorded before they are sent, states that survive reopening, dead letters to replay."""

from __future__ import annotations

from scoring.outbox import Outbox


def test_events_are_recorded_pending_and_survive_a_reopen(tmp_path):
    path = tmp_path / "outbox.sqlite"
    first = Outbox(path)
    assert first.record_events([("e1", {"n": 1}), ("e2", {"n": 2}), ("e3", None)]) == {
        "e1": "new", "e2": "new", "e3": "new"}
    assert first.record_events([("e1", {"n": 1})]) == {"e1": "repeat"}  # the same run saw it already
    assert first.pending_events(10) == [("e1", {"n": 1}), ("e2", {"n": 2})]
    first.mark_sent(["e1"])
    first.close()  # no clean shutdown is needed: every call committed
    second = Outbox(path)
    assert second.run == 2
    assert second.record_events([("e1", {"n": 1}), ("e2", {"n": 2}), ("e3", None), ("e4", {"n": 4})]) == {
        "e1": "replay", "e2": "unsent", "e3": "replay", "e4": "new"}
    assert [i for i, _ in second.pending_events(10)] == ["e2", "e4"]
    assert second.event_counts() == {"pending": 2, "sent": 1, "dead": 0, "local": 1}


def test_acknowledged_properties_merge_and_ids_are_kept(tmp_path):
    outbox = Outbox(tmp_path / "o.sqlite")
    outbox.acknowledge("contact", {"a@x.io": {"pql_score": "10", "trial_status": "Active"}}, {"a@x.io": "101"})
    outbox.acknowledge("contact", {"a@x.io": {"pql_score": "20"}})
    assert outbox.written("contact", "a@x.io") == {"pql_score": "20", "trial_status": "Active"}
    assert outbox.ids_many("contact", ["a@x.io", "b@x.io"]) == {"a@x.io": "101"}


def test_dead_letters_are_inspectable_and_replayable(tmp_path):
    outbox = Outbox(tmp_path / "o.sqlite")
    outbox.record_events([("e1", {"n": 1})])
    outbox.mark_dead("e1", "400 VALIDATION_ERROR: too long")
    outbox.bury("company", "bad.io", {"properties": {"industry": "X"}}, "400 VALIDATION_ERROR: X was not one")
    letters = outbox.dead_letters()
    assert [(d.kind, d.key, d.reason) for d in letters] == [
        ("event", "e1", "400 VALIDATION_ERROR: too long"), ("company", "bad.io", "400 VALIDATION_ERROR: X was not one")]
    assert outbox.dead_keys("company", ["bad.io", "ok.io"]) == {"bad.io"}
    assert outbox.revive_events() == 1
    outbox.forget_dead([("company", "bad.io")])
    assert outbox.dead_letters() == [] and outbox.pending_events(5) == [("e1", {"n": 1})]
    outbox.bury("company", "bad.io", {"properties": {"industry": "X"}}, "400")
    outbox.acknowledge("company", {"bad.io": {"industry": "Y"}})  # HubSpot took it after all: no longer dead
    assert outbox.dead_letters() == []
