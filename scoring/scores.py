"""What a score is: the explained result (rules, groups, caps, reasons), stages with hysteresis, A1-C3 grades,
profile predicates, and the account score built from them. Pure functions of the model and their inputs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from scoring.model import Predicate, ScoreModel

MAX_REASONS = 4


@dataclass(frozen=True)
class RuleResult:
    id: str
    label: str
    group: str
    occurrences: int
    raw: float  # after decay, before the rule's clamp
    value: float
    capped: bool


@dataclass(frozen=True)
class GroupResult:
    name: str
    category: str
    raw: float
    value: float
    capped: bool


@dataclass(frozen=True)
class Score:
    total: float
    fit: float  # normalised
    engagement: float  # normalised
    stage: str
    grade: str
    rules: tuple[RuleResult, ...] = ()
    groups: tuple[GroupResult, ...] = ()
    caps: tuple[str, ...] = ()

    @property
    def reasons(self) -> str:
        """The top contributions as one line: "+25 key feature used | +20 5 logins in 7d | -100 competitor"."""
        hits = sorted((r for r in self.rules if r.value), key=lambda r: (-abs(r.value), r.id))[:MAX_REASONS]
        return " | ".join(f"{_points(r.value)} {r.label}" for r in hits)


def _points(value: float) -> str:
    return f"{value:+.0f}" if value == round(value) else f"{value:+.1f}"


def norm(value: Any) -> str:
    return str(value).lower()


def clamp(value: float, low: float | None, high: float | None) -> float:
    if high is not None and value > high:
        return high
    if low is not None and value < low:
        return low
    return value


def stage_for(model: ScoreModel, total: float, previous: int | None) -> int:
    """The index of the stage a score is in; with hysteresis, a contact leaves a stage only below its min minus
    `hysteresis` (so decay does not make it flap)."""
    up = 0
    for k, stage in enumerate(model.stages):
        if total >= stage.min:
            up = k
    if previous is None or previous <= up:
        return up
    current = previous
    while current > up and total < model.stages[current].min - model.hysteresis:
        current -= 1
    return current


def grade_for(model: ScoreModel, fit: float, engagement: float) -> str:
    grades = model.grades
    letter = next((k for k, low in grades.fit.items() if fit >= low), list(grades.fit)[-1])
    digit = next((k for k, low in grades.engagement.items() if engagement >= low), list(grades.engagement)[-1])
    return letter + digit


def account_score(model: ScoreModel, account: Mapping[str, Any], engagements: Iterable[float]) -> Score:
    """A company's score: the fit of the company (the model's `account.fit_rules`) and its users' normalised
    engagement aggregated (`account.engagement`: sum, max or mean), combined as a contact's are."""
    spec = model.account
    if spec is None:
        raise ValueError(f"model {model.name} has no account section")
    rules = []
    for rule in spec.fit_rules:
        raw = rule.points if matches(rule.when, account) else 0.0
        value = clamp(raw, rule.min, rule.max)
        rules.append(RuleResult(rule.id, rule.label, "account fit", int(bool(raw)), raw, value, raw != value))
    fit_points = sum(r.value for r in rules)
    fit = 100 * clamp(fit_points, spec.fit.min, spec.fit.max) / spec.fit.scale
    values = list(engagements)
    if not values:
        engagement = 0.0
    elif spec.engagement == "max":
        engagement = max(values)
    elif spec.engagement == "mean":
        engagement = sum(values) / len(values)
    else:
        engagement = sum(values)
    engagement = min(engagement, 100.0)
    w = model.fit_weight
    total = clamp(w * fit + (1 - w) * engagement, model.total.min, model.total.max)
    stage = model.stages[stage_for(model, total, None)].name
    return Score(round(total, 2), round(fit, 2), round(engagement, 2), stage, grade_for(model, fit, engagement),
                 tuple(rules))


# -- predicates ----------------------------------------------------------------------------------------------

def matches(predicate: Predicate, profile: Mapping[str, Any]) -> bool:
    value = profile.get(predicate.property)
    op = predicate.op
    if op == "known":
        return value not in (None, "")
    if op == "unknown":
        return value in (None, "")
    if value in (None, ""):
        return op in ("neq", "not_in")
    if op in ("gte", "lte", "between"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return False
        if op == "gte":
            return number >= float(predicate.value)
        if op == "lte":
            return number <= float(predicate.value)
        low, high = (float(v) for v in predicate.values)
        return low <= number <= high
    text = norm(value)
    if op == "eq":
        return text == norm(predicate.value)
    if op == "neq":
        return text != norm(predicate.value)
    wanted = [norm(v) for v in predicate.values]
    if op == "in":
        return text in wanted
    if op == "not_in":
        return text not in wanted
    if op == "ends_with_any":
        return any(text.endswith(w) for w in wanted)
    words = f" {''.join(ch if ch.isalnum() else ' ' for ch in text)} "
    return any(f" {w} " in words for w in wanted)  # contains_any: whole words or phrases


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
