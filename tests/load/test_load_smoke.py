"""`hubsim load`: Locust against a fresh simulator, judged by the simulator's own counts.

Locust runs only in subprocesses: importing it here would monkey-patch pytest's process with gevent."""

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


def test_a_short_run_stays_within_the_allowance_and_reports_it(tmp_path):
    report = tmp_path / "load.json"
    result = subprocess.run(
        [sys.executable, "-m", "scenarios.cli", "load", "--duration", "11s", "--users", "2", "--tier", "starter",
         "--report", str(report)],
        capture_output=True, text=True, timeout=60, env={**os.environ, "COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(report.read_text())
    ten_secondly = figures["policies"]["tenSecondly"]
    assert (figures["tier"], figures["limit"], ten_secondly["limit"]) == ("starter", 100, 100)
    assert ten_secondly["accepted"] > 0
    assert ten_secondly["busiestWindow"] <= 100
    for policy in figures["policies"].values():  # the console table shows the report's figures, not others
        row = f"{policy['limit']} / {policy['intervalMilliseconds'] // 1000} s │ {policy['accepted']} │ " \
              f"{policy['rejected']} │ {policy['busiestWindow']}"
        assert row in " ".join(result.stdout.split()), result.stdout
    assert (figures["failures"], figures["serverErrors"], figures["problems"]) == (0, 0, [])
    assert "POST     /crm/v3/objects/contacts/batch/upsert" in result.stdout  # Locust's own summary
    assert "OK no 10-second window above the allowance of 100; no 5xx from the simulator" in result.stdout
    # no terminal here: a plain progress line every 10 s instead of the live one
    assert re.search(r"^0:1\d / 0:11  [\d,]+ calls accepted, \d+ throttled \(429\)$", result.stdout, re.MULTILINE)


def test_a_window_above_the_allowance_fails_the_run():
    figures = {"failures": 0, "throttled": 0, "serverErrors": 0, "locustExitCode": 0,
               "policies": {"tenSecondly": {"limit": 190, "accepted": 400, "busiestWindow": 191}}}
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

