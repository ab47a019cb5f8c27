"""HubSpot's API areas that hubsim does not simulate, by path: so a 404 names the gap instead of leaving a guess.

Consulted only for a request no route served (and for an object type the generic object routes do not know), so
a route added later is never shadowed by these tables. Any path under one of HubSpot's API roots is HubSpot's: it
answers 404 notSimulated; only a path under no root (a typo, another service) gets the plain 404.
"""

from __future__ import annotations

import re

# HubSpot's other CRM object types, by the names and type ids its paths accept.
OBJECT_TYPES = {
    "tickets": "0-5",
    "products": "0-7",
    "line_items": "0-8",
    "quotes": "0-14",
    "communications": "0-18",
    "notes": "0-46",
    "meetings": "0-47",
    "calls": "0-48",
    "emails": "0-49",
    "invoices": "0-53",
    "postal_mail": "0-116",
    "leads": "0-136",
}

# Path prefix (whole segments) -> the area HubSpot serves there.
AREAS = {
    "/crm/v3/imports": "the CRM imports API",
    "/crm/v3/exports": "the CRM exports API",
    "/crm/v3/schemas": "custom object schemas",
    "/crm/v3/associations": "associations v3 (use /crm/v4/associations)",
    "/crm/v3/extensions": "CRM extensions",
    "/crm/v3/timeline": "timeline events",
    "/crm/v3/limits": "the CRM limits API",
    "/crm/v3/lists/idmapping": "the lists id mapping API (legacy list ids)",
    "/crm-object-schemas": "custom object schemas",
    "/marketing": "the marketing APIs",
    "/cms": "the CMS APIs",
    "/content": "the CMS content APIs",
    "/conversations": "the conversations APIs",
    "/files": "the files API",
    "/settings": "the settings APIs",
    "/communication-preferences": "the communication preferences API",
    "/automation/v2": "workflows v2",
    "/automation/v3": "workflows v3 (custom workflow actions)",
    "/automation/v4/flows/performance": "workflow performance",
    "/automation/v4/workflow-id-mappings": "workflow id mappings",
    "/oauth": "OAuth (hubsim takes any bearer token)",
    "/account-info": "the account information API",
    "/analytics": "the analytics APIs",
    "/business-units": "the business units API",
    "/scheduler": "the meetings scheduler API",
    "/form-integrations": "the forms APIs",
    "/forms": "the forms APIs",
    "/submissions": "the forms submissions API",
    "/email": "the email APIs",
    "/integrators": "the integrators APIs",
    "/media-bridge": "the media bridge API",
    "/contacts/v1": "the legacy contacts v1 API (use /crm/v3/objects/contacts)",
    "/companies/v2": "the legacy companies v2 API (use /crm/v3/objects/companies)",
    "/deals/v1": "the legacy deals v1 API (use /crm/v3/objects/deals)",
    "/engagements/v1": "the legacy engagements v1 API",
    "/properties/v1": "the legacy properties v1 API (use /crm/v3/properties)",
    "/properties/v2": "the legacy properties v2 API (use /crm/v3/properties)",
}

# The first path segment of HubSpot's APIs: every root the official SDK (hubspot-api-client 12) calls, and the
# legacy APIs HubSpot still documents and serves (developers.hubspot.com/docs/api-reference/legacy).
API_ROOTS = frozenset({
    "account-info", "analytics", "appinstalls", "automation", "blogs", "broadcast", "business-units", "calendar",
    "cms", "comments", "communication-preferences", "companies", "contacts", "content", "conversations", "crm",
    "crm-associations", "crm-object-schemas", "crm-objects", "crm-pipelines", "deals", "email", "engagements",
    "events", "extensions", "feature-flags", "filemanager", "files", "form-integrations", "forms", "hubdb",
    "integrations", "integrators", "marketing", "marketing-emails", "media-bridge", "oauth", "owners", "payments",
    "properties", "reports", "scheduler", "settings", "submissions", "url-mappings", "visitor-identification",
    "webhooks",
})

_OBJECT_PATH = re.compile(r"/crm/v3/(?:objects|properties)/([^/]+)")
_CUSTOM_OBJECT = re.compile(r"2-\d+|p\d+_.+")  # custom object type ids and fully qualified names
# The date-versioned APIs the hubspot-sdk package calls (/crm/objects/2026-03/contacts, /events/2026-03/send).
_DATE_VERSIONED = re.compile(r"(?P<api>(?:/[a-z-]+){1,2}/\d{4}-\d{2}(?:-beta)?)(?:/.*)?")
_LIST_EXTRAS = re.compile(r"/crm/v3/lists/\d+/(?:schedule-conversion|size-and-edits-history(?:/.*)?)")
_TYPE_NAMES = {key: name for name, type_id in OBJECT_TYPES.items() for key in (name, type_id)}


def area_of(path: str) -> str | None:
    """The HubSpot area `path` belongs to when no route of hubsim's served it, else None (not HubSpot's path)."""
    path = path.rstrip("/")
    area = object_area(path)
    if area:
        return area
    for prefix, area in AREAS.items():
        if path == prefix or path.startswith(prefix + "/"):
            return area
    if _LIST_EXTRAS.fullmatch(path):
        return "list schedule conversion and size history"
    dated = _DATE_VERSIONED.fullmatch(path)
    if dated:
        return f"the date-versioned {dated['api']} API"
    segments = path.split("/")
    if len(segments) > 1 and segments[1] in API_ROOTS:
        # the route only, never "the API": hubsim may serve other routes under the same prefix
        return f"this route of HubSpot's {'/'.join(segments[:3])} API"
    return None


def object_area(path: str) -> str | None:
    """The object type a /crm/v3/objects or /crm/v3/properties path names, when hubsim does not simulate it."""
    matched = _OBJECT_PATH.match(path)
    if not matched:
        return None
    object_type = matched.group(1).lower()
    if object_type in _TYPE_NAMES:
        return f"the {_TYPE_NAMES[object_type]} object"
    if _CUSTOM_OBJECT.fullmatch(object_type):
        return "custom objects"
    return None
