"""A PLG sync against one HubSpot portal, paced at the portal's 10-second allowance (Locust only; never imported by
pytest: importing locust monkey-patches the process with gevent).

    HUBSPOT_ACCESS_TOKEN=pat-... locust -f load/locustfile.py --headless -u 4 -r 4 -t 30s \\
        --host http://127.0.0.1:8080 --ten-secondly-limit 190

`hubsim load` runs it against a fresh simulator and checks the simulator's own account of the run (/_sim/usage).

Each user batch-upserts contacts by email (100 a call: new sign-ups from `scenarios.providers`, plus promotions of
contacts it wrote before), reads contacts back by email, and now and then searches for a handful of them by email,
as a sync does before deciding between create and update. The population as a whole runs at the allowance, not
above it, so a 429 is an expected outcome at the edge of a sliding window: it is counted under its own name in
Locust's stats ("... (429 TEN_SECONDLY_ROLLING)") and is not a failure unless throttled calls pass
MAX_THROTTLED_SHARE of the run. Any other error answer is a failure.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from locust import FastHttpUser, constant_throughput, events, task
from locust.runners import WorkerRunner

from scenarios.providers import REGIONS, SENIORITIES, Identities

WINDOW_SECONDS = 10  # HubSpot's TEN_SECONDLY_ROLLING window
BATCH_SIZE = 100  # HubSpot's batch upsert maximum
PROMOTIONS_PER_BATCH = 20  # known contacts a batch moves on a lifecycle stage; the rest are new sign-ups
SEARCHED_EMAILS = 10  # emails one search asks for (filter operator IN)
KNOWN_EMAILS = 10_000  # contacts a process remembers for reads, promotions and searches (a ring)
MAX_THROTTLED_SHARE = 0.05  # HubSpot usage guidelines: error responses under 5% of daily requests
RETRY_PAUSE = 1.0  # seconds a throttled user waits without Retry-After: a steady sliding window frees a tenth of
# its allowance a second
UPSERT_WEIGHT, READ_WEIGHT, SEARCH_WEIGHT = 4, 5, 1
# Searches are exempt from the ten-secondly window (they have their own, per second), so the pace is set for the
# calls the window counts.
WINDOWED_SHARE = (UPSERT_WEIGHT + READ_WEIGHT) / (UPSERT_WEIGHT + READ_WEIGHT + SEARCH_WEIGHT)
THROTTLED = "(429 "  # how a throttled call's name in the stats starts its suffix
CONTACTS = "/crm/v3/objects/contacts"
SIZE_BANDS = {"2-10": 3.0, "11-50": 4.0, "51-200": 2.0, "201-1000": 1.0}  # who signs up for a PLG trial

log = logging.getLogger(__name__)


@events.init_command_line_parser.add_listener
def _arguments(parser) -> None:
    parser.add_argument("--hubspot-token", env_var="HUBSPOT_ACCESS_TOKEN", default="", is_secret=True,
                        help="the portal's bearer token (private app access token)")
    parser.add_argument("--ten-secondly-limit", type=int, env_var="HUBSPOT_TEN_SECONDLY_LIMIT", default=100,
                        help="the portal's 10-second allowance: 100 starter, 190 professional/enterprise, 250 with "
                             "the API add-on (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="seeds the synthetic sign-ups")
    parser.add_argument("--figures-file", default="", include_in_web_ui=False,
                        help="write the run's totals here as JSON when it ends (what hubsim load reads)")


class Contacts:
    """This process's sign-ups and the emails HubSpot acknowledged, shared by its users."""

    def __init__(self) -> None:
        self._signups: Iterator[dict[str, str]] | None = None
        self.known: list[str] = []
        self._next = 0
        self.rng = random.Random()

    def start(self, seed: int) -> None:
        """Seed once, from the first user to start: a worker learns its index (part of the seed) only once
        connected to its master."""
        if self._signups is None:
            self._signups = signups(seed)
            self.rng.seed(seed)

    def new(self, count: int) -> list[dict[str, str]]:
        return [next(self._signups) for _ in range(count)]

    def remember(self, emails: list[str]) -> None:
        for email in emails:
            if len(self.known) < KNOWN_EMAILS:
                self.known.append(email)
            else:
                self.known[self._next] = email
                self._next = (self._next + 1) % KNOWN_EMAILS

    def sample(self, count: int) -> list[str]:
        return self.rng.sample(self.known, min(count, len(self.known)))


def signups(seed: int) -> Iterator[dict[str, str]]:
    """Endless sign-ups: one to five colleagues per company, work addresses, lead stage."""
    rng, identities = random.Random(seed), Identities(seed)
    while True:
        country, _ = identities.country(rng, rng.choice(REGIONS))
        company = identities.company(rng, country, SIZE_BANDS, icp_industry_share=0.6)
        for _ in range(rng.randint(1, 5)):
            person = identities.person(rng, country, rng.choice(SENIORITIES), "company", company.domain)
            yield {"email": person.email, "firstname": person.first_name, "lastname": person.last_name,
                   "jobtitle": person.job_title, "company": company.name, "country": country.name,
                   "lifecyclestage": "lead"}


contacts = Contacts()


class PLGSync(FastHttpUser):
    network_timeout = 30.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        options = self.environment.parsed_options
        users = max(options.num_users or 1, 1)
        self._pace = constant_throughput(options.ten_secondly_limit / WINDOW_SECONDS / WINDOWED_SHARE / users)
        self._headers = {"Authorization": f"Bearer {options.hubspot_token}"}
        contacts.start(options.seed + getattr(self.environment.runner, "worker_index", 0))

    def wait_time(self) -> float:
        return self._pace(self)

    @task(UPSERT_WEIGHT)
    def batch_upsert_contacts(self) -> None:
        promoted = contacts.sample(PROMOTIONS_PER_BATCH)
        inputs = [{"id": email, "idProperty": "email", "properties": {"lifecyclestage": "marketingqualifiedlead"}}
                  for email in promoted]
        inputs += [{"id": p["email"], "idProperty": "email", "properties": p}
                   for p in contacts.new(BATCH_SIZE - len(inputs))]
        with self._call("POST", f"{CONTACTS}/batch/upsert", json={"inputs": inputs}) as response:
            if response.status_code == 200:  # COMPLETE: every input written
                contacts.remember([i["id"] for i in inputs[len(promoted):]])

    @task(READ_WEIGHT)
    def get_contact_by_email(self) -> None:
        if not contacts.known:  # nothing written yet
            self.batch_upsert_contacts()
            return
        email = contacts.sample(1)[0]
        with self._call("GET", f"{CONTACTS}/{quote(email, safe='@')}", name=f"{CONTACTS}/[email]?idProperty=email",
                        params={"idProperty": "email", "properties": "email,lifecyclestage"}) as response:
            if response.status_code == 200 and response.json()["properties"]["email"] != email:
                response.failure(f"asked for {email}, got {response.json()['properties']['email']}")

    @task(SEARCH_WEIGHT)
    def search_contacts_by_email(self) -> None:
        if not contacts.known:  # nothing written yet
            self.batch_upsert_contacts()
            return
        emails = contacts.sample(SEARCHED_EMAILS)
        query = {"filterGroups": [{"filters": [{"propertyName": "email", "operator": "IN", "values": emails}]}],
                 "properties": ["email", "lifecyclestage"], "limit": SEARCHED_EMAILS}
        with self._call("POST", f"{CONTACTS}/search", json=query):
            pass

    @contextmanager
    def _call(self, method: str, path: str, *, name: str | None = None, **options):
        """The request, filed on leaving the block: 2xx a success, 429 a success under its own name (then a pause,
        as HubSpot asks), anything else a failure carrying HubSpot's message."""
        with self.client.request(method, path, name=name or path, headers=self._headers, catch_response=True,
                                 **options) as response:
            yield response
            pause = _file(response)
        if pause:
            time.sleep(pause)  # gevent-patched: only this user waits


def _file(response) -> float:
    """Mark the response; answer how long to pause before the next call."""
    status = response.status_code
    if status == 429:
        response.request_meta["name"] += f" {THROTTLED}{_body(response).get('policyName') or 'RATE_LIMIT'})"
        response.success()
        return float(response.headers.get("Retry-After") or RETRY_PAUSE)
    if status >= 300:
        body = _body(response)
        response.failure(f"HTTP {status} {body.get('category', '')}: {body.get('message', response.text or '')[:200]}")
    return 0.0


def _body(response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


@events.quitting.add_listener
def _judge_the_run(environment, **_) -> None:
    """Throttling is expected at the allowance; much of it means the pacing, or the limiter, is wrong. Runs once
    the users have stopped, so the totals are final (Locust's CSV can lag them by a second)."""
    if isinstance(environment.runner, WorkerRunner):  # the master holds the whole run's stats
        return
    total = environment.stats.total
    throttled = sum(entry.num_requests for (name, _), entry in environment.stats.entries.items() if THROTTLED in name)
    if environment.parsed_options.figures_file:
        figures = {"requests": total.num_requests, "requestsPerSecond": round(total.total_rps, 2),
                   "throttled": throttled, "failures": total.num_failures}
        Path(environment.parsed_options.figures_file).write_text(json.dumps(figures))
    if total.num_requests and throttled / total.num_requests > MAX_THROTTLED_SHARE:
        log.error("%d of %d calls throttled (%.1f%%): over the %.0f%% HubSpot allows", throttled,
                  total.num_requests, 100 * throttled / total.num_requests, 100 * MAX_THROTTLED_SHARE)
        environment.process_exit_code = 1
