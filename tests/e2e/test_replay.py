"""`hubsim replay`: a generated folder played into a running hubsim through the sync core, its clock kept up."""

from __future__ import annotations

from datetime import UTC, datetime

from scenarios.cli import main
from scenarios.model import load_scenario
from scenarios.output import generate
from simulator.testing import Simulator

START = datetime(2026, 3, 2, tzinfo=UTC)


def test_a_generated_folder_lands_in_hubsim_with_its_clock_at_the_end(tmp_path):
    manifest = generate(load_scenario("plg-default"), tmp_path, users=25, days=2, seed=9, start=START)
    with Simulator() as sim:
        assert main(["replay", str(tmp_path), "--hubspot-url", sim.base_url, "--token", sim.token]) == 0
        with sim.client() as api:
            contacts = api.post("/crm/v3/objects/contacts/search", json={"limit": 1}).json()["total"]
            signups = api.get("/events/v3/events", params={"objectType": "contact", "eventType": "signed_up",
                                                            "limit": 100}).json()["results"]
        assert contacts == manifest["counts"]["users"]
        assert len(signups) == manifest["counts"]["events_by_type"]["signed_up"]
        assert sim.clock.now() == datetime(2026, 3, 4, tzinfo=UTC)


def test_replay_refuses_a_folder_that_is_not_a_generated_scenario(tmp_path, capsys):
    assert main(["replay", str(tmp_path), "--hubspot-url", "http://127.0.0.1:9", "--token", "t"]) == 2
    assert "not a generated scenario folder" in capsys.readouterr().out
