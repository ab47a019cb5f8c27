"""HubSpot's API rate limits, per portal, on rate-limit time (wall time + advances; see clock.py).

Policies and tiers are data, from HubSpot's usage guidelines
(developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines):
- TEN_SECONDLY_ROLLING: a sliding 10-second window per tier. A sliding window, never a token bucket: a bucket
  refilling at limit/10 per second lets a client through at up to twice HubSpot's allowance across a boundary.
- DAILY: requests per account per day, resetting at midnight in the portal's time zone.
- Search (any POST .../search): 5 per second, counted apart, exempt from the 10-second window (not from DAILY).
- Custom-event sends: 1,250 per second, exempt from the other two.
- The spec's `x-hubspot-rate-limit-exemptions: ["ten-secondly"]` operations: counted only against DAILY.

Only accepted requests are counted: a 429 consumes nothing, so a client that keeps retrying into a 429 is let
through as soon as its window slides, as with HubSpot. Check and count happen under one lock: exact under threads.
"""

from __future__ import annotations

import math
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple, Protocol
from zoneinfo import ZoneInfo

INTERVAL_MS = 10_000  # X-HubSpot-RateLimit-Interval-Milliseconds: the ten-secondly window
HISTORY_WINDOWS = 360  # 10-second windows kept per policy for /_sim/usage: the last hour
API_LIMIT_INCREASE_TEN_SECONDLY = 250  # HubSpot usage guidelines: "With API Limit Increase (any tier)" per 10 s
API_LIMIT_INCREASE_DAILY = 1_000_000  # ... plus 1,000,000 a day per increase
MAX_API_LIMIT_INCREASES = 2  # ... at most two increases


@dataclass(frozen=True)
class TierLimits:
    ten_secondly: int
    daily: int


TIERS: dict[str, TierLimits] = {  # HubSpot usage guidelines, "Last modified Aug 22 2025"
    "free": TierLimits(100, 250_000),
    "starter": TierLimits(100, 250_000),
    "professional": TierLimits(190, 625_000),  # the 2024 changelog said 650,000; the guidelines table says 625,000
    "enterprise": TierLimits(190, 1_000_000),
    "api-add-on": TierLimits(250, 2_000_000),  # Enterprise with one API limit increase
}


@lru_cache(maxsize=32)
def tier_limits(tier: str, increases: int = 0) -> TierLimits:
    """A tier's limits with `increases` API limit increases bought on top (the api-add-on tier includes one)."""
    if tier == "api-add-on":
        tier, increases = "enterprise", max(increases, 1)
    base = TIERS[tier]
    if not increases:
        return base
    return TierLimits(API_LIMIT_INCREASE_TEN_SECONDLY, base.daily + increases * API_LIMIT_INCREASE_DAILY)


@dataclass(frozen=True)
class Window:
    """A sliding-window policy. `limit` None: the tier decides (the ten-secondly window)."""

    key: str  # its name in /_sim/usage
    policy_name: str  # what a 429 names
    seconds: float
    limit: int | None = None


TEN_SECONDLY = Window("tenSecondly", "TEN_SECONDLY_ROLLING", 10.0)
SEARCH = Window("search", "SECONDLY", 1.0, 5)  # DOC search-the-crm › Limits: 5 requests per second per account
EVENTS_SEND = Window("eventsSend", "SECONDLY", 1.0, 1250)  # DOC send-event-data › Limits: 1,250 per second
WINDOWS = (TEN_SECONDLY, SEARCH, EVENTS_SEND)
DAILY_KEY, DAILY_POLICY = "daily", "DAILY"


@dataclass(frozen=True)
class Metering:
    """What a kind of request is counted against, and whether its response carries rate-limit headers."""

    window: Window | None
    daily: bool
    headers: bool


STANDARD = Metering(TEN_SECONDLY, daily=True, headers=True)
SEARCHING = Metering(SEARCH, daily=True, headers=False)  # search responses carry no rate-limit headers
SENDING_EVENTS = Metering(EVENTS_SEND, daily=False, headers=True)  # spec: exempt from daily and ten-secondly
DAILY_ONLY = Metering(None, daily=True, headers=True)  # spec: exempt from ten-secondly

# (methods, path pattern, metering), first match wins; paths without their trailing slash.
METERINGS: tuple[tuple[frozenset[str], re.Pattern[str], Metering], ...] = (
    (frozenset({"POST"}), re.compile(r"/events/v3/send(/batch)?"), SENDING_EVENTS),
    (frozenset({"POST"}), re.compile(r".*/search"), SEARCHING),
    (frozenset({"POST"}), re.compile(r"/crm/v4/associations/[^/]+/[^/]+/batch/.+"), DAILY_ONLY),
    (frozenset({"POST"}), re.compile(r"/crm/v4/associations/usage/high-usage-report/[^/]+"), DAILY_ONLY),
    (frozenset({"POST"}), re.compile(r"/automation/v4/flows"), DAILY_ONLY),
    (frozenset({"PUT"}), re.compile(r"/automation/v4/flows/[^/]+"), DAILY_ONLY),
)


def metering(method: str, path: str) -> Metering:
    path = path.rstrip("/") or "/"
    for methods, pattern, kind in METERINGS:
        if method in methods and pattern.fullmatch(path):
            return kind
    return STANDARD


class LimitSettings(Protocol):
    tier: str
    time_zone: str
    api_limit_increases: int
    secondly_headers: bool


class Decision(NamedTuple):  # a tuple: made once per request, so cheaper than a frozen dataclass
    """The limiter's answer to one request: accepted or the policy that refused it, and the header figures."""

    policy_name: str | None  # None: accepted
    retry_after: int  # seconds until the refusing policy lets a request through (0 when accepted)
    metering: Metering
    limits: TierLimits
    ten_secondly_used: int
    last_second_used: int
    daily_used: int

    @property
    def rejected(self) -> bool:
        return self.policy_name is not None

    def headers(self, *, secondly: bool) -> list[tuple[str, str]]:
        if not self.metering.headers:
            return []
        limits = self.limits
        figures = [
            ("X-HubSpot-RateLimit-Daily", str(limits.daily)),
            ("X-HubSpot-RateLimit-Daily-Remaining", str(max(limits.daily - self.daily_used, 0))),
            ("X-HubSpot-RateLimit-Interval-Milliseconds", str(INTERVAL_MS)),
            ("X-HubSpot-RateLimit-Max", str(limits.ten_secondly)),
            ("X-HubSpot-RateLimit-Remaining", str(max(limits.ten_secondly - self.ten_secondly_used, 0))),
        ]
        if secondly:  # older captures: a tenth of the ten-secondly allowance (150 -> 15)
            per_second = limits.ten_secondly // 10
            figures.append(("X-HubSpot-RateLimit-Secondly", str(per_second)))
            figures.append(("X-HubSpot-RateLimit-Secondly-Remaining", str(max(per_second - self.last_second_used, 0))))
        return figures


class _WindowUse:
    """One sliding window's counted requests, and its accepted and refused counts per aligned 10 seconds."""

    __slots__ = ("used", "history", "accepted", "rejected", "peak")

    def __init__(self) -> None:
        self.used: deque[float] = deque()  # rate-limit times of the accepted requests still inside the window
        self.history: deque[list[float]] = deque(maxlen=HISTORY_WINDOWS)  # [start, accepted, rejected]
        self.accepted = self.rejected = self.peak = 0

    def prune(self, now: float, seconds: float) -> deque[float]:
        used, horizon = self.used, now - seconds
        while used and used[0] <= horizon:
            used.popleft()
        return used

    def count(self, now: float, accepted: bool) -> None:
        history, start = self.history, now - now % 10
        if not history or history[-1][0] < start:
            history.append([start, 0, 0])
        last = history[-1]  # a wall clock stepping back counts into the latest window
        if accepted:
            last[1] += 1
            self.accepted += 1
            if len(self.used) > self.peak:
                self.peak = len(self.used)
        else:
            last[2] += 1
            self.rejected += 1

    def dump(self, window: Window, limit: int, now: float) -> dict[str, Any]:
        current = len(self.prune(now, window.seconds))
        return {
            "policyName": window.policy_name,
            "intervalMilliseconds": int(window.seconds * 1000),
            "limit": limit,
            "current": current,
            "remaining": max(limit - current, 0),
            "peak": self.peak,  # the most ever accepted inside one sliding window: never above the limit
            "accepted": self.accepted,
            "rejected": self.rejected,
            "windows": [
                {"start": _iso(start), "accepted": int(accepted), "rejected": int(rejected)}
                for start, accepted, rejected in self.history
            ],
        }


class RateLimiter:
    def __init__(self, limit_time: Callable[[], float], settings: LimitSettings):
        self._time = limit_time
        self._settings = settings
        self._lock = threading.Lock()
        self._windows = {w.key: _WindowUse() for w in WINDOWS}
        self._day_zone = ""
        self._day: datetime | None = None  # local midnight starting the counted day
        self._day_ends = -math.inf
        self._daily_used = self._daily_rejected = 0

    def check(self, method: str, path: str) -> Decision:
        """Count the request if every policy it falls under has room, or name the policy that refuses it."""
        kind = metering(method, path)
        window = kind.window
        settings = self._settings
        limits = tier_limits(settings.tier, settings.api_limit_increases)
        ten = self._windows[TEN_SECONDLY.key]
        with self._lock:
            now = self._time()
            if now >= self._day_ends or settings.time_zone != self._day_zone:
                self._roll_day(now, settings.time_zone)
            use = self._windows[window.key] if window else None
            used = use.prune(now, window.seconds) if use else None
            if kind.daily and self._daily_used >= limits.daily:
                refused, retry_after = DAILY_POLICY, math.ceil(self._day_ends - now)
                self._daily_rejected += 1
            elif used is not None and len(used) >= (window.limit or limits.ten_secondly):
                refused, retry_after = window.policy_name, math.ceil(used[0] + window.seconds - now)
                use.count(now, False)
            else:
                refused, retry_after = None, 0
                if used is not None:
                    used.append(now)
                    use.count(now, True)
                if kind.daily:
                    self._daily_used += 1
            in_ten = used if window is TEN_SECONDLY else ten.prune(now, TEN_SECONDLY.seconds)
            return Decision(
                refused,
                max(retry_after, 1) if refused else 0,
                kind,
                limits,
                len(in_ten),
                _count_since(in_ten, now - 1.0) if settings.secondly_headers else 0,
                self._daily_used,
            )

    def usage(self) -> dict[str, Any]:
        settings = self._settings
        limits = tier_limits(settings.tier, settings.api_limit_increases)
        with self._lock:
            now = self._time()
            self._roll_day(now, settings.time_zone)
            policies = {w.key: self._windows[w.key].dump(w, w.limit or limits.ten_secondly, now) for w in WINDOWS}
            policies[DAILY_KEY] = {
                "policyName": DAILY_POLICY,
                "limit": limits.daily,
                "current": self._daily_used,
                "remaining": max(limits.daily - self._daily_used, 0),
                "rejected": self._daily_rejected,
                "date": self._day.date().isoformat() if self._day else None,
                "resetsAt": _iso(self._day_ends),
            }
            return {"now": _iso(now), "policies": policies}

    def _roll_day(self, now: float, zone: str) -> None:
        local = datetime.fromtimestamp(now, ZoneInfo(zone))
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        if self._day is None or midnight.date() != self._day.date():
            self._daily_used = self._daily_rejected = 0
        self._day, self._day_zone = midnight, zone
        # aware arithmetic is wall-clock arithmetic: the next local midnight, even across a DST change
        self._day_ends = (midnight + timedelta(days=1)).timestamp()


def _count_since(used: deque[float], moment: float) -> int:
    count = 0
    for stamp in reversed(used):  # newest first: only the last second's requests are walked
        if stamp <= moment:
            break
        count += 1
    return count


def _iso(seconds: float) -> str:
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
