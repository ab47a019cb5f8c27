"""PROPERTY filter operations, compiled once into tests of one record (or one event occurrence).

A test reads the item's current value, or its history for the HAS_EVER_* / HAS_NEVER_* operators (every value the
property was ever written with, `Record.history`). An item with no value (none ever, for history operators) passes
exactly when the operation says `includeObjectsWithNoValueSet`. Strings compare case-insensitively and enumeration
values exactly, as CRM search does. A comparative operation also reads a second property of the same item (it is
among the names `compile_operation` adds to `reads`, so a write of either re-evaluates the filter).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from simulator.crm.values import parse_datetime
from simulator.lists.calendar import calendar_test, date_test
from simulator.lists.language import (
    AllPropertyOperation,
    BoolOperation,
    DatePoint,
    DateTimeOperation,
    EnumerationOperation,
    IndexedTimePoint,
    MultiStringOperation,
    NowReference,
    NumberOperation,
    PropertyReferencedTime,
    RangedDateOperation,
    RangedNumberOperation,
    RangedTimeOperation,
    RollingDateRangeOperation,
    RollingPropertyUpdatedOperation,
    StringOperation,
    TimePointOperation,
)
from simulator.lists.operation_types import (
    CalendarDateOperation,
    ComparativeDateOperation,
    ComparativePropertyUpdatedOperation,
    ComparativeStringOperation,
    DateOperation,
)
from simulator.lists.timing import TICK, Probe, date_point, from_ms, indexed_point, relative_crossing, zone

# An item is a CRM Record or an Occurrences view: `.values` (name -> str) and `.history(name)` newest first.
Test = Callable[[Probe, Any], bool]
Resolve = Callable[[Probe, Any], datetime | None]


class OccurrenceItem:
    """An event occurrence seen as an item: its properties are its values, and they have no history."""

    __slots__ = ("values", "at")

    def __init__(self, properties: dict[str, str], at: datetime):
        self.values, self.at = properties, at

    def history(self, name: str) -> list[tuple[str, datetime, str]]:
        return [(self.values[name], self.at, "EVENT")] if name in self.values else []


def compile_operation(prop: str, op: Any, reads: set[str]) -> Test:
    """The test of `prop` under `op`; adds to `reads` the other properties it reads (a property-referenced time)."""
    if isinstance(op, AllPropertyOperation):
        known = op.operator in ("IS_KNOWN", "IS_NOT_BLANK")
        return lambda probe, item: (item.values.get(prop) is not None) == known
    if isinstance(op, RollingPropertyUpdatedOperation):
        return _rolling_updated(prop, op)
    if isinstance(op, ComparativePropertyUpdatedOperation):
        reads.add(op.comparison_property_name)
        return _comparative_updated(prop, op)
    if op.operator.startswith(("HAS_EVER_", "HAS_NEVER_")):
        return _history_test(prop, op)
    value_test = _value_test(prop, op, reads)
    include = op.include_objects_with_no_value_set

    def test(probe: Probe, item: Any) -> bool:
        value = item.values.get(prop)
        return include if value is None else value_test(probe, value, item)

    return test


def _history_test(prop: str, op: Any) -> Test:
    """HAS_EVER_x passes if some value the property ever had passes x; HAS_NEVER_x if none did."""
    plain = op.operator.replace("HAS_EVER_BEEN_", "IS_").replace("HAS_NEVER_BEEN_", "IS_")
    plain = plain.replace("HAS_EVER_CONTAINED", "CONTAINS").replace("HAS_NEVER_CONTAINED", "CONTAINS")
    value_test = _value_test(prop, op.model_copy(update={"operator": plain}), set())
    ever = op.operator.startswith("HAS_EVER_")
    include = op.include_objects_with_no_value_set

    def test(probe: Probe, item: Any) -> bool:
        values = [value for value, _, _ in item.history(prop) if value != ""]
        if not values:
            return include
        return any(value_test(probe, v, item) for v in values) == ever

    return test


def _value_test(prop: str, op: Any, reads: set[str]) -> Callable[[Probe, str, Any], bool]:
    if isinstance(op, StringOperation):
        return _text(op.operator, [op.value.lower()])
    if isinstance(op, MultiStringOperation):
        return _text(op.operator, [v.lower() for v in op.values])
    if isinstance(op, NumberOperation | RangedNumberOperation):
        return _number(op)
    if isinstance(op, BoolOperation):
        wanted = "true" if op.value else "false"
        equal = op.operator == "IS_EQUAL_TO"
        return lambda probe, value, item: (value.lower() == wanted) == equal
    if isinstance(op, EnumerationOperation):
        return _enumeration(op.operator, frozenset(op.values))
    if isinstance(op, DateTimeOperation | RangedDateOperation):
        return _absolute_time(op)
    if isinstance(op, RollingDateRangeOperation):
        return _rolling_date(op)
    if isinstance(op, TimePointOperation | RangedTimeOperation):
        return _time_point_test(prop, op, reads)
    if isinstance(op, ComparativeDateOperation | ComparativeStringOperation):
        reads.add(op.comparison_property_name)
        return _comparative(op)
    if isinstance(op, CalendarDateOperation):
        return calendar_test(op)
    if isinstance(op, DateOperation):
        return date_test(op)
    raise TypeError(f"no test for {type(op).__name__}")  # the language admits nothing else


_TEXT_MATCH: dict[str, Callable[[str, str], bool]] = {
    "IS_EQUAL_TO": lambda v, w: v == w, "IS_NOT_EQUAL_TO": lambda v, w: v == w,
    "CONTAINS": lambda v, w: w in v, "DOES_NOT_CONTAIN": lambda v, w: w in v,
    "CONTAINS_EXACTLY": lambda v, w: w in v, "DOES_NOT_CONTAIN_EXACTLY": lambda v, w: w in v,
    "STARTS_WITH": lambda v, w: v.startswith(w), "ENDS_WITH": lambda v, w: v.endswith(w),
}  # fmt: skip
_TEXT_NEGATIVE = ("IS_NOT_EQUAL_TO", "DOES_NOT_CONTAIN", "DOES_NOT_CONTAIN_EXACTLY")  # pass when nothing matches


def _text(operator: str, wanted: list[str]) -> Callable[[Probe, str, Any], bool]:
    """STRING (one value) and MULTISTRING (any of several); the negative operators pass when none match."""
    match, negative = _TEXT_MATCH[operator], operator in _TEXT_NEGATIVE
    return lambda probe, value, item: any(match(value.lower(), w) for w in wanted) != negative


def _comparative(op: ComparativeDateOperation | ComparativeStringOperation) -> Callable[[Probe, str, Any], bool]:
    """The value against the comparison property's (or, when that has none, `defaultComparisonValue`); with neither,
    the filter fails. Strings compare case-insensitively, dates as instants."""
    other, default = op.comparison_property_name, op.default_comparison_value
    if isinstance(op, ComparativeStringOperation):
        match, negative = _TEXT_MATCH[op.operator], op.operator in _TEXT_NEGATIVE

        def text(probe: Probe, value: str, item: Any) -> bool:
            against = item.values.get(other, default)
            return against is not None and match(value.lower(), against.lower()) != negative

        return text
    before = op.operator == "IS_BEFORE"

    def moment(probe: Probe, value: str, item: Any) -> bool:
        against = item.values.get(other, default)
        mine, theirs = parse_datetime(value), parse_datetime(against) if against is not None else None
        if mine is None or theirs is None:
            return False
        return mine < theirs if before else mine > theirs

    return moment


def _comparative_updated(prop: str, op: ComparativePropertyUpdatedOperation) -> Test:
    """When the property was last written, before or after the comparison property was (or the default time)."""
    other, before = op.comparison_property_name, op.operator == "IS_BEFORE"
    default = parse_datetime(op.default_comparison_value) if op.default_comparison_value is not None else None
    include = op.include_objects_with_no_value_set

    def test(probe: Probe, item: Any) -> bool:
        mine = _last_written(item, prop)
        if mine is None:
            return include
        theirs = _last_written(item, other) or default
        if theirs is None:
            return False
        return mine < theirs if before else mine > theirs

    return test


def _as_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _number(op: NumberOperation | RangedNumberOperation) -> Callable[[Probe, str, Any], bool]:
    if isinstance(op, RangedNumberOperation):
        low, high, inside = float(op.lower_bound), float(op.upper_bound), op.operator == "IS_BETWEEN"

        def ranged(probe: Probe, value: str, item: Any) -> bool:
            number = _as_float(value)
            return number is not None and (low <= number <= high) == inside

        return ranged
    target = float(op.value)
    compare = {
        "IS_EQUAL_TO": lambda n: n == target, "IS_NOT_EQUAL_TO": lambda n: n != target,
        "IS_GREATER_THAN": lambda n: n > target, "IS_GREATER_THAN_OR_EQUAL_TO": lambda n: n >= target,
        "IS_LESS_THAN": lambda n: n < target, "IS_LESS_THAN_OR_EQUAL_TO": lambda n: n <= target,
    }[op.operator]  # fmt: skip

    def single(probe: Probe, value: str, item: Any) -> bool:
        number = _as_float(value)
        return number is not None and compare(number)

    return single


def _enumeration(operator: str, wanted: frozenset[str]) -> Callable[[Probe, str, Any], bool]:
    """A value is a set of options (multiple checkboxes join them with ';')."""
    compare = {
        "IS_ANY_OF": lambda chosen: bool(chosen & wanted), "IS_NONE_OF": lambda chosen: not chosen & wanted,
        "IS_EXACTLY": lambda chosen: chosen == wanted, "IS_NOT_EXACTLY": lambda chosen: chosen != wanted,
        "CONTAINS_ALL": lambda chosen: wanted <= chosen, "DOES_NOT_CONTAIN_ALL": lambda chosen: not wanted <= chosen,
    }[operator]  # fmt: skip
    return lambda probe, value, item: compare(frozenset(value.split(";")) if ";" in value else frozenset((value,)))


def _absolute_time(op: DateTimeOperation | RangedDateOperation) -> Callable[[Probe, str, Any], bool]:
    if isinstance(op, RangedDateOperation):
        low, high, inside = from_ms(op.lower_bound), from_ms(op.upper_bound), op.operator == "IS_BETWEEN"

        def ranged(probe: Probe, value: str, item: Any) -> bool:
            moment = parse_datetime(value)
            return moment is not None and (low <= moment <= high) == inside

        return ranged
    point = from_ms(op.timestamp)
    compare = {
        "IS_BEFORE": lambda m: m < point, "IS_AFTER": lambda m: m > point,
        "IS_EQUAL_TO": lambda m: m.date() == point.date(),  # a date picker names a day
    }[op.operator]  # fmt: skip

    def single(probe: Probe, value: str, item: Any) -> bool:
        moment = parse_datetime(value)
        return moment is not None and compare(moment)

    return single


def _rolling_date(op: RollingDateRangeOperation) -> Callable[[Probe, str, Any], bool]:
    """X days ago / from now, relative to the probe's now; tells the probe when the value crosses a bound."""
    span = timedelta(days=op.number_of_days)
    operator = op.operator

    def test(probe: Probe, value: str, item: Any) -> bool:
        moment = parse_datetime(value)
        if moment is None:
            return False
        now = probe.now
        if operator == "IS_LESS_THAN_X_DAYS_AGO":  # now - X <= moment <= now
            probe.until(moment)
            probe.until(moment + span + TICK)
            return now - span <= moment <= now
        if operator == "IS_MORE_THAN_X_DAYS_AGO":
            probe.until(moment + span + TICK)
            return moment < now - span
        if operator == "IS_LESS_THAN_X_DAYS_FROM_NOW":  # now <= moment <= now + X
            probe.until(moment - span)
            probe.until(moment + TICK)
            return now <= moment <= now + span
        probe.until(moment - span)
        return moment > now + span

    return test


def _last_written(item: Any, prop: str) -> datetime | None:
    history = item.history(prop)
    return history[0][1] if history else None


def _rolling_updated(prop: str, op: RollingPropertyUpdatedOperation) -> Test:
    span, updated = timedelta(days=op.number_of_days), op.operator == "UPDATED_IN_LAST_X_DAYS"
    include = op.include_objects_with_no_value_set

    def test(probe: Probe, item: Any) -> bool:
        at = _last_written(item, prop)
        if at is None:
            return include
        probe.until(at)
        probe.until(at + span + TICK)
        return (probe.now - span <= at <= probe.now) == updated

    return test


def _time_point_test(prop: str, op: TimePointOperation | RangedTimeOperation, reads: set[str]):
    """TIME_POINT (before / after a point) and TIME_RANGED (between two) on the value or on when it was updated."""
    by_update = op.property_parser == "UPDATED_AT"
    if isinstance(op, TimePointOperation):
        point, inclusive = resolver(op.time_point, reads), op.endpoint_behavior == "INCLUSIVE"
        before = op.operator == "IS_BEFORE"

        def single(probe: Probe, value: str, item: Any) -> bool:
            moment = _last_written(item, prop) if by_update else parse_datetime(value)
            at = point(probe, item)
            if moment is None or at is None:
                return False
            _tell_crossing(op.time_point, probe, at, moment, inclusive)
            if moment == at:
                return inclusive
            return (moment < at) == before

        return single
    low, high = resolver(op.lower_bound_time_point, reads), resolver(op.upper_bound_time_point, reads)
    low_inclusive = op.lower_bound_endpoint_behavior != "EXCLUSIVE"
    high_inclusive = op.upper_bound_endpoint_behavior != "EXCLUSIVE"
    inside = op.operator == "IS_BETWEEN"

    def ranged(probe: Probe, value: str, item: Any) -> bool:
        moment = _last_written(item, prop) if by_update else parse_datetime(value)
        start, end = low(probe, item), high(probe, item)
        if moment is None or start is None or end is None:
            return False
        _tell_crossing(op.lower_bound_time_point, probe, start, moment, low_inclusive)
        _tell_crossing(op.upper_bound_time_point, probe, end, moment, high_inclusive)
        return within(moment, start, end, low_inclusive, high_inclusive) == inside

    return ranged


def within(moment: datetime, start: datetime, end: datetime, low_inclusive: bool = True,
           high_inclusive: bool = True) -> bool:  # fmt: skip
    above = moment >= start if low_inclusive else moment > start
    below = moment <= end if high_inclusive else moment < end
    return above and below


def _tell_crossing(point: Any, probe: Probe, at: datetime, moment: datetime, inclusive: bool) -> None:
    """A NOW-relative point moves with the clock: tell the probe when it passes `moment` (and a tick after)."""
    if isinstance(point, IndexedTimePoint) and isinstance(point.index_reference, NowReference):
        crossing = relative_crossing(at, probe.now, moment)
        probe.until(crossing)
        probe.until(crossing + TICK)


def resolver(point: Any, reads: set[str]) -> Resolve:
    """The instant a time point names, for one probe and item (a PROPERTY_REFERENCED point reads the item)."""
    if isinstance(point, DatePoint):
        fixed = date_point(point)
        return lambda probe, item: fixed
    if isinstance(point, IndexedTimePoint):
        zone(point.zone_id)  # a bad zone is refused when the filter is compiled, not when it first runs
        return lambda probe, item: indexed_point(point, probe)
    assert isinstance(point, PropertyReferencedTime)
    name = point.property
    reads.add(name)
    if point.reference_type == "UPDATED_AT":
        return lambda probe, item: _last_written(item, name)

    def referenced(probe: Probe, item: Any) -> datetime | None:
        raw = item.values.get(name)
        return parse_datetime(raw) if raw is not None else None

    return referenced
