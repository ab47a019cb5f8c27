"""The PLG metrics of a played run, per workspace (account): a pure function of what happened and what the CRM shows.

A workspace is the unit a PLG funnel counts (a product-qualified *account*): it signs up with its owner, activates
when someone first uses a key feature, is a PQL from the first time the scoring model flags one of its contacts, is
sales-accepted when a rep accepts one of its leads, and a customer when it upgrades. `facts` says where each fact
comes from; `compute` turns them into the report's numbers (a JSON-able dict) with no I/O and no clock.
"""

from __future__ import annotations

import bisect
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from scenarios.events import KEY_FEATURES

FUNNEL = ("signed up", "activated", "PQL", "sales-accepted", "customer")
# HubSpot's customer journey report: stages are events; "in order" needs each after the one before, "any order"
# only that the workspace has them all (HubSpot's two modes).
JOURNEY = ("signed_up", "trial_started", "onboarding_completed", "key_feature_used", "teammate_invited",
           "pricing_page_viewed", "upgraded")
# Speed to lead bands (the scenario's sales_touch_effect uses the same marks: 15 min, 1 h, 8 h).
SPEED_BANDS = ((timedelta(minutes=15), "within 15 min"), (timedelta(hours=1), "within 1 h"),
               (timedelta(hours=8), "within 8 h"), (timedelta.max, "later"))
TIME_TO_VALUE_BANDS = ((timedelta(hours=1), "< 1 h"), (timedelta(days=1), "1 h - 1 day"),
                       (timedelta(days=3), "1-3 days"),
                       (timedelta(days=7), "3-7 days"), (timedelta(days=14), "1-2 weeks"), (timedelta.max, "> 2 weeks"))


@dataclass
class AccountFacts:
    account: str
    segment: str
    icp: bool
    signed_up: datetime
    activated: datetime | None = None  # first key feature used (the product's events)
    pql: datetime | None = None  # first PQL flag on one of its contacts (the CRM)
    notified: datetime | None = None  # first task or notification for an owner about it (the CRM)
    accepted: datetime | None = None  # a rep accepted the lead (the CRM: lead status)
    upgraded: datetime | None = None  # bought a plan (the product's billing event)
    arr: float = 0.0
    deal_created: datetime | None = None  # the rep's deal
    deal_won: datetime | None = None  # that deal closed won
    tasks: int = 0
    notifications: int = 0
    owner_assigned: bool = False
    users: int = 1
    events: int = 0
    key_uses: int = 0
    features: set[str] = field(default_factory=set)
    invites: int = 0
    active_days: set[int] = field(default_factory=set)
    journey: dict[str, list[datetime]] = field(default_factory=dict)  # its users' journey events, in time order


class Behaviour:
    """Folds the product event stream into per-account facts as the run plays (bounded by the accounts)."""

    def __init__(self) -> None:
        self.accounts: dict[str, AccountFacts] = {}

    def observe(self, event) -> None:
        facts = self.accounts.get(event.account)
        if facts is None:
            # the segment is the truth's: filled in by `with_truth` at the end
            facts = self.accounts[event.account] = AccountFacts(event.account, "", False, event.timestamp)
        facts.events += 1
        facts.active_days.add(event.epoch_ms // 86_400_000)
        name = event.event
        if name == "key_feature_used":
            facts.key_uses += 1
            facts.features.add(event.properties.get("feature", ""))
            if facts.activated is None:
                facts.activated = event.timestamp
        elif name == "teammate_invited":
            facts.invites += 1
        elif name == "upgraded" and facts.upgraded is None:
            facts.upgraded, facts.arr = event.timestamp, float(event.properties.get("arr", 0.0))
        if name in JOURNEY:
            facts.journey.setdefault(name, []).append(event.timestamp)

    def with_truth(self, truth) -> list[AccountFacts]:
        """The accounts with their segment and team size from the run's ground truth, in signup order."""
        out = []
        for account in truth.accounts:
            facts = self.accounts.get(account.account)
            if facts is None:
                continue  # created but its owner's signup fell after the run
            facts.segment, facts.icp, facts.users = account.segment, account.icp, account.users
            out.append(facts)
        return out


def compute(accounts: Sequence[AccountFacts], *, start: datetime, end: datetime) -> dict:
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat(), "workspaces": len(accounts)},
        "funnel": funnel(accounts),
        "pqls_by_week": pqls_by_week(accounts, start, end),
        "pql_to_customer_by_segment": pql_to_customer_by_segment(accounts),
        "time_to_value": time_to_value(accounts),
        "journey": journey(accounts),
        "workflows": workflow_outcomes(accounts),
        "revenue": revenue(accounts),
        "behaviour": behaviour(accounts),
        "model": model_quality(accounts),
    }


def _reached(a: AccountFacts) -> tuple[bool, ...]:
    return (True, a.activated is not None, a.pql is not None, a.accepted is not None, a.upgraded is not None)


def funnel(accounts: Sequence[AccountFacts]) -> list[dict]:
    counts = [sum(_reached(a)[i] for a in accounts) for i in range(len(FUNNEL))]
    return [{"step": name, "count": count,
             "from_previous": _rate(count, counts[i - 1]) if i else 1.0,
             "cumulative": _rate(count, counts[0])} for i, (name, count) in enumerate(zip(FUNNEL, counts))]


def pqls_by_week(accounts: Sequence[AccountFacts], start: datetime, end: datetime) -> list[dict]:
    weeks = max(1, -(-(end - start) // timedelta(weeks=1)))
    counts = [0] * weeks
    for a in accounts:
        if a.pql is not None and start <= a.pql:
            counts[min((a.pql - start) // timedelta(weeks=1), weeks - 1)] += 1
    return [{"week": i + 1, "starts": (start + timedelta(weeks=i)).date().isoformat(), "pqls": n}
            for i, n in enumerate(counts)]


def _by_segment(accounts: Sequence[AccountFacts]) -> list[tuple[str, list[AccountFacts]]]:
    by: dict[str, list[AccountFacts]] = defaultdict(list)
    for a in accounts:
        by[a.segment].append(a)
    return sorted(by.items())


def pql_to_customer_by_segment(accounts: Sequence[AccountFacts]) -> list[dict]:
    rows = []
    for segment, group in _by_segment(accounts):
        pqls = [a for a in group if a.pql is not None]
        won = sum(a.upgraded is not None for a in pqls)
        rows.append({"segment": segment, "workspaces": len(group), "pqls": len(pqls), "customers_from_pql": won,
                     "pql_to_customer": _rate(won, len(pqls)),
                     "customers": sum(a.upgraded is not None for a in group)})
    return rows


def time_to_value(accounts: Sequence[AccountFacts]) -> dict:
    hours = sorted((a.activated - a.signed_up) / timedelta(hours=1) for a in accounts if a.activated is not None)
    bands = _bands((timedelta(hours=h) for h in hours), TIME_TO_VALUE_BANDS)
    return {"activated": len(hours), "median_hours": _median(hours), "p90_hours": _quantile(hours, 0.9),
            "distribution": bands}


def journey(accounts: Sequence[AccountFacts]) -> list[dict]:
    rows = []
    for depth, stage in enumerate(JOURNEY):
        in_order = sum(_in_order(a, JOURNEY[:depth + 1]) for a in accounts)
        any_order = sum(all(a.journey.get(s) for s in JOURNEY[:depth + 1]) for a in accounts)
        rows.append({"stage": stage, "in_order": in_order, "any_order": any_order})
    return rows


def _in_order(a: AccountFacts, stages: Sequence[str]) -> bool:
    at = None
    for stage in stages:
        times = a.journey.get(stage, [])
        i = 0 if at is None else bisect.bisect_left(times, at)
        if i >= len(times):
            return False
        at = times[i]
    return True


def workflow_outcomes(accounts: Sequence[AccountFacts]) -> dict:
    """Speed to lead twice: PQL to the owner's first task or notification (the sync and the workflows), and PQL to
    the rep reaching out (accepting the lead); conversion by the second."""
    pqls = [a for a in accounts if a.pql is not None]
    notified = sorted(max(a.notified - a.pql, timedelta(0)) / timedelta(minutes=1) for a in pqls if a.notified)
    reached = sorted(max(a.accepted - a.pql, timedelta(0)) / timedelta(minutes=1) for a in pqls if a.accepted)
    by_speed: dict[str, list[AccountFacts]] = {label: [] for _, label in SPEED_BANDS}
    by_speed["never"] = []
    for a in pqls:
        by_speed[_band(a.accepted - a.pql, SPEED_BANDS) if a.accepted is not None else "never"].append(a)
    return {
        "tasks": sum(a.tasks for a in accounts), "notifications": sum(a.notifications for a in accounts),
        "owner_assignments": sum(a.owner_assigned for a in accounts),
        "speed_to_lead_median_minutes": _median(notified),
        "rep_response_median_minutes": _median(reached),
        "conversion_by_speed": [{"speed": label, "pqls": len(group),
                                 "customers": sum(a.upgraded is not None for a in group),
                                 "conversion": _rate(sum(a.upgraded is not None for a in group), len(group))}
                                for label, group in by_speed.items()],
    }


def revenue(accounts: Sequence[AccountFacts]) -> dict:
    led = [a for a in accounts if a.pql is not None and a.upgraded is not None and a.pql <= a.upgraded]
    deals = [a for a in accounts if a.deal_created is not None]
    won = [a for a in deals if a.deal_won is not None]
    velocity = sorted((a.deal_won - a.deal_created) / timedelta(days=1) for a in won)
    return {"pql_led_customers": len(led), "net_new_arr": round(sum(a.arr for a in led), 2),
            "all_customers_arr": round(sum(a.arr for a in accounts if a.upgraded is not None), 2),
            "deals": len(deals), "won": len(won), "win_rate": _rate(len(won), len(deals)),
            "deal_velocity_median_days": _median(velocity)}


def behaviour(accounts: Sequence[AccountFacts]) -> list[dict]:
    rows = []
    for segment, group in _by_segment(accounts):
        active = [a for a in group if a.activated is not None]
        rows.append({
            "segment": segment, "workspaces": len(group), "activated": len(active),
            "feature_breadth": _mean([len(a.features) / len(KEY_FEATURES) for a in active]),
            "key_uses_per_active_day": _mean([a.key_uses / len(a.active_days) for a in active if a.active_days]),
            "inviting": _rate(sum(a.invites > 0 for a in group), len(group)),
            "users_per_workspace": _mean([a.users for a in group]),
        })
    return rows


def model_quality(accounts: Sequence[AccountFacts]) -> dict:
    """The scoring model against the truth: a PQL is right when the workspace went on to buy."""
    flagged = [a for a in accounts if a.pql is not None]
    bought = [a for a in accounts if a.upgraded is not None]
    early = [a for a in bought if a.pql is not None and a.pql <= a.upgraded]
    lead_days = sorted((a.upgraded - a.pql) / timedelta(days=1) for a in early)
    return {"pqls": len(flagged), "customers": len(bought),
            "true_positives": sum(a.upgraded is not None for a in flagged),
            "precision": _rate(sum(a.upgraded is not None for a in flagged), len(flagged)),
            "recall": _rate(len(early), len(bought)),
            "median_lead_days": _median(lead_days)}


def _bands(values: Iterable[timedelta], bands) -> list[dict]:
    counts = {label: 0 for _, label in bands}
    for value in values:
        counts[_band(value, bands)] += 1
    return [{"band": label, "count": n} for label, n in counts.items()]


def _band(value: timedelta, bands) -> str:
    return next(label for limit, label in bands if value <= limit)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _mean(values: Sequence[float]) -> float | None:
    return round(statistics.fmean(values), 3) if values else None


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def _quantile(values: Sequence[float], q: float) -> float | None:
    return round(values[min(int(q * len(values)), len(values) - 1)], 2) if values else None
