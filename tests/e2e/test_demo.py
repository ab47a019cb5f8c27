"""`hubsim demo` end to end at a small size: the run's metrics agree with the CRM, the ground truth and the
scenario's analytic funnel, and the report is written."""

from __future__ import annotations

import json
import math
import re
from datetime import timedelta

import pytest
from rich.console import Console

from scenarios.demo import DemoOptions, run_demo
from scenarios.funnel import mixture_funnel
from scenarios.model import load_scenario

USERS, DAYS, TAIL = 120, 2, 28  # signups over two days, then four weeks for most journeys to be decided


def wilson(successes: int, n: int, z: float = 3.89) -> tuple[float, float]:
    """Wilson score interval; z = 3.89 is two-sided 99.99%."""
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    console = Console(record=True, width=140)
    result = run_demo(DemoOptions(users=USERS, days=DAYS, tail_days=TAIL, seed=11, step=timedelta(hours=6),
                                  out=out), console)
    return result, console.export_text()


def test_every_signup_is_a_workspace_and_each_step_is_a_part_of_the_signups(demo):
    result, _ = demo
    signed_up, activated, pql, accepted, customer = (row["count"] for row in result.metrics["funnel"])
    assert signed_up == USERS
    assert 0 < customer <= activated < signed_up  # buying takes a key feature first (the scenario's chains)
    assert accepted <= pql < signed_up  # reps only work the tasks PQL routing creates


def test_activation_and_upgrades_agree_with_the_scenarios_analytic_funnel(demo):
    result, _ = demo
    expected = mixture_funnel(load_scenario("plg-default")).reach
    funnel = {row["step"]: row["count"] for row in result.metrics["funnel"]}
    low, _ = wilson(funnel["activated"], USERS)
    _, high = wilson(min(funnel["activated"] + result.metrics["run"]["undecided"], USERS), USERS)
    assert low <= expected["activated"] <= high
    # sales touches only ever raise the odds of buying: never fewer customers than the model implies
    _, high = wilson(min(funnel["customer"] + result.metrics["run"]["undecided"], USERS), USERS)
    assert expected["customer"] <= high


def test_the_loop_closes_workflows_route_pqls_and_reps_accept_them(demo):
    result, _ = demo
    flows = result.metrics["workflows"]
    accepted = result.metrics["funnel"][3]["count"]
    assert result.metrics["run"]["installed"]["PQL routing"]
    assert flows["tasks"] > 0 and flows["notifications"] > 0 and flows["owner_assignments"] > 0
    assert 0 < accepted == result.metrics["revenue"]["deals"]
    # the reps answer 15 minutes after the task, which the workflow creates when the sync writes the score
    assert 15 <= flows["rep_response_median_minutes"] <= 15 + 6 * 60


def test_the_scoring_model_is_measured_against_the_truth(demo):
    result, _ = demo
    model = result.metrics["model"]
    assert model["pqls"] == result.metrics["funnel"][2]["count"] > 0
    assert model["true_positives"] <= min(model["pqls"], model["customers"])
    assert model["customers"] == result.metrics["funnel"][4]["count"]


def test_the_tables_are_printed_and_the_report_written(demo):
    result, text = demo
    assert "Funnel (workspaces)" in text and "Scoring model vs ground truth" in text
    assert re.search(rf"signed up\s+│\s+{USERS}\s+│\s+100\.0%\s+│\s+100\.0%", text)
    assert result.report.read_text().count("<svg") == 4
    assert json.loads(result.metrics_file.read_text())["funnel"][0]["count"] == USERS
