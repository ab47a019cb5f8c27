"""`hubsim serve`'s request log: one line per request, written once the answer has been sent.

    POST /crm/v3/objects/contacts 201 3.1ms portal 1
    GET /crm-pipelines/v1/pipelines/deals 404 0.6ms portal 1 notSimulated
    POST /crm/v3/objects/contacts 429 0.2ms portal 1 throttled:TEN_SECONDLY_ROLLING
    POST /crm/v3/objects/contacts 503 0.3ms portal 1 fault:status

A request thread only queues a tuple; one writer thread formats and writes. A full queue drops lines (and says how
many), so a log nobody reads (a pipe left undrained) never holds up an answer.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

NOTE = "hubsim.note"  # the WSGI environ key the app leaves its account of the request under (app.py)
QUEUE_SIZE = 10_000  # lines waiting for the writer before new ones are dropped
_STOP = object()


class RequestLog:
    """The log and its writer; `wrap(app)` is the WSGI middleware that times each answer and queues its line."""

    def __init__(self, stream: IO[str], *, capacity: int = QUEUE_SIZE):
        self._stream = stream
        self._lines: queue.Queue[Any] = queue.Queue(capacity)
        self._dropped = 0
        self._writer = threading.Thread(target=self._write, name="hubsim-request-log", daemon=True)
        self._writer.start()

    def wrap(self, app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
        def logged(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            started = time.perf_counter()
            status: list[str] = []

            def capture(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
                status.append(line[:3])
                return start_response(line, headers, exc_info)

            def sent() -> None:  # the server closes the answer once it has sent it
                self._queue((environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""),
                             status[-1] if status else "---", time.perf_counter() - started, environ.get(NOTE)))

            return _Answer(app(environ, capture), sent)

        return logged

    def close(self, timeout: float = 2.0) -> None:
        """Write what is queued (for at most `timeout` seconds), then stop the writer."""
        try:
            self._lines.put(_STOP, timeout=timeout)
        except queue.Full:
            return
        self._writer.join(timeout)

    def _queue(self, entry: tuple[Any, ...]) -> None:
        try:
            self._lines.put_nowait(entry)
        except queue.Full:
            self._dropped += 1  # only the request threads count, and a lost increment only understates a count

    def _write(self) -> None:
        while (entry := self._lines.get()) is not _STOP:
            if not self._emit(format_line(*entry)):
                return
        self._emit(None)

    def _emit(self, line: str | None) -> bool:
        dropped, self._dropped = self._dropped, 0
        text = "".join((f"({dropped} request lines dropped: the log was not being read)\n" if dropped else "",
                        f"{line}\n" if line else ""))
        try:
            self._stream.write(text)
            self._stream.flush()
        except (OSError, ValueError):  # the stream went away (a closed pipe): the server carries on, unlogged
            return False
        return True


class _Answer:
    """The app's answer, unchanged, with a hook for when the server closes it (PEP 3333: after sending it)."""

    def __init__(self, body: Iterable[bytes], sent: Callable[[], None]):
        self._body, self._sent = body, sent

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._body)

    def close(self) -> None:
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            self._sent()


def format_line(method: str, path: str, status: str, seconds: float, note: tuple[Any, ...] | None) -> str:
    line = f"{method} {path} {status} {seconds * 1000:.1f}ms"
    if note is None:  # the control API, or a request no portal answered
        return line
    portal_id, throttled_by, fault_kind, not_simulated = note
    marks = [f"portal {portal_id}"]
    if throttled_by:
        marks.append(f"throttled:{throttled_by}")
    if fault_kind:
        marks.append(f"fault:{fault_kind}")
    if not_simulated:
        marks.append("notSimulated")
    return f"{line} {' '.join(marks)}"
