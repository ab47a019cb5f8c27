"""The WSGI server keeps a keep-alive connection open after a bodiless answer (204), as after any other; and requests
queued behind busy threads wait quietly."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from simulator.server import DEFAULT_THREADS
from simulator.testing import Simulator


def _exchange(conn: socket.socket, request: bytes) -> bytes:
    conn.sendall(request)
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = conn.recv(65536)
        assert chunk, f"the server closed the connection after {answer!r}"
        answer += chunk
    return answer


def test_a_204_keeps_the_connection_open_for_the_next_request():
    with Simulator() as sim, sim.client() as client:
        contact = client.post("/crm/v3/objects/contacts", json={"properties": {"email": "ann@acme.io"}}).json()
        address = urlsplit(sim.base_url)
        auth = f"Authorization: Bearer {sim.token}\r\nHost: sim\r\n"
        with socket.create_connection((address.hostname, address.port), timeout=5) as conn:
            deleted = _exchange(conn, f"DELETE /crm/v3/objects/contacts/{contact['id']} HTTP/1.1\r\n{auth}"
                                      "Content-Length: 0\r\n\r\n".encode())
            assert deleted.startswith(b"HTTP/1.1 204")
            assert b"connection: close" not in deleted.lower()
            after = _exchange(conn, f"GET /crm/v3/objects/contacts/{contact['id']} HTTP/1.1\r\n{auth}\r\n".encode())
            assert after.startswith(b"HTTP/1.1 404")  # archived: the same connection answered the next request


def test_a_client_asking_to_close_after_a_204_is_obeyed():
    with Simulator() as sim, sim.client() as client:
        contact = client.post("/crm/v3/objects/contacts", json={"properties": {"email": "bo@acme.io"}}).json()
        address = urlsplit(sim.base_url)
        with socket.create_connection((address.hostname, address.port), timeout=5) as conn:
            deleted = _exchange(conn, f"DELETE /crm/v3/objects/contacts/{contact['id']} HTTP/1.1\r\nHost: sim\r\n"
                                      f"Authorization: Bearer {sim.token}\r\nConnection: close\r\n\r\n".encode())
            assert b"connection: close" in deleted.lower()
            assert conn.recv(65536) == b""  # closed, as asked


def test_requests_queued_behind_busy_threads_log_nothing(caplog):
    # every thread held by a delay fault: the rest wait their turn, as under any load test, and say nothing
    with Simulator() as sim, sim.client() as client:
        sim.faults.add(match={"method": "GET"}, action={"delayMs": 300})
        with ThreadPoolExecutor(max_workers=DEFAULT_THREADS + 4) as pool:
            answers = list(pool.map(lambda _: client.get("/crm/v3/objects/contacts").status_code,
                                    range(DEFAULT_THREADS + 4)))
    assert answers == [200] * (DEFAULT_THREADS + 4)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("waitress")] == []
