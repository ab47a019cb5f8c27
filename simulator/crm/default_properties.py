"""HubSpot's default property definitions and groups, per object type (the ones integrations touch)."""

from __future__ import annotations

# (name, label, type, fieldType, groupName, options, flags); flags: "unique", "readonly", "external"
LIFECYCLE_STAGES = (
    ("subscriber", "Subscriber"),
    ("lead", "Lead"),
    ("marketingqualifiedlead", "Marketing Qualified Lead"),
    ("salesqualifiedlead", "Sales Qualified Lead"),
    ("opportunity", "Opportunity"),
    ("customer", "Customer"),
    ("evangelist", "Evangelist"),
    ("other", "Other"),
)
LEAD_STATUSES = (
    ("NEW", "New"),
    ("OPEN", "Open"),
    ("IN_PROGRESS", "In Progress"),
    ("OPEN_DEAL", "Open Deal"),
    ("UNQUALIFIED", "Unqualified"),
    ("ATTEMPTED_TO_CONTACT", "Attempted to Contact"),
    ("CONNECTED", "Connected"),
    ("BAD_TIMING", "Bad Timing"),
)
EMPLOYEE_BANDS = tuple((v, v) for v in ("1-5", "5-25", "25-50", "50-100", "100-500", "500-1000", "1000+"))

CONTACT_GROUPS = (
    ("contactinformation", "Contact information"),
    ("emailinformation", "Email information"),
    ("analyticsinformation", "Web analytics history"),
    ("sales_properties", "Sales properties"),
    ("contact_activity", "Contact activity"),
)

CONTACT_PROPERTIES = (
    ("email", "Email", "string", "text", "contactinformation", (), {"unique"}),
    ("firstname", "First Name", "string", "text", "contactinformation", (), set()),
    ("lastname", "Last Name", "string", "text", "contactinformation", (), set()),
    ("jobtitle", "Job Title", "string", "text", "contactinformation", (), set()),
    ("company", "Company Name", "string", "text", "contactinformation", (), set()),
    ("website", "Website URL", "string", "text", "contactinformation", (), set()),
    ("phone", "Phone Number", "string", "phonenumber", "contactinformation", (), set()),
    ("mobilephone", "Mobile Phone Number", "string", "phonenumber", "contactinformation", (), set()),
    ("address", "Street Address", "string", "text", "contactinformation", (), set()),
    ("city", "City", "string", "text", "contactinformation", (), set()),
    ("state", "State/Region", "string", "text", "contactinformation", (), set()),
    ("zip", "Postal Code", "string", "text", "contactinformation", (), set()),
    ("country", "Country/Region", "string", "text", "contactinformation", (), set()),
    ("industry", "Industry", "string", "text", "contactinformation", (), set()),
    ("numemployees", "Number of Employees", "enumeration", "select", "contactinformation", EMPLOYEE_BANDS, set()),
    ("annualrevenue", "Annual Revenue", "string", "text", "contactinformation", (), set()),
    ("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", "contactinformation", LIFECYCLE_STAGES, set()),
    ("hs_lead_status", "Lead Status", "enumeration", "radio", "sales_properties", LEAD_STATUSES, set()),
    ("hubspot_owner_id", "Contact owner", "enumeration", "select", "sales_properties", (), {"external"}),
    ("hs_language", "Preferred language", "string", "text", "contactinformation", (), set()),
    ("hs_timezone", "Time Zone", "string", "text", "contactinformation", (), set()),
    ("hs_additional_emails", "Additional email addresses", "string", "textarea", "contactinformation", (), set()),
    ("hs_analytics_source", "Original Source", "string", "text", "analyticsinformation", (), set()),
    ("hs_email_domain", "Email Domain", "string", "text", "emailinformation", (), {"readonly"}),
    ("notes_last_updated", "Last Activity Date", "datetime", "date", "contact_activity", (), set()),
    ("createdate", "Create Date", "datetime", "date", "contactinformation", (), set()),
    ("lastmodifieddate", "Last Modified Date", "datetime", "date", "contactinformation", (), {"readonly"}),
    ("hs_object_id", "Record ID", "number", "number", "contactinformation", (), {"readonly", "unique"}),
)

DEFAULTS = {"contacts": (CONTACT_GROUPS, CONTACT_PROPERTIES)}
