"""Webhooks v3: /webhooks/v3/{appId}/settings and /subscriptions (HubSpot's management API of an app's webhooks),
and the control API's /_sim/apps and /_sim/webhooks/deliveries."""

from __future__ import annotations

from flask import Blueprint

from simulator.routes.common import body, portal, query_int, query_str
from simulator.webhooks.apps import (
    AppSecret,
    SettingsInput,
    SubscriptionBatchUpdate,
    SubscriptionCreate,
    SubscriptionPatch,
)
from simulator.webhooks.outbox import ATTEMPT_LOG_SIZE
from simulator.webhooks.store import parse_app_id

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks/v3/<app_id>")
control_bp = Blueprint("webhooks_control", __name__, url_prefix="/_sim")
DELIVERIES_PAGE = 100  # attempts GET /_sim/webhooks/deliveries returns unless `limit` says otherwise


@bp.get("/settings")
def get_settings(app_id: str):
    return portal().webhooks.settings(app_id)


@bp.put("/settings")
def configure_settings(app_id: str):
    return portal().webhooks.configure(app_id, body(SettingsInput))


@bp.delete("/settings")
def clear_settings(app_id: str):
    portal().webhooks.clear_settings(app_id)
    return "", 204


@bp.get("/subscriptions")
def get_subscriptions(app_id: str):
    return portal().webhooks.subscriptions(app_id)


@bp.post("/subscriptions")
def create_subscription(app_id: str):
    return portal().webhooks.create_subscription(app_id, body(SubscriptionCreate)), 201


@bp.post("/subscriptions/batch/update")
def batch_update_subscriptions(app_id: str):
    result = portal().webhooks.batch_update(app_id, body(SubscriptionBatchUpdate))
    return result.dump(), result.status_code


@bp.get("/subscriptions/<subscription_id>")
def get_subscription(app_id: str, subscription_id: str):
    return portal().webhooks.subscription(app_id, subscription_id)


@bp.patch("/subscriptions/<subscription_id>")
def update_subscription(app_id: str, subscription_id: str):
    return portal().webhooks.update_subscription(app_id, subscription_id, body(SubscriptionPatch))


@bp.delete("/subscriptions/<subscription_id>")
def archive_subscription(app_id: str, subscription_id: str):
    portal().webhooks.archive_subscription(app_id, subscription_id)
    return "", 204


@control_bp.post("/apps")
def set_app_secret():
    return portal().webhooks.set_client_secret(body(AppSecret))


@control_bp.get("/webhooks/deliveries")
def get_deliveries():
    event_id, app_id = query_int("eventId", 0, maximum=2**63 - 1), query_str("appId")
    return portal().webhooks.attempts(
        event_id=event_id or None,
        app_id=parse_app_id(app_id) if app_id is not None else None,
        limit=query_int("limit", DELIVERIES_PAGE, minimum=0, maximum=ATTEMPT_LOG_SIZE),
    )
