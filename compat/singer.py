"""Reading a Singer tap's run: its RECORD messages by stream, and values compared as the tap typed them."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any


def records(stdout: str) -> dict[str, list[dict[str, Any]]]:
    by_stream: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in stdout.splitlines():
        message = json.loads(line)
        if message["type"] == "RECORD":
            by_stream[message["stream"]].append(message["record"])
    return dict(by_stream)


def select(catalog: dict[str, Any], streams: set[str]) -> dict[str, Any]:
    """The discovered catalog with these streams and all their fields selected, the rest not (a user's choice)."""
    for stream in catalog["streams"]:
        for entry in stream["metadata"]:
            entry["metadata"]["selected"] = stream["tap_stream_id"] in streams
    return catalog


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value))
    return path


def same(emitted: Any, held: Any) -> bool:
    """A tap types what it reads (amount "1200" -> 1200.0, "false" -> False, hubsim's "…Z" -> "…000Z"): the same
    number, boolean or instant counts as equal; anything else must be equal as it is."""
    if emitted == held:
        return True
    if isinstance(emitted, bool):  # a bool property: hubsim holds "true"/"false"
        return str(emitted).lower() == held
    for convert in (float, _instant):
        try:
            return convert(emitted) == convert(held)
        except (TypeError, ValueError):
            continue
    return False


def _instant(value: Any) -> datetime:
    if not isinstance(value, str) or "T" not in value:
        raise ValueError(value)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def differences(emitted: dict[str, Any], held: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Each property the tap emitted with a value that hubsim holds otherwise (or not at all)."""
    return {name: (value, held.get(name)) for name, value in emitted.items()
            if value is not None and not same(value, held.get(name))}
