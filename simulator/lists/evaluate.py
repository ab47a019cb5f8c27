"""A filter branch compiled into one test of a record, and what it reads (so a change re-evaluates only its readers).

HubSpot's evaluation (list filters guide, "Filter evaluation steps"): each filter PASSes or FAILs a record; for
events, the occurrences are first pruned to a time window (`pruningRefineBy`), then counted (`coalescingRefineBy`).
AND passes when everything in it passes, OR when anything does, NOT_ALL when not everything does, NOT_ANY when
nothing does. An ASSOCIATION branch passes when an associated record of its type passes its own filters.

Reads are keyed by a path: the object types walked through associations from the evaluated record (() for the
record itself), so a change of a company's property can be traced back to the contacts that read it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from simulator.crm.association_kinds import KINDS
from simulator.crm.object_types import ObjectType, UnknownObjectType, resolve
from simulator.errors import ValidationError
from simulator.lists.language import (
    AbsoluteComparative,
    AbsoluteRanged,
    AllHistory,
    AndBranch,
    AssociationBranch,
    AssociationInListFilter,
    ConstantFilter,
    InListFilter,
    NotAllBranch,
    NotAnyBranch,
    NumOccurrences,
    OrBranch,
    PropertyFilter,
    RangedTimeOperation,
    RelativeComparative,
    RelativeRanged,
    TimePointOperation,
    UnifiedEventsBranch,
    UnifiedEventsFilter,
)
from simulator.lists.operations import OccurrenceItem, compile_operation, within
from simulator.lists.timing import TICK, Probe, from_ms, relative_crossing, shift

Path = tuple[str, ...]
Check = Callable[[Probe, Any], bool]  # (probe, record) -> passes


class Sources(Protocol):
    """What evaluation reads beyond the record itself (the list store answers from the portal's stores)."""

    def record(self, type_name: str, record_id: str) -> Any | None: ...
    def linked(self, type_name: str, record_id: str, to_type: str, association_type_id: int) -> list[str]: ...
    def timeline(self, type_name: str, record_id: str, event_type_id: str) -> Sequence[Any]: ...
    def event_type_id(self, key: str) -> str | None: ...
    def is_member(self, list_id: str, record_id: str) -> bool: ...
    def known_property(self, type_name: str, name: str) -> bool: ...
    def list_type(self, list_id: str) -> str | None: ...


@dataclass
class Reads:
    properties: set[tuple[Path, str]] = field(default_factory=set)
    events: set[tuple[Path, str]] = field(default_factory=set)
    lists: set[tuple[Path, str]] = field(default_factory=set)
    hops: set[Path] = field(default_factory=set)  # association hops, by the path that ends with them


class Compiler:
    def __init__(self, sources: Sources):
        self.sources = sources
        self.reads = Reads()

    def branch(self, branch: Any, object_type: ObjectType, path: Path = ()) -> Check:
        if isinstance(branch, UnifiedEventsBranch):
            return self._events(branch.event_type_id, branch.filters, branch.filter_branches, branch.operator,
                                (branch.pruning_refine_by, branch.coalescing_refine_by), object_type, path)
        if isinstance(branch, AssociationBranch):
            return self._association(branch, object_type, path)
        checks = [self.filter(f, object_type, path) for f in branch.filters]
        checks += [self.branch(b, object_type, path) for b in branch.filter_branches]
        return _combined(branch, checks)

    def filter(self, item: Any, object_type: ObjectType, path: Path) -> Check:
        if isinstance(item, PropertyFilter):
            return self._property(item, object_type, path)
        if isinstance(item, ConstantFilter):
            accept = item.should_accept
            return lambda probe, record: accept
        if isinstance(item, InListFilter):
            return self._in_list(item, object_type, path)
        if isinstance(item, AssociationInListFilter):
            return self._associated_in_list(item, object_type, path)
        assert isinstance(item, UnifiedEventsFilter)
        lines = [PropertyFilter(filter_type="PROPERTY", property=line.property, operation=line.operation)
                 for line in item.filter_lines]  # fmt: skip
        return self._events(item.event_type_id, lines, [], "HAS_COMPLETED",
                            (item.pruning_refine_by, item.coalescing_refine_by), object_type, path)

    def _property(self, item: PropertyFilter, object_type: ObjectType, path: Path) -> Check:
        if not self.sources.known_property(object_type.name, item.property):
            raise ValidationError(f"Property {item.property} does not exist on {object_type.name}",
                                  context={"propertyName": [item.property]})  # fmt: skip
        others: set[str] = set()
        test = compile_operation(item.property, item.operation, others)
        for name in sorted(others):
            if not self.sources.known_property(object_type.name, name):
                raise ValidationError(f"Property {name} (read by the filter on {item.property}) does not exist on "
                                      f"{object_type.name}", context={"propertyName": [name]})  # fmt: skip
        for name in (item.property, *others):
            self.reads.properties.add((path, name))
        return test

    def _in_list(self, item: InListFilter, object_type: ObjectType, path: Path) -> Check:
        self._check_list(item.list_id, object_type)
        self.reads.lists.add((path, item.list_id))
        is_member, list_id, wanted = self.sources.is_member, item.list_id, item.operator == "IN_LIST"
        return lambda probe, record: is_member(list_id, record.id) == wanted

    def _check_list(self, list_id: str, object_type: ObjectType) -> None:
        list_type = self.sources.list_type(list_id)
        if list_type is None:
            raise ValidationError(f"List {list_id} does not exist", context={"listId": [list_id]})
        if list_type != object_type.object_type_id:
            raise ValidationError(f"List {list_id} holds objects of type {list_type}, not {object_type.object_type_id}")

    def _hop(self, object_type: ObjectType, to_type_id: str | None, association_type_id: int) -> ObjectType:
        kind = KINDS.get(association_type_id)
        if kind is None or kind.from_type != object_type.name:
            raise ValidationError(
                f"associationTypeId {association_type_id} is not an association type from {object_type.name}"
            )
        to_type = resolve(kind.to_type)
        if to_type_id is not None and _type_of(to_type_id) is not to_type:
            raise ValidationError(f"associationTypeId {association_type_id} does not lead to objectTypeId {to_type_id}")
        return to_type

    def _association(self, branch: AssociationBranch, object_type: ObjectType, path: Path) -> Check:
        to_type = self._hop(object_type, branch.object_type_id, branch.association_type_id)
        inner_path = (*path, to_type.name)
        self.reads.hops.add(inner_path)
        inner = self.branch(AndBranch(filter_branch_type="AND", filters=branch.filters,
                                      filter_branches=branch.filter_branches), to_type, inner_path)  # fmt: skip
        sources, type_name, to_name = self.sources, object_type.name, to_type.name
        type_id, wanted = branch.association_type_id, branch.operator == "IN_LIST"

        def check(probe: Probe, record: Any) -> bool:
            for linked_id in sources.linked(type_name, record.id, to_name, type_id):
                linked = sources.record(to_name, linked_id)
                if linked is not None and inner(probe, linked):
                    return wanted
            return not wanted

        return check

    def _associated_in_list(self, item: AssociationInListFilter, object_type: ObjectType, path: Path) -> Check:
        to_type = self._hop(object_type, item.to_object_type_id, item.association_type_id)
        self._check_list(item.list_id, to_type)
        self.reads.hops.add((*path, to_type.name))
        self.reads.lists.add(((*path, to_type.name), item.list_id))
        counting = item.coalescing_refine_by or NumOccurrences(type="NUM_OCCURRENCES", min_occurrences=1)
        sources, type_name, to_name, list_id = self.sources, object_type.name, to_type.name, item.list_id
        type_id, wanted = item.association_type_id, item.operator == "IN_LIST"

        def check(probe: Probe, record: Any) -> bool:
            linked = sources.linked(type_name, record.id, to_name, type_id)
            count = sum(1 for linked_id in linked if sources.is_member(list_id, linked_id))
            return _counted(count, counting) == wanted

        return check

    def _events(self, event_type_id: str, filters: list[Any], branches: list[Any], operator: str,
                refine_bys: tuple[Any, Any], object_type: ObjectType, path: Path) -> Check:  # fmt: skip
        matches = _occurrence_test(AndBranch(filter_branch_type="AND", filters=filters, filter_branches=branches))
        canonical = self.sources.event_type_id(event_type_id)
        if canonical is None:
            raise ValidationError(f"Event type {event_type_id} does not exist", context={"eventTypeId": [event_type_id]})
        event_type_id = canonical
        self.reads.events.add((path, event_type_id))
        windows = [window(r, set()) for r in refine_bys if r is not None and not isinstance(r, NumOccurrences)]
        counting = next((r for r in refine_bys if isinstance(r, NumOccurrences)), None)
        counting = counting or NumOccurrences(type="NUM_OCCURRENCES", min_occurrences=1)
        timeline, type_name, completed = self.sources.timeline, object_type.name, operator == "HAS_COMPLETED"

        def check(probe: Probe, record: Any) -> bool:
            count = 0
            for occurrence in timeline(type_name, record.id, event_type_id):
                at = occurrence.occurred_at
                if not all(inside(probe, at) for inside in windows):
                    continue
                if matches(probe, OccurrenceItem(occurrence.properties, at)):
                    count += 1
            return _counted(count, counting) == completed

        return check


def _combined(branch: Any, checks: list[Check]) -> Check:
    """AND passes when every check does, OR when any does, NOT_ALL when not every one does, NOT_ANY when none does."""
    if isinstance(branch, OrBranch):
        return lambda probe, item: any(check(probe, item) for check in checks)
    if isinstance(branch, NotAllBranch):
        return lambda probe, item: not all(check(probe, item) for check in checks)
    if isinstance(branch, NotAnyBranch):
        return lambda probe, item: not any(check(probe, item) for check in checks)
    assert isinstance(branch, AndBranch)
    return lambda probe, item: all(check(probe, item) for check in checks)


def _occurrence_test(branch: Any) -> Check:
    """Whether one occurrence's properties pass a UNIFIED_EVENTS branch's own filters and nested AND / OR / NOT_ALL /
    NOT_ANY branches of event PROPERTY filters (an occurrence counts only when they do)."""
    if not isinstance(branch, AndBranch | OrBranch | NotAllBranch | NotAnyBranch):
        raise ValidationError(f"{branch.filter_branch_type} branches cannot be nested in a UNIFIED_EVENTS branch; "
                              "it takes AND, OR, NOT_ALL and NOT_ANY branches of event PROPERTY filters")  # fmt: skip
    if not all(isinstance(f, PropertyFilter) for f in branch.filters):
        raise ValidationError("The filters of a UNIFIED_EVENTS branch must be PROPERTY filters on the event")
    checks = [compile_operation(f.property, f.operation, set()) for f in branch.filters]
    checks += [_occurrence_test(child) for child in branch.filter_branches]
    return _combined(branch, checks)


def _type_of(object_type_id: str) -> ObjectType:
    try:
        return resolve(object_type_id)
    except UnknownObjectType:
        raise ValidationError(f"Unknown objectTypeId {object_type_id} in a list filter") from None


def _counted(count: int, counting: NumOccurrences) -> bool:
    low = counting.min_occurrences if counting.min_occurrences is not None else 1
    high = counting.max_occurrences
    return count >= low and (high is None or count <= high)


def window(refine_by: Any, reads: set[str]) -> Callable[[Probe, datetime], bool]:
    """Whether an occurrence at `at` is inside a pruning window; windows include their bounds."""
    if isinstance(refine_by, AllHistory):
        return lambda probe, at: True
    if isinstance(refine_by, AbsoluteComparative):
        point, before = from_ms(refine_by.timestamp), refine_by.comparison == "BEFORE"
        return lambda probe, at: (at < point) if before else (at > point)
    if isinstance(refine_by, AbsoluteRanged):
        low, high = from_ms(refine_by.lower_timestamp), from_ms(refine_by.upper_timestamp)
        between = refine_by.range_type == "BETWEEN"
        return lambda probe, at: within(at, low, high) == between
    if isinstance(refine_by, RelativeComparative):
        offset, before = refine_by.time_offset, refine_by.comparison == "BEFORE"

        def comparative(probe: Probe, at: datetime) -> bool:
            bound = shift(probe.now, offset)
            crossing = relative_crossing(bound, probe.now, at)
            probe.until(crossing)
            probe.until(crossing + TICK)
            return (at < bound) if before else (at > bound)

        return comparative
    if isinstance(refine_by, RelativeRanged):
        lower, upper, between = refine_by.lower_bound_offset, refine_by.upper_bound_offset, refine_by.range_type

        def ranged(probe: Probe, at: datetime) -> bool:
            low, high = shift(probe.now, lower), shift(probe.now, upper)
            probe.until(relative_crossing(high, probe.now, at))  # enters when the upper bound reaches it
            probe.until(relative_crossing(low, probe.now, at) + TICK)  # leaves a tick after the lower bound passes
            return within(at, low, high) == (between == "BETWEEN")

        return ranged
    assert isinstance(refine_by, TimePointOperation | RangedTimeOperation)
    test = compile_operation("at", refine_by, reads)
    return lambda probe, at: test(probe, OccurrenceItem({"at": at.isoformat()}, at))
