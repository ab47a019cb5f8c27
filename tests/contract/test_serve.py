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
    finally:
        assert stop(process) == 0


def test_serve_with_a_config_is_strict(tmp_path):
    config = tmp_path / "hubsim.yaml"
    config.write_text("portals:\n  - token: pat-na1-fixed\n    tier: starter\n    timeZone: Europe/Berlin\n")
    process, url, token = start("--config", str(config))
    try:
        assert token == "pat-na1-fixed"
        assert httpx.get(f"{url}/crm/v3/objects/contacts", headers={"Authorization": "Bearer nope"}).status_code == 401
        settings = httpx.get(f"{url}/_sim/portal", headers={"Authorization": f"Bearer {token}"}).json()
        assert (settings["tier"], settings["timeZone"]) == ("starter", "Europe/Berlin")
    finally:
        stop(process)


@pytest.mark.parametrize("content", ["portals: [{token: ''}]", "portals: [{token: t, tier: gold}]", "{{{"])
def test_a_bad_config_fails_the_start_with_a_clear_message(tmp_path, content):
    config = tmp_path / "bad.yaml"
    config.write_text(content)
    result = subprocess.run([sys.executable, "-m", "scenarios.cli", "serve", "--config", str(config)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert f"config {config}" in result.stderr
