"""Custom event sends: single POST /events/v3/send requests in-process (Flask's test client, no socket), one after
another, each validated against its definition, recorded on a contact's timeline and published on the feed.

Rate limits are off for the measurement: HubSpot's own events policy (1,250 a second) would otherwise be the figure.
The journal stays on, as it is by default. The figure is sends per CPU-second of the sending thread (client and
simulator share it in-process), as bench/ratelimit_overhead.py measures: on a busy machine wall time mostly measures
the other processes. The wall-clock rate is in the notes.
"""

from __future__ import annotations

import time

from simulator import Hub, create_app

SENDS = 5_000
CONTACTS = 500
TARGET_PER_SECOND = 2_000  # issue 17: event send (single) sustains >= 2,000 requests/second in-process
HEADERS = {"Authorization": "Bearer pat-bench-events"}


def _sends_per_second() -> tuple[float, float, int]:
    hub = Hub()
    try:
        client = create_app(hub).test_client()
        client.post("/_sim/portal", headers=HEADERS, json={"rateLimits": False})
        name = client.post("/events/v3/event-definitions", headers=HEADERS, json={
            "label": "Feature used", "propertyDefinitions": [
                {"name": "feature", "label": "Feature", "type": "enumeration",
                 "options": [{"label": "Reports", "value": "reports"}, {"label": "API", "value": "api"}]},
                {"name": "seats", "label": "Seats", "type": "number"}],
        }).get_json()["fullyQualifiedName"]  # fmt: skip
        inputs = [{"properties": {"email": f"u{i}@acme.io"}} for i in range(CONTACTS)]
        ids = []
        for start in range(0, CONTACTS, 100):
            created = client.post("/crm/v3/objects/contacts/batch/create", headers=HEADERS,
                                  json={"inputs": inputs[start : start + 100]}).get_json()  # fmt: skip
            ids += [r["id"] for r in created["results"]]
        bodies = [{"eventName": name, "objectId": ids[i % CONTACTS],
                   "properties": {"feature": "api" if i % 2 else "reports", "seats": str(i % 50)}}
                  for i in range(SENDS)]  # fmt: skip
        started_wall, started_cpu = time.perf_counter(), time.thread_time()
        for body in bodies:
            answer = client.post("/events/v3/send", headers=HEADERS, json=body)
            if answer.status_code != 204:
                raise RuntimeError(f"send answered {answer.status_code}: {answer.get_data(as_text=True)}")
        wall, cpu = time.perf_counter() - started_wall, time.thread_time() - started_cpu
        stored = hub.portal(HEADERS["Authorization"].removeprefix("Bearer ")).events.usage()["stored"]
        return SENDS / wall, SENDS / cpu, stored
    finally:
        hub.close()


def run() -> list[dict]:
    per_second, per_cpu_second, stored = _sends_per_second()
    return [{
        "bench": "event send (single), in-process", "value": per_cpu_second, "unit": "req/CPU-s",
        "target": f">= {TARGET_PER_SECOND:,}", "ok": per_cpu_second >= TARGET_PER_SECOND,
        "notes": f"{SENDS:,} sends one after another on {CONTACTS} contacts ({stored:,} stored); "
                 f"{per_second:,.0f} per wall-clock second; rate limits off, journal on",
    }]  # fmt: skip
