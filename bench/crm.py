"""CRM memory and lookups: 100,000 contacts of 20 properties each (history included), and get-by-email over a socket.

Memory is the RSS growth of a fresh subprocess that loads the contacts through the domain (batch_create of 100,
as an integration would), so nothing else the benchmark process holds is counted. Records keep their version
history: the second figure writes every contact once more (a second version each) and counts that too.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from simulator.crm.inputs import BatchUpdateInput, ObjectCreate
from simulator.crm.properties import PropertyCreate
from simulator.hub import Hub
from simulator.testing import Simulator

CONTACTS = 100_000
CHUNK = 100  # HubSpot's batch size
LOOKUPS = 2_000
TOKEN = "pat-bench-crm"
MEMORY_TARGET_MB = 500
P99_TARGET_MS = 25.0  # a bound, not HubSpot's figure: past it the simulator, not the code under test, sets the pace
CUSTOM = ("pql_score", "seats", "plan_name")  # custom properties, as a PLG integration adds them


def contact(i: int, rng: random.Random) -> dict[str, str]:
    """20 properties, as a PLG sync writes them."""
    return {
        "email": f"user{i}@company{i % 5000}.io",
        "firstname": rng.choice(("Ann", "Bob", "Carla", "Dev", "Eun", "Femi")),
        "lastname": f"Surname{rng.randrange(20_000)}",
        "jobtitle": rng.choice(("CTO", "Engineer", "PM", "Designer")),
        "company": f"Company {i % 5000}",
        "website": f"https://company{i % 5000}.io",
        "phone": f"+1 555 {rng.randrange(10_000_000):07d}",
        "city": rng.choice(("Oslo", "Lyon", "Austin", "Pune")),
        "state": rng.choice(("CA", "TX", "NY")),
        "country": rng.choice(("Norway", "France", "USA", "India")),
        "industry": rng.choice(("SaaS", "Retail", "Finance")),
        "lifecyclestage": rng.choice(("subscriber", "lead", "customer")),
        "hs_lead_status": rng.choice(("NEW", "OPEN", "IN_PROGRESS")),
        "numemployees": rng.choice(("1-5", "5-25", "25-50", "50-100")),
        "annualrevenue": str(rng.randrange(1_000_000)),
        "hs_language": rng.choice(("en", "fr", "no")),
        "hubspot_owner_id": rng.choice(("75103841", "75103842", "75103843")),
        "pql_score": str(rng.randrange(101)),
        "seats": str(rng.randrange(1, 500)),
        "plan_name": rng.choice(("free", "starter", "pro")),
    }


def load(hub: Hub, *, rewrite: bool = False) -> float:
    """The contacts, through the domain; `rewrite` writes each one again (a second version)."""
    portal = hub.portal(TOKEN)
    for name in CUSTOM:
        kind, field = ("number", "number") if name != "plan_name" else ("string", "text")
        portal.properties("contacts").create(
            PropertyCreate(name=name, label=name, type=kind, field_type=field, group_name="contactinformation")
        )
    store, rng = portal.objects("contacts"), random.Random(7)
    started = time.perf_counter()
    for first in range(0, CONTACTS, CHUNK):
        store.batch_create([ObjectCreate(properties=contact(i, rng)) for i in range(first, first + CHUNK)])
    if rewrite:
        for first in range(0, CONTACTS, CHUNK):
            store.batch_update([
                BatchUpdateInput(id=f"user{i}@company{i % 5000}.io", id_property="email",
                                 properties={"pql_score": str(rng.randrange(101)), "lifecyclestage": "customer"})
                for i in range(first, first + CHUNK)
            ])  # fmt: skip
    return time.perf_counter() - started


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("RSS needs /proc (Linux)")


def child(rewrite: bool) -> None:
    """Run in a fresh interpreter: print the RSS growth of loading the contacts, as JSON."""
    import gc

    hub = Hub()
    hub.portal(TOKEN)
    gc.collect()
    before = rss_bytes()
    seconds = load(hub, rewrite=rewrite)
    gc.collect()
    print(json.dumps({"growth": rss_bytes() - before, "seconds": seconds}))


def measure(rewrite: bool) -> dict:
    code = f"from bench.crm import child; child({rewrite})"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parent.parent)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def lookups() -> tuple[float, float]:
    """p50 and p99 of GET /crm/v3/objects/contacts/{email}?idProperty=email over a keep-alive connection."""
    hub = Hub()
    load(hub)
    rng, samples = random.Random(11), []
    with Simulator(hub=hub, token=TOKEN) as sim, sim.client() as client:
        sim.settings(rateLimits=False)  # measure the simulator, not HubSpot's 100 calls per 10 seconds
        for _ in range(LOOKUPS):
            i = rng.randrange(CONTACTS)
            started = time.perf_counter()
            path = f"/crm/v3/objects/contacts/user{i}%40company{i % 5000}.io"
            response = client.get(path, params={"idProperty": "email"})
            samples.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def run() -> list[dict]:
    once, twice = measure(rewrite=False), measure(rewrite=True)
    p50, p99 = lookups()
    rows = []
    for label, figures in (("created", once), ("created + updated once", twice)):
        mb = figures["growth"] / 1024 / 1024
        rows.append({
            "bench": f"crm memory, 100k contacts x 20 properties ({label})", "value": mb, "unit": "MB",
            "target": f"< {MEMORY_TARGET_MB} MB", "ok": mb < MEMORY_TARGET_MB,
            "notes": f"{figures['growth'] / CONTACTS:,.0f} bytes/contact with version history; "
                     f"RSS growth of a fresh process; loaded in {figures['seconds']:.1f} s",
        })  # fmt: skip
    rows.append({
        "bench": "crm get by email p99 (socket)", "value": p99, "unit": "ms", "target": f"< {P99_TARGET_MS:g} ms",
        "ok": p99 < P99_TARGET_MS,
        "notes": f"p50 {p50:.2f} ms; {LOOKUPS:,} keep-alive GETs ?idProperty=email on 100k contacts",
    })  # fmt: skip
    return rows
