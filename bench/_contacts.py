"""100,000 contacts of 20 properties each, as a PLG sync writes them: the load the CRM and search benches share."""

from __future__ import annotations

import random
import time

from simulator.crm.inputs import BatchUpdateInput, ObjectCreate
from simulator.crm.properties import Option, PropertyCreate
from simulator.hub import Portal

CONTACTS = 100_000
CHUNK = 100  # HubSpot's batch size
DAY_MS = 86_400_000
START_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
STAGES = ("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "customer")
PLANS = ("free", "starter", "pro", "enterprise")
OWNERS = ("75103841", "75103842", "75103843")  # seeded sales reps
CUSTOM = (  # what a PLG integration adds: (name, type, fieldType, options)
    ("pql_score", "number", "number", ()),
    ("seats", "number", "number", ()),
    ("signup_at", "datetime", "date", ()),
    ("plan", "enumeration", "select", PLANS),
)


def email(i: int) -> str:
    return f"user{i}@company{i % 5000}.io"


def contact(i: int, rng: random.Random) -> dict[str, str]:
    return {
        "email": email(i),
        "firstname": rng.choice(("Ann", "Bob", "Carla", "Dev", "Eun", "Femi")),
        "lastname": f"Surname{rng.randrange(20_000)}",
        "jobtitle": rng.choice(("CTO", "Engineer", "PM", "Designer")),
        "company": f"Company {i % 5000}",
        "website": f"https://company{i % 5000}.io",
        "phone": f"+1 555 {rng.randrange(10_000_000):07d}",
        "city": rng.choice(("Oslo", "Lyon", "Austin", "Pune")),
        "country": rng.choice(("Norway", "France", "USA", "India")),
        "industry": rng.choice(("SaaS", "Retail", "Finance")),
        "lifecyclestage": rng.choice(STAGES),
        "hs_lead_status": rng.choice(("NEW", "OPEN", "IN_PROGRESS")),
        "numemployees": rng.choice(("1-5", "5-25", "25-50", "50-100")),
        "annualrevenue": str(rng.randrange(1_000_000)),
        "hs_language": rng.choice(("en", "fr", "no")),
        "hubspot_owner_id": rng.choice(OWNERS),
        "pql_score": str(rng.randrange(101)),
        "signup_at": str(START_MS + rng.randrange(365) * DAY_MS + rng.randrange(DAY_MS)),
        "plan": rng.choice(PLANS),
        "seats": str(rng.randrange(1, 500)),
    }


def load(portal: Portal, *, rewrite: bool = False) -> float:
    """The contacts through the domain, in batches of 100; `rewrite` writes each once more (a second version)."""
    for name, kind, field, options in CUSTOM:
        portal.properties("contacts").create(PropertyCreate(
            name=name, label=name, type=kind, field_type=field, group_name="contactinformation",
            options=[Option(label=o, value=o) for o in options],
        ))  # fmt: skip
    store, rng = portal.objects("contacts"), random.Random(7)
    started = time.perf_counter()
    for first in range(0, CONTACTS, CHUNK):
        store.batch_create([ObjectCreate(properties=contact(i, rng)) for i in range(first, first + CHUNK)])
    if rewrite:
        for first in range(0, CONTACTS, CHUNK):
            store.batch_update([
                BatchUpdateInput(id=email(i), id_property="email",
                                 properties={"pql_score": str(rng.randrange(101)), "lifecyclestage": "customer"})
                for i in range(first, first + CHUNK)
            ])  # fmt: skip
    return time.perf_counter() - started
