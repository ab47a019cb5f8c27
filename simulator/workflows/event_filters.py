"""EVENT_BASED triggers: a UNIFIED_EVENTS branch names the event type and filters on the occurrence's own properties
("page URL contains /pricing"). These filters read one occurrence, not a record, so they are checked here; filters
on the enrolled record (refinementCriteria) are the lists store's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from simulator.workflows.values import FieldProblem

Test = Callable[[str | None], bool]


@dataclass(frozen=True)
class EventTrigger:
    event_type_id: str
    tests: tuple[tuple[str, Test], ...]  # (property name, test of its value)

    def matches(self, properties: Mapping[str, str]) -> bool:
        return all(test(properties.get(name)) for name, test in self.tests)


def compile_trigger(branch: Any, where: str) -> EventTrigger:
    if not isinstance(branch, dict) or branch.get("filterBranchType") != "UNIFIED_EVENTS":
        raise FieldProblem(f"{where} must be a UNIFIED_EVENTS filter branch")
    event_type_id = branch.get("eventTypeId")
    if not isinstance(event_type_id, str) or not event_type_id:
        raise FieldProblem(f"{where}.eventTypeId is required")
    if branch.get("operator", "HAS_COMPLETED") != "HAS_COMPLETED":
        raise FieldProblem(f"{where}.operator must be HAS_COMPLETED (a trigger fires on an occurrence)")
    tests = []
    for i, raw in enumerate(branch.get("filters") or []):
        at = f"{where}.filters[{i}]"
        if not isinstance(raw, dict) or raw.get("filterType") != "PROPERTY" or not isinstance(raw.get("property"), str):
            raise FieldProblem(f"{at} must be a PROPERTY filter on an event property")
        tests.append((raw["property"], _operation(raw.get("operation"), at)))
    if branch.get("filterBranches"):
        raise FieldProblem(f"{where}.filterBranches must be empty (hubsim reads event property filters only)")
    return EventTrigger(event_type_id, tuple(tests))


def _operation(operation: Any, where: str) -> Test:
    if not isinstance(operation, dict):
        raise FieldProblem(f"{where}.operation is required")
    kind = str(operation.get("operationType", "")).upper()
    operator = operation.get("operator")
    blank_ok = bool(operation.get("includeObjectsWithNoValueSet", False))
    test = _STRING.get(operator) if kind == "STRING" else None
    if kind == "STRING" and test is not None:
        expected = str(operation.get("value", "")).lower()
        return _guard(lambda v: test(v.lower(), expected), blank_ok)
    if kind in ("ENUMERATION", "MULTISTRING") and operator in ("IS_ANY_OF", "IS_NONE_OF", "IS_EQUAL_TO", "CONTAINS"):
        values = {str(v).lower() for v in operation.get("values") or []}
        inside = (lambda v: v.lower() in values) if operator != "CONTAINS" else (
            lambda v: any(x in v.lower() for x in values))
        return _guard(inside if operator != "IS_NONE_OF" else (lambda v: not inside(v)), blank_ok)
    if kind == "NUMBER" and operator in _NUMBER:
        expected = _decimal(operation.get("value"))
        if expected is None:
            raise FieldProblem(f"{where}.operation.value must be a number")
        compare = _NUMBER[operator]
        return _guard(lambda v: (n := _decimal(v)) is not None and compare(n, expected), blank_ok)
    if kind == "BOOL" and operator in ("IS_EQUAL_TO", "IS_NOT_EQUAL_TO"):
        expected = str(operation.get("value")).lower()
        equal = operator == "IS_EQUAL_TO"
        return _guard(lambda v: (v.lower() == expected) == equal, blank_ok)
    if kind in ("ALL_PROPERTY", "ALLTYPES") and operator in ("IS_KNOWN", "IS_UNKNOWN"):
        known = operator == "IS_KNOWN"
        return lambda v: (v not in (None, "")) == known
    raise FieldProblem(f"{where}.operation {kind} {operator} is not one hubsim evaluates on event properties")


def _guard(test: Callable[[str], bool], blank_ok: bool) -> Test:
    return lambda v: blank_ok if v in (None, "") else test(v)


def _decimal(raw: Any) -> Decimal | None:
    if raw is None or isinstance(raw, bool):
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None


_STRING: dict[str, Callable[[str, str], bool]] = {
    "IS_EQUAL_TO": lambda v, e: v == e,
    "IS_NOT_EQUAL_TO": lambda v, e: v != e,
    "CONTAINS": lambda v, e: e in v,
    "DOES_NOT_CONTAIN": lambda v, e: e not in v,
    "STARTS_WITH": lambda v, e: v.startswith(e),
    "ENDS_WITH": lambda v, e: v.endswith(e),
}
_NUMBER: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "IS_EQUAL_TO": lambda v, e: v == e,
    "IS_NOT_EQUAL_TO": lambda v, e: v != e,
    "IS_GREATER_THAN": lambda v, e: v > e,
    "IS_GREATER_THAN_OR_EQUAL_TO": lambda v, e: v >= e,
    "IS_LESS_THAN": lambda v, e: v < e,
    "IS_LESS_THAN_OR_EQUAL_TO": lambda v, e: v <= e,
}
