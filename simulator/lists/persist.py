"""The lists section of a portal snapshot (and of `--state` files): lists with their filters, memberships with their
join times, deleted lists, folders, and the pending window checks, so a restored portal resumes them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from simulator.crm.object_types import resolve
from simulator.errors import HubSpotError
from simulator.lists.parsing import parse_branch
from simulator.lists.store import ListStore, ObjectList

PROCESSING_TYPES = ("MANUAL", "DYNAMIC", "SNAPSHOT")


def export_lists(store: ListStore) -> dict[str, Any]:
    return {
        "nextId": store.next_id,
        "folders": store.folders.export(),
        "lists": [_export(store, found) for found in store.every_list()],
    }


def _export(store: ListStore, found: ObjectList) -> dict[str, Any]:
    def at(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment is not None else None

    return {
        "id": found.id, "name": found.name, "objectTypeId": found.object_type.object_type_id,
        "processingType": found.processing_type,
        "filterBranch": found.branch.dump() if found.branch is not None else None,
        "version": found.version, "folderId": found.folder_id,
        "createdAt": at(found.created_at), "updatedAt": at(found.updated_at),
        "filtersUpdatedAt": at(found.filters_updated_at), "deletedAt": at(found.deleted_at),
        "readyAt": at(found.ready_at), "lastAddedAt": at(found.last_added_at), "lastRemovedAt": at(found.last_removed_at),
        "watching": found.watch is not None,
        "members": [[record_id, joined.isoformat()] for record_id, joined in found.members.items()],
        "firstAdded": {record_id: moment.isoformat() for record_id, moment in found.first_added.items()},
        "windowChecks": [[record_id, due.isoformat()] for record_id, due in store.pending_checks(found)],
    }  # fmt: skip


def restore_lists(store: ListStore, data: dict[str, Any]) -> None:
    """Load an export into a new, detached store; raises ValueError (or KeyError, TypeError) on anything wrong."""
    store.folders.restore(data["folders"])
    rows = data["lists"]
    lists = [_restore(row) for row in rows]
    ids = [found.id for found in lists]
    if len(set(ids)) != len(ids) or not all(i.isdigit() for i in ids):
        raise ValueError("list ids must be unique numbers")
    if not isinstance(data["nextId"], int) or data["nextId"] <= max((int(i) for i in ids), default=0):
        raise ValueError("nextId must be above every list id")
    for found in lists:
        if found.folder_id is not None:
            store.folders.get(found.folder_id)
        store.adopt(found)
    store.next_id = data["nextId"]
    for found, row in zip(lists, rows, strict=True):
        if not row["watching"]:
            continue  # MANUAL, SNAPSHOT, deleted, or still processing (resume schedules its evaluation)
        if found.processing_type != "DYNAMIC" or found.deleted_at is not None:
            raise ValueError(f"list {found.id}: only a live DYNAMIC list follows its filters")
        try:
            store.follow(found, [(r, datetime.fromisoformat(due)) for r, due in row["windowChecks"]])
        except HubSpotError as exc:  # filters that no longer compile (a property gone): the file is refused
            raise ValueError(f"list {found.id}: {exc.message}") from None


def _restore(row: dict[str, Any]) -> ObjectList:
    def at(raw: str | None) -> datetime | None:
        if raw is None:
            return None
        moment = datetime.fromisoformat(raw)
        if moment.tzinfo is None:
            raise ValueError(f"{raw} needs a time zone")
        return moment

    if row["processingType"] not in PROCESSING_TYPES:
        raise ValueError(f"processingType must be one of {PROCESSING_TYPES}")
    try:
        branch = parse_branch(row["filterBranch"]) if row["filterBranch"] is not None else None
    except HubSpotError as exc:
        raise ValueError(f"list {row['id']}: {exc.message}") from None
    found = ObjectList(str(row["id"]), str(row["name"]), resolve(row["objectTypeId"]), row["processingType"], branch,
                       at(row["createdAt"]))  # fmt: skip
    found.version, found.folder_id = int(row["version"]), row["folderId"]
    found.updated_at, found.filters_updated_at = at(row["updatedAt"]), at(row["filtersUpdatedAt"])
    found.deleted_at, found.ready_at = at(row["deletedAt"]), at(row["readyAt"])
    found.last_added_at, found.last_removed_at = at(row["lastAddedAt"]), at(row["lastRemovedAt"])
    found.members = {str(record_id): at(joined) for record_id, joined in row["members"]}
    found.first_added = {str(record_id): at(moment) for record_id, moment in row["firstAdded"].items()}
    return found
