"""Hub: the portals, by token. Portal: one HubSpot account (clock, stores, settings, limits, journal, scheduler).

Portals are keyed by the SHA-256 of their token, so nothing the hub keeps or saves (`hubsim serve --state`) holds a
token itself.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from simulator.clock import SimClock
from simulator.config import HubConfig, PortalConfig, Tier
from simulator.crm.object_types import ObjectType
from simulator.crm.schemas import Schema, SchemaCreate
from simulator.crm.objects import ObjectStore
from simulator.crm.properties import PropertyStore
from simulator.crm.search import ObjectSearch
from simulator.crm.stores import CrmStores
from simulator.errors import InvalidAuthentication
from simulator.events.send import UnknownEmail
from simulator.events.store import DEFAULT_STORAGE_LIMIT as DEFAULT_EVENT_STORAGE_LIMIT
from simulator.events.store import EventStore
from simulator.feed import ChangeFeed, ClockMoved
from simulator.harness.faults import FaultStore
from simulator.harness.journal import DEFAULT_SIZE as DEFAULT_JOURNAL_SIZE
from simulator.harness.journal import Journal
from simulator.lists.store import ListStore
from simulator.ratelimit import RateLimiter
from simulator.scheduler import Job, Scheduler
from simulator.webhooks.store import WebhookStore
from simulator.webhooks.worker import DeliveryWorker, Ticket
from simulator.workflows.engine import WorkflowEngine

FIRST_PORTAL_ID = 10_000_001
TICK_SECONDS = 0.05  # how often a running clock's due work is looked for
OUTBOUND_WAIT_SECONDS = 120.0  # how long an advance waits for one step's sends (each is bounded by its timeout)
log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4096)  # every API call hashes its bearer token; a portal's token stays the same
def token_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class PortalSettings:
    def __init__(self, config: PortalConfig):
        self.tier: Tier = config.tier
        self.time_zone = config.time_zone
        self.scopes: set[str] | None = set(config.scopes) if config.scopes is not None else None
        self.rate_limits = True
        self.retry_after = False
        self.search_index_delay_ms = 0  # HubSpot's search indexing delay: opt-in, so tests stay deterministic
        self.list_processing_delay_ms = 0  # HubSpot's list processing: opt-in, shows as processingStatus PROCESSING
        self.api_limit_increases = 0
        self.secondly_headers = False  # X-HubSpot-RateLimit-Secondly(-Remaining): older captures only
        self.journal = True
        self.journal_size = DEFAULT_JOURNAL_SIZE
        self.event_storage_limit = DEFAULT_EVENT_STORAGE_LIMIT  # occurrences kept; the oldest beyond are dropped
        self.event_unknown_email: UnknownEmail = "create"  # an event sent for an unknown email creates the contact

    def dump(self) -> dict:
        return {
            "tier": self.tier,
            "timeZone": self.time_zone,
            "scopes": sorted(self.scopes) if self.scopes is not None else None,
            "rateLimits": self.rate_limits,
            "retryAfter": self.retry_after,
            "searchIndexDelayMs": self.search_index_delay_ms,
            "listProcessingDelayMs": self.list_processing_delay_ms,
            "apiLimitIncreases": self.api_limit_increases,
            "secondlyHeaders": self.secondly_headers,
            "journal": self.journal,
            "journalSize": self.journal_size,
            "eventStorageLimit": self.event_storage_limit,
            "eventUnknownEmail": self.event_unknown_email,
        }


@dataclass
class PortalStores:
    """Everything a reset or a restore replaces at once: the CRM, and what is built on it and its change feed."""

    crm: CrmStores
    searches: dict[str, ObjectSearch]
    events: EventStore
    lists: ListStore
    workflows: WorkflowEngine
    webhooks: WebhookStore


class Portal:
    def __init__(self, portal_id: int, config: PortalConfig, *, key: str | None = None,
                 wall: Callable[[], float] = time.time, on_schedule: Callable[[], None] = lambda: None,
                 deliveries: DeliveryWorker | None = None):
        self.id = portal_id
        self.key = key or token_key(config.token)
        self.revision = 0  # bumped by anything that may have changed the portal: what persistence saves
        self.settings = PortalSettings(config)
        self.lock = threading.RLock()
        self.clock = SimClock(wall=wall)
        self.limiter = RateLimiter(self.clock.limit_time, self.settings)
        self.journal = Journal(self.settings.journal_size)
        self.faults = FaultStore()
        self.scheduler = Scheduler()
        self._on_schedule = on_schedule
        self.deliveries = deliveries or DeliveryWorker()  # the hub's one worker; a lone portal's own
        self._outbound: set[Ticket] = set()  # sends released by due jobs and not yet attempted (done ones leave)
        self._outbound_lock = threading.Lock()
        self._owners = config.owners  # None: the default sales reps
        self.install(self.build_stores())

    def build_stores(self, crm: CrmStores | None = None) -> PortalStores:
        """The portal's stores on HubSpot's defaults, or on a CRM restored from a snapshot, not yet installed: a
        restore fills them from the file and installs them only when every section checked out."""
        crm = crm or CrmStores.fresh(self.id, self.lock, self.clock.now, self._owners)
        searches = {name: self._search_of(store) for name, store in crm.stores().items()}
        events = EventStore(self.id, self.lock, self.clock.now, crm, self.settings)
        lists = ListStore(
            crm, self.lock, self.clock.now, self.schedule_at, events,
            processing_delay=lambda: timedelta(milliseconds=self.settings.list_processing_delay_ms),
            time_zone=lambda: self.settings.time_zone,
        )
        workflows = WorkflowEngine(crm, lock=self.lock, now=self.clock.now, portal_id=self.id,
                                   schedule_at=self.schedule_at, deliveries=self.deliveries, events=lambda: events,
                                   lists=lambda: lists, webhooks=lambda: webhooks)
        webhooks = WebhookStore(self.id, self.lock, self.clock.now, crm, self.schedule_at, self.deliveries,
                                changed=self.touch)
        return PortalStores(crm, searches, events, lists, workflows, webhooks)

    def install(self, stores: PortalStores) -> None:
        """Swap in a whole set of stores; due work of the old ones is dropped with them, the new ones resume theirs."""
        with self.lock:
            self.scheduler.clear()
            self.crm = stores.crm
            self.feed: ChangeFeed = stores.crm.feed
            self._properties = stores.crm.properties
            self._searches = stores.searches
            self.events = stores.events
            self.lists = stores.lists
            self.lists.resume()
            if getattr(self, "webhooks", None) is not None:
                self.webhooks.close()  # its sends still in flight change nothing in the new stores
            self.webhooks = stores.webhooks
            self.webhooks.resume()
            self.workflows = stores.workflows
            self.workflows.resume()  # after every other store is in: its watches and wake-ups are the new ones'

    def touch(self) -> None:
        """Something changed outside an API call or a due job (a delivery's outcome): persistence saves it."""
        self.revision += 1

    def reset(self) -> None:
        """Empty the portal: records gone, definitions back to HubSpot's defaults. Settings and clock stay."""
        self.install(self.build_stores())

    def object_type(self, name: str) -> ObjectType:
        """A standard object type, or one of the portal's custom objects."""
        return self.crm.schemas.resolve(name)

    def objects(self, object_type: str) -> ObjectStore:
        return self.crm.objects(object_type)

    def properties(self, object_type: str) -> PropertyStore:
        return self._properties[self.object_type(object_type).name]

    def search(self, object_type: str) -> ObjectSearch:
        return self._searches[self.object_type(object_type).name]

    def create_schema(self, request: SchemaCreate) -> Schema:
        """A custom object type, searchable from its first record on."""
        with self.lock:
            schema = self.crm.create_schema(request)
            self._searches[schema.type.name] = self._search_of(self.crm.objects(schema.type.name))
            return schema

    def _search_of(self, store: ObjectStore) -> ObjectSearch:
        return ObjectSearch(
            store, lock=self.lock, now=self.clock.now, delay_ms=lambda: self.settings.search_index_delay_ms
        )

    # --- due work -------------------------------------------------------------------------------------------

    def schedule(self, delay: timedelta, job: Job) -> None:
        self.schedule_at(self.clock.now() + delay, job)

    def schedule_at(self, due: datetime, job: Job) -> None:
        """Run `job(due)` under the portal lock once the domain clock reaches `due` (at once when it already has)."""
        with self.lock:
            self.scheduler.at(due, job)
        self._on_schedule()

    def run_due(self) -> None:
        """Run every job due at or before now, in time order; outbound work after the lock is released. Sends it
        hands to the delivery worker are not waited for here (an API call never waits on a receiver)."""
        if not len(self.scheduler):  # every API call asks: nothing scheduled needs neither the lock nor the clock
            return
        while True:
            with self.lock:
                entry = self.scheduler.pop_due(self.clock.now())
                if entry is None:
                    return
                outbound = list(entry.job(entry.due) or ())
                self.revision += 1
            for send in outbound:
                ticket = send()
                if isinstance(ticket, Ticket):
                    with self._outbound_lock:
                        self._outbound.add(ticket)
                    ticket.add_done_callback(self._sent)

    def _sent(self, ticket: Ticket) -> None:
        with self._outbound_lock:
            self._outbound.discard(ticket)

    def wait_outbound(self) -> None:
        """Wait until every send released so far was attempted and its outcome recorded (a failed one has then
        scheduled its retry). Holds no lock while waiting: the outcome callbacks take the portal lock."""
        with self._outbound_lock:
            pending = list(self._outbound)
        for ticket in pending:
            if not ticket.wait(OUTBOUND_WAIT_SECONDS):
                log.warning("portal %s: a send was not attempted within %s s", self.id, OUTBOUND_WAIT_SECONDS)

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward; each job due on the way runs at its own due time, in order, and the sends it
        released are attempted before the next one (a failed send's retry may fall due inside the same advance)."""
        if delta < timedelta(0):
            raise ValueError("the clock only advances forwards")
        target = self.clock.now() + delta
        self.wait_outbound()
        while True:
            with self.lock:
                due = self.scheduler.next_due()
                if due is None or due > target:
                    break
                self.clock.advance(max(due - self.clock.now(), timedelta(0)))
            self.run_due()
            self.wait_outbound()
        with self.lock:
            self.clock.advance(max(target - self.clock.now(), timedelta(0)))
        self.clock_moved()

    def clock_moved(self) -> None:
        """Tell the feed where the clock stands (after an advance or a set), then run what fell due."""
        with self.lock:
            self.feed.publish(ClockMoved(self.clock.now()))
        self.run_due()
        self.wait_outbound()


class Hub:
    """Every portal of one simulator, by token; and the ticker that serves running clocks."""

    def __init__(self, config: HubConfig | None = None, *, wall: Callable[[], float] = time.time):
        self.config = config or HubConfig()
        self._wall = wall
        self._lock = threading.Lock()
        self._portals: dict[str, Portal] = {}
        self._ids = itertools.count(FIRST_PORTAL_ID)
        self._ticker: threading.Thread | None = None
        self._stopping = threading.Event()
        self.deliveries = DeliveryWorker()  # every portal's outbound HTTP (webhooks, workflow actions)
        # What is wrong with the hub's own machinery right now (a portal `--state` cannot save), by what it
        # concerns; GET /_sim/health shows it.
        self.problems: dict[str, str] = {}
        for declared in self.config.portals:
            self._open(declared)

    @property
    def is_open(self) -> bool:
        return self.config.is_open

    def portal(self, token: str | None) -> Portal:
        """The caller's portal; in open mode an unknown token opens a fresh one."""
        if not token:
            raise InvalidAuthentication()
        key = token_key(token)
        found = self._portals.get(key)
        if found is not None:
            return found
        if not self.is_open:
            raise InvalidAuthentication()
        with self._lock:
            found = self._portals.get(key)
            return found if found is not None else self._open(PortalConfig(token=token))

    def portals(self) -> list[Portal]:
        return list(self._portals.values())

    def by_key(self, key: str) -> Portal | None:
        return self._portals.get(key)

    def adopt(self, key: str, portal_id: int) -> Portal:
        """The portal whose token hashes to `key` (a saved portal coming back): the declared one, or a new one."""
        with self._lock:
            found = self._portals.get(key)
            if found is None:
                found = Portal(portal_id, PortalConfig(token=key), key=key, wall=self._wall,
                               on_schedule=self._ensure_ticker, deliveries=self.deliveries)
                self._portals[key] = found
            return found

    def drop(self, token: str) -> None:
        with self._lock:
            self._portals.pop(token_key(token), None)

    def _open(self, config: PortalConfig) -> Portal:
        portal_id = config.portal_id if config.portal_id is not None else next(self._ids)
        portal = Portal(portal_id, config, wall=self._wall, on_schedule=self._ensure_ticker,
                        deliveries=self.deliveries)
        self._portals[portal.key] = portal
        return portal

    # --- the running clock ------------------------------------------------------------------------------------

    def _ensure_ticker(self) -> None:
        with self._lock:
            if self._ticker is None and not self._stopping.is_set():
                self._ticker = threading.Thread(target=self._tick, name="hubsim-ticker", daemon=True)
                self._ticker.start()

    def _tick(self) -> None:
        while not self._stopping.wait(TICK_SECONDS):
            for portal in self.portals():
                due = portal.scheduler.next_due()
                if due is not None and due <= portal.clock.now():
                    try:
                        portal.run_due()
                    except Exception:  # a failing job is a simulator bug; it must not stop every other portal
                        log.exception("due work failed in portal %s", portal.id)

    def close(self) -> None:
        self._stopping.set()
        if self._ticker is not None:
            self._ticker.join(timeout=1)
        self.deliveries.close()
