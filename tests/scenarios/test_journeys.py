"""The steppable journey model: streaming order, determinism, calibration against the analytic funnel,
realistic timing, teammates, billing events, interventions and shocks."""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from scenarios.funnel import funnel, mixture_funnel
from scenarios.journeys import ScenarioRun
from scenarios.model import STAGES, load_scenario

START = datetime(2026, 3, 2, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def month(plg):
    """1,500 signups over 30 days and everything they did, with the run kept for profiles and truth."""
    run = ScenarioRun(plg, users=1500, days=30, seed=7, start=START)
    return run, list(run.run())


def lines(run: ScenarioRun) -> list[str]:
    return [event.to_json() for event in run.run()]


def test_events_stream_in_time_order_within_the_period(month):
    run, events = month
    stamps = [event.epoch_ms for event in events]
    assert stamps == sorted(stamps)
    assert START <= events[0].timestamp and events[-1].timestamp < START + timedelta(days=30)


def test_the_stream_is_lazy_and_holds_only_what_has_happened(plg):
    run = ScenarioRun(plg, users=2000, days=30, seed=7, start=START)
    first = next(iter(run.run()))
    assert run.now == first.timestamp < START + timedelta(days=1)
    assert len(run.ground_truth().users) < 10


def test_exactly_the_requested_signups_arrive_each_with_one_account(month):
    run, events = month
    owners = [e for e in events if e.event == "signed_up" and e.properties["source"] == "organic"]
    assert len(owners) == 1500 == len(list(run.accounts())) == len({e.account for e in owners})


def test_signups_arrive_on_weekdays_more_than_at_weekends(month):
    run, _ = month
    created = [datetime.fromisoformat(account["created_at"]) for account in run.accounts()]
    assert sum(moment.weekday() >= 5 for moment in created) / len(created) < 0.17  # 2/7 if the week were flat


def test_the_same_seed_gives_the_same_stream_and_another_seed_another(plg):
    first = lines(ScenarioRun(plg, users=200, days=5, seed=1, start=START))
    assert lines(ScenarioRun(plg, users=200, days=5, seed=1, start=START)) == first
    assert lines(ScenarioRun(plg, users=200, days=5, seed=2, start=START)) != first


def test_stepping_day_by_day_or_in_odd_steps_gives_the_one_shot_stream(plg):
    one_shot = lines(ScenarioRun(plg, users=300, days=6, seed=3, start=START))
    daily = ScenarioRun(plg, users=300, days=6, seed=3, start=START)
    by_day = [event.to_json() for _ in range(6) for event in daily.step_day()]
    odd = ScenarioRun(plg, users=300, days=6, seed=3, start=START)
    by_odd = [event.to_json() for hours in range(7, 6 * 24 + 7, 7)
              for event in odd.advance(min(START + timedelta(hours=hours), odd.end))]
    assert by_day == one_shot == by_odd


def test_a_run_reads_no_wall_clock(plg, monkeypatch):
    expected = lines(ScenarioRun(plg, users=100, days=3, seed=5, start=START))
    import time

    def no_clock(*args, **kwargs):
        raise AssertionError("a scenario read the wall clock")

    class TrappedDatetime(datetime):
        now = utcnow = today = classmethod(no_clock)

    for name in ("time", "time_ns", "localtime", "gmtime", "monotonic", "perf_counter"):
        monkeypatch.setattr(time, name, no_clock)
    for module in ("scenarios.journeys", "scenarios.events", "scenarios.truth", "scenarios.timing"):
        if hasattr(__import__(module, fromlist=["x"]), "datetime"):
            monkeypatch.setattr(f"{module}.datetime", TrappedDatetime)
    assert lines(ScenarioRun(plg, users=100, days=3, seed=5, start=START)) == expected


def test_an_event_is_the_same_as_a_dict_as_json_and_owns_its_properties(month):
    run, events = month
    for event in events[:200]:
        assert json.loads(event.to_json()) == event.as_dict()
        assert datetime.fromisoformat(event.as_dict()["timestamp"]) == event.timestamp
        assert run.user(event.user)["email"] == event.email
    first, second = [e for e in events if e.event == "logged_in"][:2]
    first.properties["tampered"] = True
    assert "tampered" not in second.properties


def test_a_naive_start_is_refused(plg):
    with pytest.raises(ValueError, match="timezone"):
        ScenarioRun(plg, users=1, start=datetime(2026, 3, 2))


def wilson(successes: int, n: int, z: float = 3.89) -> tuple[float, float]:
    """Wilson score interval; z = 3.89 is two-sided 99.99%, for about forty comparisons on one seed."""
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_simulated_funnels_fall_in_a_binomial_interval_of_the_analytic_ones(plg, drained):
    owners = [u for u in drained.users if u.role == "owner"]
    groups = {name: [u for u in owners if u.segment == name] for name in plg.segments}
    expected = {name: funnel(segment).reach for name, segment in plg.segments.items()}
    groups["all signups"], expected["all signups"] = owners, mixture_funnel(plg).reach
    misses = []
    for name, users in groups.items():
        for stage in STAGES[1:]:
            low, high = wilson(sum(stage in u.stages for u in users), len(users))
            if not low <= expected[name].get(stage, 0.0) <= high:
                misses.append(f"{name} {stage}: analytic {expected[name].get(stage, 0.0):.3f} not in "
                              f"[{low:.3f}, {high:.3f}] (n={len(users)})")
    assert not misses


def test_truth_intent_is_the_analytic_upgrade_probability(plg, drained):
    for account in drained.accounts:
        assert account.intent == pytest.approx(funnel(plg.segments[account.segment]).reach["customer"])
        assert account.intent_now == (1.0 if account.upgraded_at else 0.0)  # drained: every journey decided


def test_sessions_follow_local_office_hours_and_working_days(month):
    run, events = month
    offsets = {user["user"]: user["utc_offset"] for user in run.users()}
    local = [e.timestamp + timedelta(hours=offsets[e.user]) for e in events if e.event == "logged_in"]
    office = sum(9 <= moment.hour < 18 for moment in local) / len(local)
    night = sum(moment.hour < 6 for moment in local) / len(local)
    weekend = sum(moment.weekday() >= 5 for moment in local) / len(local)
    assert office > 0.55 and night < 0.06 and weekend < 0.15  # flat would be 0.375, 0.25, 0.29


def test_users_differ_in_how_much_they_do_per_session(plg):
    def spread(scenario) -> float:
        run = ScenarioRun(scenario, users=600, days=30, seed=9, start=START)
        logins: Counter[str] = Counter()
        events: Counter[str] = Counter()
        for event in run.run():
            events[event.user] += 1
            logins[event.user] += event.event == "logged_in"
        per_session = [events[u] / (logins[u] + 1) for u in events if logins[u] >= 4]
        return statistics.stdev(per_session) / statistics.mean(per_session)

    flat = plg.model_copy(update={"sessions": plg.sessions.model_copy(update={"heterogeneity": 0.0})})
    assert spread(plg) > 1.5 * spread(flat)


def test_invited_teammates_join_the_inviters_account(month):
    run, events = month
    profiles = {user["user"]: user for user in run.users()}
    domains = {account["account"]: account["domain"] for account in run.accounts()}
    invitations = {e.properties["invitee_email"]: e for e in events if e.event == "teammate_invited"}
    teammates = [p for p in profiles.values() if p["source"] == "invited"]
    assert teammates
    for teammate in teammates:
        inviter = profiles[teammate["invited_by"]]
        invitation = invitations[teammate["email"]]
        assert teammate["account"] == inviter["account"] == invitation.account
        assert invitation.user == inviter["user"]
        assert invitation.timestamp < datetime.fromisoformat(teammate["signed_up_at"])
        if inviter["email"].split("@")[1] == domains[inviter["account"]]:
            assert teammate["email"].split("@")[1] == inviter["email"].split("@")[1]


def test_an_upgrade_is_a_billing_event_the_truth_agrees_with(plg, month):
    run, events = month
    accounts = {a.account: a for a in run.ground_truth().accounts}
    upgrades = [e for e in events if e.event == "upgraded"]
    assert upgrades
    for event in upgrades:
        plan, seats = event.properties["plan"], event.properties["seats"]
        assert event.properties["arr"] == plg.plans[plan].arr(seats) > 0
        truth = accounts[event.account]
        assert (truth.plan, truth.seats, truth.arr) == (plan, seats, event.properties["arr"])
        assert (truth.upgraded_at, truth.upgraded_by) == (event.timestamp, event.user) and event.user == truth.owner
    assert {e.account for e in upgrades} == {a for a, t in accounts.items() if t.upgraded_at}


def touched_upgrades(scenario, delay: timedelta | None) -> set[str]:
    """Upgraded accounts when sales touches each owner `delay` after their first pricing page view."""
    run = ScenarioRun(scenario, users=1500, days=30, seed=11, start=START)
    touched: set[str] = set()
    for event in run.run():
        if delay is not None and event.event == "pricing_page_viewed" and event.user.endswith("_1") \
                and event.user not in touched:
            touched.add(event.user)
            run.sales_touch(event.user, at=event.timestamp + delay)
    return {a.account for a in run.ground_truth().accounts if a.upgraded_at}


def test_a_fast_sales_touch_raises_upgrades_more_than_a_slow_one_and_never_removes_one(plg):
    untouched = touched_upgrades(plg, None)
    fast = touched_upgrades(plg, timedelta(minutes=5))
    slow = touched_upgrades(plg, timedelta(days=2))
    assert untouched <= slow and untouched <= fast  # common random numbers: a touch only turns "stay" into "buy"
    assert len(untouched) < len(slow) < len(fast)
    assert len(fast) > 1.3 * len(untouched)


def test_the_truth_records_each_touch_with_its_response_time(plg):
    run = ScenarioRun(plg, users=50, days=3, seed=4, start=START)
    event = next(iter(run.run()))
    run.sales_touch(event.user, at=event.timestamp + timedelta(minutes=10))
    for _ in run.run():
        pass
    (touch,) = next(u for u in run.ground_truth().users if u.user == event.user).sales_touches
    assert touch.at == event.timestamp + timedelta(minutes=10)
    assert touch.upgrade_multiplier == plg.touch_multiplier(touch.response_minutes) == 2.5
    assert touch.response_minutes <= 10


def test_a_touch_in_the_past_or_on_a_stranger_is_refused(plg):
    run = ScenarioRun(plg, users=50, days=3, seed=4, start=START)
    events = list(run.advance(START + timedelta(days=1)))
    with pytest.raises(ValueError, match="past"):
        run.sales_touch(events[0].user, at=events[0].timestamp)
    with pytest.raises(KeyError):
        run.sales_touch("usr_999999_1", at=run.now)


def test_a_churn_wave_churns_far_more_during_the_shock():
    def churned_in_shock(name: str) -> int:
        run = ScenarioRun(load_scenario(name), users=2000, days=19, seed=13, start=START)
        window = (START + timedelta(days=12), START + timedelta(days=19))
        return sum(e.event == "churned" and window[0] <= e.timestamp < window[1] for e in run.run())

    assert churned_in_shock("churn-wave") > 2.5 * churned_in_shock("plg-default")


def test_an_account_is_found_by_its_id_as_accounts_lists_it(month):
    run, _ = month
    listed = list(run.accounts())
    assert run.account(listed[-1]["account"]) == listed[-1]
    for unknown in ("acc_999999", "acc_000000", "usr_000001_1", "acc_"):
        with pytest.raises(KeyError):
            run.account(unknown)
