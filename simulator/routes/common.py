"""What every route needs: the caller's portal, its body, its query parameters, its required scope."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from flask import Request, current_app, g, request

from simulator.crm.object_types import ObjectType
from simulator.crm.values import parse_datetime
from simulator.errors import ValidationError
from simulator.hub import Hub, Portal
from simulator.wire import WireModel, decode_json, parse_integer, shorten

M = TypeVar("M", bound=WireModel)
F = TypeVar("F", bound=Callable[..., Any])
MAX_BODY_BYTES = 10 * 1024 * 1024
BODY = "hubsim.body"  # the WSGI environ key a request's body is kept under once read (the journal reads it too)


def hub() -> Hub:
    return current_app.extensions["hubsim"]


def portal() -> Portal:
    return g.portal


def body(model: type[M]) -> M:
    return model.parse(json_body())


def json_body() -> Any:
    return decode_json(request_body())


def request_body(req: Request | None = None) -> bytes:
    """The request's body, read once. Where the server states its length (waitress always does, chunked bodies
    too) it is read straight from the WSGI input: werkzeug's stream wrappers cost more than the rest of taking in
    an event send. With no length and no server-terminated stream (every GET) there is none, as werkzeug would
    find. Otherwise, and past the size limit, werkzeug's way (a 413 for a body too large)."""
    req = req or request._get_current_object()
    environ = req.environ
    body = environ.get(BODY)
    if body is None:
        length = environ.get("CONTENT_LENGTH", "")
        if not length and "wsgi.input_terminated" not in environ:
            body = b""
        elif length.isascii() and length.isdigit() and len(length) < 10 and int(length) <= MAX_BODY_BYTES:
            body = environ["wsgi.input"].read(int(length))
        else:
            body = req.get_data()
        environ[BODY] = body
    return body


def requires(scope: str) -> Callable[[F], F]:
    """The OAuth scope a route needs; `{object_type}` becomes the path's object type (contacts, companies...)."""

    def mark(view: F) -> F:
        view.required_scope = scope  # type: ignore[attr-defined]
        return view

    return mark


def required_scope(
    view: Callable[..., Any], view_args: dict[str, Any], resolve_type: Callable[[str], ObjectType]
) -> str | None:
    scope = getattr(view, "required_scope", None)
    if scope and "{object_type}" in scope:
        named = view_args["object_type"]
        key = (scope, named.lower())
        known = _STANDARD_SCOPES.get(key)
        if known is not None:
            return known
        object_type = resolve_type(named)
        # HubSpot's scopes name the standard objects, and say "custom" for every custom object
        custom = object_type.object_type_id.startswith("2-")
        scope = scope.replace("{object_type}", "custom" if custom else object_type.name)
        if not custom:  # a name that is a standard type's is so in every portal, for good
            _STANDARD_SCOPES[key] = scope
    return scope


# (scope template, object type as a path names it, lower-cased) -> scope, for the standard types only: every API
# call asks, and those names never change what they name. Bounded by the routes' templates and resolve()'s names.
_STANDARD_SCOPES: dict[tuple[str, str], str] = {}


# --- query parameters: the SDK repeats keys, the newer SDK comma-joins them, and booleans come as True/true ---------


def query_list(name: str) -> list[str] | None:
    req = request._get_current_object()
    if not req.query_string or name not in req.args:
        return None
    return [part.strip() for raw in req.args.getlist(name) for part in raw.split(",") if part.strip()]


def query_arg(name: str) -> str | None:
    """`request.args.get(name)`, minus its cost where it buys nothing: the routes ask for a few optional parameters
    on every request, most are absent, and werkzeug raises (and catches) an exception for each absent one."""
    req = request._get_current_object()
    if not req.query_string:  # most calls have none: no need to parse it
        return None
    args = req.args
    return args.get(name) if name in args else None


def query_bool(name: str, default: bool = False) -> bool:
    raw = query_arg(name)
    if raw is None or raw == "":
        return default
    lowered = raw.lower()
    if lowered not in ("true", "false"):
        raise ValidationError(f"Query parameter {name} must be true or false, got {shorten(raw)!r}")
    return lowered == "true"


def query_int(name: str, default: int, *, minimum: int = 1, maximum: int | None = None) -> int:
    raw = query_arg(name)
    if raw is None or raw == "":
        return default
    value = parse_integer(raw)
    if value is None:
        raise ValidationError(f"Query parameter {name} must be an integer, got {shorten(raw)!r}")
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise ValidationError(f"Query parameter {name} must be {bounds}, got {value}")
    return value


def query_time(name: str) -> datetime | None:
    """An ISO-8601 moment (a date alone is its midnight UTC) or epoch milliseconds."""
    raw = query_str(name)
    if raw is None:
        return None
    moment = parse_datetime(raw)
    if moment is None:
        raise ValidationError(
            f"Query parameter {name} must be an ISO-8601 date-time or epoch milliseconds, got {raw!r}"
        )
    return moment


def query_str(name: str) -> str | None:
    raw = query_arg(name)
    return raw if raw else None
