"""The control API under /_sim: health, reset, settings, clock, usage, journal, snapshots, faults. Acts on the caller's
portal."""

from __future__ import annotations

from flask import Blueprint, request

import simulator
from simulator.harness.control import ClockCommand, PortalSettingsUpdate, clock_state, control_clock, portal_state
from simulator.harness.control import update_portal as apply_portal_update
from simulator.harness.faults import FaultRuleInput
from simulator.harness.journal import MAX_SIZE as MAX_JOURNAL_SIZE
from simulator.harness.snapshot import MAX_SNAPSHOT_BYTES, export_portal, restore_portal
from simulator.routes.common import body, hub, json_body, portal, query_int, query_str

bp = Blueprint("control", __name__, url_prefix="/_sim")
JOURNAL_PAGE = 100  # entries GET /_sim/journal returns unless `limit` says otherwise


def public(view):
    """No token needed: readiness probes."""
    view.public = True
    return view


@bp.get("/health")
@public
def health():
    problems = hub().problems
    if problems:  # still serving, but something (a --state save) needs a look
        return {"status": "degraded", "version": simulator.__version__, "problems": sorted(problems.values())}
    return {"status": "ok", "version": simulator.__version__}


@bp.post("/reset")
def reset():
    portal().reset()
    return "", 204


@bp.get("/portal")
def get_portal():
    return portal_state(portal())


@bp.post("/portal")
def update_portal():
    return apply_portal_update(portal(), body(PortalSettingsUpdate))


@bp.get("/clock")
def get_clock():
    return clock_state(portal())


@bp.post("/clock")
def set_clock():
    return control_clock(portal(), body(ClockCommand))


@bp.get("/usage")
def get_usage():
    return {**portal().limiter.usage(), "events": portal().events.usage()}


@bp.get("/journal")
def get_journal():
    total, entries = portal().journal.query(
        method=query_str("method"),
        path=query_str("path"),
        status=query_str("status"),
        limit=query_int("limit", JOURNAL_PAGE, minimum=0, maximum=MAX_JOURNAL_SIZE),
    )
    return {"total": total, "results": [entry.dump() for entry in entries]}


@bp.delete("/journal")
def clear_journal():
    portal().journal.clear()
    return "", 204


@bp.get("/snapshot")
def get_snapshot():
    return export_portal(portal())


@bp.post("/snapshot")
def restore_snapshot():
    request.max_content_length = MAX_SNAPSHOT_BYTES  # a whole portal, not an API call
    return restore_portal(portal(), json_body())


@bp.post("/faults")
def add_fault():
    return portal().faults.add(body(FaultRuleInput)).dump(), 201


@bp.get("/faults")
def get_faults():
    return {"results": [rule.dump() for rule in portal().faults.rules()]}


@bp.delete("/faults")
def clear_faults():
    portal().faults.clear()
    return "", 204


@bp.delete("/faults/<rule_id>")
def delete_fault(rule_id: str):
    portal().faults.remove(rule_id)
    return "", 204
