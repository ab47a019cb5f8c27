"""Singer tap-hubspot 4.5.0 (hard-codes https://api.hubapi.com: redirected by compat/redirect): discover, then sync
what hubsim serves; every record it extracts equals what was seeded, field by field."""

from __future__ import annotations

import json

import pytest

from compat import clients
from compat.conftest import PORTAL_ID, TOKEN, held
from compat.singer import differences, records, same, select, write_json

NAME = "tap-hubspot"
# Its other streams read APIs hubsim does not simulate (email events, forms, workflows v3, campaigns, engagements v1).
STREAMS = {"contacts", "companies", "deals", "deal_pipelines", "contacts_by_company", "owners", "tickets",
           "contact_lists", "list_memberships"}


@pytest.fixture(scope="module")
def synced(installed, hubsim_url, seeded, tmp_path_factory):
    work = tmp_path_factory.mktemp(NAME)
    # A private app's token goes in `api_key` (tap-hubspot's README); the state file starts empty.
    config = write_json(work / "config.json", {"api_key": TOKEN, "start_date": "2020-01-01T00:00:00Z"})
    state = write_json(work / "state.json", {})
    found = clients.run(NAME, ["tap-hubspot", "--config", str(config), "--discover"], hubsim_url=hubsim_url,
                        redirect=True, cwd=work)
    assert found.returncode == 0, found.stderr[-3000:]
    catalog = json.loads(found.stdout)
    chosen = write_json(work / "catalog.json", select(catalog, STREAMS))
    run = clients.run(NAME, ["tap-hubspot", "--config", str(config), "--properties", str(chosen), "--state",
                             str(state)], hubsim_url=hubsim_url, redirect=True, cwd=work)
    assert run.returncode == 0, run.stderr[-3000:]
    return {"catalog": catalog, "records": records(run.stdout)}


def test_discover_lists_its_streams(synced):
    assert STREAMS <= {stream["tap_stream_id"] for stream in synced["catalog"]["streams"]}
    contacts = next(s for s in synced["catalog"]["streams"] if s["tap_stream_id"] == "contacts")
    assert {"email", "firstname", "lastname"} <= set(contacts["schema"]["properties"]["properties"]["properties"])


def test_contacts_equal_what_was_seeded(synced, seeded, hubsim):
    emitted = {r["id"]: r for r in synced["records"]["contacts"]}
    assert set(emitted) == set(seeded.contacts)
    for contact_id, values in seeded.contacts.items():
        properties = emitted[contact_id]["properties"]
        assert {name: properties[name] for name in values} == values
        assert differences(properties, held(hubsim, "contacts", contact_id, properties)) == {}


def test_companies_equal_what_was_seeded(synced, seeded, hubsim):
    emitted = {str(r["companyId"]): r for r in synced["records"]["companies"]}
    assert set(emitted) == set(seeded.companies)
    for company_id, values in seeded.companies.items():
        record = emitted[company_id]
        assert record["portalId"] == PORTAL_ID
        shown = {name: value["value"] for name, value in record["properties"].items()}
        assert {name: shown[name] for name in values} == values
        assert differences(shown, held(hubsim, "companies", company_id, shown)) == {}


def test_deals_carry_their_properties_and_associations(synced, seeded, hubsim):
    emitted = {str(r["dealId"]): r for r in synced["records"]["deals"]}
    assert set(emitted) == set(seeded.deals)
    for deal_id, values in seeded.deals.items():
        record = emitted[deal_id]
        shown = {name: value["value"] for name, value in record["properties"].items()}
        assert all(same(shown[name], value) for name, value in values.items()), (shown, values)
        assert differences(shown, held(hubsim, "deals", deal_id, shown)) == {}
        assert [str(i) for i in record["associations"]["associatedVids"]] == seeded.deal_contacts[deal_id]
        assert [str(i) for i in record["associations"]["associatedCompanyIds"]] == seeded.deal_companies[deal_id]


def test_contacts_by_company_are_the_seeded_links(synced, seeded):
    pairs = {(str(r["company-id"]), str(r["contact-id"])) for r in synced["records"]["contacts_by_company"]}
    assert pairs == {(company, contact) for company, people in seeded.company_contacts.items() for contact in people}


def test_tickets_with_their_contacts(synced, seeded):
    emitted = {r["id"]: r for r in synced["records"]["tickets"]}
    assert set(emitted) == set(seeded.tickets)
    for ticket_id, values in seeded.tickets.items():
        record = emitted[ticket_id]
        assert {name: record["properties"][name] for name in values} == values
        linked = [link["id"] for link in record["associations"]["contacts"]["results"]]
        assert linked == [seeded.contacts_of_ticket[ticket_id]]


def test_deal_pipelines_and_owners_are_hubsims(synced, seeded, hubsim):
    pipelines = {p["pipelineId"]: p for p in synced["records"]["deal_pipelines"]}
    assert set(pipelines) == {p["id"] for p in hubsim.get("/crm/v3/pipelines/deals").json()["results"]}
    assert [s["stageId"] for s in pipelines[seeded.pipeline]["stages"]] == seeded.stages
    owners = {o["id"] for o in hubsim.get("/crm/v3/owners").json()["results"]}
    assert {str(o["ownerId"] if "ownerId" in o else o["id"]) for o in synced["records"]["owners"]} == owners
