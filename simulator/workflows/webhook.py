"""The WEBHOOK action: a real HTTP request from the simulator, sent by the hub's delivery worker.

The request is built under the lock (the record's values as they are at that step); the engine hands it to the
worker when the lock is released. Its outcome (status, error, elapsed) is recorded in the enrollment's history and
the record then goes on, failure or not: a failed webhook is recorded, never fatal (and not retried: HubSpot retries
a workflow webhook only on 429 and 5xx, which hubsim does not simulate yet; see docs/differences.md).
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from typing import Any

from simulator.wire import epoch_ms
from simulator.workflows.definitions import AuthKeySettings, SignatureSettings, WebhookAction
from simulator.workflows.steps import FAILED, Outcome, Run
from simulator.workflows.values import FieldProblem, check_value, resolve



@dataclass(frozen=True)
class Request:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes


@dataclass
class WebhookStep:
    action_id: str
    kind: str
    action: WebhookAction

    def run(self, run: Run) -> Outcome:
        engine = run.services()
        context = run.resolution()
        query = [(p.name, resolve(p.value, context)) for p in self.action.query_params]
        headers = {"Content-Type": "application/json"}
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
        return Outcome(detail=detail, outbound=Request(self.action.method, url, headers, body))


def compile_webhook(action: WebhookAction, env: Any) -> WebhookStep:
    parts = urllib.parse.urlsplit(action.webhook_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FieldProblem(f"webhookUrl must be an http(s) URL, got {action.webhook_url!r}")
    for i, param in enumerate(action.query_params):
        check_value(param.value, f"queryParams[{i}].value")
    return WebhookStep(action.action_id, action.type, action)
