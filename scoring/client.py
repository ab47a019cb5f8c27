"""HubSpotClient: HubSpot's API over httpx, polite by construction.

- A client-side sliding-window limiter per policy, so it does not run into 429s in the first place: HubSpot's own
  policies (usage guidelines): the 10-second window (190 on professional/enterprise; the client keeps to `budget`,
  90% by default, leaving room for other integrations on the account), search (5 a second), custom-event sends
  (1,250 a second, exempt from the 10-second window) and the daily limit. A sliding window, not a token bucket:
  a bucket sized to the limit lets twice the allowance through across a window edge (reference notes §C).
- Retries with exponential backoff and jitter on 5xx (not 501), timeouts and connection errors, up to
  `max_attempts`. A 429 waits `Retry-After` when HubSpot sends one, else what its policy implies (1 s for the
  secondly policies, the window's interval for TEN_SECONDLY_ROLLING), plus jitter; 429s do not use up the retry
  budget (Segment's and HubSpot's Node SDK's rule), a DAILY 429 is not retried (it lasts until midnight).
  `X-HubSpot-RateLimit-Remaining: 0` on a success pauses the next request until a slot frees.
- HubSpot's error body becomes a typed exception (`ValidationFailed`, `Conflict`, `NotFound`, ...) carrying the
  status, category, message, correlation id and the whole body.

Clock, sleep and randomness are injected (tests run without waiting); so is the httpx transport.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

TEN_SECONDLY = "tenSecondly"
SEARCH = "search"
EVENTS = "events"
DAILY = "daily"
INTERVAL_SECONDS = 10.0  # X-HubSpot-RateLimit-Interval-Milliseconds: 10000
SEARCH_PER_SECOND = 5  # HubSpot search API: 5 requests per second per account
EVENTS_PER_SECOND = 1250  # custom-event sends: 1,250 requests per second
LOCKED_WAIT = 2.0  # HubSpot error-handling guide: a 423 lock lasts 2 seconds
NOT_RETRIED_5XX = {501, 505}  # not implemented / version not supported: retrying cannot help (Segment's rule)

# Which policies a request counts against: HubSpot's spec exempts these from the 10-second window.
_POLICIES: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("POST", re.compile(r"/events/v3/send(/batch)?/?"), (EVENTS,)),
    ("POST", re.compile(r".*/search/?"), (SEARCH, DAILY)),
    ("POST", re.compile(r"/crm/v4/associations/[^/]+/[^/]+/batch/.+"), (DAILY,)),
)


def policies_for(method: str, path: str) -> tuple[str, ...]:
    for m, pattern, policies in _POLICIES:
        if method == m and pattern.fullmatch(path):
            return policies
    return (TEN_SECONDLY, DAILY)


class HubSpotError(Exception):
    """An error answer from HubSpot, with its body."""

    def __init__(self, status: int, body: Mapping[str, Any], *, method: str = "", path: str = ""):
        self.status = status
        self.body = dict(body)
        self.category = body.get("category") or body.get("errorType") or ""
        self.message = body.get("message") or f"HTTP {status}"
        self.correlation_id = body.get("correlationId")
        self.errors = body.get("errors") or []
        self.context = body.get("context") or {}
        self.policy_name = body.get("policyName")
        self.method, self.path = method, path
        super().__init__(f"{status} {self.category}: {self.message} ({method} {path})")


class ValidationFailed(HubSpotError):
    """400."""


class Unauthorized(HubSpotError):
    """401 and 403."""


class NotFound(HubSpotError):
    """404."""


class Conflict(HubSpotError):
    """409."""


class RateLimited(HubSpotError):
    """429 that the client gave up on (a DAILY limit, or too many in a row)."""


class ServerError(HubSpotError):
    """5xx after the retries."""


class Unavailable(Exception):
    """No answer at all (timeouts, connection errors, torn bodies) after the retries."""


_BY_STATUS = {400: ValidationFailed, 401: Unauthorized, 403: Unauthorized, 404: NotFound, 409: Conflict,
              429: RateLimited}


def error_for(status: int, body: Mapping[str, Any], method: str = "", path: str = "") -> HubSpotError:
    kind = _BY_STATUS.get(status) or (ServerError if status >= 500 else HubSpotError)
    return kind(status, body, method=method, path=path)


class SlidingWindow:
    """At most `limit` acquisitions in any `seconds`: a log of the last `limit` times."""

    def __init__(self, limit: int, seconds: float):
        self.limit, self.seconds = limit, seconds
        self._times: deque[float] = deque()
        self.paused_until = 0.0

    def wait_needed(self, now: float) -> float:
        times = self._times
        while times and times[0] <= now - self.seconds:
            times.popleft()
        wait = self.paused_until - now
        if len(times) >= self.limit:
            wait = max(wait, times[0] + self.seconds - now)
        return max(wait, 0.0)

    def record(self, now: float) -> None:
        self._times.append(now)


@dataclass
class ClientStats:
    requests: int = 0
    retries: int = 0
    throttled: int = 0  # 429 answers
    waited: float = 0.0  # seconds slept by the limiter and the backoff
    by_status: dict[int, int] = field(default_factory=dict)


class HubSpotClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        timeout: float = 10.0,
        ten_secondly: int = 190,
        daily: int = 1_000_000,
        budget: float = 0.9,
        max_attempts: int = 6,
        max_throttled: int = 20,
        backoff_base: float = 0.5,
        backoff_cap: float = 60.0,
    ):
        self._http = httpx.Client(base_url=base_url.rstrip("/"), transport=transport, timeout=timeout,
                                  headers={"Authorization": f"Bearer {token}", "User-Agent": "hubsim-scoring/0.1"})
        self._clock, self._sleep = clock, sleep
        self._rng = rng or random.Random()
        self.max_attempts, self.max_throttled = max_attempts, max_throttled
        self.backoff_base, self.backoff_cap = backoff_base, backoff_cap
        self.windows = {
            TEN_SECONDLY: SlidingWindow(max(1, int(ten_secondly * budget)), INTERVAL_SECONDS),
            SEARCH: SlidingWindow(max(1, int(SEARCH_PER_SECOND * budget)), 1.0),
            EVENTS: SlidingWindow(max(1, int(EVENTS_PER_SECOND * budget)), 1.0),
            DAILY: SlidingWindow(max(1, int(daily * budget)), 86_400.0),
        }
        self.stats = ClientStats()
        self._lock = threading.Lock()  # the windows and the stats: a sync sends batches from several threads

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubSpotClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the one way out ----------------------------------------------------------------------------------------

    def request(self, method: str, path: str, *, json_body: Any = None, params: Mapping[str, Any] | None = None
                ) -> Any:
        """Send one request, retrying what can be retried; the decoded JSON answer (None for 204)."""
        policies = policies_for(method, path)
        attempts = throttled = 0
        while True:
            self._acquire(policies)
            try:
                response = self._http.request(method, path, json=json_body, params=params)
                body = _decode(response)
            except (httpx.TimeoutException, httpx.TransportError, ValueError) as exc:
                attempts += 1
                if attempts >= self.max_attempts:
                    raise Unavailable(f"{method} {path}: {type(exc).__name__}: {exc}") from exc
                self._backoff(attempts)
                continue
            status = response.status_code
            with self._lock:
                self.stats.by_status[status] = self.stats.by_status.get(status, 0) + 1
            if status < 400:
                self._heed_headers(response.headers, policies)
                return body
            error = error_for(status, body if isinstance(body, dict) else {}, method, path)
            if status == 429:
                with self._lock:
                    self.stats.throttled += 1
                throttled += 1
                if error.policy_name == "DAILY" or throttled > self.max_throttled:
                    raise error
                self._wait(self._throttle_wait(response, error, policies))
                continue
            if status == 423 or (status >= 500 and status not in NOT_RETRIED_5XX):
                attempts += 1
                if attempts >= self.max_attempts:
                    raise error
                if status == 423:
                    self._wait(LOCKED_WAIT)
                    with self._lock:
                        self.stats.retries += 1
                else:
                    self._backoff(attempts)
                continue
            raise error

    # -- pacing -------------------------------------------------------------------------------------------------

    def _acquire(self, policies: tuple[str, ...]) -> None:
        while True:
            with self._lock:
                now = self._clock()
                wait = max(self.windows[p].wait_needed(now) for p in policies)
                if wait <= 0:
                    for p in policies:
                        self.windows[p].record(now)
                    self.stats.requests += 1
                    return
            self._wait(wait)

    def _backoff(self, attempt: int) -> None:
        with self._lock:
            self.stats.retries += 1
        delay = min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1))
        self._wait(delay * (0.5 + self._rng.random() / 2))  # "equal jitter": never zero, never in lockstep

    def _throttle_wait(self, response: httpx.Response, error: HubSpotError, policies: tuple[str, ...]) -> float:
        with self._lock:
            self.stats.retries += 1
        retry_after = _seconds(response.headers.get("Retry-After"))
        if retry_after is None:
            if error.policy_name == "SECONDLY":
                retry_after = 1.0
            else:
                interval = _seconds(response.headers.get("X-HubSpot-RateLimit-Interval-Milliseconds"), 1000)
                retry_after = interval or INTERVAL_SECONDS
        # Someone else is spending the account's budget too: hold every request of that policy, not only this one.
        now = self._clock()
        for p in policies:
            if p != DAILY:
                self.windows[p].paused_until = max(self.windows[p].paused_until, now + retry_after)
        return retry_after * self._rng.random() * 0.1  # the pause above does the waiting; this is the jitter

    def _heed_headers(self, headers: httpx.Headers, policies: tuple[str, ...]) -> None:
        remaining = headers.get("X-HubSpot-RateLimit-Remaining")
        if remaining is None or TEN_SECONDLY not in policies:
            return
        try:
            left, most = int(remaining), int(headers.get("X-HubSpot-RateLimit-Max", "0"))
        except ValueError:
            return
        if left <= 0 and most > 0:
            interval = _seconds(headers.get("X-HubSpot-RateLimit-Interval-Milliseconds"), 1000) or INTERVAL_SECONDS
            window = self.windows[TEN_SECONDLY]
            window.paused_until = max(window.paused_until, self._clock() + interval / most)

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            with self._lock:
                self.stats.waited += seconds
            self._sleep(seconds)


def _decode(response: httpx.Response) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except json.JSONDecodeError as exc:
        if response.status_code < 400 or response.status_code >= 500:
            raise ValueError(f"malformed JSON answer ({response.status_code})") from exc
        return {"message": response.text[:500]}


def _seconds(value: str | None, per_second: float = 1.0) -> float | None:
    if value is None:
        return None
    try:
        return max(float(value) / per_second, 0.0)
    except ValueError:
        return None
