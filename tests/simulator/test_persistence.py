"""--state: portals saved as versioned JSON, loaded back; atomic saves; damaged or newer files refused untouched."""

from __future__ import annotations

import json
import os
import time

import httpx
import pytest

import simulator
from simulator import Hub, create_app
from simulator.config import HubConfig
from simulator.harness import persistence
from simulator.harness.persistence import StateDirectory, StateError
from simulator.harness.snapshot import export_portal
from simulator.hub import token_key

CONTACTS = "/crm/v3/objects/contacts"


def client(hub: Hub, token: str) -> httpx.Client:
    app = create_app(hub)
    app.testing = True
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://hubsim.test",
                        headers={"Authorization": f"Bearer {token}"})


def test_a_saved_portal_comes_back_with_its_records_settings_and_clock(tmp_path):
    hub = Hub()
    with client(hub, "pat-ann") as api:
        api.post("/_sim/clock", json={"set": "2030-01-01T00:00:00Z", "freeze": True})
        api.post("/_sim/portal", json={"tier": "starter"})
        created = api.post(CONTACTS, json={"properties": {"email": "ann@acme.io", "jobtitle": "CTO"}}).json()
    assert StateDirectory(tmp_path, hub).save_changed() == 1

    restarted = Hub()
    assert StateDirectory(tmp_path, restarted).load() == 1
    with client(restarted, "pat-ann") as api:
        body = api.get(f"{CONTACTS}/{created['id']}", params={"properties": "jobtitle"}).json()
        assert body["properties"]["jobtitle"] == "CTO"
        assert api.get("/_sim/portal").json()["tier"] == "starter"
        assert api.get("/_sim/clock").json()["now"] == "2030-01-01T00:00:00.000Z"
        assert api.post(CONTACTS, json={"properties": {"email": "bob@acme.io"}}).json()["id"] != created["id"]


def test_files_are_named_by_a_hash_and_hold_no_token(tmp_path):
    hub = Hub()
    with client(hub, "pat-secret-token") as api:
        api.post(CONTACTS, json={"properties": {"email": "ann@acme.io"}})
    StateDirectory(tmp_path, hub).save_changed()
    [saved] = list(tmp_path.iterdir())
    assert saved.name == f"portal-{token_key('pat-secret-token')}.json"
    assert b"pat-secret-token" not in saved.read_bytes()


def test_only_changed_portals_are_saved_again(tmp_path):
    hub = Hub()
    state = StateDirectory(tmp_path, hub)
    with client(hub, "a") as a, client(hub, "b") as b:
        a.post(CONTACTS, json={"properties": {"email": "a@acme.io"}})
        b.post(CONTACTS, json={"properties": {"email": "b@acme.io"}})
        assert state.save_changed() == 2
        a.get(CONTACTS)
        assert state.save_changed() == 0
        b.patch(f"{CONTACTS}/1", json={"properties": {"jobtitle": "CTO"}})
        assert state.save_changed() == 1


def test_a_failed_write_leaves_the_previous_save_intact(tmp_path, monkeypatch):
    hub = Hub()
    state = StateDirectory(tmp_path, hub)
    with client(hub, "a") as api:
        api.post(CONTACTS, json={"properties": {"email": "first@acme.io"}})
        state.save_changed()
        before = list(tmp_path.iterdir())[0].read_bytes()
        api.post(CONTACTS, json={"properties": {"email": "second@acme.io"}})

    def torn_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", torn_fsync)
    assert state.save_changed() == 0  # logged and shown in /_sim/health (see below), not raised into the saver
    assert [p.read_bytes() for p in tmp_path.iterdir()] == [before]  # no temporary file left either


def test_one_portal_failing_to_save_costs_the_others_nothing_and_shows_in_health(tmp_path, monkeypatch):
    hub = Hub()
    with client(hub, "good") as good, client(hub, "bad") as bad:
        good.post(CONTACTS, json={"properties": {"email": "good@acme.io"}})
        bad.post(CONTACTS, json={"properties": {"email": "bad@acme.io"}})
        broken = hub.portal("bad")

        def export(portal):
            if portal is broken:
                raise ValueError("Out of range float values are not JSON compliant")
            return export_portal(portal)

        monkeypatch.setattr(persistence, "export_portal", export)
        state = StateDirectory(tmp_path, hub)
        state.start(every_seconds=0.01)
        deadline = time.monotonic() + 10
        while not (list(tmp_path.glob("portal-*.json")) and hub.problems) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [p.name for p in tmp_path.glob("portal-*.json")] == [f"portal-{token_key('good')}.json"]
        health = good.get("/_sim/health").json()
        assert health["status"] == "degraded"
        assert health["problems"] == [
            f"portal {broken.id} could not be saved to {tmp_path}: Out of range float values are not JSON compliant"
        ]

        good.post(CONTACTS, json={"properties": {"email": "later@acme.io"}})  # the saver goes on: later writes land
        monkeypatch.setattr(persistence, "export_portal", export_portal)
        state.stop()  # saves what the thread has not saved yet (it may already have saved both)
        assert good.get("/_sim/health").json() == {"status": "ok", "version": simulator.__version__}
    restarted = Hub()
    assert StateDirectory(tmp_path, restarted).load() == 2
    with client(restarted, "good") as again:
        assert len(again.get(CONTACTS).json()["results"]) == 2


def test_leftover_temporary_files_are_ignored(tmp_path):
    (tmp_path / ".portal-abc.json.123.tmp").write_text('{"format": "hubsim-sta')
    assert StateDirectory(tmp_path, Hub()).load() == 0


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('{"format": "hubsim-sta', "cannot be read as JSON"),
        ('{"format": "something-else"}', "is not a hubsim state file"),
        ('{"format": "hubsim-state", "version": 99, "portalId": 1, "portal": {}}', "state version 99"),
        ('{"format": "hubsim-state", "version": 1, "portal": {}}', "lacks its portalId"),
        ('{"format": "hubsim-state", "version": 1, "portalId": 7, "portal": {"format": "hubsim-portal"}}',
         "Invalid snapshot"),
    ],
)
def test_a_damaged_or_newer_file_fails_the_load_and_is_left_untouched(tmp_path, content, fragment):
    damaged = tmp_path / f"portal-{token_key('x')}.json"
    damaged.write_text(content)
    with pytest.raises(StateError) as raised:
        StateDirectory(tmp_path, Hub()).load()
    assert fragment in str(raised.value)
    assert str(damaged) in str(raised.value)
    assert damaged.read_text() == content


def test_strict_mode_loads_declared_portals_only(tmp_path):
    open_hub = Hub()
    with client(open_hub, "declared") as a, client(open_hub, "stranger") as b:
        a.post(CONTACTS, json={"properties": {"email": "a@acme.io"}})
        b.post(CONTACTS, json={"properties": {"email": "b@acme.io"}})
    StateDirectory(tmp_path, open_hub).save_changed()
    strict = Hub(HubConfig.model_validate({"portals": [{"token": "declared"}]}))
    assert StateDirectory(tmp_path, strict).load() == 1
    with client(strict, "declared") as api:
        assert len(api.get(CONTACTS).json()["results"]) == 1
    with client(strict, "stranger") as api:
        assert api.get(CONTACTS).status_code == 401


def test_stop_saves_what_changed_since_the_last_save(tmp_path):
    hub = Hub()
    state = StateDirectory(tmp_path, hub)
    state.start(every_seconds=3600)
    with client(hub, "a") as api:
        api.post(CONTACTS, json={"properties": {"email": "a@acme.io"}})
    assert state.stop() == 1
    saved = json.loads(next(tmp_path.iterdir()).read_bytes())
    assert saved["format"] == "hubsim-state" and saved["version"] == 1
