"""Event occurrences, kept per record and per event type in time order, so list filters and scoring read a record's
timeline without scanning the portal.

Every list is sorted on (occurredAt, arrival): an occurrence sent late with an older `occurredAt` is inserted where
it belongs (bisect), and occurrences at the same instant keep the order they arrived in. The oldest occurrence of the
portal (by occurredAt) is found through a heap, for the storage bound.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from simulator.errors import ValidationError
from simulator.wire import iso, shorten

Key = tuple[datetime, int]
_EMPTY: list[Occurrence] = []
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Occurrence:
    """One recorded occurrence of a custom event on one record. Read it; never change it."""

    __slots__ = ("id", "event_type_id", "event_name", "object_type", "object_id", "occurred_at", "properties", "key")

    def __init__(self, occurrence_id: str, event_type_id: str, event_name: str, object_type: str, object_id: str,
                 occurred_at: datetime, properties: dict[str, str], seq: int):  # fmt: skip
        self.id = occurrence_id
        self.event_type_id = event_type_id
        self.event_name = event_name
        self.object_type = object_type  # the CRM store: contacts, companies, deals
        self.object_id = object_id
        self.occurred_at = occurred_at
        self.properties = properties
        self.key: Key = (occurred_at, seq)

    def dump(self) -> dict[str, Any]:
        """HubSpot's ExternalUnifiedEvent."""
        return {
            "objectType": _WIRE_TYPES.get(self.object_type, self.object_type.upper()),
            "objectId": self.object_id,
            "eventType": self.event_name,
            "occurredAt": iso(self.occurred_at),
            "id": self.id,
            "properties": self.properties,
        }

    def export(self) -> dict[str, Any]:
        return {
            "id": self.id, "eventTypeId": self.event_type_id, "objectType": self.object_type,
            "objectId": self.object_id, "occurredAt": self.occurred_at.isoformat(), "properties": self.properties,
        }  # fmt: skip


_WIRE_TYPES = {"contacts": "CONTACT", "companies": "COMPANY", "deals": "DEAL"}


def _key(occurrence: Occurrence) -> Key:
    return occurrence.key


class Timelines:
    """Every occurrence of one portal, indexed by record and by event type. The caller holds the portal lock."""

    def __init__(self) -> None:
        self._records: dict[tuple[str, str], dict[str, list[Occurrence]]] = {}
        self._types: dict[str, list[Occurrence]] = {}
        self._ids: dict[str, dict[str, Occurrence]] = {}  # event type -> occurrence id (its uuid) -> occurrence
        self._seq = itertools.count()
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def has(self, event_type_id: str, occurrence_id: str) -> bool:
        return occurrence_id in self._ids.get(event_type_id, {})

    def next_seq(self) -> int:
        return next(self._seq)

    def add(self, occurrence: Occurrence) -> None:
        timeline = self._records.setdefault((occurrence.object_type, occurrence.object_id), {})
        _insert(timeline.setdefault(occurrence.event_type_id, []), occurrence)
        _insert(self._types.setdefault(occurrence.event_type_id, []), occurrence)
        self._ids.setdefault(occurrence.event_type_id, {})[occurrence.id] = occurrence
        self.count += 1

    def timeline(self, object_type: str, object_id: str, event_type_id: str) -> Sequence[Occurrence]:
        """One record's occurrences of one event type, oldest first (the store's own list: read, never change)."""
        return self._records.get((object_type, object_id), {}).get(event_type_id, _EMPTY)

    # --- removals ---------------------------------------------------------------------------------------------

    def drop_oldest(self) -> Occurrence | None:
        """Take away the portal's oldest occurrence (by occurredAt), for the storage bound: the first of one event
        type's list (each is in time order). No heap across types: it would be one more object per occurrence for
        every full collection of the garbage collector to walk, and a portal keeps up to a million."""
        firsts = [found[0] for found in self._types.values() if found]
        if not firsts:
            return None
        oldest = min(firsts, key=_key)
        self._unlink(oldest)
        return oldest

    def remove_type(self, event_type_id: str) -> int:
        """Every occurrence of a deleted definition goes with it."""
        gone = self._types.pop(event_type_id, [])
        self._ids.pop(event_type_id, None)
        for occurrence in gone:
            timeline = self._records.get((occurrence.object_type, occurrence.object_id))
            if timeline is not None:
                timeline.pop(event_type_id, None)
                if not timeline:
                    del self._records[(occurrence.object_type, occurrence.object_id)]
        self.count -= len(gone)
        return len(gone)

    def remove_record(self, object_type: str, object_id: str) -> int:
        """A record deleted for good (GDPR) takes its occurrences with it."""
        timeline = self._records.pop((object_type, object_id), {})
        removed = 0
        for event_type_id, found in timeline.items():
            for occurrence in found:
                _remove(self._types[event_type_id], occurrence)
                self._ids[event_type_id].pop(occurrence.id, None)
            removed += len(found)
        self.count -= removed
        return removed

    def move(self, object_type: str, from_id: str, to_id: str) -> None:
        """A merged-away record's occurrences now belong to the record it was merged into."""
        timeline = self._records.pop((object_type, from_id), None)
        if not timeline:
            return
        target = self._records.setdefault((object_type, to_id), {})
        for event_type_id, found in timeline.items():
            for occurrence in found:
                occurrence.object_id = to_id
            merged = list(heapq.merge(target.get(event_type_id, _EMPTY), found, key=_key))
            target[event_type_id] = merged

    def _unlink(self, occurrence: Occurrence) -> None:
        record_key = (occurrence.object_type, occurrence.object_id)
        timeline = self._records[record_key]
        found = timeline[occurrence.event_type_id]
        _remove(found, occurrence)
        if not found:
            del timeline[occurrence.event_type_id]
            if not timeline:
                del self._records[record_key]
        _remove(self._types[occurrence.event_type_id], occurrence)
        self._ids[occurrence.event_type_id].pop(occurrence.id, None)
        self.count -= 1

    # --- reads ------------------------------------------------------------------------------------------------

    def select(
        self,
        *,
        record: tuple[str, str] | None,
        event_type_ids: Sequence[str] | None,
        occurred_after: datetime | None,
        occurred_before: datetime | None,
        start: Key | None,
        descending: bool,
        limit: int,
        keep: Callable[[Occurrence], bool] | None = None,
    ) -> tuple[list[Occurrence], Key | None]:
        """A page of occurrences (of these event types; None: all) in time order or its reverse, strictly between
        the bounds, from `start` on, that `keep` keeps; and the key of the first occurrence of the next page (None on
        the last)."""
        lists = self._records.get(record, {}) if record is not None else self._types
        types = lists.keys() if event_type_ids is None else event_type_ids
        sources = [lists[t] for t in types if t in lists]
        lower = (occurred_after, _LAST) if occurred_after else None  # strictly after: past every seq at that instant
        upper = (occurred_before, -1) if occurred_before else None
        if start is not None:
            if descending:
                upper = min(upper, (start[0], start[1] + 1)) if upper else (start[0], start[1] + 1)
            else:
                lower = max(lower, start) if lower else start
        spans = [_span(found, lower, upper, descending) for found in sources]
        merged = spans[0] if len(spans) == 1 else heapq.merge(*spans, key=_key, reverse=descending)
        page = list(itertools.islice(filter(keep, merged) if keep else merged, limit + 1))
        if len(page) > limit:
            return page[:limit], page[limit].key
        return page, None

    def all(self) -> Iterable[Occurrence]:
        """Every occurrence in time order (snapshots)."""
        return heapq.merge(*self._types.values(), key=_key)


_LAST = 1 << 62  # a seq above every real one
_CURSOR = re.compile(r"(-?[0-9]{1,20})_([0-9]{1,19})")  # always fullmatch: `$` takes a final newline


def encode_cursor(key: Key) -> str:
    """A page cursor: the (occurredAt in microseconds, arrival) of the first occurrence of the next page."""
    moment, seq = key
    return f"{(moment - _EPOCH) // timedelta(microseconds=1)}_{seq}"


def decode_cursor(text: str) -> Key:
    match = _CURSOR.fullmatch(text)
    if match is None or int(match.group(2)) >= _LAST:
        raise ValidationError(f"after must be a cursor from paging.next.after, got {shorten(text)!r}")
    try:
        return _EPOCH + timedelta(microseconds=int(match.group(1))), int(match.group(2))
    except OverflowError:
        raise ValidationError(f"after must be a cursor from paging.next.after, got {shorten(text)!r}") from None


def _span(found: list[Occurrence], lower: Key | None, upper: Key | None, descending: bool) -> Iterator[Occurrence]:
    """The occurrences of a sorted list with lower <= key < upper, in order or reversed, without copying it."""
    lo = bisect.bisect_left(found, lower, key=_key) if lower else 0
    hi = bisect.bisect_left(found, upper, key=_key) if upper else len(found)
    indexes = range(hi - 1, lo - 1, -1) if descending else range(lo, hi)
    return (found[i] for i in indexes)


def _insert(found: list[Occurrence], occurrence: Occurrence) -> None:
    if not found or found[-1].key <= occurrence.key:
        found.append(occurrence)  # the common case: events arrive in time order
    else:
        bisect.insort(found, occurrence, key=_key)


def _remove(found: list[Occurrence], occurrence: Occurrence) -> None:
    at = bisect.bisect_left(found, occurrence.key, key=_key)
    if at < len(found) and found[at] is occurrence:
        del found[at]


def keep_filter(ids: Sequence[str] | None, properties: dict[str, str] | None) -> Callable[[Occurrence], bool] | None:
    """What GET /events/v3/events keeps when it names occurrence ids or property values (None: everything)."""
    if not ids and not properties:
        return None
    wanted = set(ids or ())
    pairs = list((properties or {}).items())
    return lambda o: (not wanted or o.id in wanted) and all(o.properties.get(k) == v for k, v in pairs)
