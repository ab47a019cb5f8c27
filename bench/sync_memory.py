"""A long events file syncs in bounded memory: the issue's "a 2-million-event file syncs in bounded memory", shown.

For each size (200,000 and 2,000,000 events by default) an events.jsonl is written to a temporary folder a line
at a time (never held), with its users.jsonl and accounts.jsonl: the same 2,000 users at 400 companies, about five
events a user a day, so a longer file is a longer history of the same product (200k events are 20 days, 2M are
200). A child process syncs it through the real sync core (`scoring.stream.sync_file`: outbox on disk, scorer,
mapping, batches, client) against an httpx MockTransport that answers as HubSpot would (upsert results with ids,
204 for event batches) and keeps no state, so what is measured is the sync, and the rate limit does not set the
time. The child reports its peak RSS (VmHWM) and its RSS once the profiles are loaded, before the first event.
The target: the 2M-event peak within 10% of the 200k-event peak.

HUBSIM_BENCH_SYNC_MEMORY_SIZES="20000,100000" runs other sizes (a quicker look)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bench._memory import peak_mb, rss_mb

USERS = 2_000
ACCOUNTS = 400
SIZES = tuple(int(n) for n in os.environ.get("HUBSIM_BENCH_SYNC_MEMORY_SIZES", "200000,2000000").split(","))
CHUNK = 2000  # hubsim sync's default chunk
GROWTH_TARGET = 0.10
START = datetime(2026, 1, 5, tzinfo=UTC)
# (event, chance a user-day, properties): about five events a user a day, most of them logins.
DAILY = (
    ("logged_in", 1.0, {}), ("logged_in", 0.8, {}), ("logged_in", 0.5, {}),
    ("key_feature_used", 0.9, {"feature": "dashboards", "first_time": False}),
    ("pricing_page_viewed", 0.6, {"plan": "team"}),
    ("content_downloaded", 0.4, {"asset": "playbook"}),
    ("webinar_attended", 0.2, {"webinar": "onboarding"}),
    ("teammate_invited", 0.3, {"invitee_email": "teammate@example.com"}),
    ("usage_limit_approached", 0.1, {"limit": "seats", "usage_pct": 85}),
    ("upgraded", 0.002, {"plan": "team", "seats": 10, "arr": 12000, "currency": "USD", "billing_period": "annual"}),
)


def write_world(folder: Path, events: int, *, users: int = USERS, accounts: int = ACCOUNTS, seed: int = 7) -> None:
    """users.jsonl, accounts.jsonl and `events` product events in time order, written as they are made."""
    rng = random.Random(seed)
    with open(folder / "accounts.jsonl", "w", encoding="utf-8") as file:
        for a in range(accounts):
            file.write(json.dumps({"account": f"a{a}", "name": f"Company {a}", "domain": f"company{a}.io",
                                   "industry": "INTERNET", "employees": 50 + a, "region": "emea"}) + "\n")
    with open(folder / "users.jsonl", "w", encoding="utf-8") as file:
        for u in range(users):
            file.write(json.dumps({"user": f"u{u}", "account": f"a{u % accounts}", "email": f"user{u}@company"
                                   f"{u % accounts}.io", "first_name": f"F{u}", "job_title": "Head of Ops"}) + "\n")
    written = 0
    with open(folder / "events.jsonl", "w", encoding="utf-8") as file:
        day = 0
        while written < events:
            for u in range(users):
                at = START + timedelta(days=day, seconds=u * 86_400 // users)
                todo = [("signed_up", {"source": "organic"}), ("trial_started", {"trial_days": 14})] if day == 0 \
                    else [(name, props) for name, chance, props in DAILY if rng.random() < chance]
                for k, (name, props) in enumerate(todo):
                    if written == events:
                        return
                    stamp = (at + timedelta(seconds=k)).isoformat().replace("+00:00", "Z")
                    file.write(json.dumps({"id": f"e{written}", "timestamp": stamp, "event": name, "user": f"u{u}",
                                           "account": f"a{u % accounts}", "email": f"user{u}@company{u % accounts}.io",
                                           "properties": props}) + "\n")
                    written += 1
            day += 1


def hubspot(request: httpx.Request) -> httpx.Response:
    """HubSpot's answers to what the sync sends, without keeping anything (ids derived from the keys)."""
    path, method = request.url.path, request.method
    if method == "GET" and path.startswith("/events/v3/event-definitions"):
        return httpx.Response(200, json={"results": []})
    if method == "GET" and "/groups/" in path:
        return httpx.Response(200, json={"name": path.rsplit("/", 1)[1]})
    if method == "GET":
        return httpx.Response(200, json={"results": []})
    body = json.loads(request.content or b"{}")
    if path == "/events/v3/event-definitions":
        return httpx.Response(201, json={"name": body["name"], "fullyQualifiedName": f"pe1_{body['name']}"})
    if path == "/events/v3/send/batch":
        return httpx.Response(204)
    if path.endswith("/batch/upsert"):
        results = [{"id": str(zlib.crc32(item["id"].encode())), "properties": item["properties"]
                    | {item["idProperty"]: item["id"]}} for item in body["inputs"]]
        return httpx.Response(200, json={"status": "COMPLETE", "results": results})
    return httpx.Response(200 if "/batch/" in path else 201, json={"status": "COMPLETE", "results": []})


def measure(folder: Path) -> dict:
    """Sync the folder's events; the figures (run in a child process: its peak is the sync's alone)."""
    from scoring.client import HubSpotClient
    from scoring.outbox import Outbox
    from scoring.stream import read_jsonl, sync_file
    from scoring.sync import Sync

    client = HubSpotClient("https://api.hubapi.com", "pat-bench", transport=httpx.MockTransport(hubspot),
                           ten_secondly=10**9, daily=10**12)
    sync = Sync(client, outbox=Outbox(folder / "outbox.sqlite"))
    sync.ensure_schema()
    sync.add_profiles(read_jsonl(folder / "users.jsonl"), read_jsonl(folder / "accounts.jsonl"))
    ready = rss_mb()
    started = time.perf_counter()
    sync_file(sync, folder / "events.jsonl", CHUNK)
    elapsed = time.perf_counter() - started
    counts = sync.outbox.event_counts()
    sync.outbox.close()
    client.close()
    return {"events": sync.summary.events_seen, "sent": counts["sent"], "pending": counts["pending"],
            "requests": client.stats.requests, "seconds": elapsed, "ready_mb": ready,
            "peak_mb": peak_mb()}


def run() -> list[dict]:
    figures = []
    for size in SIZES:
        with tempfile.TemporaryDirectory(prefix="hubsim-sync-memory-") as tmp:
            write_world(Path(tmp), size)
            child = subprocess.run([sys.executable, "-m", "bench.sync_memory", tmp], capture_output=True, text=True,
                                   check=True, cwd=Path(__file__).resolve().parent.parent)
            figures.append(json.loads(child.stdout))
    small, large = figures[0], figures[-1]
    growth = large["peak_mb"] / small["peak_mb"] - 1
    rows = [{"bench": f"sync memory: peak RSS, {f['events']:,} events", "value": f["peak_mb"], "unit": "MB",
             "target": "-", "ok": f["sent"] == f["events"] and f["pending"] == 0,
             "notes": f"{f['ready_mb']:.0f} MB before the first event; {f['seconds']:.0f} s, "
                      f"{f['events'] / f['seconds']:,.0f} events/s, {f['requests']:,} requests; rough: a shared "
                      "machine"} for f in figures]
    rows.append({"bench": f"sync memory: peak growth {small['events']:,} -> {large['events']:,} events",
                 "value": growth * 100, "unit": "%", "target": f"<= {GROWTH_TARGET:.0%}",
                 "ok": growth <= GROWTH_TARGET, "notes": f"{USERS:,} users; the file is streamed"})
    return rows


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))
