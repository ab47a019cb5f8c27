"""`hubsim budget`: the forecast from /_sim/usage, on hand-made usage (no server), and the command against one."""

from __future__ import annotations

import pytest

from scenarios.budget_cli import forecast
from scenarios.cli import main
from simulator.testing import Simulator

USAGE = {  # 60 s of traffic at 9.5 accepted calls a second, a busiest sliding window of 100 out of 190
    "now": "2026-03-02T12:00:00.000Z",
    "policies": {
        "tenSecondly": {"policyName": "TEN_SECONDLY_ROLLING", "intervalMilliseconds": 10_000, "limit": 190,
                        "peak": 100, "accepted": 570, "rejected": 3,
                        "windows": [{"start": f"2026-03-02T11:59:{s:02d}.000Z", "accepted": 95, "rejected": 0}
                                    for s in range(0, 60, 10)]},
        "search": {"policyName": "SECONDLY", "intervalMilliseconds": 1000, "limit": 5, "peak": 0, "accepted": 0,
                   "rejected": 0, "windows": []},
        "daily": {"policyName": "DAILY", "limit": 650_000, "current": 400_000, "remaining": 250_000, "rejected": 0,
                  "resetsAt": "2026-03-03T00:00:00.000Z"},
    },
}


def test_peak_mean_headroom_and_the_multiple_that_fills_each_window():
    report = forecast(USAGE)
    ten = report["policies"][0]
    assert (ten["policy"], ten["peak"], ten["headroom"], ten["rejected"]) == ("tenSecondly", 100, 90, 3)
    assert ten["peakUse"] == pytest.approx(100 / 190)
    assert ten["meanUse"] == pytest.approx(95 / 190)  # 570 calls in 60 s: 95 a window
    assert ten["limitAtMultiple"] == pytest.approx(1.9)
    assert report["policies"][1]["limitAtMultiple"] is None  # no search traffic: no forecast


def test_the_daily_limit_is_forecast_in_portal_time():
    daily = forecast(USAGE, "Europe/Oslo")["daily"]
    # 250,000 left, 12 h (43,200 s) to midnight UTC at 9.5 calls a second: 0.609x spends exactly the rest
    assert daily["limitAtMultiple"] == pytest.approx(250_000 / (9.5 * 43_200))
    by_multiple = {w["multiple"]: w["reachedAt"] for w in daily["whatIf"]}
    # at 2x: 250,000 / 19 a second = 13,158 s after 12:00 UTC = 15:39 UTC = 16:39 in Oslo (UTC+1 in March)
    assert by_multiple[2.0] == "2026-03-02T16:39+01:00"
    assert by_multiple[10.0] == "2026-03-02T13:43+01:00"
    # today's load runs out at 0.609x: at 1x too, before midnight; the exact multiple is not repeated as a what-if
    assert sorted(by_multiple) == [1.0, 2.0, 5.0, 10.0]


def test_the_command_reads_a_running_hubsim(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    with Simulator() as sim, sim.client() as client:
        for _ in range(5):
            client.get("/crm/v3/objects/contacts").raise_for_status()
        assert main(["budget", "--host", sim.base_url, "--token", sim.token]) == 0
    out = capsys.readouterr().out
    assert "tenSecondly" in out and "daily:" in out
    assert "daily: 5 of 1,000,000 used" in out  # the five calls counted against the day (enterprise by default)


def test_each_what_if_multiple_is_printed_once(capsys):
    from scenarios.budget_cli import print_report
    from scenarios.terminal import console

    quiet = {**USAGE, "policies": {**USAGE["policies"], "daily": {**USAGE["policies"]["daily"], "remaining": 800_004,
                                                                    "limit": 1_200_000}}}
    report = forecast(quiet)
    # 800,004 left: the multiple that spends exactly the rest rounds to just before midnight; it is no what-if
    assert report["daily"]["limitAtMultiple"] == pytest.approx(800_004 / (9.5 * 43_200))
    assert [w["multiple"] for w in report["daily"]["whatIf"]] == [2.0, 5.0, 10.0]
    print_report(console(), report)
    lines = [line for line in capsys.readouterr().out.splitlines() if "x this load" in line]
    assert len(lines) == 4 and len({line.split("x this load")[0] for line in lines}) == 4
