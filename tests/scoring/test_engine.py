"""The scoring engine: the guide's worked examples, decay against caps, hysteresis, floors, explanations, and the
incremental scorer agreeing with the pure function."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from scoring.engine import TRIM_SLACK, Event, Scorer, score, to_seconds
from scoring.scores import account_score
from scoring.model import ScoreModel, load_model, parse

T0 = datetime(2026, 3, 2, tzinfo=UTC)
PLG = load_model()
ICP_VP = {"job_title": "VP of Engineering", "industry": "INTERNET", "employees": 120, "region": "emea",
          "email_domain": "acme.io"}


def days(n: float) -> datetime:
    return T0 + timedelta(days=n)


def model(groups: list[dict], **extra) -> ScoreModel:
    raw = {"name": "t", "total": {"min": -100, "max": 100}, "fit": {"scale": 100}, "engagement": {"scale": 100},
           "weights": {"fit": 0.0}, "stages": [{"name": "cold", "min": -100}, {"name": "mql", "min": 40},
                                               {"name": "pql", "min": 70}], "groups": groups}
    return parse(ScoreModel, raw | extra)


def logins(n: int, at: datetime) -> list[Event]:
    return [Event("logged_in", at + timedelta(minutes=k)) for k in range(n)]


def test_an_icp_vp_who_activated_and_invited_the_team_is_a_pql_with_reasons():
    events = [Event("trial_started", days(0)), Event("key_feature_used", days(1), {"feature": "dashboards"}),
              Event("teammate_invited", days(2)), Event("teammate_invited", days(2)), *logins(5, days(3))]
    result = score(ICP_VP, events, days(4), model=PLG)
    # fit 15 + 20 + 20 + 10 = 65, clamped to 60 -> 100; engagement 20 + 25 + 15 + 20 = 80
    assert (result.fit, result.engagement) == (100.0, 80.0)
    assert result.total == 0.4 * 100 + 0.6 * 80 == 88
    assert (result.stage, result.grade) == ("pql", "A1")
    assert result.reasons == "+25 key feature used | +20 ideal industry | +20 5 logins in 7d | +20 100-500 employees"


def test_a_competitor_with_full_engagement_is_not_even_an_mql():
    events = [Event("trial_started", days(0)), Event("key_feature_used", days(1)), *logins(5, days(1)),
              Event("usage_limit_approached", days(2))]
    rival = {"job_title": "Growth Marketer", "email_domain": "rivalytics.io", "region": "north_america"}
    result = score(rival, events, days(2), model=PLG)
    assert result.engagement == 85
    assert result.fit == pytest.approx(100 * (10 - 100) / 60)
    assert result.total == 0  # 0.4 x -150 + 0.6 x 85 = -9, floored by the total's minimum
    assert result.stage == "nurture"
    assert result.reasons.startswith("-100 competitor domain")


def test_disqualifiers_are_floored_by_their_group_and_the_total_by_its_minimum():
    student_rival = {"job_title": "PhD Student", "email_domain": "leadlark.com"}
    result = score(student_rival, [], days(0), model=PLG)
    disqualifiers = next(g for g in result.groups if g.name == "Disqualifiers")
    assert (disqualifiers.raw, disqualifiers.value, disqualifiers.capped) == (-150, -100, True)
    assert result.total == 0  # total min 0: HubSpot's old "never below 0"
    assert "group Disqualifiers floored at -100 (from -150)" in result.caps
    assert "total floored at 0 (from -66.67)" in result.caps


def test_decay_is_per_occurrence_step_by_default_as_hubspot_words_it():
    # KB: "a form worth 10 points with 50% every month is worth 5 points one month later"
    m = model([{"name": "e", "category": "engagement", "decay": {"percent": 50, "every_days": 30},
                "rules": [{"id": "form", "label": "form", "points": 10, "event": {"name": "form"}}]}])
    at = [score({}, [Event("form", days(0))], days(d), model=m).engagement for d in (0, 29, 30, 59, 60, 365)]
    assert at == [10, 10, 5, 5, 0, 0]


@pytest.mark.parametrize("curve, expected", [("linear", [10, 7.5, 5, 0]), ("half_life", [10, 7.07, 5, 2.5])])
def test_other_decay_curves(curve, expected):
    m = model([{"name": "e", "category": "engagement", "decay": {"percent": 50, "every_days": 30, "curve": curve},
                "rules": [{"id": "form", "label": "form", "points": 10, "event": {"name": "form"}}]}])
    at = [score({}, [Event("form", days(0))], days(d), model=m).engagement for d in (0, 15, 30, 60)]
    assert at == pytest.approx(expected, abs=0.01)


def cliff_model(cap_before_decay: bool) -> ScoreModel:
    return model([{"name": "usage", "category": "engagement", "max": 40, "cap_before_decay": cap_before_decay,
                   "decay": {"percent": 50, "every_days": 30},
                   "rules": [{"id": "login", "label": "login", "points": 10, "count": "per_occurrence",
                              "event": {"name": "logged_in"}}]}])


def test_a_group_cap_hides_decay_until_a_cliff():
    # Reference notes §A3: 10 logins x 10 points, cap 40, 50%/month: 40, still 40 a month later, then 0.
    m = cliff_model(False)
    events = logins(10, T0 - timedelta(minutes=10))
    assert [score({}, events, days(d), model=m).engagement for d in (0, 30, 60)] == [40, 40, 0]


def test_capping_before_decay_falls_smoothly_instead():
    m = cliff_model(True)
    events = logins(10, T0 - timedelta(minutes=10))
    assert [score({}, events, days(d), model=m).engagement for d in (0, 30, 60)] == [40, 20, 0]


def test_a_count_over_a_window_expires_with_time():
    events = logins(5, days(0))
    assert score({}, events, days(6.9), model=PLG).rules[3].value == 20
    assert score({}, events, days(7.1), model=PLG).rules[3].value == 0
    assert score({}, logins(4, days(0)), days(1), model=PLG).rules[3].value == 0


def test_inactivity_subtracts_after_thirty_idle_days():
    events = [Event("trial_started", days(0))]
    assert score({}, events, days(29), model=PLG).engagement == 20
    late = score({}, events, days(31), model=PLG)
    assert late.engagement == 0 and "-20 inactive 30+ days" in late.reasons


def test_event_filters_on_properties():
    m = model([{"name": "e", "category": "engagement", "rules": [
        {"id": "big", "label": "90%+ of a limit", "points": 30,
         "event": {"name": "usage_limit_approached", "where": {"usage_pct": [90, 100]}}}]}])
    assert score({}, [Event("usage_limit_approached", days(0), {"usage_pct": 80})], days(1), model=m).total == 0
    assert score({}, [Event("usage_limit_approached", days(0), {"usage_pct": 90})], days(1), model=m).total == 30


def test_hysteresis_keeps_a_pql_until_the_score_falls_below_the_exit():
    m = parse(ScoreModel, load_model().model_dump() | {"hysteresis": 10})
    scorer = Scorer(m)
    scorer.set_profile("a", ICP_VP)
    for event in [Event("trial_started", days(0)), Event("key_feature_used", days(0)), *logins(5, days(0))]:
        scorer.observe("a", event.name, to_seconds(event.at), event.properties)
    assert (scorer.explain("a", to_seconds(days(1))).total, scorer.explain("a", to_seconds(days(1))).stage) == (
        79, "pql")
    # A week on the logins leave their window: 40 + 0.6 x 45 = 67, below 70 but above the exit at 60.
    assert (scorer.explain("a", to_seconds(days(8))).total, scorer.explain("a", to_seconds(days(8))).stage) == (
        67, "pql")
    assert score(ICP_VP, [Event("trial_started", days(0)), Event("key_feature_used", days(0))], days(8),
                 model=m).stage == "mql"  # without history, 67 is an MQL
    assert scorer.sweep(to_seconds(days(40))) == ["a"]  # 30 idle days: -20, so 40 + 0.6 x 25 = 55
    result = scorer.explain("a", to_seconds(days(40)))
    assert result.total < 60 and result.stage == "mql"


def test_previous_stage_feeds_hysteresis_in_the_pure_function():
    events = [Event("trial_started", days(0)), Event("key_feature_used", days(0))]
    assert score(ICP_VP, events, days(8), model=PLG, previous_stage="pql").stage == "pql"


def test_the_incremental_scorer_agrees_with_the_pure_function_as_time_passes():
    rng = random.Random(7)
    names = ["logged_in", "pricing_page_viewed", "key_feature_used", "teammate_invited", "content_downloaded",
             "webinar_attended", "usage_limit_approached", "trial_started"]
    profiles = {f"u{k}": {"job_title": rng.choice(["VP Sales", "Engineer", "Student"]),
                          "industry": rng.choice(["INTERNET", "RETAIL"]), "employees": rng.choice([10, 150, 700]),
                          "region": rng.choice(["emea", "apac"])} for k in range(20)}
    stream = sorted(((days(rng.uniform(0, 200)), rng.choice(list(profiles)), rng.choice(names))
                     for _ in range(1500)), key=lambda e: e[0])
    scorer = Scorer(PLG)
    for key, profile in profiles.items():
        scorer.set_profile(key, profile)
    history: dict[str, list[Event]] = {key: [] for key in profiles}
    checkpoints = [days(d) for d in (30, 61.5, 100, 180, 260)]
    for at, key, name in stream:
        while checkpoints and at > checkpoints[0]:
            now = checkpoints.pop(0)
            scorer.sweep(to_seconds(now))
            for k in profiles:
                expected = score(profiles[k], history[k], now, model=PLG)
                assert scorer.current(k).total == pytest.approx(expected.total, abs=0.01), (k, now)
        scorer.observe(key, name, to_seconds(at))
        history[key].append(Event(name, at))
    for now in checkpoints:
        scorer.sweep(to_seconds(now))
        for k in profiles:
            assert scorer.current(k).total == pytest.approx(score(profiles[k], history[k], now, model=PLG).total, abs=0.01)


def test_the_sweep_names_the_contacts_whose_score_moved():
    scorer = Scorer(PLG)
    for key in ("a", "b"):
        scorer.set_profile(key, {})
    scorer.observe("a", "trial_started", to_seconds(days(0)))
    scorer.observe("b", "trial_started", to_seconds(days(50)))
    assert scorer.sweep(to_seconds(days(20))) == []
    assert scorer.sweep(to_seconds(days(31))) == ["a"]  # inactive 30 days
    assert scorer.current("a").total == 0


def test_an_account_scores_company_fit_and_its_users_engagement():
    result = account_score(PLG, {"industry": "INTERNET", "employees": 150, "region": "emea"}, [40, 30])
    assert (result.fit, result.engagement) == (pytest.approx(83.33), 70)
    assert result.total == pytest.approx(0.4 * 83.333 + 0.6 * 70, abs=0.01)
    assert result.stage == "pql"


def test_the_scorer_holds_only_the_occurrences_that_can_still_change_a_score():
    # Per-occurrence rules clamped by the rule (step decay with odd steps, a window, a floor) and `once` rules:
    # the scorer that forgets what cannot matter any more agrees, rule by rule, with one that keeps everything.
    groups = [{"name": "g", "category": "engagement", "decay": {"percent": 30, "every_days": 20}, "rules": [
                  {"id": "view", "label": "view", "points": 4, "count": "per_occurrence", "max": 30,
                   "event": {"name": "view"}},
                  {"id": "spam", "label": "spam", "points": -3, "count": "per_occurrence", "min": -10,
                   "event": {"name": "spam"}},
                  {"id": "key", "label": "key", "points": 25, "event": {"name": "key"}},
                  {"id": "pair", "label": "pair", "points": 10, "event": {"name": "invite", "min_count": 2}}]},
              {"name": "w", "category": "engagement", "rules": [
                  {"id": "recent", "label": "recent", "points": 5, "count": "per_occurrence", "max": 20,
                   "event": {"name": "view", "within_days": 9}}]}]
    m = model(groups)
    lean, full = Scorer(m), Scorer(m)
    for spec in full._c.specs:
        spec.keep = 0
    rng = random.Random(3)
    bursts, start = [], 0.0
    while start < 300:  # bursts of activity and quiet spells, so the newest occurrences decay while older count
        bursts.append(start)
        start += rng.uniform(5, 50)
    stream = sorted((days(b + rng.uniform(0, 2)), rng.choice(["view", "view", "spam", "key", "invite"]))
                    for b in bursts for _ in range(rng.randint(5, 150)))
    checkpoints = [days(d / 2) for d in range(1, 680)]
    for at, name in stream:
        while checkpoints and at > checkpoints[0]:
            now = to_seconds(checkpoints.pop(0))
            lean.sweep(now), full.sweep(now)
            got, want = lean.explain("c", now), full.explain("c", now)
            assert [r.value for r in got.rules] == pytest.approx([r.value for r in want.rules]), now
            assert got.total == pytest.approx(want.total)
        lean.observe("c", name, to_seconds(at))
        full.observe("c", name, to_seconds(at))
    rules = m.groups[0].rules + m.groups[1].rules
    held = {r.id: len(t) for r, t in zip(rules, lean.current("c").times)}
    # 30% steps leave 10% as the smallest share: ceil(30 / (4 x 0.1)) = 75 views, ceil(10 / (3 x 0.1)) = 34 spams;
    # one key use, two invites; trimmed when TRIM_SLACK more have piled up.
    keep = {r.id: spec.keep for r, spec in zip(rules, lean._c.specs)}
    assert keep == {"view": 75, "spam": 34, "key": 1, "pair": 2, "recent": 4}
    assert all(held[r] <= keep[r] + TRIM_SLACK for r in keep), held
    assert sum(len(t or []) for t in full.current("c").times) > 2 * sum(held.values())  # the one that keeps all
    counted = {r.id: r.occurrences for r in lean.explain("c", to_seconds(days(320))).rules}
    assert counted["key"] == sum(name == "key" for _, name in stream)  # `once` rules still count every occurrence
