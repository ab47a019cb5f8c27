"""The two kinds of time, and the guarantee that everything due has run when a call or an advance returns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from simulator import Hub
from simulator.clock import SimClock
from simulator.config import PortalConfig
from simulator.hub import Portal

START = datetime(2030, 1, 1, tzinfo=UTC)


class FakeWall:
    def __init__(self, at: float = 1_000_000.0):
        self.at = at

    def __call__(self) -> float:
        return self.at


@pytest.fixture
def wall() -> FakeWall:
    return FakeWall()


def test_a_running_clock_follows_wall_time_from_its_origin(wall):
    clock = SimClock(START, wall=wall)
    wall.at += 90
    assert clock.now() == START + timedelta(seconds=90)


def test_speed_scales_the_passage_of_wall_time(wall):
    clock = SimClock(START, speed=60, wall=wall)
    wall.at += 10
    assert clock.now() == START + timedelta(minutes=10)


def test_a_frozen_clock_does_not_move_with_wall_time(wall):
    clock = SimClock(START, wall=wall)
    clock.freeze()
    wall.at += 3600
    assert clock.now() == START


def test_unfreezing_resumes_from_the_frozen_moment(wall):
    clock = SimClock(START, frozen=True, wall=wall)
    wall.at += 500
    clock.unfreeze()
    wall.at += 5
    assert clock.now() == START + timedelta(seconds=5)


def test_set_jumps_domain_time_but_not_rate_limit_time(wall):
    clock = SimClock(START, wall=wall)
    before = clock.limit_time()
    clock.set(datetime(2031, 6, 1, tzinfo=UTC))
    assert clock.now() == datetime(2031, 6, 1, tzinfo=UTC)
    assert clock.limit_time() == before


def test_advance_moves_both_kinds_of_time(wall):
    clock = SimClock(START, frozen=True, wall=wall)
    clock.advance(timedelta(seconds=10))
    assert clock.now() == START + timedelta(seconds=10)
    assert clock.limit_time() == wall.at + 10


def test_rate_limit_time_passes_with_wall_time_even_when_frozen(wall):
    clock = SimClock(START, frozen=True, wall=wall)
    wall.at += 7
    assert clock.limit_time() == wall.at
    assert clock.now() == START


def test_rate_limit_time_ignores_speed(wall):
    clock = SimClock(START, speed=1000, wall=wall)
    before = clock.limit_time()
    wall.at += 1
    assert clock.limit_time() - before == 1


def test_the_clock_refuses_to_go_backwards(wall):
    with pytest.raises(ValueError):
        SimClock(START, wall=wall).advance(timedelta(seconds=-1))


def _frozen_portal(wall) -> Portal:
    portal = Portal(1, PortalConfig(token="t"), wall=wall)
    portal.clock.set(START)
    portal.clock.freeze()
    return portal


def test_advance_runs_each_due_job_at_its_own_due_time_in_order(wall):
    portal = _frozen_portal(wall)
    seen = []
    portal.schedule(timedelta(hours=2), lambda due: seen.append(("b", due, portal.clock.now())))
    portal.schedule(timedelta(hours=1), lambda due: seen.append(("a", due, portal.clock.now())))
    portal.schedule(timedelta(hours=5), lambda due: seen.append(("late", due, portal.clock.now())))
    portal.advance(timedelta(hours=3))
    one, two = START + timedelta(hours=1), START + timedelta(hours=2)
    assert seen == [("a", one, one), ("b", two, two)]
    assert portal.clock.now() == START + timedelta(hours=3)


def test_a_job_scheduled_by_a_job_runs_within_the_same_advance(wall):
    portal = _frozen_portal(wall)
    seen = []

    def first(due):
        seen.append("first")
        portal.schedule(timedelta(minutes=30), lambda d: seen.append(("second", d)))

    portal.schedule(timedelta(hours=1), first)
    portal.advance(timedelta(hours=2))
    assert seen == ["first", ("second", START + timedelta(hours=1, minutes=30))]


def test_jobs_due_at_the_same_moment_run_in_the_order_scheduled(wall):
    portal = _frozen_portal(wall)
    seen = []
    for name in "abc":
        portal.schedule(timedelta(minutes=1), lambda due, n=name: seen.append(n))
    portal.advance(timedelta(minutes=1))
    assert seen == ["a", "b", "c"]


def test_outbound_work_runs_after_the_portal_lock_is_released(wall):
    portal = _frozen_portal(wall)
    held = []

    def send():
        held.append(portal.lock._is_owned())

    portal.schedule(timedelta(seconds=1), lambda due: [send])
    portal.advance(timedelta(seconds=1))
    assert held == [False]


def test_an_api_call_runs_what_fell_due_before_answering(api, portal):
    portal.clock.freeze()
    seen = []
    portal.schedule(timedelta(seconds=5), lambda due: seen.append(due))
    portal.clock.set(portal.clock.now() + timedelta(seconds=10))
    assert seen == []
    api.get("/crm/v3/objects/contacts")
    assert len(seen) == 1


def test_the_hub_ticker_runs_due_work_on_a_running_clock():
    hub = Hub()
    try:
        portal = hub.portal("ticking")
        portal.clock.set_speed(1000)
        done = []
        portal.schedule(timedelta(seconds=30), lambda due: done.append(due))  # 30 ms of wall time
        deadline = datetime.now(UTC) + timedelta(seconds=5)
        while not done and datetime.now(UTC) < deadline:
            pass
        assert len(done) == 1
    finally:
        hub.close()


def test_clock_control_freezes_sets_and_advances(api):
    frozen = api.post("/_sim/clock", json={"set": "2030-01-01T00:00:00Z", "freeze": True}).json()
    assert frozen == {"now": "2030-01-01T00:00:00.000Z", "frozen": True, "speed": 1.0}
    assert api.post("/_sim/clock", json={"advance": "P1DT2H"}).json()["now"] == "2030-01-02T02:00:00.000Z"
    assert api.post("/_sim/clock", json={"advance": 30}).json()["now"] == "2030-01-02T02:00:30.000Z"
    assert api.get("/_sim/clock").json()["now"] == "2030-01-02T02:00:30.000Z"


@pytest.mark.parametrize(
    "command",
    [{"advance": "yesterday"}, {"advance": -5}, {"advance": "P"}, {"set": "2030-01-01T00:00:00"}, {"speed": 0},
     {"set": "1900-01-01T00:00:00Z"}, {"tick": 1}],
)
def test_bad_clock_commands_are_refused_and_change_nothing(api, command):
    before = api.post("/_sim/clock", json={"freeze": True}).json()
    response = api.post("/_sim/clock", json=command)
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"
    assert api.get("/_sim/clock").json() == before


def test_advancing_the_clock_through_the_api_runs_due_work(api, portal):
    api.post("/_sim/clock", json={"set": "2030-01-01T00:00:00Z", "freeze": True})
    seen = []
    portal.schedule(timedelta(days=1), lambda due: seen.append(due))
    api.post("/_sim/clock", json={"advance": "P2D"})
    assert seen == [datetime(2030, 1, 2, tzinfo=UTC)]


def test_concurrent_advances_run_every_job_exactly_once_in_time_order(wall):
    import threading

    portal = _frozen_portal(wall)
    ran: list[datetime] = []
    for minute in range(1, 201):
        portal.schedule(timedelta(minutes=minute), lambda due: ran.append(due))
    threads = [threading.Thread(target=portal.advance, args=(timedelta(minutes=25),)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ran == [START + timedelta(minutes=m) for m in range(1, 201)]
    assert portal.clock.now() == START + timedelta(minutes=200)


def test_a_running_clock_and_the_ticker_never_run_a_job_twice():
    import threading

    hub = Hub()
    try:
        portal = hub.portal("busy")
        portal.clock.set_speed(10_000)  # 10 s of domain time per millisecond of wall time
        ran: list[int] = []
        for n in range(50):
            portal.schedule(timedelta(seconds=n), lambda due, n=n: ran.append(n))
        callers = [threading.Thread(target=portal.run_due) for _ in range(4)]
        for caller in callers:
            caller.start()
        deadline = datetime.now(UTC) + timedelta(seconds=5)
        while len(ran) < 50 and datetime.now(UTC) < deadline:
            portal.run_due()
        for caller in callers:
            caller.join()
        assert sorted(ran) == list(range(50))
    finally:
        hub.close()


def test_no_reader_sees_domain_time_go_back_while_the_clock_is_changed():
    # readers take no lock (a convoy under load); changes made meanwhile must never show as time going back
    import sys
    import threading

    clock = SimClock(START, speed=1000)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads swap as often as CPython lets them: every interleaving gets its chance
    stop = threading.Event()
    backwards: list[tuple[datetime, datetime]] = []

    def read() -> None:
        last = clock.now()
        while not stop.is_set():
            current = clock.now()
            if current < last:
                backwards.append((last, current))
            last = current

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    try:
        for n in range(3000):
            (clock.freeze, clock.unfreeze, lambda: clock.set_speed(3000 if n % 2 else 1000),
             lambda: clock.advance(timedelta(0)))[n % 4]()
    finally:
        stop.set()
        for reader in readers:
            reader.join()
        sys.setswitchinterval(interval)
    assert backwards == []
