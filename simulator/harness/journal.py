"""The request journal: a portal's recent API requests in a bounded ring buffer, newest first on the way out.

No secrets are kept: no headers at all (so no Authorization), and `hapikey` is stripped from the query. Bodies are
kept as bytes up to BODY_LIMIT and decoded only when read, so recording stays cheap under load.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from simulator.errors import ValidationError
from simulator.wire import iso

DEFAULT_SIZE = 10_000  # entries kept per portal unless POST /_sim/portal {"journalSize": n}
MAX_SIZE = 100_000
BODY_LIMIT = 16 * 1024  # bytes of each request and response body kept; the rest is cut (and flagged)
SECRET_QUERY_KEYS = frozenset({"hapikey"})


@dataclass(slots=True)
class Entry:
    id: int
    time: datetime  # domain time, when the answer left
    method: str
    path: str
    query: str
    status: int
    latency_ms: float
    request_body: bytes
    request_truncated: bool
    response_body: bytes
    response_truncated: bool
    correlation_id: str | None
    throttled_by: str | None  # the rate-limit policy that refused it
    not_simulated: bool  # HubSpot has the route, hubsim does not
    fault: dict[str, Any] | None = None  # the injected fault that shaped the answer

    def dump(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": iso(self.time),
            "method": self.method,
            "path": self.path,
            "query": self.query,
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
    def __init__(self, size: int = DEFAULT_SIZE):
        self._lock = threading.Lock()
        self._entries: deque[Entry] = deque(maxlen=size)
        self._ids = itertools.count(1)

    @property
    def size(self) -> int:
        return self._entries.maxlen or 0

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
        entry = Entry(
            id=0,
            time=time,
            method=method,
            path=path,
            query=_public_query(query),
            status=status,
            latency_ms=latency_ms,
            request_body=request_body[:BODY_LIMIT],
            request_truncated=len(request_body) > BODY_LIMIT,
            response_body=response_body[:BODY_LIMIT],
            response_truncated=len(response_body) > BODY_LIMIT,
            correlation_id=correlation_id,
            throttled_by=throttled_by,
            not_simulated=not_simulated,
            fault=fault,
        )
        with self._lock:
            entry.id = next(self._ids)
            self._entries.append(entry)
        return entry

    def resize(self, size: int) -> None:
        """Keep the newest `size` entries from now on."""
        with self._lock:
            self._entries = deque(self._entries, maxlen=size)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def query(
        self, *, method: str | None = None, path: str | None = None, status: str | int | None = None,
        limit: int | None = None,
    ) -> tuple[int, list[Entry]]:
        """(how many match, the newest `limit` of them, newest first)."""
        matches = _matcher(method, path, status)
        with self._lock:
            entries = list(self._entries)
        found = [e for e in reversed(entries) if matches(e)]
        return len(found), found if limit is None else found[:limit]


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
    if text.isdigit():
        return lambda code: code == int(text)
    if re.fullmatch(r"[1-5]xx", text):
        return lambda code: code // 100 == int(text[0])
    raise ValidationError(f"status must be a status code such as 429 or a class such as 4xx, got {status!r}")


def _public_query(raw: bytes) -> str:
    query = raw.decode("latin-1")
    if "hapikey" not in query.lower():
        return query
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k.lower() not in SECRET_QUERY_KEYS]
    return urlencode(pairs)


def _decode(body: bytes, truncated: bool) -> Any:
    if not body:
        return None
    text = body.decode("utf-8", errors="replace")
    if not truncated:
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text
