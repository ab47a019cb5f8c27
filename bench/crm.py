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

from bench._contacts import CONTACTS, load
from bench._memory import rss_bytes
from simulator.hub import Hub
from simulator.testing import Simulator

LOOKUPS = 2_000
TOKEN = "pat-bench-crm"
MEMORY_TARGET_MB = 500
P99_TARGET_MS = 25.0  # a bound, not HubSpot's figure: past it the simulator, not the code under test, sets the pace


def child(rewrite: bool) -> None:
    """Run in a fresh interpreter: print the RSS growth of loading the contacts, as JSON."""
    import gc

    hub = Hub()
    portal = hub.portal(TOKEN)
    gc.collect()
    before = rss_bytes()
    seconds = load(portal, rewrite=rewrite)
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
    load(hub.portal(TOKEN))
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
