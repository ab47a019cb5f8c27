"""`hubsim demo` (the PLG loop end to end on an in-process hubsim, then the report) and `hubsim replay` (a generated
scenario folder into any HubSpot through the sync core). Imports beyond argparse happen in the commands."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path


def add_demo_command(commands: argparse._SubParsersAction) -> None:
    from scenarios.scenario_cli import _positive

    demo = commands.add_parser("demo", help="the PLG loop end to end on an in-process hubsim, then the report")
    demo.add_argument("--scenario", default="plg-default", help="a catalog name or a scenario YAML file")
    demo.add_argument("--users", type=_positive, default=2000, help="organic signups")
    demo.add_argument("--days", type=_positive, default=60, help="days of signups")
    demo.add_argument("--seed", type=int, default=7, help="the same seed plays the same users")
    demo.add_argument("--rep-response", default="15m", metavar="DURATION",
                      help="how long reps take to work a task: 15m, 4h, 1d")
    demo.add_argument("--out", type=Path, default=Path("out/demo"), help="where report.html and metrics.json go")
    demo.add_argument("--serve", action="store_true", help="keep the simulator and the inspector up afterwards")
    demo.set_defaults(run=run_demo)

    replay = commands.add_parser("replay", help="play a generated scenario folder into a HubSpot, day by day")
    replay.add_argument("folder", type=Path, help="a folder written by `hubsim scenario generate`")
    replay.add_argument("--hubspot-url", required=True, help="hubsim's URL, or https://api.hubapi.com")
    replay.add_argument("--token", default=os.environ.get("HUBSPOT_ACCESS_TOKEN"),
                        help="the portal's token (default: $HUBSPOT_ACCESS_TOKEN)")
    replay.add_argument("--no-clock", action="store_true",
                        help="do not move the portal's clock (/_sim/clock): a real HubSpot has none")
    replay.add_argument("--state", type=Path, help="keep the sync's outbox here (resumable; default in memory)")
    replay.set_defaults(run=run_replay)


def run_demo(args: argparse.Namespace) -> int:
    from scenarios import terminal
    from scenarios.demo import DemoOptions, duration, run_demo as play

    console = terminal.console()
    try:
        response = duration(args.rep_response)
    except ValueError as error:
        console.print(f"[red]--rep-response: {error}[/red]")
        return 2
    play(DemoOptions(scenario=args.scenario, users=args.users, days=args.days, seed=args.seed,
                     rep_response=response, out=args.out, serve=args.serve), console)
    return 0


def run_replay(args: argparse.Namespace) -> int:
    import httpx

    from scenarios import terminal
    from scenarios.runner import PortalClock, Player
    from scoring.client import HubSpotClient
    from scoring.outbox import Outbox
    from scoring.sync import Sync

    console = terminal.console()
    if not args.token:
        console.print("[red]--token (or $HUBSPOT_ACCESS_TOKEN) is required[/red]")
        return 2
    if not (args.folder / "manifest.json").is_file():
        console.print(f"[red]{args.folder} has no manifest.json: not a generated scenario folder[/red]")
        return 2
    with httpx.Client(base_url=args.hubspot_url, headers={"Authorization": f"Bearer {args.token}"},
                      timeout=30) as control:
        clock = None if args.no_clock else PortalClock(control)
        offset = (lambda: clock.advanced) if clock else (lambda: 0.0)
        client = HubSpotClient(args.hubspot_url, args.token, clock=lambda: time.monotonic() + offset())
        if args.state:
            args.state.mkdir(parents=True, exist_ok=True)
        outbox = Outbox(args.state / "outbox.sqlite") if args.state else Outbox()
        sync = Sync(client, outbox=outbox)
        with console.status("replaying") as status:
            player = Player(sync, clock=clock, progress=lambda p: status.update(
                f"{p.now:%Y-%m-%d %H:%M} · {p.events:,} events"))
            player.play_folder(args.folder)
        console.print(f"{player.events:,} events played; {sync.summary}")
    return 0
