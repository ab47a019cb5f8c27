"""The portal's change feed: stores publish what changed, lists, workflows and webhooks subscribe (DESIGN.md).

A store publishes after its write is applied and while it still holds the portal lock. Listeners run inline, in the
order they subscribed, so a list's membership is current before the API call returns. A listener may publish in turn
(a list publishes its membership changes, which workflows read): such changes are queued and delivered after the
current one has reached every listener, so delivery is breadth-first, in publishing order, and never recursive.
Outbound work (webhook sends) is only queued by listeners; it runs outside the lock.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

RecordChange = Literal["created", "updated", "archived", "restored", "merged", "deleted"]


@dataclass(frozen=True, slots=True)
class RecordChanged:
    """A CRM record was written. `properties` names what the write changed (every value on creation).

    `merged` is told of each record a merge took away (`merged_into` names the new record, which is told `created`);
    `deleted` is a GDPR delete, gone for good."""

    object_type: str  # the store's name: contacts, companies, deals...
    object_id: str
    change: RecordChange
    properties: frozenset[str]
    at: datetime
    merged_into: str | None = None


@dataclass(frozen=True, slots=True)
class AssociationChanged:
    """The association types between two records changed; `linked` is whether any type still links them."""

    from_type: str
    from_id: str
    to_type: str
    to_id: str
    linked: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class EventOccurred:
    """A custom behavioral event occurrence was recorded on a record."""

    event_type_id: str  # the definition's objectTypeId, "6-..."
    event_name: str  # its fully qualified name, pe{portalId}_{name}
    object_type: str
    object_id: str
    occurred_at: datetime
    properties: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OccurrencesDropped:
    """The storage bound took away a record's oldest occurrences of one event type (what counted them may change)."""

    event_type_id: str
    object_type: str
    object_id: str
    at: datetime


@dataclass(frozen=True, slots=True)
class MembershipChanged:
    """A record joined or left a list."""

    list_id: str
    object_type_id: str
    record_id: str
    joined: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class ClockMoved:
    """The portal's domain clock was advanced or set; `now` is where it stands."""

    now: datetime


Change = RecordChanged | AssociationChanged | EventOccurred | OccurrencesDropped | MembershipChanged | ClockMoved
Listener = Callable[[Any], None]


class ChangeFeed:
    def __init__(self) -> None:
        self._listeners: list[tuple[tuple[type, ...], Listener]] = []
        self._pending: deque[Change] = deque()
        self._delivering = False

    def subscribe(self, listener: Listener, *kinds: type) -> None:
        """Call `listener(change)` for every change of these kinds (every kind when none are named)."""
        self._listeners.append((kinds, listener))

    def publish(self, change: Change) -> None:
        self._pending.append(change)
        if self._delivering:
            return
        self._delivering = True
        try:
            while self._pending:
                current = self._pending.popleft()
                for kinds, listener in self._listeners:
                    if not kinds or isinstance(current, kinds):
                        listener(current)
        finally:
            self._delivering = False
            self._pending.clear()
