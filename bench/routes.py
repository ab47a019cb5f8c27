"""The simulator's hot routes over a real socket, against the bare-Flask ceiling of the same server on this machine.

`hubsim serve` runs in its own process (rate limits off for these figures, the journal on, as users run it); the
ceiling is a trivial Flask route on the same waitress settings in another process (bench/_ceiling.py). The load
comes from this process (bench/_blast.py: 8 keep-alive connections, closed loop), so server and client share the
2 cores. Each figure is the median of RUNS runs. In each run a route and the ceiling take turns, SLICES times SLICE
seconds each, and the ratio is taken between those two totals: on a shared machine the load of others drifts within
seconds, and turns this short let both see the same drift. The event-send latency target is measured paced at
HubSpot's own 1,250 sends a second.
"""

from __future__ import annotations

import json
import statistics
import sys
from urllib.parse import urlsplit

import httpx

from bench._blast import Figures, blast, request_bytes
from scenarios.load_cli import served_hubsim
from simulator.testing import SimPortal

RUNS = 5
SLICES = 4
SLICE = 0.5  # seconds
PACED_SECONDS = 2.0
CONNECTIONS = 8  # hubsim serve's waitress threads
CONTACTS = 200
EVENT_RATE = 1250  # DOC send-event-data › Limits: 1,250 requests per second
EVENT_P99_MS = 50.0  # issue 15: p99 under 50 ms at that rate
CEILING_SHARE = 0.8  # issue 15: event send and contact get at >= 80% of the bare-Flask ceiling
TOKEN = "pat-bench-routes"


def _setup(base_url: str) -> dict[str, list[bytes]]:
    """A portal with contacts, an event definition and a MANUAL list of 100 of them; the requests."""
    sim = SimPortal(base_url, TOKEN)
    sim.settings(rateLimits=False)
    http = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {TOKEN}"})
    try:
        ids = []
        for first in range(0, CONTACTS, 100):
            inputs = [{"properties": {"email": f"u{i}@acme.io", "firstname": f"U{i}", "lifecyclestage": "lead"}}
                      for i in range(first, first + 100)]
            ids += [r["id"] for r in http.post("/crm/v3/objects/contacts/batch/create",
                                               json={"inputs": inputs}).raise_for_status().json()["results"]]
        name = http.post("/events/v3/event-definitions", json={
            "label": "Feature used", "name": "feature_used", "primaryObject": "CONTACT",
            "propertyDefinitions": [{"name": "feature", "label": "Feature", "type": "string"}],
        }).raise_for_status().json()["fullyQualifiedName"]  # fmt: skip
        requests = {
            "event send": [request_bytes("POST", "/events/v3/send", TOKEN, json.dumps(
                {"eventName": name, "objectId": ids[i], "properties": {"feature": f"f{i % 5}"}}).encode())
                for i in range(50)],
            "contact get": [request_bytes("GET", f"/crm/v3/objects/contacts/{ids[i]}", TOKEN) for i in range(50)],
            "batch upsert of 100": [request_bytes("POST", "/crm/v3/objects/contacts/batch/upsert", TOKEN, json.dumps(
                {"inputs": [{"id": f"u{i}@acme.io", "idProperty": "email", "properties": {"jobtitle": f"R{r}"}}
                            for i in range(100)]}).encode()) for r in range(5)],
            "search": [request_bytes("POST", "/crm/v3/objects/contacts/search", TOKEN, json.dumps(
                {"filterGroups": [{"filters": [{"propertyName": "email", "operator": "EQ", "value": f"u{i}@acme.io"}]}],
                 "properties": ["email"], "limit": 10}).encode()) for i in range(50)],
        }  # fmt: skip
        list_id = http.post("/crm/v3/lists", json={"name": "bench", "objectTypeId": "0-1", "processingType": "MANUAL"}
                            ).raise_for_status().json()["list"]["listId"]
        http.put(f"/crm/v3/lists/{list_id}/memberships/add", json=ids[:100]).raise_for_status()
        requests["list membership read"] = [
            request_bytes("GET", f"/crm/v3/lists/{list_id}/memberships?limit=100", TOKEN)]
        return requests
    finally:
        http.close()
        sim.close()


def _address(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    return parts.hostname, parts.port


def _expect(route: str) -> int:
    return 204 if route == "event send" else 200


def _turns(ceiling_at: tuple[str, int], ceiling: list[bytes], route_at: tuple[str, int], batch: list[bytes],
           expect: int) -> tuple[Figures, Figures]:
    """The ceiling and a route, measured in turns."""
    ceilings, figures = [], []
    for _ in range(SLICES):
        ceilings.append(blast(*ceiling_at, ceiling, connections=CONNECTIONS, seconds=SLICE))
        figures.append(blast(*route_at, batch, connections=CONNECTIONS, seconds=SLICE, expect=expect))
    return Figures.combined(ceilings), Figures.combined(figures)


def run() -> list[dict]:
    ceiling_command = [sys.executable, "-c", "from bench._ceiling import serve; serve()"]
    by_route: dict[str, list[Figures]] = {}
    ceilings: list[Figures] = []
    ratios: dict[str, list[float]] = {}
    paced: list[Figures] = []
    with served_hubsim() as hubsim_url, served_hubsim(ceiling_command) as ceiling_url:
        requests = _setup(hubsim_url)
        hubsim_at, ceiling_at = _address(hubsim_url), _address(ceiling_url)
        ceiling = [request_bytes("GET", "/ping", TOKEN)]
        for _ in range(RUNS):
            for route, batch in requests.items():
                beside, figures = _turns(ceiling_at, ceiling, hubsim_at, batch, _expect(route))
                ceilings.append(beside)
                by_route.setdefault(route, []).append(figures)
                ratios.setdefault(route, []).append(figures.per_second / beside.per_second)
            paced.append(blast(*hubsim_at, requests["event send"], connections=CONNECTIONS, seconds=PACED_SECONDS,
                               rate=EVENT_RATE, expect=204))
    median_ceiling = statistics.median(f.per_second for f in ceilings)
    rows = [{"bench": "bare-Flask ceiling (GET /ping, same server)", "value": median_ceiling, "unit": "req/s",
             "notes": f"p50 {statistics.median(f.p50_ms for f in ceilings):.2f} ms, "
                      f"p99 {statistics.median(f.p99_ms for f in ceilings):.2f} ms"}]
    for route, runs in by_route.items():
        ratio = statistics.median(ratios[route])
        gated = route in ("event send", "contact get")
        errors = sum(f.errors for f in runs)
        rows.append({
            "bench": f"{route} (socket)", "value": statistics.median(f.per_second for f in runs), "unit": "req/s",
            "target": f">= {CEILING_SHARE:.0%} of ceiling" if gated else "", "ok": not errors and (
                not gated or ratio >= CEILING_SHARE),
            "notes": f"{ratio:.0%} of the ceiling; p50 {statistics.median(f.p50_ms for f in runs):.2f} ms, "
                     f"p99 {statistics.median(f.p99_ms for f in runs):.2f} ms; {errors} unexpected answers",
        })  # fmt: skip
    p99 = statistics.median(f.p99_ms for f in paced)
    rate = statistics.median(f.per_second for f in paced)
    rows.append({
        "bench": f"event send paced at {EVENT_RATE:,}/s, p99", "value": p99, "unit": "ms",
        "target": f"< {EVENT_P99_MS:g} ms at >= {EVENT_RATE:,}/s",
        "ok": p99 < EVENT_P99_MS and rate >= EVENT_RATE * 0.98 and not sum(f.errors for f in paced),
        "notes": f"{rate:,.0f} sent a second; p50 {statistics.median(f.p50_ms for f in paced):.2f} ms; "
                 "latency from when each send was due",
    })  # fmt: skip
    for row in rows:
        row["notes"] = f"{row['notes']}; median of {RUNS} runs, rough: a shared 2-core machine"
    return rows
