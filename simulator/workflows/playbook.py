"""The PLG playbook (reference/plg-guide.txt, its trigger table) as ready flow definitions shipped with hubsim.

Each file in playbook/ is an automation v4 create body. Custom behavioral events appear as `{{event:NAME}}` where a
flow needs an eventTypeId: installing resolves them against the portal's event definitions (or ids the caller
passes), so a user creates the events and the custom properties first (README, "Workflows").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from importlib import resources
from typing import Any

from pydantic import Field

from simulator.errors import ObjectNotFound, ValidationError
from simulator.wire import WireModel

PLACEHOLDER = re.compile(r"^\{\{event:([a-z0-9_]+)\}\}$")
PROPERTY_KEYS = ("property", "property_name", "propertyName", "targetProperty", "target_property")


class PlaybookInstall(WireModel):
    """POST /_sim/workflows/playbook: install one playbook flow into the caller's portal."""

    name: str
    is_enabled: bool = True
    event_type_ids: dict[str, str] = Field(default_factory=dict)  # event name -> "6-..." (else looked up)


def names() -> list[str]:
    folder = resources.files("simulator.workflows") / "playbook"
    return sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json"))


def load(name: str) -> dict[str, Any]:
    if name not in names():
        raise ObjectNotFound(f"There is no playbook flow {name!r}; there are {', '.join(names())}")
    return json.loads((resources.files("simulator.workflows") / "playbook" / f"{name}.json").read_text())


def describe(name: str) -> dict[str, Any]:
    """What a playbook flow is and what it reads: the events and properties a portal needs first."""
    body = load(name)
    events, properties = set(), set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in PROPERTY_KEYS and isinstance(value, str):
                    properties.add(value)
                elif key == "owner_properties":
                    properties.update(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str) and (match := PLACEHOLDER.match(node)):
            events.add(match.group(1))

    walk(body)
    return {"name": name, "flowName": body["name"], "description": body["description"],
            "events": sorted(events), "properties": sorted(properties)}  # fmt: skip


def resolved(request: PlaybookInstall, event_id: Callable[[str], str | None]) -> dict[str, Any]:
    """The playbook flow's create body with its events' type ids filled in."""
    body = load(request.name)

    def fill(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: fill(value) for key, value in node.items()}
        if isinstance(node, list):
            return [fill(item) for item in node]
        match = PLACEHOLDER.match(node) if isinstance(node, str) else None
        if match is None:
            return node
        name = match.group(1)
        found = request.event_type_ids.get(name) or event_id(name)
        if found is None:
            raise ValidationError(f"Playbook flow {request.name} needs the custom event {name}: create it "
                                  "(POST /events/v3/event-definitions) or pass its id in eventTypeIds")  # fmt: skip
        return found

    return {**fill(body), "isEnabled": request.is_enabled}
