"""`hubsim sync` on a generated scenario: it syncs, a re-run writes nothing, and a kill -9 mid-run followed by a
restart ends with the same HubSpot as an uninterrupted run. `hubsim score calibrate` recommends a threshold."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from scenarios.cli import main
from tests.scoring.conftest import occurrence_ids

CONTACT_PROPS = ["email", "pql_score", "pql_label", "pql_grade", "lifecyclestage", "trial_status",
                 "teammates_invited", "pql_entered_at"]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    assert main(["scenario", "generate", "plg-default", "--users", "40", "--days", "10", "--seed", "5",
                 "--out", str(out)]) == 0
    return out


def sync_args(run_dir, portal, state, *extra: str) -> list[str]:
    return ["sync", "--events", str(run_dir / "events.jsonl"), "--hubspot-url", portal.base_url, "--token",
            portal.token, "--state", str(state), "--quiet", "--chunk", "100", *extra]


def crm_state(portal) -> dict:
    """Every contact's synced properties and every company and deal, by their keys."""
    found = {}
    with portal.client() as http:
        for object_type, key, props in (("contacts", "email", CONTACT_PROPS),
                                         ("companies", "domain", ["domain", "account_score", "product_plan"]),
                                         ("deals", "billing_subscription_id", ["billing_subscription_id", "amount"])):
            after, records = None, {}
            while True:
                page = http.get(f"/crm/v3/objects/{object_type}", params={
                    "limit": 100, "properties": ",".join(props), **({"after": after} if after else {})}).json()
                for r in page["results"]:
                    records[r["properties"][key]] = {p: r["properties"].get(p) for p in props}
                after = (page.get("paging") or {}).get("next", {}).get("after")
                if not after:
                    break
            found[object_type] = records
    return found


def writes(portal) -> int:
    return sum(portal.journal.count(method=m) for m in ("POST", "PATCH", "PUT", "DELETE"))


def test_sync_then_a_rerun_that_writes_nothing(hubspot_sim, run_dir, tmp_path, capsys):
    hubspot_sim.settings(rateLimits=False)
    assert main(sync_args(run_dir, hubspot_sim, tmp_path)) == 0
    emails = {json.loads(line)["email"] for line in (run_dir / "events.jsonl").read_text().splitlines()}
    state = crm_state(hubspot_sim)
    assert set(state["contacts"]) == emails
    assert sorted(occurrence_ids(hubspot_sim)) == sorted(
        json.loads(line)["id"] for line in (run_dir / "events.jsonl").read_text().splitlines())
    assert {c["pql_label"] for c in state["contacts"].values()} <= {"nurture", "mql", "pql"}
    summary = capsys.readouterr().err
    assert "contacts upserted" in summary and "requests / 10 s" in summary
    hubspot_sim.journal.clear()
    assert main(sync_args(run_dir, hubspot_sim, tmp_path)) == 0
    assert writes(hubspot_sim) == 0
    assert crm_state(hubspot_sim) == state


def test_kill_9_mid_run_then_restart_ends_with_the_same_hubspot(hubspot_sim_server, hubspot_sim, run_dir, tmp_path):
    clean = hubspot_sim_server.portal()
    clean.settings(rateLimits=False)
    assert main(sync_args(run_dir, clean, tmp_path / "clean")) == 0
    hubspot_sim.settings(rateLimits=False)
    command = [sys.executable, "-m", "scenarios.cli", *sync_args(run_dir, hubspot_sim, tmp_path / "killed",
                                                                  "--chunk", "20")]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while hubspot_sim.journal.count(method="POST", path="/crm/v3/objects/contacts/batch/upsert") < 5:
            assert process.poll() is None, "the sync finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    partial = crm_state(hubspot_sim)
    assert len(partial["contacts"]) < len(crm_state(clean)["contacts"])
    assert main(sync_args(run_dir, hubspot_sim, tmp_path / "killed", "--chunk", "20")) == 0
    assert crm_state(hubspot_sim) == crm_state(clean)
    arrived = Counter(occurrence_ids(hubspot_sim))
    assert sorted(arrived) == sorted(occurrence_ids(clean)) and max(arrived.values()) == 1


def test_calibrate_prints_bands_thresholds_and_a_recommendation(run_dir, capsys):
    assert main(["score", "calibrate", "--run", str(run_dir)]) == 0
    out = capsys.readouterr().out
    assert "by score band" in out and "precision" in out and "median lead" in out
    assert "recommended PQL threshold:" in out
