"""Faker providers and identities: seeded per instance, personas by seniority, email domains by kind."""

from __future__ import annotations

import random

import pytest
from faker import Faker

from scenarios.providers import (
    COMPETITOR_DOMAINS,
    COUNTRIES,
    PROVIDERS,
    SIZE_BANDS,
    STUDENT_DOMAINS,
    WEBMAIL_DOMAINS,
    Identities,
    Weights,
)


def faker(seed: int) -> Faker:
    fake = Faker()
    for provider in PROVIDERS:
        fake.add_provider(provider)
    fake.seed_instance(seed)
    return fake


def draws(fake: Faker) -> list:
    country = fake.plg_country("emea")
    return [country.name, fake.company_size_band(), fake.plg_industry(True), fake.plg_job_title("executive"),
            fake.webmail_domain(country), fake.plg_company_name("Hickman", country)]


def test_providers_are_seeded_per_instance():
    first, again, other = faker(1), faker(1), faker(2)
    assert [draws(first) for _ in range(20)] == [draws(again) for _ in range(20)]
    assert [draws(faker(1)) for _ in range(20)] != [draws(other) for _ in range(20)]


def test_executive_titles_carry_what_fit_scoring_looks_for_and_students_say_so():
    fake = faker(3)
    executives = {fake.plg_job_title("executive") for _ in range(200)}
    assert all(any(word in title for word in ("Director", "VP", "Head", "Chief")) for title in executives)
    assert not any(word in fake.plg_job_title("ic") for word in ("Director", "VP", "Head", "Chief")
                   for _ in range(200))
    assert {fake.plg_job_title("student") for _ in range(50)} >= {"Student", "Intern"}


@pytest.mark.parametrize("band, low, high", SIZE_BANDS)
def test_employee_counts_stay_in_their_size_band(band, low, high):
    fake = faker(4)
    assert all(low <= fake.employee_count(band) <= high for _ in range(200))


def test_weights_draw_as_random_choices_does():
    weights = {"a": 1.0, "b": 0.0, "c": 3.0}
    ours, theirs = random.Random(5), random.Random(5)
    assert [Weights(weights).pick(ours) for _ in range(100)] == [
        theirs.choices(list(weights), list(weights.values()))[0] for _ in range(100)]


def test_identities_give_unique_ascii_emails_at_the_domain_their_kind_says():
    identities, rng = Identities(seed=6), random.Random(6)
    germany = next(c for c in COUNTRIES if c.code == "DE")
    company = identities.company(rng, germany, {"11-50": 1}, icp_industry_share=1.0)
    by_kind = {kind: [identities.person(rng, germany, "ic", kind, company.domain) for _ in range(400)]
               for kind in ("company", "webmail", "student")}
    emails = [p.email for people in by_kind.values() for p in people]
    assert len(set(emails)) == len(emails) and all(e.isascii() and e.count("@") == 1 for e in emails)
    assert {p.email.split("@")[1] for p in by_kind["company"]} == {company.domain}
    assert {p.email.split("@")[1] for p in by_kind["webmail"]} <= WEBMAIL_DOMAINS
    assert {p.email.split("@")[1] for p in by_kind["student"]} <= set(STUDENT_DOMAINS["emea"])
    assert identities.competitor(rng).domain in COMPETITOR_DOMAINS


def test_company_domains_are_unique_within_a_run():
    identities, rng = Identities(seed=7), random.Random(7)
    usa = next(c for c in COUNTRIES if c.code == "US")
    domains = [identities.company(rng, usa, {"2-10": 1}, 0.5).domain for _ in range(3000)]
    assert len(set(domains)) == len(domains)
