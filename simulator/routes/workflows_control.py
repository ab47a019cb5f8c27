"""The control API of workflows (/_sim, beside control.py): enrollment histories, manual enrollment, the outbox."""

from __future__ import annotations

from flask import Blueprint

from simulator.routes.common import body, portal, query_int, query_str
from simulator.workflows import playbook
from simulator.workflows.definitions import ManualEnroll, SecretValue
from simulator.workflows.outbox import MAX_MESSAGES

bp = Blueprint("workflows_control", __name__, url_prefix="/_sim")


@bp.get("/workflows")
def get_workflows():
    return portal().workflows.overview()


@bp.get("/workflows/<flow_id>/enrollments")
def get_enrollments(flow_id: str):
    return portal().workflows.enrollment_report(flow_id, query_str("objectId"))


@bp.post("/workflows/<flow_id>/enroll")
def enroll(flow_id: str):
    return portal().workflows.enroll(flow_id, body(ManualEnroll))


@bp.put("/workflows/secrets/<name>")
def set_secret(name: str):
    portal().workflows.set_secret(name, body(SecretValue).value)
    return "", 204


@bp.get("/workflows/playbook")
def get_playbook():
    return {"results": [playbook.describe(name) for name in playbook.names()]}


@bp.post("/workflows/playbook")
def install_playbook():
    return portal().workflows.install_playbook(body(playbook.PlaybookInstall)), 201


@bp.get("/outbox")
def get_outbox():
    return portal().workflows.messages(
        flow_id=query_str("flowId"), object_id=query_str("objectId"), kind=query_str("type"),
        limit=query_int("limit", MAX_MESSAGES, maximum=MAX_MESSAGES),
    )  # fmt: skip
