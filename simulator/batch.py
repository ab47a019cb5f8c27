"""HubSpot's batch responses and its rule for partial success."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simulator.errors import ValidationError
from simulator.wire import iso

BATCH_LIMIT = 100  # HubSpot: at most 100 inputs per CRM batch call


def check_batch_size(inputs: Sequence[Any], limit: int = BATCH_LIMIT) -> None:
    if not inputs:
        raise ValidationError("Batch input must not be empty")
    if len(inputs) > limit:
        raise ValidationError(f"Batch input must have at most {limit} inputs, got {len(inputs)}")


def partial_success_allowed(trace_ids: Sequence[str | None]) -> bool:
    """Multi-status (207) only when every input carries its own objectWriteTraceId; otherwise one bad input fails
    the whole request and nothing is written (HubSpot's error-handling guide, "Multi-status errors")."""
    return all(trace_ids) and len(set(trace_ids)) == len(trace_ids)


def check_unique_ids(ids: Sequence[str]) -> None:
    seen, duplicates = set(), []
    for object_id in ids:
        if object_id in seen and object_id not in duplicates:
            duplicates.append(object_id)
        seen.add(object_id)
    if duplicates:
        raise ValidationError(f"Duplicate IDs found in batch input: {duplicates}. IDs must be unique")


@dataclass
class BatchResult:
    started_at: datetime
    completed_at: datetime
    results: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    success_status: int = 200
    # False where HubSpot documents no 207 and reports errors inside its success answer (batch/associate/default)
    multi_status: bool = True

    @property
    def status_code(self) -> int:
        return 207 if self.errors and self.multi_status else self.success_status

    def dump(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "status": "COMPLETE",
            "results": self.results,
            "startedAt": iso(self.started_at),
            "completedAt": iso(self.completed_at),
        }
        if self.errors:
            body["numErrors"] = len(self.errors)
            body["errors"] = self.errors
        return body
