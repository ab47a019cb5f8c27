"""What a step of a flow needs from the engine while it runs, and what it reports back.

Every action (steps/actions.py, branches.py, webhook.py) is compiled once when the flow is saved (its fields checked,
a bad one refused with the action named) and run for each enrolled record: `run(Run) -> Outcome`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from simulator.crm.object_types import ObjectType
from simulator.workflows.values import Resolution

DONE, FAILED, SKIPPED, NOT_SIMULATED, WAITING = "done", "failed", "skipped", "notSimulated", "waiting"
UNSET = object()  # an outcome that keeps the action's own connection


@dataclass
class Outcome:
    result: str = DONE
    detail: dict[str, Any] = field(default_factory=dict)
    next_action_id: Any = UNSET  # a branch picks its edge (None ends the flow); other actions follow theirs
    wait_until: datetime | None = None
    outbound: Any = None  # a webhook.Request the engine sends once the portal lock is released


class Run(Protocol):
    """One enrolled record at one step (the engine implements it)."""

    flow_id: str
    flow_name: str
    action_id: str
    object_type: ObjectType
    object_id: str
    enrollment_id: str
    now: datetime
    portal_id: int

    def values(self) -> Mapping[str, str]: ...
    def resolution(self) -> Resolution: ...
    def services(self) -> Any: ...  # the engine: crm, lists, outbox, owners, rotation, secrets


class Step(Protocol):
    action_id: str
    kind: str  # the actionTypeId, or the branch / webhook type, as history shows it

    def run(self, run: Run) -> Outcome: ...


Compile = Callable[[Any, Any], Step]
