"""The wire shapes of lists v3: PublicObjectList, membership pages, record memberships, search results."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from simulator.batch import BatchResult, check_batch_size
from simulator.errors import ValidationError
from simulator.lists.requests import MEMBERSHIP_PAGE_LIMIT, BatchRecordIds, ListSearch
from simulator.lists.store import ListStore, ObjectList
from simulator.wire import iso

# What a list search answers in `additionalProperties` unless asked for more (HubSpot's list search examples).
DEFAULT_SEARCH_PROPERTIES = ("hs_list_size", "hs_last_record_added_at", "hs_last_record_removed_at",
                             "hs_folder_name", "hs_list_reference_count")  # fmt: skip


def list_view(store: ListStore, found: ObjectList, *, include_filters: bool = False) -> dict[str, Any]:
    """PublicObjectList: the fields the SDK requires (listId, listVersion, name, objectTypeId, processingStatus,
    processingType) and the rest HubSpot sends; `filterBranch` only when asked for, as HubSpot does."""
    body: dict[str, Any] = {
        "listId": found.id,
        "listVersion": found.version,
        "name": found.name,
        "objectTypeId": found.object_type.object_type_id,
        "processingType": found.processing_type,
        "processingStatus": store.processing_status(found),
        "size": len(found.members),
        "createdAt": iso(found.created_at),
        "updatedAt": iso(found.updated_at),
        "filtersUpdatedAt": iso(found.filters_updated_at),
    }
    if found.deleted_at is not None:
        body["deletedAt"] = iso(found.deleted_at)
    if include_filters and found.branch is not None:
        body["filterBranch"] = found.branch.dump()
    return body


def search_view(store: ListStore, request: ListSearch) -> dict[str, Any]:
    """ListSearchResponse: `offset` is where the next page starts; names match the query case-insensitively."""
    query = (request.query or "").lower()
    wanted = set(request.list_ids)
    matched = [
        found for found in store.all()
        if query in found.name.lower()
        and (not request.processing_types or found.processing_type in request.processing_types)
        and (not wanted or found.id in wanted)
        and (request.object_type_id is None or found.object_type.object_type_id == request.object_type_id)
    ]  # fmt: skip
    page = matched[request.offset : request.offset + request.count]
    names = list(dict.fromkeys([*DEFAULT_SEARCH_PROPERTIES, *request.additional_properties]))
    results = []
    for found in page:
        body = list_view(store, found)
        body.pop("size")
        body["additionalProperties"] = _additional(store, found, names)
        results.append(body)
    next_offset = request.offset + len(page)
    return {"lists": results, "offset": next_offset, "hasMore": next_offset < len(matched), "total": len(matched)}


def _additional(store: ListStore, found: ObjectList, names: Sequence[str]) -> dict[str, str]:
    known = {
        "hs_list_size": str(len(found.members)),
        "hs_last_record_added_at": _ms(found.last_added_at),
        "hs_last_record_removed_at": _ms(found.last_removed_at),
        "hs_folder_name": store.folders.name_of(found.folder_id),
        "hs_list_reference_count": str(store.reference_count(found.id)),
        "hs_object_type_id": found.object_type.object_type_id,
        "hs_processing_type": found.processing_type,
    }
    return {name: known[name] for name in names if known.get(name) is not None}


def _ms(moment: datetime | None) -> str | None:
    return str(int(moment.timestamp() * 1000)) if moment is not None else None


def memberships_page(found: ObjectList, *, join_order: bool, after: str | None, before: str | None,
                     limit: int) -> dict[str, Any]:  # fmt: skip
    """A page of members by record id (or in join order). The cursors are positions, opaque to the caller."""
    if limit < 1 or limit > MEMBERSHIP_PAGE_LIMIT:
        raise ValidationError(f"limit must be between 1 and {MEMBERSHIP_PAGE_LIMIT}, got {limit}")
    members = list(found.members.items())
    if not join_order:
        members.sort(key=lambda item: int(item[0]) if item[0].isdigit() else 0)
    start = _position(after, "after") if after is not None else 0
    if before is not None and after is None:
        start = max(_position(before, "before") - limit, 0)
    page = members[start : start + limit]
    body: dict[str, Any] = {
        "results": [{"recordId": record_id, "membershipTimestamp": iso(at)} for record_id, at in page],
        "total": len(members),
    }
    paging: dict[str, Any] = {}
    if start + limit < len(members):
        paging["next"] = {"after": str(start + limit)}
    if start > 0:
        paging["prev"] = {"before": str(start)}
    if paging:
        body["paging"] = paging
    return body


def _position(cursor: str, name: str) -> int:
    if not cursor.isdigit():
        raise ValidationError(f"{name} must be the cursor HubSpot returned, got {cursor!r}")
    return int(cursor)


def record_memberships(store: ListStore, object_type_id: str, record_id: str) -> list[dict[str, Any]]:
    return [
        {"listId": found.id, "listVersion": found.version, "firstAddedTimestamp": iso(first),
         "lastAddedTimestamp": iso(last), "isPublicList": True}
        for found, first, last in store.memberships_of(object_type_id, record_id)
    ]  # fmt: skip


def batch_record_memberships(store: ListStore, request: BatchRecordIds, now: datetime) -> BatchResult:
    check_batch_size(request.inputs)
    results = [
        {"objectTypeId": item.object_type_id, "recordId": item.record_id,
         "recordListMemberships": record_memberships(store, item.object_type_id, item.record_id)}
        for item in request.inputs
    ]  # fmt: skip
    return BatchResult(now, now, results)
