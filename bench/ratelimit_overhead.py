"""What the rate limiter and the journal add to a request: the same requests on two portals of one simulator, one
with rate limits and journal off, one with both on, alternating request by request so machine load falls on both
alike. Over a socket (what a client's request costs), and in-process (the simulator's own work, no socket)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from simulator import Hub, create_app
from simulator.harness.journal import Journal
from simulator.ratelimit import RateLimiter
from simulator.testing import Simulator

ROUNDS = 30
PER_ROUND = 100  # under the enterprise window (190 per 10 s): every request on the "on" portal is accepted
MICRO = 50_000
GET_BY_ID = ("GET", "/crm/v3/objects/contacts/1?properties=email,firstname", None)
BATCH_READ = (
    "POST",
    "/crm/v3/objects/contacts/batch/read",
    {"inputs": [{"id": str(i)} for i in range(1, 11)], "properties": ["email", "firstname"]},
)
SETUP = {"inputs": [{"properties": {"email": f"u{i}@acme.io", "firstname": f"U{i}"}} for i in range(10)]}

Send = Callable[[str, str, dict | None], object]


def _costs(off: Send, on: Send, advance: Callable[[], None], request, cpu: Callable[[], float]):
    """(median CPU microseconds per request off, on, the median of the rounds' on/off ratios).

    CPU time, not wall time: on a busy machine a request's wall time mostly measures the other processes. Rounds
    compare like with like, as load drifts over a run."""
    method, path, body = request
    off_all, on_all, ratios = [], [], []
    for round_ in range(ROUNDS):
        costs: dict[str, list[float]] = {"off": [], "on": []}
        for i in range(PER_ROUND):
            for name, send in (("off", off), ("on", on)) if (round_ + i) % 2 else (("on", on), ("off", off)):
                started = cpu()
                send(method, path, body)
                costs[name].append(cpu() - started)
        advance()  # a fresh ten-second window for the "on" portal, not counted
        ratios.append(statistics.median(costs["on"]) / statistics.median(costs["off"]))
        off_all += costs["off"]
        on_all += costs["on"]
    return statistics.median(off_all) * 1e6, statistics.median(on_all) * 1e6, statistics.median(ratios)


def _over_a_socket() -> list[tuple[str, float, float, float]]:
    with Simulator() as sim:
        off, on = sim.portal("pat-bench-off"), sim.portal("pat-bench-on")
        off.settings(rateLimits=False, journal=False)
        on.settings(rateLimits=True, journal=True)
        with off.client() as off_client, on.client() as on_client:
            for client in (off_client, on_client):
                client.post("/crm/v3/objects/contacts/batch/create", json=SETUP).raise_for_status()
            figures = []
            for label, request in (("GET contact by id", GET_BY_ID), ("POST batch/read of 10", BATCH_READ)):
                figures.append((label, *_costs(
                    lambda m, p, b: off_client.request(m, p, json=b),
                    lambda m, p, b: on_client.request(m, p, json=b),
                    lambda: on.clock.advance(seconds=10),
                    request,
                    time.process_time,  # client and server threads: the whole cost of a request
                )))
        off.close()
        on.close()
    return figures


def _in_process() -> list[tuple[str, float, float, float]]:
    hub = Hub()
    try:
        client = create_app(hub).test_client()
        off, on = {"Authorization": "Bearer pat-bench-off"}, {"Authorization": "Bearer pat-bench-on"}
        for headers, state in ((off, False), (on, True)):
            client.post("/_sim/portal", headers=headers, json={"rateLimits": state, "journal": state})
            client.post("/crm/v3/objects/contacts/batch/create", headers=headers, json=SETUP)
        figures = []
        for label, request in (("GET contact by id", GET_BY_ID), ("POST batch/read of 10", BATCH_READ)):
            figures.append((label, *_costs(
                lambda m, p, b: client.open(p, method=m, headers=off, json=b),
                lambda m, p, b: client.open(p, method=m, headers=on, json=b),
                lambda: client.post("/_sim/clock", headers=on, json={"advance": 10}),
                request,
                time.thread_time,
            )))
        return figures
    finally:
        hub.close()


class _Settings:
    tier, time_zone, api_limit_increases, secondly_headers = "api-add-on", "Europe/Berlin", 0, False


def _micro_limiter() -> float:
    ticks = iter(range(10**9))
    limiter = RateLimiter(lambda: next(ticks) * 0.05, _Settings())  # 20 requests a second: always accepted
    started = time.perf_counter()
    for _ in range(MICRO):
        limiter.check("GET", "/crm/v3/objects/contacts/1")
    return (time.perf_counter() - started) / MICRO * 1e6


def _micro_journal() -> float:
    journal = Journal()
    moment = datetime(2030, 1, 1, tzinfo=UTC)
    body = b'{"id":"1","properties":{"email":"ann@acme.io"}}' * 4
    started = time.perf_counter()
    for _ in range(MICRO):
        journal.record(
            time=moment, method="GET", path="/crm/v3/objects/contacts/1", query=b"properties=email", status=200,
            latency_ms=0.2, request_body=b"", response_body=body, correlation_id="c",
        )
    return (time.perf_counter() - started) / MICRO * 1e6


def run() -> list[dict]:
    rows = []
    in_process = {label: figures for label, *figures in _in_process()}
    for label, off, on, ratio in _over_a_socket():
        added = (ratio - 1) * 100
        local_off, local_on, local_ratio = in_process[label]
        rows.append({
            "bench": f"rate limits + journal, {label}", "value": added, "unit": "%", "target": "< 10 %",
            "ok": added < 10,
            "notes": f"CPU per request over a socket: off {off:.0f} us, on {on:.0f} us; in-process, no socket: off "
                     f"{local_off:.0f} us, on {local_on:.0f} us ({(local_ratio - 1) * 100:+.0f} %); "
                     f"{ROUNDS * PER_ROUND} requests each",
        })
    limiter, journal = _micro_limiter(), _micro_journal()
    rows.append({"bench": "rate limiter check", "value": limiter, "unit": "us", "target": "< 10 us",
                 "ok": limiter < 10, "notes": f"{MICRO} checks, one thread"})
    rows.append({"bench": "journal record", "value": journal, "unit": "us", "target": "< 10 us",
                 "ok": journal < 10, "notes": f"{MICRO} entries into a 10,000-entry ring"})
    return rows
