"""`make compat` fixtures: the pinned clients installed, one `hubsim serve` on a free port, seeded once."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from compat import clients
from compat.seed import Seeded, seed

TOKEN = "pat-na1-compat-4242"
PORTAL_ID = 4242
# No `scopes:` key: the portal grants every scope, as a private app with all the CRM read scopes the clients ask for.
CONFIG = f"portals:\n  - token: {TOKEN}\n    portalId: {PORTAL_ID}\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def installed() -> None:
    clients.ensure_all()


@pytest.fixture(scope="session")
def hubsim_url(tmp_path_factory) -> Iterator[str]:
    config = tmp_path_factory.mktemp("hubsim") / "hubsim.yaml"
    config.write_text(CONFIG)
    process = subprocess.Popen(
        [sys.executable, "-m", "scenarios.cli", "serve", "--port", str(_free_port()), "--config", str(config),
         "--quiet"], cwd=clients.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        first = process.stdout.readline()  # printed once the socket listens
        found = re.search(r"http://127\.0\.0\.1:\d+", first)
        assert found, f"hubsim serve did not start: {first!r} {process.stderr.read() if process.poll() else ''}"
        yield found.group(0)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def seeded(hubsim_url: str) -> Seeded:
    return seed(hubsim_url, TOKEN)


@pytest.fixture(scope="session")
def hubsim(hubsim_url: str) -> Iterator[httpx.Client]:
    """Reads what hubsim holds, to compare a client's output with."""
    with httpx.Client(base_url=hubsim_url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30) as client:
        yield client


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path
