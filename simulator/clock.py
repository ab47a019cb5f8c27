"""The portal's two kinds of time (DESIGN.md).

Domain time, `now()`: origin + running wall time x speed + advances; frozen, set and advanced by tests. Every
timestamp the simulator writes and every delay it schedules follows it.

Rate-limit time, `limit_time()`: wall time plus the sum of all advances, in seconds. Rate-limit windows pass with
real time whatever the domain clock does, and jump with `advance` so a test can skip a window without sleeping.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import NamedTuple


class _Reading(NamedTuple):
    """Everything `now()` and `limit_time()` read, replaced whole by each change: readers take no lock."""

    anchor: datetime  # domain time at anchor_wall
    anchor_wall: float
    speed: float
    frozen: bool
    advanced: float  # seconds of all advances


class SimClock:
    """Every API call reads the clock; only the control API changes it. Readers take no lock: a lock held across
    Python calls, on every request, forms a convoy under load (a thread holding it loses the GIL, and the others
    queue on the lock until it gets the GIL back). Changes are serialised by a lock and publish one new `_Reading`,
    with a version counter around it (a seqlock): a reader that overlapped a change reads again, so no thread ever
    sees domain time go back, not even by the microseconds a freeze takes."""

    def __init__(
        self,
        start: datetime | None = None,
        *,
        speed: float = 1.0,
        frozen: bool = False,
        wall: Callable[[], float] = time.time,
    ):
        if not 0 < speed < math.inf:
            raise ValueError("speed must be positive and finite")
        self._wall = wall
        self._lock = threading.Lock()  # between changes only
        anchor_wall = wall()
        anchor = start.astimezone(UTC) if start else datetime.fromtimestamp(anchor_wall, UTC)
        self._reading = _Reading(anchor, anchor_wall, speed, frozen, 0.0)
        self._version = 0  # odd while a change is being made

    def now(self) -> datetime:
        while True:
            version = self._version
            moment = self._at(self._reading, self._wall())
            if not version % 2 and self._version == version:
                return moment
            time.sleep(0)  # a change is under way: let its thread finish it

    @staticmethod
    def _at(reading: _Reading, wall: float) -> datetime:
        if reading.frozen:
            return reading.anchor
        return reading.anchor + timedelta(seconds=(wall - reading.anchor_wall) * reading.speed)

    def _change(self, *, moment: datetime | None = None, shift: timedelta = timedelta(0), **changes: object) -> None:
        """Re-anchor at `moment` (default: now) plus `shift`, with `changes`; the caller holds the lock."""
        self._version += 1
        reading, wall = self._reading, self._wall()
        anchor = (self._at(reading, wall) if moment is None else moment) + shift
        advanced = reading.advanced + shift.total_seconds()
        self._reading = reading._replace(anchor=anchor, anchor_wall=wall, advanced=advanced, **changes)
        self._version += 1

    def limit_time(self) -> float:
        return self._wall() + self._reading.advanced

    @property
    def frozen(self) -> bool:
        return self._reading.frozen

    @property
    def speed(self) -> float:
        return self._reading.speed

    def freeze(self) -> None:
        with self._lock:
            self._change(frozen=True)

    def unfreeze(self) -> None:
        with self._lock:
            self._change(frozen=False)

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("the clock takes timezone-aware datetimes")
        with self._lock:
            self._change(moment=moment.astimezone(UTC))

    def set_speed(self, speed: float) -> None:
        if not 0 < speed < math.inf:  # NaN or inf would make every later now() raise
            raise ValueError("speed must be positive and finite")
        with self._lock:
            self._change(speed=speed)

    def advance(self, delta: timedelta) -> None:
        if delta < timedelta(0):
            raise ValueError("the clock only advances forwards")
        with self._lock:
            self._change(shift=delta)
