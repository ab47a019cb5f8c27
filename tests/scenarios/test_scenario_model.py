"""Scenario files: the catalog validates, and a bad file is refused with the bad field named."""

from __future__ import annotations

import copy

import pytest
import yaml

from scenarios import model
from scenarios.model import CATALOG, ScenarioError, catalog_names, load_scenario


def test_the_catalog_has_the_named_scenarios():
    assert {"plg-default", "enterprise-motion", "churn-wave"} <= set(catalog_names())


@pytest.mark.parametrize("name", catalog_names())
def test_every_catalog_scenario_validates(name):
    assert load_scenario(name).name == name


def test_extends_merges_mappings_key_by_key():
    base, enterprise = load_scenario("plg-default"), load_scenario("enterprise-motion")
    evaluator = enterprise.segments["enterprise_evaluator"]
    assert evaluator.weight == 0.35
    assert evaluator.stages["evaluating"].next["customer"] == 0.015
    # What the file does not mention comes from the base.
    assert evaluator.stages["evaluating"].events_per_session == base.segments["enterprise_evaluator"].stages[
        "evaluating"].events_per_session
    assert enterprise.plans == base.plans


def _base() -> dict:
    return yaml.safe_load((CATALOG / "plg-default.yaml").read_text())


BREAKAGES = [
    ("segments.student.weight", lambda d: d["segments"]["student"].update(weight=-1)),
    ("segments.student.wieght", lambda d: d["segments"]["student"].update(wieght=1)),
    ("segments.student.stages.trialing.next", lambda d: d["segments"]["student"]["stages"]["trialing"].update(
        next={"onboarded": 0.7, "inactive": 0.5})),
    ("stages.onboarded.next.trialing", lambda d: d["segments"]["student"]["stages"]["onboarded"]["next"].update(
        trialing=0.1)),
    ("segments.student.stages.onboarded.next.paid", lambda d: d["segments"]["student"]["stages"]["onboarded"][
        "next"].update(paid=0.1)),
    ("segments.student.plans.platinum", lambda d: d["segments"]["student"].update(plans={"platinum": 1})),
    ("events.onboarded.key_feature_used", lambda d: d["events"]["onboarded"].update(key_feature_used=1)),
    ("email.company", lambda d: d["segments"]["student"]["email"].update(company=1)),
    ("teammate", lambda d: d["teammate"]["stages"]["activated"]["next"].update(customer=0.1)),
    ("sales_touch_effect", lambda d: d["sales_touch_effect"].reverse()),
    ("start", lambda d: d.update(start="2026-03-02T00:00:00")),
]


@pytest.mark.parametrize("field, breakage", BREAKAGES, ids=[field for field, _ in BREAKAGES])
def test_a_bad_field_is_named_in_the_error(tmp_path, field, breakage):
    data = copy.deepcopy(_base())
    breakage(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    assert str(path) in str(error.value)
    assert field in str(error.value)


def test_an_unknown_scenario_lists_the_catalog():
    with pytest.raises(ScenarioError, match="plg-default"):
        load_scenario("no-such-scenario")


def test_an_extends_cycle_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(model, "CATALOG", tmp_path)
    (tmp_path / "a.yaml").write_text("extends: b\n")
    (tmp_path / "b.yaml").write_text("extends: a\n")
    with pytest.raises(ScenarioError, match="extends itself"):
        load_scenario("a")
