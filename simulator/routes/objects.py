"""CRM objects v3: /crm/v3/objects/{objectType} (contacts, ...)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, request

from simulator.crm.inputs import (
    BatchArchive,
    BatchCreate,
    BatchRead,
    BatchUpdate,
    BatchUpsert,
    GdprDelete,
    MergeInput,
    ObjectCreate,
    ObjectUpdate,
)
from simulator.crm.objects import HISTORY_PAGE_LIMIT, LIST_PAGE_LIMIT
from simulator.crm.search import SearchRequest
from simulator.routes.common import (
    body, portal, query_bool, query_int, query_list, query_str, request_body, requires,
)

bp = Blueprint("objects", __name__, url_prefix="/crm/v3/objects")
READ, WRITE = "crm.objects.{object_type}.read", "crm.objects.{object_type}.write"


@bp.get("/<object_type>")
@requires(READ)
def get_page(object_type: str):
    store = portal().objects(object_type)
    with_history = query_list("propertiesWithHistory") or []
    limit = query_int("limit", 10, maximum=HISTORY_PAGE_LIMIT if with_history else LIST_PAGE_LIMIT)
    records, next_after = store.page(limit=limit, after=query_str("after"), archived=query_bool("archived"))
    properties, associations = query_list("properties"), query_list("associations") or []
    page = {
        "results": [
            store.view(r, properties=properties, with_history=with_history, associations=associations)
            for r in records
        ]
    }
    if next_after is not None:
        query = {**request.args.to_dict(flat=False), "after": [next_after]}
        page["paging"] = {
            "next": {"after": next_after, "link": f"{request.base_url}?{urlencode(query, doseq=True)}"}
        }
    return page


@bp.post("/<object_type>")
@requires(WRITE)
def create(object_type: str):
    store = portal().objects(object_type)
    return store.view(store.create(body(ObjectCreate)), full=True), 201


@bp.post("/<object_type>/search")
@requires(READ)
def do_search(object_type: str):
    return portal().search(object_type).search(SearchRequest.from_body(request_body()))


@bp.post("/<object_type>/merge")
@requires(WRITE)
def merge(object_type: str):
    store, asked = portal().objects(object_type), body(MergeInput)
    return store.view(store.merge(asked.primary_object_id, asked.object_id_to_merge), full=True)


@bp.post("/<object_type>/gdpr-delete")
@requires(WRITE)
def purge(object_type: str):
    asked = body(GdprDelete)
    portal().objects(object_type).gdpr_delete(asked.object_id, id_property=asked.id_property)
    return "", 204


@bp.get("/<object_type>/<path:object_id>")
@requires(READ)
def get_by_id(object_type: str, object_id: str):
    store = portal().objects(object_type)
    record = store.get(object_id, id_property=query_str("idProperty"), archived=query_bool("archived"))
    with_history = query_list("propertiesWithHistory") or []
    associations = query_list("associations") or []
    return store.view(record, properties=query_list("properties"), with_history=with_history, associations=associations)


@bp.patch("/<object_type>/<path:object_id>")
@requires(WRITE)
def update(object_type: str, object_id: str):
    store = portal().objects(object_type)
    record = store.update(object_id, body(ObjectUpdate).properties, id_property=query_str("idProperty"))
    return store.view(record, full=True)


@bp.delete("/<object_type>/<path:object_id>")
@requires(WRITE)
def archive(object_type: str, object_id: str):
    portal().objects(object_type).archive(object_id)
    return "", 204


@bp.post("/<object_type>/batch/create")
@requires(WRITE)
def batch_create(object_type: str):
    result = portal().objects(object_type).batch_create(body(BatchCreate).inputs)
    return result.dump(), result.status_code


@bp.post("/<object_type>/batch/read")
@requires(READ)
def batch_read(object_type: str):
    result = portal().objects(object_type).batch_read(body(BatchRead), archived=query_bool("archived"))
    return result.dump(), result.status_code


@bp.post("/<object_type>/batch/update")
@requires(WRITE)
def batch_update(object_type: str):
    result = portal().objects(object_type).batch_update(body(BatchUpdate).inputs)
    return result.dump(), result.status_code


@bp.post("/<object_type>/batch/upsert")
@requires(WRITE)
def batch_upsert(object_type: str):
    result = portal().objects(object_type).batch_upsert(body(BatchUpsert).inputs)
    return result.dump(), result.status_code


@bp.post("/<object_type>/batch/archive")
@requires(WRITE)
def batch_archive(object_type: str):
    portal().objects(object_type).batch_archive([i.id for i in body(BatchArchive).inputs])
    return "", 204
