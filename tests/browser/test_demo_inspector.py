"""After a small demo, the inspector in a real browser: the funnel chart and a PQL's timeline show the run's data."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from rich.console import Console

from scenarios.demo import DemoOptions, run_demo


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A demo run with --serve, held up (in a thread) while the module's tests browse it."""
    up, done, found = threading.Event(), threading.Event(), {}

    def hold(base_url: str, token: str) -> None:
        found.update(base_url=base_url, token=token)
        up.set()
        done.wait()

    def play() -> None:
        try:
            found["result"] = run_demo(
                DemoOptions(users=80, days=3, tail_days=10, seed=5, step=timedelta(hours=6), serve=True,
                            out=tmp_path_factory.mktemp("demo")), Console(quiet=True), wait=hold)
        finally:
            up.set()

    thread = threading.Thread(target=play, daemon=True)
    thread.start()
    assert up.wait(600) and "base_url" in found, "the demo did not come up"
    yield found
    done.set()
    thread.join(60)


def test_the_funnel_chart_shows_the_runs_lifecycle_stages(served, page, screenshots):
    page.goto(f"{served['base_url']}/_sim/ui?token={served['token']}")
    contacts = int(page.locator(".card .n").first.inner_text().replace(",", ""))
    assert contacts >= 80
    bars = page.locator("svg.funnel rect")
    assert bars.count() == 5
    reached = [int(bars.nth(i).text_content().split(": ")[1].replace(",", "")) for i in range(5)]
    assert bars.nth(4).text_content().startswith("Customer: ")
    assert contacts >= reached[0] and reached == sorted(reached, reverse=True) and reached[4] >= 1
    page.click("text=Open the funnel")
    assert page.locator("#funnel svg.funnel").is_visible()
    page.screenshot(path=screenshots / "demo-overview.png", full_page=True)


def test_a_pqls_timeline_shows_its_score_events_workflow_and_the_reps_work(served, page, screenshots):
    page.goto(f"{served['base_url']}/_sim/ui/contacts?token={served['token']}&stage=opportunity")
    assert page.locator("#contacts tr").count() > 1  # reps made PQLs opportunities
    page.locator("#contacts tr >> nth=1 >> a").first.click()
    assert re.fullmatch(r"\d+", page.locator(".card .n").first.inner_text())  # the PQL score
    timeline = page.locator("#timeline")
    assert timeline.locator("li.event").count() > 0
    assert timeline.locator("li.workflow", has_text="Workflow PQL routing").count() > 0
    assert timeline.locator("li.message", has_text="New PQL assigned to you").count() == 1
    assert timeline.locator("li.property", has_text="hs_lead_status set to OPEN_DEAL").count() == 1
    linked = page.locator("#associations")  # the contact's own company and deal, by name: not the portal's counts
    assert linked.locator("h3").all_text_contents()[:2] == ["Companies (1)", "Deals (1)"]
    assert not re.fullmatch(r"Company \d+", linked.locator("li").first.text_content().split(" · ")[0])
    page.screenshot(path=screenshots / "demo-contact.png", full_page=True)
    page.click("text=Workflows")
    assert page.locator(".flow h2").first.inner_text().startswith("PQL routing")
    page.screenshot(path=screenshots / "demo-workflows.png", full_page=True)
