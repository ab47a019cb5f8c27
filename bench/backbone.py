"""The backbone's hot paths over a real socket: get a contact by id (p99), batch upsert of 100 (median)."""

from __future__ import annotations

import statistics
import time

from simulator.testing import Simulator

GETS = 2_000
UPSERTS = 100


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run() -> list[dict]:
    with Simulator() as sim, sim.client() as client:
        sim.settings(rateLimits=False)  # measure the simulator, not HubSpot's allowance
        created = client.post("/crm/v3/objects/contacts", json={"properties": {"email": "ann@acme.io"}}).json()
        gets = []
        for _ in range(GETS):
            started = time.perf_counter()
            client.get(f"/crm/v3/objects/contacts/{created['id']}").raise_for_status()
            gets.append((time.perf_counter() - started) * 1000)
        upserts = []
        for round_ in range(UPSERTS):
            inputs = [
                {"id": f"user{i}@acme.io", "idProperty": "email",
                 "properties": {"firstname": f"User{i}", "jobtitle": f"Role {round_}", "city": "Oslo"}}
                for i in range(100)
            ]
            started = time.perf_counter()
            client.post("/crm/v3/objects/contacts/batch/upsert", json={"inputs": inputs}).raise_for_status()
            upserts.append((time.perf_counter() - started) * 1000)
    p99 = percentile(gets, 0.99)
    median = statistics.median(upserts)
    return [
        {"bench": "get contact by id over a socket, p99", "value": p99, "unit": "ms", "target": "< 10 ms",
         "ok": p99 < 10, "notes": f"{GETS} keep-alive requests, median {statistics.median(gets):.2f} ms"},
        {"bench": "batch upsert of 100 contacts over a socket, median", "value": median, "unit": "ms",
         "target": "< 100 ms", "ok": median < 100, "notes": f"{UPSERTS} rounds, p99 {percentile(upserts, 0.99):.1f} ms"},
    ]
