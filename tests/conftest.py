"""Shared fixtures: a hub, its app in-process, and an httpx client on one portal (WSGITransport, no socket)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from simulator import Hub, Portal, create_app

TOKEN = "pat-na1-test"


@pytest.fixture
def hub() -> Iterator[Hub]:
    hub = Hub()
    yield hub
    hub.close()


@pytest.fixture
def app(hub: Hub):
    app = create_app(hub)
    app.testing = True
    return app


@pytest.fixture
def api(app) -> Iterator[httpx.Client]:
    """HubSpot in-process, as the caller with TOKEN."""
    with httpx.Client(
        transport=httpx.WSGITransport(app=app), base_url="http://hubsim.test", headers={"Authorization": f"Bearer {TOKEN}"}
    ) as client:
        yield client


@pytest.fixture
def other(app) -> Iterator[httpx.Client]:
    """A second, fresh portal of the same simulator."""
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://hubsim.test",
                      headers={"Authorization": "Bearer pat-na1-other"}) as client:  # fmt: skip
        yield client


@pytest.fixture
def portal(hub: Hub) -> Portal:
    """The portal `api` talks to."""
    return hub.portal(TOKEN)
