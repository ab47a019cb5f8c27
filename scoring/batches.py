"""Batches that isolate their poison: a batch HubSpot refuses with a 4xx is split in halves, recursively, until
the record it refuses is alone; that one is dead-lettered with HubSpot's reason and its batch-mates go through
(HubSpot rejects a whole batch for one bad record; airbyte's and RudderStack's fix, reference notes §D).

A 429 never gets here (the client waits and retries it); 5xx, timeouts and connection errors propagate after the
client's retries, leaving the outbox to resume the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from scoring.client import HubSpotError

T = TypeVar("T")
R = TypeVar("R")


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def deliver(items: Sequence[T], size: int, send: Callable[[Sequence[T]], R],
            accepted: Callable[[Sequence[T], R], None], refused: Callable[[T, HubSpotError], None]) -> int:
    """Send `items` in batches of `size`; `accepted(batch, answer)` for every batch HubSpot took, `refused(item,
    error)` for every item it would not take alone. Answers the number of requests refused along the way."""
    refusals = 0
    pending = [batch for batch in chunks(items, size)]
    pending.reverse()
    while pending:
        batch = pending.pop()
        try:
            answer = send(batch)
        except HubSpotError as error:
            if not 400 <= error.status < 500 or error.status == 429:
                raise
            refusals += 1
            if len(batch) == 1:
                refused(batch[0], error)
                continue
            middle = len(batch) // 2
            pending.append(batch[middle:])
            pending.append(batch[:middle])
            continue
        accepted(batch, answer)
    return refusals


def reason(error: HubSpotError) -> str:
    """HubSpot's reason, as a dead letter keeps it: status, category and message."""
    return f"{error.status} {error.category}: {error.message}"
