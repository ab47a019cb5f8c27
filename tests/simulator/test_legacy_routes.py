"""The older routes HubSpot still serves: the same records in contacts v1, companies v2 and deals v1 shapes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest


def create(api, object_type, **properties):
    response = api.post(f"/crm/v3/objects/{object_type}", json={"properties": properties})
    assert response.status_code == 201, response.text
    return response.json()


def test_all_contacts_page_by_vid_offset_with_has_more(api):
    ids = [create(api, "contacts", email=f"u{i}@acme.io", firstname=f"U{i}")["id"] for i in range(3)]
    first = api.get("/contacts/v1/lists/all/contacts/all", params={"count": 2}).json()
    assert [c["vid"] for c in first["contacts"]] == [int(i) for i in ids[:2]]
    assert first["has-more"] is True and first["vid-offset"] == int(ids[2])
    second = api.get("/contacts/v1/lists/all/contacts/all", params={"count": 2, "vidOffset": first["vid-offset"]})
    assert [c["vid"] for c in second.json()["contacts"]] == [int(ids[2])]
    assert second.json()["has-more"] is False
    assert second.json()["contacts"][0]["properties"]["firstname"]["value"] == "U2"


def test_a_v1_profile_carries_values_with_versions_and_identities(api):
    ann = create(api, "contacts", email="ann@acme.io", firstname="Ann")
    api.patch(f"/crm/v3/objects/contacts/{ann['id']}", json={"properties": {"firstname": "Anne"}})
    profile = api.get(f"/contacts/v1/contact/vid/{ann['id']}/profile").json()
    assert profile["vid"] == profile["canonical-vid"] == int(ann["id"])
    firstname = profile["properties"]["firstname"]
    assert firstname["value"] == "Anne"
    assert [v["value"] for v in firstname["versions"]] == ["Anne", "Ann"]
    identities = profile["identity-profiles"][0]["identities"]
    assert identities[0] == {**identities[0], "type": "EMAIL", "value": "ann@acme.io", "is-primary": True}
    by_email = api.get("/contacts/v1/contact/email/ann@acme.io/profile").json()
    assert by_email == profile


def test_a_missing_v1_contact_is_404(api):
    assert api.get("/contacts/v1/contact/vid/999/profile").status_code == 404


def test_companies_v2_paged_shows_the_properties_asked_for(api):
    acme = create(api, "companies", name="Acme", domain="acme.io")
    page = api.get("/companies/v2/companies/paged", params={"properties": "name"}).json()
    assert page["has-more"] is False
    assert page["companies"] == [{"portalId": page["companies"][0]["portalId"], "companyId": int(acme["id"]),
                                  "isDeleted": False, "properties": {"name": page["companies"][0]["properties"]["name"]}}]
    assert page["companies"][0]["properties"]["name"]["value"] == "Acme"
    assert page["companies"][0]["properties"]["name"]["source"] == "API"


def test_deals_v1_carry_their_associations(api):
    ann = create(api, "contacts", email="ann@acme.io")
    deal = create(api, "deals", dealname="Pilot", amount="1000", pipeline="default", dealstage="appointmentscheduled")
    api.put(f"/crm/v4/objects/deals/{deal['id']}/associations/default/contacts/{ann['id']}")
    page = api.get("/deals/v1/deal/paged", params={"properties": ["dealname", "amount"]}).json()
    (only,) = page["deals"]
    assert only["dealId"] == int(deal["id"]) and page["hasMore"] is False
    assert only["associations"]["associatedVids"] == [int(ann["id"])]
    assert {k: v["value"] for k, v in only["properties"].items()} == {"dealname": "Pilot", "amount": "1000"}


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_properties_v1_are_the_v3_definitions(api, version):
    v1 = {p["name"]: p for p in api.get(f"/properties/{version}/contacts/properties").json()}
    v3 = {p["name"]: p for p in api.get("/crm/v3/properties/contacts").json()["results"]}
    assert set(v1) == set(v3)
    assert (v1["email"]["type"], v1["email"]["fieldType"], v1["email"]["groupName"]) == ("string", "text", "contactinformation")
    assert v1["hs_email_domain"]["readOnlyValue"] is True


def test_deal_pipelines_v1_and_crm_pipelines_v1(api):
    v3 = api.get("/crm/v3/pipelines/deals").json()["results"]
    v1 = api.get("/deals/v1/pipelines").json()
    assert [p["pipelineId"] for p in v1] == [p["id"] for p in v3]
    won = [s for s in v1[0]["stages"] if s["closedWon"]]
    assert [s["stageId"] for s in won] == ["closedwon"]
    crm = api.get("/crm-pipelines/v1/pipelines/deals").json()["results"]
    assert [s["stageId"] for s in crm[0]["stages"]] == [s["id"] for s in v3[0]["stages"]]


def test_contacts_v1_batch_by_vid_keys_the_live_contacts_by_vid(api):
    ann, bob = create(api, "contacts", email="ann@acme.io", firstname="Ann"), create(api, "contacts", email="bob@acme.io")
    api.delete(f"/crm/v3/objects/contacts/{bob['id']}")
    batch = api.get("/contacts/v1/contact/vids/batch",
                    params=[("vid", ann["id"]), ("vid", bob["id"]), ("vid", "999"), ("property", "firstname")]).json()
    assert list(batch) == [ann["id"]]
    assert batch[ann["id"]]["vid"] == int(ann["id"])
    assert {k: v["value"] for k, v in batch[ann["id"]]["properties"].items()} == {"firstname": "Ann"}
    too_many = api.get("/contacts/v1/contact/vids/batch/", params=[("vid", str(i)) for i in range(1, 102)])
    assert too_many.status_code == 400 and "At most 100 vids" in too_many.json()["message"]


def test_companies_v2_paged_shows_the_properties_with_history_asked_for(api):
    create(api, "companies", name="Acme", domain="acme.io", city="Oslo")
    page = api.get("/companies/v2/companies/paged",
                   params=[("propertiesWithHistory", "name"), ("propertiesWithHistory", "city"), ("properties", "name")])
    (only,) = page.json()["companies"]
    assert {k: v["value"] for k, v in only["properties"].items()} == {"name": "Acme", "city": "Oslo"}
    assert only["properties"]["city"]["versions"][0]["value"] == "Oslo"


def test_companies_v2_properties_are_the_companies_properties_v1(api):
    v2 = api.get("/companies/v2/properties")
    assert v2.status_code == 200
    assert v2.json() == api.get("/properties/v1/companies/properties").json()
    assert {"name", "domain", "hs_lastmodifieddate"} <= {p["name"] for p in v2.json()}


def test_associations_v3_batch_read_takes_numeric_ids_and_names_the_v3_type(api):
    acme = create(api, "companies", name="Acme")
    ann, bob = create(api, "contacts", email="ann@acme.io"), create(api, "contacts", email="bob@acme.io")
    lone = create(api, "companies", name="Lone")
    for contact in (ann, bob):
        api.put(f"/crm/v4/objects/companies/{acme['id']}/associations/default/contacts/{contact['id']}")
    answer = api.post("/crm/v3/associations/company/contact/batch/read",  # singular names and number ids: tap-hubspot
                      json={"inputs": [{"id": int(acme["id"])}, {"id": lone["id"]}]})
    assert answer.status_code == 207
    body = answer.json()
    assert body["results"] == [{"from": {"id": acme["id"]}, "to": [{"id": ann["id"], "type": "company_to_contact_unlabeled"},
                                                                   {"id": bob["id"], "type": "company_to_contact_unlabeled"}]}]
    assert [e["context"]["fromObjectId"] for e in body["errors"]] == [[lone["id"]]]


def test_deals_v1_include_all_properties_with_the_latest_version_only(api):
    deal = create(api, "deals", dealname="Pilot", amount="1000", pipeline="default", dealstage="appointmentscheduled")
    api.patch(f"/crm/v3/objects/deals/{deal['id']}", json={"properties": {"amount": "1500"}})
    bare = api.get("/deals/v1/deal/paged").json()["deals"][0]
    assert bare["properties"] == {}  # HubSpot: no property unless named or all asked for
    page = api.get("/deals/v1/deal/paged", params={"includeAllProperties": "true"}).json()
    amount = page["deals"][0]["properties"]["amount"]
    assert amount["value"] == "1500" and [v["value"] for v in amount["versions"]] == ["1500", "1000"]
    assert {"dealname", "pipeline", "dealstage", "createdate"} <= set(page["deals"][0]["properties"])
    latest = api.get("/deals/v1/deal/paged", params={"includeAllProperties": "true",
                                                     "allPropertiesFetchMode": "latest_version"}).json()
    assert [v["value"] for v in latest["deals"][0]["properties"]["amount"]["versions"]] == ["1500"]


def test_v4_objects_list_is_the_v3_list_and_its_dated_twin_stays_v3(api):
    ticket = create(api, "tickets", subject="Broken SSO", hs_pipeline="0", hs_pipeline_stage="1")
    ann = create(api, "contacts", email="ann@acme.io")
    api.put(f"/crm/v4/objects/tickets/{ticket['id']}/associations/default/contacts/{ann['id']}")
    v4 = api.get("/crm/v4/objects/tickets", params={"associations": "contact,company", "properties": "subject"})
    v3 = api.get("/crm/v3/objects/tickets", params={"associations": "contact,company", "properties": "subject"})
    assert v4.status_code == 200 and v4.json() == v3.json()
    (only,) = v4.json()["results"]
    assert only["properties"]["subject"] == "Broken SSO"
    assert only["associations"]["contacts"]["results"] == [{"id": ann["id"], "type": "ticket_to_contact"}]
    created = api.post("/crm/objects/2026-03/contacts", json={"properties": {"email": "cy@acme.io"}})
    assert created.status_code == 201  # the dated list path still takes the v3 create as well


def test_the_v1_daily_limit_is_the_portals_daily_usage(api):
    before = api.get("/_sim/usage").json()["policies"]["daily"]
    api.get("/crm/v3/objects/contacts")
    (entry,) = api.get("/integrations/v1/limit/daily").json()
    assert set(entry) == {"name", "usageLimit", "currentUsage", "collectedAt", "fetchStatus", "resetsAt"}
    assert (entry["name"], entry["fetchStatus"], entry["usageLimit"]) == ("api-calls-daily", "SUCCESS", before["limit"])
    assert entry["currentUsage"] == before["current"] + 2  # the contacts page and this call itself
    now = api.get("/_sim/clock").json()["now"]
    assert abs(entry["collectedAt"] - datetime.fromisoformat(now).timestamp() * 1000) < 60_000
    resets = datetime.fromtimestamp(entry["resetsAt"] / 1000, UTC)
    assert (resets.hour, resets.minute, resets.second) == (0, 0, 0) and resets.timestamp() * 1000 > entry["collectedAt"]


@pytest.mark.parametrize("path", ["/owners/v2/owners", "/contacts/v1/lists", "/integrations/v1/me"])
def test_sunset_and_unsimulated_legacy_routes_answer_404_not_simulated(api, path):
    answer = api.get(path)
    assert answer.status_code == 404
    assert answer.json()["message"].startswith("hubsim does not simulate")


def test_dates_and_datetimes_are_epoch_milliseconds_in_every_legacy_format(api):
    # HubSpot's v1/v2 formats write a time as ms (a date: its midnight UTC); v3 keeps ISO-8601 for the same record
    api.post("/crm/v3/properties/contacts", json={"name": "trial_ends", "label": "Trial ends", "type": "date",
                                                   "fieldType": "date", "groupName": "contactinformation"})
    ann = create(api, "contacts", email="ann@acme.io", trial_ends="2030-05-02")
    api.patch(f"/crm/v3/objects/contacts/{ann['id']}", json={"properties": {"trial_ends": "2030-06-01"}})
    created_ms = int(datetime.fromisoformat(ann["createdAt"].replace("Z", "+00:00")).timestamp() * 1000)
    profile = api.get(f"/contacts/v1/contact/vid/{ann['id']}/profile").json()["properties"]
    assert profile["createdate"]["value"] == str(created_ms)
    assert profile["trial_ends"]["value"] == str(int(datetime(2030, 6, 1, tzinfo=UTC).timestamp() * 1000))
    assert [v["value"] for v in profile["trial_ends"]["versions"]] == [
        str(int(datetime(2030, d.month, d.day, tzinfo=UTC).timestamp() * 1000))
        for d in (datetime(2030, 6, 1), datetime(2030, 5, 2))]
    assert profile["email"]["value"] == "ann@acme.io"
    v3 = api.get(f"/crm/v3/objects/contacts/{ann['id']}", params={"properties": "trial_ends,createdate"}).json()
    assert v3["properties"]["trial_ends"] == "2030-06-01" and v3["properties"]["createdate"] == ann["createdAt"]

    deal = create(api, "deals", dealname="Pilot", closedate="2030-07-01T12:00:00Z")
    closes = str(int(datetime(2030, 7, 1, 12, tzinfo=UTC).timestamp() * 1000))
    assert api.get(f"/deals/v1/deal/{deal['id']}").json()["properties"]["closedate"]["value"] == closes
    acme = create(api, "companies", name="Acme")
    company = api.get(f"/companies/v2/companies/{acme['id']}").json()["properties"]
    assert company["createdate"]["value"].isdigit() and company["name"]["value"] == "Acme"
