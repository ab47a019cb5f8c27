"""A generated run on disk: the event stream, profiles and ground truth, and a manifest.

    events.jsonl          one product event a line, in time order (streamed: never held in memory)
    users.jsonl           user profiles, as the product's database has them
    accounts.jsonl        accounts (workspaces) with their company and billing state at the end
    truth_users.jsonl     per user: segment, latent intent, stages entered and when, upgrade
    truth_accounts.jsonl  per account: segment, intent at signup and at the end, upgrade, plan, ARR, churn
    manifest.json         what was generated (scenario, seed, period), counts, and the analytic funnel

The same scenario, seed, start and sizes give byte-identical files.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from importlib.metadata import version
from pathlib import Path

from scenarios.funnel import mixture_funnel
from scenarios.journeys import ScenarioRun
from scenarios.model import Scenario
from scenarios.truth import iso

CHUNK = timedelta(hours=1)


def generate(scenario: Scenario, out: Path, *, users: int | None = None, days: int | None = None, seed: int = 0,
             start: datetime | None = None, progress: Callable[[datetime, int], None] | None = None) -> dict:
    """Play the scenario with no interventions and write it to `out`; returns the manifest.

    `progress(now, events)` is called after each simulated hour."""
    run = ScenarioRun(scenario, users=users, days=days, seed=seed, start=start)
    out.mkdir(parents=True, exist_ok=True)
    counts: Counter[str] = Counter()
    with open(out / "events.jsonl", "w", encoding="utf-8", newline="\n") as events:
        while run.now < run.end:
            lines = []
            for event in run.advance(min(run.now + CHUNK, run.end)):
                counts[event.event] += 1
                lines.append(event.to_json())
            if lines:
                events.write("\n".join(lines) + "\n")
            if progress:
                progress(run.now, counts.total())
    users = _write_lines(out / "users.jsonl", run.users())
    accounts = _write_lines(out / "accounts.jsonl", run.accounts())
    _write_lines(out / "truth_users.jsonl", (user.as_json() for user in run.user_truths()))
    upgraded = 0
    with open(out / "truth_accounts.jsonl", "w", encoding="utf-8", newline="\n") as file:
        for account in run.account_truths():
            upgraded += account.upgraded_at is not None
            file.write(_line(account.as_json()))
    manifest = {
        "scenario": scenario.name,
        "seed": seed,
        "start": iso(run.start),
        "end": iso(run.end),
        "faker": version("faker"),
        "counts": {"events": counts.total(), "users": users, "accounts": accounts, "upgraded_accounts": upgraded,
                   "events_by_type": dict(sorted(counts.items()))},
        "analytic_funnel": {stage: round(p, 6) for stage, p in mixture_funnel(scenario).reach.items()},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _write_lines(path: Path, records: Iterable[dict]) -> int:
    """Streamed, one record at a time: a 100k-user run never holds its profiles or truth as a list."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as file:
        for record in records:
            file.write(_line(record))
            count += 1
    return count


_encode = json.JSONEncoder(separators=(",", ":")).encode  # built once: json.dumps builds one per call


def _line(record: dict) -> str:
    return _encode(record) + "\n"
