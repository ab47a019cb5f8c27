"""The hub's delivery worker: off the caller's thread, bounded, timed out, and what a clock advance waits for."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from webhook_receiver import Receiver, dead_url

from simulator.config import PortalConfig
from simulator.hub import Portal
from simulator.webhooks.worker import Delivery, DeliveryWorker


def test_a_delivery_is_sent_on_a_worker_thread_and_its_outcome_told():
    seen = []
    with Receiver(lambda n: (202, 0)) as receiver:
        worker = DeliveryWorker()
        ticket = worker.submit(Delivery(receiver.url, "POST", {"X-Test": "1"}, b"[1]", 2.0,
                                        on_done=lambda o: seen.append((o, threading.current_thread().name))))
        assert ticket.wait(5)
        worker.close()
    outcome, thread = seen[0]
    assert (outcome.status, outcome.error, outcome.ok) == (202, None, True)
    assert thread.startswith("hubsim-delivery-") and thread != threading.current_thread().name
    request = receiver.received[0]
    assert (request.method, request.path, request.body) == ("POST", "/hooks?source=hubsim", b"[1]")
    assert request.headers["X-Test"] == "1"


def test_a_refused_connection_is_an_error_not_a_status():
    worker = DeliveryWorker()
    ticket = worker.submit(Delivery(dead_url(), body=b"[]", timeout=2.0))
    assert ticket.wait(5)
    worker.close()
    assert ticket.outcome.status is None and ticket.outcome.ok is False
    assert "Refused" in ticket.outcome.error


def test_an_answer_slower_than_the_timeout_is_a_timeout():
    with Receiver(lambda n: (200, 3.0)) as receiver:
        worker = DeliveryWorker()
        ticket = worker.submit(Delivery(receiver.url, body=b"[]", timeout=0.3))
        assert ticket.wait(5)
        worker.close()
    assert ticket.outcome.error == "timed out after 0.3 s"
    assert 0.3 <= ticket.outcome.elapsed < 2.5


def test_an_error_status_is_told_as_not_ok():
    with Receiver(lambda n: (500, 0)) as receiver:
        worker = DeliveryWorker()
        ticket = worker.submit(Delivery(receiver.url, body=b"[]"))
        assert ticket.wait(5)
        worker.close()
    assert (ticket.outcome.status, ticket.outcome.ok) == (500, False)


def test_concurrency_is_bounded_and_submit_never_blocks():
    with Receiver(lambda n: (200, 1.0)) as receiver:
        worker = DeliveryWorker(concurrency=2)
        started = time.perf_counter()
        tickets = [worker.submit(Delivery(receiver.url, body=b"[]")) for _ in range(4)]
        submitted = time.perf_counter() - started
        assert all(t.wait(5) for t in tickets)
        total = time.perf_counter() - started
        worker.close()
    assert submitted < 0.8  # the caller never waits for a receiver (one wait would be 1 s)
    assert total >= 2.0  # four sends of 1 s, two at a time


def test_advance_waits_for_the_sends_due_jobs_released_and_their_retries():
    portal = Portal(1, PortalConfig(token="t"))
    portal.clock.freeze()
    portal.clock.set(datetime(2030, 1, 1, tzinfo=UTC))
    attempts = []

    def job(due):
        def on_done(outcome):
            attempts.append((due, outcome.status))
            if not outcome.ok:  # retry an hour later, on the portal clock
                portal.schedule(timedelta(hours=1), job)

        return [lambda: portal.deliveries.submit(Delivery(receiver.url, body=b"[]", on_done=on_done))]

    with Receiver(lambda n: (500, 0.2) if n < 2 else (200, 0)) as receiver:
        portal.schedule(timedelta(minutes=30), job)
        portal.advance(timedelta(hours=3))
        portal.deliveries.close()
    start = datetime(2030, 1, 1, tzinfo=UTC)
    assert attempts == [
        (start + timedelta(minutes=30), 500),
        (start + timedelta(hours=1, minutes=30), 500),
        (start + timedelta(hours=2, minutes=30), 200),
    ]


def test_sends_released_by_api_calls_are_forgotten_once_attempted():
    portal = Portal(1, PortalConfig(token="t"))
    with Receiver() as receiver:
        for _ in range(3):
            portal.schedule(timedelta(0), lambda due: [lambda: portal.deliveries.submit(Delivery(receiver.url))])
        portal.run_due()  # what an API call does: release, never wait
        deadline = time.monotonic() + 5
        while portal._outbound and time.monotonic() < deadline:  # nothing accumulates on a server never advanced
            time.sleep(0.01)
        portal.deliveries.close()
    assert len(receiver.received) == 3
    assert portal._outbound == set()


def test_a_full_queue_refuses_at_once_with_an_error_outcome():
    with Receiver(lambda n: (200, 0.5)) as receiver:
        worker = DeliveryWorker(concurrency=1, max_queued=1)
        seen = []
        tickets = [worker.submit(Delivery(receiver.url, on_done=seen.append)) for _ in range(4)]
        refused = [t for t in tickets if t.done() and t.outcome.error and "wait for a sender" in t.outcome.error]
        assert all(t.wait(5) for t in tickets)
        worker.close()
    # one waits (maybe a second, once the sender took the first), the rest are refused and told at once
    assert tickets[0] not in refused and 2 <= len(refused) <= 3 and len(seen) == 4
    assert len(receiver.received) == 4 - len(refused)
