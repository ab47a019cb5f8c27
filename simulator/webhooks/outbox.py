"""The webhook outbox of one portal: events batched per app, signed sends through the hub's delivery worker, and
HubSpot's retries on the portal clock.

Under the portal lock, events join their app's open batch (at most 100 events: HubSpot's limit per request) and one
job due now is scheduled; that job closes the batches and returns their sends as outbound work, run after the lock
is released. A send that fails (refused connection, an answer slower than 5 s, any 4xx or 5xx) is retried with the
same events and eventIds and the next attemptNumber, up to MAX_RETRIES times over about a day, each delay randomized
from a seed (the same portal replays the same delays). A restored portal resumes every send not yet delivered.
"""

from __future__ import annotations

import json
import random
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from simulator.scheduler import Outbound
from simulator.webhooks.apps import parse_moment
from simulator.webhooks.signing import signed_headers
from simulator.webhooks.worker import DEFAULT_TIMEOUT, Delivery, DeliveryWorker, Outcome, Ticket
from simulator.wire import iso

BATCH_SIZE = 100  # HubSpot sends at most 100 events per request
MAX_RETRIES = 10  # HubSpot: "up to 10 times", spread over the next 24 hours (error-handling guide, Retries)
# Delays before retries 1..10 in minutes, each scaled by a seeded factor in [0.75, 1.25]: the longest run of all
# ten retries ends before 21.5 h, the shortest after 12.7 h, inside HubSpot's 24 h.
RETRY_MINUTES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
ATTEMPT_LOG_SIZE = 10_000  # attempts GET /_sim/webhooks/deliveries can show (the oldest are forgotten)
Target = Callable[[int], tuple[str, str] | None]  # app id -> (target URL, client secret), None without settings


@dataclass
class Send:
    """One batch of events to one app's target, until it is delivered or given up."""

    id: int
    app_id: int
    events: list[dict[str, Any]]
    attempt: int  # the attemptNumber of the next attempt: 0 first
    due: datetime

    def export(self) -> dict[str, Any]:
        return {"id": self.id, "appId": self.app_id, "events": self.events, "attempt": self.attempt,
                "due": self.due.isoformat()}


def retry_delay(seed: int, send_id: int, retry: int) -> timedelta:
    """The wait before retry `retry` (1..MAX_RETRIES) of a send: the same for the same seed, send and retry."""
    factor = random.Random(f"{seed}:{send_id}:{retry}").uniform(0.75, 1.25)
    return timedelta(minutes=RETRY_MINUTES[retry - 1] * factor)


class Outbox:
    def __init__(self, *, lock: Any, now: Callable[[], datetime], schedule_at: Callable[[datetime, Any], None],
                 deliveries: DeliveryWorker, target: Target, changed: Callable[[], None], seed: int = 0):
        self.lock = lock
        self._now = now
        self._schedule_at = schedule_at
        self._deliveries = deliveries
        self._target = target
        self._changed = changed
        self.seed = seed
        self._sends: dict[int, Send] = {}
        self._open: dict[int, Send] = {}  # app id -> its batch still taking events
        # batches not yet released, full ones included: a flush must not walk the sends waiting for a retry, which
        # pile up by the thousand while a receiver is down
        self._unreleased: list[Send] = []
        self._next_send = 1
        self._flush_pending = False
        self._attempts: deque[dict[str, Any]] = deque(maxlen=ATTEMPT_LOG_SIZE)
        self._next_attempt = 1
        self._closed = False

    # --- under the portal lock --------------------------------------------------------------------------------

    def add(self, app_id: int, event: dict[str, Any]) -> None:
        batch = self._open.get(app_id)
        if batch is None or len(batch.events) >= BATCH_SIZE:
            batch = self._open[app_id] = Send(self._next_send, app_id, [], 0, self._now())
            self._sends[batch.id] = batch
            self._unreleased.append(batch)
            self._next_send += 1
        batch.events.append(event)
        if not self._flush_pending:
            self._flush_pending = True
            self._schedule_at(self._now(), self._flush)

    def open_events(self, app_id: int) -> list[dict[str, Any]]:
        batch = self._open.get(app_id)
        return batch.events if batch is not None else []

    def _flush(self, due: datetime) -> list[Outbound]:
        self._flush_pending = False
        batches, self._unreleased = self._unreleased, []
        self._open.clear()
        return [send for batch in batches if (send := self._release(batch)) is not None]

    def _release(self, send: Send) -> Outbound | None:
        """The outbound work of the send's next attempt, or None when its app has no target any more."""
        target = self._target(send.app_id)
        if self._closed or target is None:
            self._sends.pop(send.id, None)  # HubSpot pauses an app's subscriptions while it has no target URL
            return None
        url, secret = target
        body = json.dumps([{**e, "attemptNumber": send.attempt} for e in send.events], separators=(",", ":")).encode()
        attempt, scheduled = send.attempt, self._now()

        def submit() -> Ticket:
            # Signed now, in wall time: a receiver checks the timestamp against its own clock.
            headers = signed_headers(secret, "POST", url, body, int(time.time() * 1000))
            return self._deliveries.submit(Delivery(url, "POST", headers, body, DEFAULT_TIMEOUT,
                                                    lambda outcome: self._attempted(send, attempt, url, scheduled,
                                                                                    outcome)))

        return submit

    def _retry_job(self, send: Send) -> Callable[[datetime], Iterable[Outbound]]:
        def job(due: datetime) -> Iterable[Outbound]:
            if self._sends.get(send.id) is not send:
                return ()
            outbound = self._release(send)
            return (outbound,) if outbound is not None else ()

        return job

    # --- on a delivery thread ---------------------------------------------------------------------------------

    def _attempted(self, send: Send, attempt: int, url: str, scheduled: datetime, outcome: Outcome) -> None:
        """Record the attempt; on failure schedule the next one. Called by the delivery worker: takes the lock."""
        with self.lock:
            if self._closed:
                return
            entry: dict[str, Any] = {
                "id": str(self._next_attempt),
                "appId": send.app_id,
                "url": url,
                "eventIds": [e["eventId"] for e in send.events],
                "subscriptionTypes": sorted({e["subscriptionType"] for e in send.events}),
                "attemptNumber": attempt,
                "scheduledAt": iso(scheduled),
                "sentAt": iso(datetime.fromtimestamp(outcome.started_at, UTC)),
                "elapsedMs": round(outcome.elapsed * 1000, 1),
                "status": outcome.status,
                "error": outcome.error,
            }
            self._next_attempt += 1
            if outcome.ok:
                self._sends.pop(send.id, None)
                entry.update(outcome="delivered", nextAttemptAt=None)
            elif attempt >= MAX_RETRIES:
                self._sends.pop(send.id, None)
                entry.update(outcome="failed", nextAttemptAt=None)
            else:
                send.attempt = attempt + 1
                send.due = self._now() + retry_delay(self.seed, send.id, send.attempt)
                self._schedule_at(send.due, self._retry_job(send))
                entry.update(outcome="retrying", nextAttemptAt=iso(send.due))
            self._attempts.append(entry)
            self._changed()

    # --- reads, reset, snapshots -------------------------------------------------------------------------------

    def attempts(self, *, event_id: int | None, app_id: int | None, limit: int) -> tuple[int, list[dict[str, Any]]]:
        """Matching attempts, newest first, and how many matched."""
        found = [a for a in reversed(self._attempts)
                 if (event_id is None or event_id in a["eventIds"]) and (app_id is None or a["appId"] == app_id)]
        return len(found), found[:limit]

    def pending(self) -> int:
        return len(self._sends)

    def close(self) -> None:
        """The portal dropped this outbox (reset, restore): attempts still in flight change nothing any more."""
        self._closed = True

    def resume(self) -> None:
        """Schedule every undelivered send at its due time (at once when that has passed)."""
        for send in self._sends.values():
            self._schedule_at(send.due, self._retry_job(send))

    def export(self) -> dict[str, Any]:
        return {"seed": self.seed, "nextSendId": self._next_send, "pending": [s.export() for s in self._sends.values()]}

    def restore(self, data: dict[str, Any]) -> None:
        seed, next_send = data["seed"], data["nextSendId"]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (seed, next_send)) or next_send < 1:
            raise ValueError("seed and nextSendId must be integers, nextSendId positive")
        self.seed, self._next_send = seed, next_send
        for row in data["pending"]:
            send = Send(int(row["id"]), int(row["appId"]), list(row["events"]), int(row["attempt"]),
                        parse_moment(row["due"]))
            if not 0 <= send.attempt <= MAX_RETRIES or not 0 < send.id < next_send or send.id in self._sends:
                raise ValueError(f"pending send {send.id}: bad id or attempt")
            if not send.events or len(send.events) > BATCH_SIZE or not all(
                isinstance(e, dict) and isinstance(e.get("eventId"), int) and isinstance(e.get("subscriptionType"), str)
                for e in send.events
            ):
                raise ValueError(f"pending send {send.id}: 1 to {BATCH_SIZE} events, each with eventId and type")
            self._sends[send.id] = send
