"""`hubsim serve`: one process behind waitress, loopback by default, printing its base URL and a token."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(*args: str) -> tuple[subprocess.Popen, str, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "scenarios.cli", "serve", "--port", str(free_port()), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    first, second = process.stdout.readline(), process.stdout.readline()
    url = re.search(r"http://[\d.]+:\d+", first).group(0)
    token = second.split("token:")[1].strip()
    return process, url, token


def stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=10)


def test_serve_prints_a_base_url_and_a_token_that_work():
    process, url, token = start()
    try:
        assert url.startswith("http://127.0.0.1:")
        headers = {"Authorization": f"Bearer {token}"}
        created = httpx.post(f"{url}/crm/v3/objects/contacts", headers=headers,
                             json={"properties": {"email": "a@b.io"}})
        assert created.status_code == 201
        assert created.headers["Server"] == "hubsim"
        process.stdout.readline()  # the curl hint
        inspector = re.search(r"look: +(\S+)", process.stdout.readline()).group(1)
        assert inspector == f"{url}/_sim/ui?token={token}"
        assert "a@b.io" in httpx.get(inspector.replace("/_sim/ui", "/_sim/ui/contacts")).text
    finally:
        assert stop(process) == 0


def test_serve_with_a_config_is_strict(tmp_path):
    config = tmp_path / "hubsim.yaml"
    token = "pat-na1-fixed-0c7d-4e1a"
    config.write_text(f"portals:\n  - token: {token}\n    tier: starter\n    timeZone: Europe/Berlin\n")
    process, url, shown = start("--config", str(config))
    try:
        assert httpx.get(f"{url}/crm/v3/objects/contacts", headers={"Authorization": "Bearer nope"}).status_code == 401
        settings = httpx.get(f"{url}/_sim/portal", headers={"Authorization": f"Bearer {token}"}).json()
        assert (settings["tier"], settings["timeZone"]) == ("starter", "Europe/Berlin")
    finally:
        stop(process)
    assert shown == "pat-na1-f…"  # a declared token is a secret: only its start is printed
    assert token not in process.stdout.read()  # nor in the curl hint


@pytest.mark.parametrize("content", ["portals: [{token: ''}]", "portals: [{token: t, tier: gold}]", "{{{"])
def test_a_bad_config_fails_the_start_with_a_clear_message(tmp_path, content):
    config = tmp_path / "bad.yaml"
    config.write_text(content)
    result = subprocess.run([sys.executable, "-m", "scenarios.cli", "serve", "--config", str(config)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert f"config {config}" in result.stderr


def contacts(url: str, token: str) -> list[str]:
    response = httpx.get(f"{url}/crm/v3/objects/contacts", headers={"Authorization": f"Bearer {token}"})
    return [c["properties"]["email"] for c in response.json()["results"]]


def create_contact(url: str, token: str, email: str) -> None:
    response = httpx.post(f"{url}/crm/v3/objects/contacts", headers={"Authorization": f"Bearer {token}"},
                          json={"properties": {"email": email}})
    assert response.status_code == 201


def test_state_survives_a_clean_shutdown(tmp_path):
    process, url, token = start("--state", str(tmp_path), "--save-every", "3600")
    create_contact(url, token, "ann@acme.io")
    assert stop(process) == 0
    process, url, token = start("--state", str(tmp_path))
    try:
        assert contacts(url, token) == ["ann@acme.io"]
    finally:
        stop(process)


def test_a_kill_9_loses_at_most_the_last_interval(tmp_path):
    process, url, token = start("--state", str(tmp_path), "--save-every", "0.2")
    create_contact(url, token, "saved@acme.io")
    deadline = time.monotonic() + 10
    while not list(tmp_path.glob("portal-*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # at least one more interval: the save above is complete
    process.kill()
    process.wait(timeout=10)
    process, url, token = start("--state", str(tmp_path))
    try:
        assert contacts(url, token) == ["saved@acme.io"]
    finally:
        stop(process)


def test_a_damaged_state_file_fails_the_start_and_is_left_untouched(tmp_path):
    damaged = tmp_path / "portal-0123.json"
    damaged.write_text("{not json")
    result = subprocess.run([sys.executable, "-m", "scenarios.cli", "serve", "--state", str(tmp_path),
                             "--port", str(free_port())], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert f"{damaged} cannot be read as JSON" in result.stderr
    assert damaged.read_text() == "{not json"


def test_serving_off_loopback_needs_an_admin_token():
    result = subprocess.run([sys.executable, "-m", "scenarios.cli", "serve", "--host", "0.0.0.0",
                             "--port", str(free_port())], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "--admin-token" in result.stderr


def test_with_an_admin_token_the_control_api_wants_it():
    process, url, token = start("--host", "0.0.0.0", "--admin-token", "s3cret")
    try:
        local = url.replace("0.0.0.0", "127.0.0.1")
        headers = {"Authorization": f"Bearer {token}"}
        refused = httpx.get(f"{local}/_sim/clock", headers=headers)
        assert refused.status_code == 401
        assert "X-HubSim-Admin-Token" in refused.json()["message"]
        allowed = httpx.get(f"{local}/_sim/clock", headers={**headers, "X-HubSim-Admin-Token": "s3cret"})
        assert allowed.status_code == 200
        assert httpx.get(f"{local}/crm/v3/objects/contacts", headers=headers).status_code == 200
        assert httpx.get(f"{local}/_sim/health").status_code == 200
    finally:
        stop(process)


def test_a_busy_port_is_named_without_a_traceback():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "scenarios.cli", "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr == f"hubsim: port {port} is in use: try --port 0 or another port\n"


def logged_lines(process: subprocess.Popen) -> list[str]:
    """What serve printed after its banner, once stopped (its request log is written before it exits)."""
    assert stop(process) == 0
    return [line for line in process.stdout.read().splitlines() if not line.startswith("  ")]


def test_serve_logs_one_line_per_request_with_its_portal_and_marks():
    process, url, token = start()
    headers = {"Authorization": f"Bearer {token}"}
    httpx.post(f"{url}/crm/v3/objects/contacts", headers=headers, json={"properties": {"email": "a@b.io"}})
    httpx.get(f"{url}/crm-pipelines/v1/pipelines/contacts", headers=headers)
    httpx.post(f"{url}/_sim/faults", headers=headers, json={"action": {"status": 503}, "times": 1})
    httpx.get(f"{url}/crm/v3/objects/contacts", headers=headers)
    portal_id = httpx.get(f"{url}/_sim/portal", headers=headers).json()["portalId"]
    lines = logged_lines(process)
    pattern = r"(?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3}) (?P<ms>\d+\.\d)ms(?P<marks>.*)"
    logged = [re.fullmatch(pattern, line).groupdict() for line in lines]
    assert [(e["method"], e["path"], e["status"], e["marks"]) for e in logged] == [
        ("POST", "/crm/v3/objects/contacts", "201", f" portal {portal_id}"),
        ("GET", "/crm-pipelines/v1/pipelines/contacts", "404", f" portal {portal_id} notSimulated"),
        ("POST", "/_sim/faults", "201", ""),
        ("GET", "/crm/v3/objects/contacts", "503", f" portal {portal_id} fault:status"),
        ("GET", "/_sim/portal", "200", ""),
    ]


def test_quiet_serve_logs_no_requests():
    process, url, token = start("--quiet")
    httpx.get(f"{url}/crm/v3/objects/contacts", headers={"Authorization": f"Bearer {token}"})
    assert logged_lines(process) == []
