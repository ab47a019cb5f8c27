"""Scoring: `score(profile, events, now)` (pure, explained) and `Scorer`, the incremental scorer the sync runs.

Evaluation order (the one HubSpot's "Test a record" shows; reference notes §A3):
1. rule raw = sum over its occurrences of points x decay(age), decay per occurrence, before any cap;
2. rule value = clamp(raw, rule.min, rule.max);  3. group = clamp(sum of its rules, group.min, group.max);
4. fit / engagement = clamp(sum of their groups, dimension bounds), normalised to 100 x points / scale;
5. total = clamp(w x fit + (1 - w) x engagement, total bounds); the stage (with hysteresis) and the A1-C3 grade.

`Scorer` keeps, per contact, the occurrence times of each event rule that can still change its points (`_keep`:
the memory follows a contact's recent activity, not its history's length) and each rule's current value. An event
re-evaluates only the rules it feeds, unless the contact's values were due to change by then (a decay step or a
window edge passed: `next_change`), in which case every rule of that contact is re-evaluated. So a score after
`observe` or `sweep(now)` equals `score(profile, events, now)` for step decay and windows. Linear and half-life
decay change continuously: their contacts are re-evaluated on every event and sweep.

Times inside are float seconds since the epoch (the hot path does no datetime arithmetic).
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, NamedTuple

from scoring.model import Group, Rule, ScoreModel
from scoring.scores import GroupResult, RuleResult, Score, clamp, grade_for, matches, norm, stage_for

DAY = 86_400.0
NEVER = math.inf
TRIM_SLACK = 4  # occurrences let pile up past what a rule needs before trimming: not on every event


class Event(NamedTuple):
    name: str
    at: datetime
    properties: Mapping[str, Any] = {}


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
                where = tuple((k, frozenset(norm(x) for x in (v if isinstance(v, tuple) else (v,))))
                              for k, v in rule.event.where.items())
                self.by_event.setdefault(rule.event.name, []).append((i, where))
        self.fit_rules = [i for i, r in enumerate(self.rules) if r.when is not None]
        self.timed_rules = [i for i, r in enumerate(self.rules) if r.when is None]
        self.inactivity_rules = [i for i, r in enumerate(self.rules) if r.inactive_days is not None]
        self.specs = [_Spec(r, self.groups[self.group_of[i]]) for i, r in enumerate(self.rules)]
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
        self.hysteresis = model.hysteresis
        self.continuous = any(d is not None and d.curve != "step" for d in self.decay)


class _Spec:
    """One rule, flattened for the hot path (attribute reads on plain slots, decay as numbers)."""

    __slots__ = ("points", "min", "max", "once", "need", "window", "idle", "curve", "period", "rate", "cap_first",
                 "keep", "trim_at")

    def __init__(self, rule: Rule, group: Group):
        self.points, self.min, self.max = rule.points, rule.min, rule.max
        self.once = rule.count == "once"
        self.need = rule.event.min_count if rule.event else 1
        self.window = _window_seconds(rule, group)
        self.idle = rule.inactive_days * DAY if rule.inactive_days is not None else None
        decay = group.decay
        self.curve = decay.curve if decay else None
        self.period = decay.every_days * DAY if decay else NEVER
        self.rate = decay.percent / 100 if decay else 0.0
        self.cap_first = group.cap_before_decay
        self.keep = _keep(self)
        self.trim_at = self.keep + TRIM_SLACK


def _keep(spec: _Spec) -> int:
    """How many of a rule's newest occurrences (up to now) can still change its points; 0: all of them. What the
    scorer holds per contact then follows the contact's activity, not the length of its history.

    - `once` without a window: the newest `min_count` (the count is reached for good; decay runs from the newest).
    - per occurrence, clamped by the rule, step decay or none: K = ceil(clamp / (points x smallest non-zero
      factor)). While the newest K all still count, they reach the clamp alone; once one of them has decayed to
      nothing or left the window, so has every older one.
    Windowed `once` rules and continuous decay keep everything: the window and the decay to zero prune them."""
    if spec.once:
        return spec.need if spec.window == NEVER else 0
    bound = spec.max if spec.points > 0 else spec.min
    if spec.cap_first or bound is None or spec.curve not in (None, "step") or bound * spec.points <= 0:
        return 0
    smallest = 1.0
    if spec.curve == "step":
        steps = math.ceil(1 / spec.rate) - 1 if spec.rate > 0 else 0
        while steps and 1 - spec.rate * steps <= 1e-12:
            steps -= 1
        smallest = 1 - spec.rate * steps
    return max(1, math.ceil(bound / (spec.points * smallest) - 1e-9))


def _event_rule(spec: _Spec, times: list[float], now: float) -> tuple[float, float, int, float]:
    """(raw points after decay, when the raw next changes, occurrences counted, undecayed points)."""
    window = spec.window
    if window != NEVER and times[0] < now - window:
        del times[:bisect_left(times, now - window)]  # now only moves forward: gone for good
    end = len(times)
    while end and times[end - 1] > now:  # events stamped after `now` (a clock behind the data) wait
        end -= 1
    if not end:
        return 0.0, NEVER, 0, 0.0
    curve = spec.curve
    if spec.once:
        need = spec.need
        if end < need:
            return 0.0, NEVER, end, 0.0
        factor, step = _decay(curve, spec.period, spec.rate, now - times[end - 1]) if curve else (1.0, NEVER)
        expiry = times[end - need] + window - now  # the count drops below min_count
        return spec.points * factor, now + (step if step < expiry else expiry), end, spec.points
    points, high, low = spec.points, spec.max, spec.min
    capped = not spec.cap_first
    total = undecayed = 0.0
    soonest = NEVER
    for k in range(end - 1, -1, -1):
        if curve:
            factor, step = _decay(curve, spec.period, spec.rate, now - times[k])
            if factor == 0.0:
                del times[:k + 1]  # decayed to nothing for good (step and linear curves stay at 0)
                break
            if step < soonest:
                soonest = step
        else:
            factor = 1.0
        total += points * factor
        undecayed += points
        if window != NEVER and times[k] + window - now < soonest:
            soonest = times[k] + window - now
        # Newest first: once the partial sum is past the rule's cap, older occurrences cannot change the value
        # until one of these newer ones decays (tracked by `soonest`).
        if capped and ((high is not None and points > 0 and total >= high)
                       or (low is not None and points < 0 and total <= low)):
            break
    return total, now + soonest, end, undecayed


def _window_seconds(rule: Rule, group: Group) -> float:
    days = [d for d in ((rule.event.within_days if rule.event else None), group.window_days) if d is not None]
    return min(days) * DAY if days else NEVER


def _decay(curve: str, period: float, p: float, age: float) -> tuple[float, float]:
    """(factor, seconds until the factor next changes) for an occurrence `age` seconds old."""
    if curve == "step":
        steps = age // period
        factor = 1 - p * steps
        return (factor, (steps + 1) * period - age) if factor > 1e-12 else (0.0, NEVER)
    if curve == "linear":
        factor = 1 - p * age / period
        return (factor, 0.0) if factor > 0 else (0.0, NEVER)
    return 0.5 ** (age / period), 0.0


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
    dropped: dict[int, int] | None = None  # per `once` rule, the occurrences counted but no longer held
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
            st.values[i] = clamp(raw, rule.min, rule.max)
        self._combine(st, self._c.fit_groups)

    def observe(self, key: Any, name: str, at: float, properties: Mapping[str, Any] = {}) -> ContactState:
        """Record one event at `at` (epoch seconds) and update that contact's score."""
        st = self._contacts.get(key) or self.state(key)
        c = self._c
        touched = []
        for i, where in c.by_event.get(name, ()):
            if where and not all(norm(properties.get(k)) in allowed for k, allowed in where):
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
        answers the keys whose score changed in any way (a rule's points, hence maybe only the reasons)."""
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
            stage = st.stage
            if self._evaluate(st, c.timed_rules, now, full=True):
                self._combine(st, c.timed_groups)
                changed.append(key)
            elif st.stage != stage:
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
        specs = self._c.specs
        soonest = NEVER if full else st.next_change
        changed = False
        values, raws, counts, fulls, all_times = st.values, st.raws, st.counts, st.full, st.times
        for i in indexes:
            spec = specs[i]
            if spec.idle is not None:
                if st.last_seen == -NEVER:
                    raw, change, n = 0.0, NEVER, 0
                elif now - st.last_seen >= spec.idle:
                    raw, change, n = spec.points, NEVER, 1
                else:
                    raw, change, n = 0.0, st.last_seen + spec.idle, 0
                full_points = raw
            else:
                times = all_times[i]
                if not times:
                    if values[i] != 0.0:
                        values[i] = 0.0
                        changed = True
                    raws[i] = fulls[i] = 0.0
                    counts[i] = 0
                    continue
                keep = spec.keep
                if keep and len(times) > spec.trim_at:
                    end = bisect_right(times, now)
                    if end > keep:
                        del times[:end - keep]
                        if spec.once:  # they all still count towards min_count: remembered as a number
                            dropped = st.dropped = st.dropped or {}
                            dropped[i] = dropped.get(i, 0) + end - keep
                raw, change, n, full_points = _event_rule(spec, times, now)
                if st.dropped:
                    n += st.dropped.get(i, 0)
            raws[i], counts[i], fulls[i] = raw, n, full_points
            if spec.cap_first:
                value = clamp(full_points, spec.min, spec.max) * (raw / full_points) if full_points else 0.0
            elif spec.max is not None and raw > spec.max:
                value = spec.max
            elif spec.min is not None and raw < spec.min:
                value = spec.min
            else:
                value = raw
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
                    undecayed += clamp(st.full[i], rule.min, rule.max)
                # The cap applies to the undecayed points; decay then takes its share of what the cap left.
                group_values[g] = clamp(undecayed, low, high) * (raw / undecayed) if undecayed else 0.0
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
        st.fit = 100 * clamp(fit, f.min, f.max) / f.scale
        st.engagement = 100 * clamp(engagement, e.min, e.max) / e.scale
        total = clamp(self._combined(st), c.total_min, c.total_max)
        st.total = total
        stage = st.stage
        mins = c.stage_mins
        if not (total >= mins[stage] and (stage + 1 == len(mins) or total < mins[stage + 1])):
            up = 0
            for k, low in enumerate(mins):
                if total >= low:
                    up = k
            while stage > up and total < mins[stage] - c.hysteresis:  # leave only below min - hysteresis
                stage -= 1
            st.stage = up if up > stage else stage

    def _combined(self, st: ContactState) -> float:
        w = self._c.fit_weight
        return w * st.fit + (1 - w) * st.engagement
