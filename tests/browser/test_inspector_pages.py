"""The inspector in a real browser: pages render with the portal's data, links lead where they say."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from simulator.testing import Simulator

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
STAGES = ["lead"] * 6 + ["marketingqualifiedlead"] * 3 + ["salesqualifiedlead", "customer"]


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator() as sim, sim.client() as api:
        sim.clock.freeze()
        sim.clock.set(START)
        created = api.post("/crm/v3/objects/contacts/batch/create", json={"inputs": [
            {"properties": {"email": f"user{i}@northwind.io", "firstname": f"User{i}", "lastname": "Lee",
                            "lifecyclestage": "lead"}} for i in range(len(STAGES))]}).json()["results"]
        sim.clock.advance(days=2)
        api.post("/crm/v3/objects/contacts/batch/update", json={"inputs": [
            {"id": c["id"], "properties": {"lifecyclestage": stage}}
            for c, stage in zip(sorted(created, key=lambda c: int(c["id"])), STAGES) if stage != "lead"]})
        yield sim


def test_the_overview_shows_counts_and_the_funnel_chart(sim, page, screenshots):
    page.goto(f"{sim.base_url}/_sim/ui?token={sim.token}")
    assert page.locator(".card").first.inner_text().startswith("11")
    funnel = page.locator("svg.funnel")
    assert funnel.locator("rect").count() == 5
    assert funnel.locator("rect >> nth=0").text_content() == "Lead: 11"
    assert funnel.locator("rect >> nth=4").text_content() == "Customer: 1"
    page.screenshot(path=screenshots / "inspector-overview.png", full_page=True)


def test_contacts_link_to_a_timeline_with_the_property_history(sim, page, screenshots):
    page.goto(f"{sim.base_url}/_sim/ui?token={sim.token}")
    page.click("text=Contacts")
    assert page.locator("#contacts tr").count() == 1 + len(STAGES)
    page.fill("input[name=q]", "user10@")
    page.click("button:has-text('Search')")
    page.click("#contacts >> text=user10@northwind.io")
    assert page.locator("h1").inner_text() == "User10 Lee"
    items = page.locator("#timeline li")
    assert items.count() == 2
    assert items.nth(0).inner_text().startswith("lifecyclestage set to Customer")
    assert "2026-03-04 09:00:00" in items.nth(0).inner_text()
    page.screenshot(path=screenshots / "inspector-contact.png", full_page=True)


def test_the_journal_page_lists_the_requests_sent(sim, page, screenshots):
    page.goto(f"{sim.base_url}/_sim/ui/journal?token={sim.token}")
    rows = page.locator("#journal tr")
    assert rows.count() == 3  # header, batch update, batch create (newest first)
    assert "/crm/v3/objects/contacts/batch/update" in rows.nth(1).inner_text()
    page.screenshot(path=screenshots / "inspector-journal.png", full_page=True)
