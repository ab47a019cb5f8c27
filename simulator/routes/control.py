"""The control API under /_sim: health, reset, portal settings, clock. Acts on the caller's portal."""

from __future__ import annotations

from flask import Blueprint

import simulator
from simulator.harness.control import ClockCommand, PortalSettingsUpdate, clock_state, control_clock, portal_state
from simulator.harness.control import update_portal as apply_portal_update
from simulator.routes.common import body, portal

bp = Blueprint("control", __name__, url_prefix="/_sim")


def public(view):
    """No token needed: readiness probes."""
    view.public = True
    return view


@bp.get("/health")
@public
def health():
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
