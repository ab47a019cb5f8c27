"""`hubsim budget [--host URL] [--token T]`: a portal's rate budget, read from its `/_sim/usage`, and a forecast.

Per policy: the peak use of one sliding window, the mean use of the recent 10-second windows, the headroom, and the
multiple of today's traffic at which the policy would refuse calls. For the daily limit: at what multiple of the
traffic since the first recorded window the day's allowance runs out before the portal's midnight, and when.
HubSpot gives integrators no such forecast. `hubsim load` prints the same section after a run.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

HISTORY_WINDOW_SECONDS = 10.0  # simulator.ratelimit: /_sim/usage's history windows are aligned 10-second ones
MULTIPLES_SHOWN = (2.0, 5.0, 10.0)  # what-ifs printed for the daily limit


def add_budget_command(commands: argparse._SubParsersAction) -> None:
    budget = commands.add_parser("budget", help="a portal's rate budget: peak and mean use, headroom, forecast")
    budget.add_argument("--host", default="http://127.0.0.1:8080", metavar="URL", help="the hubsim's base URL")
    budget.add_argument("--token", default=os.environ.get("HUBSPOT_ACCESS_TOKEN", "pat-local-hubsim"),
                        help="the portal's token (default $HUBSPOT_ACCESS_TOKEN, else pat-local-hubsim)")
    budget.add_argument("--admin-token", help="X-HubSim-Admin-Token, when the hubsim asks for one")
    budget.set_defaults(run=run_budget)


def run_budget(args: argparse.Namespace) -> int:
    import httpx

    from scenarios import terminal
    from simulator.testing import SimPortal

    portal = SimPortal(args.host.rstrip("/"), args.token, admin_token=args.admin_token)
    try:
        report = forecast(portal.usage(), portal.settings().get("timeZone", "UTC"))
    except (httpx.HTTPError, ValueError, KeyError) as error:
        print(f"hubsim budget: no usage from {args.host}/_sim/usage ({error})", file=sys.stderr)
        return 2
    finally:
        portal.close()
    print_report(terminal.console(), report)
    return 0


def forecast(usage: dict[str, Any], time_zone: str = "UTC") -> dict[str, Any]:
    """The budget report from /_sim/usage (pure: tested without a server)."""
    now = _parse(usage["now"])
    policies, windowed_rate = [], 0.0
    for key, policy in usage["policies"].items():
        if "windows" not in policy:
            continue
        limit, peak = policy["limit"], policy["peak"]
        seconds = policy["intervalMilliseconds"] / 1000
        windows = policy["windows"]
        # at least one whole window: a run younger than that would otherwise show a mean above its peak
        span = max((now - _parse(windows[0]["start"])).total_seconds(), HISTORY_WINDOW_SECONDS) if windows else 0.0
        rate = sum(w["accepted"] for w in windows) / span if span > 0 else 0.0  # accepted calls a second
        mean_use = rate * seconds / limit if limit else 0.0  # the mean window, as a share of the allowance
        if key == "tenSecondly":
            windowed_rate = rate
        policies.append({
            "policy": key, "limit": limit, "intervalSeconds": seconds, "peak": peak,
            "peakUse": peak / limit if limit else 0.0, "meanUse": mean_use, "headroom": max(limit - peak, 0),
            "rejected": policy["rejected"],
            "limitAtMultiple": (limit / peak) if peak else None,  # the busiest window, scaled, fills the allowance
        })  # fmt: skip
    return {"now": now.isoformat(), "timeZone": time_zone, "policies": policies,
            "daily": _daily(usage["policies"].get("daily"), windowed_rate, now, ZoneInfo(time_zone))}


def _daily(daily: dict[str, Any] | None, rate: float, now: datetime, zone: ZoneInfo) -> dict[str, Any] | None:
    """When the day's allowance runs out at `rate` (calls a second) times a multiple, before the portal's midnight."""
    if not daily:
        return None
    remaining, resets = daily["remaining"], _parse(daily["resetsAt"])
    left = (resets - now).total_seconds()
    report = {"limit": daily["limit"], "used": daily["current"], "remaining": remaining, "resetsAt": resets.isoformat(),
              "ratePerSecond": rate, "limitAtMultiple": None, "whatIf": []}
    if rate <= 0 or left <= 0:
        return report
    report["limitAtMultiple"] = remaining / (rate * left)  # the multiple that just spends the rest of the day
    for multiple in sorted({*MULTIPLES_SHOWN, max(report["limitAtMultiple"], 1.0)}):
        seconds = remaining / (rate * multiple)
        if seconds < left:
            at = datetime.fromtimestamp(now.timestamp() + seconds, zone)
            report["whatIf"].append({"multiple": multiple, "reachedAt": at.isoformat(timespec="minutes")})
    return report


def print_report(console, report: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title=f"Rate budget at {report['now']} ({report['timeZone']})", title_justify="left")
    for column in ("policy", "limit", "peak", "peak use", "mean use", "headroom", "refused", "limit hit at"):
        table.add_column(column, justify="left" if column == "policy" else "right")
    for p in report["policies"]:
        hit = f"{p['limitAtMultiple']:.1f}x" if p["limitAtMultiple"] else "-"
        table.add_row(p["policy"], f"{p['limit']} / {p['intervalSeconds']:g} s", str(p["peak"]), f"{p['peakUse']:.0%}",
                      f"{p['meanUse']:.0%}", str(p["headroom"]), str(p["rejected"]), hit)
    console.print(table)
    daily = report["daily"]
    if daily:
        console.print(f"daily: {daily['used']:,} of {daily['limit']:,} used, resets {daily['resetsAt']}",
                      highlight=False)
        if daily["limitAtMultiple"] is not None:
            console.print(f"  at {daily['limitAtMultiple']:.1f}x this load the daily limit is reached by the portal's "
                          "midnight", highlight=False)
        for what in daily["whatIf"]:
            console.print(f"  at {what['multiple']:.1f}x this load, the daily limit is reached by {what['reachedAt']} "
                          "portal time", highlight=False)


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
