"""The report: the metrics as terminal tables, report.html with offline SVG charts, and metrics.json."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from rich.console import Console

from scenarios.metrics import AccountFacts, compute
from scenarios.report import print_tables, write

T0 = datetime(2026, 3, 2, tzinfo=UTC)


def _metrics() -> dict:
    accounts = [AccountFacts(f"acc_{i}", "ideal_fit_team" if i % 2 else "student", i % 2 == 1, T0,
                             activated=T0 + timedelta(hours=i), pql=T0 + timedelta(days=1) if i < 6 else None,
                             upgraded=T0 + timedelta(days=3) if i < 3 else None, arr=1200.0)
                for i in range(10)]
    return compute(accounts, start=T0, end=T0 + timedelta(days=14))


def test_the_terminal_shows_every_section_with_its_numbers():
    console = Console(record=True, width=140)
    print_tables(_metrics(), console)
    text = console.export_text()
    for title in ("Funnel (workspaces)", "PQLs by week", "PQL -> customer by segment", "Time to value",
                  "Journey (HubSpot's two modes)", "Workflows and speed to lead", "Revenue from PQL-led deals",
                  "Behavioural health by segment", "Scoring model vs ground truth"):
        assert title in text
    assert re.search(r"PQL\s+│\s+6\s+│\s+60\.0%\s+│\s+60\.0%", text)
    assert re.search(r"precision \(PQLs that bought\)\s+│\s+50\.0%", text)


def test_report_html_is_self_contained_with_the_four_charts(tmp_path):
    html_path, json_path = write(_metrics(), tmp_path, title="PLG demo")
    html = html_path.read_text()
    assert html.count("<svg") == 4
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "<script" not in html
    assert "<title>PQLs by week</title>" in html and "customer: 3" in html
    assert json.loads(json_path.read_text())["model"]["pqls"] == 6
