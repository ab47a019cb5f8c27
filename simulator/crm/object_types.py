"""The CRM object types the simulator serves, and how a request names them."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.errors import HubSpotError


@dataclass(frozen=True)
class ObjectType:
    name: str  # the plural path segment: contacts
    singular: str
    object_type_id: str  # HubSpot's numeric type id: 0-1
    label: str  # "Contact", used in messages such as "Contact already exists"
    default_properties: tuple[str, ...]  # returned when a read names no properties
    modified_property: str  # contacts say lastmodifieddate; other objects hs_lastmodifieddate
    unique_property: str | None  # the natural key enforced unique and usable as idProperty

    @property
    def always_returned(self) -> tuple[str, ...]:
        return ("createdate", self.modified_property, "hs_object_id")


CONTACTS = ObjectType(
    name="contacts",
    singular="contact",
    object_type_id="0-1",
    label="Contact",
    default_properties=("email", "firstname", "lastname"),
    modified_property="lastmodifieddate",
    unique_property="email",
)

OBJECT_TYPES: tuple[ObjectType, ...] = (CONTACTS,)

_BY_ANY_NAME = {key: t for t in OBJECT_TYPES for key in (t.name, t.singular, t.object_type_id)}


class UnknownObjectType(HubSpotError):
    status, category = 400, "VALIDATION_ERROR"


def resolve(name: str) -> ObjectType:
    """Accept the plural, singular or numeric id, as HubSpot's paths do."""
    try:
        return _BY_ANY_NAME[name.lower()]
    except KeyError:
        raise UnknownObjectType(f"Unable to infer object type from: {name}") from None
