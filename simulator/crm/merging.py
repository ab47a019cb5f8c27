"""Merge and GDPR delete: the two ways a record leaves an object store for good.

Merge follows HubSpot's current rule (developer changelog, "Updated merge functionality for contacts and companies"):
a new record takes both, both old ids resolve to it, the primary's values win and the other's fill its gaps.
"""

from __future__ import annotations

import bisect

from simulator.crm.records import API, Record
from simulator.errors import ObjectNotFound, RouteNotFound, ValidationError
from simulator.wire import iso


class MergeAndDelete:
    """Part of ObjectStore (its state and indexes are ObjectStore's)."""

    def merge(self, primary_id: str, id_to_merge: str) -> Record:
        """HubSpot's merge: a new record takes both; the primary's values win, the other's fill its gaps; both old
        ids answer with the new record from then on; links move to it (the primary's primary labels win)."""
        with self._lock:
            primary, secondary = self.get(primary_id), self.get(id_to_merge)
            if primary is secondary:
                raise ValidationError(f"Cannot merge {self.type.singular} {primary.id} into itself")
            now = self._now()
            values = self._merged_values(primary, secondary)
            versions = sorted(primary.versions + secondary.versions, key=lambda v: v[0])
            for record in (primary, secondary):
                self._remove(record)
            record = self._apply_create(values, [], at=now)
            for old in (primary, secondary):
                self._publish(old, "merged", (), merged_into=record.id)
            history_last: dict[str, str] = {}
            for _, _, changes in versions:
                history_last.update(changes)
            final = {k: v for k, v in record.values.items() if history_last.get(k) != v}
            final.update({k: "" for k, v in history_last.items() if v and k not in record.values})
            record.versions = [*versions, (now, API, final)]
            record.created_at = primary.created_at
            for old in (primary, secondary):
                self._merged[old.id] = record.id
                for name in self.properties.unique_names():  # the old natural keys stay claimed by the merged record
                    value = old.values.get(name)
                    if value and name != "hs_object_id":
                        self._unique.setdefault(name, {})[self.type.key(name, value)] = record.id
            for alias, target in self._merged.items():
                if target in (primary.id, secondary.id):
                    self._merged[alias] = record.id
            if self.associations is not None:
                self.associations.merge(self.type.name, primary.id, secondary.id, record.id)
            return record

    def _merged_values(self, primary: Record, secondary: Record) -> dict[str, str]:
        values = {**secondary.values, **primary.values}
        merged_ids = {primary.id, secondary.id}
        for record in (primary, secondary):
            merged_ids.update(i for i in record.values.get("hs_merged_object_ids", "").split(";") if i)
        values["hs_merged_object_ids"] = ";".join(sorted(merged_ids, key=int))
        if self.type.name == "contacts":
            # HubSpot's contact exceptions: the other email becomes an additional one; the furthest stage wins.
            extra = [secondary.values.get("email"), *primary.values.get("hs_additional_emails", "").split(";"),
                     *secondary.values.get("hs_additional_emails", "").split(";")]  # fmt: skip
            extra = [e for e in dict.fromkeys(extra) if e and e != values.get("email")]
            if extra:
                values["hs_additional_emails"] = ";".join(extra)
            stages = self.properties.definition("lifecyclestage")
            order = {o.value: o.display_order for o in stages.options} if stages else {}
            candidates = [r.values["lifecyclestage"] for r in (primary, secondary) if r.values.get("lifecyclestage")]
            if candidates:
                values["lifecyclestage"] = max(candidates, key=lambda v: order.get(v, -1))
        for name in (self.type.created_property, self.type.modified_property, "hs_object_id"):
            values.pop(name, None)
        values[self.type.created_property] = primary.values.get(self.type.created_property, iso(primary.created_at))
        return values

    def gdpr_delete(self, object_id: str, *, id_property: str | None = None) -> None:
        """Delete for good (not restorable). An unknown email is accepted, as HubSpot blocklists it (204)."""
        if self.type.name != "contacts":
            raise RouteNotFound(f"GDPR delete is a contacts operation; {self.type.name} have none")
        with self._lock:
            record = self._find(object_id, id_property) or self._find(object_id, id_property, archived=True)
            if record is None:
                if id_property == "email":
                    return
                raise ObjectNotFound.for_id(object_id)
            self._remove(record)
            self._publish(record, "deleted", ())
            for alias in [a for a, target in self._merged.items() if target == record.id]:
                del self._merged[alias]
            for claims in self._unique.values():  # keys it kept from merges go with it
                for key in [k for k, owner in claims.items() if owner == record.id]:
                    del claims[key]
            if self.associations is not None:
                self.associations.forget(self.type.name, record.id)

    def _remove(self, record: Record) -> None:
        if not record.archived:
            self._unindex(record, record.values)
            record.archived, record.archived_at = True, self._now()
        self._notify(record)
        del self._records[record.id]
        del self._order[bisect.bisect_left(self._order, int(record.id))]
