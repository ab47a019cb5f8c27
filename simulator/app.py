"""create_app: the Flask face of a Hub. Auth picks the portal; every failure is answered HubSpot's way."""

from __future__ import annotations

import hmac
import logging
import time
from typing import Any

from flask import Flask, Request, Response, current_app, g, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge
from werkzeug.routing import RequestRedirect

from simulator.config import HubConfig
from simulator.crm.object_types import UnknownObjectType
from simulator.errors import (
    HubSpotError,
    InternalError,
    InvalidAuthentication,
    MissingScopes,
    NotSimulated,
    PayloadTooLarge,
    RateLimited,
    RouteNotFound,
    ValidationError,
    new_correlation_id,
)
from simulator.errors import MethodNotAllowed as HubSpotMethodNotAllowed
from simulator.hub import Hub, Portal
from simulator.injection import TORN_BODY, hold, injected_error, reset_connection, torn
from simulator.openapi import document
from simulator.request_log import NOTE
from simulator.routes import (
    associations, control, dated, events, flows, legacy, lists, objects, owners, pipelines, properties, schemas,
    webhooks,
    workflows_control,
)
from simulator.routes.common import required_scope
from simulator.ui import pages as inspector
from simulator.unsimulated import area_of, object_area

MAX_BODY_BYTES = 10 * 1024 * 1024
JSON_MIMETYPE = "application/json;charset=utf-8"  # what HubSpot sends
ADMIN_HEADER = "X-HubSim-Admin-Token"
UNMETERED = ("/_sim", "/openapi.json")  # the harness's own routes: never rate limited, never journaled
DEVELOPER_KEY_PATHS = ("/webhooks/",)  # v3 and the dated versions (/webhooks/2026-03/...)  # HubSpot authenticates these with ?hapikey=; hubsim takes it as the token
log = logging.getLogger(__name__)


def create_app(hub: Hub | None = None, config: dict[str, Any] | HubConfig | None = None) -> Flask:
    if hub is None:
        hub = Hub(config if isinstance(config, HubConfig) or config is None else HubConfig.model_validate(config))
    app = Flask(__name__)
    app.extensions["hubsim"] = hub
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.url_map.strict_slashes = False  # the SDK adds trailing slashes; never 308-redirect a POST
    # Werkzeug 308-redirects `//` (and an id starting with %2F, decoded to `/`) to a merged path, with an HTML body:
    # a client that follows it PATCHes or DELETEs another record. HubSpot answers 404; so does hubsim.
    app.url_map.merge_slashes = False
    app.url_map.redirect_defaults = False
    app.json.sort_keys = False
    app.json.compact = True
    app.json.mimetype = JSON_MIMETYPE
    blueprints = (objects, properties, associations, owners, pipelines, schemas, events, lists, flows, legacy, control,
                  workflows_control, inspector)
    for module in blueprints:
        app.register_blueprint(module.bp)
    app.register_blueprint(webhooks.bp)
    app.register_blueprint(webhooks.control_bp)
    app.register_blueprint(schemas.bp, url_prefix=schemas.SDK_SCHEMAS_PREFIX, name="crm_object_schemas")
    dated.register(app)  # after every blueprint: the dated paths of whatever v3/v4 routes exist
    openapi_document = document()
    app.add_url_rule("/openapi.json", "openapi", control.public(lambda: openapi_document))
    app.before_request(_start)
    app.before_request(_authenticate)
    app.before_request(_inject_fault)
    # after-request hooks run last-registered first: a fault applied after the write, then the correlation id,
    # then headers and the journal entry
    app.after_request(_meter_and_record)
    app.after_request(_settle_write)
    app.after_request(_correlate)
    app.after_request(_fault_after_apply)
    app.register_error_handler(HubSpotError, _hubspot_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


def _authenticate() -> None:
    # Never a redirect, whatever rule would ask for one; and an empty path segment names nothing, even where a
    # rule's trailing-slash leniency would match it (`/crm/v3/owners//`).
    if isinstance(request.routing_exception, RequestRedirect) or "//" in request.path:
        raise NotFound()
    if request.routing_exception is not None:
        raise request.routing_exception  # an unknown route or method is a 404/405, whoever asks
    view = current_app.view_functions[request.endpoint]
    if getattr(view, "public", False):
        return
    hub: Hub = current_app.extensions["hubsim"]
    admin_token = hub.config.admin_token
    if admin_token and request.path.startswith("/_sim"):
        sent = request.headers.get(ADMIN_HEADER, "")
        if not hmac.compare_digest(sent.encode(), admin_token.encode()):
            raise InvalidAuthentication(f"The control API needs this simulator's admin token in {ADMIN_HEADER}")
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    bearer = token.strip() if scheme.lower() == "bearer" else None
    if not bearer and request.path.startswith(DEVELOPER_KEY_PATHS):
        bearer = request.args.get("hapikey")  # the SDK's webhooks client sends a developer key, not a bearer token
    g.portal = hub.portal(bearer)
    _throttle(g.portal)
    scope = required_scope(view, request.view_args or {}, g.portal.object_type)
    granted = g.portal.settings.scopes
    if scope and granted is not None and scope not in granted:
        raise MissingScopes([scope])
    g.portal.run_due()


def _inject_fault() -> Response | None:
    """A fault rule that fires for this request answers instead of the route (unless it waits for the write)."""
    portal = g.get("portal")
    if portal is None or request.path.startswith(UNMETERED):
        return None
    fault = g.fault = portal.faults.pick(request.method, request.path)
    if fault is None or fault.action.after_apply:
        return None
    kind = fault.action.kind
    if kind == "delay":
        time.sleep(fault.action.delay_ms / 1000)
        return None
    if kind == "status":
        raise injected_error(fault)
    if kind == "hang":
        hold(request.environ, fault.action.hang_ms)
        raise injected_error(fault, status=504)
    if kind == "reset":
        return reset_connection(request.environ)
    return Response(TORN_BODY, status=200, mimetype=JSON_MIMETYPE)


def _fault_after_apply(response: Response) -> Response:
    """An `afterApply` fault: the write happened, and then the client is failed anyway."""
    fault = g.get("fault")
    if fault is None or not fault.action.after_apply:
        return response
    kind = fault.action.kind
    if kind == "status":
        return _error_response(injected_error(fault))
    if kind == "hang":
        hold(request.environ, fault.action.hang_ms)
        return _error_response(injected_error(fault, status=504))
    if kind == "reset":
        return reset_connection(request.environ)
    response.set_data(torn(response.get_data()))
    return response


def _settle_write(response: Response) -> Response:
    """Any call but a read may have changed the portal (even a failed one: an afterApply fault writes, then fails),
    and what it set in motion that is due now (a workflow's next action) has run before the caller hears back."""
    portal = g.get("portal")
    if portal is not None and request.method not in ("GET", "HEAD"):
        portal.revision += 1
        portal.run_due()
    return response


def _start() -> None:
    g.started = time.perf_counter()


def _throttle(portal: Portal) -> None:
    """Count the request against the portal's rate limits before its route runs: a refused one changes nothing.

    Every authenticated call counts, errors included (HubSpot asks that errors stay under 5% of daily calls)."""
    if not portal.settings.rate_limits:
        return
    req = request._get_current_object()  # one proxy lookup: this runs on every request
    if req.path.startswith(UNMETERED):
        return
    decision = g.rate = portal.limiter.check(req.method, req.path)
    if decision.rejected:
        raise RateLimited(decision.policy_name)


def _meter_and_record(response: Response) -> Response:
    """Rate-limit headers and the journal entry, for every answer of a portal's API, errors included."""
    req, state = request._get_current_object(), g._get_current_object()  # one proxy lookup each: every request
    if req.path.startswith(UNMETERED):
        return response
    portal = state.get("portal") or _caller_portal()
    if portal is None:
        return response
    settings = portal.settings
    decision = state.get("rate")
    fault = state.get("fault")
    not_simulated = state.get("not_simulated", False)
    # for `hubsim serve`'s request log (request_log.py): one tuple, read after the answer is sent
    req.environ[NOTE] = (portal.id, decision.policy_name if decision is not None else None,
                         fault.action.kind if fault is not None else None, not_simulated)
    if decision is not None:
        response.headers.extend(decision.headers(secondly=settings.secondly_headers))
        if decision.rejected and settings.retry_after:
            response.headers["Retry-After"] = str(decision.retry_after)
    if settings.journal:
        portal.journal.record(
            time=portal.clock.now(),
            method=req.method,
            path=req.path,
            query=req.query_string,
            status=response.status_code,
            latency_ms=(time.perf_counter() - state.started) * 1000,
            request_body=_request_body(req),
            response_body=b"" if response.is_streamed else response.get_data(),
            correlation_id=response.headers.get("X-HubSpot-Correlation-Id"),
            throttled_by=decision.policy_name if decision is not None else None,
            not_simulated=not_simulated,
            fault=fault.describe() if fault is not None else None,
        )
    return response


def _caller_portal() -> Portal | None:
    """The portal of a request that never reached authentication (an unknown route), when its token names one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    try:
        return current_app.extensions["hubsim"].portal(token.strip())
    except InvalidAuthentication:
        return None


def _request_body(req: Request) -> bytes:
    if req.environ.get("CONTENT_LENGTH", "0") in ("", "0"):  # waitress gives chunked bodies a length too
        return b""
    try:
        return req.get_data(cache=True)
    except HTTPException:  # a body over the size limit was refused unread
        return b""


def _correlate(response: Response) -> Response:
    response.headers.setdefault("X-HubSpot-Correlation-Id", g.get("correlation_id") or new_correlation_id())
    return response


def _error_response(error: HubSpotError) -> Response:
    g.correlation_id = new_correlation_id()
    g.not_simulated = isinstance(error, NotSimulated)
    response = current_app.json.response(error.to_json(g.correlation_id))
    response.status_code = error.status
    return response


def _hubspot_error(error: HubSpotError) -> Response:
    area = object_area(request.path) if isinstance(error, UnknownObjectType) else None
    return _error_response(NotSimulated(area, request.method, request.path) if area else error)


def _http_error(error: HTTPException) -> Response:
    if isinstance(error, NotFound):
        area = area_of(request.path)
        translated: HubSpotError = (
            NotSimulated(area, request.method, request.path)
            if area
            else RouteNotFound(f"No route for {request.method} {request.path}")
        )
    elif isinstance(error, MethodNotAllowed):
        translated = HubSpotMethodNotAllowed(f"Method {request.method} is not allowed on {request.path}")
    elif isinstance(error, RequestEntityTooLarge):
        translated = PayloadTooLarge(f"Request body is larger than the limit of {MAX_BODY_BYTES} bytes")
    else:
        translated = ValidationError(error.description or error.name, status=error.code or 400)
    response = _error_response(translated)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _unexpected_error(error: Exception) -> Response:
    if current_app.testing:
        raise error  # in tests a simulator bug is a traceback, not a mystery 500
    log.exception("unexpected error answering %s %s", request.method, request.path)
    return _error_response(InternalError("An internal error occurred in the simulator (a hubsim bug: see its log)"))
