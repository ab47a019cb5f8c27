"""When things happen: weekly and diurnal cycles in users' local time, and non-homogeneous Poisson processes
sampled by Lewis-Shedler thinning (draw at the peak rate, keep each candidate with probability rate(t) / peak)."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

DAY = 86_400.0
EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday (Monday = 0)


class Seasonality:
    """Relative activity for each hour of the week, mean 1, looked up in local time."""

    def __init__(self, diurnal: Sequence[float], weekly: Sequence[float], origin: float) -> None:
        mean_hour, mean_day = sum(diurnal) / 24, sum(weekly) / 7
        self._week = [weekly[h // 24] / mean_day * diurnal[h % 24] / mean_hour for h in range(168)]
        self.peak = max(self._week)
        self._origin = origin + EPOCH_WEEKDAY * DAY  # seconds since epoch of the run's t = 0, shifted to a Monday

    def factor(self, t: float, utc_offset: float) -> float:
        """The activity factor at run time `t` (seconds) for someone at `utc_offset` hours."""
        return self._week[int((self._origin + t + utc_offset * 3600.0) // 3600.0) % 168]

    def next_time(self, rng: random.Random, after: float, per_day: float, utc_offset: float) -> float:
        """The first point after `after` of a process averaging `per_day` points a day, shaped by the cycles."""
        mean_gap, peak, week = DAY / (per_day * self.peak), self.peak, self._week
        shift = self._origin + utc_offset * 3600.0
        t = after
        while True:
            t -= math.log(1.0 - rng.random()) * mean_gap
            if rng.random() * peak < week[int((shift + t) // 3600.0) % 168]:  # self.factor, inlined: hot
                return t


def arrival_time(rng: random.Random, season: Seasonality, span: float, monthly_growth: float,
                 utc_offset: float) -> float:
    """One signup time in [0, span): conditional on their count, the points of a non-homogeneous Poisson process
    are independent draws from its normalised rate, here cycles x compounding growth, drawn by thinning."""
    growth = math.log1p(monthly_growth) / (30 * DAY)
    peak = season.peak * max(1.0, math.exp(growth * span))
    while True:
        t = rng.random() * span
        if rng.random() * peak < season.factor(t, utc_offset) * math.exp(growth * t):
            return t


def lognormal_multiplier(rng: random.Random, sigma: float) -> float:
    """A mean-1 log-normal multiplier (eventsim's per-user random effect): heavy-tailed engagement."""
    return math.exp(rng.gauss(0.0, sigma) - sigma * sigma / 2)


def geometric(rng: random.Random, mean: float) -> int:
    """How many more events a session has: geometric on 0, 1, 2, ... with the given mean (eventsim's
    continue-probability p = mean / (1 + mean)), drawn by inversion with one uniform."""
    if mean <= 0:
        return 0
    return int(math.log(1.0 - rng.random()) / math.log(mean / (1.0 + mean)))


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the small means here (a few invitations)."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k
