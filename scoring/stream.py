"""An events file through the sync, a chunk at a time: what `hubsim sync` runs.

The file is read a line at a time and pushed `size` events at a time, so what the sync holds is one chunk and
its per-contact state (scores, what HubSpot acknowledged is in the outbox on disk): memory follows the number of
contacts, not the length of the file (bench/sync_memory.py measures it at 200,000 and 2,000,000 events).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from scoring.scores import from_iso
from scoring.sync import Sync


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as file:
        for line in file:
            if line.strip():
                yield json.loads(line)


def read_chunks(path: Path, size: int) -> Iterator[tuple[list[dict[str, Any]], int]]:
    """Lists of up to `size` events, each with the bytes of the file it took (for a progress bar)."""
    chunk: list[dict[str, Any]] = []
    taken = 0
    with open(path, encoding="utf-8") as file:
        for line in file:
            taken += len(line.encode())
            if line.strip():
                chunk.append(json.loads(line))
            if len(chunk) >= size:
                yield chunk, taken
                chunk, taken = [], 0
    if chunk or taken:
        yield chunk, taken


def sync_file(sync: Sync, path: Path, size: int, progress: Callable[[int], None] = lambda taken: None
              ) -> datetime | None:
    """Push the file's events `size` at a time, each chunk scored at the time of its last event, then flush;
    answers that last time (None for a file without events)."""
    last = None
    for chunk, taken in read_chunks(path, size):
        if chunk:
            last = from_iso(chunk[-1]["timestamp"])
            sync.push(chunk, last)
        progress(taken)
    if last is not None:
        sync.flush(last)
    return last
