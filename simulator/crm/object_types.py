"""The CRM object types the simulator serves, and how a request names them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

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

    @cached_property
    def shown_by_default(self) -> tuple[str, ...]:
        """What a read naming no properties shows, sorted: the defaults and the three every read returns."""
        return tuple(sorted({*self.default_properties, *self.always_returned}))

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

def _activity(name: str, singular: str, type_id: str, label: str, search: tuple[str, ...]) -> ObjectType:
    """An engagement (what reps log on a record): stamped hs_createdate, and hs_timestamp is required (HubSpot's
    notes, calls, emails, meetings, communications and postal mail guides)."""
    return ObjectType(
        name=name,
        singular=singular,
        object_type_id=type_id,
        label=label,
        default_properties=("hs_timestamp",),
        modified_property="hs_lastmodifieddate",
        created_property="hs_createdate",
        search_properties=search,
        required_properties=("hs_timestamp",),
    )


def _record(name: str, singular: str, type_id: str, label: str, defaults: tuple[str, ...],
            search: tuple[str, ...], **more) -> ObjectType:
    return ObjectType(
        name=name,
        singular=singular,
        object_type_id=type_id,
        label=label,
        default_properties=defaults,
        modified_property="hs_lastmodifieddate",
        search_properties=search,
        **more,
    )


# HubSpot's other standard objects: type ids from its CRM objects guide ("object type IDs"), the properties a read
# returns when it names none from each object's guide.
TICKETS = _record("tickets", "ticket", "0-5", "Ticket",
                  ("content", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_category", "hs_ticket_priority", "subject"),
                  ("subject", "content"), required_properties=("hs_pipeline_stage",))
PRODUCTS = _record("products", "product", "0-7", "Product", ("description", "name", "price"),
                   ("name", "description", "hs_sku"))
LINE_ITEMS = _record("line_items", "line_item", "0-8", "Line item",
                     ("amount", "hs_product_id", "name", "price", "quantity"), ("name", "hs_sku"))
QUOTES = ObjectType(
    name="quotes", singular="quote", object_type_id="0-14", label="Quote",
    default_properties=("hs_expiration_date", "hs_quote_amount", "hs_quote_number", "hs_status", "hs_title"),
    modified_property="hs_lastmodifieddate", created_property="hs_createdate", search_properties=("hs_title",),
    required_properties=("hs_title", "hs_expiration_date"),
)  # fmt: skip
COMMUNICATIONS = _activity("communications", "communication", "0-18", "Communication", ("hs_communication_body",))
NOTES = _activity("notes", "note", "0-46", "Note", ("hs_note_body",))
MEETINGS = _activity("meetings", "meeting", "0-47", "Meeting", ("hs_meeting_title", "hs_meeting_body"))
CALLS = _activity("calls", "call", "0-48", "Call", ("hs_call_title", "hs_call_body"))
EMAILS = _activity("emails", "email", "0-49", "Email", ("hs_email_subject", "hs_email_text"))
GOAL_TARGETS = _record("goal_targets", "goal_target", "0-74", "Goal target",
                       ("hs_end_datetime", "hs_goal_name", "hs_start_datetime", "hs_target_amount"), ("hs_goal_name",))
POSTAL_MAIL = _activity("postal_mail", "postal_mail", "0-116", "Postal mail", ("hs_postal_mail_body",))
LEADS = _record("leads", "lead", "0-136", "Lead", ("hs_lead_name", "hs_pipeline", "hs_pipeline_stage"),
                ("hs_lead_name",))

OBJECT_TYPES: tuple[ObjectType, ...] = (
    CONTACTS, COMPANIES, DEALS, TASKS, TICKETS, PRODUCTS, LINE_ITEMS, QUOTES, COMMUNICATIONS, NOTES, MEETINGS, CALLS,
    EMAILS, GOAL_TARGETS, POSTAL_MAIL, LEADS,
)  # fmt: skip

_BY_ANY_NAME = {key: t for t in OBJECT_TYPES for key in (t.name, t.singular, t.object_type_id)}


class UnknownObjectType(HubSpotError):
    status, category = 400, "VALIDATION_ERROR"


def resolve(name: str) -> ObjectType:
    """Accept the plural, singular or numeric id, as HubSpot's paths do."""
    try:
        return _BY_ANY_NAME[name.lower()]
    except KeyError:
        raise UnknownObjectType(f"Unable to infer object type from: {name}") from None
