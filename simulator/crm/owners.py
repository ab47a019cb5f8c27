"""Owners (v3): the portal's users who can own records, seeded from its configuration; `hubspot_owner_id` checks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal

from pydantic import Field

from simulator.config import OwnerConfig
from simulator.crm.properties import PropertyDefinition
from simulator.errors import ObjectNotFound, PropertyValueError, ValidationError
from simulator.wire import WireModel, cursor, is_decimal_id, iso, shorten

OWNER_PAGE_LIMIT = 500  # HubSpot's owners API pages at most 500
OWNERS_SHOWN_IN_ERRORS = 20  # an INVALID_OPTION message lists the allowed ids; a big portal's list is cut short

# A few realistic sales reps, so owner rotation and task assignment work out of the box.
DEFAULT_OWNERS: tuple[OwnerConfig, ...] = tuple(
    OwnerConfig.model_validate(o)
    for o in (
        {"id": "75103841", "email": "ava.chen@example.com", "firstName": "Ava", "lastName": "Chen",
         "userId": 9104501, "teams": [{"id": "4821", "name": "Sales - North America"}]},
        {"id": "75103842", "email": "marcus.reid@example.com", "firstName": "Marcus", "lastName": "Reid",
         "userId": 9104502, "teams": [{"id": "4821", "name": "Sales - North America"}]},
        {"id": "75103843", "email": "priya.nair@example.com", "firstName": "Priya", "lastName": "Nair",
         "userId": 9104503, "teams": [{"id": "4822", "name": "Sales - EMEA"}]},
        {"id": "75103844", "email": "tomas.becker@example.com", "firstName": "Tomas", "lastName": "Becker",
         "userId": 9104504, "teams": [{"id": "4822", "name": "Sales - EMEA"}, {"id": "4830", "name": "Expansion",
                                                                             "primary": False}]},
        {"id": "75103845", "email": "jordan.hale@example.com", "firstName": "Jordan", "lastName": "Hale",
         "userId": 9104505, "teams": [{"id": "4821", "name": "Sales - North America"}], "archived": True},
    )
)  # fmt: skip


class Team(WireModel):
    id: str
    name: str
    primary: bool


class Owner(WireModel):
    """PublicOwner, as GET /crm/v3/owners answers it."""

    id: str
    email: str
    first_name: str
    last_name: str
    user_id: int | None = None
    user_id_including_inactive: int
    type: Literal["PERSON", "QUEUE"] = "PERSON"
    teams: list[Team] = Field(default_factory=list)
    archived: bool
    created_at: str
    updated_at: str


class OwnerStore:
    def __init__(self, owners: Iterable[Owner]):
        self._owners = sorted(owners, key=lambda o: int(o.id))

    @classmethod
    def seeded(cls, configured: Sequence[OwnerConfig] | None, at: datetime) -> OwnerStore:
        stamp = iso(at)
        return cls(
            Owner(
                id=o.id,
                email=o.email,
                first_name=o.first_name,
                last_name=o.last_name,
                # HubSpot keeps userIdIncludingInactive and drops userId once the user is deactivated.
                user_id=None if o.archived else o.user_id,
                user_id_including_inactive=o.user_id,
                teams=[Team(id=t.id, name=t.name, primary=t.primary) for t in o.teams],
                archived=o.archived,
                created_at=stamp,
                updated_at=stamp,
            )
            for o in (DEFAULT_OWNERS if configured is None else configured)
        )

    def page(
        self, *, limit: int, after: str | None, email: str | None, archived: bool
    ) -> tuple[list[Owner], str | None]:
        """In id order; the cursor is the next owner's id."""
        start = cursor(after)
        chosen = [
            o
            for o in self._owners
            if o.archived == archived
            and (email is None or o.email.lower() == email.lower())
            and (start is None or int(o.id) >= start)
        ]
        return chosen[:limit], (chosen[limit].id if len(chosen) > limit else None)

    def get(self, owner_id: str, *, id_property: str = "id", archived: bool = False) -> Owner:
        if id_property not in ("id", "userId"):
            raise ValidationError(f"idProperty must be id or userId, got {id_property!r}")
        if not is_decimal_id(owner_id):
            raise ValidationError(f"ownerId must be an integer, got {shorten(owner_id)!r}")
        for owner in self._owners:
            key = owner.id if id_property == "id" else str(owner.user_id_including_inactive)
            if key == owner_id and owner.archived == archived:
                return owner
        raise ObjectNotFound(f"No owner found with {id_property} {owner_id}", context={id_property: [owner_id]})

    def check(self, definition: PropertyDefinition, value: str) -> PropertyValueError | None:
        """PropertyStore's check_external hook: an owner property takes the id of an active owner."""
        if definition.referenced_object_type != "OWNER":
            return None
        active = [o.id for o in self._owners if not o.archived]
        if value in active:
            return None
        shown = ", ".join(active[:OWNERS_SHOWN_IN_ERRORS]) + (", ..." if len(active) > OWNERS_SHOWN_IN_ERRORS else "")
        message = f"{value} was not one of the allowed options: [{shown}]"
        return PropertyValueError(definition.name, "INVALID_OPTION", message)

    def export(self) -> list[dict]:
        return [o.dump() for o in self._owners]

    @classmethod
    def restore(cls, rows: Iterable[dict]) -> OwnerStore:
        return cls(Owner.model_validate(row) for row in rows)
