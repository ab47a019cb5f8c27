"""`make demo` runs end to end and shows what it did."""

from __future__ import annotations

from rich.console import Console

from scenarios.demo import run_demo


def test_the_walkthrough_plays_and_reports_each_answer():
    console = Console(record=True, width=120)
    assert run_demo(console) == 0
    text = console.export_text()
    assert "POST /crm/v3/objects/contacts/batch/upsert -> 200" in text
    assert "CONFLICT: Contact already exists. Existing ID: 1" in text
    assert "sql was not one of the allowed options: [" in text  # HubSpot's list, not eaten as rich markup
    assert "salesqualifiedlead │ 2030-03-05T09:00:00.000Z" in text
