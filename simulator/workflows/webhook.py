"""The WEBHOOK action: a real HTTP request from the simulator, made after the portal lock is released.

The request is built under the lock (the record's values as they are at that step) and sent outside it; its outcome
(status, error, elapsed) is recorded in the enrollment's history and the record then goes on, failure or not:
a failed webhook is recorded, never fatal.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simulator.wire import epoch_ms
from simulator.workflows.definitions import AuthKeySettings, SignatureSettings, WebhookAction
from simulator.workflows.steps import FAILED, Outcome, Run
from simulator.workflows.values import FieldProblem, check_value, resolve

# HubSpot does not publish the webhook action's timeout; 10 s keeps a dead receiver from holding a test for long.
TIMEOUT_SECONDS = 10.0
RESPONSE_EXCERPT = 500  # characters of the receiver's answer kept in the history

Report = Callable[[dict[str, Any]], None]


@dataclass
class WebhookStep:
    action_id: str
    kind: str
    action: WebhookAction

    def run(self, run: Run) -> Outcome:
        engine = run.services()
        context = run.resolution()
        query = [(p.name, resolve(p.value, context)) for p in self.action.query_params]
        headers = {"Content-Type": "application/json", "User-Agent": "HubSpot Connect 2.0 (hubsim)"}
        auth = self.action.auth_settings
        if isinstance(auth, AuthKeySettings):
            secret = engine.secret(auth.secret_name)
            if secret is None:
                return Outcome(FAILED, {"error": f"workflow secret {auth.secret_name!r} is not set"})
            if auth.location == "HEADER":
                headers[auth.name] = secret
            else:
                query.append((auth.name, secret))
        url = self.action.webhook_url
        if query:
            url += ("&" if urllib.parse.urlsplit(url).query else "?") + urllib.parse.urlencode(query)
        body = json.dumps({
            "objectId": int(run.object_id), "objectTypeId": run.object_type.object_type_id,
            "properties": dict(sorted(run.values().items())), "flowId": run.flow_id, "actionId": self.action_id,
            "enrollmentId": run.enrollment_id, "occurredAt": epoch_ms(run.now),
        }, separators=(",", ":")).encode()  # fmt: skip
        if self.action.method in ("GET", "HEAD", "DELETE", "OPTIONS"):
            body = b""
        if isinstance(auth, SignatureSettings):
            signed = engine.sign(auth.app_id, self.action.method, url, body)
            if signed is None:
                return Outcome(FAILED, {"error": f"no app {auth.app_id} with a signing secret (POST /_sim/apps)"})
            headers.update(signed)
        detail = {"method": self.action.method, "url": url}
        return Outcome(detail=detail, outbound=lambda report: send(self.action.method, url, headers, body, report))


def send(method: str, url: str, headers: dict[str, str], body: bytes, report: Report) -> None:
    """Make the request and report its outcome; never raises (a receiver's failure is the receiver's)."""
    started = time.perf_counter()
    request = urllib.request.Request(url, data=body or None, headers=headers, method=method)
    outcome: dict[str, Any] = {}
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (the user's URL)
            outcome |= {"status": response.status, "response": response.read(RESPONSE_EXCERPT).decode(errors="replace")}
    except urllib.error.HTTPError as exc:
        outcome |= {"status": exc.code, "error": f"HTTP {exc.code}"}
    except (urllib.error.URLError, OSError, ValueError) as exc:
        outcome |= {"error": str(getattr(exc, "reason", exc)) or type(exc).__name__}
    outcome["elapsedMs"] = round((time.perf_counter() - started) * 1000, 1)
    report(outcome)


def compile_webhook(action: WebhookAction, env: Any) -> WebhookStep:
    parts = urllib.parse.urlsplit(action.webhook_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FieldProblem(f"webhookUrl must be an http(s) URL, got {action.webhook_url!r}")
    for i, param in enumerate(action.query_params):
        check_value(param.value, f"queryParams[{i}].value")
    return WebhookStep(action.action_id, action.type, action)
