"""hubspot3 3.2.56: contacts v1, companies v2, deals v1 reads and `usage_limits` (/integrations/v1/limit/daily).
Pointed at hubsim by its own `api_base`; no redirect needed."""

from __future__ import annotations

import json

import pytest

from compat import clients
from compat.conftest import TOKEN

NAME = "hubspot3"


@pytest.fixture(scope="module")
def report(installed, hubsim_url, seeded, tmp_path_factory):
    contact, values = next(iter(seeded.contacts.items()))
    argv = ["python", str(clients.DRIVERS / "hubspot3_run.py"), hubsim_url, TOKEN, contact, values["email"],
            next(iter(seeded.companies)), next(iter(seeded.deals))]
    run = clients.run(NAME, argv, hubsim_url=hubsim_url, redirect=False, cwd=tmp_path_factory.mktemp(NAME))
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def test_contacts_v1(report, seeded):
    # get_all pages /contacts/v1/lists/all/contacts/all, then reads each page by vid (contact/vids/batch)
    shown = {str(c["id"]): c for c in report["contacts_all"]}
    live = {i: v for i, v in seeded.contacts.items()}
    assert set(shown) >= set(live)
    for contact_id, values in live.items():
        assert {name: shown[contact_id].get(name) for name in ("email", "firstname", "lastname")} == \
            {name: values.get(name) for name in ("email", "firstname", "lastname")}
    contact, values = next(iter(seeded.contacts.items()))
    assert report["contact"]["vid"] == int(contact) and report["contact_by_email"] == int(contact)
    assert {name: report["contact"]["properties"][name] for name in values} == values


def test_companies_v2(report, seeded):
    shown = {str(c["id"]): c for c in report["companies_all"]}
    assert set(shown) == set(seeded.companies)
    assert {i: c["name"] for i, c in shown.items()} == {i: v["name"] for i, v in seeded.companies.items()}
    company, values = next(iter(seeded.companies.items()))
    assert report["company"]["companyId"] == int(company)
    assert {name: report["company"]["properties"][name] for name in values} == values


def test_deals_v1(report, seeded):
    deal, values = next(iter(seeded.deals.items()))
    assert [str(d["id"]) for d in report["deals_all"]] == [deal]
    assert {name: report["deals_all"][0][name] for name in values} == values
    assert report["deal"]["dealId"] == int(deal)
    assert {name: report["deal"]["properties"][name] for name in values} == values
    assert [str(i) for i in report["deal"]["associations"]["associatedVids"]] == seeded.deal_contacts[deal]
    assert [str(i) for i in report["deal"]["associations"]["associatedCompanyIds"]] == seeded.deal_companies[deal]


def test_usage_limits(report, hubsim):
    limits = report["usage_limits"]
    daily = hubsim.get("/_sim/usage").json()["policies"]["daily"]
    assert limits["fetch_status"] == "SUCCESS" and limits["usage_limit"] == daily["limit"]
    assert 0 < limits["current_usage"] < daily["current"]  # counted before this read and the others after it
