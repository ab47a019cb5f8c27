"""Default property definitions of HubSpot's other standard objects: tickets, products, line items, quotes, leads,
goal targets and the engagements reps log (notes, calls, emails, meetings, communications, postal mail).

The names, types and options are those of each object's guide on developers.hubspot.com (the ones integrations
read and write, not HubSpot's hundreds of calculated ones). Rows: (name, label, type, fieldType, group, options,
flags) as in default_properties.py.
"""

from __future__ import annotations

from simulator.crm.default_properties import DEFAULTS, record_keys
from simulator.crm.object_types import ObjectType


def _options(*values: str) -> tuple[tuple[str, str], ...]:
    return tuple((v, v.replace("_", " ").title()) for v in values)


def _owner(group: str) -> tuple:
    return ("hubspot_owner_id", "Owner", "enumeration", "select", group, (), {"owner"})


def _engagement(group: str, label: str, rows: tuple) -> tuple[tuple, tuple]:
    """An engagement's group and properties: its own, when it happened (hs_timestamp), its owner, its keys."""
    return ((group, label),), (
        *rows,
        ("hs_timestamp", "Activity date", "datetime", "date", group, (), set()),
        _owner(group),
        ("hs_attachment_ids", "Attachment IDs", "enumeration", "checkbox", group, (), set()),
        *record_keys(group, "hs_createdate", "hs_lastmodifieddate"),
    )


TICKETS = ((("ticketinformation", "Ticket information"),), (
    ("subject", "Ticket name", "string", "text", "ticketinformation", (), set()),
    ("content", "Ticket description", "string", "textarea", "ticketinformation", (), set()),
    # hubsim keeps ticket pipelines as plain values (HubSpot's default support pipeline is "0", stages "1".."4")
    ("hs_pipeline", "Pipeline", "string", "text", "ticketinformation", (), set()),
    ("hs_pipeline_stage", "Ticket status", "string", "text", "ticketinformation", (), set()),
    ("hs_ticket_priority", "Priority", "enumeration", "select", "ticketinformation",
     _options("LOW", "MEDIUM", "HIGH", "URGENT"), set()),
    ("hs_ticket_category", "Category", "enumeration", "checkbox", "ticketinformation",
     _options("PRODUCT_ISSUE", "BILLING_ISSUE", "FEATURE_REQUEST", "GENERAL_INQUIRY"), set()),
    ("source_type", "Source", "enumeration", "select", "ticketinformation",
     _options("CHAT", "EMAIL", "FORM", "PHONE"), set()),
    _owner("ticketinformation"),
    *record_keys("ticketinformation", "createdate", "hs_lastmodifieddate"),
))  # fmt: skip

PRODUCTS = ((("productinformation", "Product information"),), (
    ("name", "Name", "string", "text", "productinformation", (), set()),
    ("description", "Description", "string", "textarea", "productinformation", (), set()),
    ("price", "Unit price", "number", "number", "productinformation", (), set()),
    ("hs_sku", "SKU", "string", "text", "productinformation", (), set()),
    ("hs_cost_of_goods_sold", "Unit cost", "number", "number", "productinformation", (), set()),
    ("hs_recurring_billing_period", "Term", "string", "text", "productinformation", (), set()),
    *record_keys("productinformation", "createdate", "hs_lastmodifieddate"),
))  # fmt: skip

LINE_ITEMS = ((("lineiteminformation", "Line item information"),), (
    ("name", "Name", "string", "text", "lineiteminformation", (), set()),
    ("quantity", "Quantity", "number", "number", "lineiteminformation", (), set()),
    ("price", "Unit price", "number", "number", "lineiteminformation", (), set()),
    ("amount", "Net price", "number", "number", "lineiteminformation", (), set()),
    ("discount", "Unit discount", "number", "number", "lineiteminformation", (), set()),
    ("hs_product_id", "Product ID", "number", "number", "lineiteminformation", (), set()),
    ("hs_sku", "SKU", "string", "text", "lineiteminformation", (), set()),
    ("hs_recurring_billing_period", "Term", "string", "text", "lineiteminformation", (), set()),
    *record_keys("lineiteminformation", "createdate", "hs_lastmodifieddate"),
))  # fmt: skip

QUOTES = ((("quoteinformation", "Quote information"),), (
    ("hs_title", "Quote name", "string", "text", "quoteinformation", (), set()),
    ("hs_expiration_date", "Expiration date", "datetime", "date", "quoteinformation", (), set()),
    ("hs_status", "Quote approval status", "enumeration", "select", "quoteinformation",
     _options("DRAFT", "APPROVAL_NOT_NEEDED", "PENDING_APPROVAL", "APPROVED", "REJECTED"), set()),
    ("hs_quote_amount", "Quote amount", "number", "number", "quoteinformation", (), set()),
    ("hs_quote_number", "Quote number", "string", "text", "quoteinformation", (), set()),
    ("hs_currency", "Currency", "string", "text", "quoteinformation", (), set()),
    ("hs_language", "Language", "string", "text", "quoteinformation", (), set()),
    ("hs_terms", "Terms", "string", "textarea", "quoteinformation", (), set()),
    ("hs_sender_email", "Sender email", "string", "text", "quoteinformation", (), set()),
    _owner("quoteinformation"),
    *record_keys("quoteinformation", "hs_createdate", "hs_lastmodifieddate"),
))  # fmt: skip

LEADS = ((("leadinformation", "Lead information"),), (
    ("hs_lead_name", "Lead name", "string", "text", "leadinformation", (), set()),
    ("hs_lead_type", "Lead type", "enumeration", "select", "leadinformation",
     _options("NEW_BUSINESS", "UPSELL", "RE_ATTEMPTING"), set()),
    ("hs_lead_label", "Lead label", "enumeration", "select", "leadinformation", _options("COLD", "WARM", "HOT"), set()),
    ("hs_pipeline", "Pipeline", "string", "text", "leadinformation", (), set()),
    ("hs_pipeline_stage", "Lead stage", "string", "text", "leadinformation", (), set()),
    _owner("leadinformation"),
    *record_keys("leadinformation", "createdate", "hs_lastmodifieddate"),
))  # fmt: skip

GOAL_TARGETS = ((("goalinformation", "Goal information"),), (
    ("hs_goal_name", "Goal name", "string", "text", "goalinformation", (), set()),
    ("hs_target_amount", "Target amount", "number", "number", "goalinformation", (), set()),
    ("hs_start_datetime", "Start date", "datetime", "date", "goalinformation", (), set()),
    ("hs_end_datetime", "End date", "datetime", "date", "goalinformation", (), set()),
    ("hs_created_by_user_id", "Created by user ID", "number", "number", "goalinformation", (), set()),
    *record_keys("goalinformation", "createdate", "hs_lastmodifieddate"),
))  # fmt: skip

NOTES = _engagement("note", "Note information", (
    ("hs_note_body", "Note body", "string", "html", "note", (), set()),
))  # fmt: skip

CALLS = _engagement("call", "Call information", (
    ("hs_call_title", "Call title", "string", "text", "call", (), set()),
    ("hs_call_body", "Call notes", "string", "html", "call", (), set()),
    ("hs_call_duration", "Call duration (ms)", "number", "number", "call", (), set()),
    ("hs_call_from_number", "From number", "string", "text", "call", (), set()),
    ("hs_call_to_number", "To number", "string", "text", "call", (), set()),
    ("hs_call_recording_url", "Recording URL", "string", "text", "call", (), set()),
    ("hs_call_direction", "Call direction", "enumeration", "select", "call", _options("INBOUND", "OUTBOUND"), set()),
    ("hs_call_disposition", "Call outcome", "string", "text", "call", (), set()),
    ("hs_call_status", "Call status", "enumeration", "select", "call", _options(
        "BUSY", "CALLING_CRM_USER", "CANCELED", "COMPLETED", "CONNECTING", "FAILED", "IN_PROGRESS", "NO_ANSWER",
        "QUEUED", "RINGING"), set()),
))  # fmt: skip

EMAILS = _engagement("email", "Email information", (
    ("hs_email_subject", "Email subject", "string", "text", "email", (), set()),
    ("hs_email_text", "Email body", "string", "textarea", "email", (), set()),
    ("hs_email_html", "Email HTML body", "string", "html", "email", (), set()),
    ("hs_email_headers", "Email headers", "string", "textarea", "email", (), set()),
    ("hs_email_direction", "Email direction", "enumeration", "select", "email",
     _options("EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL"), set()),
    ("hs_email_status", "Email send status", "enumeration", "select", "email",
     _options("BOUNCED", "FAILED", "SCHEDULED", "SENDING", "SENT"), set()),
))  # fmt: skip

MEETINGS = _engagement("meeting", "Meeting information", (
    ("hs_meeting_title", "Meeting name", "string", "text", "meeting", (), set()),
    ("hs_meeting_body", "Meeting description", "string", "html", "meeting", (), set()),
    ("hs_internal_meeting_notes", "Internal meeting notes", "string", "html", "meeting", (), set()),
    ("hs_meeting_external_url", "External URL", "string", "text", "meeting", (), set()),
    ("hs_meeting_location", "Location", "string", "text", "meeting", (), set()),
    ("hs_meeting_start_time", "Start time", "datetime", "date", "meeting", (), set()),
    ("hs_meeting_end_time", "End time", "datetime", "date", "meeting", (), set()),
    ("hs_meeting_outcome", "Meeting outcome", "enumeration", "select", "meeting",
     _options("SCHEDULED", "COMPLETED", "RESCHEDULED", "NO_SHOW", "CANCELED"), set()),
))  # fmt: skip

COMMUNICATIONS = _engagement("communication", "Communication information", (
    ("hs_communication_channel_type", "Channel type", "enumeration", "select", "communication",
     _options("SMS", "WHATS_APP", "LINKEDIN_MESSAGE"), set()),
    ("hs_communication_logged_from", "Logged from", "enumeration", "select", "communication", _options("CRM"), set()),
    ("hs_communication_body", "Body", "string", "html", "communication", (), set()),
))  # fmt: skip

POSTAL_MAIL = _engagement("postal_mail", "Postal mail information", (
    ("hs_postal_mail_body", "Body", "string", "html", "postal_mail", (), set()),
))  # fmt: skip

STANDARD_DEFAULTS = {
    "tickets": TICKETS,
    "products": PRODUCTS,
    "line_items": LINE_ITEMS,
    "quotes": QUOTES,
    "leads": LEADS,
    "goal_targets": GOAL_TARGETS,
    "notes": NOTES,
    "calls": CALLS,
    "emails": EMAILS,
    "meetings": MEETINGS,
    "communications": COMMUNICATIONS,
    "postal_mail": POSTAL_MAIL,
}


def defaults_of(object_type: ObjectType) -> tuple[tuple, tuple]:
    """The groups and properties a type starts with; a custom object's: one group and the record keys."""
    known = DEFAULTS.get(object_type.name) or STANDARD_DEFAULTS.get(object_type.name)
    if known is not None and not object_type.object_type_id.startswith("2-"):
        return known
    group = f"{object_type.name}_information"
    return ((group, f"{object_type.label} information"),), record_keys(group, "hs_createdate", "hs_lastmodifieddate")
