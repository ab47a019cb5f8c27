"""Calibration: which PQL threshold would sales trust? (plg-guide.txt's FAQ, answered from outcomes.)

Every contact's events go through the scorer; for each candidate threshold a contact counts as flagged when its
score reached the threshold before it converted (or ever, for those who did not). Per threshold: precision (the
flagged who converted), recall (the converters who were flagged) and the median lead time the flag bought (from
first reaching the threshold to converting). Per score band (by the peak score before converting): how many, and
how many converted. The recommended threshold maximises F1, the balance of the two errors sales feel: chasing
leads that never buy, and missing the ones that do.

Two sources: a scenario's events and ground truth (`calibrate`, scoring the events here), or a portal's score
history and closed-won deals (`calibrate_scores`, with the scores the sync wrote; scoring.outcomes reads them).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scoring.engine import Scorer, to_seconds
from scoring.scores import from_iso
from scoring.model import ScoreModel

THRESHOLDS = tuple(range(10, 100, 5))
BAND = 10


@dataclass(frozen=True)
class ThresholdResult:
    threshold: int
    flagged: int
    converted: int  # of the flagged
    precision: float
    recall: float
    f1: float
    median_lead_days: float | None


@dataclass(frozen=True)
class Band:
    low: int
    contacts: int
    converted: int

    @property
    def rate(self) -> float:
        return self.converted / self.contacts if self.contacts else 0.0


@dataclass(frozen=True)
class Calibration:
    contacts: int
    converters: int
    bands: tuple[Band, ...]
    thresholds: tuple[ThresholdResult, ...]

    @property
    def best(self) -> ThresholdResult:
        return max(self.thresholds, key=lambda t: (t.f1, t.threshold))


def calibrate(model: ScoreModel, profiles: Mapping[str, Mapping[str, Any]], events: Iterable[Mapping[str, Any]],
              conversions: Mapping[str, datetime]) -> Calibration:
    """`profiles` and `conversions` (when each converter converted) by email; `events` as events.jsonl rows, in
    time order."""
    scorer = Scorer(model)
    for email, profile in profiles.items():
        scorer.set_profile(email, profile)
    track = _Trajectories(conversions)
    for row in events:
        email = row["email"].strip().lower()
        at = to_seconds(from_iso(row["timestamp"]))
        if track.after_conversion(email, at):
            continue  # what a converter does after buying says nothing about the signal before
        track.see(email, at, scorer.observe(email, row["event"], at, row.get("properties") or {}).total)
    return track.tabulate(set(profiles))


def calibrate_scores(histories: Mapping[str, Iterable[tuple[datetime, float]]],
                     conversions: Mapping[str, datetime]) -> Calibration:
    """The same table from scores already computed: each contact's score history (when it changed to what, as a
    portal's property history keeps it) instead of its events."""
    track = _Trajectories(conversions)
    for email, points in histories.items():
        for moment, total in sorted(points, key=lambda point: point[0]):
            at = to_seconds(moment)
            if track.after_conversion(email, at):
                break
            track.see(email, at, total)
    return track.tabulate(set(histories))


class _Trajectories:
    """Per contact, the peak score before converting and when it first reached each threshold."""

    def __init__(self, conversions: Mapping[str, datetime]):
        self.converted_at = {email: to_seconds(at) for email, at in conversions.items()}
        self.peak: dict[str, float] = {}
        self.first_reached: dict[str, dict[int, float]] = {}

    def after_conversion(self, email: str, at: float) -> bool:
        return at >= self.converted_at.get(email, float("inf"))

    def see(self, email: str, at: float, total: float) -> None:
        if total > self.peak.get(email, float("-inf")):
            self.peak[email] = total
            reached = self.first_reached.setdefault(email, {})
            for threshold in THRESHOLDS:
                if total >= threshold and threshold not in reached:
                    reached[threshold] = at

    def tabulate(self, known: set[str]) -> Calibration:
        peak, first_reached, converted_at = self.peak, self.first_reached, self.converted_at
        contacts = known | set(peak)
        converters = {email for email in contacts if email in converted_at}
        bands: dict[int, list[int]] = {}
        for email in contacts:
            low = int(max(peak.get(email, 0.0), 0) // BAND * BAND)
            counts = bands.setdefault(min(low, 100 - BAND), [0, 0])
            counts[0] += 1
            counts[1] += email in converters
        results = []
        for threshold in THRESHOLDS:
            flagged = {email for email in contacts if threshold in first_reached.get(email, {})}
            hits = flagged & converters
            precision = len(hits) / len(flagged) if flagged else 0.0
            recall = len(hits) / len(converters) if converters else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            leads = [(converted_at[e] - first_reached[e][threshold]) / 86_400 for e in hits]
            results.append(ThresholdResult(threshold, len(flagged), len(hits), precision, recall, f1,
                                           statistics.median(leads) if leads else None))
        return Calibration(len(contacts), len(converters),
                           tuple(Band(low, n, c) for low, (n, c) in sorted(bands.items())), tuple(results))
