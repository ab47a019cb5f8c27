"""Batches that isolate their poison: a batch HubSpot refuses with a 4xx is split in halves, recursively, until
the record it refuses is alone; that one is dead-lettered with HubSpot's reason and its batch-mates go through
(HubSpot rejects a whole batch for one bad record; airbyte's and RudderStack's fix, reference notes §D).

A 429 never gets here (the client waits and retries it); 5xx, timeouts and connection errors propagate after the
client's retries, leaving the outbox to resume the run.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

from scoring.client import HubSpotError

T = TypeVar("T")
R = TypeVar("R")


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def deliver(items: Sequence[T], size: int, send: Callable[[Sequence[T]], R],
            accepted: Callable[[Sequence[T], R], None], refused: Callable[[T, HubSpotError], None],
            *, workers: int = 1) -> int:
    """Send `items` in batches of `size`, up to `workers` requests in flight; `accepted(batch, answer)` for every
    batch HubSpot took, `refused(item, error)` for every item it would not take alone (both called on this
    thread: the outbox is single-threaded). Answers the number of requests refused along the way."""
    refusals = 0
    pending = deque(chunks(items, size))
    with ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
        in_flight: dict[Future[R], Sequence[T]] = {}
        try:
            while pending or in_flight:
                while pending and len(in_flight) < workers:
                    batch = pending.popleft()
                    in_flight[pool.submit(send, batch)] = batch
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    batch = in_flight.pop(future)
                    try:
                        answer = future.result()
                    except HubSpotError as error:
                        if not 400 <= error.status < 500 or error.status == 429:
                            raise
                        refusals += 1
                        if len(batch) == 1:
                            refused(batch[0], error)
                        else:
                            middle = len(batch) // 2
                            pending.extendleft((batch[middle:], batch[:middle]))
                        continue
                    accepted(batch, answer)
        finally:
            wait(in_flight)  # a failure stops the run; the requests already sent finish first
    return refusals


def reason(error: HubSpotError) -> str:
    """HubSpot's reason, as a dead letter keeps it: status, category and message."""
    return f"{error.status} {error.category}: {error.message}"
