"""Fault rules applied to live requests: the web side of harness/faults.py (statuses, hangs, resets, torn bodies)."""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Iterator
from typing import Any

from flask import Response

from simulator.errors import HubSpotError, RateLimited
from simulator.harness.faults import Fault

# Categories HubSpot uses for these statuses (or, where it documents none, the plainest fit).
_CATEGORIES = {
    400: "VALIDATION_ERROR",
    401: "INVALID_AUTHENTICATION",
    403: "MISSING_SCOPES",
    404: "OBJECT_NOT_FOUND",
    409: "CONFLICT",
    423: "LOCKED",
    477: "MIGRATION_IN_PROGRESS",
}
_MESSAGES = {
    423: "The resource is locked by a large sync; retry in at least two seconds.",
    477: "This account is being migrated; retry after the Retry-After delay.",
    502: "Bad gateway.",
    503: "Service unavailable.",
    504: "Gateway timeout.",
}
HANG_POLL_SECONDS = 0.05
TORN_BODY = b'{"status":"COMPLETE","results":[{"id":"'  # what a cut-off answer looks like: the start of one


def injected_error(fault: Fault, status: int | None = None) -> HubSpotError:
    """The HubSpot-shaped error a status fault answers; 429 takes HubSpot's rate-limit body."""
    status = status or fault.action.status or 500
    if status == 429:
        return RateLimited("TEN_SECONDLY_ROLLING")
    category = _CATEGORIES.get(status, "INTERNAL_ERROR" if status >= 500 else "VALIDATION_ERROR")
    message = _MESSAGES.get(status, "internal error" if status >= 500 else "The request could not be processed.")
    return HubSpotError(f"{message} (injected by hubsim fault rule {fault.rule_id})", status=status, category=category)


def hold(environ: dict[str, Any], milliseconds: int) -> None:
    """Hold the request until the client gives up (waitress sees it leave) or the rule's cap passes."""
    client_gone = environ.get("waitress.client_disconnected", lambda: False)
    deadline = time.monotonic() + milliseconds / 1000
    while time.monotonic() < deadline and not client_gone():
        time.sleep(min(HANG_POLL_SECONDS, max(0.0, deadline - time.monotonic())))


def reset_connection(environ: dict[str, Any]) -> Response:
    """Drop the connection so the client sees a connection error, not a status.

    Under waitress the socket is shut down with SO_LINGER 0 (the close that follows is a TCP reset). In-process
    (httpx.WSGITransport) there is no socket: the answer's body raises ConnectionResetError into the caller."""
    channel = getattr(environ.get("waitress.client_disconnected"), "__self__", None)
    sock = getattr(channel, "socket", None)
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # the client already left: nothing more to break
        return Response(b"", status=200)
    return Response(_raise_reset(), status=200)


def _raise_reset() -> Iterator[bytes]:
    raise ConnectionResetError("connection reset by hubsim fault injection")
    yield b""  # pragma: no cover - makes this a generator, so the error surfaces as the body is read


def torn(body: bytes) -> bytes:
    """The first half of a JSON body: not parseable, but plausibly the start of an answer."""
    return body[: max(1, len(body) // 2)] if len(body) > 2 else TORN_BODY
