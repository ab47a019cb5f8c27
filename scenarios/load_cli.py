"""`hubsim load [PROFILE] [--users N] [--duration 20s] [--tier T] [--workers K] [--host URL]`: Locust at HubSpot's
rate limits.

Starts a fresh `hubsim serve` (or uses the hubsim at --host), sets the portal's tier, runs the profile's locustfile
(load/) headless in its own process for the duration, with CSV and HTML reports into a folder (--workers K: Locust's
distributed mode, a master and K worker processes), then checks the simulator's own account of the run
(/_sim/usage, the journal): no window of any policy above its allowance, and no 5xx. The locustfile gates itself
(failures, p95, expected throttling) and its exit code is part of the verdict. Locust runs from a checkout: load/ is
not installed with the package. Imports beyond argparse happen in the command, so `hubsim serve` does not pay for them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOAD_DIR = Path(__file__).resolve().parents[1] / "load"
PROFILES = {  # name: (locustfile in load/, default users)
    "crm": ("crm.py", 4),
    "events": ("event_firehose.py", 20),  # 1,250 sends a second need many users in flight
    "sync": ("sync_core.py", 2),
    "mixed": ("mixed.py", 8),
}
SHAPES = ("none", "step", "spike", "soak")  # load/shapes.py
SHAPE_ENV = "HUBSIM_LOAD_SHAPE"  # load/shapes.py reads it when the locustfile is imported
TIERS = ("free", "starter", "professional", "enterprise", "api-add-on")  # simulator.ratelimit.TIERS
DEFAULT_TIER = "professional"
TOKEN_ENV = "HUBSPOT_ACCESS_TOKEN"  # the locustfile's token, and the portal --host is loaded through
NO_FIGURES = {"requests": 0, "requestsPerSecond": 0.0, "throttled": 0, "failures": 0, "p95Ms": 0.0,
              "gate": []}  # Locust died early
SERVE_START_SECONDS = 30.0
LOCUST_GRACE_SECONDS = 120.0  # Locust's own start and stop, on top of the run time
TICK_SECONDS = 1.0  # how often the live progress line is refreshed from /_sim/usage
PLAIN_PROGRESS_SECONDS = 10.0  # without a terminal (CI logs), a progress line this often instead
# The report's per-policy figures, as the console table shows them: (key in the JSON, column), one list for both
# (they once disagreed: the table's "busiest window" was the sliding peak, the JSON's an aligned 10-second window)
POLICY_COLUMNS = (("limit", "limit"), ("accepted", "accepted"), ("rejected", "throttled"),
                  ("busiestWindow", "busiest window"))
POLICY_LABELS = {"tenSecondly": "ten-secondly", "search": "search (secondly)", "eventsSend": "event sends (secondly)"}
_TIMESPAN = re.compile(r"(?:(?P<h>[0-9]+)h)?(?:(?P<m>[0-9]+)m)?(?:(?P<s>[0-9]+)s?)?")


class LoadError(Exception):
    """The run could not start: a missing piece, or no simulator to load."""


def add_load_command(commands: argparse._SubParsersAction) -> None:
    load = commands.add_parser("load", help="Locust at HubSpot's API rate limits, checked by the simulator")
    load.add_argument("profile", nargs="?", choices=tuple(PROFILES), default="crm",
                      help="crm (batch upserts, gets, searches), events (custom-event firehose), sync (the scoring "
                           "sync core), mixed (all three)")
    load.add_argument("--users", type=_positive,
                      help="simulated clients (default: " + ", ".join(f"{k} {v[1]}" for k, v in PROFILES.items()) + ")")
    load.add_argument("--duration", type=timespan, default="20s", metavar="TIME",
                      help="how long Locust runs: 20s, 2m, 1m30s")
    load.add_argument("--tier", choices=TIERS,
                      help=f"the portal's tier, which sets its 10-second allowance (default {DEFAULT_TIER} on a "
                           "fresh simulator; unchanged with --host)")
    load.add_argument("--host", metavar="URL",
                      help=f"a running hubsim to load instead of a fresh one (token from ${TOKEN_ENV}, else a new "
                           "portal)")
    load.add_argument("--workers", type=_positive, metavar="K",
                      help="Locust's distributed mode: a master and K worker processes on this machine")
    load.add_argument("--multiple", type=float, default=1.0,
                      help="the load as a multiple of the allowance the profile paces to (10 drives the portal at ten "
                           "times its limit: 429s are then expected)")
    load.add_argument("--shape", choices=SHAPES, default="none",
                      help="step (0.5x, 1x, 1.5x, 3x, 0.5x), spike (10x in the middle) or soak (0.9x) over the "
                           "duration")
    load.add_argument("--max-p95", type=float, default=1000.0, metavar="MS",
                      help="the 95th percentile response time the run tolerates, ms")
    load.add_argument("--reports", type=Path, metavar="DIR",
                      help="Locust's CSV and HTML reports go here (default ./hubsim-load/PROFILE)")
    load.add_argument("--report", type=Path, metavar="FILE", help="also write the figures as JSON")
    load.set_defaults(run=run_load)


def run_load(args: argparse.Namespace) -> int:
    from rich.markup import escape

    from scenarios import terminal
    from scenarios.budget_cli import print_report

    console = terminal.console(highlight=False)
    try:
        with ExitStack() as stack:
            figures = _load(args, console, stack)
    except LoadError as error:
        print(f"hubsim load: {error}", file=sys.stderr)
        return 2
    problems = judge(figures)
    console.print(summary_table(figures))
    if "budget" in figures:
        print_report(console, figures["budget"])
    console.print(locust_line(figures))
    for problem in problems:
        console.print(f"[red]FAIL[/red] {escape(problem)}")
    if not problems:
        console.print(f"[green]OK[/green] no 10-second window above the allowance of {figures['limit']} (nor any other "
                      "policy's window above its own); no 5xx from the simulator")
    if args.report:
        args.report.write_text(json.dumps({**figures, "problems": problems, "ok": not problems}, indent=2) + "\n")
    return 1 if problems else 0


def _load(args: argparse.Namespace, console, stack: ExitStack) -> dict[str, Any]:
    import httpx
    from rich.markup import escape

    from scenarios.budget_cli import forecast
    from simulator.testing import SimPortal

    locustfile = LOAD_DIR / PROFILES[args.profile][0]
    users = args.users or PROFILES[args.profile][1]
    if not locustfile.is_file():
        raise LoadError(f"{locustfile} not found: hubsim load runs Locust from a checkout of hubsim "
                        "(load/ is not installed with the package)")
    if not _has_locust():
        raise LoadError("Locust is not installed: pip install -e '.[load]' (make load does)")
    tier = args.tier
    if args.host:
        base_url, token = args.host.rstrip("/"), os.environ.get(TOKEN_ENV) or _fresh_token()
    else:
        base_url, token, tier = stack.enter_context(served_hubsim()), _fresh_token(), tier or DEFAULT_TIER
    portal = SimPortal(base_url, token)
    stack.callback(portal.close)
    try:
        settings = portal.settings(tier=tier) if tier else portal.settings()
        limit = portal.usage()["policies"]["tenSecondly"]["limit"]
    except httpx.HTTPStatusError as error:
        raise LoadError(f"{base_url} refused the control API: {error.response.status_code} "
                        f"{error.response.text[:200]}") from None
    except (httpx.HTTPError, ValueError, KeyError) as error:
        raise LoadError(f"no hubsim answering at {base_url}/_sim ({error})") from None
    workers = f", {args.workers} Locust workers" if args.workers else ""
    console.print(f"[bold]hubsim load {args.profile}[/bold]: {users} users for {args.duration} s at {args.multiple:g}x "
                  f"(shape {args.shape}{workers}), {escape(settings['tier'])} tier ({limit} calls per 10 s) at "
                  f"{escape(base_url)}")
    reports = (args.reports or Path("hubsim-load") / args.profile).resolve()
    reports.mkdir(parents=True, exist_ok=True)
    figures_file = reports / "figures.json"
    figures_file.unlink(missing_ok=True)
    run = LocustRun(locustfile, base_url, token, limit, users, args.duration, args.multiple, args.shape,
                    args.workers, reports, args.max_p95)
    with live_progress(console, portal, args.duration) as tick:
        locust_code = run_locust(run, on_tick=tick)
    raw_usage = portal.usage()
    usage = raw_usage["policies"]
    return {
        "budget": forecast(raw_usage, portal.settings().get("timeZone", "UTC")),
        "profile": args.profile,
        "users": users,
        "seconds": args.duration,
        "tier": settings["tier"],
        "limit": limit,
        "reports": str(reports),
        **(json.loads(figures_file.read_text()) if figures_file.is_file() else NO_FIGURES),
        "locustExitCode": locust_code,
        "serverErrors": portal.journal.count(status="5xx"),
        "policies": {key: _policy(value) for key, value in usage.items() if "windows" in value},
        "daily": usage.get("daily", {}),
    }


@dataclass(frozen=True)
class LocustRun:
    locustfile: Path
    base_url: str
    token: str
    limit: int
    users: int
    seconds: int
    multiple: float
    shape: str
    workers: int | None
    reports: Path
    max_p95_ms: float


def locust_command(run: LocustRun) -> list[str]:
    command = [
        sys.executable, "-m", "locust", "-f", str(run.locustfile), "--headless",
        "--users", str(run.users), "--spawn-rate", str(run.users), "--run-time", f"{run.seconds}s",
        "--host", run.base_url, "--ten-secondly-limit", str(run.limit), "--multiple", str(run.multiple),
        "--max-p95-ms", str(run.max_p95_ms), "--figures-file", str(run.reports / "figures.json"),
        "--csv", str(run.reports / "run"), "--html", str(run.reports / "report.html"),
        "--only-summary", "--loglevel", "WARNING",
    ]
    if run.workers:  # Locust's own distributed mode: this process is the master, forking the workers
        command += ["--processes", str(run.workers)]
    return command


def run_locust(run: LocustRun, on_tick: Callable[[float], None] = lambda elapsed: None) -> int:
    """Locust in its own process (it monkey-patches the interpreter with gevent). Its summary and its warnings go
    to our standard output; its totals to figures.json in the reports folder. `on_tick(elapsed seconds)` runs about
    every second."""
    env = {**os.environ, TOKEN_ENV: run.token, SHAPE_ENV: "" if run.shape == "none" else run.shape}
    sys.stdout.flush()
    started = time.monotonic()
    process = subprocess.Popen(locust_command(run), env=env, cwd=LOAD_DIR.parent, stderr=subprocess.STDOUT)
    while True:
        try:
            return process.wait(timeout=TICK_SECONDS)
        except subprocess.TimeoutExpired:
            elapsed = time.monotonic() - started
            if elapsed > run.seconds + LOCUST_GRACE_SECONDS:
                process.kill()
                process.wait()
                raise LoadError(f"Locust did not stop within {LOCUST_GRACE_SECONDS:g} s of its run time") from None
            on_tick(elapsed)


@contextmanager
def live_progress(console, portal, seconds: int) -> Iterator[Callable[[float], None]]:
    """A live line on a terminal (else a plain one every PLAIN_PROGRESS_SECONDS): time, calls, 429s so far."""
    last_plain = 0.0

    def line(elapsed: float) -> str:
        try:
            return progress_line(elapsed, seconds, portal.usage()["policies"])
        except Exception:  # noqa: BLE001 - a missed refresh is no reason to stop a load run
            return progress_line(elapsed, seconds, None)

    if not console.is_terminal:
        def plain(elapsed: float) -> None:
            nonlocal last_plain
            if elapsed - last_plain >= PLAIN_PROGRESS_SECONDS:
                last_plain = elapsed
                console.print(line(elapsed))

        yield plain
        return
    with console.status(progress_line(0, seconds, None)) as status:
        yield lambda elapsed: status.update(line(elapsed))


def progress_line(elapsed: float, seconds: int, policies: dict[str, Any] | None) -> str:
    clock = f"{_minutes(elapsed)} / {_minutes(seconds)}"
    if policies is None:
        return f"{clock}  starting Locust"
    throttled = sum(policy.get("rejected", 0) for policy in policies.values())
    return f"{clock}  {policies['tenSecondly']['accepted']:,} calls accepted, {throttled:,} throttled (429)"


def _minutes(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def judge(figures: dict[str, Any]) -> list[str]:
    """What makes the run a failure: the limiter let too much through, the simulator broke, or Locust failed it."""
    problems = []
    for key, policy in figures["policies"].items():
        if policy["busiestWindow"] > policy["limit"]:
            seconds = policy.get("intervalMilliseconds", 10_000) / 1000
            problems.append(f"a {seconds:g}-second window of {key} accepted {policy['busiestWindow']} calls, above "
                            f"the allowance of {policy['limit']}")
    ten = figures["policies"]["tenSecondly"]
    if figures["serverErrors"]:
        problems.append(f"the simulator answered {figures['serverErrors']} calls with a 5xx")
    if not ten["accepted"]:
        problems.append("the simulator accepted no call")
    if figures["locustExitCode"]:
        gate = "; ".join(figures.get("gate") or ()) or "see its output"
        problems.append(f"Locust failed the run (exit code {figures['locustExitCode']}): {gate}")
    return problems


def summary_table(figures: dict[str, Any]):
    from rich.table import Table

    table = Table(title="What the simulator counted", title_justify="left")
    table.add_column("policy")
    for _, column in POLICY_COLUMNS:
        table.add_column(column, justify="right")
    for key, policy in figures["policies"].items():
        cells = [str(policy[field]) for field, _ in POLICY_COLUMNS]
        cells[0] += f" / {policy['intervalMilliseconds'] / 1000:g} s"
        table.add_row(POLICY_LABELS.get(key, key), *cells)
    return table


def locust_line(figures: dict[str, Any]) -> str:
    requests = figures["requests"]
    share = figures["throttled"] / requests if requests else 0.0
    return (f"Locust: {requests} calls, {figures['requestsPerSecond']:g}/s, {figures['throttled']} throttled "
            f"({share:.1%}), {figures['failures']} failed, p95 {figures.get('p95Ms', 0):g} ms; simulator: "
            f"{figures['serverErrors']} 5xx answers; reports in {figures.get('reports', '-')}")


def _policy(usage: dict[str, Any]) -> dict[str, Any]:
    return {
        "limit": usage["limit"],
        "intervalMilliseconds": usage["intervalMilliseconds"],
        "accepted": usage["accepted"],
        "rejected": usage["rejected"],
        # the most accepted inside any one sliding window of the policy's own interval: what its limit caps
        "busiestWindow": usage["peak"],
    }


@contextmanager
def served_hubsim(command: list[str] | None = None) -> Iterator[str]:
    """`hubsim serve` (or `command`, a server printing its base URL first) on a free loopback port in its own
    process; yields its base URL, stops it on leaving."""
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(command or [sys.executable, "-m", "scenarios.cli", "serve", "--port", "0", "--quiet"],
                               stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        ready, _, _ = select.select([process.stdout], [], [], SERVE_START_SECONDS)
        found = re.search(r"http://[\d.]+:\d+", process.stdout.readline() if ready else "")
        if not found:
            log.seek(0)
            raise LoadError(f"hubsim serve did not start: {log.read()[-2000:] or 'no output'}")
        yield found.group(0)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        log.close()


def _has_locust() -> bool:
    from importlib.util import find_spec

    return find_spec("locust") is not None


def _fresh_token() -> str:
    return f"pat-load-{uuid.uuid4().hex[:12]}"  # an open hubsim gives a new token its own, empty portal


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def timespan(text: str) -> int:
    """Seconds in a Locust-style time span: 90, 90s, 2m, 1m30s, 1h."""
    match = _TIMESPAN.fullmatch(text.strip())
    seconds = (int(match["h"] or 0) * 3600 + int(match["m"] or 0) * 60 + int(match["s"] or 0)) if match else 0
    if seconds < 1:
        raise argparse.ArgumentTypeError(f"expected a time span such as 20s, 2m or 1m30s, got {text!r}")
    return seconds
