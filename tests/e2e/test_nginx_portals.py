"""deploy/nginx.conf: two `hubsim serve` processes behind nginx; one token always lands on the same process.

Skipped where nginx is absent (apt-get install nginx-light, or brew install nginx)."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from scenarios.load_cli import served_hubsim

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
TOKENS = [f"pat-nginx-{i}" for i in range(16)]  # all on one of two processes: a 2-in-65,536 chance

pytestmark = pytest.mark.skipif(shutil.which("nginx") is None,
                                reason="nginx is not installed: apt-get install nginx-light (or brew install nginx)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _render(backends: list[str], port: int) -> str:
    """The shipped config, with this test's ports."""
    text = CONFIG.read_text()
    servers = "".join(f"        server {b.removeprefix('http://')};\n" for b in backends)
    text = re.sub(r"(        server 127\.0\.0\.1:808[12];\n)+", servers, text)
    return text.replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{port};")


def test_each_token_always_lands_on_the_same_process(tmp_path):
    with ExitStack() as stack:
        backends = [stack.enter_context(served_hubsim()) for _ in range(2)]
        port = _free_port()
        (tmp_path / "tmp").mkdir()
        (tmp_path / "logs").mkdir()  # nginx opens its compiled-in error log before reading the config
        (tmp_path / "nginx.conf").write_text(_render(backends, port))
        nginx = subprocess.Popen(["nginx", "-p", str(tmp_path), "-c", "nginx.conf"], stderr=subprocess.PIPE)
        stack.callback(nginx.wait, 10)
        stack.callback(nginx.terminate)
        front = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(f"{front}/crm/v3/objects/contacts", headers={"Authorization": "Bearer probe"})
                break
            except httpx.TransportError:
                time.sleep(0.1)
        homes = set()
        for token in TOKENS:
            auth = {"Authorization": f"Bearer {token}"}
            made = httpx.post(f"{front}/crm/v3/objects/contacts", headers=auth,
                              json={"properties": {"email": f"{token}@acme.io"}})
            assert made.status_code == 201, made.text
            for _ in range(5):  # every later call of the token finds its portal's contact: the same process
                found = httpx.get(f"{front}/crm/v3/objects/contacts/{made.json()['id']}", headers=auth)
                assert found.json()["properties"]["email"] == f"{token}@acme.io"
            holders = [b for b in backends if httpx.get(
                f"{b}/crm/v3/objects/contacts", headers=auth).json()["results"]]  # asked directly, past nginx
            assert len(holders) == 1
            homes.add(holders[0])
        assert homes == set(backends)  # the tokens spread over both processes
