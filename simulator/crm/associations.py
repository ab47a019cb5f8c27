"""Associations (v4) between CRM records: symmetric links, primary labels, paging, and the v4 operations.

Every link is stored in both directions, each side with its own type ids (contact->company 279 is company->contact
280), so a read from either record sees it. A primary type (contact->company 1, deal->company 5) names at most one
record per child: setting a new primary moves it. Links to records that are archived are kept but not shown.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from pydantic import Field

from simulator.batch import BatchResult, check_batch_size
from simulator.crm.association_kinds import (
    AssociationKind,
    invalid_object,
    invalid_type,
    no_associations,
    spec,
    spec_with_label,
)
from simulator.crm.association_types import AssociationTypes, LabelCreate, LabelUpdate
from simulator.crm.inputs import AssociationTarget, AssociationType
from simulator.crm.object_types import ObjectType, resolve
from simulator.errors import HubSpotError, ValidationError
from simulator.feed import AssociationChanged, ChangeFeed
from simulator.wire import WireModel, cursor

ASSOCIATION_PAGE_LIMIT = 500  # HubSpot: "Limit 500 per call" on GET .../associations/{toObjectType}
ON_READ_LIMIT = 500  # associations embedded in a v3 object read (HubSpot pages them; the simulator caps them)
BATCH_READ_LIMIT = 1000  # HubSpot: batch/read takes at most 1,000 ids (developer announcement, February 2025)
BATCH_WRITE_LIMIT = 1000  # the simulator's bound on the other association batches

Key = tuple[str, str]  # (object type name, record id)


class ReadInputV3(WireModel):
    """Associations v3 take a record id as a number or a string (tap-hubspot sends the v2 `companyId` number)."""

    model_config = {**WireModel.model_config, "coerce_numbers_to_str": True}
    id: str


class BatchReadAssociationsV3(WireModel):
    inputs: list[ReadInputV3]


class LabelledPair(WireModel):
    from_: AssociationTarget = Field(alias="from")
    to: AssociationTarget
    types: list[AssociationType]


class DefaultPair(WireModel):
    from_: AssociationTarget = Field(alias="from")
    to: AssociationTarget


class ArchivePairs(WireModel):
    from_: AssociationTarget = Field(alias="from")
    to: list[AssociationTarget]


class ReadInput(WireModel):
    id: str
    after: str | None = None


class BatchLabelled(WireModel):
    inputs: list[LabelledPair]


class BatchDefault(WireModel):
    inputs: list[DefaultPair]


class BatchArchivePairs(WireModel):
    inputs: list[ArchivePairs]


class BatchReadAssociations(WireModel):
    inputs: list[ReadInput]


class AssociationStore:
    """The links of one portal. `exists` says whether a record is live (not archived, deleted or merged away);
    `kinds` are the portal's association types (HubSpot's and its custom objects')."""

    def __init__(self, lock: threading.RLock, now: Callable[[], datetime], exists: Callable[[str, str], bool],
                 feed: ChangeFeed | None = None, kinds: AssociationTypes | None = None,
                 resolve_type: Callable[[str], ObjectType] = resolve):
        self.kinds = kinds or AssociationTypes()
        self._type_of = resolve_type
        self._lock = lock
        self._now = now
        self._exists = exists
        self._feed = feed or ChangeFeed()
        # (type, id) -> to type -> to id -> type ids of this direction
        self._edges: dict[Key, dict[str, dict[str, set[int]]]] = {}

    # --- reads -------------------------------------------------------------------------------------------------

    def targets(self, from_type: ObjectType, from_id: str, to_type: ObjectType) -> list[tuple[str, list[int]]]:
        """Live records linked to this one, in id order, with the type ids of this direction."""
        with self._lock:  # a write on another thread must not change the links while they are read
            linked = self._edges.get((from_type.name, from_id), {}).get(to_type.name, {})
            found = [(to_id, sorted(types)) for to_id, types in linked.items() if self._exists(to_type.name, to_id)]
        return sorted(found, key=lambda item: int(item[0]))

    def page(self, from_type: ObjectType, from_id: str, to_type: ObjectType, *, limit: int, after: str | None):
        """GET /crm/v4/objects/{type}/{id}/associations/{toType}: results and the next cursor (a record id)."""
        start = cursor(after)
        found = self.targets(from_type, from_id, to_type)
        if start is not None:
            found = [item for item in found if int(item[0]) >= start]
        next_after = found[limit][0] if len(found) > limit else None
        return [self._v4_target(to_id, types) for to_id, types in found[:limit]], next_after

    def _v4_target(self, to_id: str, types: Iterable[int]) -> dict[str, Any]:
        return {"toObjectId": int(to_id), "associationTypes": [spec_with_label(self.kinds[t]) for t in types]}

    def v3_view(self, from_type: ObjectType, from_id: str, to_types: Sequence[ObjectType]) -> dict[str, Any]:
        """The `associations` of a v3 object read: one entry per type id, types without links left out."""
        shown: dict[str, Any] = {}
        for to_type in to_types:
            results = [
                {"id": to_id, "type": self.kinds[type_id].v3_name}
                for to_id, types in self.targets(from_type, from_id, to_type)
                for type_id in types
            ][:ON_READ_LIMIT]
            if results:
                shown[to_type.name] = {"results": results}
        return shown

    def batch_read(self, from_type: ObjectType, to_type: ObjectType, inputs: Sequence[ReadInput]) -> BatchResult:
        """Each id's links (a page of them); an id without any is HubSpot's NO_ASSOCIATIONS_FOUND error (207)."""
        check_batch_size(inputs, BATCH_READ_LIMIT)
        started, results, errors = self._now(), [], []
        for item in inputs:
            targets, next_after = self.page(from_type, item.id, to_type, limit=ASSOCIATION_PAGE_LIMIT, after=item.after)
            if not targets:
                errors.append(no_associations(from_type, item.id, to_type))
                continue
            found: dict[str, Any] = {"from": {"id": item.id}, "to": targets}
            if next_after is not None:
                found["paging"] = {"next": {"after": next_after}}
            results.append(found)
        return BatchResult(started, self._now(), results, errors)

    def batch_read_v3(self, from_type: ObjectType, to_type: ObjectType, inputs: Sequence[ReadInputV3]) -> BatchResult:
        """POST /crm/v3/associations/{from}/{to}/batch/read: each id's links as `{id, type}` (the v3 type name)."""
        check_batch_size(inputs, BATCH_READ_LIMIT)
        started, results, errors = self._now(), [], []
        for item in inputs:
            targets = [{"id": to_id, "type": self.kinds[type_id].v3_name}
                       for to_id, types in self.targets(from_type, item.id, to_type) for type_id in types]
            if targets:
                results.append({"from": {"id": item.id}, "to": targets})
            else:
                errors.append(no_associations(from_type, item.id, to_type))
        return BatchResult(started, self._now(), results, errors)

    def labels(self, from_type: ObjectType, to_type: ObjectType) -> list[dict[str, Any]]:
        return [spec_with_label(k) for k in self.kinds.between(from_type, to_type)]

    # --- custom labels (the associations schema API) ---------------------------------------------------------------

    def create_label(self, from_type: ObjectType, to_type: ObjectType, request: LabelCreate) -> list[dict[str, Any]]:
        """POST .../labels: the new label's type each way."""
        with self._lock:
            stored = self.kinds.add_label(from_type, to_type, request)
            return [spec_with_label(kind) for kind in stored.kinds()]

    def update_label(self, from_type: ObjectType, to_type: ObjectType, request: LabelUpdate) -> None:
        with self._lock:
            self.kinds.relabel(from_type, to_type, request)

    def delete_label(self, from_type: ObjectType, to_type: ObjectType, type_id: str) -> None:
        """Refused while a link carries it: deleting a label must not change what records are linked by."""
        with self._lock:
            stored = self.kinds.label(from_type, to_type, type_id)
            # each link is stored both ways: count one direction
            in_use = sum(1 for targets in self._edges.values() for linked in targets.values()
                         for types in linked.values() if stored.id in types)  # fmt: skip
            if in_use:
                raise ValidationError(f"Label {type_id} is still on {in_use} association{'s' * (in_use != 1)}; "
                                      "remove it from them first (batch/labels/archive)")  # fmt: skip
            self.kinds.remove_label(stored)

    # --- the v4 writes -----------------------------------------------------------------------------------------

    def create_default(self, from_type: ObjectType, from_id: str, to_type: ObjectType, to_id: str) -> BatchResult:
        """PUT .../associations/default/...: the unlabeled type, shown both ways."""
        with self._lock:
            started = self._now()
            kind = self._plan_default(from_type, from_id, to_type, to_id)
            self.add(from_type.name, from_id, to_type.name, to_id, [])
            return BatchResult(started, self._now(), self._default_results(kind, from_id, to_id))

    def create_labelled(self, from_type: ObjectType, from_id: str, to_type: ObjectType, to_id: str,
                        types: Sequence[AssociationType]) -> dict[str, Any]:
        """PUT .../associations/{toType}/{toId} with types: LabelsBetweenObjectPair."""
        with self._lock:
            kinds = self.plan(from_type, from_id, to_type, to_id, types, required=True)
            self.add(from_type.name, from_id, to_type.name, to_id, kinds)
            return self._pair_labels(from_type, from_id, to_type, to_id)

    def delete(self, from_type: ObjectType, from_id: str, to_type: ObjectType, to_id: str) -> None:
        with self._lock:
            self.remove(from_type.name, from_id, to_type.name, to_id)

    def batch_create(self, from_type: ObjectType, to_type: ObjectType, inputs: Sequence[LabelledPair]) -> BatchResult:
        """Every input checked first; the good ones are linked, the bad ones reported (207)."""
        check_batch_size(inputs, BATCH_WRITE_LIMIT)
        with self._lock:
            started, planned, errors = self._now(), [], []
            for item in inputs:
                try:
                    kinds = self.plan(from_type, item.from_.id, to_type, item.to.id, item.types, required=True)
                except HubSpotError as exc:
                    errors.append(exc.as_batch_error())
                    continue
                planned.append((item, kinds))
            results = []
            for item, kinds in planned:
                self.add(from_type.name, item.from_.id, to_type.name, item.to.id, kinds)
                results.append(self._pair_labels(from_type, item.from_.id, to_type, item.to.id))
            return BatchResult(started, self._now(), results, errors, success_status=201)

    def batch_default(self, from_type: ObjectType, to_type: ObjectType, inputs: Sequence[DefaultPair]) -> BatchResult:
        """The good inputs are linked; the bad ones are reported in a 200, as HubSpot's spec answers (no 207)."""
        check_batch_size(inputs, BATCH_WRITE_LIMIT)
        with self._lock:
            started, planned, errors = self._now(), [], []
            for item in inputs:
                try:
                    planned.append((item, self._plan_default(from_type, item.from_.id, to_type, item.to.id)))
                except HubSpotError as exc:
                    errors.append(exc.as_batch_error())
            results = []
            for item, kind in planned:
                self.add(from_type.name, item.from_.id, to_type.name, item.to.id, [])
                results.extend(self._default_results(kind, item.from_.id, item.to.id))
            return BatchResult(started, self._now(), results, errors, multi_status=False)

    def batch_archive(self, from_type: ObjectType, to_type: ObjectType, inputs: Sequence[ArchivePairs]) -> None:
        """Every link between each pair goes; pairs without links are fine (HubSpot answers 204)."""
        check_batch_size(inputs, BATCH_WRITE_LIMIT)
        with self._lock:
            for item in inputs:
                for to in item.to:
                    self.remove(from_type.name, item.from_.id, to_type.name, to.id)

    def batch_archive_labels(self, from_type: ObjectType, to_type: ObjectType, inputs: Sequence[LabelledPair]) -> None:
        """Only these types go; removing the unlabeled type removes every type of the pair."""
        check_batch_size(inputs, BATCH_WRITE_LIMIT)
        with self._lock:
            plans = [(item, self._check_types(from_type, to_type, item.types)) for item in inputs]
            for item, kinds in plans:
                self.remove(from_type.name, item.from_.id, to_type.name, item.to.id, [k.type_id for k in kinds])

    def _pair_labels(self, from_type: ObjectType, from_id: str, to_type: ObjectType, to_id: str) -> dict[str, Any]:
        types = set(self._edges.get((from_type.name, from_id), {}).get(to_type.name, {}).get(to_id, ()))
        return {
            "fromObjectTypeId": from_type.object_type_id,
            "fromObjectId": int(from_id),
            "toObjectTypeId": to_type.object_type_id,
            "toObjectId": int(to_id),
            "labels": sorted(self.kinds[t].label for t in types if self.kinds[t].label),
        }

    def _default_results(self, kind: AssociationKind, from_id: str, to_id: str) -> list[dict[str, Any]]:
        inverse = self.kinds[kind.inverse_id]
        return [
            {"from": {"id": from_id}, "to": {"id": to_id}, "associationSpec": spec(kind)},
            {"from": {"id": to_id}, "to": {"id": from_id}, "associationSpec": spec(inverse)},
        ]

    # --- planning (nothing written) ----------------------------------------------------------------------------

    def plan(self, from_type: ObjectType, from_id: str | None, to_type: ObjectType, to_id: str,
             types: Sequence[AssociationType], *, required: bool = False) -> list[AssociationKind]:
        """The kinds a write asks for, checked against HubSpot's types and live records.

        `from_id` is None when the from-record is being created by the same request."""
        if required and not types:
            raise ValidationError("An association needs at least one type (associationCategory, associationTypeId)")
        kinds = self._check_types(from_type, to_type, types, from_id=from_id)
        if from_id is not None and not self._exists(from_type.name, from_id):
            raise invalid_object(from_type, from_id)
        if not self._exists(to_type.name, to_id):
            raise invalid_object(to_type, to_id)
        return kinds

    def _check_types(self, from_type: ObjectType, to_type: ObjectType, types: Sequence[AssociationType], *,
                     from_id: str | None = None) -> list[AssociationKind]:
        kinds = []
        for asked in types:
            category, type_id = asked.association_category, asked.association_type_id
            kind = self.kinds.get(type_id)
            if kind is None or kind.category != category:
                raise invalid_type(f"{category} {type_id} is not a defined association type")
            if (kind.from_type, kind.to_type) != (from_type.name, to_type.name):
                if from_id is not None:
                    # HubSpot reads the type id as the pair it belongs to, then finds no record of that type.
                    raise invalid_object(self._type_of(kind.from_type), from_id)
                raise invalid_type(f"{category} {type_id} links {kind.from_type} to {kind.to_type}, not "
                                   f"{from_type.name} to {to_type.name}")  # fmt: skip
            kinds.append(kind)
        return kinds

    def _plan_default(self, from_type: ObjectType, from_id: str, to_type: ObjectType, to_id: str) -> AssociationKind:
        kind = self.kinds.default(from_type.name, to_type.name)
        if kind is None:
            raise invalid_type(f"There is no default association type from {from_type.name} to {to_type.name}")
        self.plan(from_type, from_id, to_type, to_id, [])
        return kind

    # --- links (under the portal lock) -------------------------------------------------------------------------

    def add(self, from_type: str, from_id: str, to_type: str, to_id: str, kinds: Iterable[AssociationKind]) -> None:
        """Link the pair with `kinds` and the unlabeled kind, which every link has, both ways."""
        default = self.kinds.default(from_type, to_type)
        if default is None:
            raise invalid_type(f"There is no association type from {from_type} to {to_type}")
        for kind in [default, *kinds]:
            self._link(from_type, from_id, to_type, to_id, kind)

    def _link(self, from_type: str, from_id: str, to_type: str, to_id: str, kind: AssociationKind) -> None:
        child = (from_type, from_id, to_type, to_id, kind) if kind.primary else None
        if self.kinds[kind.inverse_id].primary:
            child = (to_type, to_id, from_type, from_id, self.kinds[kind.inverse_id])
        if child is not None:  # a primary moves: the child's other records of this kind lose the label
            c_type, c_id, p_type, p_id, c_kind = child
            for other, types in list(self._edges.get((c_type, c_id), {}).get(p_type, {}).items()):
                if other != p_id and c_kind.type_id in types:
                    self._unlink(c_type, c_id, p_type, other, {c_kind.type_id})
        types = self._edges.setdefault((from_type, from_id), {}).setdefault(to_type, {}).setdefault(to_id, set())
        if kind.type_id in types:
            return
        types.add(kind.type_id)
        self._edges.setdefault((to_type, to_id), {}).setdefault(from_type, {}).setdefault(from_id, set()).add(
            kind.inverse_id
        )
        self._feed.publish(AssociationChanged(from_type, from_id, to_type, to_id, True, self._now()))

    def _unlink(self, from_type: str, from_id: str, to_type: str, to_id: str, type_ids: set[int]) -> None:
        if any(self.kinds[t].label is None for t in type_ids):  # the unlabeled type goes: the whole link goes
            type_ids = set(self._edges.get((from_type, from_id), {}).get(to_type, {}).get(to_id, ()))
        inverse_ids = {self.kinds[t].inverse_id for t in type_ids}
        for a_type, a_id, b_type, b_id, ids in (
            (from_type, from_id, to_type, to_id, type_ids),
            (to_type, to_id, from_type, from_id, inverse_ids),
        ):
            by_type = self._edges.get((a_type, a_id), {})
            linked = by_type.get(b_type, {})
            remaining = linked.get(b_id, set()) - ids
            if remaining:
                linked[b_id] = remaining
                continue
            linked.pop(b_id, None)
            if not linked:
                by_type.pop(b_type, None)
            if not by_type:
                self._edges.pop((a_type, a_id), None)
        if type_ids:
            still = bool(self._edges.get((from_type, from_id), {}).get(to_type, {}).get(to_id))
            self._feed.publish(AssociationChanged(from_type, from_id, to_type, to_id, still, self._now()))

    def remove(self, from_type: str, from_id: str, to_type: str, to_id: str, type_ids: Iterable[int] | None = None):
        """Every link between the pair, or only these type ids."""
        current = self._edges.get((from_type, from_id), {}).get(to_type, {}).get(to_id)
        if current:
            chosen = set(current) if type_ids is None else current & set(type_ids)
            self._unlink(from_type, from_id, to_type, to_id, chosen)

    def forget(self, object_type: str, object_id: str) -> None:
        """A record gone for good (GDPR delete, merged away): its links go both ways."""
        for to_type, linked in list(self._edges.get((object_type, object_id), {}).items()):
            for to_id in list(linked):
                self.remove(object_type, object_id, to_type, to_id)

    def merge(self, object_type: str, primary_id: str, secondary_id: str, new_id: str) -> None:
        """The merged record takes both records' links; the primary record's primary labels win."""
        for old_id in (primary_id, secondary_id):
            for to_type, linked in list(self._edges.get((object_type, old_id), {}).items()):
                for to_id, types in list(linked.items()):
                    kinds = sorted((self.kinds[t] for t in types), key=lambda k: k.label is not None)
                    if old_id == secondary_id:
                        kinds = [k for k in kinds if not (k.primary and self._has(object_type, new_id, k))]
                    for kind in kinds:
                        self._link(object_type, new_id, to_type, to_id, kind)
            self.forget(object_type, old_id)

    def _has(self, object_type: str, object_id: str, kind: AssociationKind) -> bool:
        linked = self._edges.get((object_type, object_id), {}).get(kind.to_type, {})
        return any(kind.type_id in types for types in linked.values())

    # --- snapshots ---------------------------------------------------------------------------------------------

    def export(self) -> list[list[Any]]:
        """Each link once, from the side whose type ids are the smaller: [fromType, fromId, toType, toId, typeIds]."""
        rows = []
        for (from_type, from_id), by_type in self._edges.items():
            for to_type, linked in by_type.items():
                for to_id, types in linked.items():
                    mine = sorted(t for t in types if t < self.kinds[t].inverse_id)
                    if mine:
                        rows.append([from_type, from_id, to_type, to_id, mine])
        return sorted(rows, key=lambda r: (r[0], int(r[1]), r[2], int(r[3])))

    def restore(self, rows: Iterable[Sequence[Any]], known: Callable[[str, str], bool]) -> None:
        """Load an export into this (empty) store; `known` says whether a record exists (live or archived)."""
        for row in rows:
            from_type, from_id, to_type, to_id, type_ids = row
            for type_id in type_ids:
                kind = self.kinds.get(type_id)
                if kind is None or (kind.from_type, kind.to_type) != (from_type, to_type):
                    raise ValueError(f"association type {type_id} does not link {from_type} to {to_type}")
                if not (known(from_type, from_id) and known(to_type, to_id)):
                    raise ValueError(f"association {from_type} {from_id} -> {to_type} {to_id} names a missing record")
                self._link(from_type, from_id, to_type, to_id, kind)
