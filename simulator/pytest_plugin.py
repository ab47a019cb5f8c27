"""The pytest plugin (entry point pytest11): one simulator per test session, a fresh portal per test.

    @pytest.mark.hubspot(tier="starter", frozen_at="2030-01-01T00:00:00Z",
                         faults=[{"match": {"path": "/crm/v3/objects/*"}, "action": {"status": 503}, "times": 1}])
    def test_sync_survives_an_outage(hubspot_sim): ...

The marker starts the test's portal with those settings (any POST /_sim/portal key), a frozen clock and fault rules.
pytest loads this module in every session once hubsim is installed: the simulator itself loads when a test first
asks for a fixture, not here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from simulator.testing import SimPortal, Simulator

MARKER = "hubspot"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(frozen_at=None, faults=(), **settings): start hubspot_sim's portal with settings (tier, "
        "timeZone, rateLimits, ...), its clock frozen at an ISO time, and fault rules",
    )


@pytest.fixture(scope="session")
def hubspot_sim_server() -> Iterator[Simulator]:
    from simulator.testing import Simulator

    with Simulator() as sim:
        yield sim


@pytest.fixture
def hubspot_sim(hubspot_sim_server: Simulator, request: pytest.FixtureRequest) -> Iterator[SimPortal]:
    """A fresh portal on the session's simulator: nothing another test did is visible."""
    handle = hubspot_sim_server.portal()
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None:
        arrange(handle, **marker.kwargs)
    yield handle
    handle.close()
    hubspot_sim_server.hub.drop(handle.token)


def arrange(handle: SimPortal, *, frozen_at: str | datetime | None = None, faults: Any = (), **settings: Any) -> None:
    """What the `hubspot` marker's arguments ask of a fresh portal."""
    if settings:
        handle.settings(**settings)
    if frozen_at is not None:
        handle.clock.freeze()
        handle.clock.set(frozen_at if isinstance(frozen_at, datetime) else datetime.fromisoformat(frozen_at))
    for rule in faults:
        handle.faults.add(**rule)
