"""create_app: the Flask face of a Hub. Auth picks the portal; every failure is answered HubSpot's way."""

from __future__ import annotations

import hmac
import json
import logging
import time
from types import FunctionType
from typing import Any

from flask import Flask, Request, Response, current_app, g, request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import NullSession, SessionInterface
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
)
from simulator.errors import MethodNotAllowed as HubSpotMethodNotAllowed
from simulator.hub import Hub, Portal
from simulator.injection import TORN_BODY, hold, injected_error, reset_connection, torn
from simulator.openapi import document
from simulator.request_log import NOTE
from simulator.routing import FastMap
from simulator.routes import (
    associations, control, dated, events, flows, legacy, lists, objects, owners, pipelines, properties, schemas,
    webhooks,
    workflows_control,
)
from simulator.routes.common import MAX_BODY_BYTES, request_body, required_scope
from simulator.ui import pages as inspector
from simulator.unsimulated import area_of, object_area
from simulator.uuids import random_uuid

JSON_MIMETYPE = "application/json;charset=utf-8"  # what HubSpot sends
ADMIN_HEADER = "X-HubSim-Admin-Token"
CORRELATION_HEADER = "X-HubSpot-Correlation-Id"
UNMETERED = ("/_sim", "/openapi.json")  # the harness's own routes: never rate limited, never journaled
# v3 and the dated versions (/webhooks/2026-03/...): HubSpot authenticates these with ?hapikey=, which hubsim takes
# as the token
DEVELOPER_KEY_PATHS = ("/webhooks/",)
log = logging.getLogger(__name__)
_NO_CONTENT = ("", 204)


class _NoSessions(SessionInterface):
    """hubsim keeps no cookie session (HubSpot's API has none): every request shares one empty, read-only session
    instead of Flask looking for a signing key and building a fresh null session each time."""

    _null = NullSession()

    def open_session(self, app: Flask, request: Request) -> NullSession:  # noqa: ARG002 - Flask's signature
        return self._null

    def save_session(self, app: Flask, session: Any, response: Response) -> None:  # noqa: ARG002
        return None


class _JSONProvider(DefaultJSONProvider):
    """Flask's JSON as HubSpot writes it (compact, keys in the order built), with one encoder for every answer:
    `json.dumps` given any option builds a new encoder on each call, up to half the cost of encoding a record."""

    sort_keys = False
    compact = True
    mimetype = JSON_MIMETYPE
    _COMPACT = {"separators": (",", ":")}  # what `response` asks for when compact

    def __init__(self, app: Flask):
        super().__init__(app)
        self._encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=self.ensure_ascii, default=self.default)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if not kwargs or kwargs == self._COMPACT:
            return self._encoder.encode(obj)
        return super().dumps(obj, **kwargs)


class _HubSimFlask(Flask):
    """Flask, minus per-request costs hubsim never uses. Its one hook each way (`_before`, `_after`) is called
    directly: Flask would look hooks up per blueprint, url-value preprocessors and teardown functions on every
    request, and hubsim registers none of those. Flask asks `inspect.iscoroutinefunction` of every view on every
    request (ensure_sync); hubsim's are all plain functions, so the answer is remembered per function. No sessions
    (_NoSessions); URLs matched by a faster walk of werkzeug's own trie (routing.py); a route's `"", 204` made into
    its response directly."""

    session_interface = _NoSessions()
    json_provider_class = _JSONProvider
    url_map_class = FastMap

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._sync: dict[Any, Any] = {}

    def ensure_sync(self, func: Any) -> Any:
        sync = self._sync.get(func)
        if sync is None:
            sync = super().ensure_sync(func)
            if isinstance(func, FunctionType):  # a module's function lives as long as the app: the memo stays small
                self._sync[func] = sync
        return sync

    def make_response(self, rv: Any) -> Response:
        if rv == _NO_CONTENT:  # the routes' `return "", 204`, without Flask unpacking it and adding a length to drop
            return self.response_class(status=204)
        return super().make_response(rv)

    def preprocess_request(self) -> Response | None:
        return _before(self)

    def process_response(self, response: Response) -> Response:
        return _after(response)

    def do_teardown_request(self, exc: BaseException | None = None) -> None:
        """Nothing is torn down per request."""


def create_app(hub: Hub | None = None, config: dict[str, Any] | HubConfig | None = None) -> Flask:
    if hub is None:
        hub = Hub(config if isinstance(config, HubConfig) or config is None else HubConfig.model_validate(config))
    app = _HubSimFlask(__name__)
    app.extensions["hubsim"] = hub
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.url_map.strict_slashes = False  # the SDK adds trailing slashes; never 308-redirect a POST
    # Werkzeug 308-redirects `//` (and an id starting with %2F, decoded to `/`) to a merged path, with an HTML body:
    # a client that follows it PATCHes or DELETEs another record. HubSpot answers 404; so does hubsim.
    app.url_map.merge_slashes = False
    app.url_map.redirect_defaults = False
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
    app.register_error_handler(HubSpotError, _hubspot_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


def _before(app: Flask) -> Response | None:
    """Authenticate, meter and maybe fault the request, in that order; a refusal raises and stops the rest."""
    req, state = request._get_current_object(), g._get_current_object()  # one proxy lookup each: every request
    state.started = time.perf_counter()
    _authenticate(app, req, state)
    return _inject_fault(req, state)


def _after(response: Response) -> Response:
    """After the route (or its error): an afterApply fault, the correlation id, settling what the write set in motion,
    then the rate-limit headers and the journal entry, which see the answer as the client will."""
    # what _before, the route and the error handlers noted on flask.g, as its dict: `g.get` is a call per name
    req, notes = request._get_current_object(), g._get_current_object().__dict__
    response = _fault_after_apply(response, req, notes)
    # add, not set or setdefault: nothing else sets this header, and both would scan the headers for it first
    correlation_id = notes.get("correlation_id") or random_uuid()
    response.headers.add(CORRELATION_HEADER, correlation_id)
    _settle_write(req, notes)
    _meter_and_record(response, req, notes, correlation_id)
    return response


def _authenticate(app: Flask, req: Request, state: Any) -> None:
    # Never a redirect, whatever rule would ask for one; and an empty path segment names nothing, even where a
    # rule's trailing-slash leniency would match it (`/crm/v3/owners//`).
    path = req.path
    if isinstance(req.routing_exception, RequestRedirect) or "//" in path:
        raise NotFound()
    if req.routing_exception is not None:
        raise req.routing_exception  # an unknown route or method is a 404/405, whoever asks
    view = app.view_functions[req.endpoint]
    if getattr(view, "public", False):
        return
    hub: Hub = app.extensions["hubsim"]
    admin_token = hub.config.admin_token
    if admin_token and path.startswith("/_sim"):
        sent = req.headers.get(ADMIN_HEADER, "")
        if not hmac.compare_digest(sent.encode(), admin_token.encode()):
            raise InvalidAuthentication(f"The control API needs this simulator's admin token in {ADMIN_HEADER}")
    header = req.environ.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    bearer = token.strip() if scheme.lower() == "bearer" else None
    if not bearer and path.startswith(DEVELOPER_KEY_PATHS):
        bearer = req.args.get("hapikey")  # the SDK's webhooks client sends a developer key, not a bearer token
    portal = state.portal = hub.portal(bearer)
    _throttle(portal, req, state)
    scope = required_scope(view, req.view_args or {}, portal.object_type)
    granted = portal.settings.scopes
    if scope and granted is not None and scope not in granted:
        raise MissingScopes([scope])
    portal.run_due()


def _inject_fault(req: Request, state: Any) -> Response | None:
    """A fault rule that fires for this request answers instead of the route (unless it waits for the write)."""
    portal = state.get("portal")
    if portal is None or req.path.startswith(UNMETERED):
        return None
    fault = state.fault = portal.faults.pick(req.method, req.path)
    if fault is None or fault.action.after_apply:
        return None
    kind = fault.action.kind
    if kind == "delay":
        time.sleep(fault.action.delay_ms / 1000)
        return None
    if kind == "status":
        raise injected_error(fault)
    if kind == "hang":
        hold(req.environ, fault.action.hang_ms)
        raise injected_error(fault, status=504)
    if kind == "reset":
        return reset_connection(req.environ)
    return Response(TORN_BODY, status=200, mimetype=JSON_MIMETYPE)


def _fault_after_apply(response: Response, req: Request, notes: dict[str, Any]) -> Response:
    """An `afterApply` fault: the write happened, and then the client is failed anyway."""
    fault = notes.get("fault")
    if fault is None or not fault.action.after_apply:
        return response
    kind = fault.action.kind
    if kind == "status":
        return _error_response(injected_error(fault))
    if kind == "hang":
        hold(req.environ, fault.action.hang_ms)
        return _error_response(injected_error(fault, status=504))
    if kind == "reset":
        return reset_connection(req.environ)
    response.set_data(torn(response.get_data()))
    return response


def _settle_write(req: Request, notes: dict[str, Any]) -> None:
    """Any call but a read may have changed the portal (even a failed one: an afterApply fault writes, then fails),
    and what it set in motion that is due now (a workflow's next action) has run before the caller hears back."""
    portal = notes.get("portal")
    if portal is not None and req.method not in ("GET", "HEAD"):
        portal.revision += 1
        portal.run_due()


def _throttle(portal: Portal, req: Request, state: Any) -> None:
    """Count the request against the portal's rate limits before its route runs: a refused one changes nothing.

    Every authenticated call counts, errors included (HubSpot asks that errors stay under 5% of daily calls)."""
    if not portal.settings.rate_limits or req.path.startswith(UNMETERED):
        return
    decision = state.rate = portal.limiter.check(req.method, req.path)
    if decision.rejected:
        raise RateLimited(decision.policy_name)


def _meter_and_record(response: Response, req: Request, notes: dict[str, Any], correlation_id: str) -> None:
    """Rate-limit headers and the journal entry, for every answer of a portal's API, errors included."""
    if req.path.startswith(UNMETERED):
        return
    portal = notes.get("portal") or _caller_portal()
    if portal is None:
        return
    settings = portal.settings
    decision = notes.get("rate")
    fault = notes.get("fault")
    not_simulated = notes.get("not_simulated", False)
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
            latency_ms=(time.perf_counter() - notes["started"]) * 1000,
            request_body=_request_body(req),
            response_body=b"" if response.is_streamed else response.get_data(),
            correlation_id=correlation_id,
            throttled_by=decision.policy_name if decision is not None else None,
            not_simulated=not_simulated,
            fault=fault.describe() if fault is not None else None,
        )


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
    try:
        return request_body(req)
    except HTTPException:  # a body over the size limit was refused unread
        return b""


def _error_response(error: HubSpotError) -> Response:
    g.correlation_id = random_uuid()
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
