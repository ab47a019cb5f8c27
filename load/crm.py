"""Profile `crm`: a PLG sync against one HubSpot portal, paced at the portal's 10-second allowance (times
--multiple). Locust only; never imported by pytest (importing locust monkey-patches the process with gevent).

    HUBSPOT_ACCESS_TOKEN=pat-... locust -f load/crm.py --headless -u 4 -r 4 -t 30s \\
        --host http://127.0.0.1:8080 --ten-secondly-limit 190

`hubsim load crm` runs it against a fresh simulator and checks the simulator's own account of the run (/_sim/usage).

Each user batch-upserts contacts by email (100 a call: new sign-ups from `scenarios.providers`, plus promotions of
contacts it wrote before), reads contacts back by email, and now and then searches for a handful of them by email,
as a sync does before deciding between create and update. At --multiple 1 the population as a whole runs at the
allowance, so a 429 is an expected outcome at the edge of a sliding window: loadkit files it under its own name.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from urllib.parse import quote

import shapes
from loadkit import WINDOW_SECONDS, HubSpotUser
from locust import task

from scenarios.providers import REGIONS, SENIORITIES, Identities

BATCH_SIZE = 100  # HubSpot's batch upsert maximum
PROMOTIONS_PER_BATCH = 20  # known contacts a batch moves on a lifecycle stage; the rest are new sign-ups
SEARCHED_EMAILS = 10  # emails one search asks for (filter operator IN)
KNOWN_EMAILS = 10_000  # contacts a process remembers for reads, promotions and searches (a ring)
UPSERT_WEIGHT, READ_WEIGHT, SEARCH_WEIGHT = 4, 5, 1
# Searches are exempt from the ten-secondly window (they have their own, per second), so the pace is set for the
# calls the window counts.
WINDOWED_SHARE = (UPSERT_WEIGHT + READ_WEIGHT) / (UPSERT_WEIGHT + READ_WEIGHT + SEARCH_WEIGHT)
CONTACTS = "/crm/v3/objects/contacts"
SIZE_BANDS = {"2-10": 3.0, "11-50": 4.0, "51-200": 2.0, "201-1000": 1.0}  # who signs up for a PLG trial


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


class PLGSync(HubSpotUser):
    def on_start(self) -> None:
        super().on_start()
        contacts.start(self.environment.parsed_options.seed + getattr(self.environment.runner, "worker_index", 0))

    def paced_rate(self, options) -> float:
        return options.ten_secondly_limit / WINDOW_SECONDS / WINDOWED_SHARE

    @task(UPSERT_WEIGHT)
    def batch_upsert_contacts(self) -> None:
        promoted = contacts.sample(PROMOTIONS_PER_BATCH)
        inputs = [{"id": email, "idProperty": "email", "properties": {"lifecyclestage": "marketingqualifiedlead"}}
                  for email in promoted]
        inputs += [{"id": p["email"], "idProperty": "email", "properties": p}
                   for p in contacts.new(BATCH_SIZE - len(inputs))]
        with self.call("POST", f"{CONTACTS}/batch/upsert", json={"inputs": inputs}) as response:
            if response.status_code == 200:  # COMPLETE: every input written
                contacts.remember([i["id"] for i in inputs[len(promoted):]])

    @task(READ_WEIGHT)
    def get_contact_by_email(self) -> None:
        if not contacts.known:  # nothing written yet
            self.batch_upsert_contacts()
            return
        email = contacts.sample(1)[0]
        with self.call("GET", f"{CONTACTS}/{quote(email, safe='@')}", name=f"{CONTACTS}/[email]?idProperty=email",
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
        with self.call("POST", f"{CONTACTS}/search", json=query):
            pass


Shape = shapes.chosen()
