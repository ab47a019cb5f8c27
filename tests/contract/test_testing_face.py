"""The test face users get: Simulator and the pytest plugin's hubspot_sim fixture."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from simulator.testing import Simulator

pytest_plugins = ["pytester"]


def test_simulator_serves_on_an_ephemeral_loopback_port():
    with Simulator() as sim:
        assert sim.base_url.startswith("http://127.0.0.1:")
        with sim.client() as client:
            assert client.post("/crm/v3/objects/contacts", json={"properties": {"email": "a@b.io"}}).status_code == 201
            assert len(client.get("/crm/v3/objects/contacts").json()["results"]) == 1
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{sim.base_url}/_sim/health", timeout=1)


def test_the_clock_handle_freezes_sets_and_advances(hubspot_sim):
    start = datetime(2030, 1, 1, tzinfo=UTC)
    hubspot_sim.clock.freeze()
    assert hubspot_sim.clock.set(start) == start
    assert hubspot_sim.clock.advance(days=1, hours=2) == start + timedelta(days=1, hours=2)
    assert hubspot_sim.clock.advance(timedelta(minutes=5)) == start + timedelta(days=1, hours=2, minutes=5)
    assert hubspot_sim.clock.now() == start + timedelta(days=1, hours=2, minutes=5)


def test_records_written_at_a_set_time_carry_it(hubspot_sim):
    hubspot_sim.clock.freeze()
    hubspot_sim.clock.set(datetime(2030, 5, 17, 9, 30, tzinfo=UTC))
    with hubspot_sim.client() as client:
        created = client.post("/crm/v3/objects/contacts", json={"properties": {"email": "a@b.io"}}).json()
    assert created["createdAt"] == "2030-05-17T09:30:00.000Z"


def test_the_fixture_gives_each_test_a_fresh_portal(pytester):
    pytester.makepyfile(
        """
        def test_first(hubspot_sim):
            with hubspot_sim.client() as c:
                assert c.get("/crm/v3/objects/contacts").json()["results"] == []
                c.post("/crm/v3/objects/contacts", json={"properties": {"email": "a@b.io"}})

        def test_second(hubspot_sim):
            with hubspot_sim.client() as c:
                assert c.get("/crm/v3/objects/contacts").json()["results"] == []
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_settings_handle_reads_and_changes_the_portal(hubspot_sim):
    assert hubspot_sim.settings()["tier"] == "enterprise"
    assert hubspot_sim.settings(tier="starter")["tier"] == "starter"


def test_a_config_declares_strict_portals():
    with Simulator(config={"portals": [{"token": "pat-fixed", "tier": "starter"}]}) as sim:
        assert sim.token == "pat-fixed"
        assert sim.settings()["tier"] == "starter"
        with sim.portal("pat-other").client() as stranger:
            assert stranger.get("/crm/v3/objects/contacts").status_code == 401


def test_the_server_keeps_serving_connections_numbered_past_select_limit():
    import resource
    import socket

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 1200
    if hard != resource.RLIM_INFINITY and hard < wanted:
        pytest.skip(f"the hard descriptor limit ({hard}) is below {wanted}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    held = [socket.socket() for _ in range(1100)]  # the server's next descriptors land past 1023
    try:
        with Simulator() as sim, sim.client(timeout=5) as client:
            assert client.get("/crm/v3/objects/contacts").status_code == 200
            assert client.get("/crm/v3/objects/contacts").status_code == 200
    finally:
        for sock in held:
            sock.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
