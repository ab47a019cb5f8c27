"""The test face: `Simulator` (a server on an ephemeral loopback port, in a thread) and the pytest plugin.

    with Simulator() as sim:
        client = HubSpot(access_token=sim.token, host=sim.base_url, base_url=sim.base_url)
        sim.clock.advance(days=1)

The pytest plugin (simulator/pytest_plugin.py) builds its fixture `hubspot_sim` on these.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx

from simulator.app import ADMIN_HEADER
from simulator.config import HubConfig
from simulator.harness.journal import MAX_SIZE as MAX_JOURNAL_SIZE
from simulator.hub import Hub
from simulator.server import make_server


class Clock:
    """The portal's clock, moved through the control API (so it works on any hubsim, in-process or not)."""

    def __init__(self, control: httpx.Client):
        self._control = control

    def _post(self, **command: Any) -> dict[str, Any]:
        response = self._control.post("/_sim/clock", json=command)
        response.raise_for_status()
        return response.json()

    def state(self) -> dict[str, Any]:
        response = self._control.get("/_sim/clock")
        response.raise_for_status()
        return response.json()

    def now(self) -> datetime:
        return datetime.fromisoformat(self.state()["now"])

    def freeze(self) -> datetime:
        return datetime.fromisoformat(self._post(freeze=True)["now"])

    def unfreeze(self) -> datetime:
        return datetime.fromisoformat(self._post(freeze=False)["now"])

    def set(self, moment: datetime) -> datetime:
        return datetime.fromisoformat(self._post(set=moment.isoformat())["now"])

    def speed(self, factor: float) -> None:
        self._post(speed=factor)

    def advance(self, delta: timedelta | None = None, **units: float) -> datetime:
        """advance(timedelta(hours=1)) or advance(days=1, hours=2); runs everything that falls due on the way."""
        delta = (delta or timedelta()) + timedelta(**units)
        return datetime.fromisoformat(self._post(advance=delta.total_seconds())["now"])


class Journal:
    """The portal's request journal (newest first): what the code under test asked, and what it was answered."""

    def __init__(self, control: httpx.Client):
        self._control = control

    def requests(
        self, method: str | None = None, path: str | None = None, status: int | str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Entries matching the method, the path (exact, or a glob with `*`) and the status (429 or "4xx")."""
        return self._get(method, path, status, MAX_JOURNAL_SIZE if limit is None else limit)["results"]

    def count(self, method: str | None = None, path: str | None = None, status: int | str | None = None) -> int:
        return self._get(method, path, status, 0)["total"]

    def clear(self) -> None:
        self._control.delete("/_sim/journal").raise_for_status()

    def _get(self, method: str | None, path: str | None, status: int | str | None, limit: int) -> dict[str, Any]:
        wanted = {"method": method, "path": path, "status": status, "limit": limit}
        response = self._control.get("/_sim/journal", params={k: v for k, v in wanted.items() if v is not None})
        response.raise_for_status()
        return response.json()


class Faults:
    """The portal's fault rules: `add(match={"method": "POST", "path": "/crm/v3/*"}, action={"status": 503},
    times=1)` takes the same JSON as POST /_sim/faults and answers the rule with its id."""

    def __init__(self, control: httpx.Client):
        self._control = control

    def add(self, **rule: Any) -> dict[str, Any]:
        response = self._control.post("/_sim/faults", json=rule)
        response.raise_for_status()
        return response.json()

    def rules(self) -> list[dict[str, Any]]:
        response = self._control.get("/_sim/faults")
        response.raise_for_status()
        return response.json()["results"]

    def remove(self, rule_id: str) -> None:
        self._control.delete(f"/_sim/faults/{rule_id}").raise_for_status()

    def clear(self) -> None:
        self._control.delete("/_sim/faults").raise_for_status()


class Webhooks:
    """The portal's webhook apps and delivery attempts (the control API's /_sim/apps and /_sim/webhooks)."""

    def __init__(self, control: httpx.Client):
        self._control = control

    def set_secret(self, app_id: int, client_secret: str) -> None:
        self._control.post("/_sim/apps", json={"appId": app_id, "clientSecret": client_secret}).raise_for_status()

    def deliveries(self, event_id: int | None = None, app_id: int | None = None,
                   limit: int | None = None) -> list[dict[str, Any]]:
        """Every delivery attempt, newest first: eventIds, attemptNumber, status, error, outcome, times."""
        wanted = {"eventId": event_id, "appId": app_id, "limit": limit}
        response = self._control.get("/_sim/webhooks/deliveries",
                                     params={k: v for k, v in wanted.items() if v is not None})
        response.raise_for_status()
        return response.json()["results"]


class Workflows:
    """The portal's workflows as a test sees them: enroll records, read what each flow did to them."""

    def __init__(self, control: httpx.Client):
        self._control = control

    def _call(self, method: str, path: str, **options: Any) -> Any:
        response = self._control.request(method, path, **options)
        response.raise_for_status()
        return response.json()

    def enroll(self, flow_id: str, *object_ids: str) -> list[dict[str, Any]]:
        """Enroll records now (the flow must be on); one result per record: enrolled, or the reason why not."""
        return self._call("POST", f"/_sim/workflows/{flow_id}/enroll", json={"objectIds": list(object_ids)})["results"]

    def enrollments(self, flow_id: str, object_id: str | None = None) -> list[dict[str, Any]]:
        params = {"objectId": object_id} if object_id else {}
        return self._call("GET", f"/_sim/workflows/{flow_id}/enrollments", params=params)["results"]

    def overview(self) -> list[dict[str, Any]]:
        """Every flow of the portal with its enrollment counts."""
        return self._call("GET", "/_sim/workflows")["results"]

    def counts(self, flow_id: str) -> dict[str, int]:
        """enrolled, records, active, waiting, completed, unenrolled."""
        return self._call("GET", f"/_sim/workflows/{flow_id}/enrollments")["counts"]

    def history(self, object_id: str, flow_id: str | None = None) -> list[dict[str, Any]]:
        """Every enrollment of the record (in one flow, or in all of them), each with its history."""
        flow_ids = [flow_id] if flow_id else self._flow_ids()
        found = [e for f in flow_ids for e in self.enrollments(f, object_id)]
        return sorted(found, key=lambda e: int(e["enrollmentId"]))

    def install(self, name: str, *, enabled: bool = True, **event_type_ids: str) -> dict[str, Any]:
        """Install a playbook flow (GET /_sim/workflows/playbook lists them); returns the created flow."""
        body = {"name": name, "isEnabled": enabled, "eventTypeIds": event_type_ids}
        return self._call("POST", "/_sim/workflows/playbook", json=body)

    def _flow_ids(self) -> list[str]:
        ids, after = [], None
        while True:
            page = self._call("GET", "/automation/v4/flows", params={"after": after} if after else {})
            ids += [f["id"] for f in page["results"]]
            after = page.get("paging", {}).get("next", {}).get("after")
            if after is None:
                return ids


class SimPortal:
    """One portal of a running simulator, seen through its token."""

    def __init__(self, base_url: str, token: str, *, admin_token: str | None = None):
        self.base_url = base_url
        self.token = token
        self._admin_token = admin_token
        headers = {"Authorization": f"Bearer {token}"}
        if admin_token:
            headers[ADMIN_HEADER] = admin_token
        self._control = httpx.Client(base_url=base_url, headers=headers, timeout=30)
        self.clock = Clock(self._control)
        self.journal = Journal(self._control)
        self.faults = Faults(self._control)
        self.webhooks = Webhooks(self._control)
        self.workflows = Workflows(self._control)

    def client(self, **options: Any) -> httpx.Client:
        """An httpx client for this portal; the caller closes it."""
        options.setdefault("timeout", 30)
        return httpx.Client(base_url=self.base_url, headers={"Authorization": f"Bearer {self.token}"}, **options)

    def reset(self) -> None:
        self._control.post("/_sim/reset").raise_for_status()

    def settings(self, **changes: Any) -> dict[str, Any]:
        """Read, or change, the portal's settings (tier, timeZone, scopes, rateLimits, retryAfter, journal...)."""
        response = self._control.post("/_sim/portal", json=changes) if changes else self._control.get("/_sim/portal")
        response.raise_for_status()
        return response.json()

    def usage(self) -> dict[str, Any]:
        """Rate-limit usage per policy: the current window, totals and every recent 10-second window."""
        response = self._control.get("/_sim/usage")
        response.raise_for_status()
        return response.json()

    def outbox(self, **filters: str) -> list[dict[str, Any]]:
        """Emails and notifications the portal's workflows sent, oldest first (filters: flowId, objectId, type)."""
        response = self._control.get("/_sim/outbox", params=filters)
        response.raise_for_status()
        return response.json()["results"]

    def close(self) -> None:
        self._control.close()


class Simulator(SimPortal):
    """A hubsim on 127.0.0.1 in a background thread, and the handle of its default portal."""

    def __init__(
        self,
        *,
        config: HubConfig | dict[str, Any] | None = None,
        hub: Hub | None = None,
        token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ):
        if hub is None:
            hub = Hub(config if isinstance(config, HubConfig) or config is None else HubConfig.model_validate(config))
        self.hub = hub
        self._server = make_server(hub, host=host, port=port)
        self._thread = threading.Thread(target=self._server.run, name="hubsim-server", daemon=True)
        default_token = token or (hub.config.portals[0].token if hub.config.portals else f"pat-local-{uuid.uuid4()}")
        super().__init__(
            f"http://{host}:{self._server.effective_port}", default_token, admin_token=hub.config.admin_token
        )

    def start(self) -> Simulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.close()

        def close_every_channel() -> None:
            # Keep-alive connections would keep the loop alive; closing them from the loop's own thread avoids
            # pulling a socket out from under its select().
            for channel in list(self._server._map.values()):
                channel.close()

        self._server.trigger.pull_trigger(close_every_channel)
        self._thread.join(timeout=5)
        self._server.task_dispatcher.shutdown(timeout=5)
        self.hub.close()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def portal(self, token: str | None = None) -> SimPortal:
        """A handle on another portal of this simulator (a fresh one for a new token in open mode)."""
        return SimPortal(self.base_url, token or f"pat-local-{uuid.uuid4()}", admin_token=self._admin_token)
