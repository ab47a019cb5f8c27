"""`hubsim demo`: the PLG loop end to end on this machine, offline, then the funnel report.

hubsim starts in-process on loopback; the PLG playbook is installed through the API; a seeded scenario is played
step by step through the real sync core (scoring.sync) over HTTP while the portal's clock keeps up, so lists update
and workflows fire as they would in HubSpot; simulated reps work the tasks the workflows assign and touch the users,
which changes their odds to buy. At the end the CRM is read back and measured against the scenario's ground truth.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from scenarios.journeys import ScenarioRun
from scenarios.metrics import Behaviour, compute
from scenarios.model import load_scenario
from scenarios.playbook import install as install_playbook
from scenarios.readout import read_crm
from scenarios.report import print_tables, write
from scenarios.reps import SalesReps
from scenarios.runner import STEP, PortalClock, Player, Progress as Step
from scoring.client import HubSpotClient
from scoring.sync import Sync
from simulator.testing import Simulator

DECIDED = ("customer", "churned", "inactive")  # where a workspace owner's journey ends
DEMO_TIER = "enterprise"  # the tier a PLG company running this playbook would have (190 calls per 10 s)
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(m|h|d)$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def duration(text: str) -> timedelta:
    """`15m`, `4h`, `1.5d`."""
    match = _DURATION.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a duration like 15m, 4h or 2d")
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


@dataclass
class DemoOptions:
    scenario: str = "plg-default"
    users: int = 2000
    days: int = 60
    seed: int = 7
    tail_days: int = 0  # keep playing the journeys of those signed up this long after the last signup day
    rep_response: timedelta = timedelta(minutes=15)
    step: timedelta = STEP
    out: Path = Path("out/demo")
    serve: bool = False


@dataclass
class DemoResult:
    metrics: dict
    report: Path
    metrics_file: Path
    counts: dict = field(default_factory=dict)


def run_demo(options: DemoOptions, console: Console, *,
             install: Callable[[httpx.Client], dict] = install_playbook,
             wait: Callable[[str, str], None] | None = None) -> DemoResult:
    """`wait(base_url, token)` holds the simulator up after the report when `serve` (default: until Ctrl-C)."""
    scenario = load_scenario(options.scenario)
    with Simulator() as sim, sim.client(timeout=60) as control:
        sim.settings(tier=DEMO_TIER)
        console.rule(f"[bold]hubsim demo[/bold]: {scenario.name}, {options.users:,} signups over {options.days} days")
        console.print(f"HubSpot is simulated at [cyan]{sim.base_url}[/cyan]")
        clock = PortalClock(control)
        # One polite client for the sync and the reps: its limiter counts in hubsim's rate-limit time (wall time
        # plus every clock advance), so together they keep to the windows hubsim enforces.
        hubspot = HubSpotClient(sim.base_url, sim.token, timeout=30, clock=lambda: time.monotonic() + clock.advanced)
        sync = Sync(hubspot)
        sync.ensure_schema()  # the playbook's lists and workflows read the properties and events it defines
        installed = install(control)
        console.print(f"Playbook installed: {', '.join(installed) or 'nothing'}")
        run = ScenarioRun(scenario, users=options.users, days=options.days, seed=options.seed)
        behaviour, emails = Behaviour(), {}

        def observe(event) -> None:
            behaviour.observe(event)
            if event.event == "signed_up":
                emails[event.email] = event.user

        reps = SalesReps(hubspot, response=options.rep_response, users_by_email=emails)
        with Progress(TextColumn("[bold]day[/bold]"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.fields[events]:>8,} events · {task.fields[leads]:>5,} leads worked"),
                      TimeElapsedColumn(), console=console, transient=False) as bar:
            task = bar.add_task("days", total=options.days + options.tail_days, events=0, leads=0)

            def progress(step: Step) -> None:
                bar.update(task, completed=step.days, events=step.events, leads=reps.worked)

            player = Player(sync, clock=clock, step=options.step, on_event=observe,
                            progress=progress)
            player.play_run(run, until=run.end + timedelta(days=options.tail_days), interventions=reps)
        truth = run.ground_truth()
        accounts = behaviour.with_truth(truth)
        account_of_email = {u["email"]: u["account"] for u in run.users()}
        outbox = control.get("/_sim/outbox").json()["results"]
        read_crm(hubspot, {a.account: a for a in accounts}, account_of_email, reps.deals, outbox)
        metrics = compute(accounts, start=run.start, end=run.now)
        metrics["run"] = {"scenario": scenario.name, "users": options.users, "days": options.days,
                          "seed": options.seed, "rep_response_minutes": options.rep_response / timedelta(minutes=1),
                          "events": player.events, "installed": installed,
                          "undecided": sum(u.role == "owner" and u.stage not in DECIDED for u in truth.users)}
        print_tables(metrics, console)
        report, metrics_file = write(metrics, options.out, title=f"hubsim demo: {scenario.name}")
        console.print(f"Report: [cyan]{escape(str(report))}[/cyan] · metrics: [cyan]{escape(str(metrics_file))}[/cyan]")
        if options.serve:
            console.print(f"The simulator stays up: [cyan]{sim.base_url}[/cyan] (token [dim]{sim.token}[/dim])")
            console.print(f"Inspector: [cyan]{sim.base_url}/_sim/ui?token={sim.token}[/cyan] · Ctrl-C to stop")
            (wait or _forever)(sim.base_url, sim.token)
        return DemoResult(metrics, report, metrics_file)


def _forever(base_url: str, token: str) -> None:
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
