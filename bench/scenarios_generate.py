"""Scenario generation at scale: 100,000 signups over 30 days, written to disk as `hubsim scenario generate` does.

Runs in a child process pinned to one core, so the time is one core's and the peak memory (the child's own
high-water mark) is the generator's alone, not this process's or another benchmark's."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the child imports bench._memory from the checkout
USERS, DAYS, SEED = 100_000, 30, 1
TIME_TARGET_S, MEMORY_TARGET_MB = 60.0, 300.0

CHILD = """
import json, os, sys, time
from pathlib import Path
from bench._memory import peak_mb
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
from scenarios.model import load_scenario
from scenarios.output import generate
started, cpu = time.perf_counter(), time.process_time()
manifest = generate(load_scenario("plg-default"), Path(sys.argv[1]), users=int(sys.argv[2]), days=int(sys.argv[3]),
                    seed=int(sys.argv[4]))
print(json.dumps({"generate_s": time.perf_counter() - started, "cpu_s": time.process_time() - cpu,
                  "events": manifest["counts"]["events"], "users": manifest["counts"]["users"],
                  "peak_mb": peak_mb()}))
"""


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        child = subprocess.run([sys.executable, "-c", CHILD, out, str(USERS), str(DAYS), str(SEED)],
                               capture_output=True, text=True, check=True, cwd=ROOT)
        total = time.perf_counter() - started  # what the command costs: interpreter, imports, Faker pools, files
    figures = json.loads(child.stdout)
    rate = figures["events"] / figures["generate_s"]
    notes = (f"{figures['events']:,} events from {figures['users']:,} users; {rate:,.0f} events/s; "
             f"CPU {figures['cpu_s']:.1f} s")
    return [
        {"bench": f"scenario generate {USERS // 1000}k users x {DAYS} days", "value": round(total, 1), "unit": "s",
         "target": f"< {TIME_TARGET_S:.0f} s", "ok": total < TIME_TARGET_S, "notes": notes,
         "events": figures["events"], "events_per_s": round(rate), "cpu_s": round(figures["cpu_s"], 1)},
        {"bench": "scenario generate peak memory", "value": round(figures["peak_mb"], 1), "unit": "MB",
         "target": f"< {MEMORY_TARGET_MB:.0f} MB", "ok": figures["peak_mb"] < MEMORY_TARGET_MB,
         "notes": "VmHWM (peak RSS) of the generating process"},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
