"""The pytest plugin (entry point pytest11): one simulator per test session, a fresh portal per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.testing import SimPortal, Simulator


@pytest.fixture(scope="session")
def hubspot_sim_server() -> Iterator[Simulator]:
    with Simulator() as sim:
        yield sim


@pytest.fixture
def hubspot_sim(hubspot_sim_server: Simulator) -> Iterator[SimPortal]:
    """A fresh portal on the session's simulator: nothing another test did is visible."""
    handle = hubspot_sim_server.portal()
    yield handle
    handle.close()
    hubspot_sim_server.hub.drop(handle.token)
