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
    # Engagements (tasks) stamp hs_createdate; records say createdate.
    created_property: str = "createdate"
    # Not unique, yet usable as an idProperty: the first live record with the value answers (companies' domain).
    lookup_properties: tuple[str, ...] = ()
    # What a search `query` matches: HubSpot's default searchable properties of the object.
    search_properties: tuple[str, ...] = ()
    # Refused on create when missing (HubSpot's tasks guide: hs_timestamp is required).
    required_properties: tuple[str, ...] = ()
    # Natural keys compared case-insensitively (an email or a domain names the same thing in any case).
    case_insensitive: tuple[str, ...] = ()

    @property
    def always_returned(self) -> tuple[str, ...]:
        return (self.created_property, self.modified_property, "hs_object_id")

    def key(self, name: str, value: str) -> str:
        """The form of a natural-key value that lookups compare."""
        return value.lower() if name in self.case_insensitive else value


CONTACTS = ObjectType(
    name="contacts",
    singular="contact",
    object_type_id="0-1",
    label="Contact",
    default_properties=("email", "firstname", "lastname"),
    modified_property="lastmodifieddate",
    search_properties=(
        "firstname", "lastname", "email", "phone", "hs_additional_emails", "fax", "mobilephone", "company",
        "hs_marketable_until_renewal",
    ),  # fmt: skip
    case_insensitive=("email",),
)

COMPANIES = ObjectType(
    name="companies",
    singular="company",
    object_type_id="0-2",
    label="Company",
    default_properties=("domain", "name"),
    modified_property="hs_lastmodifieddate",
    lookup_properties=("domain",),
    search_properties=("website", "phone", "name", "domain"),
    case_insensitive=("domain",),
)

DEALS = ObjectType(
    name="deals",
    singular="deal",
    object_type_id="0-3",
    label="Deal",
    default_properties=("amount", "closedate", "dealname", "dealstage", "pipeline"),
    modified_property="hs_lastmodifieddate",
    search_properties=("dealname", "pipeline", "dealstage", "description", "dealtype"),
)

TASKS = ObjectType(
    name="tasks",
    singular="task",
    object_type_id="0-27",
    label="Task",
    default_properties=(),
    modified_property="hs_lastmodifieddate",
    created_property="hs_createdate",
    search_properties=("hs_task_subject", "hs_task_body"),
    required_properties=("hs_timestamp",),
)

OBJECT_TYPES: tuple[ObjectType, ...] = (CONTACTS, COMPANIES, DEALS, TASKS)

_BY_ANY_NAME = {key: t for t in OBJECT_TYPES for key in (t.name, t.singular, t.object_type_id)}


class UnknownObjectType(HubSpotError):
    status, category = 400, "VALIDATION_ERROR"


def resolve(name: str) -> ObjectType:
    """Accept the plural, singular or numeric id, as HubSpot's paths do."""
    try:
        return _BY_ANY_NAME[name.lower()]
    except KeyError:
        raise UnknownObjectType(f"Unable to infer object type from: {name}") from None
