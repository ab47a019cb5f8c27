"""The runner: a scenario played step by step into a sink, with hubsim's clock kept at each step's end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from scenarios.journeys import ScenarioRun
from scenarios.model import load_scenario
from scenarios.output import generate
from scenarios.runner import PortalClock, Player

START = datetime(2026, 3, 2, tzinfo=UTC)


class Recorder:
    """A sink that remembers what it was handed, and when the portal's clock said it was."""

    def __init__(self, api: httpx.Client | None = None) -> None:
        self.api, self.schema, self.pushes, self.sweeps = api, 0, [], []
        self.users, self.accounts, self.flushed = [], [], []

    def ensure_schema(self):
        self.schema += 1

    def add_profiles(self, users=(), accounts=()):
        self.users += [u["user"] for u in users]
        self.accounts += [a["account"] for a in accounts]

    def flush(self, now):
        self.flushed.append(now)

    def push(self, events, now):
        portal_now = self.api.get("/_sim/clock").json()["now"] if self.api else None
        self.pushes.append((now, list(events), portal_now))

    def sweep(self, now):
        self.sweeps.append(now)


def _run(days=3, users=40):
    return ScenarioRun(load_scenario("plg-default"), users=users, days=days, seed=3, start=START)


def test_every_event_is_pushed_once_in_its_own_window_with_now_at_the_window_end(api):
    sink = Recorder(api)
    Player(sink, clock=PortalClock(api), step=timedelta(hours=6)).play_run(_run())
    expected = [e.as_dict() for e in _run().run()]
    assert [e for _, batch, _ in sink.pushes for e in batch] == expected
    for now, batch, portal_now in sink.pushes:
        stamps = {datetime.fromisoformat(e["timestamp"]) for e in batch}
        assert all(now - timedelta(hours=6) <= t < now for t in stamps)
        assert datetime.fromisoformat(portal_now) == now  # the portal's clock was there first
    assert sink.schema == 1


def test_a_sweep_runs_once_a_simulated_day(api):
    sink = Recorder(api)
    Player(sink, clock=PortalClock(api), step=timedelta(hours=5)).play_run(_run(days=3))
    assert len(sink.sweeps) == 2  # after 25 h and 50 h; 3 days end at 72 h, which is 22 h after the last
    assert all(b - a >= timedelta(days=1) for a, b in zip(sink.sweeps, sink.sweeps[1:]))


def test_interventions_act_before_each_step_with_the_run_and_clock_at_its_start(api):
    seen = []

    class Watcher:
        def before_step(self, start, end, run, clock):
            seen.append((start, end, run.now, clock.now))

    Player(Recorder(), clock=PortalClock(api), step=timedelta(hours=12)).play_run(_run(days=1),
                                                                                      interventions=Watcher())
    assert seen == [(START, START + timedelta(hours=12), START, START),
                    (START + timedelta(hours=12), START + timedelta(days=1), START + timedelta(hours=12),
                     START + timedelta(hours=12))]


def test_a_generated_folder_replays_the_same_events_as_the_live_run(tmp_path):
    generate(load_scenario("plg-default"), tmp_path, users=40, days=3, seed=3, start=START)
    from_folder = Recorder()
    Player(from_folder, step=timedelta(hours=6)).play_folder(tmp_path)
    live = Recorder()
    Player(live, step=timedelta(hours=6)).play_run(_run())
    assert [(now, batch) for now, batch, _ in from_folder.pushes] == [(now, batch) for now, batch, _ in live.pushes]


def test_a_damaged_events_file_names_its_line(tmp_path):
    generate(load_scenario("plg-default"), tmp_path, users=5, days=1, seed=3, start=START)
    with open(tmp_path / "events.jsonl", "a", encoding="utf-8") as file:
        file.write("{not json\n")
    with pytest.raises(ValueError, match=r"events.jsonl:\d+: not a JSON line"):
        Player(Recorder()).play_folder(tmp_path)


def test_profiles_reach_the_sink_before_the_signups_events_and_the_end_is_flushed():
    sink, run = Recorder(), _run()
    pushed_users = []

    def push(events, now):
        pushed_users.extend(e["user"] for e in events if e["user"] not in pushed_users)
        assert set(pushed_users) <= set(sink.users)  # every user whose events arrive has a profile already

    sink.push = push
    Player(sink, step=timedelta(hours=6)).play_run(run)
    assert sink.users == [u["user"] for u in run.users()]
    assert sink.accounts == [a["account"] for a in run.accounts()]
    assert sink.flushed == [run.end]


def test_a_folder_hands_over_its_profiles_first(tmp_path):
    generate(load_scenario("plg-default"), tmp_path, users=10, days=1, seed=3, start=START)
    sink = Recorder()
    Player(sink).play_folder(tmp_path)
    assert len(sink.users) >= 10 and len(sink.accounts) == 10
    assert sink.flushed == [START + timedelta(days=1)]
