"""`hubsim load`: Locust against a fresh simulator, judged by the simulator's own counts.

Locust runs only in subprocesses: importing it here would monkey-patch pytest's process with gevent. The CI smoke
runs each profile once for a few seconds (marked `load`: `-m "not load"` leaves them out)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from scenarios import load_cli
from scenarios.cli import main
from simulator.ratelimit import TIERS


def hubsim_load(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scenarios.cli", "load", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "COLUMNS": "200"})


# (profile, a call Locust's summary must name, the policy that must have accepted calls)
SMOKES = [
    ("crm", "POST     /crm/v3/objects/contacts/batch/upsert", "tenSecondly"),
    ("events", "POST     /events/v3/send ", "eventsSend"),
    ("sync", "POST     /crm/v3/objects/contacts/batch/upsert", "tenSecondly"),  # the core's own call, reported
    ("mixed", "POST     /events/v3/send/batch", "eventsSend"),
]


@pytest.mark.load
@pytest.mark.parametrize(("profile", "summary_line", "policy"), SMOKES, ids=[s[0] for s in SMOKES])
def test_each_profile_runs_within_the_allowance_and_reports_it(tmp_path, profile, summary_line, policy):
    result = hubsim_load(profile, "--duration", "4s", "--users", "2", "--tier", "starter",
                         "--reports", str(tmp_path / "reports"), "--report", str(tmp_path / "load.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads((tmp_path / "load.json").read_text())
    ten_secondly = figures["policies"]["tenSecondly"]
    assert (figures["profile"], figures["tier"], figures["limit"], ten_secondly["limit"]) == (
        profile, "starter", 100, 100)
    assert figures["policies"][policy]["accepted"] > 0
    assert all(p["peak"] <= p["limit"] for p in figures["policies"].values())
    assert (figures["failures"], figures["serverErrors"], figures["problems"], figures["gate"]) == (0, 0, [], [])
    assert summary_line in result.stdout  # Locust's own summary
    assert "OK no 10-second window above the allowance of 100" in result.stdout
    assert "Rate budget at" in result.stdout and figures["budget"]["policies"][0]["policy"] == "tenSecondly"
    assert {"run_stats.csv", "run_stats_history.csv", "report.html"} <= {p.name for p in (tmp_path / "reports").iterdir()}


@pytest.mark.load
def test_ten_times_the_allowance_over_two_workers_is_throttled_never_let_through(tmp_path):
    result = hubsim_load("crm", "--duration", "6s", "--users", "2", "--tier", "starter", "--multiple", "10",
                         "--workers", "2", "--reports", str(tmp_path), "--report", str(tmp_path / "load.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads((tmp_path / "load.json").read_text())
    ten_secondly = figures["policies"]["tenSecondly"]
    assert ten_secondly["accepted"] == ten_secondly["peak"] == 100  # the allowance, to the call, and no more
    assert ten_secondly["rejected"] > 0 and figures["throttled"] > 0
    assert "(429 TEN_SECONDLY_ROLLING)" in result.stdout  # 429s filed under their own name, not as failures
    assert figures["failures"] == 0


def test_a_window_above_the_allowance_fails_the_run():
    figures = {"failures": 0, "throttled": 0, "serverErrors": 0, "locustExitCode": 0,
               "policies": {"tenSecondly": {"limit": 190, "accepted": 400, "peak": 191, "busiestWindow": 188,
                                            "intervalMilliseconds": 10_000},
                            "eventsSend": {"limit": 1250, "accepted": 9000, "peak": 1251, "busiestWindow": 0,
                                           "intervalMilliseconds": 1000}}}
    assert load_cli.judge(figures) == [
        "a 10-second window of tenSecondly accepted 191 calls, above the allowance of 190",
        "a 1-second window of eventsSend accepted 1251 calls, above the allowance of 1250"]


def test_the_locustfile_gate_names_why_locust_failed():
    figures = {"failures": 3, "throttled": 0, "serverErrors": 0, "locustExitCode": 1, "gate": ["p95 1200 ms"],
               "policies": {"tenSecondly": {"limit": 190, "accepted": 4, "peak": 4, "busiestWindow": 4}}}
    assert load_cli.judge(figures) == ["Locust failed the run (exit code 1): p95 1200 ms"]


def test_a_missing_locustfile_is_named(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(load_cli, "LOAD_DIR", tmp_path / "load")
    assert main(["load", "events"]) == 2
    error = capsys.readouterr().err
    assert f"{tmp_path / 'load' / 'event_firehose.py'} not found" in error
    assert "runs Locust from a checkout of hubsim" in error


@pytest.mark.parametrize(("text", "seconds"), [("20s", 20), ("90", 90), ("2m", 120), ("1m30s", 90), ("1h", 3600)])
def test_durations_read_like_locusts(text, seconds):
    assert load_cli.timespan(text) == seconds


def test_the_tier_choices_are_the_simulators():
    assert set(load_cli.TIERS) == set(TIERS)
