"""`hubsim sync` (product events into a HubSpot, through scoring.sync) and `hubsim score calibrate`.

    hubsim sync --events run/events.jsonl --hubspot-url https://api.hubapi.com --token pat-... [--state DIR]
    hubsim sync --replay-dead-letters --events ... (after fixing what HubSpot refused)
    hubsim score calibrate --run run/               (a generated scenario's events and ground truth)

The events file is streamed a chunk at a time (bounded memory); `users.jsonl` and `accounts.jsonl` beside it give
the profiles. The outbox (`hubsim-sync.sqlite`) lives in the working directory unless `--state DIR` says
otherwise: run the same command again after a crash or a kill and it resumes.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

OUTBOX_FILE = "hubsim-sync.sqlite"
CHUNK = 2000  # events a push: scores are written once a chunk, so this also bounds the writes per contact


def add_sync_command(commands: argparse._SubParsersAction) -> None:
    sync = commands.add_parser("sync", help="sync product events into a HubSpot (scores, contacts, events)")
    sync.add_argument("--events", type=Path, required=True, help="events.jsonl, one product event a line")
    sync.add_argument("--hubspot-url", required=True, help="https://api.hubapi.com, or a hubsim")
    sync.add_argument("--token", required=True, help="a private app token")
    sync.add_argument("--model", type=Path, help="scoring model YAML (default: the packaged plg-default)")
    sync.add_argument("--mapping", type=Path, help="mapping YAML (default: the packaged plg mapping)")
    sync.add_argument("--users", type=Path, help="users.jsonl (default: beside the events file)")
    sync.add_argument("--accounts", type=Path, help="accounts.jsonl (default: beside the events file)")
    sync.add_argument("--state", type=Path, help=f"directory of the outbox (default: ./{OUTBOX_FILE})")
    sync.add_argument("--no-events", action="store_true", help="properties only: no custom behavioral events")
    sync.add_argument("--replay-dead-letters", action="store_true", help="send dead-lettered records again")
    sync.add_argument("--ten-secondly", type=int, default=190, help="the account's 10-second limit")
    sync.add_argument("--budget", type=float, default=0.9, help="share of the limit this sync may use")
    sync.add_argument("--chunk", type=int, default=CHUNK, help="events a push")
    sync.add_argument("--timeout", type=float, default=10.0, help="seconds before a request is given up")
    sync.add_argument("--quiet", action="store_true", help="no progress bar")
    sync.set_defaults(run=run_sync)

    score = commands.add_parser("score", help="PQL scoring: calibrate a threshold against outcomes")
    actions = score.add_subparsers(dest="score_command", required=True)
    calibrate = actions.add_parser("calibrate", help="precision, recall and lead time by threshold")
    calibrate.add_argument("--run", dest="run_dir", type=Path, required=True, help="a generated scenario's directory")
    calibrate.add_argument("--model", type=Path, help="scoring model YAML (default: plg-default)")
    calibrate.set_defaults(run=run_calibrate)


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as file:
        for line in file:
            if line.strip():
                yield json.loads(line)


def run_sync(args: argparse.Namespace) -> int:
    from rich.markup import escape

    from scenarios import terminal
    from scoring.client import HubSpotClient, HubSpotError, Unavailable
    from scoring.scores import from_iso
    from scoring.mapping import load_mapping
    from scoring.model import ModelError, load_model
    from scoring.outbox import Outbox
    from scoring.sync import Sync

    console = terminal.console(stderr=True)
    try:
        model, mapping = load_model(args.model), load_mapping(args.mapping)
    except ModelError as error:
        console.print(f"[red]{escape(str(error))}[/red]")
        return 2
    if not args.events.is_file():
        console.print(f"[red]no events file {escape(str(args.events))}[/red]")
        return 2
    folder = args.events.parent
    users_path, accounts_path = args.users or folder / "users.jsonl", args.accounts or folder / "accounts.jsonl"
    state = args.state or Path.cwd()
    state.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    client = HubSpotClient(args.hubspot_url, args.token, timeout=args.timeout, ten_secondly=args.ten_secondly,
                           budget=args.budget)
    sync = Sync(client, model=model, mapping=mapping, outbox=Outbox(state / OUTBOX_FILE),
                send_events=not args.no_events)
    last, code = None, 0
    try:
        sync.ensure_schema()
        sync.add_profiles(read_jsonl(users_path) if users_path.is_file() else (),
                          read_jsonl(accounts_path) if accounts_path.is_file() else ())
        with _progress(console, args.events, args.quiet) as advance:
            for chunk, size in _chunks(args.events, args.chunk):
                last = from_iso(chunk[-1]["timestamp"])
                sync.push(chunk, last)
                advance(size)
        if last is not None:
            sync.flush(last)
            if args.replay_dead_letters:
                console.print(f"replayed {sync.replay_dead_letters(last)} dead letters")
    except (Unavailable, HubSpotError) as error:
        console.print(f"[red]stopped: {escape(str(error))}[/red] — run the same command again to resume")
        code = 3
    finally:
        _summary(console, sync, time.monotonic() - started)
        sync.outbox.close()
        client.close()
    return code


def _chunks(path: Path, size: int) -> Iterator[tuple[list[dict[str, Any]], int]]:
    """Lists of `size` events, and the bytes they took in the file."""
    chunk, taken = [], 0
    with open(path, encoding="utf-8") as file:
        for line in file:
            taken += len(line.encode())
            if line.strip():
                chunk.append(json.loads(line))
            if len(chunk) >= size:
                yield chunk, taken
                chunk, taken = [], 0
    if chunk or taken:
        yield chunk, taken


class _progress:
    def __init__(self, console, path: Path, quiet: bool):
        self._console, self._total, self._quiet = console, path.stat().st_size, quiet
        self._bar = None

    def __enter__(self):
        if self._quiet:
            return lambda size: None
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeElapsedColumn, TimeRemainingColumn

        self._bar = Progress("syncing", BarColumn(), DownloadColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                             console=self._console, transient=True)
        self._bar.start()
        task = self._bar.add_task("events", total=self._total)
        return lambda size: self._bar.advance(task, size)

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def _summary(console, sync, elapsed: float) -> None:
    from rich.table import Table

    s, stats = sync.summary, sync.client.stats
    counts = sync.outbox.event_counts()
    table = Table("", "", box=None, title="hubsim sync")
    rows = [("events read", s.events_seen), ("events sent", s.events_sent),
            ("events pending", counts.get("pending", "?")),
            ("contacts upserted", s.contacts_upserted), ("companies upserted", s.companies_upserted),
            ("deals upserted", s.deals_upserted), ("associations", s.associations),
            ("skipped unchanged", s.skipped_unchanged), ("retried", stats.retries), ("throttled (429)", stats.throttled),
            ("dead-lettered", s.events_dead + s.records_dead), ("requests", stats.requests),
            ("elapsed", f"{elapsed:.1f} s"), ("requests / 10 s", f"{stats.requests / max(elapsed, 1e-9) * 10:.0f}")]
    for name, value in rows:
        table.add_row(name, str(value))
    console.print(table)


def run_calibrate(args: argparse.Namespace) -> int:
    from rich.markup import escape
    from rich.table import Table

    from scenarios import terminal
    from scoring.calibrate import calibrate
    from scoring.scores import from_iso
    from scoring.model import ModelError, load_model
    from scoring.sync import profile_of

    console = terminal.console()
    try:
        model = load_model(args.model)
    except ModelError as error:
        console.print(f"[red]{escape(str(error))}[/red]")
        return 2
    run = args.run_dir
    needed = [run / name for name in ("events.jsonl", "users.jsonl", "accounts.jsonl", "truth_users.jsonl")]
    missing = [str(p) for p in needed if not p.is_file()]
    if missing:
        console.print(f"[red]missing {escape(', '.join(missing))}: calibrate reads a generated scenario run[/red]")
        return 2
    accounts = {row["account"]: row for row in read_jsonl(run / "accounts.jsonl")}
    users = {row["user"]: row for row in read_jsonl(run / "users.jsonl")}
    profiles = {u["email"].lower(): profile_of(u["email"], u, accounts.get(u["account"], {})) for u in users.values()}
    conversions = {users[t["user"]]["email"].lower(): from_iso(t["account_upgraded_at"])
                   for t in read_jsonl(run / "truth_users.jsonl") if t.get("account_upgraded_at")}
    result = calibrate(model, profiles, read_jsonl(run / "events.jsonl"), conversions)
    bands = Table("peak score", "contacts", "converted", "conversion", title="by score band (peak before converting)")
    for band in result.bands:
        bands.add_row(f"{band.low}-{band.low + 9}", str(band.contacts), str(band.converted), f"{band.rate:.1%}")
    console.print(bands)
    best = result.best
    thresholds = Table("threshold", "flagged", "converted", "precision", "recall", "F1", "median lead (days)",
                       title=f"{result.contacts} contacts, {result.converters} converted")
    for t in result.thresholds:
        style = "bold green" if t is best else None
        thresholds.add_row(str(t.threshold), str(t.flagged), str(t.converted), f"{t.precision:.1%}",
                           f"{t.recall:.1%}", f"{t.f1:.3f}",
                           "-" if t.median_lead_days is None else f"{t.median_lead_days:.1f}", style=style)
    console.print(thresholds)
    lead = "" if best.median_lead_days is None else f", {best.median_lead_days:.1f} days before they buy (median)"
    console.print(f"recommended PQL threshold: [bold]{best.threshold}[/bold] (precision {best.precision:.0%}, "
                  f"recall {best.recall:.0%}{lead})")
    return 0

