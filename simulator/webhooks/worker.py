"""The hub's one delivery worker: outbound HTTP (webhook batches, workflow webhook actions) off every request thread
and outside every portal lock, with bounded concurrency and a timeout per attempt.

    ticket = hub.deliveries.submit(Delivery(url, "POST", headers, body, timeout=5.0, on_done=record))

`on_done(outcome)` runs on a worker thread once the attempt is over (it may take the portal lock: no lock is held
while sending); then the ticket is done. A delivery the worker refuses (it is shutting down, or MAX_QUEUED wait
already) is told at once, in `submit`, as an error outcome. A scheduled job returns `lambda: hub.deliveries.submit(...)` as outbound
work: `Portal.advance` waits for the tickets so released before it looks for the next due job, which is how a
clock advance returns only once the sends that fell due inside it were attempted.
"""

from __future__ import annotations

import http.client
import logging
import queue
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit


DEFAULT_TIMEOUT = 5.0  # HubSpot counts a webhook response slower than 5 s as failed (error-handling guide, Retries)
DEFAULT_CONCURRENCY = 10  # HubSpot's default maxConcurrentRequests per app
# Deliveries waiting for a sender at most; past it a submit fails at once (a webhook send is then retried later), so
# a receiver that hangs under heavy API traffic cannot grow the queue without bound.
MAX_QUEUED = 10_000
MAX_RESPONSE_BYTES = 64 * 1024  # what a receiver's answer is read up to (its status is what counts)
USER_AGENT = "HubSpot Connect 2.0 (http://dev.hubspot.com/) (hubsim)"  # HubSpot's, marked as the simulator
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one attempt ended: `status` when the receiver answered in time, else `error`; `elapsed` in seconds."""

    status: int | None
    error: str | None
    elapsed: float
    started_at: float  # wall time, epoch seconds

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True, slots=True)
class Delivery:
    url: str
    method: str = "POST"
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    timeout: float = DEFAULT_TIMEOUT
    on_done: Callable[[Outcome], None] | None = None


class Ticket:
    """One submitted delivery; `wait()` returns once it was attempted and its `on_done` has run."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[Ticket], None]] = []
        self.outcome: Outcome | None = None

    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def add_done_callback(self, callback: Callable[[Ticket], None]) -> None:
        """Call `callback(ticket)` once it is done (at once if it already is)."""
        with self._lock:
            if not self._done.is_set():
                self._callbacks.append(callback)
                return
        callback(self)

    def _finish(self, outcome: Outcome) -> None:
        with self._lock:
            self.outcome = outcome
            self._done.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback(self)


class DeliveryWorker:
    """A fixed number of sender threads, started on the first submit, fed from one queue."""

    def __init__(self, concurrency: int = DEFAULT_CONCURRENCY, *, max_queued: int = MAX_QUEUED,
                 wall: Callable[[], float] = time.time):
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.concurrency = concurrency
        self.max_queued = max_queued
        self._queued = 0
        self._wall = wall
        self._queue: queue.SimpleQueue[tuple[Delivery, Ticket] | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, delivery: Delivery) -> Ticket:
        ticket = Ticket()
        with self._lock:
            refused = ("the simulator is shutting down" if self._closed
                       else f"{self._queued} deliveries already wait for a sender" if self._queued >= self.max_queued
                       else None)
            if refused is None:
                self._queued += 1
        if refused is not None:
            _conclude(delivery, ticket, Outcome(None, refused, 0.0, self._wall()))
            return ticket
        with self._lock:
            if len(self._threads) < self.concurrency:
                thread = threading.Thread(target=self._run, name=f"hubsim-delivery-{len(self._threads)}", daemon=True)
                self._threads.append(thread)
                thread.start()
        self._queue.put((delivery, ticket))
        return ticket

    def close(self, timeout: float = DEFAULT_TIMEOUT + 1) -> None:
        """Stop the senders: attempts under way finish (each bounded by its timeout), queued ones are dropped."""
        with self._lock:
            self._closed = True
            threads = list(self._threads)
        for _ in threads:
            self._queue.put(None)
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            delivery, ticket = item
            with self._lock:
                self._queued -= 1
            if self._closed:  # shutting down: what is still queued fails at once instead of being sent
                _conclude(delivery, ticket, Outcome(None, "the simulator is shutting down", 0.0, self._wall()))
                continue
            _conclude(delivery, ticket, send(delivery, self._wall))


def _conclude(delivery: Delivery, ticket: Ticket, outcome: Outcome) -> None:
    """Tell the delivery's callback, then mark the ticket done: a waiter sees the outcome already recorded."""
    try:
        if delivery.on_done is not None:
            delivery.on_done(outcome)
    except Exception:  # a failing callback is a simulator bug; the worker must keep serving every portal
        log.exception("a delivery callback failed for %s", delivery.url)
    finally:
        ticket._finish(outcome)


def send(delivery: Delivery, wall: Callable[[], float] = time.time) -> Outcome:
    """One HTTP attempt. Redirects are not followed; an answer slower than the timeout counts as a timeout."""
    started_at, started = wall(), time.perf_counter()

    def ended(status: int | None, error: str | None) -> Outcome:
        return Outcome(status, error, time.perf_counter() - started, started_at)

    parts = urlsplit(delivery.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ended(None, f"not an http(s) URL: {delivery.url}")
    connection_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    extra = {"context": ssl.create_default_context()} if parts.scheme == "https" else {}
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = connection_type(parts.hostname, parts.port, timeout=delivery.timeout, **extra)
    try:
        connection.request(delivery.method, path, body=delivery.body,
                           headers={"User-Agent": USER_AGENT, **delivery.headers})
        response = connection.getresponse()
        response.read(MAX_RESPONSE_BYTES)
        if time.perf_counter() - started > delivery.timeout:
            return ended(None, f"timed out after {delivery.timeout:g} s")
        return ended(response.status, None)
    except TimeoutError:
        return ended(None, f"timed out after {delivery.timeout:g} s")
    except (OSError, http.client.HTTPException) as exc:
        return ended(None, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
    finally:
        connection.close()
