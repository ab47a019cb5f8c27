"""Dynamic lists: one property write re-evaluated against 100 DYNAMIC lists (p95), and a new DYNAMIC list evaluated
over 100,000 contacts."""

from __future__ import annotations

import random
import statistics
import time

from bench._contacts import CONTACTS, email, load
from simulator.hub import Hub
from simulator.lists.requests import ListCreate

TOKEN = "pat-bench-lists"
LISTS = 100
WRITES = 500


def branch(*filters: dict) -> dict:
    return {"filterBranchType": "OR", "filters": [],
            "filterBranches": [{"filterBranchType": "AND", "filters": list(filters), "filterBranches": []}]}  # fmt: skip


def pql_at_least(score: int) -> dict:
    return {"filterType": "PROPERTY", "property": "pql_score",
            "operation": {"operationType": "NUMBER", "operator": "IS_GREATER_THAN_OR_EQUAL_TO", "value": score}}


NOT_CUSTOMER = {"filterType": "PROPERTY", "property": "lifecyclestage",
                "operation": {"operationType": "ENUMERATION", "operator": "IS_NONE_OF", "values": ["customer"],
                              "includeObjectsWithNoValueSet": True}}  # fmt: skip


def run() -> list[dict]:
    hub = Hub()
    portal = hub.portal(TOKEN)
    loaded = load(portal)
    lists = portal.lists
    started, started_cpu = time.perf_counter(), time.process_time()
    big = lists.create(ListCreate.parse({"name": "PQL >= 70, not customer", "objectTypeId": "0-1",
                                         "processingType": "DYNAMIC",
                                         "filterBranch": branch(pql_at_least(70), NOT_CUSTOMER)}))  # fmt: skip
    evaluated, evaluated_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    for n in range(LISTS - 1):  # every list reads pql_score: each write re-evaluates all 100
        lists.create(ListCreate.parse({"name": f"PQL >= {n}", "objectTypeId": "0-1", "processingType": "DYNAMIC",
                                       "filterBranch": branch(pql_at_least(n), NOT_CUSTOMER)}))  # fmt: skip
    store, rng, cpu, wall = portal.objects("contacts"), random.Random(11), [], []
    for _ in range(WRITES):
        who = email(rng.randrange(CONTACTS))
        values = {"pql_score": str(rng.randrange(101))}
        begun, begun_cpu = time.perf_counter(), time.thread_time()
        store.update(who, values, id_property="email")
        cpu.append((time.thread_time() - begun_cpu) * 1000)
        wall.append((time.perf_counter() - begun) * 1000)
    # Targets are judged on CPU time: on a shared machine a 1 ms call is often preempted, and wall-clock figures
    # then measure the neighbours (they are reported beside it).
    p95, wall_p95 = statistics.quantiles(cpu, n=20)[-1], statistics.quantiles(wall, n=20)[-1]
    hub.close()
    return [
        {"bench": "lists: new DYNAMIC list over 100k contacts (CPU)", "value": evaluated_cpu, "unit": "s",
         "target": "< 3 s", "ok": evaluated_cpu < 3,
         "notes": f"{len(big.members):,} members, each published; wall clock {evaluated:.2f} s; contacts loaded "
                  f"in {loaded:.1f} s"},
        {"bench": "lists: one property write, 100 DYNAMIC lists (p95 CPU)", "value": p95, "unit": "ms",
         "target": "< 5 ms", "ok": p95 < 5,
         "notes": f"{WRITES} domain updates of pql_score, each re-evaluated by every list; CPU time, median "
                  f"{statistics.median(cpu):.3f} ms; wall clock p95 {wall_p95:.2f} ms"},
    ]  # fmt: skip
