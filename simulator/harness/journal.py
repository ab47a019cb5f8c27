"""The request journal: a portal's recent API requests in a bounded ring buffer, newest first on the way out.

No secrets are kept: no headers at all (so no Authorization), and `hapikey` is stripped from the query. Bodies are
kept as bytes up to BODY_LIMIT and decoded only when read, so recording stays cheap under load.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlencode

from simulator.errors import HubSpotError, ValidationError
from simulator.wire import decode_json, iso

DEFAULT_SIZE = 10_000  # entries kept per portal unless POST /_sim/portal {"journalSize": n}
MAX_SIZE = 100_000
BODY_LIMIT = 16 * 1024  # bytes of each request and response body kept; the rest is cut (and flagged)
SECRET_QUERY_KEYS = frozenset({"hapikey"})


class Entry(NamedTuple):  # a tuple: one is made per request, so it must be cheap
    id: int
    time: datetime  # domain time, when the answer left
    method: str
    path: str
    query: bytes  # as sent, less any secret
    status: int
    latency_ms: float
    request_body: bytes
    request_truncated: bool
    response_body: bytes
    response_truncated: bool
    correlation_id: str | None
    throttled_by: str | None  # the rate-limit policy that refused it
    not_simulated: bool  # HubSpot has the route, hubsim does not
    fault: dict[str, Any] | None  # the injected fault that shaped the answer

    def dump(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": iso(self.time),
            "method": self.method,
            "path": self.path,
            "query": self.query.decode("latin-1"),
            "status": self.status,
            "latencyMs": round(self.latency_ms, 3),
            "requestBody": _decode(self.request_body, self.request_truncated),
            "requestBodyTruncated": self.request_truncated,
            "responseBody": _decode(self.response_body, self.response_truncated),
            "responseBodyTruncated": self.response_truncated,
            "correlationId": self.correlation_id,
            "throttledBy": self.throttled_by,
            "notSimulated": self.not_simulated,
            "fault": self.fault,
        }


class Journal:
    """Recording takes no lock: one entry is made per API call, and a lock held across Python calls on every request
    forms a convoy under load (clock.py says how). `deque.append`, `popleft`, `copy` and `next` on a counter are each
    atomic under the GIL; the entries of two concurrent requests may sit in the other order than their ids."""

    def __init__(self, size: int = DEFAULT_SIZE):
        self._entries: deque[Entry] = deque()
        self._size = size
        self._ids = itertools.count(1)

    @property
    def size(self) -> int:
        return self._size

    def record(
        self,
        *,
        time: datetime,
        method: str,
        path: str,
        query: bytes,
        status: int,
        latency_ms: float,
        request_body: bytes,
        response_body: bytes,
        correlation_id: str | None,
        throttled_by: str | None = None,
        not_simulated: bool = False,
        fault: dict[str, Any] | None = None,
    ) -> Entry:
        if query and b"apikey" in query.lower():
            query = _without_secrets(query)
        request_truncated = len(request_body) > BODY_LIMIT
        if request_truncated:
            request_body = request_body[:BODY_LIMIT]
        response_truncated = len(response_body) > BODY_LIMIT
        if response_truncated:
            response_body = response_body[:BODY_LIMIT]
        entry = Entry(
            next(self._ids), time, method, path, query, status, latency_ms, request_body, request_truncated,
            response_body, response_truncated, correlation_id, throttled_by, not_simulated, fault,
        )
        entries = self._entries
        entries.append(entry)
        if len(entries) > self._size:  # one out for the one in: racing recorders never drop more than they add
            _drop_oldest(entries)
        return entry

    def resize(self, size: int) -> None:
        """Keep the newest `size` entries from now on."""
        self._size = size
        while len(self._entries) > size:
            _drop_oldest(self._entries)

    def clear(self) -> None:
        self._entries.clear()

    def query(
        self, *, method: str | None = None, path: str | None = None, status: str | int | None = None,
        limit: int | None = None,
    ) -> tuple[int, list[Entry]]:
        """(how many match, the newest `limit` of them, newest first)."""
        matches = _matcher(method, path, status)
        found = [e for e in reversed(self._entries.copy()) if matches(e)]
        return len(found), found if limit is None else found[:limit]


def _drop_oldest(entries: deque[Entry]) -> None:
    try:
        entries.popleft()
    except IndexError:  # cleared meanwhile
        pass


def _matcher(method: str | None, path: str | None, status: str | int | None):
    wanted_method = method.upper() if method else None
    path_pattern = _glob(path) if path else None
    status_test = _status_test(status) if status is not None and status != "" else None

    def matches(entry: Entry) -> bool:
        return (
            (wanted_method is None or entry.method == wanted_method)
            and (path_pattern is None or path_pattern.fullmatch(entry.path) is not None)
            and (status_test is None or status_test(entry.status))
        )

    return matches


def _glob(path: str) -> re.Pattern[str]:
    """An exact path, or a glob where `*` matches anything (slashes included)."""
    return re.compile(".*".join(re.escape(part) for part in path.split("*")))


def _status_test(status: str | int):
    """An exact status (429) or a class (4xx)."""
    text = str(status).strip().lower()
    if re.fullmatch(r"[1-5][0-9][0-9]", text):
        return lambda code: code == int(text)
    if re.fullmatch(r"[1-5]xx", text):
        return lambda code: code // 100 == int(text[0])
    raise ValidationError(f"status must be a status code such as 429 or a class such as 4xx, got {status!r}")


def _without_secrets(query: bytes) -> bytes:
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    return urlencode([(k, v) for k, v in pairs if k.lower() not in SECRET_QUERY_KEYS]).encode("latin-1")


def _decode(body: bytes, truncated: bool) -> Any:
    if not body:
        return None
    text = body.decode("utf-8", errors="replace")
    if not truncated:
        try:  # the request decoder's bounds: a recorded body too deep for it must not break reading the journal
            return decode_json(body)
        except HubSpotError:
            pass
    return text
