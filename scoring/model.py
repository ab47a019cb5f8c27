"""The scoring model: groups of rules with points, caps, floors, decay or windows, thresholds. YAML, validated.

The shape follows HubSpot's lead-scoring tool (total limit -> group limits -> rules -> criteria) and the unified
spec of the reference notes (scoring-journeys-load-sync.md §A3):

    name: plg-default
    total: {min: 0, max: 100}
    fit: {scale: 60}                       # fit points worth 100 after normalisation (see engine.normalise)
    engagement: {scale: 100}
    weights: {fit: 0.4}                    # combined = 0.4 x fit + 0.6 x engagement, both normalised
    groups:
      - name: Product Signals
        category: engagement
        max: 100
        decay: {percent: 50, every_days: 90}    # XOR window_days (HubSpot: a group has one or the other)
        rules:
          - {id: key_feature, label: key feature used, points: 25, event: {name: key_feature_used}}
          - {id: logins_5_in_7d, label: 5 logins in 7d, points: 20,
             event: {name: logged_in, min_count: 5, within_days: 7}}
    stages: [{name: nurture, min: -1000}, {name: mql, min: 40}, {name: pql, min: 70}]
    hysteresis: 10                          # leave a stage only below its min - 10

A problem is a `ModelError` naming the field (`groups.0.rules.2.points: ...`).
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DEFAULT_MODEL = "plg-default.yaml"
Scalar = str | int | float | bool


class ModelError(ValueError):
    """A scoring model or mapping file that does not validate; the message names every bad field."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Predicate(Strict):
    """A test of one profile property. Text comparisons ignore case; `contains_any` matches words or phrases."""

    property: str
    op: Literal["eq", "neq", "in", "not_in", "contains_any", "ends_with_any", "gte", "lte", "between", "known",
                "unknown"]
    value: Scalar | None = None
    values: tuple[Scalar, ...] = ()

    @model_validator(mode="after")
    def _operands(self) -> Predicate:
        if self.op in ("eq", "neq", "gte", "lte") and self.value is None:
            raise ValueError(f"op {self.op} needs a value")
        if self.op in ("in", "not_in", "contains_any", "ends_with_any") and not self.values:
            raise ValueError(f"op {self.op} needs values")
        if self.op == "between" and len(self.values) != 2:
            raise ValueError("op between needs values: [low, high]")
        return self


class EventCriterion(Strict):
    """Occurrences of one product event, optionally filtered on its properties, counted over an optional window."""

    name: str
    where: dict[str, Scalar | tuple[Scalar, ...]] = Field(default_factory=dict)  # a tuple: any of these values
    min_count: int = Field(1, ge=1)
    within_days: float | None = Field(None, gt=0)


class Rule(Strict):
    """Points for a profile predicate (fit), an event criterion (engagement) or inactivity.

    `count: once` earns the points when the criterion holds; `per_occurrence` earns them for every occurrence.
    `inactive_days` earns them (usually negative) when no event at all happened for that long."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    points: float
    when: Predicate | None = None
    event: EventCriterion | None = None
    inactive_days: float | None = Field(None, gt=0)
    count: Literal["once", "per_occurrence"] = "once"
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _one_criterion(self) -> Rule:
        given = [name for name in ("when", "event", "inactive_days") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"a rule has exactly one of when, event, inactive_days (got {given or 'none'})")
        if self.count == "per_occurrence" and self.event is None:
            raise ValueError("count per_occurrence needs an event criterion")
        if self.count == "per_occurrence" and self.event.min_count > 1:
            raise ValueError("count per_occurrence takes no min_count")
        _check_bounds(self.min, self.max)
        return self


class Decay(Strict):
    """`percent` of an occurrence's points lost every `every_days` (HubSpot: "50% every month").

    step: 1 - p*floor(age/N) (HubSpot's wording, 10 -> 5 -> 0); linear: 1 - p*age/N; half_life: 0.5^(age/N)."""

    percent: float = Field(gt=0, le=100)
    every_days: float = Field(gt=0)
    curve: Literal["step", "linear", "half_life"] = "step"


class Group(Strict):
    name: str
    category: Literal["fit", "engagement"]
    min: float | None = None
    max: float | None = None
    window_days: float | None = Field(None, gt=0)
    decay: Decay | None = None
    # Decay hides behind a cap (10 logins x 10 points, cap 40: 40, 40, then 0). `cap_before_decay` caps each
    # rule's undecayed points first and decays the result, so the score falls smoothly instead.
    cap_before_decay: bool = False
    rules: tuple[Rule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Group:
        if self.window_days is not None and self.decay is not None:
            raise ValueError("a group has window_days or decay, not both (HubSpot's rule)")
        for rule in self.rules:
            if self.category == "fit" and rule.when is None:
                raise ValueError(f"fit group rule {rule.id} must be a `when` property predicate")
            if self.category == "engagement" and rule.when is not None:
                raise ValueError(f"engagement group rule {rule.id} must be an event or inactivity rule")
        _check_bounds(self.min, self.max)
        return self


class Bounds(Strict):
    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> Bounds:
        _check_bounds(self.min, self.max)
        return self


class Dimension(Strict):
    """A dimension's raw points are clamped to [min, max], then normalised: 100 x points / scale."""

    scale: float = Field(gt=0)
    min: float = -1000
    max: float = 1000


class Stage(Strict):
    name: str
    min: float
    lifecycle_stage: str | None = None  # HubSpot's lifecyclestage written when a contact enters it


class Grades(Strict):
    """The A1-C3 matrix: letter from normalised fit, digit from normalised engagement (HubSpot's threshold)."""

    fit: dict[str, float] = Field(default_factory=lambda: {"A": 60, "B": 30, "C": -1000})
    engagement: dict[str, float] = Field(default_factory=lambda: {"1": 60, "2": 25, "3": -1000})


class ScoreModel(Strict):
    name: str
    total: Bounds
    fit: Dimension
    engagement: Dimension
    weights: dict[Literal["fit"], float] = Field(default_factory=lambda: {"fit": 0.4})
    groups: tuple[Group, ...] = Field(min_length=1)
    stages: tuple[Stage, ...] = Field(min_length=1)
    hysteresis: float = Field(0, ge=0)
    grades: Grades = Field(default_factory=Grades)
    account: AccountModel | None = None

    @field_validator("weights")
    @classmethod
    def _weight(cls, weights: dict[str, float]) -> dict[str, float]:
        if not 0 <= weights.get("fit", 0.4) <= 1:
            raise ValueError("weights.fit must be between 0 and 1")
        return weights

    @field_validator("stages")
    @classmethod
    def _ascending(cls, stages: tuple[Stage, ...]) -> tuple[Stage, ...]:
        mins = [stage.min for stage in stages]
        if mins != sorted(mins) or len(set(mins)) != len(mins):
            raise ValueError("stages must be in strictly ascending order of min")
        return stages

    @model_validator(mode="after")
    def _unique_ids(self) -> ScoreModel:
        ids = [rule.id for group in self.groups for rule in group.rules]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"rule ids must be unique: {', '.join(duplicates)}")
        return self

    @property
    def fit_weight(self) -> float:
        return self.weights.get("fit", 0.4)


class AccountModel(Strict):
    """The company score: the company's fit (rules over the account's properties) + its users' engagement.

    `engagement` aggregates the users' normalised engagement: `max`, `mean`, or `sum` (capped by the dimension)."""

    fit_rules: tuple[Rule, ...] = ()
    fit: Dimension = Dimension(scale=60)
    engagement: Literal["max", "mean", "sum"] = "sum"

    @field_validator("fit_rules")
    @classmethod
    def _predicates(cls, rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
        for rule in rules:
            if rule.when is None:
                raise ValueError(f"account fit rule {rule.id} must be a `when` property predicate")
        return rules


ScoreModel.model_rebuild()


def _check_bounds(low: float | None, high: float | None) -> None:
    if low is not None and high is not None and low > high:
        raise ValueError(f"min {low} is above max {high}")


def load_model(path: str | Path | None = None) -> ScoreModel:
    """The model at `path`, or the packaged plg-default model."""
    return parse(ScoreModel, _read(path, DEFAULT_MODEL))


def parse(kind: type[BaseModel], raw: Any) -> Any:
    try:
        return kind.model_validate(raw)
    except ValidationError as exc:
        problems = ["{}: {}".format(".".join(str(p) for p in err["loc"]) or "(top)", err["msg"])
                    for err in exc.errors(include_url=False)]
        raise ModelError(f"invalid {kind.__name__}: " + "; ".join(problems)) from None


def _read(path: str | Path | None, default: str) -> Mapping[str, Any]:
    try:
        if path is None:
            text = (resources.files("scoring") / "models" / default).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        raw = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ModelError(f"cannot read {path or default}: {exc}") from None
    if not isinstance(raw, dict):
        raise ModelError(f"{path or default}: the top level must be a mapping")
    return raw
