"""Pipelines v3: /crm/v3/pipelines/{objectType} (deals and tickets) and their stages."""

from __future__ import annotations

from flask import Blueprint

from simulator.crm.pipelines import PipelineInput, PipelinePatch, PipelineStore, StageInput, StagePatch
from simulator.routes.common import body, portal, query_bool, requires

bp = Blueprint("pipelines", __name__, url_prefix="/crm/v3/pipelines")
READ, WRITE = "crm.objects.{object_type}.read", "crm.objects.{object_type}.write"


def pipelines(object_type: str) -> PipelineStore:
    return portal().crm.pipelines_of(object_type)


@bp.get("/<object_type>")
@requires(READ)
def get_all(object_type: str):
    return {"results": [p.view() for p in pipelines(object_type).all(archived=query_bool("archived"))]}


@bp.post("/<object_type>")
@requires(WRITE)
def create(object_type: str):
    return pipelines(object_type).create(body(PipelineInput)).view(), 201


@bp.get("/<object_type>/<pipeline_id>")
@requires(READ)
def get_by_id(object_type: str, pipeline_id: str):
    return pipelines(object_type).get(pipeline_id).view()


@bp.patch("/<object_type>/<pipeline_id>")
@requires(WRITE)
def update(object_type: str, pipeline_id: str):
    return pipelines(object_type).update(pipeline_id, body(PipelinePatch)).view()


@bp.delete("/<object_type>/<pipeline_id>")
@requires(WRITE)
def archive(object_type: str, pipeline_id: str):
    pipelines(object_type).archive(pipeline_id, in_use=portal().crm.in_pipeline(object_type))
    return "", 204


@bp.get("/<object_type>/<pipeline_id>/stages")
@requires(READ)
def get_stages(object_type: str, pipeline_id: str):
    return {"results": [s.dump() for s in pipelines(object_type).get(pipeline_id).stages if not s.archived]}


@bp.post("/<object_type>/<pipeline_id>/stages")
@requires(WRITE)
def create_stage(object_type: str, pipeline_id: str):
    return pipelines(object_type).create_stage(pipeline_id, body(StageInput)).dump(), 201


@bp.get("/<object_type>/<pipeline_id>/stages/<stage_id>")
@requires(READ)
def get_stage(object_type: str, pipeline_id: str, stage_id: str):
    return pipelines(object_type).stage(pipeline_id, stage_id).dump()


@bp.patch("/<object_type>/<pipeline_id>/stages/<stage_id>")
@requires(WRITE)
def update_stage(object_type: str, pipeline_id: str, stage_id: str):
    return pipelines(object_type).update_stage(pipeline_id, stage_id, body(StagePatch)).dump()


@bp.delete("/<object_type>/<pipeline_id>/stages/<stage_id>")
@requires(WRITE)
def archive_stage(object_type: str, pipeline_id: str, stage_id: str):
    pipelines(object_type).archive_stage(pipeline_id, stage_id, in_use=portal().crm.in_pipeline(object_type))
    return "", 204
