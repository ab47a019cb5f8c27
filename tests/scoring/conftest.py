"""Helpers for the sync tests: a little PLG world, and a client whose waiting moves hubsim's clock instead."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from scoring.client import HubSpotClient
from scoring.outbox import Outbox
from scoring.sync import Sync

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


class SimTime:
    """Waiting without waiting: sleep advances the portal's clock (its rate-limit windows slide with it) and this
    clock by the same amount."""

    def __init__(self, portal):
        self.portal = portal
        self.offset = 0.0

    def clock(self) -> float:
        return time.monotonic() + self.offset

    def sleep(self, seconds: float) -> None:
        self.offset += seconds
        self.portal.clock.advance(seconds=seconds)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def user(n: int, *, account: str | None = None, **fields) -> dict:
    return {"user": f"u{n}", "account": account or f"a{n}", "email": f"user{n}@company{n}.io", "first_name": f"F{n}",
            "last_name": f"L{n}", "job_title": "VP of Product", "region": "north_america", **fields}


def account(n: int, **fields) -> dict:
    return {"account": f"a{n}", "name": f"Company {n}", "domain": f"company{n}.io", "industry": "INTERNET",
            "employees": 150, "region": "north_america", **fields}


class Events:
    """Event rows as the scenarios write them, with ids `<user>-<n>`."""

    def __init__(self):
        self.rows: list[dict] = []

    def add(self, who: dict, name: str, at: datetime, **properties) -> dict:
        row = {"id": f"{who['user']}-{len(self.rows) + 1}", "timestamp": iso(at), "event": name, "user": who["user"],
               "account": who["account"], "email": who["email"], "properties": properties}
        self.rows.append(row)
        return row

    def journey(self, who: dict, start: datetime = T0) -> None:
        """Signed up, trial, activation, two invites, five logins: a PQL at an ICP company."""
        self.add(who, "signed_up", start, source="organic")
        self.add(who, "trial_started", start + timedelta(minutes=1), trial_days=14)
        self.add(who, "key_feature_used", start + timedelta(hours=2), feature="dashboards", first_time=True)
        for k in range(2):
            self.add(who, "teammate_invited", start + timedelta(hours=3, minutes=k), invitee_email=f"t{k}@x.io")
        for k in range(5):
            self.add(who, "logged_in", start + timedelta(days=1, hours=k))


def world(n: int) -> tuple[list[dict], list[dict], Events]:
    """n users at n ICP companies, each on the PQL journey, an hour apart."""
    people = [user(k) for k in range(1, n + 1)]
    events = Events()
    for k, who in enumerate(people):
        events.journey(who, T0 + timedelta(hours=k))
    return people, [account(k) for k in range(1, n + 1)], events


def make_client(portal, sim_time: SimTime | None = None, **options) -> HubSpotClient:
    sim_time = sim_time or SimTime(portal)
    options.setdefault("timeout", 2.0)
    options.setdefault("backoff_base", 0.05)
    return HubSpotClient(portal.base_url, portal.token, clock=sim_time.clock, sleep=sim_time.sleep, **options)


@pytest.fixture
def make_sync(hubspot_sim, tmp_path):
    """make_sync(**options) -> a Sync on the test's portal with an outbox file in tmp_path (shared by all the
    syncs of one test, like runs of one state directory)."""
    opened = []

    def make(*, client: HubSpotClient | None = None, send_events: bool = False, **options) -> Sync:
        outbox = Outbox(tmp_path / "outbox.sqlite")
        sync = Sync(client or make_client(hubspot_sim), outbox=outbox, send_events=send_events, **options)
        opened.append(sync)
        return sync

    yield make
    for sync in opened:
        sync.outbox.close()
        sync.client.close()


def occurrence_ids(portal) -> list[str]:
    """The ids (the sync's uuids) of every custom event occurrence in the portal, through GET /events/v3/events."""
    ids, after = [], None
    with portal.client() as http:
        while True:
            page = http.get("/events/v3/events", params={"limit": 100, **({"after": after} if after else {})})
            assert page.status_code == 200, page.text
            ids += [o["id"] for o in page.json()["results"]]
            after = (page.json().get("paging") or {}).get("next", {}).get("after")
            if not after:
                return ids
