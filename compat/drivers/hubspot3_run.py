"""Run inside .compat/hubspot3: its contacts, companies and deals reads and usage limits; prints one JSON report.

argv: base_url token contact_id contact_email company_id deal_id. hubspot3 takes its host as `api_base`.
"""

import json
import sys

from hubspot3 import Hubspot3

base_url, token, contact_id, email, company_id, deal_id = sys.argv[1:7]
client = Hubspot3(access_token=token, api_base=base_url)


def values(legacy):  # a v1/v2 record's `properties.{name}.value`
    return {name: shown["value"] for name, shown in legacy["properties"].items()}


limits = client.usage_limits
report = {
    "contacts_all": sorted(client.contacts.get_all(), key=lambda c: c["id"]),
    "contact": {"vid": (one := client.contacts.get_by_id(contact_id))["vid"], "properties": values(one)},
    "contact_by_email": client.contacts.get_by_email(email)["vid"],
    "companies_all": sorted(client.companies.get_all(), key=lambda c: c["id"]),
    "company": {"companyId": (co := client.companies.get(company_id))["companyId"], "properties": values(co)},
    "deals_all": sorted(client.deals.get_all(), key=lambda d: d["id"]),
    "deal": {"dealId": (deal := client.deals.get(deal_id))["dealId"], "properties": values(deal),
             "associations": deal["associations"]},
    "usage_limits": {"usage_limit": limits.usage_limit, "current_usage": limits.current_usage,
                     "fetch_status": limits.fetch_status, "resets_at": limits.resets_at.isoformat()},
}
print(json.dumps(report, default=str))
