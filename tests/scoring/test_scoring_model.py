"""The scoring model file: the packaged default is the guide's tables; a bad file names the bad field."""

from __future__ import annotations

import pytest

from scoring.model import ModelError, ScoreModel, load_model, parse

BASE = {"name": "t", "total": {"min": 0, "max": 100}, "fit": {"scale": 60}, "engagement": {"scale": 100},
        "stages": [{"name": "nurture", "min": 0}, {"name": "pql", "min": 70}]}


def with_groups(*groups):
    return BASE | {"groups": list(groups)}


def test_the_default_model_carries_the_guides_tables():
    model = load_model()
    rules = {rule.id: rule for group in model.groups for rule in group.rules}
    assert {k: rules[k].points for k in ("trial_started", "key_feature", "teammates_2", "logins_5_in_7d",
                                         "usage_limit", "competitor", "student")} == {
        "trial_started": 20, "key_feature": 25, "teammates_2": 15, "logins_5_in_7d": 20, "usage_limit": 20,
        "competitor": -100, "student": -50}
    assert (rules["logins_5_in_7d"].event.min_count, rules["logins_5_in_7d"].event.within_days) == (5, 7)
    assert model.total.max == 100 and model.fit_weight == 0.4
    marketing = next(g for g in model.groups if g.name == "Marketing Engagement")
    assert marketing.max == 30 and (marketing.decay.percent, marketing.decay.every_days) == (50, 90)
    assert [(s.name, s.min) for s in model.stages] == [("nurture", 0), ("mql", 40), ("pql", 70)]


def test_a_group_with_both_a_window_and_decay_is_refused_by_name():
    group = {"name": "g", "category": "engagement", "window_days": 30, "decay": {"percent": 50, "every_days": 30},
             "rules": [{"id": "a", "label": "a", "points": 1, "event": {"name": "x"}}]}
    with pytest.raises(ModelError, match=r"groups\.0: Value error, a group has window_days or decay, not both"):
        parse(ScoreModel, with_groups(group))


def test_a_bad_field_is_named_with_its_path():
    group = {"name": "g", "category": "engagement",
             "rules": [{"id": "a", "label": "a", "points": "lots", "event": {"name": "x"}}]}
    with pytest.raises(ModelError, match=r"groups\.0\.rules\.0\.points: Input should be a valid number"):
        parse(ScoreModel, with_groups(group))


@pytest.mark.parametrize("rule, message", [
    ({"id": "a", "label": "a", "points": 1}, "exactly one of when, event, inactive_days"),
    ({"id": "a", "label": "a", "points": 1, "event": {"name": "x"}, "min": 5, "max": 1}, "min 5.0 is above max 1.0"),
    ({"id": "a", "label": "a", "points": 1, "count": "per_occurrence", "event": {"name": "x", "min_count": 2}},
     "per_occurrence takes no min_count"),
    ({"id": "Bad Id", "label": "a", "points": 1, "event": {"name": "x"}}, r"groups\.0\.rules\.0\.id"),
    ({"id": "a", "label": "a", "points": 1, "event": {"name": "x"}, "extra": 1},
     r"groups\.0\.rules\.0\.extra: Extra inputs are not permitted"),
])
def test_rule_problems(rule, message):
    with pytest.raises(ModelError, match=message):
        parse(ScoreModel, with_groups({"name": "g", "category": "engagement", "rules": [rule]}))


def test_fit_groups_take_predicates_only():
    group = {"name": "g", "category": "fit", "rules": [{"id": "a", "label": "a", "points": 1, "event": {"name": "x"}}]}
    with pytest.raises(ModelError, match="fit group rule a must be a `when` property predicate"):
        parse(ScoreModel, with_groups(group))


def test_stages_must_ascend():
    raw = with_groups({"name": "g", "category": "engagement",
                       "rules": [{"id": "a", "label": "a", "points": 1, "event": {"name": "x"}}]})
    raw["stages"] = [{"name": "pql", "min": 70}, {"name": "nurture", "min": 0}]
    with pytest.raises(ModelError, match="stages: Value error, stages must be in strictly ascending order"):
        parse(ScoreModel, raw)


def test_a_missing_or_broken_file_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="cannot read"):
        load_model(tmp_path / "absent.yaml")
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n")
    with pytest.raises(ModelError, match="the top level must be a mapping"):
        load_model(tmp_path / "list.yaml")
