"""Due work on domain time: one scheduler per portal.

A job runs under the portal lock and returns the outbound work it triggered (webhook sends, ...), which the portal
runs after releasing the lock: outbound HTTP never happens under a portal lock. An outbound callable that hands its
send to the delivery worker returns the worker's ticket, so a clock advance can wait until it was attempted.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Outbound = Callable[[], Any]  # returns None, or a Ticket (simulator.webhooks.worker) to wait for
Job = Callable[[datetime], Iterable[Outbound] | None]


@dataclass(order=True)
class _Entry:
    due: datetime
    seq: int
    job: Job = field(compare=False)


class Scheduler:
    def __init__(self) -> None:
        self._heap: list[_Entry] = []
        self._seq = itertools.count()

    def __len__(self) -> int:
        return len(self._heap)

    def at(self, due: datetime, job: Job) -> None:
        heapq.heappush(self._heap, _Entry(due, next(self._seq), job))

    def next_due(self) -> datetime | None:
        return self._heap[0].due if self._heap else None

    def pop_due(self, until: datetime) -> _Entry | None:
        """The earliest job due at or before `until`; jobs due at the same moment run in the order scheduled."""
        if self._heap and self._heap[0].due <= until:
            return heapq.heappop(self._heap)
        return None

    def clear(self) -> None:
        self._heap.clear()
