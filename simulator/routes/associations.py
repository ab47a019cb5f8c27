"""Associations v4: /crm/v4/objects/{type}/{id}/associations/... and /crm/v4/associations/{from}/{to}/..."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, request

from simulator.crm.associations import (
    ASSOCIATION_PAGE_LIMIT,
    BatchArchivePairs,
    BatchDefault,
    BatchLabelled,
    BatchReadAssociations,
)
from simulator.crm.association_types import LabelCreate, LabelUpdate
from simulator.crm.inputs import AssociationType
from simulator.crm.object_types import ObjectType
from simulator.routes.common import body, json_body, portal, query_int, query_str, requires
from simulator.wire import WireModel

bp = Blueprint("associations", __name__, url_prefix="/crm/v4")
READ, WRITE = "crm.objects.{object_type}.read", "crm.objects.{object_type}.write"


class AssociationTypes(WireModel):
    types: list[AssociationType]


def _type(name: str) -> ObjectType:
    return portal().object_type(name)


@bp.get("/objects/<object_type>/<object_id>/associations/<to_object_type>")
@requires(READ)
def get_page(object_type: str, object_id: str, to_object_type: str):
    results, next_after = portal().crm.associations.page(
        _type(object_type), object_id, _type(to_object_type),
        limit=query_int("limit", ASSOCIATION_PAGE_LIMIT, maximum=ASSOCIATION_PAGE_LIMIT), after=query_str("after"),
    )  # fmt: skip
    page: dict = {"results": results}
    if next_after is not None:
        query = {**request.args.to_dict(flat=False), "after": [next_after]}
        page["paging"] = {"next": {"after": next_after, "link": f"{request.base_url}?{urlencode(query, doseq=True)}"}}
    return page


@bp.put("/objects/<object_type>/<object_id>/associations/default/<to_object_type>/<to_object_id>")
@requires(WRITE)
def create_default(object_type: str, object_id: str, to_object_type: str, to_object_id: str):
    result = portal().crm.associations.create_default(
        _type(object_type), object_id, _type(to_object_type), to_object_id
    )
    return result.dump()


@bp.put("/objects/<object_type>/<object_id>/associations/<to_object_type>/<to_object_id>")
@requires(WRITE)
def create(object_type: str, object_id: str, to_object_type: str, to_object_id: str):
    types = AssociationTypes.parse({"types": json_body()}).types  # the body is a bare array of AssociationSpec
    return portal().crm.associations.create_labelled(
        _type(object_type), object_id, _type(to_object_type), to_object_id, types
    ), 201


@bp.delete("/objects/<object_type>/<object_id>/associations/<to_object_type>/<to_object_id>")
@requires(WRITE)
def archive(object_type: str, object_id: str, to_object_type: str, to_object_id: str):
    portal().crm.associations.delete(_type(object_type), object_id, _type(to_object_type), to_object_id)
    return "", 204


@bp.post("/associations/<object_type>/<to_object_type>/batch/create")
@requires(WRITE)
def batch_create(object_type: str, to_object_type: str):
    result = portal().crm.associations.batch_create(
        _type(object_type), _type(to_object_type), body(BatchLabelled).inputs
    )
    return result.dump(), result.status_code


@bp.post("/associations/<object_type>/<to_object_type>/batch/associate/default")
@requires(WRITE)
def batch_create_default(object_type: str, to_object_type: str):
    result = portal().crm.associations.batch_default(
        _type(object_type), _type(to_object_type), body(BatchDefault).inputs
    )
    return result.dump(), result.status_code


@bp.post("/associations/<object_type>/<to_object_type>/batch/read")
@requires(READ)
def batch_read(object_type: str, to_object_type: str):
    result = portal().crm.associations.batch_read(
        _type(object_type), _type(to_object_type), body(BatchReadAssociations).inputs
    )
    return result.dump(), result.status_code


@bp.post("/associations/<object_type>/<to_object_type>/batch/archive")
@requires(WRITE)
def batch_archive(object_type: str, to_object_type: str):
    portal().crm.associations.batch_archive(
        _type(object_type), _type(to_object_type), body(BatchArchivePairs).inputs
    )
    return "", 204


@bp.post("/associations/<object_type>/<to_object_type>/batch/labels/archive")
@requires(WRITE)
def batch_archive_labels(object_type: str, to_object_type: str):
    portal().crm.associations.batch_archive_labels(
        _type(object_type), _type(to_object_type), body(BatchLabelled).inputs
    )
    return "", 204


@bp.get("/associations/<object_type>/<to_object_type>/labels")
@requires(READ)
def get_labels(object_type: str, to_object_type: str):
    return {"results": portal().crm.associations.labels(_type(object_type), _type(to_object_type))}


@bp.post("/associations/<object_type>/<to_object_type>/labels")
@requires(WRITE)
def create_label(object_type: str, to_object_type: str):
    created = portal().crm.associations.create_label(_type(object_type), _type(to_object_type), body(LabelCreate))
    return {"results": created}


@bp.put("/associations/<object_type>/<to_object_type>/labels")
@requires(WRITE)
def update_label(object_type: str, to_object_type: str):
    portal().crm.associations.update_label(_type(object_type), _type(to_object_type), body(LabelUpdate))
    return "", 204


@bp.delete("/associations/<object_type>/<to_object_type>/labels/<association_type_id>")
@requires(WRITE)
def delete_label(object_type: str, to_object_type: str, association_type_id: str):
    portal().crm.associations.delete_label(_type(object_type), _type(to_object_type), association_type_id)
    return "", 204
