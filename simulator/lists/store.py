"""The lists of one portal (lists v3): definitions, memberships with their join times, and live criteria.

MANUAL lists change only by API calls; DYNAMIC lists are watches (simulator.lists.engine) whose members follow the
records; SNAPSHOT lists are evaluated once, at creation, and are then changed like MANUAL ones. Every membership
change is published on the portal's feed as MembershipChanged (workflows read it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from simulator.crm.object_types import ObjectType, UnknownObjectType, resolve
from simulator.crm.stores import CrmStores
from simulator.errors import HubSpotError, ObjectNotFound, ValidationError
from simulator.feed import MembershipChanged, RecordChanged
from simulator.lists.engine import Engine, OnChange, Watch
from simulator.lists.folders import ROOT, Folder, FolderStore
from simulator.lists.language import AssociationInListFilter, FilterBranch, InListFilter
from simulator.lists.parsing import parse_branch
from simulator.lists.requests import ListCreate



class Events(Protocol):
    """What lists read of the portal's event store (interfaces.md)."""

    def definition(self, key: str) -> Any | None: ...
    def timeline(self, object_type: str, object_id: str, event_type_id: str) -> Sequence[Any]: ...

RESTORE_WINDOW = timedelta(days=90)  # HubSpot: a deleted list can be restored for 90 days


class ListNotFound(ObjectNotFound):
    def __init__(self, list_id: str):
        super().__init__(f"List {list_id} does not exist", context={"listId": [list_id]})


class ObjectList:
    def __init__(self, list_id: str, name: str, object_type: ObjectType, processing_type: str,
                 branch: FilterBranch | None, at: datetime):  # fmt: skip
        self.id = list_id
        self.name = name
        self.object_type = object_type
        self.processing_type = processing_type
        self.branch = branch
        self.created_at = self.updated_at = self.filters_updated_at = at
        self.deleted_at: datetime | None = None
        self.version = 1
        self.folder_id: str | None = None
        self.members: dict[str, datetime] = {}  # record id -> when it (last) joined, in join order
        self.first_added: dict[str, datetime] = {}
        self.last_added_at: datetime | None = None
        self.last_removed_at: datetime | None = None
        self.ready_at = at  # until then the list is PROCESSING (the opt-in processing delay)
        self.watch: Watch | None = None


class ListStore:
    def __init__(self, crm: CrmStores, lock: threading.RLock, now: Callable[[], datetime],
                 schedule_at: Callable[[datetime, Callable[[datetime], None]], None],
                 events: Events, processing_delay: Callable[[], timedelta] = lambda: timedelta(0),
                 time_zone: Callable[[], str] = lambda: "UTC"):  # fmt: skip
        self._crm = crm
        self._lock = lock
        self._now = now
        self._feed = crm.feed
        self._processing_delay = processing_delay
        self._events = events
        self._lists: dict[str, ObjectList] = {}
        self._next_id = 1
        self._schedule_at = schedule_at
        self.engine = Engine(crm.feed, self, now, schedule_at, self._live_records, self._linked_any,
                             zone=lambda: ZoneInfo(time_zone()))  # fmt: skip
        self.folders = FolderStore(now, self._lists_in)
        crm.feed.subscribe(self._record_gone, RecordChanged)

    # --- the API the workflow engine builds on (interfaces.md) --------------------------------------------------

    def parse_branch(self, raw: Any, object_type_id: str | None = None) -> FilterBranch:
        """A validated filter branch; with an object type, also checked against its properties and lists."""
        branch = parse_branch(raw)
        if object_type_id is not None:
            with self._lock:
                self.engine.compile(branch, _object_type(object_type_id))
        return branch

    def matches(self, branch: FilterBranch, object_type_id: str, record_id: str) -> bool:
        with self._lock:
            return self.engine.matches(branch, _object_type(object_type_id), record_id)

    def watch(self, branch: FilterBranch, object_type_id: str, on_change: OnChange) -> Watch:
        """Live criteria outside any list. Records meeting the branch already are its members (`members()`);
        `on_change` hears each later start or stop, inline, under the portal lock."""
        with self._lock:
            return self.engine.watch(branch, _object_type(object_type_id), on_change)

    # --- the Sources that evaluation reads ----------------------------------------------------------------------

    def record(self, type_name: str, record_id: str) -> Any | None:
        store = self._crm.objects(type_name)
        return store.get(record_id) if store.exists(record_id) else None

    def linked(self, type_name: str, record_id: str, to_type: str, association_type_id: int) -> list[str]:
        targets = self._crm.associations.targets(resolve(type_name), record_id, resolve(to_type))
        return [to_id for to_id, types in targets if association_type_id in types]

    def _linked_any(self, type_name: str, record_id: str, to_type: str) -> list[str]:
        return [to_id for to_id, _ in self._crm.associations.targets(resolve(type_name), record_id, resolve(to_type))]

    def _live_records(self, type_name: str) -> Iterable[Any]:
        return self._crm.objects(type_name).records()

    def timeline(self, type_name: str, record_id: str, event_type_id: str) -> Sequence[Any]:
        return self._events.timeline(type_name, record_id, event_type_id)

    def event_type_id(self, key: str) -> str | None:
        definition = self._events.definition(key)
        return definition.object_type_id if definition is not None else None

    def is_member(self, list_id: str, record_id: str) -> bool:
        found = self._lists.get(list_id)
        return found is not None and found.deleted_at is None and record_id in found.members

    def known_property(self, type_name: str, name: str) -> bool:
        return self._crm.properties[type_name].definition(name) is not None

    def list_type(self, list_id: str) -> str | None:
        found = self._lists.get(list_id)
        return found.object_type.object_type_id if found is not None and found.deleted_at is None else None

    # --- lists --------------------------------------------------------------------------------------------------

    def create(self, request: ListCreate) -> ObjectList:
        object_type = _object_type(request.object_type_id)
        with self._lock:
            self._check_name(request.name)
            branch = self._plan_branch(request.processing_type, request.filter_branch, object_type)
            folder_id = self.folders.check(str(request.list_folder_id) if request.list_folder_id is not None else None)
            now = self._now()
            found = ObjectList(str(self._next_id), request.name, object_type, request.processing_type, branch, now)
            found.folder_id = folder_id
            self._next_id += 1
            self._lists[found.id] = found
            self._start(found)
            return found

    def _plan_branch(self, processing_type: str, raw: dict[str, Any] | None, object_type: ObjectType):
        if processing_type == "MANUAL":
            if raw is not None:
                raise ValidationError("MANUAL lists have no filterBranch: their records are added and removed by "
                                      "API calls")  # fmt: skip
            return None
        if raw is None:
            raise ValidationError(f"{processing_type} lists need a filterBranch")
        branch = parse_branch(raw)
        self.engine.compile(branch, object_type)  # unknown properties, lists, association types: refused now
        return branch

    def _start(self, found: ObjectList) -> None:
        """Evaluate a new (or newly filtered) list now, or once HubSpot's processing delay has passed."""
        delay = self._processing_delay()
        if found.processing_type == "MANUAL":
            return
        if delay > timedelta(0):
            found.ready_at = self._now() + delay
            self._schedule_at(found.ready_at, lambda due: self._evaluate(found))
            return
        self._evaluate(found)

    def _evaluate(self, found: ObjectList) -> None:
        if found.deleted_at is not None or found.branch is None:
            return
        if found.processing_type == "SNAPSHOT":
            self._join(found, self.engine.meeting(found.branch, found.object_type))
            return
        found.watch = self.engine.watch(found.branch, found.object_type, self._follower(found), announce=True)
        found.members = found.watch.joined

    def _follower(self, found: ObjectList) -> OnChange:
        def follow(record_id: str, meets: bool, at: datetime) -> None:
            if meets:
                found.first_added.setdefault(record_id, at)
                found.last_added_at = at
            else:
                found.last_removed_at = at
            self._feed.publish(MembershipChanged(found.id, found.object_type.object_type_id, record_id, meets, at))

        return follow

    def _check_name(self, name: str, *, other_than: str | None = None) -> None:
        for found in self._lists.values():
            if found.deleted_at is None and found.id != other_than and found.name.lower() == name.lower():
                raise ValidationError(f"A list named {found.name!r} already exists (list {found.id})",
                                      sub_category="ILS_LIST_NAME_ALREADY_EXISTS")  # fmt: skip

    def get(self, list_id: str) -> ObjectList:
        found = self._lists.get(list_id)
        if found is None or found.deleted_at is not None:
            raise ListNotFound(list_id)
        return found

    def by_name(self, object_type_id: str, name: str) -> ObjectList:
        object_type = _object_type(object_type_id)
        for found in self._lists.values():
            if found.deleted_at is None and found.object_type is object_type and found.name.lower() == name.lower():
                return found
        raise ObjectNotFound(f"List {name} of object type {object_type_id} does not exist",
                             context={"listName": [name]})  # fmt: skip

    def by_ids(self, list_ids: Iterable[str]) -> list[ObjectList]:
        """The live lists among `list_ids` (unknown ids are left out, as HubSpot does); every list when none."""
        wanted = list(dict.fromkeys(list_ids))
        if not wanted:
            return [found for found in self._lists.values() if found.deleted_at is None]
        return [self._lists[i] for i in wanted if i in self._lists and self._lists[i].deleted_at is None]

    def all(self) -> list[ObjectList]:
        return [found for found in self._lists.values() if found.deleted_at is None]

    def reference_count(self, list_id: str) -> int:
        return sum(1 for other in self.all() if list_id in _lists_read(other.branch))

    def _lists_in(self, folder_id: str) -> list[str]:
        wanted = None if folder_id == ROOT else folder_id
        return [found.id for found in self.all() if found.folder_id == wanted]

    def create_folder(self, name: str, parent_id: str | None) -> Folder:
        with self._lock:
            return self.folders.create(name, parent_id)

    def rename_folder(self, folder_id: str, name: str | None) -> Folder:
        with self._lock:
            return self.folders.rename(folder_id, name)

    def move_folder(self, folder_id: str, parent_id: str) -> Folder:
        with self._lock:
            return self.folders.move(folder_id, parent_id)

    def delete_folder(self, folder_id: str) -> None:
        with self._lock:
            self.folders.delete(folder_id)

    def move_list(self, list_id: str, folder_id: str) -> None:
        with self._lock:
            found = self.get(list_id)
            found.folder_id = self.folders.check(folder_id)

    def delete(self, list_id: str) -> None:
        with self._lock:
            found = self.get(list_id)
            readers = [other.id for other in self.all() if other.id != list_id and list_id in _lists_read(other.branch)]
            if readers:
                raise ValidationError(f"List {list_id} is used in the filters of lists {', '.join(readers)}; "
                                      "remove it from them first")  # fmt: skip
            if found.watch is not None:
                found.watch.close()
                found.members = dict(found.watch.joined)
                found.watch = None
            found.deleted_at = self._now()

    def restore(self, list_id: str) -> None:
        with self._lock:
            found = self._lists.get(list_id)
            if found is None or found.deleted_at is None or self._now() - found.deleted_at > RESTORE_WINDOW:
                raise ListNotFound(list_id)
            self._check_name(found.name, other_than=list_id)
            found.deleted_at = None
            found.updated_at = self._now()
            if found.processing_type == "DYNAMIC":
                self._refilter(found, found.branch)

    def _depends_on(self, branch: Any, list_id: str, seen: set[str] | None = None) -> bool:
        seen = seen if seen is not None else set()
        for read in _lists_read(branch):
            if read == list_id:
                return True
            if read not in seen and read in self._lists:
                seen.add(read)
                if self._depends_on(self._lists[read].branch, list_id, seen):
                    return True
        return False

    def rename(self, list_id: str, name: str | None) -> ObjectList:
        with self._lock:
            found = self.get(list_id)
            if not name:
                raise ValidationError("listName is required")
            self._check_name(name, other_than=list_id)
            found.name, found.updated_at, found.version = name, self._now(), found.version + 1
            return found

    def update_filters(self, list_id: str, raw: dict[str, Any]) -> ObjectList:
        with self._lock:
            found = self.get(list_id)
            if found.processing_type != "DYNAMIC":
                raise ValidationError(f"List {list_id} is a {found.processing_type} list; only DYNAMIC lists' "
                                      "filters can be updated")  # fmt: skip
            branch = parse_branch(raw)
            self.engine.compile(branch, found.object_type)
            if self._depends_on(branch, list_id):
                raise ValidationError(f"List {list_id} cannot filter on its own membership (directly or through "
                                      "the lists it reads)")
            self._refilter(found, branch)
            found.version += 1
            found.updated_at = found.filters_updated_at = self._now()
            return found

    def _refilter(self, found: ObjectList, branch: FilterBranch | None) -> None:
        """New criteria: records that no longer meet them leave, records that now do join."""
        if found.watch is not None:
            found.watch.close()
        before = dict(found.members)
        found.branch, found.watch = branch, None
        found.members = before
        meeting = self.engine.meeting(branch, found.object_type)
        self._leave(found, [r for r in before if r not in set(meeting)])
        self._join(found, [r for r in meeting if r not in before])
        found.watch = self.engine.watch(branch, found.object_type, self._follower(found), joined=found.members)
        found.members = found.watch.joined

    # --- memberships --------------------------------------------------------------------------------------------

    def _join(self, found: ObjectList, record_ids: Iterable[str]) -> list[str]:
        now, joined = self._now(), []
        for record_id in record_ids:
            if record_id in found.members:
                continue
            found.members[record_id] = now
            found.first_added.setdefault(record_id, now)
            found.last_added_at = now
            joined.append(record_id)
            self._feed.publish(MembershipChanged(found.id, found.object_type.object_type_id, record_id, True, now))
        return joined

    def _leave(self, found: ObjectList, record_ids: Iterable[str]) -> list[str]:
        now, left = self._now(), []
        for record_id in record_ids:
            if found.members.pop(record_id, None) is None:
                continue
            found.last_removed_at = now
            left.append(record_id)
            self._feed.publish(MembershipChanged(found.id, found.object_type.object_type_id, record_id, False, now))
        return left

    def _manual(self, list_id: str) -> ObjectList:
        found = self.get(list_id)
        if found.processing_type == "DYNAMIC":
            raise ValidationError(f"List {list_id} is a DYNAMIC list: its memberships follow its filters and cannot "
                                  "be changed by hand", sub_category="ILS_LIST_PROCESSING_TYPE_DYNAMIC")  # fmt: skip
        return found

    def change_members(self, list_id: str, add: Sequence[str], remove: Sequence[str]) -> dict[str, list[str]]:
        """HubSpot's MembershipsUpdateResponse: ids that are not live records of the list's type are `missing`."""
        with self._lock:
            found = self._manual(list_id)
            store = self._crm.objects(found.object_type.name)
            missing = [r for r in dict.fromkeys([*add, *remove]) if not store.exists(r)]
            gone = set(missing)
            added = self._join(found, [r for r in dict.fromkeys(add) if r not in gone])
            removed = self._leave(found, [r for r in dict.fromkeys(remove) if r not in gone])
            return {"recordsIdsAdded": added, "recordIdsRemoved": removed, "recordIdsMissing": missing}

    def add_members(self, list_id: str, record_ids: Sequence[str]) -> dict[str, list[str]]:
        return self.change_members(list_id, record_ids, [])

    def remove_members(self, list_id: str, record_ids: Sequence[str]) -> dict[str, list[str]]:
        return self.change_members(list_id, [], record_ids)

    def add_from(self, list_id: str, source_list_id: str) -> None:
        with self._lock:
            found, source = self._manual(list_id), self.get(source_list_id)
            if source.object_type is not found.object_type:
                raise ValidationError(f"Lists {source_list_id} and {list_id} hold different object types")
            self._join(found, list(source.members))

    def clear(self, list_id: str) -> None:
        with self._lock:
            found = self._manual(list_id)
            self._leave(found, list(found.members))

    def memberships_of(self, object_type_id: str, record_id: str) -> list[tuple[ObjectList, datetime, datetime]]:
        """(list, first added, last added) of every live list the record is in."""
        object_type = _object_type(object_type_id)
        return [
            (found, found.first_added.get(record_id, found.members[record_id]), found.members[record_id])
            for found in self.all()
            if found.object_type is object_type and record_id in found.members
        ]

    def _record_gone(self, change: RecordChanged) -> None:
        """A record archived, merged away or deleted leaves the lists kept by hand too (DYNAMIC ones follow it)."""
        if change.change not in ("archived", "merged", "deleted"):
            return
        for found in self.all():
            if found.watch is None and found.object_type.name == change.object_type and change.object_id in found.members:
                self._leave(found, [change.object_id])

    def processing_status(self, found: ObjectList) -> str:
        return "PROCESSING" if self._now() < found.ready_at else "COMPLETE"

    # --- snapshots (simulator.lists.persist) -------------------------------------------------------------------

    @property
    def next_id(self) -> int:
        return self._next_id

    @next_id.setter
    def next_id(self, value: int) -> None:
        self._next_id = value

    def every_list(self) -> list[ObjectList]:
        """Every list, deleted ones too, in id order."""
        return sorted(self._lists.values(), key=lambda found: int(found.id))

    def adopt(self, found: ObjectList) -> None:
        self._lists[found.id] = found

    def follow(self, found: ObjectList, checks: Iterable[tuple[str, datetime]]) -> None:
        """A restored DYNAMIC list follows its filters again from its saved members and pending window checks."""
        found.watch = self.engine.watch(found.branch, found.object_type, self._follower(found), joined=found.members)
        found.members = found.watch.joined
        for record_id, due in checks:
            self.engine.restore_wake(found.watch, record_id, due)

    def pending_checks(self, found: ObjectList) -> list[tuple[str, datetime]]:
        return self.engine.wakes(found.watch) if found.watch is not None else []

    # --- the portal's life ----------------------------------------------------------------------------------------

    def resume(self) -> None:
        self.engine.resume()
        for found in self._lists.values():
            if found.deleted_at is None and found.ready_at > self._now() and found.watch is None:
                self._schedule_at(found.ready_at, lambda due, pending=found: self._evaluate(pending))


def _object_type(object_type_id: str) -> ObjectType:
    try:
        return resolve(object_type_id)
    except UnknownObjectType:
        raise HubSpotError(f"Unknown objectTypeId {object_type_id}", context={"objectTypeId": [object_type_id]},
                           status=400) from None  # fmt: skip


def _lists_read(branch: Any) -> set[str]:
    """The ids of the lists a branch's IN_LIST and ASSOCIATION filters read."""
    if branch is None:
        return set()
    found = {f.list_id for f in branch.filters if isinstance(f, InListFilter | AssociationInListFilter)}
    for child in branch.filter_branches:
        found |= _lists_read(child)
    return found
