"""Calibration on a hand-made history: precision, recall, lead time and the recommended threshold are exact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scoring.calibrate import calibrate
from scoring.model import load_model

T0 = datetime(2026, 3, 2, tzinfo=UTC)
ICP = {"job_title": "VP of Sales", "industry": "INTERNET", "employees": 150, "region": "emea"}


def row(email: str, name: str, days: float) -> dict:
    return {"email": email, "event": name, "timestamp": (T0 + timedelta(days=days)).isoformat(), "properties": {}}


def test_the_threshold_that_separates_converters_is_recommended_with_its_lead_time():
    # Two ICP buyers reach 76 (trial, key feature, two invites) on day 1 and buy on day 11 and day 21; two ICP
    # browsers stop at 67 (trial and key feature); two poor fits with the same activity stay near 40.
    journey = [("trial_started", 0), ("key_feature_used", 0.5)]
    invites = [("teammate_invited", 1), ("teammate_invited", 1)]
    people = {"buyer1@a.io": (ICP, journey + invites), "buyer2@b.io": (ICP, journey + invites),
              "browser1@c.io": (ICP, journey), "browser2@d.io": (ICP, journey),
              "poor1@gmail.com": ({}, journey + invites), "poor2@gmail.com": ({}, journey + invites)}
    events = sorted((row(email, name, day) for email, (_, steps) in people.items() for name, day in steps),
                    key=lambda r: r["timestamp"])
    result = calibrate(load_model(), {email: profile for email, (profile, _) in people.items()}, events,
                       {"buyer1@a.io": T0 + timedelta(days=11), "buyer2@b.io": T0 + timedelta(days=21)})
    assert (result.contacts, result.converters) == (6, 2)
    by = {t.threshold: t for t in result.thresholds}
    assert (by[70].flagged, by[70].converted, by[70].precision, by[70].recall) == (2, 2, 1.0, 1.0)
    assert by[70].median_lead_days == pytest.approx(15)  # flagged on day 1; bought 10 and 20 days later
    assert (by[65].flagged, by[65].precision) == (4, 0.5)
    assert result.best.threshold == 75 and result.best.f1 == 1.0  # the highest threshold that still catches both
    assert [(b.low, b.contacts, b.converted) for b in result.bands] == [(30, 2, 0), (60, 2, 0), (70, 2, 2)]
