"""`make compat` fixtures: the pinned clients installed, one `hubsim serve` on a free port, seeded once."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import httpx
import pytest

from compat import clients
from compat.seed import Seeded, seed
from scenarios.load_cli import served_hubsim

TOKEN = "pat-na1-compat-4242"
PORTAL_ID = 4242
# No `scopes:` key: the portal grants every scope, as a private app with all the CRM read scopes the clients ask for.
CONFIG = f"portals:\n  - token: {TOKEN}\n    portalId: {PORTAL_ID}\n"


@pytest.fixture(scope="session")
def installed() -> None:
    clients.ensure_all()


@pytest.fixture(scope="session")
def hubsim_url(tmp_path_factory) -> Iterator[str]:
    config = tmp_path_factory.mktemp("hubsim") / "hubsim.yaml"
    config.write_text(CONFIG)
    command = [sys.executable, "-m", "scenarios.cli", "serve", "--port", "0", "--config", str(config), "--quiet"]
    with served_hubsim(command) as url:  # port 0: a free one; stopped (SIGTERM) after the session
        yield url


@pytest.fixture(scope="session")
def seeded(hubsim_url: str) -> Seeded:
    return seed(hubsim_url, TOKEN)


@pytest.fixture(scope="session")
def hubsim(hubsim_url: str) -> Iterator[httpx.Client]:
    """Reads what hubsim holds, to compare a client's output with."""
    with httpx.Client(base_url=hubsim_url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30) as client:
        yield client


def held(hubsim: httpx.Client, object_type: str, object_id: str, names) -> dict[str, str | None]:
    """The record's properties as hubsim holds them (v3), to compare a client's copy with."""
    answer = hubsim.get(f"/crm/v3/objects/{object_type}/{object_id}", params={"properties": ",".join(names)})
    return answer.raise_for_status().json()["properties"]
