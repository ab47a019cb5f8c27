"""hubspot-sdk 0.1.0a9 (HubSpot's new official library) on the dated 2026-03 paths: CRUD, search, batch,
associations, owners, properties, pipelines. Pointed at hubsim by its own `base_url`; no redirect needed."""

from __future__ import annotations

import json

import pytest

from compat import clients
from compat.conftest import TOKEN

NAME = "hubspot-sdk"


@pytest.fixture(scope="module")
def report(installed, hubsim_url, seeded, tmp_path_factory):
    acme = next(iter(seeded.companies))
    run = clients.run(NAME, ["python", str(clients.DRIVERS / "hubspot_sdk_run.py"), hubsim_url, TOKEN, acme],
                      hubsim_url=hubsim_url, redirect=False, cwd=tmp_path_factory.mktemp(NAME))
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def test_create_update_get_and_delete_a_contact(report, hubsim):
    made = report["created"]
    assert made["properties"]["email"] == "linus@initech.io" and made["properties"]["firstname"] == "Linus"
    assert report["got"] == {"id": made["id"], "properties": {
        **report["got"]["properties"], "email": "linus@initech.io", "firstname": "Linus", "lastname": "Torvalds"}}
    assert report["got_by_email"] == made["id"]
    assert hubsim.get(f"/crm/v3/objects/contacts/{made['id']}").status_code == 404  # deleted at the end


def test_list_pages_through_every_contact_and_search_finds_one(report, seeded):
    made = report["created"]["id"]
    assert set(report["listed"]) == {*seeded.contacts, made}  # two a page: the SDK followed `after`
    assert report["searched"] == [made]


def test_batch_create_read_and_archive(report, hubsim):
    ids = report["batch_created"]
    assert all(hubsim.get(f"/crm/v3/objects/contacts/{i}").status_code == 404 for i in ids)  # archived at the end
    assert len(ids) == 2
    assert sorted(email for _, email in report["batch_read"]) == ["b1@initech.io", "b2@initech.io"]
    assert sorted(i for i, _ in report["batch_read"]) == ids


def test_associations_owners_properties_pipelines_are_hubsims(report, seeded, hubsim):
    assert report["associated_companies"] == [next(iter(seeded.companies))]
    assert report["companies"] == sorted(seeded.companies)
    assert report["owners"] == sorted(o["id"] for o in hubsim.get("/crm/v3/owners").json()["results"])
    held = {p["name"] for p in hubsim.get("/crm/v3/properties/contacts").json()["results"]}
    assert set(report["contact_property_names"]) == held
    assert report["deal_pipelines"] == sorted(p["id"] for p in hubsim.get("/crm/v3/pipelines/deals").json()["results"])


def test_it_called_the_dated_paths(report, hubsim):
    def paths(glob):
        return {e["path"] for e in hubsim.get("/_sim/journal", params={"path": glob}).json()["results"]}

    made = report["created"]["id"]
    assert {"/crm/objects/2026-03/contacts", "/crm/objects/2026-03/contacts/search",
            "/crm/objects/2026-03/contacts/batch/create", "/crm/objects/2026-03/contacts/batch/read",
            f"/crm/objects/2026-03/contacts/{made}"} <= paths("/crm/objects/2026-03/*")
    assert paths("/crm/owners/2026-03*") and paths("/crm/properties/2026-03/*") and paths("/crm/pipelines/2026-03/*")
