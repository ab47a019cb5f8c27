"""Profile `sync`: the real sync core (`scoring.sync.Sync`) replaying product events under load. Locust only; never
imported by pytest.

    HUBSPOT_ACCESS_TOKEN=pat-... locust -f load/sync_core.py --headless -u 2 -r 2 -t 60s \\
        --host http://127.0.0.1:8080 --ten-secondly-limit 190

Each user is one sync process with its share of the allowance (the allowance divided by --users, times
--multiple): it pushes product events (sign-ups, trials, key feature use, for people from `scenarios.providers`)
and the core scores them and writes contacts, companies, associations and custom events at the pace of its own
limiter. Every request the core makes goes through `LocustTransport`, which reports it to Locust, so Locust's
statistics are the core's calls. Above the allowance (--multiple > 1) the core thinks it has more than it has:
HubSpot throttles it, and the run shows whether it backs off.
"""

from __future__ import annotations

import logging
import random
import re
import time
from datetime import UTC, datetime, timedelta

import gevent.lock
import httpx
import shapes
from loadkit import THROTTLED, WINDOW_SECONDS, HubSpotUser
from locust import User, task

from scenarios.providers import REGIONS, SENIORITIES, Identities
from scoring.client import HubSpotClient
from scoring.outbox import Outbox
from scoring.sync import Sync

PEOPLE_PER_PUSH = 20  # every push writes a contacts and a companies upsert, so small pushes keep the core busy
REQUESTS_PER_PUSH = 4  # contacts, companies, associations, events: what paces the users at --multiple 1
START = datetime(2026, 3, 2, tzinfo=UTC)
JOURNEY = (("signed_up", {"source": "organic"}), ("trial_started", {"trial_days": 14}),
           ("key_feature_used", {"feature": "dashboards", "first_time": True}))
EXPECTED = {404, 409}  # answers the core asks for by design (does this property exist? was it created already?)
SCHEMA_LOCK = gevent.lock.Semaphore()  # the first user of a process ensures the schema; the others take its names
_schema: dict[str, str] = {}
logging.getLogger("httpx").setLevel(logging.WARNING)  # a line a request would drown Locust's own output
_ID = re.compile(r"/(\d+|[^/]+@[^/]+)(?=/|$)")  # record ids and emails in a path: one stats entry per route


class LocustTransport(httpx.BaseTransport):
    """httpx's own transport, reporting each exchange to Locust as a request (429s filed as throttled)."""

    def __init__(self, user: User):
        self._inner = httpx.HTTPTransport()
        self._user = user

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        started, response, error = time.perf_counter(), None, None
        name = f"{_ID.sub('/[id]', request.url.path)}"
        try:
            response = self._inner.handle_request(request)
            response.read()
        except httpx.HTTPError as exc:
            error = exc
            raise
        finally:
            if response is not None:
                name, error = _verdict(name, response)
            self._user.environment.events.request.fire(
                request_type=request.method, name=name, response_time=(time.perf_counter() - started) * 1000,
                response_length=len(response.content) if response is not None else 0, exception=error,
                context={}, response=response)
        return response

    def close(self) -> None:
        self._inner.close()


def _verdict(name: str, response: httpx.Response) -> tuple[str, Exception | None]:
    status = response.status_code
    if status == 429:
        try:
            policy = response.json().get("policyName") or "RATE_LIMIT"
        except ValueError:
            return name, RuntimeError(f"429 without HubSpot's body: {response.text[:200]}")
        return f"{name} {THROTTLED}{policy})", None
    if status >= 400 and status not in EXPECTED:
        return name, RuntimeError(f"HTTP {status}: {response.text[:200]}")
    return name, None


class SyncProcess(HubSpotUser):
    def on_start(self) -> None:
        super().on_start()
        options = self.environment.parsed_options
        share = options.ten_secondly_limit * options.multiple / max(options.num_users or 1, 1)
        self.hubspot = HubSpotClient(self.host, options.hubspot_token, transport=LocustTransport(self),
                                     ten_secondly=max(1, round(share)))
        self.sync = Sync(self.hubspot, outbox=Outbox(":memory:"))
        with SCHEMA_LOCK:
            if not _schema:
                _schema.update(self.sync.ensure_schema())
            self.sync.event_names = dict(_schema)
        self.rng = random.Random(options.seed + id(self))
        self.identities = Identities(options.seed + id(self) % 1000)
        self.pushed = 0

    def on_stop(self) -> None:
        self.hubspot.close()
        self.sync.outbox.close()

    def paced_rate(self, options) -> float:
        return options.ten_secondly_limit / WINDOW_SECONDS / REQUESTS_PER_PUSH

    @task
    def push(self) -> None:
        rows = []
        for _ in range(PEOPLE_PER_PUSH):
            country, _ = self.identities.country(self.rng, self.rng.choice(REGIONS))
            company = self.identities.company(self.rng, country, {"11-50": 1.0}, icp_industry_share=0.6)
            person = self.identities.person(self.rng, country, self.rng.choice(SENIORITIES), "company", company.domain)
            at = START + timedelta(seconds=self.pushed)
            self.pushed += 1
            base = {"user": person.email, "account": company.domain, "email": person.email}
            for j, (event, properties) in enumerate(JOURNEY):
                rows.append(base | {"id": f"{person.email}-{j}", "event": event, "properties": properties,
                                    "timestamp": (at + timedelta(milliseconds=j)).isoformat().replace("+00:00", "Z")})
        self.sync.push(rows, START + timedelta(days=1))


Shape = shapes.chosen()
