"""Automation v4 flows: /automation/v4/flows (definitions; the engine behind them runs the enabled ones)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, request

from simulator.routes.common import body, portal, query_int, query_str, requires
from simulator.workflows.definitions import FlowBatchRead, FlowCreate, FlowUpdate
from simulator.workflows.flows import FLOW_PAGE_LIMIT

bp = Blueprint("flows", __name__, url_prefix="/automation/v4/flows")
SCOPE = "automation"  # HubSpot's scope for the v4 flows API


@bp.get("/")
@requires(SCOPE)
def get_flows():
    flows, next_after = portal().workflows.flows.page(
        limit=query_int("limit", FLOW_PAGE_LIMIT, maximum=FLOW_PAGE_LIMIT), after=query_str("after")
    )
    page: dict = {"results": flows}
    if next_after is not None:
        query = {**request.args.to_dict(flat=False), "after": [next_after]}
        page["paging"] = {"next": {"after": next_after, "link": f"{request.base_url}?{urlencode(query, doseq=True)}"}}
    return page


@bp.post("/")
@requires(SCOPE)
def create_flow():
    flow = portal().workflows.create_flow(body(FlowCreate))
    return flow, 201, {"Location": f"{request.host_url.rstrip('/')}/automation/v4/flows/{flow['id']}"}


@bp.post("/batch/read")
@requires(SCOPE)
def batch_read_flows():
    result = portal().workflows.flows.batch_read(body(FlowBatchRead))
    return result.dump(), result.status_code


@bp.get("/<flow_id>")
@requires(SCOPE)
def get_flow(flow_id: str):
    return portal().workflows.get_flow(flow_id)


@bp.put("/<flow_id>")
@requires(SCOPE)
def update_flow(flow_id: str):
    return portal().workflows.update_flow(flow_id, body(FlowUpdate))


@bp.delete("/<flow_id>")
@requires(SCOPE)
def delete_flow(flow_id: str):
    portal().workflows.delete_flow(flow_id)
    return "", 204
