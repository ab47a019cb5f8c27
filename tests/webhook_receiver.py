"""A webhook receiver for tests: a real HTTP server on 127.0.0.1:0 that records every request and answers as told."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float  # wall time

    def json(self) -> Any:
        return json.loads(self.body)


# How the receiver answers its n-th request (0-based): (status, seconds to wait before answering).
Script = Callable[[int], tuple[int, float]]


class Receiver:
    def __init__(self, script: Script = lambda n: (204, 0.0)):
        self.script = script
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._lock:
                    n = len(receiver.received)
                    receiver.received.append(
                        Received(self.command, self.path, dict(self.headers.items()), body, time.time())
                    )
                status, delay = receiver.script(n)
                if delay:
                    receiver._stop.wait(delay)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_PUT = do_PATCH = do_DELETE = do_GET = do_POST  # noqa: N815

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks?source=hubsim"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def events(self) -> list[dict[str, Any]]:
        """Every event of every request received, in arrival order."""
        with self._lock:
            return [event for request in self.received for event in request.json()]


def dead_url() -> str:
    """A loopback URL where nothing listens: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks"
