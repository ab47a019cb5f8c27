"""Lists v3: /crm/v3/lists (lists, memberships, record memberships, folders)."""

from __future__ import annotations

from flask import Blueprint

from simulator.lists.requests import (
    BatchRecordIds,
    FolderCreate,
    ListCreate,
    ListFilterUpdate,
    ListMove,
    ListSearch,
    MembershipChange,
    record_ids,
)
from simulator.lists.views import (
    batch_record_memberships,
    list_view,
    memberships_page,
    record_memberships,
    search_view,
)
from simulator.routes.common import body, json_body, portal, query_bool, query_int, query_list, query_str, requires

bp = Blueprint("lists", __name__, url_prefix="/crm/v3/lists")
READ, WRITE = "crm.lists.read", "crm.lists.write"
DEFAULT_PAGE = 100  # HubSpot: memberships pages default to 100


@bp.post("/")
@requires(WRITE)
def create_list():
    store = portal().lists
    return {"list": list_view(store, store.create(body(ListCreate)), include_filters=True)}


@bp.get("/")
@requires(READ)
def get_lists_by_ids():
    store = portal().lists
    found = store.by_ids(query_list("listIds") or [])
    return {"lists": [list_view(store, f, include_filters=query_bool("includeFilters")) for f in found]}


@bp.post("/search")
@requires(READ)
def search_lists():
    return search_view(portal().lists, body(ListSearch))


@bp.get("/<int:list_id>")
@requires(READ)
def get_list(list_id: int):
    store = portal().lists
    return {"list": list_view(store, store.get(str(list_id)), include_filters=query_bool("includeFilters"))}


@bp.get("/object-type-id/<object_type_id>/name/<list_name>")
@requires(READ)
def get_list_by_name(object_type_id: str, list_name: str):
    store = portal().lists
    found = store.by_name(object_type_id, list_name)
    return {"list": list_view(store, found, include_filters=query_bool("includeFilters"))}


@bp.delete("/<int:list_id>")
@requires(WRITE)
def delete_list(list_id: int):
    portal().lists.delete(str(list_id))
    return "", 204


@bp.put("/<int:list_id>/restore")
@requires(WRITE)
def restore_list(list_id: int):
    portal().lists.restore(str(list_id))
    return "", 204


@bp.put("/<int:list_id>/update-list-name")
@requires(WRITE)
def update_list_name(list_id: int):
    store = portal().lists
    found = store.rename(str(list_id), query_str("listName"))
    return {"updatedList": list_view(store, found, include_filters=query_bool("includeFilters"))}


@bp.put("/<int:list_id>/update-list-filters")
@requires(WRITE)
def update_list_filters(list_id: int):
    store = portal().lists
    found = store.update_filters(str(list_id), body(ListFilterUpdate).filter_branch)
    return {"updatedList": list_view(store, found, include_filters=True)}


@bp.get("/<int:list_id>/memberships")
@requires(READ)
def get_memberships(list_id: int):
    return _page(str(list_id), join_order=False)


@bp.get("/<int:list_id>/memberships/join-order")
@requires(READ)
def get_memberships_in_join_order(list_id: int):
    return _page(str(list_id), join_order=True)


def _page(list_id: str, *, join_order: bool):
    found = portal().lists.get(list_id)
    return memberships_page(found, join_order=join_order, after=query_str("after"), before=query_str("before"),
                            limit=query_int("limit", DEFAULT_PAGE, maximum=None))  # fmt: skip


@bp.put("/<int:list_id>/memberships/add")
@requires(WRITE)
def add_list_memberships(list_id: int):
    return portal().lists.add_members(str(list_id), record_ids(json_body()))


@bp.put("/<int:list_id>/memberships/remove")
@requires(WRITE)
def remove_list_memberships(list_id: int):
    return portal().lists.remove_members(str(list_id), record_ids(json_body()))


@bp.put("/<int:list_id>/memberships/add-and-remove")
@requires(WRITE)
def add_and_remove_list_memberships(list_id: int):
    change = body(MembershipChange)
    return portal().lists.change_members(str(list_id), change.record_ids_to_add, change.record_ids_to_remove)


@bp.put("/<int:list_id>/memberships/add-from/<int:source_list_id>")
@requires(WRITE)
def add_all_from_source_list(list_id: int, source_list_id: int):
    portal().lists.add_from(str(list_id), str(source_list_id))
    return "", 204


@bp.delete("/<int:list_id>/memberships")
@requires(WRITE)
def remove_all_list_memberships(list_id: int):
    portal().lists.clear(str(list_id))
    return "", 204


@bp.get("/records/<object_type_id>/<record_id>/memberships")
@requires(READ)
def get_record_memberships(object_type_id: str, record_id: str):
    results = record_memberships(portal().lists, object_type_id, record_id)
    return {"results": results, "total": len(results)}


@bp.post("/records/memberships/batch/read")
@requires(READ)
def batch_read_record_memberships():
    current = portal()
    return batch_record_memberships(current.lists, body(BatchRecordIds), current.clock.now()).dump()


@bp.get("/folders")
@requires(READ)
def get_folder():
    folders = portal().lists.folders
    return {"folder": folders.view(folders.get(query_str("folderId") or "0"))}


@bp.post("/folders")
@requires(WRITE)
def create_folder():
    request_body, store = body(FolderCreate), portal().lists
    return {"folder": store.folders.view(store.create_folder(request_body.name, request_body.parent_folder_id))}


@bp.put("/folders/<folder_id>/rename")
@requires(WRITE)
def rename_folder(folder_id: str):
    store = portal().lists
    return {"folder": store.folders.view(store.rename_folder(folder_id, query_str("newFolderName")))}


@bp.put("/folders/<folder_id>/move/<new_parent_folder_id>")
@requires(WRITE)
def move_folder(folder_id: str, new_parent_folder_id: str):
    store = portal().lists
    return {"folder": store.folders.view(store.move_folder(folder_id, new_parent_folder_id))}


@bp.put("/folders/move-list")
@requires(WRITE)
def move_list():
    request_body = body(ListMove)
    portal().lists.move_list(request_body.list_id, request_body.new_folder_id)
    return "", 204


@bp.delete("/folders/<folder_id>")
@requires(WRITE)
def delete_folder(folder_id: str):
    portal().lists.delete_folder(folder_id)
    return "", 204
