"""Properties API v3: /crm/v3/properties/{objectType} — definitions, batches and groups."""

from __future__ import annotations

from flask import Blueprint

from simulator.crm.properties import PropertyCreate, PropertyGroupCreate, PropertyGroupUpdate, PropertyUpdate
from simulator.routes.common import body, portal, query_bool, query_list, requires
from simulator.wire import WireModel

bp = Blueprint("properties", __name__, url_prefix="/crm/v3/properties")
READ, WRITE = "crm.schemas.{object_type}.read", "crm.schemas.{object_type}.write"


class PropertyName(WireModel):
    name: str


class BatchPropertyCreate(WireModel):
    inputs: list[PropertyCreate]


class BatchPropertyNames(WireModel):
    inputs: list[PropertyName]


class BatchPropertyRead(WireModel):
    inputs: list[PropertyName]
    archived: bool = False
    data_sensitivity: str | None = None


@bp.get("/<object_type>")
@requires(READ)
def get_all(object_type: str):
    store = portal().properties(object_type)
    definitions = store.all(archived=query_bool("archived"), names=query_list("properties"))
    return {"results": [d.dump() for d in definitions]}


@bp.post("/<object_type>")
@requires(WRITE)
def create(object_type: str):
    return portal().properties(object_type).create(body(PropertyCreate)).dump(), 201


@bp.get("/<object_type>/<property_name>")
@requires(READ)
def get_by_name(object_type: str, property_name: str):
    return portal().properties(object_type).get(property_name, archived=query_bool("archived")).dump()


@bp.patch("/<object_type>/<property_name>")
@requires(WRITE)
def update(object_type: str, property_name: str):
    return portal().properties(object_type).update(property_name, body(PropertyUpdate)).dump()


@bp.delete("/<object_type>/<property_name>")
@requires(WRITE)
def archive(object_type: str, property_name: str):
    portal().properties(object_type).archive(property_name)
    return "", 204


@bp.post("/<object_type>/batch/create")
@requires(WRITE)
def batch_create(object_type: str):
    result = portal().properties(object_type).batch_create(body(BatchPropertyCreate).inputs)
    return result.dump(), result.status_code


@bp.post("/<object_type>/batch/read")
@requires(READ)
def batch_read(object_type: str):
    request_body = body(BatchPropertyRead)
    result = portal().properties(object_type).batch_read(
        [i.name for i in request_body.inputs], archived=request_body.archived
    )
    return result.dump(), result.status_code


@bp.post("/<object_type>/batch/archive")
@requires(WRITE)
def batch_archive(object_type: str):
    portal().properties(object_type).batch_archive([i.name for i in body(BatchPropertyNames).inputs])
    return "", 204


@bp.get("/<object_type>/groups")
@requires(READ)
def get_groups(object_type: str):
    return {"results": [g.dump() for g in portal().properties(object_type).groups()]}


@bp.post("/<object_type>/groups")
@requires(WRITE)
def create_group(object_type: str):
    return portal().properties(object_type).create_group(body(PropertyGroupCreate)).dump(), 201


@bp.get("/<object_type>/groups/<group_name>")
@requires(READ)
def get_group(object_type: str, group_name: str):
    return portal().properties(object_type).group(group_name).dump()


@bp.patch("/<object_type>/groups/<group_name>")
@requires(WRITE)
def update_group(object_type: str, group_name: str):
    return portal().properties(object_type).update_group(group_name, body(PropertyGroupUpdate)).dump()


@bp.delete("/<object_type>/groups/<group_name>")
@requires(WRITE)
def archive_group(object_type: str, group_name: str):
    portal().properties(object_type).archive_group(group_name)
    return "", 204
