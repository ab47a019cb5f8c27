"""`hubsim scenario list | show NAME | generate NAME --users N --days D --seed S --out DIR`.

Imports beyond argparse happen in the commands, so `hubsim serve` does not pay for them."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

HEADERS = {"trialing": "trial", "onboarded": "onboard", "activated": "active", "collaborating": "team",
           "evaluating": "eval", "customer": "buy"}


def add_scenario_command(commands: argparse._SubParsersAction) -> None:
    scenario = commands.add_parser("scenario", help="synthetic PLG user journeys: list, show, generate")
    actions = scenario.add_subparsers(dest="scenario_command", required=True)
    actions.add_parser("list", help="the scenarios in the catalog").set_defaults(run=run_list)

    show = actions.add_parser("show", help="a scenario's segments and the funnel its chains imply")
    show.add_argument("name", help="a catalog name or a path to a scenario YAML file")
    show.set_defaults(run=run_show)

    generate = actions.add_parser("generate", help="write a seeded run: events, profiles, ground truth")
    generate.add_argument("name", help="a catalog name or a path to a scenario YAML file")
    generate.add_argument("--users", type=_positive,
                          help="organic signups, invited teammates come on top (default: the scenario's)")
    generate.add_argument("--days", type=_positive, help="length of the simulated period (default: the scenario's)")
    generate.add_argument("--seed", type=int, default=0, help="the same seed writes byte-identical files")
    generate.add_argument("--start", type=_aware_datetime,
                          help="ISO 8601 start, e.g. 2026-03-02T00:00:00Z (default: the scenario's)")
    generate.add_argument("--out", type=Path, required=True, help="directory to write to")
    generate.set_defaults(run=run_generate)


def run_list(args: argparse.Namespace) -> int:
    from rich.markup import escape
    from rich.table import Table

    from scenarios import terminal
    from scenarios.model import catalog_names, load_scenario

    table = Table("scenario", "description", box=None)
    for name in catalog_names():
        table.add_row(escape(name), escape(load_scenario(name).description))
    terminal.console().print(table)
    return 0


def run_show(args: argparse.Namespace) -> int:
    from rich.box import SIMPLE_HEAD
    from rich.markup import escape
    from rich.table import Table

    from scenarios import terminal
    from scenarios.funnel import funnel, mixture_funnel
    from scenarios.model import ScenarioError, load_scenario

    try:
        scenario = load_scenario(args.name)
    except ScenarioError as error:
        return _fail(error)
    console = terminal.console()
    console.print(f"[bold]{escape(scenario.name)}[/]: {escape(scenario.description)}")
    console.print(f"start {scenario.start.isoformat()}, {scenario.users} signups over {scenario.days} days")
    table = Table(title="% of signups ever reaching each stage (analytic: every journey played to its end)",
                  caption="* ICP segment; sess.: expected sessions until buying, churning or going inactive",
                  box=SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    table.add_column("segment", no_wrap=True)
    for column in ("share", *HEADERS.values(), "sess."):
        table.add_column(column, justify="right", min_width=len(column))
    total = sum(segment.weight for segment in scenario.segments.values())
    rows = [(escape(name) + ("*" if s.icp else ""), f"{s.weight / total:.0%}", funnel(s))
            for name, s in scenario.segments.items()]
    for name, share, part in rows + [("all signups", "100%", mixture_funnel(scenario))]:
        reach = [f"{100 * part.reach[stage]:.1f}" if stage in part.reach else "-" for stage in HEADERS]
        table.add_row(name, share, *reach, f"{part.sessions:.1f}")
    console.print(table)
    console.print(f"These are eventual figures, with no time limit. A {scenario.days}-day run (the scenario's length) "
                  "ends while many journeys are still open, so its files hold fewer upgrades: `generate` counts them.")
    plans = ", ".join(f"{name} ${plan.seat_price_monthly:g}/seat/month" for name, plan in scenario.plans.items())
    console.print(f"plans: {escape(plans)}")
    effects = ", ".join(f"x{e.upgrade_multiplier:g} within {e.within_minutes:g} min"
                        for e in scenario.sales_touch_effect)
    console.print(f"sales touch: {effects or 'no effect'}")
    for shock in scenario.shocks:
        factors = ", ".join(f"{target} x{factor:g}" for target, factor in shock.multiply.items())
        console.print(f"shock {escape(repr(shock.name))}: days {shock.from_day:g}-{shock.to_day:g}: "
                      f"{escape(factors)} (time-bound, so not in the funnel above)")
    return 0


def run_generate(args: argparse.Namespace) -> int:
    from rich.markup import escape
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from scenarios import terminal
    from scenarios.model import ScenarioError, load_scenario
    from scenarios.output import generate

    try:
        scenario = load_scenario(args.name)
    except ScenarioError as error:
        return _fail(error)
    days = args.days or scenario.days
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("day {task.completed:.0f}/{task.total}"),
               TextColumn("{task.fields[events]:,} events"), TimeElapsedColumn())
    with Progress(*columns, console=terminal.console(stderr=True), transient=True) as bar:
        task = bar.add_task(escape(scenario.name), total=days, events=0)
        start = args.start or scenario.start

        def progress(now: datetime, events: int) -> None:
            bar.update(task, completed=(now - start).total_seconds() / 86_400, events=events)

        manifest = generate(scenario, args.out, users=args.users, days=days, seed=args.seed, start=start,
                            progress=progress)
    counts = manifest["counts"]
    terminal.console(stderr=True).print(f"{counts['events']:,} events from {counts['users']:,} users in "
                                        f"{counts['accounts']:,} accounts ({counts['upgraded_accounts']:,} upgraded) "
                                        f"-> {escape(str(args.out))}")
    return 0


def _fail(error: Exception) -> int:
    print(f"hubsim scenario: error: {error}", file=sys.stderr)
    return 2


def _positive(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {text}")
    return value


def _aware_datetime(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text} has no time zone (add Z or +00:00)")
    return moment
