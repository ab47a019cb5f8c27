"""`hubsim load`: Locust against a fresh simulator, judged by the simulator's own counts.

Locust runs only in subprocesses: importing it here would monkey-patch pytest's process with gevent. The CI smoke
runs each profile once for a few seconds (marked `load`: `-m "not load"` leaves them out)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from scenarios import load_cli
from scenarios.cli import main
from simulator.ratelimit import TIERS


def hubsim_load(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scenarios.cli", "load", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "COLUMNS": "200"})


# (profile, users, a call Locust's summary must name, the policy that must have accepted calls)
SMOKES = [  # crm: its own, longer run below
    ("events", 2, "POST     /events/v3/send ", "eventsSend"),
    ("sync", 2, "POST     /crm/v3/objects/contacts/batch/upsert", "tenSecondly"),  # the core's own call, reported
    ("mixed", 4, "POST     /events/v3/send/batch", "eventsSend"),  # 4: every user class gets one (weights 2:1:1)
]
SMOKE_P95 = "5000"  # ms: a few seconds' run on a busy 2-core machine; its first calls set up the portal


@pytest.mark.load
@pytest.mark.parametrize(("profile", "users", "summary_line", "policy"), SMOKES, ids=[s[0] for s in SMOKES])
def test_each_profile_runs_within_the_allowance_and_reports_it(tmp_path, profile, users, summary_line, policy):
    result = hubsim_load(profile, "--duration", "4s", "--users", str(users), "--tier", "starter",
                         "--max-p95", SMOKE_P95,
                         "--reports", str(tmp_path / "reports"), "--report", str(tmp_path / "load.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads((tmp_path / "load.json").read_text())
    ten_secondly = figures["policies"]["tenSecondly"]
    assert (figures["profile"], figures["tier"], figures["limit"], ten_secondly["limit"]) == (
        profile, "starter", 100, 100)
    assert figures["policies"][policy]["accepted"] > 0
    assert all(p["busiestWindow"] <= p["limit"] for p in figures["policies"].values())
    assert (figures["failures"], figures["serverErrors"], figures["problems"], figures["gate"]) == (0, 0, [], [])
    assert summary_line in result.stdout  # Locust's own summary
    assert "OK no 10-second window above the allowance of 100" in result.stdout
    assert "Rate budget at" in result.stdout and figures["budget"]["policies"][0]["policy"] == "tenSecondly"
    written = {p.name for p in (tmp_path / "reports").iterdir()}
    assert {"run_stats.csv", "run_stats_history.csv", "report.html"} <= written


@pytest.mark.load
def test_the_crm_profile_runs_within_the_allowance_with_progress_and_reports(tmp_path):
    result = hubsim_load("crm", "--duration", "11s", "--users", "2", "--tier", "starter", "--max-p95", SMOKE_P95,
                         "--reports", str(tmp_path), "--report", str(tmp_path / "load.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads((tmp_path / "load.json").read_text())
    ten_secondly = figures["policies"]["tenSecondly"]
    assert (figures["tier"], figures["limit"], ten_secondly["limit"]) == ("starter", 100, 100)
    assert 0 < ten_secondly["busiestWindow"] <= 100
    for policy in figures["policies"].values():  # the console table shows the report's figures, not others
        row = f"{policy['limit']} / {policy['intervalMilliseconds'] // 1000} s │ {policy['accepted']} │ " \
              f"{policy['rejected']} │ {policy['busiestWindow']}"
        assert row in " ".join(result.stdout.split()), result.stdout
    assert (figures["failures"], figures["serverErrors"], figures["problems"]) == (0, 0, [])
    assert "POST     /crm/v3/objects/contacts/batch/upsert" in result.stdout  # Locust's own summary
    assert "OK no 10-second window above the allowance of 100" in result.stdout
    # no terminal here: a plain progress line every 10 s instead of the live one
    assert re.search(r"^0:1\d / 0:11  [\d,]+ calls accepted, \d+ throttled \(429\)$", result.stdout, re.MULTILINE)


@pytest.mark.load
def test_ten_times_the_allowance_over_two_workers_is_throttled_never_let_through(tmp_path):
    result = hubsim_load("crm", "--duration", "6s", "--users", "2", "--tier", "starter", "--multiple", "10",
                         "--workers", "2", "--max-p95", SMOKE_P95, "--reports", str(tmp_path),
                         "--report", str(tmp_path / "load.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads((tmp_path / "load.json").read_text())
    ten_secondly = figures["policies"]["tenSecondly"]
    assert ten_secondly["accepted"] == ten_secondly["busiestWindow"] == 100  # the allowance, to the call, and no more
    assert ten_secondly["rejected"] > 0 and figures["throttled"] > 0
    assert "(429 TEN_SECONDLY_ROLLING)" in result.stdout  # 429s filed under their own name, not as failures
    assert figures["failures"] == 0


def test_a_window_above_the_allowance_fails_the_run():
    figures = {"failures": 0, "throttled": 0, "serverErrors": 0, "locustExitCode": 0,
               "policies": {"tenSecondly": {"limit": 190, "accepted": 400, "busiestWindow": 191,
                                            "intervalMilliseconds": 10_000},
                            "eventsSend": {"limit": 1250, "accepted": 9000, "busiestWindow": 1251,
                                           "intervalMilliseconds": 1000}}}
    assert load_cli.judge(figures) == [
        "a 10-second window of tenSecondly accepted 191 calls, above the allowance of 190",
        "a 1-second window of eventsSend accepted 1251 calls, above the allowance of 1250"]


def test_the_locustfile_gate_names_why_locust_failed():
    figures = {"failures": 3, "throttled": 0, "serverErrors": 0, "locustExitCode": 1, "gate": ["p95 1200 ms"],
               "policies": {"tenSecondly": {"limit": 190, "accepted": 4, "busiestWindow": 4}}}
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


def test_the_table_and_the_report_show_the_same_figures():
    from rich.console import Console

    figures = {"policies": {
        "tenSecondly": {"limit": 190, "intervalMilliseconds": 10_000, "accepted": 612, "rejected": 3,
                        "busiestWindow": 175},
        "search": {"limit": 5, "intervalMilliseconds": 1_000, "accepted": 17, "rejected": 0, "busiestWindow": 4},
    }}
    console = Console(record=True, width=120)
    console.print(load_cli.summary_table(figures))
    rows = [" ".join(line.replace("│", " ").split()) for line in console.export_text().splitlines()]
    assert "ten-secondly 190 / 10 s 612 3 175" in rows
    assert "search (secondly) 5 / 1 s 17 0 4" in rows


def test_the_progress_line_counts_calls_and_429s():
    policies = {"tenSecondly": {"accepted": 1234, "rejected": 5}, "search": {"accepted": 40, "rejected": 2}}
    assert load_cli.progress_line(72.4, 120, policies) == "1:12 / 2:00  1,234 calls accepted, 7 throttled (429)"
    assert load_cli.progress_line(0, 20, None) == "0:00 / 0:20  starting Locust"
