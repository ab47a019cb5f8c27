"""The search index of one object store, kept up to date by the store's write listeners.

Scanning 100,000 records and converting their strings on every search is too slow, so the index keeps, per property a
search has used, a column of comparable values (record id -> float / epoch ms / lower-cased text / token set) and,
for token columns, postings (token -> ids). A write updates that record's entry in the columns already built; a
column nobody searched is never built.

HubSpot's indexing delay (opt-in, `searchIndexDelayMs`): a record written less than the delay ago is searched and
shown as it was before that write. Nothing is copied on a write: the index remembers when each record was last
written (`_recent`, oldest first, forgotten once older than the delay), and for those few records rebuilds the values
as of `now - delay` from the record's own history (`Record.versions`). Everything else answers from the columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from simulator.crm.objects import ObjectStore, Record
from simulator.crm.search_filters import ASSOCIATIONS, TOKENS, Condition, comparable
from simulator.wire import iso


class Column:
    __slots__ = ("kind", "values", "postings")

    def __init__(self, kind: str):
        self.kind = kind
        self.values: dict[int, Any] = {}  # records that have a value only
        self.postings: dict[str, set[int]] = {}  # TOKENS columns: token -> ids

    def put(self, record_id: int, raw: str | None) -> None:
        if self.kind == TOKENS:
            for token in self.values.get(record_id, ()):
                ids = self.postings[token]
                ids.discard(record_id)
                if not ids:
                    del self.postings[token]
        value = comparable(self.kind, raw)
        if value is None:
            self.values.pop(record_id, None)
            return
        self.values[record_id] = value
        if self.kind == TOKENS:
            for token in value:
                self.postings.setdefault(token, set()).add(record_id)


class IndexedRecord:
    """A record as search shows it while its last write is still inside the indexing delay."""

    __slots__ = ("id", "values", "created_at", "updated_at", "archived", "archived_at")

    def __init__(self, record: Record, values: dict[str, str], updated_at: datetime):
        self.id, self.values, self.created_at, self.updated_at = record.id, values, record.created_at, updated_at
        self.archived, self.archived_at = False, None

    def stamps(self) -> tuple[str, str]:
        return iso(self.created_at), iso(self.updated_at)


def as_of(record: Record, moment: datetime) -> IndexedRecord | None:
    """The record as it was at `moment`, replayed from its versions; None if it did not exist yet."""
    if record.created_at > moment:
        return None
    values: dict[str, str] = {}
    updated_at = record.created_at
    for at, _source, changes in record.versions:
        if at > moment:
            continue
        updated_at = max(updated_at, at)
        for name, value in changes.items():
            if value == "":
                values.pop(name, None)
            else:
                values[name] = value
    return IndexedRecord(record, values, updated_at)


class SearchIndex:
    def __init__(self, store: ObjectStore, delay: Callable[[], timedelta]):
        self._store = store
        self._delay = delay
        self._live: dict[int, Record] = {}  # every live record, in creation (id) order
        self._known = 0  # records of the store the index has seen created
        self._columns: dict[tuple[str, str], Column] = {}
        self._recent: dict[int, datetime] = {}  # last write of records written within the delay, oldest first
        store.listeners.append(self._written)

    # --- keeping up with writes ----------------------------------------------------------------------------------

    def _written(self, record: Record) -> None:
        record_id = int(record.id)
        self._recent.pop(record_id, None)
        if record.archived:  # archiving hides a record at once; it is not a write that waits for the index
            self._live.pop(record_id, None)
            for column in self._columns.values():
                column.put(record_id, None)
            return
        if record_id not in self._live:
            self._known += 1
        self._live[record_id] = record
        for (name, _kind), column in self._columns.items():
            column.put(record_id, record.values.get(name))
        if self._delay() > timedelta(0):
            self._recent[record_id] = record.updated_at

    def _check_complete(self) -> None:
        """Records loaded into the store without a write (a snapshot restore) would be invisible: rebuild.

        More records than the index saw created means some came another way; fewer only means some were deleted
        for good (a merge), which the index was told of as archived."""
        present = len(self._store._records)
        if present <= self._known:
            return
        live = sorted(self._store.records(), key=lambda r: int(r.id))
        self._live = {int(r.id): r for r in live}
        self._known, self._columns, self._recent = present, {}, {}

    def column(self, name: str, kind: str) -> Column:
        column = self._columns.get((name, kind))
        if column is None:
            column = Column(kind)
            for record_id, record in self._live.items():
                column.put(record_id, record.values.get(name))
            self._columns[(name, kind)] = column
        return column

    # --- a search ------------------------------------------------------------------------------------------------

    def view(self, now: datetime) -> IndexView:
        """What search sees now: the columns, except records written within the delay, seen as they were."""
        self._check_complete()
        delay = self._delay()
        if delay <= timedelta(0):
            self._recent.clear()
            return IndexView(self, {})
        cutoff = now - delay
        while self._recent:
            record_id, written = next(iter(self._recent.items()))
            if written > cutoff:
                break
            del self._recent[record_id]
        stale = {
            record_id: as_of(self._live[record_id], cutoff)
            for record_id, written in self._recent.items()
            if written > cutoff and record_id in self._live
        }
        return IndexView(self, stale)


class IndexView:
    def __init__(self, index: SearchIndex, stale: dict[int, IndexedRecord | None]):
        self._index = index
        self._live = index._live
        self._stale = stale  # written within the delay: as they were (None: not searchable yet)

    def matching(self, groups: list[list[Condition]], terms: list[str], searchable: list[str]) -> list[int]:
        """Ids matching any group (every condition of it) and every query term, in id order."""
        if groups:
            found = [self._group(group) for group in groups]
            ids: Iterable[int] = found[0] if len(found) == 1 else set().union(*found)
        else:
            ids = self._live.keys()
        for term in terms:
            hits: set[int] = set()
            for name in searchable:
                hits.update(i for i, v in self._index.column(name, "text").values.items() if term in v)
            ids = hits.intersection(ids)
        if self._stale:
            ids = [i for i in ids if i not in self._stale]
            for record_id, shown in self._stale.items():
                if shown is not None and _matches(record_id, shown.values, groups, terms, searchable):
                    ids.append(record_id)
        return sorted(ids)

    def _group(self, group: list[Condition]) -> Iterable[int]:
        selecting = [c for c in group if c.select is not None]
        testing = [c for c in group if c.select is None]
        candidates: Iterable[int]
        if selecting:
            sets = []
            for condition in selecting:
                if condition.kind == ASSOCIATIONS:
                    chosen = condition.select({})
                else:
                    chosen = condition.select(self._index.column(condition.property_name, condition.kind).postings)
                sets.append(self._live.keys() - chosen if condition.negated else chosen)
            sets.sort(key=len)
            candidates = sets[0].intersection(*sets[1:])
        else:
            # Start from the column of a condition that a record without the value fails: only its holders can pass.
            driver = next((c for c in testing if c.scan is not None), None)
            if driver is None:
                candidates = self._live.keys()
            else:
                testing.remove(driver)
                candidates = driver.scan(self._index.column(driver.property_name, driver.kind).values)
        for condition in testing:
            test, get = condition.test, self._index.column(condition.property_name, condition.kind).values.get
            candidates = [i for i in candidates if test(get(i))]
        return candidates

    def ordered(self, ids: list[int], name: str, kind: str, descending: bool) -> list[int]:
        """Sorted by one property; records without a value last either way; ties in id order."""
        values = self._index.column(name, kind).values
        stale = self._stale

        def key(record_id: int) -> Any:
            shown = stale.get(record_id) if stale else None
            return comparable(kind, shown.values.get(name)) if shown is not None else values.get(record_id)

        keyed = [(key(i), i) for i in ids]
        present = [pair for pair in keyed if pair[0] is not None]
        present.sort(key=lambda pair: pair[0], reverse=descending)  # stable: equal values keep id order
        return [i for _v, i in present] + [i for v, i in keyed if v is None]

    def record(self, record_id: int) -> Record | IndexedRecord:
        shown = self._stale.get(record_id)
        return shown if shown is not None else self._live[record_id]


def _matches(
    record_id: int, values: Mapping[str, str], groups: list[list[Condition]], terms: list[str], searchable: list[str]
) -> bool:
    if groups and not any(all(c.matches(record_id, values) for c in group) for group in groups):
        return False
    texts = [values[name].lower() for name in searchable if name in values]
    return all(any(term in text for text in texts) for term in terms)
