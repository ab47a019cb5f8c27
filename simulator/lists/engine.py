"""Live criteria: watches that know, at every moment, which records meet a filter branch (DESIGN.md, "live,
incremental evaluation"). DYNAMIC lists and workflow enrollment criteria are both watches.

The engine listens to the portal's feed. Each watch is indexed by what it reads (properties, event types, lists,
association hops, each by the path of types it walks), so a change re-evaluates only the watches that read it, and
only for the records it concerns, inline, under the portal lock. A result that time alone will change (a window
passing) is re-checked at the moment it changes: one portal job, armed for the earliest such moment.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any

from simulator.crm.object_types import ObjectType
from simulator.feed import (
    AssociationChanged,
    ChangeFeed,
    EventOccurred,
    MembershipChanged,
    OccurrencesDropped,
    RecordChanged,
)
from simulator.lists.evaluate import Check, Compiler, Path, Reads, Sources
from simulator.lists.timing import Probe

OnChange = Callable[[str, bool, datetime], None]  # (record id, meets, at)
_GONE = ("archived", "merged", "deleted")


class Watch:
    """Which records of one object type meet a branch, kept current; `on_change` hears every start and stop."""

    def __init__(self, engine: Engine, watch_id: int, object_type: ObjectType, check: Check, reads: Reads,
                 on_change: OnChange):  # fmt: skip
        self.id = watch_id
        self.object_type = object_type
        self.check = check
        self.reads = reads
        self.on_change = on_change
        self.joined: dict[str, datetime] = {}  # record id -> when it started meeting the branch, in that order
        self._engine = engine

    def members(self) -> set[str]:
        return set(self.joined)

    def close(self) -> None:
        self._engine.forget(self)


class Engine:
    def __init__(self, feed: ChangeFeed, sources: Sources, now: Callable[[], datetime],
                 schedule_at: Callable[[datetime, Callable[[datetime], None]], None],
                 records: Callable[[str], Iterable[Any]], linked_any: Callable[[str, str, str], list[str]],
                 zone: Callable[[], tzinfo] = lambda: UTC):  # fmt: skip
        self.sources = sources
        self._now = now
        self._zone = zone  # the portal's time zone: where calendar periods begin
        self._schedule_at = schedule_at
        self._records = records  # every live record of a type
        self._linked_any = linked_any  # (type, id, to type) -> linked ids, any association type
        self._ids = itertools.count(1)
        self._watches: dict[int, Watch] = {}
        self._by_type: dict[str, set[Watch]] = {}
        self._by_property: dict[tuple[str, str], list[tuple[Watch, Path]]] = {}
        self._by_event: dict[tuple[str, str], list[tuple[Watch, Path]]] = {}
        self._by_list: dict[str, list[tuple[Watch, Path]]] = {}
        self._by_hop: dict[frozenset[str], list[tuple[Watch, Path]]] = {}
        self._due: list[tuple[datetime, int, int, str]] = []  # (at, seq, watch id, record id), a heap
        self._wake: dict[tuple[int, str], datetime] = {}
        self._seq = itertools.count()
        self._armed: set[datetime] = set()
        self._live = False  # a store built for a restore schedules nothing until it is installed
        feed.subscribe(self._on_change, RecordChanged, AssociationChanged, EventOccurred, OccurrencesDropped,
                       MembershipChanged)

    # --- watches ------------------------------------------------------------------------------------------------

    def compile(self, branch: Any, object_type: ObjectType) -> tuple[Check, Reads]:
        compiler = Compiler(self.sources)
        return compiler.branch(branch, object_type), compiler.reads

    def watch(self, branch: Any, object_type: ObjectType, on_change: OnChange, *, announce: bool = False,
              joined: dict[str, datetime] | None = None) -> Watch:  # fmt: skip
        """A live watch; every record is evaluated now. `announce` tells `on_change` of the records that meet the
        branch already; `joined` restores a saved membership instead of evaluating (a snapshot's)."""
        check, reads = self.compile(branch, object_type)
        watch = Watch(self, next(self._ids), object_type, check, reads, on_change)
        self._index(watch)
        if joined is not None:
            watch.joined.update(joined)
            return watch
        now = self._now()
        for record in list(self._records(object_type.name)):
            if self._meets(watch, record, now):
                watch.joined[record.id] = now
                if announce:
                    on_change(record.id, True, now)
        return watch

    def meeting(self, branch: Any, object_type: ObjectType) -> list[str]:
        """The records that meet a branch now (a SNAPSHOT list's one evaluation)."""
        check, _ = self.compile(branch, object_type)
        now, zone = self._now(), self._zone()
        return [record.id for record in list(self._records(object_type.name)) if check(Probe(now, zone), record)]

    def matches(self, branch: Any, object_type: ObjectType, record_id: str) -> bool:
        check, _ = self.compile(branch, object_type)
        record = self.sources.record(object_type.name, record_id)
        return record is not None and check(Probe(self._now(), self._zone()), record)

    def forget(self, watch: Watch) -> None:
        if self._watches.pop(watch.id, None) is None:
            return
        self._by_type.get(watch.object_type.name, set()).discard(watch)
        for index in (self._by_property, self._by_event, self._by_list, self._by_hop):
            for key, entries in list(index.items()):
                entries[:] = [(w, p) for w, p in entries if w is not watch]
                if not entries:
                    del index[key]
        for key in [k for k in self._wake if k[0] == watch.id]:
            del self._wake[key]

    def _index(self, watch: Watch) -> None:
        self._watches[watch.id] = watch
        self._by_type.setdefault(watch.object_type.name, set()).add(watch)
        root = watch.object_type.name
        for path, name in watch.reads.properties:
            self._by_property.setdefault((path[-1] if path else root, name), []).append((watch, path))
        for path, event_type_id in watch.reads.events:
            self._by_event.setdefault((path[-1] if path else root, event_type_id), []).append((watch, path))
        for path, list_id in watch.reads.lists:
            self._by_list.setdefault(list_id, []).append((watch, path))
        for path in watch.reads.hops:
            near = path[-2] if len(path) > 1 else root
            self._by_hop.setdefault(frozenset((near, path[-1])), []).append((watch, path))

    # --- evaluation ---------------------------------------------------------------------------------------------

    def _meets(self, watch: Watch, record: Any, now: datetime) -> bool:
        probe = Probe(now, self._zone())
        meets = watch.check(probe, record)
        if probe.wake is not None:
            self._wake_at(watch, record.id, probe.wake)
        return meets

    def evaluate(self, watch: Watch, record_id: str) -> None:
        now = self._now()
        record = self.sources.record(watch.object_type.name, record_id)
        meets = record is not None and self._meets(watch, record, now)
        if meets == (record_id in watch.joined):
            return
        if meets:
            watch.joined[record_id] = now
        else:
            del watch.joined[record_id]
        watch.on_change(record_id, meets, now)

    def _on_change(self, change: Any) -> None:
        todo: dict[tuple[int, str], Watch] = {}
        if isinstance(change, RecordChanged):
            self._record_changed(change, todo)
        elif isinstance(change, AssociationChanged):
            for watch, path in self._by_hop.get(frozenset((change.from_type, change.to_type)), ()):
                near = path[-2] if len(path) > 1 else watch.object_type.name
                for near_type, near_id, far_type in ((change.from_type, change.from_id, change.to_type),
                                                     (change.to_type, change.to_id, change.from_type)):  # fmt: skip
                    if near_type == near and far_type == path[-1]:
                        self._trace(watch, path[:-1], near_id, todo)
        elif isinstance(change, EventOccurred | OccurrencesDropped):
            for watch, path in self._by_event.get((change.object_type, change.event_type_id), ()):
                self._trace(watch, path, change.object_id, todo)
        elif isinstance(change, MembershipChanged):
            for watch, path in self._by_list.get(change.list_id, ()):
                self._trace(watch, path, change.record_id, todo)
        for (_, record_id), watch in todo.items():
            if watch.id in self._watches:
                self.evaluate(watch, record_id)

    def _record_changed(self, change: RecordChanged, todo: dict[tuple[int, str], Watch]) -> None:
        if change.change in ("created", "restored", *_GONE):
            # a record that appears may meet a branch on what it lacks; one that goes leaves every watch
            for watch in self._by_type.get(change.object_type, ()):
                todo[(watch.id, change.object_id)] = watch
        names = change.properties
        if change.change in ("restored", *_GONE):
            record = self.sources.record(change.object_type, change.object_id)
            names = frozenset(record.values) if record is not None else frozenset()
        for name in names:
            for watch, path in self._by_property.get((change.object_type, name), ()):
                self._trace(watch, path, change.object_id, todo)

    def _trace(self, watch: Watch, path: Path, record_id: str, todo: dict[tuple[int, str], Watch]) -> None:
        """The watch's records whose evaluation reads this record along `path` (itself when the path is empty)."""
        types = [watch.object_type.name, *path]
        ids = {record_id}
        for step in range(len(path), 0, -1):
            ids = {back for i in ids for back in self._linked_any(types[step], i, types[step - 1])}
        for root_id in ids:
            todo[(watch.id, root_id)] = watch

    # --- time ---------------------------------------------------------------------------------------------------

    def _wake_at(self, watch: Watch, record_id: str, at: datetime) -> None:
        key = (watch.id, record_id)
        if self._wake.get(key) == at:
            return
        self._wake[key] = at
        heapq.heappush(self._due, (at, next(self._seq), watch.id, record_id))
        self._arm()

    def _arm(self) -> None:
        if not self._live or not self._due:
            return
        earliest = self._due[0][0]
        if self._armed and min(self._armed) <= earliest:
            return
        self._armed.add(earliest)
        self._schedule_at(earliest, self._run)

    def _run(self, due: datetime) -> None:
        self._armed.discard(due)
        now = self._now()
        while self._due and self._due[0][0] <= now:
            at, _, watch_id, record_id = heapq.heappop(self._due)
            if self._wake.get((watch_id, record_id)) != at:
                continue  # superseded by a later evaluation
            del self._wake[(watch_id, record_id)]
            watch = self._watches.get(watch_id)
            if watch is not None:
                self.evaluate(watch, record_id)
        self._arm()

    def resume(self) -> None:
        """Installed in a portal: from now on, arm the portal's scheduler for the windows that pass."""
        self._live = True
        self._arm()

    def wakes(self, watch: Watch) -> list[tuple[str, datetime]]:
        return sorted((record_id, at) for (watch_id, record_id), at in self._wake.items() if watch_id == watch.id)

    def restore_wake(self, watch: Watch, record_id: str, at: datetime) -> None:
        self._wake_at(watch, record_id, at)

