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


class SimClock:
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
        self._lock = threading.Lock()
        self._anchor_wall = wall()
        self._anchor = start.astimezone(UTC) if start else datetime.fromtimestamp(self._anchor_wall, UTC)
        self._speed = speed
        self._frozen = frozen
        self._advanced = 0.0

    def now(self) -> datetime:
        with self._lock:
            return self._now()

    def _now(self) -> datetime:
        if self._frozen:
            return self._anchor
        return self._anchor + timedelta(seconds=(self._wall() - self._anchor_wall) * self._speed)

    def _rebase(self, moment: datetime) -> None:
        self._anchor, self._anchor_wall = moment, self._wall()

    def limit_time(self) -> float:
        with self._lock:
            return self._wall() + self._advanced

    @property
    def frozen(self) -> bool:
        return self._frozen

    @property
    def speed(self) -> float:
        return self._speed

    def freeze(self) -> None:
        with self._lock:
            self._rebase(self._now())
            self._frozen = True

    def unfreeze(self) -> None:
        with self._lock:
            self._rebase(self._now())
            self._frozen = False

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("the clock takes timezone-aware datetimes")
        with self._lock:
            self._rebase(moment.astimezone(UTC))

    def set_speed(self, speed: float) -> None:
        if not 0 < speed < math.inf:  # NaN or inf would make every later now() raise
            raise ValueError("speed must be positive and finite")
        with self._lock:
            self._rebase(self._now())
            self._speed = speed

    def advance(self, delta: timedelta) -> None:
        if delta < timedelta(0):
            raise ValueError("the clock only advances forwards")
        with self._lock:
            self._rebase(self._now() + delta)
            self._advanced += delta.total_seconds()
