"""Fault injection: rules that make matching requests fail the ways production does.

A rule matches a method and a path glob, fires `times` times or with a seeded `probability`, and applies one action:
an HTTP status (HubSpot-shaped body), a delay, a hang, a connection reset or a truncated JSON body. By default the
faulted request changes nothing; `afterApply` runs the write first and then fails, the case that makes naive retries
duplicate data.
"""

from __future__ import annotations

import fnmatch
import itertools
import random
import threading
from typing import Any, Literal

from pydantic import Field, model_validator

from simulator.errors import ObjectNotFound, ValidationError
from simulator.wire import WireModel

MAX_RULES = 100  # per portal: rules are for tests, not configuration
MAX_DELAY_MS = 120_000
DEFAULT_HANG_MS = 30_000  # a hang ends after this long unless the rule says otherwise; clients time out before
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


class FaultMatch(WireModel):
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE", "*"] = "*"
    path: str = Field(default="*", min_length=1, max_length=500)

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method) and fnmatch.fnmatchcase(path.rstrip("/") or "/", self.path.rstrip("/"))


class FaultAction(WireModel):
    status: int | None = Field(default=None, ge=400, le=599)
    delay_ms: int | None = Field(default=None, ge=0, le=MAX_DELAY_MS)
    hang: bool = False
    hang_ms: int = Field(default=DEFAULT_HANG_MS, ge=0, le=MAX_DELAY_MS)
    reset: bool = False
    malformed: bool = False
    after_apply: bool = False

    @model_validator(mode="after")
    def _one_action(self) -> FaultAction:
        chosen = [self.status is not None, self.delay_ms is not None, self.hang, self.reset, self.malformed]
        if sum(chosen) != 1:
            raise ValueError("an action is exactly one of status, delayMs, hang, reset or malformed")
        if self.after_apply and self.delay_ms is not None:
            raise ValueError("afterApply goes with status, hang, reset or malformed; a delay always applies")
        return self

    @property
    def kind(self) -> str:
        if self.status is not None:
            return "status"
        if self.delay_ms is not None:
            return "delay"
        return "hang" if self.hang else "reset" if self.reset else "malformed"


class FaultRuleInput(WireModel):
    match: FaultMatch = Field(default_factory=FaultMatch)
    action: FaultAction
    times: int | None = Field(default=None, ge=1)
    probability: float | None = Field(default=None, ge=0, le=1)
    seed: int | None = None

    @model_validator(mode="after")
    def _times_or_probability(self) -> FaultRuleInput:
        if self.times is not None and self.probability is not None:
            raise ValueError("give times or probability, not both")
        return self


class FaultRule:
    def __init__(self, rule_id: str, spec: FaultRuleInput):
        self.id = rule_id
        self.spec = spec
        self.fired = 0
        self._random = random.Random(spec.seed)  # per rule: a seed replays the same sequence of decisions

    def fires(self, method: str, path: str) -> bool:
        spec = self.spec
        if not spec.match.matches(method, path):
            return False
        if spec.times is not None and self.fired >= spec.times:
            return False
        if spec.probability is not None and self._random.random() >= spec.probability:
            return False
        self.fired += 1
        return True

    def dump(self) -> dict[str, Any]:
        return {"id": self.id, **self.spec.dump(), "fired": self.fired}


class Fault:
    """A fault chosen for one request: the rule that fired and what it does."""

    def __init__(self, rule: FaultRule):
        self.rule_id = rule.id
        self.action = rule.spec.action

    def describe(self) -> dict[str, Any]:
        return {"ruleId": self.rule_id, "kind": self.action.kind, **self.action.dump()}


class FaultStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: dict[str, FaultRule] = {}
        self._ids = itertools.count(1)

    def add(self, spec: FaultRuleInput) -> FaultRule:
        with self._lock:
            if len(self._rules) >= MAX_RULES:
                raise ValidationError(f"A portal holds at most {MAX_RULES} fault rules; delete some first")
            rule = FaultRule(str(next(self._ids)), spec)
            self._rules[rule.id] = rule
            return rule

    def rules(self) -> list[FaultRule]:
        return list(self._rules.values())

    def remove(self, rule_id: str) -> None:
        with self._lock:
            if self._rules.pop(rule_id, None) is None:
                raise ObjectNotFound(f"No fault rule with id {rule_id}", context={"id": [rule_id]})

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def pick(self, method: str, path: str) -> Fault | None:
        """The first rule, in the order added, that fires for this request."""
        if not self._rules:
            return None
        with self._lock:
            for rule in self._rules.values():
                if rule.fires(method, path):
                    return Fault(rule)
        return None
