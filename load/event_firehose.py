"""Profile `events`: a product's custom-event firehose, aiming at HubSpot's 1,250 sends a second (times --multiple).
Locust only; never imported by pytest.

    HUBSPOT_ACCESS_TOKEN=pat-... locust -f load/event_firehose.py --headless -u 20 -r 20 -t 30s \\
        --host http://127.0.0.1:8080

Each process defines the event once (or finds it defined), then its users send "feature used" occurrences for
sign-ups from `scenarios.providers`, by email (HubSpot creates the contact it does not know), mostly one a call and
now and then a batch. Sends are exempt from the ten-secondly and daily policies and have their own: 1,250 a second
(send-event-data › Limits), which is the pace here; above it the simulator answers 429 SECONDLY.
"""

from __future__ import annotations

import random

import gevent.lock
import shapes
from loadkit import HubSpotUser, json_body
from locust import task

from scenarios.providers import REGIONS, SENIORITIES, Identities

SENDS_PER_SECOND = 1250  # DOC send-event-data › Limits: 1,250 requests per second per account
BATCH_SIZE = 50  # occurrences a batch call carries (HubSpot takes up to 500)
SINGLE_WEIGHT, BATCH_WEIGHT = 19, 1
PEOPLE = 500  # distinct contacts the firehose reports on
EVENT = "hubsim_load_feature_used"
FEATURES = ("reports", "dashboards", "api", "exports", "sso")
DEFINITIONS = "/events/v3/event-definitions"


class Definition:
    """The event this process sends, defined by its first user; the others wait for it."""

    def __init__(self) -> None:
        self.name = ""
        self.emails: list[str] = []
        self._lock = gevent.lock.Semaphore()

    def ensure(self, user: HubSpotUser) -> None:
        with self._lock:
            if self.name:
                return
            body = {"label": "Feature used (load)", "name": EVENT, "primaryObject": "CONTACT",
                    "propertyDefinitions": [
                        {"name": "feature", "label": "Feature", "type": "enumeration",
                         "options": [{"label": f, "value": f} for f in FEATURES]},
                        {"name": "seats", "label": "Seats", "type": "number"}]}  # fmt: skip
            with user.client.post(DEFINITIONS, json=body, headers=user.headers, catch_response=True,
                                  name=DEFINITIONS) as created:
                if created.status_code == 409:  # defined by another process or an earlier run
                    created.success()
            with user.client.get(f"{DEFINITIONS}/{EVENT}", headers=user.headers, catch_response=True,
                                 name=f"{DEFINITIONS}/[name]") as found:
                self.name = json_body(found).get("fullyQualifiedName", "")
                if not self.name:
                    found.failure(f"no fullyQualifiedName for {EVENT}: {found.text[:200]}")
                    raise RuntimeError(f"the event {EVENT} could not be defined")
            self.emails = people(user.environment.parsed_options.seed)


def people(seed: int) -> list[str]:
    rng, identities = random.Random(seed), Identities(seed)
    emails = []
    while len(emails) < PEOPLE:
        country, _ = identities.country(rng, rng.choice(REGIONS))
        company = identities.company(rng, country, {"11-50": 1.0}, icp_industry_share=0.6)
        emails.append(identities.person(rng, country, rng.choice(SENIORITIES), "company", company.domain).email)
    return emails


definition = Definition()


class Firehose(HubSpotUser):
    def on_start(self) -> None:
        super().on_start()
        definition.ensure(self)
        self.rng = random.Random()

    def paced_rate(self, options) -> float:
        return SENDS_PER_SECOND

    def occurrence(self) -> dict:
        return {"eventName": definition.name, "email": self.rng.choice(definition.emails),
                "properties": {"feature": self.rng.choice(FEATURES), "seats": str(self.rng.randint(1, 200))}}

    @task(SINGLE_WEIGHT)
    def send(self) -> None:
        with self.call("POST", "/events/v3/send", json=self.occurrence()):
            pass

    @task(BATCH_WEIGHT)
    def send_batch(self) -> None:
        batch = {"inputs": [self.occurrence() for _ in range(BATCH_SIZE)]}
        with self.call("POST", "/events/v3/send/batch", json=batch):
            pass


Shape = shapes.chosen()
