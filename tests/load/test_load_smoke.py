"""`hubsim load`: Locust against a fresh simulator, judged by the simulator's own counts.

Locust runs only in subprocesses: importing it here would monkey-patch pytest's process with gevent."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from scenarios import load_cli
from scenarios.cli import main
from simulator.ratelimit import TIERS


def test_a_short_run_stays_within_the_allowance_and_reports_it(tmp_path):
    report = tmp_path / "load.json"
    result = subprocess.run(
        [sys.executable, "-m", "scenarios.cli", "load", "--duration", "5s", "--users", "2", "--tier", "starter",
         "--report", str(report)],
        capture_output=True, text=True, timeout=60, env={**os.environ, "COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(report.read_text())
    ten_secondly = figures["policies"]["tenSecondly"]
    assert (figures["tier"], figures["limit"], ten_secondly["limit"]) == ("starter", 100, 100)
    assert ten_secondly["accepted"] > 0
    assert ten_secondly["peak"] <= 100
    assert (figures["failures"], figures["serverErrors"], figures["problems"]) == (0, 0, [])
    assert "POST     /crm/v3/objects/contacts/batch/upsert" in result.stdout  # Locust's own summary
    assert "OK no 10-second window above the allowance of 100; no 5xx from the simulator" in result.stdout


def test_a_window_above_the_allowance_fails_the_run():
    figures = {"failures": 0, "throttled": 0, "serverErrors": 0, "locustExitCode": 0,
               "policies": {"tenSecondly": {"limit": 190, "accepted": 400, "peak": 191, "busiestWindow": 188}}}
    assert load_cli.judge(figures) == ["a 10-second window accepted 191 calls, above the allowance of 190"]


def test_a_missing_locustfile_is_named(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(load_cli, "LOCUSTFILE", tmp_path / "load" / "locustfile.py")
    assert main(["load"]) == 2
    error = capsys.readouterr().err
    assert f"{tmp_path / 'load' / 'locustfile.py'} not found" in error
    assert "runs Locust from a checkout of hubsim" in error


@pytest.mark.parametrize(("text", "seconds"), [("20s", 20), ("90", 90), ("2m", 120), ("1m30s", 90), ("1h", 3600)])
def test_durations_read_like_locusts(text, seconds):
    assert load_cli.timespan(text) == seconds


def test_the_tier_choices_are_the_simulators():
    assert set(load_cli.TIERS) == set(TIERS)
