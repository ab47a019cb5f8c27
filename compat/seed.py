"""What `make compat` seeds through the official SDK (hubspot-api-client 12): the records every client must read back."""

from __future__ import annotations

from dataclasses import dataclass, field

from hubspot import HubSpot
from hubspot.crm.companies import SimplePublicObjectInputForCreate as CompanyInput
from hubspot.crm.contacts import SimplePublicObjectInputForCreate as ContactInput
from hubspot.crm.deals import SimplePublicObjectInputForCreate as DealInput
from hubspot.crm.objects import SimplePublicObjectInputForCreate as ObjectInput
from hubspot.crm.pipelines import PipelineInput, PipelineStageInput

COMPANIES = [{"name": "Acme", "domain": "acme.io", "city": "Oslo"}, {"name": "Globex", "domain": "globex.com"}]
CONTACTS = [
    {"email": "ada@acme.io", "firstname": "Ada", "lastname": "Lovelace", "jobtitle": "CTO"},
    {"email": "grace@acme.io", "firstname": "Grace", "lastname": "Hopper"},
    {"email": "alan@globex.com", "firstname": "Alan", "lastname": "Turing"},
]
DEAL = {"dealname": "Acme seats", "amount": "1200"}
TICKET = {"subject": "SSO is broken", "hs_pipeline": "0", "hs_pipeline_stage": "1"}


@dataclass
class Seeded:
    companies: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> the properties seeded
    contacts: dict[str, dict[str, str]] = field(default_factory=dict)
    deals: dict[str, dict[str, str]] = field(default_factory=dict)
    tickets: dict[str, dict[str, str]] = field(default_factory=dict)
    pipeline: str = ""
    stages: list[str] = field(default_factory=list)
    company_contacts: dict[str, list[str]] = field(default_factory=dict)  # company id -> its contacts' ids
    deal_contacts: dict[str, list[str]] = field(default_factory=dict)
    deal_companies: dict[str, list[str]] = field(default_factory=dict)
    contacts_of_ticket: dict[str, str] = field(default_factory=dict)


def seed(base_url: str, token: str) -> Seeded:
    client = HubSpot(access_token=token, host=base_url, base_url=base_url)
    crm, done = client.crm, Seeded()
    pipeline = crm.pipelines.pipelines_api.create("deals", pipeline_input=PipelineInput(
        label="Self-serve", display_order=1, stages=[
            PipelineStageInput(label="Trial", display_order=0, metadata={"probability": "0.2"}),
            PipelineStageInput(label="Paid", display_order=1, metadata={"probability": "1.0", "isClosed": "true"}),
        ]))  # fmt: skip
    done.pipeline, done.stages = pipeline.id, [stage.id for stage in pipeline.stages]
    for values in COMPANIES:
        done.companies[crm.companies.basic_api.create(CompanyInput(properties=values)).id] = values
    for values in CONTACTS:
        done.contacts[crm.contacts.basic_api.create(ContactInput(properties=values)).id] = values
    acme, globex = list(done.companies)
    ada, grace, alan = list(done.contacts)
    links = crm.associations.v4.basic_api
    for company, people in ((acme, [ada, grace]), (globex, [alan])):
        for person in people:
            links.create_default("companies", company, "contacts", person)
        done.company_contacts[company] = people
    deal_values = {**DEAL, "pipeline": done.pipeline, "dealstage": done.stages[0]}
    deal = crm.deals.basic_api.create(DealInput(properties=deal_values)).id
    done.deals[deal] = deal_values
    links.create_default("deals", deal, "contacts", ada)
    links.create_default("deals", deal, "companies", acme)
    done.deal_contacts[deal], done.deal_companies[deal] = [ada], [acme]
    ticket = crm.objects.basic_api.create("tickets", ObjectInput(properties=TICKET)).id
    links.create_default("tickets", ticket, "contacts", grace)
    done.tickets[ticket], done.contacts_of_ticket[ticket] = TICKET, grace
    return done
