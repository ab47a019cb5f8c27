"""Scenario fixtures: catalog scenarios, small seeded runs, and a run drained until every journey is decided."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from scenarios.journeys import ScenarioRun
from scenarios.model import Scenario, load_scenario
from scenarios.truth import GroundTruth
from scoring.client import HubSpotClient
from tests.conftest import TOKEN

DECIDED = ("customer", "churned", "inactive")


@pytest.fixture(scope="session")
def plg() -> Scenario:
    return load_scenario("plg-default")


def drain(run: ScenarioRun, *, max_days: int = 720) -> GroundTruth:
    """Play past the end until every owner has bought, churned or gone inactive: the funnel's eventual outcome."""
    for _ in run.run():
        pass
    while True:
        truth = run.ground_truth()
        if all(u.stage in DECIDED for u in truth.users if u.role == "owner"):
            return truth
        assert run.now < run.start + timedelta(days=max_days), "journeys that never end"
        for _ in run.advance(run.now + timedelta(days=30)):
            pass


@pytest.fixture(scope="session")
def drained(plg: Scenario) -> GroundTruth:
    """2,000 plg-default signups in one week, played until decided."""
    return drain(ScenarioRun(plg, users=2000, days=7, seed=2026))


@pytest.fixture
def client(app):
    """The sync core's polite client on the portal `api` talks to (in-process)."""
    with HubSpotClient("http://hubsim.test", TOKEN, transport=httpx.WSGITransport(app=app)) as polite:
        yield polite
