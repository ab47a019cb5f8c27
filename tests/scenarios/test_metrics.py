"""PLG metrics from per-workspace facts: each number follows from the facts by its definition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scenarios.journeys import ScenarioRun
from scenarios.metrics import AccountFacts, Behaviour, compute, funnel, journey, model_quality, pqls_by_week, \
    revenue, time_to_value, workflow_outcomes
from scenarios.model import load_scenario

T0 = datetime(2026, 3, 2, tzinfo=UTC)
H = timedelta(hours=1)
D = timedelta(days=1)


def facts(name="a", segment="team", **kw) -> AccountFacts:
    return AccountFacts(name, segment, True, kw.pop("signed_up", T0), **kw)


def test_the_funnel_counts_each_step_with_next_step_and_cumulative_conversion():
    accounts = [facts("a"), facts("b", activated=T0 + H), facts("c", activated=T0 + H, pql=T0 + D),
                facts("d", activated=T0 + H, pql=T0 + D, accepted=T0 + 2 * D, upgraded=T0 + 5 * D)]
    rows = {r["step"]: r for r in funnel(accounts)}
    assert [r["count"] for r in rows.values()] == [4, 3, 2, 1, 1]
    assert rows["PQL"]["from_previous"] == pytest.approx(2 / 3, abs=1e-4)
    assert rows["customer"]["from_previous"] == 1.0 and rows["customer"]["cumulative"] == 0.25


def test_pqls_are_counted_in_the_week_they_happened():
    weeks = pqls_by_week([facts(pql=T0 + D), facts(pql=T0 + 8 * D), facts(pql=T0 + 9 * D), facts()],
                         T0, T0 + 14 * D)
    assert [w["pqls"] for w in weeks] == [1, 2]
    assert weeks[1]["starts"] == "2026-03-09"


def test_time_to_value_bands_and_median():
    ttv = time_to_value([facts(activated=T0 + 0.5 * H), facts(activated=T0 + 30 * H), facts(activated=T0 + 50 * H),
                         facts()])
    assert ttv["activated"] == 3 and ttv["median_hours"] == 30.0
    assert {b["band"]: b["count"] for b in ttv["distribution"]}["1-3 days"] == 2


def test_the_journey_in_order_needs_each_stage_after_the_last_any_order_does_not():
    early_pricing = facts(journey={"signed_up": [T0], "trial_started": [T0 + H],
                                   "onboarding_completed": [T0 + 2 * H], "key_feature_used": [T0 + 3 * H],
                                   "teammate_invited": [T0 + 4 * H], "pricing_page_viewed": [T0]})
    again_later = facts(journey={**early_pricing.journey, "pricing_page_viewed": [T0, T0 + 5 * H]})
    rows = {r["stage"]: r for r in journey([early_pricing, again_later])}
    assert rows["teammate_invited"] == {"stage": "teammate_invited", "in_order": 2, "any_order": 2}
    assert rows["pricing_page_viewed"] == {"stage": "pricing_page_viewed", "in_order": 1, "any_order": 2}


def test_speed_to_lead_is_pql_to_first_task_and_conversion_splits_by_the_reps_response():
    minute = timedelta(minutes=1)
    accounts = [facts(pql=T0, notified=T0 + 10 * minute, accepted=T0 + 12 * minute, upgraded=T0 + D, tasks=1),
                facts(pql=T0, notified=T0 + 5 * H, accepted=T0 + 6 * H, tasks=1), facts(pql=T0, notifications=0)]
    flows = workflow_outcomes(accounts)
    assert flows["tasks"] == 2 and flows["speed_to_lead_median_minutes"] == 155.0
    assert flows["rep_response_median_minutes"] == 186.0
    bands = {r["speed"]: (r["pqls"], r["customers"]) for r in flows["conversion_by_speed"]}
    assert bands == {"within 15 min": (1, 1), "within 1 h": (0, 0), "within 8 h": (1, 0), "later": (0, 0),
                     "never": (1, 0)}


def test_revenue_counts_only_customers_who_were_pqls_first():
    led = facts(pql=T0, upgraded=T0 + D, arr=3600.0, deal_created=T0 + H, deal_won=T0 + 3 * D)
    self_serve = facts(upgraded=T0 + D, arr=1000.0)
    lost = facts(pql=T0, deal_created=T0 + H)
    money = revenue([led, self_serve, lost])
    assert money["net_new_arr"] == 3600.0 and money["all_customers_arr"] == 4600.0
    assert money["win_rate"] == 0.5 and money["deal_velocity_median_days"] == pytest.approx(2.96, abs=0.01)


def test_model_precision_recall_and_lead_time_against_the_truth():
    model = model_quality([facts(pql=T0, upgraded=T0 + 4 * D), facts(pql=T0), facts(upgraded=T0 + D),
                           facts(pql=T0 + 2 * D, upgraded=T0 + D)])
    assert model["precision"] == pytest.approx(2 / 3, abs=1e-4)  # 2 of 3 flagged bought
    assert model["recall"] == pytest.approx(1 / 3, abs=1e-4)  # flagged *before* buying: 1 of 3
    assert model["median_lead_days"] == 4.0


def test_behaviour_folds_a_run_into_workspaces_that_agree_with_its_truth():
    run = ScenarioRun(load_scenario("plg-default"), users=300, days=10, seed=5, start=T0)
    behaviour = Behaviour()
    for event in run.run():
        behaviour.observe(event)
    truth = run.ground_truth()
    accounts = behaviour.with_truth(truth)
    assert len(accounts) == len(truth.accounts) == 300
    upgraded = {a.account for a in truth.accounts if a.upgraded_at}
    assert {a.account for a in accounts if a.upgraded} == upgraded
    owners = {u.account: u for u in truth.users if u.role == "owner"}
    for account in accounts:
        reached = owners[account.account].stages.get("activated")
        assert account.activated is None or reached is None or account.activated <= reached
    metrics = compute(accounts, start=run.start, end=run.end)
    assert metrics["funnel"][0]["count"] == 300
    assert metrics["funnel"][4]["count"] == len(upgraded)
