"""A small HTTP/1.1 load generator over keep-alive sockets, for the socket benchmarks: pre-built request bytes, one
thread a connection, closed loop (as fast as answers come) or paced (a fixed total rate, latency measured from the
moment each request was due, so a stalled server shows as latency, not as fewer requests).

Python, not wrk: nothing to install. Its own cost is a few tens of microseconds a request; it runs in the bench
process, the server in its own, and both share the machine.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Figures:
    requests: int
    seconds: float
    errors: int
    latencies: tuple[float, ...]  # seconds, sorted

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return self._percentile(0.5)

    @property
    def p99_ms(self) -> float:
        return self._percentile(0.99)

    def _percentile(self, share: float) -> float:
        if not self.latencies:
            return 0.0
        return self.latencies[min(len(self.latencies) - 1, int(len(self.latencies) * share))] * 1000

    @classmethod
    def combined(cls, parts: list[Figures]) -> Figures:
        """Several measures as one: their requests over their time together, percentiles over every sample."""
        return cls(sum(p.requests for p in parts), sum(p.seconds for p in parts), sum(p.errors for p in parts),
                   tuple(sorted(s for p in parts for s in p.latencies)))


def request_bytes(method: str, path: str, token: str, body: bytes = b"") -> bytes:
    head = (f"{method} {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


def _exchange(conn: socket.socket, request: bytes, buffer: bytearray) -> int:
    """Send one request, read one whole answer; its status."""
    conn.sendall(request)
    while True:
        end = buffer.find(b"\r\n\r\n")
        if end >= 0:
            break
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buffer += chunk
    head = bytes(buffer[:end]).decode("latin-1")
    length = 0
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
    while len(buffer) < end + 4 + length:
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buffer += chunk
    del buffer[: end + 4 + length]
    return int(head[9:12])


def blast(host: str, port: int, requests: list[bytes], *, connections: int = 8, seconds: float = 3.0,
          rate: float | None = None, expect: int = 200) -> Figures:
    """Run the requests round-robin on `connections` sockets for `seconds`; `rate` paces all of them together."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    start_at = time.perf_counter() + 0.05
    stop_at = start_at + seconds

    def worker(index: int) -> None:
        conn = socket.create_connection((host, port))
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer, mine, n = bytearray(), latencies[index], index
        interval = connections / rate if rate else 0.0
        due = start_at + (index * interval / connections if rate else 0.0)
        try:
            while True:
                if rate:
                    pause = due - time.perf_counter()
                    if pause > 0:
                        time.sleep(pause)
                    began = due
                    due += interval
                else:
                    began = time.perf_counter()
                if began >= stop_at:
                    return
                status = _exchange(conn, requests[n % len(requests)], buffer)
                mine.append(time.perf_counter() - began)
                errors[index] += status != expect
                n += connections
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    samples = tuple(sorted(s for mine in latencies for s in mine))
    return Figures(len(samples), seconds, sum(errors), samples)
