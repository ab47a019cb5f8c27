"""`hubsim demo` / `make demo`: start a simulator and play a short scripted CRM walkthrough against it.

The walkthrough talks plain HTTP, exactly as an integration would; every step prints what it sent and what HubSpot
(here, hubsim) answered. What HubSpot answers goes through rich escaped: its messages carry [brackets] (option lists)
that rich would otherwise read as markup and drop.
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from simulator.testing import Simulator

START = datetime(2030, 3, 2, 9, 0, tzinfo=UTC)
SIGNUPS = [
    ("ann@northwind.io", "Ann", "Lee", "VP Engineering"),
    ("raj@contoso.com", "Raj", "Patel", "Developer"),
    ("mia@fabrikam.co", "Mia", "Jensen", "Head of Growth"),
]


def run_demo(console: Console | None = None) -> int:
    console = console or Console()
    with Simulator() as sim, sim.client() as hubspot:
        console.rule("[bold]hubsim walkthrough[/bold]")
        console.print(f"HubSpot is simulated at [cyan]{escape(sim.base_url)}[/cyan] "
                      f"(token [dim]{escape(sim.token)}[/dim])")
        sim.clock.freeze()
        sim.clock.set(START)
        console.print(f"The portal's clock is frozen at {START:%Y-%m-%d %H:%M} UTC")

        step(console, "Define a custom property for product-qualified-lead scores",
             hubspot.post("/crm/v3/properties/contacts", json={
                 "name": "pql_score", "label": "PQL score", "type": "number", "fieldType": "number",
                 "groupName": "contactinformation"}))

        upsert = hubspot.post("/crm/v3/objects/contacts/batch/upsert", json={"inputs": [
            {"id": email, "idProperty": "email",
             "properties": {"firstname": first, "lastname": last, "jobtitle": title, "lifecyclestage": "lead"}}
            for email, first, last, title in SIGNUPS]})
        step(console, f"Upsert {len(SIGNUPS)} product sign-ups by email", upsert)
        ids = {r["properties"]["email"]: r["id"] for r in upsert.json()["results"]}

        sim.clock.advance(days=3)
        console.print("[dim]... three days pass on the simulated clock[/dim]")
        step(console, "Ann's usage makes her a PQL: set her score and lifecycle stage",
             hubspot.patch(f"/crm/v3/objects/contacts/{ids['ann@northwind.io']}",
                           json={"properties": {"pql_score": "82", "lifecyclestage": "salesqualifiedlead"}}))

        step(console, "Sign-up form posts Ann again: HubSpot's duplicate rule answers 409",
             hubspot.post("/crm/v3/objects/contacts", json={"properties": {"email": "ann@northwind.io"}}))
        step(console, "A typo in a lifecycle stage is refused the HubSpot way",
             hubspot.patch(f"/crm/v3/objects/contacts/{ids['raj@contoso.com']}",
                           json={"properties": {"lifecyclestage": "sql"}}))

        history = hubspot.get(f"/crm/v3/objects/contacts/{ids['ann@northwind.io']}",
                              params={"propertiesWithHistory": "lifecyclestage"}).json()
        table = Table(title="Ann's lifecycle stage, newest first")
        table.add_column("value")
        table.add_column("when (simulated)")
        for entry in history["propertiesWithHistory"]["lifecyclestage"]:
            table.add_row(escape(entry["value"]), escape(entry["timestamp"]))
        console.print(table)

        contacts = hubspot.get("/crm/v3/objects/contacts",
                               params={"properties": "email,jobtitle,lifecyclestage,pql_score"}).json()["results"]
        table = Table(title="Contacts in the simulated portal")
        for column in ("id", "email", "jobtitle", "lifecyclestage", "pql_score"):
            table.add_column(column)
        for contact in contacts:
            p = contact["properties"]
            table.add_row(*(escape(value or "") for value in (contact["id"], p["email"], p["jobtitle"],
                                                              p["lifecyclestage"], p.get("pql_score"))))
        console.print(table)
        console.rule("done")
    return 0


def step(console: Console, title: str, response: httpx.Response) -> None:
    colour = "green" if response.is_success else "yellow"
    console.print(f"[bold]{title}[/bold]")
    console.print(f"  {response.request.method} {escape(response.request.url.path)} -> [{colour}]"
                  f"{response.status_code}[/{colour}]")
    if not response.is_success:
        error = response.json()
        detail = error["errors"][0]["message"] if error.get("errors") else error["message"]
        console.print(f"  [dim]{escape(error['category'])}: {escape(detail)}[/dim]")
