"""One CRM record: its current values and the changes of every write, oldest first (the source of its history).

Memory: a record keeps `values` (name -> value) and `versions`, one (time, source, changes) per write. The changes
of a write share their value strings with `values`, and every property name is the definition's own string, so a
record costs its values once plus one small map per write. The first write's changes are `values` itself until the
record is next written: a record that was only created holds one map, not two.
A record that has been read also keeps its two timestamps as the API writes them (about 200 bytes).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from simulator.wire import iso

API = "API"


class Record:
    __slots__ = ("id", "values", "versions", "created_at", "updated_at", "archived", "archived_at", "_stamps")

    def __init__(self, object_id: str, values: dict[str, str], at: datetime, source: str = API):
        self.id = object_id
        self.values = values
        self.versions: list[tuple[datetime, str, dict[str, str]]] = [(at, source, values)]
        self.created_at = self.updated_at = at
        self.archived = False
        self.archived_at: datetime | None = None
        self._stamps: tuple[datetime, datetime, str, str] | None = None

    def write(self, at: datetime, source: str, changes: dict[str, str]) -> None:
        """Apply one write's changes ("" clears a value) and keep them as a version."""
        first_at, first_source, first = self.versions[0]
        if first is self.values:  # the creation's changes stop sharing the live map before it moves on
            self.versions[0] = (first_at, first_source, dict(first))
        for name, value in changes.items():
            if value == "":
                self.values.pop(name, None)
            else:
                self.values[name] = value
        self.versions.append((at, source, changes))
        self.updated_at = at

    def stamps(self) -> tuple[str, str]:
        """createdAt and updatedAt as the API writes them, formatted once per write rather than on every read."""
        stamps = self._stamps
        if stamps is None or stamps[0] is not self.created_at or stamps[1] is not self.updated_at:
            created = iso(self.created_at)  # one string for both while never updated: it is kept per record
            updated = created if self.updated_at == self.created_at else iso(self.updated_at)
            stamps = self._stamps = (self.created_at, self.updated_at, created, updated)
        return stamps[2], stamps[3]

    def history(self, name: str) -> list[tuple[str, datetime, str]]:
        """(value, timestamp, source) of every write of `name`, newest first."""
        return [(changes[name], at, source) for at, source, changes in reversed(self.versions) if name in changes]

    # --- snapshots ---------------------------------------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "createdAt": self.created_at.isoformat(),
            "updatedAt": self.updated_at.isoformat(),
            "values": dict(sorted(self.values.items())),
            "versions": [
                {"at": at.isoformat(), "source": source, "changes": dict(sorted(changes.items()))}
                for at, source, changes in self.versions
            ],
        }
        if self.archived:
            body["archivedAt"] = self.archived_at.isoformat() if self.archived_at else None
        return body

    @classmethod
    def restore(cls, data: dict[str, Any], intern: dict[str, str]) -> Record:
        """The inverse of export; `intern` maps property names to the definitions' own strings."""

        def names(values: dict[str, str]) -> dict[str, str]:
            return {intern.get(k, k): v for k, v in values.items()}

        versions = [(datetime.fromisoformat(v["at"]), v["source"], names(v["changes"])) for v in data["versions"]]
        if not versions:
            raise ValueError(f"record {data['id']} has no versions")
        record = cls(data["id"], names(data["values"]), versions[0][0], versions[0][1])
        if len(versions) == 1 and versions[0][2] == record.values:
            record.versions = [(versions[0][0], versions[0][1], record.values)]
        else:
            record.versions = versions
        record.created_at = datetime.fromisoformat(data["createdAt"])
        record.updated_at = datetime.fromisoformat(data["updatedAt"])
        if "archivedAt" in data:
            record.archived = True
            record.archived_at = datetime.fromisoformat(data["archivedAt"]) if data["archivedAt"] else None
        return record
