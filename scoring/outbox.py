"""The durable outbox (SQLite, WAL): what the sync owes HubSpot and what HubSpot acknowledged.

- `events`: every product event, recorded (state `pending`) before it is sent and marked `sent` only after HubSpot
  acknowledged the batch holding it; `dead` with HubSpot's reason when HubSpot refused it alone. A crash between
  the send and the mark re-sends the batch on restart: HubSpot drops a repeated `uuid` (the event's own id), so
  nothing is counted twice.
- `written`: per object (contact email, company domain, deal key), the properties HubSpot acknowledged last. The
  sync sends only what differs from it, so a re-run with unchanged data sends no writes.
- `ids`: HubSpot's record ids per object, learnt from upsert answers (associations need them).
- `dead`: records (contacts, companies, deals) HubSpot refused, with the payload and the reason, to inspect and
  replay (`hubsim sync --replay-dead-letters`).

One connection, used from one thread. Every method commits before it returns: a kill -9 loses at most the
request in flight, never an acknowledgement.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL, body TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dead', 'local')), reason TEXT, run INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS events_pending ON events (state, seq);
CREATE TABLE IF NOT EXISTS written (kind TEXT NOT NULL, key TEXT NOT NULL, props TEXT NOT NULL,
    PRIMARY KEY (kind, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ids (kind TEXT NOT NULL, key TEXT NOT NULL, id TEXT NOT NULL,
    PRIMARY KEY (kind, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dead (kind TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL, reason TEXT NOT NULL,
    PRIMARY KEY (kind, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""
CHUNK = 500  # ids per IN (...) query: under SQLite's variable limit


@dataclass(frozen=True)
class DeadLetter:
    kind: str  # "event", "contact", "company", "deal"
    key: str
    payload: dict[str, Any]
    reason: str


class Outbox:
    def __init__(self, path: str | Path = ":memory:"):
        self.path = str(path)
        self._db = sqlite3.connect(self.path, isolation_level=None)
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable against a process kill
        self._db.executescript(SCHEMA)
        self.run = int(self.meta("runs") or 0) + 1
        self.set_meta("runs", str(self.run))

    def close(self) -> None:
        self._db.close()

    # -- events ---------------------------------------------------------------------------------------------

    def record_events(self, events: Sequence[tuple[str, dict[str, Any] | None]]) -> dict[str, str]:
        """Record (id, body) pairs (ids unique within the call) not seen before: pending, or `local` when the
        body is None (an event scored but not sent). Answers, for every id: "new" (never seen), "unsent"
        (recorded by an earlier run, still pending), "replay" (recorded by an earlier run and done with: sent,
        dead or local), "repeat" (seen already in this run: a duplicate line)."""
        known: dict[str, tuple[str, int]] = {}
        ids = [event_id for event_id, _ in events]
        for start in range(0, len(ids), CHUNK):
            part = ids[start:start + CHUNK]
            marks = ",".join("?" * len(part))
            for row in self._db.execute(f"SELECT id, state, run FROM events WHERE id IN ({marks})", part):
                known[row[0]] = (row[1], row[2])
        seq = self._next_seq()
        verdicts: dict[str, str] = {}
        new_rows, replayed = [], []
        for event_id, body in events:
            if event_id not in known:
                verdicts[event_id] = "new"
                new_rows.append((event_id, seq, json.dumps(body, separators=(",", ":")),
                                 "local" if body is None else "pending", self.run))
                seq += 1
            elif known[event_id][1] == self.run:
                verdicts[event_id] = "repeat"
            else:
                verdicts[event_id] = "unsent" if known[event_id][0] == "pending" else "replay"
                replayed.append((self.run, event_id))
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT INTO events (id, seq, body, state, run) VALUES (?, ?, ?, ?, ?)", new_rows)
            self._db.executemany("UPDATE events SET run = ? WHERE id = ?", replayed)
        return verdicts

    def _next_seq(self) -> int:
        return (self._db.execute("SELECT max(seq) FROM events").fetchone()[0] or 0) + 1

    def pending_events(self, limit: int) -> list[tuple[str, dict[str, Any]]]:
        rows = self._db.execute("SELECT id, body FROM events WHERE state = 'pending' ORDER BY seq LIMIT ?", (limit,))
        return [(event_id, json.loads(body)) for event_id, body in rows]

    def mark_sent(self, ids: Iterable[str]) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("UPDATE events SET state = 'sent', reason = NULL WHERE id = ?", ((i,) for i in ids))

    def mark_dead(self, event_id: str, reason: str) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("UPDATE events SET state = 'dead', reason = ? WHERE id = ?", (reason, event_id))

    def event_counts(self) -> dict[str, int]:
        counts = {"pending": 0, "sent": 0, "dead": 0, "local": 0}
        counts.update(dict(self._db.execute("SELECT state, count(*) FROM events GROUP BY state")))
        return counts

    # -- records --------------------------------------------------------------------------------------------

    def written(self, kind: str, key: str) -> dict[str, str]:
        row = self._db.execute("SELECT props FROM written WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        return json.loads(row[0]) if row else {}

    def written_many(self, kind: str, keys: Sequence[str]) -> dict[str, dict[str, str]]:
        return {key: json.loads(props) for key, props in self._select("SELECT key, props FROM written", kind, keys)}

    def acknowledge(self, kind: str, acknowledged: Mapping[str, Mapping[str, str]],
                    ids: Mapping[str, str] | None = None) -> None:
        """HubSpot took these properties for these keys (merged into what it had), and told these ids."""
        before = self.written_many(kind, list(acknowledged))
        rows = [(kind, key, json.dumps(before.get(key, {}) | dict(props), sort_keys=True, separators=(",", ":")))
                for key, props in acknowledged.items()]
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO written (kind, key, props) VALUES (?, ?, ?)", rows)
            if ids:
                self._db.executemany("INSERT OR REPLACE INTO ids (kind, key, id) VALUES (?, ?, ?)",
                                     [(kind, key, value) for key, value in ids.items()])
            self._db.executemany("DELETE FROM dead WHERE kind = ? AND key = ?", [(kind, k) for k in acknowledged])

    def ids_many(self, kind: str, keys: Sequence[str]) -> dict[str, str]:
        return dict(self._select("SELECT key, id FROM ids", kind, keys))

    def dead_keys(self, kind: str, keys: Sequence[str]) -> set[str]:
        return {key for key, _ in self._select("SELECT key, reason FROM dead", kind, keys)}

    def _select(self, query: str, kind: str, keys: Sequence[str]) -> list[tuple[str, str]]:
        rows: list[tuple[str, str]] = []
        for start in range(0, len(keys), CHUNK):
            part = list(keys[start:start + CHUNK])
            marks = ",".join("?" * len(part))
            rows += self._db.execute(f"{query} WHERE kind = ? AND key IN ({marks})", [kind, *part]).fetchall()
        return rows

    def id_of(self, kind: str, key: str) -> str | None:
        row = self._db.execute("SELECT id FROM ids WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        return row[0] if row else None

    def bury(self, kind: str, key: str, payload: Mapping[str, Any], reason: str) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("INSERT OR REPLACE INTO dead (kind, key, payload, reason) VALUES (?, ?, ?, ?)",
                             (kind, key, json.dumps(payload, sort_keys=True), reason))

    # -- dead letters ---------------------------------------------------------------------------------------

    def dead_letters(self, kind: str | None = None) -> list[DeadLetter]:
        letters = [DeadLetter("event", i, json.loads(body), reason) for i, body, reason in self._db.execute(
            "SELECT id, body, reason FROM events WHERE state = 'dead' ORDER BY seq")]
        letters += [DeadLetter(k, key, json.loads(payload), reason) for k, key, payload, reason in self._db.execute(
            "SELECT kind, key, payload, reason FROM dead ORDER BY kind, key")]
        return [letter for letter in letters if kind is None or letter.kind == kind]

    def forget_dead(self, keys: Sequence[tuple[str, str]]) -> None:
        """Records to try again: out of the dead letters (the sync re-sends them from its own state)."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM dead WHERE kind = ? AND key = ?", keys)

    def revive_events(self) -> int:
        """Dead events back to pending (to send again); answers how many."""
        with self._db:
            self._db.execute("BEGIN")
            return self._db.execute("UPDATE events SET state = 'pending', reason = NULL WHERE state = 'dead'").rowcount

    # -- meta -----------------------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))
