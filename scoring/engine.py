"""Scoring: `score(profile, events, now)` (pure, explained) and `Scorer`, the incremental scorer the sync runs.

Evaluation order (the one HubSpot's "Test a record" shows; reference notes §A3):
1. rule raw = sum over its occurrences of points x decay(age), decay per occurrence, before any cap;
2. rule value = clamp(raw, rule.min, rule.max);  3. group = clamp(sum of its rules, group.min, group.max);
4. fit / engagement = clamp(sum of their groups, dimension bounds), normalised to 100 x points / scale;
5. total = clamp(w x fit + (1 - w) x engagement, total bounds); the stage (with hysteresis) and the A1-C3 grade.

`Scorer` keeps, per contact, the occurrence times of each event rule and each rule's current value. An event
re-evaluates only the rules it feeds, unless the contact's values were due to change by then (a decay step or a
window edge passed: `next_change`), in which case every rule of that contact is re-evaluated. So a score after
`observe` or `sweep(now)` equals `score(profile, events, now)` for step decay and windows. Linear and half-life
decay change continuously: their contacts are re-evaluated on every event and sweep.

Times inside are float seconds since the epoch (the hot path does no datetime arithmetic).
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, insort
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, NamedTuple

from scoring.model import Decay, Group, Predicate, Rule, ScoreModel

DAY = 86_400.0
NEVER = math.inf
MAX_REASONS = 4


class Event(NamedTuple):
    name: str
    at: datetime
    properties: Mapping[str, Any] = {}


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


def to_seconds(moment: datetime) -> float:
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.timestamp()


def score(profile: Mapping[str, Any], events: Iterable[Event], now: datetime, *, model: ScoreModel,
          previous_stage: str | None = None) -> Score:
    """The score of one contact at `now` from its profile and its events (those after `now` are ignored)."""
    scorer = Scorer(model)
    scorer.set_profile("contact", profile)
    cutoff = to_seconds(now)
    for event in sorted(events, key=lambda e: e.at):
        at = to_seconds(event.at)
        if at <= cutoff:
            scorer.observe("contact", event.name, at, event.properties)
    result = scorer.explain("contact", cutoff)
    if previous_stage is None:
        return result
    stage = stage_for(model, scorer.current("contact").total, scorer.stage_index(previous_stage))
    return replace(result, stage=model.stages[stage].name)


# -- the compiled model --------------------------------------------------------------------------------------

class _Compiled:
    """The model as flat arrays: rule i belongs to group groups_of[i]; event rules indexed by event name."""

    def __init__(self, model: ScoreModel):
        self.model = model
        self.rules: list[Rule] = []
        self.group_of: list[int] = []
        self.groups: list[Group] = list(model.groups)
        for g, group in enumerate(model.groups):
            for rule in group.rules:
                self.rules.append(rule)
                self.group_of.append(g)
        self.by_event: dict[str, list[tuple[int, tuple[tuple[str, frozenset], ...]]]] = {}
        for i, rule in enumerate(self.rules):
            if rule.event is not None:
                where = tuple((k, frozenset(_norm(x) for x in (v if isinstance(v, tuple) else (v,))))
                              for k, v in rule.event.where.items())
                self.by_event.setdefault(rule.event.name, []).append((i, where))
        self.fit_rules = [i for i, r in enumerate(self.rules) if r.when is not None]
        self.timed_rules = [i for i, r in enumerate(self.rules) if r.when is None]
        self.inactivity_rules = [i for i, r in enumerate(self.rules) if r.inactive_days is not None]
        self.window = [_window_seconds(r, self.groups[self.group_of[i]]) for i, r in enumerate(self.rules)]
        self.decay = [self.groups[self.group_of[i]].decay for i in range(len(self.rules))]
        self.cap_first = [self.groups[self.group_of[i]].cap_before_decay for i in range(len(self.rules))]
        self.fit_groups = [g for g, group in enumerate(self.groups) if group.category == "fit"]
        self.timed_groups = [g for g, group in enumerate(self.groups) if group.category == "engagement"]
        self.group_specs = [(group.min, group.max, [i for i in range(len(self.rules)) if self.group_of[i] == g],
                             group.cap_before_decay) for g, group in enumerate(self.groups)]
        self.inactivity_groups = sorted({self.group_of[i] for i in self.inactivity_rules})
        self.event_groups = {name: sorted({self.group_of[i] for i, _ in rules} | set(self.inactivity_groups))
                             for name, rules in self.by_event.items()}
        self.fit_dimension, self.engagement_dimension = model.fit, model.engagement
        self.total_min, self.total_max = model.total.min, model.total.max
        self.fit_weight = model.fit_weight
        self.stage_mins = [stage.min for stage in model.stages]
        self.continuous = any(d is not None and d.curve != "step" for d in self.decay)


def _window_seconds(rule: Rule, group: Group) -> float:
    days = [d for d in ((rule.event.within_days if rule.event else None), group.window_days) if d is not None]
    return min(days) * DAY if days else NEVER


def _norm(value: Any) -> str:
    return str(value).lower()


def _decay(decay: Decay | None, age: float) -> tuple[float, float]:
    """(factor, seconds until the factor next changes) for an occurrence `age` seconds old."""
    if decay is None:
        return 1.0, NEVER
    period, p = decay.every_days * DAY, decay.percent / 100
    if decay.curve == "step":
        steps = math.floor(age / period)
        factor = 1 - p * steps
        return (factor, (steps + 1) * period - age) if factor > 1e-12 else (0.0, NEVER)
    if decay.curve == "linear":
        factor = 1 - p * age / period
        return (factor, 0.0) if factor > 0 else (0.0, NEVER)
    return 0.5 ** (age / period), 0.0


def _clamp(value: float, low: float | None, high: float | None) -> float:
    if high is not None and value > high:
        return high
    if low is not None and value < low:
        return low
    return value


# -- per contact ---------------------------------------------------------------------------------------------

@dataclass
class ContactState:
    key: Any
    profile: Mapping[str, Any]
    times: list[list[float] | None]  # per event rule, its occurrence times still able to count
    raws: list[float]  # per rule, after decay, before its clamp
    full: list[float]  # per rule, undecayed points (for groups that cap before decay)
    values: list[float]  # per rule, clamped
    counts: list[int]
    sums: list[float]  # per group, the sum of its rules
    group_values: list[float]  # per group, clamped
    last_seen: float = -NEVER
    next_change: float = NEVER
    queued: float = NEVER  # the time of this contact's live entry in the sweep's heap
    evaluated_at: float = -NEVER
    stage: int = 0
    total: float = 0.0
    fit: float = 0.0
    engagement: float = 0.0


class Scorer:
    """Scores many contacts incrementally: `observe` one event at a time (in time order per contact), `sweep(now)`
    as time passes. Keys are any hashable (the sync uses emails)."""

    def __init__(self, model: ScoreModel):
        self.model = model
        self._c = _Compiled(model)
        self._contacts: dict[Any, ContactState] = {}
        self._due: list[tuple[float, int, Any]] = []  # (next_change, tiebreak, key), lazily invalidated
        self._tiebreak = 0

    def __len__(self) -> int:
        return len(self._contacts)

    def __contains__(self, key: Any) -> bool:
        return key in self._contacts

    def keys(self) -> Iterable[Any]:
        return self._contacts.keys()

    def stage_index(self, name: str) -> int:
        return [s.name for s in self.model.stages].index(name)

    def state(self, key: Any) -> ContactState:
        st = self._contacts.get(key)
        if st is None:
            c = self._c
            n, g = len(c.rules), len(c.groups)
            st = ContactState(key, {}, [[] if r.event is not None else None for r in c.rules], [0.0] * n, [0.0] * n,
                              [0.0] * n, [0] * n, [0.0] * g, [0.0] * g)
            st.stage = stage_for(self.model, 0.0, None)
            self._contacts[key] = st
            self._combine(st, range(g))
        return st

    def set_profile(self, key: Any, profile: Mapping[str, Any]) -> None:
        st = self.state(key)
        st.profile = profile
        for i in self._c.fit_rules:
            rule = self._c.rules[i]
            raw = rule.points if matches(rule.when, profile) else 0.0
            st.raws[i], st.full[i], st.counts[i] = raw, raw, int(bool(raw))
            st.values[i] = _clamp(raw, rule.min, rule.max)
        self._combine(st, self._c.fit_groups)

    def observe(self, key: Any, name: str, at: float, properties: Mapping[str, Any] = {}) -> ContactState:
        """Record one event at `at` (epoch seconds) and update that contact's score."""
        st = self._contacts.get(key) or self.state(key)
        c = self._c
        touched = []
        for i, where in c.by_event.get(name, ()):
            if where and not all(_norm(properties.get(k)) in allowed for k, allowed in where):
                continue
            times = st.times[i]
            if times and at < times[-1]:
                insort(times, at)
            else:
                times.append(at)
            touched.append(i)
        if at > st.last_seen:
            st.last_seen = at
        if at >= st.next_change or c.continuous:
            self._evaluate(st, c.timed_rules, at, full=True)
            self._combine(st, c.timed_groups)
        elif self._evaluate(st, touched + c.inactivity_rules, at, full=False):
            self._combine(st, c.event_groups.get(name, c.inactivity_groups))
        return st

    def sweep(self, now: float) -> list[Any]:
        """Re-evaluate the contacts whose scores change by `now` (decay steps, windows ending, inactivity);
        answers the keys whose total or stage changed."""
        changed = []
        due = self._due
        c = self._c
        while due and due[0][0] <= now:
            when, _, key = heapq.heappop(due)
            st = self._contacts[key]
            if st.queued != when:
                continue  # a stale entry: the contact was queued again for earlier
            st.queued = NEVER
            if st.next_change > now:  # an event since pushed the change later: wait for it
                self._queue(st)
                continue
            before = (st.total, st.stage)
            self._evaluate(st, c.timed_rules, now, full=True)
            self._combine(st, c.timed_groups)
            if (st.total, st.stage) != before:
                changed.append(key)
        return changed

    def current(self, key: Any) -> ContactState:
        return self._contacts[key]

    def explain(self, key: Any, now: float) -> Score:
        """The contact's score at `now`, every rule and group, and the caps that bit."""
        st = self._contacts[key]
        c = self._c
        if now != st.evaluated_at or c.continuous or now >= st.next_change:
            self._evaluate(st, c.timed_rules, now, full=True)
            self._combine(st, c.timed_groups)
        rules, caps = [], []
        for i, r in enumerate(c.rules):
            capped = abs(st.values[i] - st.raws[i]) > 1e-9
            rules.append(RuleResult(r.id, r.label, c.groups[c.group_of[i]].name, st.counts[i], round(st.raws[i], 4),
                                    round(st.values[i], 4), capped))
            if capped:
                caps.append(f"rule {r.id} clamped to {st.values[i]:g} (from {st.raws[i]:.4g})")
        groups = []
        for g, group in enumerate(c.groups):
            raw, value = st.sums[g], st.group_values[g]
            capped = abs(raw - value) > 1e-9
            groups.append(GroupResult(group.name, group.category, round(raw, 4), round(value, 4), capped))
            if capped:
                caps.append(f"group {group.name} {'capped' if value < raw else 'floored'} at {value:g} "
                            f"(from {raw:.4g})")
        combined = self._combined(st)
        if abs(combined - st.total) > 1e-9:
            caps.append(f"total {'capped' if st.total < combined else 'floored'} at {st.total:g} "
                        f"(from {combined:.4g})")
        return Score(round(st.total, 2), round(st.fit, 2), round(st.engagement, 2), self.model.stages[st.stage].name,
                     grade_for(self.model, st.fit, st.engagement), tuple(rules), tuple(groups), tuple(caps))

    # -- evaluation -----------------------------------------------------------------------------------------

    def _evaluate(self, st: ContactState, indexes: Iterable[int], now: float, *, full: bool) -> bool:
        """Re-evaluate these rules at `now`; answers whether any value changed."""
        c = self._c
        soonest = NEVER if full else st.next_change
        changed = False
        values = st.values
        for i in indexes:
            rule = c.rules[i]
            if rule.inactive_days is not None:
                limit = rule.inactive_days * DAY
                if st.last_seen == -NEVER:
                    raw, change, n = 0.0, NEVER, 0
                elif now - st.last_seen >= limit:
                    raw, change, n = rule.points, NEVER, 1
                else:
                    raw, change, n = 0.0, st.last_seen + limit, 0
                full_points = raw
            else:
                raw, change, n, full_points = self._event_rule(i, rule, st.times[i], now)
            st.raws[i], st.counts[i], st.full[i] = raw, n, full_points
            if c.cap_first[i]:
                value = _clamp(full_points, rule.min, rule.max) * (raw / full_points) if full_points else 0.0
            else:
                value = _clamp(raw, rule.min, rule.max)
            if value != values[i]:
                values[i] = value
                changed = True
            if change < soonest:
                soonest = change
        st.next_change = soonest
        st.evaluated_at = now
        if soonest < st.queued:
            self._queue(st)
        return changed

    def _queue(self, st: ContactState) -> None:
        if st.next_change != NEVER:
            self._tiebreak += 1
            st.queued = st.next_change
            heapq.heappush(self._due, (st.next_change, self._tiebreak, st.key))

    def _event_rule(self, i: int, rule: Rule, times: list[float], now: float) -> tuple[float, float, int, float]:
        """(raw points after decay, when the raw next changes, occurrences counted, undecayed points)."""
        c = self._c
        window = c.window[i]
        if window != NEVER and times and times[0] < now - window:
            del times[:bisect_left(times, now - window)]  # now only moves forward: gone for good
        end = len(times)
        while end and times[end - 1] > now:  # events stamped after `now` (a clock behind the data) wait
            end -= 1
        if not end:
            return 0.0, NEVER, 0, 0.0
        decay = c.decay[i]
        if rule.count == "once":
            need = rule.event.min_count
            if end < need:
                return 0.0, NEVER, end, 0.0
            factor, step = _decay(decay, now - times[end - 1])
            expiry = times[end - need] + window - now  # the count drops below min_count
            return rule.points * factor, now + min(step, expiry), end, rule.points
        points = rule.points
        total = undecayed = 0.0
        soonest = NEVER
        cap_first = c.cap_first[i]
        for k in range(end - 1, -1, -1):
            factor, step = _decay(decay, now - times[k])
            if factor == 0.0:
                del times[:k + 1]  # decayed to nothing for good (step and linear curves stay at 0)
                break
            total += points * factor
            undecayed += points
            if step < soonest:
                soonest = step
            if window != NEVER and times[k] + window - now < soonest:
                soonest = times[k] + window - now
            # Newest first: once the partial sum is past the rule's cap, older occurrences cannot change the value
            # until one of these newer ones decays (tracked by `soonest`).
            if not cap_first and rule.max is not None and points > 0 and total >= rule.max:
                break
            if not cap_first and rule.min is not None and points < 0 and total <= rule.min:
                break
        return total, now + soonest, end, undecayed

    def _combine(self, st: ContactState, groups: Iterable[int]) -> None:
        """Re-add the named groups, then the dimensions, the total and the stage."""
        c = self._c
        values, sums, group_values = st.values, st.sums, st.group_values
        for g in groups:
            low, high, members, cap_first = c.group_specs[g]
            raw = 0.0
            for i in members:
                raw += values[i]
            sums[g] = raw
            if cap_first:
                undecayed = 0.0
                for i in members:
                    rule = c.rules[i]
                    undecayed += _clamp(st.full[i], rule.min, rule.max)
                # The cap applies to the undecayed points; decay then takes its share of what the cap left.
                group_values[g] = _clamp(undecayed, low, high) * (raw / undecayed) if undecayed else 0.0
            elif high is not None and raw > high:
                group_values[g] = high
            elif low is not None and raw < low:
                group_values[g] = low
            else:
                group_values[g] = raw
        fit = engagement = 0.0
        for g in c.fit_groups:
            fit += group_values[g]
        for g in c.timed_groups:
            engagement += group_values[g]
        f, e = c.fit_dimension, c.engagement_dimension
        st.fit = 100 * _clamp(fit, f.min, f.max) / f.scale
        st.engagement = 100 * _clamp(engagement, e.min, e.max) / e.scale
        total = _clamp(self._combined(st), c.total_min, c.total_max)
        st.total = total
        stage = st.stage
        mins = c.stage_mins
        if not (total >= mins[stage] and (stage + 1 == len(mins) or total < mins[stage + 1])):
            st.stage = stage_for(self.model, total, stage)

    def _combined(self, st: ContactState) -> float:
        w = self._c.fit_weight
        return w * st.fit + (1 - w) * st.engagement

    def grade(self, key: Any) -> str:
        st = self._contacts[key]
        return grade_for(self.model, st.fit, st.engagement)


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
        value = _clamp(raw, rule.min, rule.max)
        rules.append(RuleResult(rule.id, rule.label, "account fit", int(bool(raw)), raw, value, raw != value))
    fit_points = sum(r.value for r in rules)
    fit = 100 * _clamp(fit_points, spec.fit.min, spec.fit.max) / spec.fit.scale
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
    total = _clamp(w * fit + (1 - w) * engagement, model.total.min, model.total.max)
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
    text = _norm(value)
    if op == "eq":
        return text == _norm(predicate.value)
    if op == "neq":
        return text != _norm(predicate.value)
    wanted = [_norm(v) for v in predicate.values]
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


def events_of(rows: Sequence[Mapping[str, Any]]) -> list[Event]:
    """Product event rows (`{"event", "timestamp", "properties"}`, as the scenarios write them) as Events."""
    return [Event(row["event"], from_iso(row["timestamp"]), row.get("properties") or {}) for row in rows]
