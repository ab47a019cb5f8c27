"""Scenario files: the pydantic model of a scenario (YAML in scenarios/catalog/) and loading it with clear errors.

A scenario is a mixture of segments. Each segment is an absorbing Markov chain over PLG stages, stepped once per
session: at the end of every session the user moves on with the probabilities in `next` and otherwise stays.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal, get_args

import yaml
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeFloat,
    PositiveFloat,
    PositiveInt,
    ValidationError,
    model_validator,
)

from scenarios.providers import EMAIL_KINDS, REGIONS, SENIORITIES, SIZE_BAND_NAMES

TransientStage = Literal["signed_up", "trialing", "onboarded", "activated", "collaborating", "evaluating", "customer"]
AbsorbingStage = Literal["churned", "inactive"]
Stage = Literal[TransientStage, AbsorbingStage]
STAGES: tuple[str, ...] = get_args(TransientStage)
ABSORBING: tuple[str, ...] = get_args(AbsorbingStage)
ORDER = {stage: i for i, stage in enumerate(STAGES + ABSORBING)}
# The product event a user emits on entering a stage. Going inactive is silent: it shows only as absence.
MILESTONES = {"signed_up": "signed_up", "trialing": "trial_started", "onboarded": "onboarding_completed",
              "activated": "key_feature_used", "collaborating": "teammate_invited",
              "evaluating": "pricing_page_viewed", "customer": "upgraded", "churned": "churned"}
PRE_ACTIVATION = ("signed_up", "trialing", "onboarded")  # activation *is* the first key_feature_used

# The signals a PLG product sends to HubSpot; generic clicks stay in the product's own analytics.
SessionEvent = Literal["key_feature_used", "pricing_page_viewed", "usage_limit_approached", "content_downloaded",
                       "webinar_attended"]
Region = Literal[REGIONS]
Seniority = Literal[SENIORITIES]
EmailKind = Literal[EMAIL_KINDS]
SizeBand = Literal[SIZE_BAND_NAMES]

Probability = Annotated[float, Field(ge=0, le=1)]
Weight = NonNegativeFloat
EventMix = dict[SessionEvent, Weight]

# Activity by local hour (0-23) and weekday (Mon-Sun): office hours, quiet weekends (after fake-web-events'
# visits_per_hour). Normalised to mean 1 when compiled, so `sessions_per_day` stays the long-run average.
OFFICE_HOURS = (0.15, 0.1, 0.08, 0.07, 0.07, 0.1, 0.25, 0.5, 0.9, 1.3, 1.5, 1.5, 1.35, 1.4, 1.5, 1.45, 1.3, 1.1,
                0.9, 0.75, 0.65, 0.55, 0.4, 0.25)
WORK_WEEK = (1.1, 1.15, 1.15, 1.1, 1.0, 0.3, 0.25)


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the file and the bad field."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _positive_total(weights: dict[str, float], field: str) -> None:
    if not weights or sum(weights.values()) <= 0:
        raise ValueError(f"{field}: needs at least one positive weight")


class StageSpec(Strict):
    next: dict[Stage, Probability] = {}  # per-session probability of moving on; the rest stays in this stage
    sessions_per_day: PositiveFloat  # long-run average while in this stage, before the user's own multiplier
    events_per_session: NonNegativeFloat  # mean in-session events after the login


class Chain(Strict):
    stages: dict[TransientStage, StageSpec]
    events: dict[TransientStage, EventMix] = {}  # replaces the scenario's in-session mix for these stages

    @model_validator(mode="after")
    def _absorbing_and_forward(self) -> Chain:
        if "signed_up" not in self.stages:
            raise ValueError("stages: every journey starts at signed_up, which is missing")
        for stage, spec in self.stages.items():
            if sum(spec.next.values()) > 1 + 1e-9:
                raise ValueError(f"stages.{stage}.next: probabilities add up to {sum(spec.next.values()):.4g} > 1")
            if stage != "customer" and sum(spec.next.values()) <= 0:
                raise ValueError(f"stages.{stage}.next: the stage can never be left (no absorption)")
            for target in spec.next:
                if target not in ABSORBING and target not in self.stages:
                    raise ValueError(f"stages.{stage}.next.{target}: {target} has no entry in stages")
                if ORDER[target] <= ORDER[stage]:
                    raise ValueError(f"stages.{stage}.next.{target}: journeys only move forward")
        for stage in PRE_ACTIVATION:
            if self.events.get(stage, {}).get("key_feature_used"):
                raise ValueError(f"events.{stage}.key_feature_used: the first key feature use is activation")
        return self


class CompanyMix(Strict):
    size_bands: dict[SizeBand, Weight]
    icp_industry_share: Probability

    @model_validator(mode="after")
    def _weights(self) -> CompanyMix:
        _positive_total(self.size_bands, "size_bands")
        return self


class Team(Strict):
    invites: Annotated[float, Field(ge=1, le=20)] = 1.0  # mean invitations sent on starting to collaborate
    acceptance: Probability = 0.7
    join_delay_hours: PositiveFloat = 24.0  # mean time from invitation to the teammate's signup


class Segment(Chain):
    weight: PositiveFloat
    description: str = ""
    icp: bool  # whether the segment is the ideal customer profile: the truth for fit scoring
    regions: dict[Region, Weight]
    personas: dict[Seniority, Weight]
    email: dict[EmailKind, Weight]
    company: CompanyMix | None  # None: personal workspaces with no company behind them
    team: Team = Team()
    plans: dict[str, Weight] = {}  # plans bought on upgrading

    @model_validator(mode="after")
    def _identity(self) -> Segment:
        for field in ("regions", "personas", "email"):
            _positive_total(getattr(self, field), field)
        if self.company is None and self.email.get("company"):
            raise ValueError("email.company: a segment without a company has no company addresses")
        if "customer" in self.stages:
            _positive_total(self.plans, "plans")
        return self


class Teammate(Chain):
    """Invited users: they use the product but neither buy nor invite; the account's owner does."""

    personas: dict[Seniority, Weight]

    @model_validator(mode="after")
    def _members_only(self) -> Teammate:
        _positive_total(self.personas, "personas")
        for stage in ("collaborating", "customer"):
            if stage in self.stages:
                raise ValueError(f"stages.{stage}: teammates neither invite nor buy")
        return self


class Plan(Strict):
    seat_price_monthly: PositiveFloat
    min_seats: PositiveInt = 1
    annual_minimum: NonNegativeFloat = 0.0

    def arr(self, seats: int) -> float:
        return float(max(self.annual_minimum, max(seats, self.min_seats) * self.seat_price_monthly * 12))


class TouchEffect(Strict):
    within_minutes: PositiveFloat  # of the user's last product event
    upgrade_multiplier: PositiveFloat


class Shock(Strict):
    """A period in which some transitions are likelier (a churn wave, an outage, a competitor's launch)."""

    name: str
    from_day: NonNegativeFloat
    to_day: PositiveFloat
    stages: list[TransientStage] = list(STAGES)
    multiply: dict[Stage, NonNegativeFloat]

    @model_validator(mode="after")
    def _window(self) -> Shock:
        if self.to_day <= self.from_day:
            raise ValueError(f"to_day: {self.to_day} is not after from_day {self.from_day}")
        return self


class Arrivals(Strict):
    monthly_growth: Annotated[float, Field(ge=-0.9, le=10)] = 0.0  # signup rate compounds by this each 30 days
    diurnal: Annotated[list[Weight], Field(min_length=24, max_length=24)] = list(OFFICE_HOURS)
    weekly: Annotated[list[Weight], Field(min_length=7, max_length=7)] = list(WORK_WEEK)


class Sessions(Strict):
    diurnal: Annotated[list[Weight], Field(min_length=24, max_length=24)] = list(OFFICE_HOURS)
    weekly: Annotated[list[Weight], Field(min_length=7, max_length=7)] = list(WORK_WEEK)
    min_gap_minutes: PositiveFloat = 30.0  # a session ends after this long without activity
    event_gap_seconds: PositiveFloat = 75.0  # mean time between events within a session
    heterogeneity: Annotated[float, Field(ge=0, le=2)] = 0.6  # sigma of users' mean-1 log-normal multipliers


class Scenario(Strict):
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    description: str
    start: AwareDatetime
    users: PositiveInt = 1000  # organic signups; the teammates they invite come on top
    days: PositiveInt = 30
    arrivals: Arrivals = Arrivals()
    sessions: Sessions = Sessions()
    events: dict[TransientStage, EventMix]  # in-session event mix per stage
    plans: dict[str, Plan]
    sales_touch_effect: list[TouchEffect] = []
    shocks: list[Shock] = []
    segments: dict[str, Segment]
    teammate: Teammate

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        _positive_total({name: s.weight for name, s in self.segments.items()}, "segments")
        for stage in PRE_ACTIVATION:
            if self.events.get(stage, {}).get("key_feature_used"):
                raise ValueError(f"events.{stage}.key_feature_used: the first key feature use is activation")
        chains = {f"segments.{name}": s for name, s in self.segments.items()} | {"teammate": self.teammate}
        for where, chain in chains.items():
            for stage, spec in chain.stages.items():
                if spec.events_per_session > 0 and sum(self.event_mix(chain, stage).values()) <= 0:
                    raise ValueError(f"{where}.stages.{stage}: has events_per_session but events.{stage} is empty")
        for name, segment in self.segments.items():
            for plan in segment.plans:
                if plan not in self.plans:
                    raise ValueError(f"segments.{name}.plans.{plan}: not one of plans ({', '.join(self.plans)})")
        minutes = [effect.within_minutes for effect in self.sales_touch_effect]
        if minutes != sorted(set(minutes)):
            raise ValueError("sales_touch_effect: within_minutes must increase from one entry to the next")
        return self

    def event_mix(self, chain: Chain, stage: str) -> dict[str, float]:
        return chain.events.get(stage, self.events.get(stage, {}))

    def touch_multiplier(self, response_minutes: float) -> float:
        """The upgrade multiplier of a sales touch that came `response_minutes` after the user's last event."""
        for effect in self.sales_touch_effect:
            if response_minutes <= effect.within_minutes:
                return effect.upgrade_multiplier
        return 1.0


CATALOG = Path(__file__).parent / "catalog"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it: 10x faster


def catalog_names() -> list[str]:
    return sorted(path.stem for path in CATALOG.glob("*.yaml"))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A catalog scenario by name, or a scenario file by path.

    A file may start from another catalog scenario with `extends: NAME`: mappings merge key by key, anything
    else (lists, numbers) replaces the base's value."""
    path = Path(name_or_path)
    return parse_scenario(_read(path if path.suffix in (".yaml", ".yml") else _catalog_path(str(name_or_path))),
                          source=str(path))


def _catalog_path(name: str) -> Path:
    path = CATALOG / f"{name}.yaml"
    if not path.is_file():
        raise ScenarioError(f"no scenario {name!r} (the catalog has: {', '.join(catalog_names())})")
    return path


def _read(path: Path, extended: tuple[Path, ...] = ()) -> object:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as error:
        raise ScenarioError(f"{path}: {error}") from error
    if not isinstance(data, dict) or "extends" not in data:
        return data
    base = _catalog_path(str(data.pop("extends")))
    if base in extended or base == path:
        raise ScenarioError(f"{path}: extends: {base.stem} extends itself")
    return _merge(_read(base, extended + (path,)), data)


def _merge(base: object, override: object) -> object:
    if isinstance(base, dict) and isinstance(override, dict):
        return base | {key: _merge(base.get(key), value) for key, value in override.items()}
    return override


def parse_scenario(data: object, *, source: str = "scenario") -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(f"{source}:\n  " + "\n  ".join(_problem(e) for e in error.errors())) from None


def _problem(error: dict) -> str:
    """`segments.student.stages.trialing.next: ...`: our validators' messages start with the path below the
    model they check, which pydantic reports as the location."""
    where = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    head, colon, rest = message.partition(": ")
    if colon and re.fullmatch(r"[\w.-]+", head):
        where, message = f"{where}.{head}" if where else head, rest
    return f"{where or '(top level)'}: {message}"
