"""HubSpot's default property definitions and groups, per object type (the ones integrations touch)."""

from __future__ import annotations

from simulator.crm.industries import INDUSTRIES

# (name, label, type, fieldType, groupName, options, flags). Flags: "unique", "readonly" (calculated by HubSpot),
# and where the options live elsewhere: "owner" (the portal's owners), "pipeline" and "stage" (deal pipelines).
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
COMPANY_TYPES = (
    ("PROSPECT", "Prospect"),
    ("PARTNER", "Partner"),
    ("RESELLER", "Reseller"),
    ("VENDOR", "Vendor"),
    ("OTHER", "Other"),
)
DEAL_TYPES = (("newbusiness", "New Business"), ("existingbusiness", "Existing Business"))
DEAL_PRIORITIES = (("low", "Low"), ("medium", "Medium"), ("high", "High"))
TASK_STATUSES = (
    ("NOT_STARTED", "Not Started"),
    ("IN_PROGRESS", "In Progress"),
    ("WAITING", "Waiting"),
    ("COMPLETED", "Completed"),
    ("DEFERRED", "Deferred"),
)
TASK_PRIORITIES = (("NONE", "None"), ("LOW", "Low"), ("MEDIUM", "Medium"), ("HIGH", "High"))
TASK_TYPES = (
    ("TODO", "To-do"),
    ("CALL", "Call"),
    ("EMAIL", "Email"),
    ("LINKED_IN", "LinkedIn"),
    ("LINKED_IN_CONNECT", "Sales Navigator - Connection Request"),
    ("LINKED_IN_MESSAGE", "Sales Navigator - InMail"),
)


def record_keys(group: str, created: str, modified: str, modified_readonly: bool = True) -> tuple:
    """What every record carries: its create date, last-modified date, id and the ids merged into it."""
    return (
        (created, "Create Date", "datetime", "date", group, (), set()),
        (modified, "Last Modified Date", "datetime", "date", group, (), {"readonly"} if modified_readonly else set()),
        ("hs_object_id", "Record ID", "number", "number", group, (), {"readonly", "unique"}),
        ("hs_merged_object_ids", "Merged Record IDs", "string", "text", group, (), {"readonly"}),
    )


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
    ("fax", "Fax Number", "string", "phonenumber", "contactinformation", (), set()),
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
    ("hubspot_owner_id", "Contact owner", "enumeration", "select", "sales_properties", (), {"owner"}),
    ("hs_language", "Preferred language", "string", "text", "contactinformation", (), set()),
    ("hs_timezone", "Time Zone", "string", "text", "contactinformation", (), set()),
    ("hs_additional_emails", "Additional email addresses", "string", "textarea", "contactinformation", (), set()),
    ("hs_analytics_source", "Original Source", "string", "text", "analyticsinformation", (), set()),
    ("hs_email_domain", "Email Domain", "string", "text", "emailinformation", (), {"readonly"}),
    ("notes_last_updated", "Last Activity Date", "datetime", "date", "contact_activity", (), set()),
    *record_keys("contactinformation", "createdate", "lastmodifieddate"),
)

COMPANY_GROUPS = (
    ("companyinformation", "Company information"),
    ("sales_properties", "Sales properties"),
    ("company_activity", "Company activity"),
)

COMPANY_PROPERTIES = (
    ("name", "Company name", "string", "text", "companyinformation", (), set()),
    ("domain", "Company Domain Name", "string", "text", "companyinformation", (), set()),
    ("website", "Website URL", "string", "text", "companyinformation", (), set()),
    ("industry", "Industry", "enumeration", "select", "companyinformation", INDUSTRIES, set()),
    ("numberofemployees", "Number of Employees", "number", "number", "companyinformation", (), set()),
    ("annualrevenue", "Annual Revenue", "number", "number", "companyinformation", (), set()),
    ("type", "Type", "enumeration", "select", "companyinformation", COMPANY_TYPES, set()),
    ("description", "Description", "string", "textarea", "companyinformation", (), set()),
    ("phone", "Phone Number", "string", "phonenumber", "companyinformation", (), set()),
    ("address", "Street Address", "string", "text", "companyinformation", (), set()),
    ("city", "City", "string", "text", "companyinformation", (), set()),
    ("state", "State/Region", "string", "text", "companyinformation", (), set()),
    ("zip", "Postal Code", "string", "text", "companyinformation", (), set()),
    ("country", "Country/Region", "string", "text", "companyinformation", (), set()),
    ("timezone", "Time Zone", "string", "text", "companyinformation", (), set()),
    ("founded_year", "Year Founded", "string", "text", "companyinformation", (), set()),
    ("is_public", "Is Public", "bool", "booleancheckbox", "companyinformation", (("true", "True"), ("false", "False")),
     set()),
    ("linkedin_company_page", "LinkedIn Company Page", "string", "text", "companyinformation", (), set()),
    ("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", "companyinformation", LIFECYCLE_STAGES, set()),
    ("hs_lead_status", "Lead Status", "enumeration", "radio", "sales_properties", LEAD_STATUSES, set()),
    ("hubspot_owner_id", "Company owner", "enumeration", "select", "companyinformation", (), {"owner"}),
    ("notes_last_updated", "Last Activity Date", "datetime", "date", "company_activity", (), set()),
    *record_keys("companyinformation", "createdate", "hs_lastmodifieddate"),
)

DEAL_GROUPS = (("dealinformation", "Deal information"), ("deal_activity", "Deal activity"))

DEAL_PROPERTIES = (
    ("dealname", "Deal Name", "string", "text", "dealinformation", (), set()),
    ("amount", "Amount", "number", "number", "dealinformation", (), set()),
    ("closedate", "Close Date", "datetime", "date", "dealinformation", (), set()),
    ("pipeline", "Pipeline", "enumeration", "select", "dealinformation", (), {"pipeline"}),
    ("dealstage", "Deal Stage", "enumeration", "radio", "dealinformation", (), {"stage"}),
    ("dealtype", "Deal Type", "enumeration", "radio", "dealinformation", DEAL_TYPES, set()),
    ("description", "Deal Description", "string", "textarea", "dealinformation", (), set()),
    ("hs_priority", "Priority", "enumeration", "select", "dealinformation", DEAL_PRIORITIES, set()),
    ("hubspot_owner_id", "Deal owner", "enumeration", "select", "dealinformation", (), {"owner"}),
    ("closed_won_reason", "Closed Won Reason", "string", "textarea", "dealinformation", (), set()),
    ("closed_lost_reason", "Closed Lost Reason", "string", "textarea", "dealinformation", (), set()),
    ("hs_deal_stage_probability", "Deal probability", "number", "number", "dealinformation", (), {"readonly"}),
    ("hs_is_closed", "Is Deal Closed?", "bool", "booleancheckbox", "dealinformation", (), {"readonly"}),
    ("hs_is_closed_won", "Is Closed Won", "bool", "booleancheckbox", "dealinformation", (), {"readonly"}),
    ("hs_is_closed_lost", "Is Closed Lost", "bool", "booleancheckbox", "dealinformation", (), {"readonly"}),
    ("notes_last_updated", "Last Activity Date", "datetime", "date", "deal_activity", (), set()),
    *record_keys("dealinformation", "createdate", "hs_lastmodifieddate"),
)

TASK_GROUPS = (("task", "Task information"),)

TASK_PROPERTIES = (
    ("hs_task_subject", "Task Title", "string", "text", "task", (), set()),
    ("hs_task_body", "Notes", "string", "html", "task", (), set()),
    ("hs_task_status", "Task Status", "enumeration", "select", "task", TASK_STATUSES, set()),
    ("hs_task_priority", "Priority", "enumeration", "select", "task", TASK_PRIORITIES, set()),
    ("hs_task_type", "Task Type", "enumeration", "select", "task", TASK_TYPES, set()),
    ("hs_timestamp", "Due date", "datetime", "date", "task", (), set()),
    ("hs_task_reminders", "Reminder", "string", "text", "task", (), set()),
    ("hubspot_owner_id", "Assigned to", "enumeration", "select", "task", (), {"owner"}),
    ("hs_task_completion_date", "Completed at", "datetime", "date", "task", (), {"readonly"}),
    *record_keys("task", "hs_createdate", "hs_lastmodifieddate"),
)

DEFAULTS = {
    "contacts": (CONTACT_GROUPS, CONTACT_PROPERTIES),
    "companies": (COMPANY_GROUPS, COMPANY_PROPERTIES),
    "deals": (DEAL_GROUPS, DEAL_PROPERTIES),
    "tasks": (TASK_GROUPS, TASK_PROPERTIES),
}
