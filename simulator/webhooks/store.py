"""WebhookStore (`portal.webhooks`): the portal's apps, their settings and subscriptions, and the listener that turns
the portal's change feed into webhook events for the outbox."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from simulator.batch import BatchResult, check_batch_size
from simulator.crm.stores import CrmStores
from simulator.errors import HubSpotError, ObjectNotFound, ValidationError
from simulator.feed import AssociationChanged, EventOccurred, RecordChanged
from simulator.webhooks.apps import (
    MAX_APP_ID,
    MAX_SUBSCRIPTIONS,
    App,
    AppSecret,
    Settings,
    SettingsInput,
    SettingsNotFound,
    Subscription,
    SubscriptionBatchUpdate,
    SubscriptionCreate,
    SubscriptionNotFound,
    SubscriptionPatch,
    check_subscription,
)
from simulator.webhooks.events import (
    PREFIXES,
    Fields,
    absorb_merge,
    association_events,
    completion_event,
    record_event,
)
from simulator.webhooks.outbox import Outbox
from simulator.webhooks.signing import signed_headers
from simulator.webhooks.worker import DeliveryWorker

SINGULAR = {prefix: name for name, prefix in PREFIXES.items()}


class WebhookStore:
    def __init__(self, portal_id: int, lock: Any, now: Callable[[], datetime], crm: CrmStores,
                 schedule_at: Callable[[datetime, Any], None], deliveries: DeliveryWorker,
                 changed: Callable[[], None] = lambda: None):
        self._portal_id = portal_id
        self._lock = lock
        self._now = now
        self._crm = crm
        self._apps: dict[int, App] = {}
        self._next_subscription = 1
        self._next_event = 1
        self.outbox = Outbox(lock=lock, now=now, schedule_at=schedule_at, deliveries=deliveries, target=self._target,
                             changed=changed)
        crm.feed.subscribe(self._on_record, RecordChanged)
        crm.feed.subscribe(self._on_association, AssociationChanged)
        crm.feed.subscribe(self._on_event, EventOccurred)

    # --- apps and settings -----------------------------------------------------------------------------------------

    def set_client_secret(self, request: AppSecret) -> dict[str, Any]:
        with self._lock:
            self._app(request.app_id, create=True).client_secret = request.client_secret
        return {"appId": request.app_id, "clientSecret": request.client_secret}

    def signature_headers(self, app_id: int, method: str, url: str, body: bytes) -> dict[str, str]:
        """HubSpot's signature headers for a request this app sends now (a workflow's SIGNATURE-authenticated
        webhook action): signed with the app's client secret, stamped with wall time."""
        with self._lock:
            secret = self._app(app_id).client_secret
        return dict(signed_headers(secret, method, url, body, int(time.time() * 1000)))

    def settings(self, app_id: str) -> dict[str, Any]:
        with self._lock:
            app = self._app(parse_app_id(app_id))
            if app.settings is None:
                raise SettingsNotFound(f"No webhook settings found for app {app.app_id}")
            return app.settings.dump()

    def configure(self, app_id: str, request: SettingsInput) -> dict[str, Any]:
        number = parse_app_id(app_id)
        with self._lock:
            app, now = self._app(number, create=True), self._now()
            created = app.settings.created_at if app.settings else now
            app.settings = Settings(request.target_url, request.throttling, created, now)
            return app.settings.dump()

    def clear_settings(self, app_id: str) -> None:
        """Subscriptions stay, paused until a target URL is set again (HubSpot's DELETE settings)."""
        number = parse_app_id(app_id)
        with self._lock:
            self._app(number).settings = None

    # --- subscriptions -------------------------------------------------------------------------------------------

    def subscriptions(self, app_id: str) -> dict[str, Any]:
        number = parse_app_id(app_id)
        with self._lock:
            return {"results": [s.dump() for s in self._app(number).subscriptions.values()]}

    def create_subscription(self, app_id: str, request: SubscriptionCreate) -> dict[str, Any]:
        number = parse_app_id(app_id)
        check_subscription(request, self._known_property)
        with self._lock:
            app = self._app(number, create=True)
            if len(app.subscriptions) >= MAX_SUBSCRIPTIONS:
                raise ValidationError(f"An app can have at most {MAX_SUBSCRIPTIONS} subscriptions")
            for existing in app.subscriptions.values():
                if (existing.event_type, existing.property_name, existing.event_type_name) == (
                    request.event_type, request.property_name, request.event_type_name
                ):
                    raise HubSpotError(f"A subscription to {request.event_type} already exists: {existing.id}",
                                       status=409, category="CONFLICT")
            now = self._now()
            subscription = Subscription(self._next_subscription, request.event_type, request.property_name,
                                        request.active, now, now, request.event_type_name, request.object_type_id)
            self._next_subscription += 1
            app.subscriptions[subscription.id] = subscription
            return subscription.dump()

    def subscription(self, app_id: str, subscription_id: str) -> dict[str, Any]:
        number = parse_app_id(app_id)
        with self._lock:
            return self._subscription(number, subscription_id).dump()

    def update_subscription(self, app_id: str, subscription_id: str, patch: SubscriptionPatch) -> dict[str, Any]:
        number = parse_app_id(app_id)
        with self._lock:
            subscription = self._subscription(number, subscription_id)
            if patch.active is not None and patch.active != subscription.active:
                subscription.active, subscription.updated_at = patch.active, self._now()
            return subscription.dump()

    def archive_subscription(self, app_id: str, subscription_id: str) -> None:
        number = parse_app_id(app_id)
        with self._lock:
            subscription = self._subscription(number, subscription_id)
            del self._apps[number].subscriptions[subscription.id]

    def batch_update(self, app_id: str, request: SubscriptionBatchUpdate) -> BatchResult:
        """Activate or pause many; ids the app does not have are reported, the others updated (207)."""
        number = parse_app_id(app_id)
        check_batch_size(request.inputs)
        with self._lock:
            started, app = self._now(), self._app(number)
            result = BatchResult(started, started)
            missing = [item.id for item in request.inputs if item.id not in app.subscriptions]
            for item in request.inputs:
                subscription = app.subscriptions.get(item.id)
                if subscription is None:
                    continue
                if subscription.active != item.active:
                    subscription.active, subscription.updated_at = item.active, started
                result.results.append(subscription.dump())
            if missing:
                result.errors.append(SubscriptionNotFound.for_ids(missing).as_batch_error(
                    {"ids": [str(i) for i in missing]}))
            result.completed_at = self._now()
            return result

    def attempts(self, *, event_id: int | None, app_id: int | None, limit: int) -> dict[str, Any]:
        with self._lock:
            total, found = self.outbox.attempts(event_id=event_id, app_id=app_id, limit=limit)
            return {"total": total, "pending": self.outbox.pending(), "results": found}

    # --- the feed (under the portal lock) ----------------------------------------------------------------------

    def _on_record(self, change: RecordChanged) -> None:
        for app, subscription in self._listening():
            fields = record_event(change, subscription, self._value_of)
            if fields is None:
                continue
            if change.change == "merged" and any(
                absorb_merge(event, change) for event in self.outbox.open_events(app.app_id)
                if event["subscriptionId"] == subscription.id
            ):
                continue
            self._emit(app, subscription, change.at, fields)

    def _on_association(self, change: AssociationChanged) -> None:
        for app, subscription in self._listening():
            for fields in association_events(change, subscription):
                self._emit(app, subscription, change.at, fields)

    def _on_event(self, change: EventOccurred) -> None:
        for app, subscription in self._listening():
            fields = completion_event(change, subscription)
            if fields is not None:
                self._emit(app, subscription, change.occurred_at, fields)

    def _listening(self) -> list[tuple[App, Subscription]]:
        return [(app, s) for app in self._apps.values() if app.settings is not None
                for s in app.subscriptions.values() if s.active]

    def _emit(self, app: App, subscription: Subscription, at: datetime, fields: Fields) -> None:
        event = {
            "eventId": self._next_event,
            "subscriptionId": subscription.id,
            "portalId": self._portal_id,
            "appId": app.app_id,
            "occurredAt": int(at.timestamp() * 1000),
            "subscriptionType": subscription.event_type,
            "attemptNumber": 0,
            **fields,
        }
        self._next_event += 1
        self.outbox.add(app.app_id, event)

    def _value_of(self, object_type: str, object_id: str, name: str) -> tuple[str, str] | None:
        try:
            record = self._crm.objects(object_type).get(object_id)
        except ObjectNotFound:
            return None
        return record.values.get(name, ""), record.versions[-1][1]

    def _known_property(self, subject: str, name: str) -> bool:
        store = SINGULAR.get(subject)
        return store is None or self._crm.properties[store].definition(name) is not None

    # --- helpers -------------------------------------------------------------------------------------------------

    def _app(self, app_id: int, *, create: bool = False) -> App:
        """The app; one never configured has the default secret and nothing else (kept once something is set)."""
        app = self._apps.get(app_id)
        if app is None:
            app = App(app_id)
            if create:
                self._apps[app_id] = app
        return app

    def _target(self, app_id: int) -> tuple[str, str] | None:
        app = self._apps.get(app_id)
        if app is None or app.settings is None:
            return None
        return app.settings.target_url, app.client_secret

    def _subscription(self, app_id: int, subscription_id: str) -> Subscription:
        number = int(subscription_id) if subscription_id.isdigit() and len(subscription_id) <= 10 else None
        found = self._app(app_id).subscriptions.get(number) if number is not None else None
        if found is None:
            raise SubscriptionNotFound(f"Subscription {subscription_id} not found for app {app_id}")
        return found

    # --- reset and snapshots -------------------------------------------------------------------------------------

    def close(self) -> None:
        self.outbox.close()

    def resume(self) -> None:
        self.outbox.resume()

    def export(self) -> dict[str, Any]:
        return {
            "nextSubscriptionId": self._next_subscription,
            "nextEventId": self._next_event,
            "apps": [app.export() for app in self._apps.values()],
            **self.outbox.export(),
        }

    def restore(self, data: dict[str, Any]) -> None:
        next_subscription, next_event = data["nextSubscriptionId"], data["nextEventId"]
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in (next_subscription, next_event)):
            raise ValueError("nextSubscriptionId and nextEventId must be positive integers")
        for row in data["apps"]:
            app = App.restore(row)
            if app.app_id in self._apps:
                raise ValueError(f"app {app.app_id} appears twice")
            if any(s.id >= next_subscription for s in app.subscriptions.values()):
                raise ValueError("nextSubscriptionId must be above every subscription id")
            self._apps[app.app_id] = app
        ids = [s for app in self._apps.values() for s in app.subscriptions]
        if len(ids) != len(set(ids)):
            raise ValueError("subscription ids must be unique across apps")
        self._next_subscription, self._next_event = next_subscription, next_event
        self.outbox.restore({k: data[k] for k in ("seed", "nextSendId", "pending")})
        if any(e["eventId"] >= next_event for s in self.outbox.export()["pending"] for e in s["events"]):
            raise ValueError("nextEventId must be above every pending event's id")


def parse_app_id(text: str) -> int:
    """The appId path segment: a positive int32, as HubSpot's spec types it."""
    if not text.isdigit() or len(text) > 10 or not 1 <= int(text) <= MAX_APP_ID:
        raise ValidationError(f"appId must be a positive integer, got {text!r}")
    return int(text)
