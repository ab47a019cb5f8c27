"""The hub's one delivery worker: outbound HTTP (webhook batches, workflow webhook actions) off every request thread
and outside every portal lock, with bounded concurrency and a timeout per attempt.

    ticket = hub.deliveries.submit(Delivery(url, "POST", headers, body, timeout=5.0, on_done=record))

`on_done(outcome)` runs on a worker thread once the attempt is over (it may take the portal lock: no lock is held
while sending); then the ticket is done. A scheduled job returns `lambda: hub.deliveries.submit(...)` as outbound
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
        self.outcome: Outcome | None = None

    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def _finish(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self._done.set()


class DeliveryWorker:
    """A fixed number of sender threads, started on the first submit, fed from one queue."""

    def __init__(self, concurrency: int = DEFAULT_CONCURRENCY, *, wall: Callable[[], float] = time.time):
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.concurrency = concurrency
        self._wall = wall
        self._queue: queue.SimpleQueue[tuple[Delivery, Ticket] | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, delivery: Delivery) -> Ticket:
        ticket = Ticket()
        with self._lock:
            if self._closed:
                ticket._finish(Outcome(None, "the simulator is shutting down", 0.0, self._wall()))
                return ticket
            if len(self._threads) < self.concurrency:
                thread = threading.Thread(target=self._run, name=f"hubsim-delivery-{len(self._threads)}", daemon=True)
                self._threads.append(thread)
                thread.start()
        self._queue.put((delivery, ticket))
        return ticket

    def close(self, timeout: float = DEFAULT_TIMEOUT + 1) -> None:
        """Stop the senders once the queue before them is done (each attempt is bounded by its timeout)."""
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
            outcome = send(delivery, self._wall)
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
