"""The events file is streamed and the sync's memory follows its contacts, not the file's length: the issue's
"a 2-million-event file syncs in bounded memory" at a scale the suite can afford (bench/sync_memory.py runs 200k
and 2M events). Python allocations are traced (tracemalloc); the outbox is on disk."""

from __future__ import annotations

import tracemalloc

import httpx

from bench.sync_memory import hubspot, write_world
from scoring.client import HubSpotClient
from scoring.outbox import Outbox
from scoring.stream import read_chunks, read_jsonl, sync_file
from scoring.sync import Sync

USERS, ACCOUNTS, CHUNK = 10, 5, 500


def traced_peak(folder, events: int) -> tuple[int, Sync]:
    """Sync `events` events of the same 10 users (a longer file is a longer history); the peak of Python
    allocations while the file streams through, over what the profiles already took."""
    folder.mkdir()
    write_world(folder, events, users=USERS, accounts=ACCOUNTS)
    client = HubSpotClient("https://api.hubapi.com", "pat-test", transport=httpx.MockTransport(hubspot),
                           ten_secondly=10**9, daily=10**12)
    sync = Sync(client, outbox=Outbox(folder / "outbox.sqlite"), workers=1)
    sync.ensure_schema()
    sync.add_profiles(read_jsonl(folder / "users.jsonl"), read_jsonl(folder / "accounts.jsonl"))
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        sync_file(sync, folder / "events.jsonl", CHUNK)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        sync.outbox.close()
        client.close()
    return peak - before, sync


def test_five_times_the_events_take_no_more_memory(tmp_path):
    # 100 days: every rule's occurrences already at the scorer's bound (engine._keep); then 500 days. Keeping every
    # occurrence (what the scorer did before) grows the large run's peak by about a quarter.
    small, small_sync = traced_peak(tmp_path / "small", 5_000)
    large, large_sync = traced_peak(tmp_path / "large", 25_000)
    assert (small_sync.summary.events_seen, large_sync.summary.events_seen) == (5_000, 25_000)
    assert large_sync.summary.events_sent == 25_000
    assert large <= small * 1.10, (small, large)


def test_the_file_is_read_a_chunk_at_a_time(tmp_path):
    write_world(tmp_path, 1_050, users=10, accounts=2)
    with open(tmp_path / "events.jsonl", "rb") as file:
        lengths = [len(line) for line in file]
    chunks = read_chunks(tmp_path / "events.jsonl", 500)
    first, taken = next(chunks)
    assert [row["id"] for row in first] == [f"e{k}" for k in range(500)] and taken == sum(lengths[:500])
    assert [(len(rows), taken) for rows, taken in chunks] == [(500, sum(lengths[500:1000])),
                                                               (50, sum(lengths[1000:]))]
