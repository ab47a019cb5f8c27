"""Faker providers for PLG identities: companies with an ICP mix, personas, email domains, countries.

The providers follow Faker's pattern (`BaseProvider` subclasses drawing from `self.generator.random`), so
`Faker.seed_instance()` or an assigned `generator.random` makes them deterministic. Faker's own name providers cost
~90 us a call, too slow for 100k users, so `Identities` draws name pools from Faker once per seed and combines them
per user with that user's own `Random`. Pure data: no I/O, no clock.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import random
import re
import unicodedata
from collections.abc import Mapping
from typing import Generic, NamedTuple, TypeVar

from faker import Faker
from faker.generator import Generator
from faker.providers import BaseProvider


class Country(NamedTuple):
    name: str
    code: str  # ISO 3166-1 alpha-2
    region: str
    locale: str  # the Faker locale its names are drawn from
    utc_offsets: tuple[float, ...]  # local time zones users live in (no DST: a simulation, not a calendar)
    tld: str
    weight: float


COUNTRIES = (
    Country("United States", "US", "north_america", "en_US", (-5, -6, -7, -8), ".com", 8.0),
    Country("Canada", "CA", "north_america", "en_US", (-5, -8), ".ca", 1.0),
    Country("United Kingdom", "GB", "emea", "en_GB", (0,), ".co.uk", 3.0),
    Country("Ireland", "IE", "emea", "en_IE", (0,), ".ie", 0.5),
    Country("Germany", "DE", "emea", "de_DE", (1,), ".de", 2.5),
    Country("France", "FR", "emea", "fr_FR", (1,), ".fr", 1.5),
    Country("Netherlands", "NL", "emea", "nl_NL", (1,), ".nl", 1.0),
    Country("Spain", "ES", "emea", "es_ES", (1,), ".es", 0.8),
    Country("Sweden", "SE", "emea", "sv_SE", (1,), ".se", 0.6),
    Country("Italy", "IT", "emea", "it_IT", (1,), ".it", 0.6),
    Country("Poland", "PL", "emea", "pl_PL", (1,), ".pl", 0.5),
    Country("India", "IN", "apac", "en_IN", (5.5,), ".in", 3.0),
    Country("Australia", "AU", "apac", "en_GB", (10, 8), ".com.au", 1.2),
    Country("New Zealand", "NZ", "apac", "en_NZ", (12,), ".co.nz", 0.3),
    Country("Brazil", "BR", "latam", "pt_BR", (-3,), ".com.br", 1.5),
    Country("Mexico", "MX", "latam", "es_MX", (-6,), ".mx", 1.0),
    Country("Argentina", "AR", "latam", "es_AR", (-3,), ".com.ar", 0.5),
    Country("Colombia", "CO", "latam", "es_CO", (-5,), ".co", 0.4),
)
REGIONS = ("north_america", "emea", "apac", "latam")
NAME_LOCALES = tuple(sorted({c.locale for c in COUNTRIES}))

# (band, fewest employees, most employees); HubSpot's `numberofemployees` takes the drawn count.
SIZE_BANDS = (
    ("1", 1, 1),
    ("2-10", 2, 10),
    ("11-50", 11, 50),
    ("51-200", 51, 200),
    ("201-1000", 201, 1000),
    ("1001-5000", 1001, 5000),
    ("5001+", 5001, 100_000),
)
SIZE_BAND_NAMES = tuple(band for band, _, _ in SIZE_BANDS)

# HubSpot's internal values of the company `industry` enumeration, so a sync can write them unchanged.
ICP_INDUSTRIES = (
    "COMPUTER_SOFTWARE",
    "INTERNET",
    "INFORMATION_TECHNOLOGY_AND_SERVICES",
    "MARKETING_AND_ADVERTISING",
    "FINANCIAL_SERVICES",
    "COMPUTER_NETWORK_SECURITY",
)
OTHER_INDUSTRIES = (
    "RETAIL",
    "HOSPITAL_HEALTH_CARE",
    "CONSTRUCTION",
    "REAL_ESTATE",
    "RESTAURANTS",
    "EDUCATION_MANAGEMENT",
    "NON_PROFIT_ORGANIZATION_MANAGEMENT",
    "AUTOMOTIVE",
    "LOGISTICS_AND_SUPPLY_CHAIN",
    "MACHINERY",
)

SENIORITIES = ("founder", "executive", "manager", "ic", "student")
DEPARTMENTS = ("Engineering", "Product", "Marketing", "Growth", "Sales", "Revenue Operations", "Data",
               "Customer Success", "Operations", "Finance")
# "{d}" is a department. Executive titles all say Director, VP, Head or Chief: what fit scoring looks for.
JOB_TITLES = {
    "founder": ("Founder", "Co-founder", "Founder & CEO", "Owner", "Founder & CTO"),
    "executive": ("VP of {d}", "Head of {d}", "Director of {d}", "Senior Director of {d}", "Chief Technology Officer",
                  "Chief Marketing Officer", "Chief Revenue Officer"),
    "manager": ("{d} Manager", "Senior {d} Manager", "{d} Team Lead", "Product Manager", "Engineering Manager"),
    "ic": ("Software Engineer", "Senior Software Engineer", "Data Analyst", "Growth Marketer", "Product Designer",
           "Marketing Specialist", "Sales Development Representative", "Account Executive", "Data Engineer",
           "Customer Success Manager", "Operations Analyst", "Frontend Developer"),
    "student": ("Student", "Graduate Student", "MBA Candidate", "PhD Student", "Intern"),
}

EMAIL_KINDS = ("company", "webmail", "competitor", "student")
# Weighted personal webmail; country extras are where a large share of people use a local provider.
WEBMAIL = (("gmail.com", 60), ("outlook.com", 10), ("hotmail.com", 10), ("yahoo.com", 8), ("icloud.com", 6),
           ("proton.me", 2))
LOCAL_WEBMAIL = {"DE": ("gmx.de", "web.de", "t-online.de"), "FR": ("orange.fr", "free.fr"),
                 "GB": ("yahoo.co.uk", "btinternet.com"), "BR": ("uol.com.br", "bol.com.br"),
                 "IN": ("rediffmail.com",), "IT": ("libero.it",), "PL": ("wp.pl", "onet.pl")}
WEBMAIL_DOMAINS = frozenset([d for d, _ in WEBMAIL] + [d for ds in LOCAL_WEBMAIL.values() for d in ds])
# Fictional rivals: fit scoring treats these domains as competitors snooping on the trial.
COMPETITOR_DOMAINS = ("rivalytics.io", "leadlark.com", "usagepilot.io", "funnelfox.app")
STUDENT_DOMAINS = {"north_america": ("lakeshore.edu", "northfield.edu", "riverbend-state.edu"),
                   "emea": ("kingsbridge.ac.uk", "uni-hafenstadt.de", "univ-lumiere.fr"),
                   "apac": ("southgate.edu.au", "deccan-institute.ac.in"),
                   "latam": ("unisol.edu.br", "univalle-norte.edu.mx")}

COMPANY_WORDS = ("Labs", "Systems", "Analytics", "Cloud", "Works", "Data", "Logic", "Stack", "Metrics", "Bridge",
                 "Forge", "Harbor", "Loop", "Path", "Wave", "Grid", "Point", "Scale", "Sight", "Flow", "Signal",
                 "Ventures", "Digital", "Software", "Health", "Supply", "Media", "Studio", "Partners", "Group")
COMPANY_PREFIXES = ("Blue", "Bright", "North", "Swift", "Clear", "Green", "Iron", "Silver", "Summit", "Nova",
                    "Peak", "True", "Open", "Deep", "Quick", "Bold", "Lumen", "Orbit", "Pine", "Red")
COMPANY_SUFFIXES = {"US": ("Inc.", "LLC"), "CA": ("Inc.", "Ltd."), "GB": ("Ltd",), "IE": ("Ltd",),
                    "DE": ("GmbH", "AG"), "FR": ("SAS", "SA"), "NL": ("B.V.",), "ES": ("S.L.",), "SE": ("AB",),
                    "IT": ("S.r.l.",), "PL": ("sp. z o.o.",), "IN": ("Pvt Ltd",), "AU": ("Pty Ltd",),
                    "NZ": ("Ltd",), "BR": ("Ltda.",), "MX": ("S.A. de C.V.",), "AR": ("S.A.",), "CO": ("S.A.S.",)}

LOCAL_PARTS = ("{first}.{last}", "{first}{last}", "{initial}{last}", "{first}_{last}", "{first}")

# Letters NFKD does not decompose into ASCII.
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "đ": "d"})


@functools.lru_cache(maxsize=1 << 16)  # pooled names repeat: slug each once
def ascii_slug(text: str, sep: str = "") -> str:
    """`Łukasz Zięcik` -> `lukaszziecik`: what a person types into an email address or a domain."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", sep, folded.lower()).strip(sep)


K = TypeVar("K")


class Weights(Generic[K]):
    """A weighted choice prepared once: `random.choices` rebuilds the cumulative weights on every call, which
    shows at 100k users. Draws exactly as `rng.choices(keys, weights)[0]` would."""

    __slots__ = ("keys", "_cumulative", "_total")

    def __init__(self, weights: Mapping[K, float]) -> None:
        self.keys = tuple(weights)
        self._cumulative = list(itertools.accumulate(weights.values()))
        self._total = self._cumulative[-1]

    def pick(self, rng: random.Random) -> K:
        return self.at(rng.random())

    def at(self, uniform: float) -> K:
        """The choice a uniform draw in [0, 1) makes."""
        return self.keys[bisect.bisect_right(self._cumulative, uniform * self._total)]


def _one(rng: random.Random, options: tuple | list):
    """`rng.choice`, at a third of the cost (one float instead of rejection-sampled bits): identities are drawn
    100k at a time."""
    return options[int(rng.random() * len(options))]


def _weights(weights: Weights | Mapping) -> Weights:
    return weights if isinstance(weights, Weights) else Weights(weights)


_COUNTRIES = {region: Weights({c: c.weight for c in COUNTRIES if c.region == region}) for region in REGIONS}
_ALL_COUNTRIES = Weights({c: c.weight for c in COUNTRIES})
_EMPLOYEES = {band: (low, high) for band, low, high in SIZE_BANDS}
_WEBMAIL = Weights(dict(WEBMAIL))
_TITLES: dict[str, str] = {}


class CountryProvider(BaseProvider):
    def plg_country(self, region: str | None = None) -> Country:
        """A country, by its share of a PLG tool's signups; within `region` when given. :example: United States"""
        return (_COUNTRIES[region] if region else _ALL_COUNTRIES).pick(self.generator.random)

    def utc_offset(self, country: Country) -> float:
        return _one(self.generator.random, country.utc_offsets)


class CompanyProfileProvider(BaseProvider):
    def company_size_band(self, weights: Weights | Mapping[str, float] | None = None) -> str:
        """:example: 11-50"""
        if weights is None:
            return _one(self.generator.random, SIZE_BAND_NAMES)
        return _weights(weights).pick(self.generator.random)

    def employee_count(self, band: str) -> int:
        """Log-uniform inside the band: small companies are more common than big ones in every band."""
        low, high = _EMPLOYEES[band]
        return int(math.exp(self.generator.random.uniform(math.log(low), math.log(high + 1))))

    def plg_industry(self, icp: bool) -> str:
        """:example: COMPUTER_SOFTWARE"""
        return _one(self.generator.random, ICP_INDUSTRIES if icp else OTHER_INDUSTRIES)

    def plg_company_name(self, family_name: str, country: Country) -> str:
        """A company name built around a family name, or a made-up brand. :example: Hickman Analytics"""
        rng = self.generator.random
        suffix = COMPANY_SUFFIXES[country.code]
        pattern = int(rng.random() * 4)
        if pattern == 0:
            return f"{family_name} {_one(rng, COMPANY_WORDS)}"
        if pattern == 1:
            return f"{_one(rng, COMPANY_PREFIXES)}{_one(rng, COMPANY_WORDS).lower()}"
        if pattern == 2:
            return f"{family_name} {_one(rng, suffix)}"
        return f"{_one(rng, COMPANY_PREFIXES)} {_one(rng, COMPANY_WORDS)} {_one(rng, suffix)}"

    def company_domain(self, company_name: str, country: Country) -> str:
        """Tech companies mostly pick .com or .io; the rest their country's domain. :example: hickman-analytics.com"""
        for suffix in COMPANY_SUFFIXES[country.code]:
            company_name = company_name.removesuffix(f" {suffix}")
        draw = self.generator.random.random()
        tld = ".com" if draw < 0.6 else ".io" if draw < 0.75 else country.tld
        # Word by word: the words repeat (pooled family names, brand words), so their slugs come from the cache.
        return "-".join(slug for slug in map(ascii_slug, company_name.split(), itertools.repeat("-")) if slug) + tld


class PersonaProvider(BaseProvider):
    def plg_job_title(self, seniority: str) -> str:
        """:example: Head of Growth"""
        rng = self.generator.random
        title = _one(rng, JOB_TITLES[seniority]).format(d=_one(rng, DEPARTMENTS))
        return _TITLES.setdefault(title, title)  # one string per distinct title, not one per user


class EmailDomainProvider(BaseProvider):
    def webmail_domain(self, country: Country) -> str:
        """:example: gmail.com"""
        rng = self.generator.random
        local = LOCAL_WEBMAIL.get(country.code, ())
        if local and rng.random() < 0.4:
            return _one(rng, local)
        return _WEBMAIL.pick(rng)

    def competitor_domain(self) -> str:
        return _one(self.generator.random, COMPETITOR_DOMAINS)

    def student_domain(self, country: Country) -> str:
        return _one(self.generator.random, STUDENT_DOMAINS[country.region])

    def email_local_part(self, first_name: str, last_name: str, personal: bool) -> str:
        """Work addresses follow the company's pattern; personal ones often carry a number. :example: ann.lee"""
        rng = self.generator.random
        first, last = ascii_slug(first_name) or "user", ascii_slug(last_name) or "mail"
        local = _one(rng, LOCAL_PARTS).format(first=first, last=last, initial=first[0])
        if personal and rng.random() < 0.5:
            local += str(rng.randrange(1, 100))
        return local


PROVIDERS = (CountryProvider, CompanyProfileProvider, PersonaProvider, EmailDomainProvider)


POOL_SIZE = 250  # names per locale and kind: 62,500 first/last pairs per locale


@functools.cache
def _name_faker() -> Faker:
    return Faker(list(NAME_LOCALES))  # ~0.4 s to build: once per process


@functools.lru_cache(maxsize=8)  # a pure function of the seed, and the slow part of starting a run (~0.7 s)
def _name_pools(seed: int) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    names = _name_faker()
    names.seed_instance(seed)
    first = {loc: tuple(names[loc].first_name() for _ in range(POOL_SIZE)) for loc in NAME_LOCALES}
    last = {loc: tuple(names[loc].last_name() for _ in range(POOL_SIZE)) for loc in NAME_LOCALES}
    return first, last


class Company(NamedTuple):  # tuples: built 100k times a run, and a frozen dataclass's __init__ is slow
    name: str
    domain: str
    industry: str
    size_band: str
    employees: int
    icp_industry: bool


class Person(NamedTuple):
    first_name: str
    last_name: str
    email: str
    job_title: str
    seniority: str


class Identities:
    """Who the simulated users are. Names come from per-locale pools drawn from Faker once per seed; every other
    draw uses the Random the caller passes, so a user's identity depends on that user's stream only.

    Emails and company domains are unique within one instance (a run): HubSpot keys contacts on email and
    companies on domain."""

    def __init__(self, seed: int) -> None:
        self._first, self._last = _name_pools(seed)
        self._fake = Generator()
        for provider in PROVIDERS:
            self._fake.add_provider(provider)
        self._emails: set[str] = set()
        self._domains: set[str] = set(WEBMAIL_DOMAINS) | set(COMPETITOR_DOMAINS)

    def country(self, rng: random.Random, region: str) -> tuple[Country, float]:
        """A country in `region` and the UTC offset of the user's time zone there."""
        self._fake.random = rng
        country = self._fake.plg_country(region)
        return country, self._fake.utc_offset(country)

    def company(self, rng: random.Random, country: Country, size_bands: Weights | Mapping[str, float],
                icp_industry_share: float) -> Company:
        self._fake.random = rng
        name = self._fake.plg_company_name(_one(rng, self._last[country.locale]), country)
        domain = self._unique(self._domains, self._fake.company_domain(name, country), rng)
        band = self._fake.company_size_band(size_bands)
        icp = rng.random() < icp_industry_share
        return Company(name, domain, self._fake.plg_industry(icp), band, self._fake.employee_count(band), icp)

    def competitor(self, rng: random.Random) -> Company:
        self._fake.random = rng
        domain = self._fake.competitor_domain()
        name = domain.split(".")[0].capitalize()
        return Company(name, domain, "COMPUTER_SOFTWARE", "51-200", self._fake.employee_count("51-200"), True)

    def person(self, rng: random.Random, country: Country, seniority: str, email_kind: str,
               company_domain: str | None) -> Person:
        """A person; `company_domain` is their employer's (for company and competitor addresses)."""
        self._fake.random = rng
        first, last = _one(rng, self._first[country.locale]), _one(rng, self._last[country.locale])
        if email_kind in ("company", "competitor"):
            domain = company_domain
        elif email_kind == "student":
            domain = self._fake.student_domain(country)
        else:
            domain = self._fake.webmail_domain(country)
        local = self._fake.email_local_part(first, last, personal=email_kind == "webmail")
        email = self._unique(self._emails, f"{local}@{domain}", rng)
        return Person(first, last, email, self._fake.plg_job_title(seniority), seniority)

    @staticmethod
    def _unique(taken: set[str], candidate: str, rng: random.Random) -> str:
        """The candidate, or it with a number after its first label (`ann.lee7@acme.io`, `acme3.io`)."""
        head, sep, tail = candidate.partition("@") if "@" in candidate else candidate.partition(".")
        while candidate in taken:
            candidate = f"{head}{rng.randrange(2, 1000)}{sep}{tail}"
        taken.add(candidate)
        return candidate
