"""The sync against hubsim over a socket: schema, contacts with scores, companies, deals, associations, zero
writes on a re-run, poison records dead-lettered without blocking their batch-mates."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.scoring.conftest import T0, Events, account, user

pytestmark = pytest.mark.hubspot(frozen_at="2026-03-02T09:00:00Z")

PROPS = ["email", "pql_score", "pql_label", "pql_grade", "pql_reasons", "lifecyclestage", "trial_status",
         "key_feature_activated", "teammates_invited", "firstname", "jobtitle", "pql_entered_at", "product_user_id"]


def contact(portal, email: str, properties=PROPS) -> dict:
    with portal.client() as http:
        answer = http.get(f"/crm/v3/objects/contacts/{email}", params={"idProperty": "email",
                                                                        "properties": ",".join(properties)})
        assert answer.status_code == 200, answer.text
        return answer.json()


def writes(portal) -> int:
    return sum(portal.journal.count(method=m) for m in ("POST", "PATCH", "PUT", "DELETE"))


def one_pql(make_sync, *more: tuple[str, dict]):
    """A sync that pushed one ICP VP's journey (a PQL, 88) two days in, and `more` (name, properties) a day later."""
    sync = make_sync()
    sync.ensure_schema()
    ann = user(1)
    sync.add_profiles([ann], [account(1)])
    events = Events()
    events.journey(ann)
    for name, properties in more:
        events.add(ann, name, T0 + timedelta(days=3), **properties)
    sync.push(events.rows, T0 + timedelta(days=3 if more else 2))
    return sync, ann


def test_schema_is_ensured_once(hubspot_sim, make_sync):
    make_sync().ensure_schema()
    with hubspot_sim.client() as http:
        names = {p["name"] for p in http.get("/crm/v3/properties/contacts").json()["results"]}
        deal_key = http.get("/crm/v3/properties/deals/billing_subscription_id").json()
    assert {"pql_score", "pql_label", "pql_reasons", "trial_status", "key_feature_activated",
            "teammates_invited"} <= names
    assert deal_key["hasUniqueValue"] is True
    hubspot_sim.journal.clear()
    make_sync().ensure_schema()
    assert writes(hubspot_sim) == 0


def test_a_pql_journey_lands_as_contact_properties_score_and_lifecycle_stage(hubspot_sim, make_sync):
    sync, ann = one_pql(make_sync)
    got = contact(hubspot_sim, ann["email"])["properties"]
    assert {k: got[k] for k in ("trial_status", "key_feature_activated", "teammates_invited", "firstname",
                                "jobtitle", "product_user_id")} == {
        "trial_status": "Active", "key_feature_activated": "true", "teammates_invited": "2", "firstname": "F1",
        "jobtitle": "VP of Product", "product_user_id": "u1"}
    # fit 15 + 20 + 20 + 10 (capped at 60) -> 100; engagement 20 + 25 + 15 + 20 = 80 -> 0.4 x 100 + 0.6 x 80
    assert (got["pql_score"], got["pql_label"], got["pql_grade"]) == ("88", "pql", "A1")
    assert got["pql_reasons"] == "+25 key feature used | +20 ideal industry | +20 5 logins in 7d | +20 100-500 employees"
    assert got["lifecyclestage"] == "salesqualifiedlead"
    assert got["pql_entered_at"] == "2026-03-02T12:01:00.000Z"  # the second invite: 40 + 0.6 x 60 = 76
    explained = sync.explain(ann["email"].upper(), T0 + timedelta(days=2))
    assert (explained.total, explained.reasons) == (88, got["pql_reasons"])


def test_a_rerun_with_the_same_data_sends_no_writes(hubspot_sim, make_sync):
    people = [user(n) for n in range(1, 4)]
    events = Events()
    for who in people:
        events.journey(who)
    first = make_sync()
    first.ensure_schema()
    first.add_profiles(people, [account(n) for n in range(1, 4)])
    first.push(events.rows, T0 + timedelta(days=2))
    first.flush(T0 + timedelta(days=2))
    assert first.summary.contacts_upserted == 3 and first.summary.companies_upserted == 3
    hubspot_sim.journal.clear()
    again = make_sync()
    again.ensure_schema()
    again.add_profiles(people, [account(n) for n in range(1, 4)])
    again.push(events.rows, T0 + timedelta(days=2))
    again.flush(T0 + timedelta(days=2))
    assert writes(hubspot_sim) == 0
    assert again.summary.skipped_unchanged == 6  # three contacts, three companies


def test_only_changed_properties_are_written(hubspot_sim, make_sync):
    sync = make_sync()
    sync.ensure_schema()
    ann = user(1)
    sync.add_profiles([ann], [account(1)])
    events = Events()
    events.add(ann, "trial_started", T0)
    sync.push(events.rows, T0)
    hubspot_sim.journal.clear()
    sync.push([events.add(ann, "churned", T0 + timedelta(hours=1), plan="free", lost_arr=0)], T0 + timedelta(hours=1))
    [upsert] = hubspot_sim.journal.requests(method="POST", path="/crm/v3/objects/contacts/batch/upsert")
    assert upsert["requestBody"]["inputs"] == [
        {"id": ann["email"], "idProperty": "email", "properties": {"trial_status": "Churned"}}]


def test_a_poison_record_is_dead_lettered_and_its_batch_mates_land(hubspot_sim, make_sync):
    sync = make_sync()
    sync.ensure_schema()
    people = [user(n) for n in range(1, 9)]
    accounts = [account(n) for n in range(1, 9)]
    accounts[4]["industry"] = "UNDERWATER_BASKET_WEAVING"  # not one of HubSpot's industry options
    sync.add_profiles(people, accounts)
    events = Events()
    for who in people:
        events.add(who, "trial_started", T0)
    sync.push(events.rows, T0)
    [letter] = sync.outbox.dead_letters()
    assert (letter.kind, letter.key) == ("company", "company5.io")
    assert letter.reason.startswith("400 VALIDATION_ERROR: Property values were not valid")
    assert "UNDERWATER_BASKET_WEAVING was not one of the allowed options" in letter.reason
    assert letter.payload["properties"]["industry"] == "UNDERWATER_BASKET_WEAVING"
    assert sync.summary.companies_upserted == 7 and sync.summary.contacts_upserted == 8
    with hubspot_sim.client() as http:
        found = http.post("/crm/v3/objects/companies/search", json={"limit": 100, "properties": ["domain"]}).json()
    assert sorted(r["properties"]["domain"] for r in found["results"]) == [
        f"company{n}.io" for n in (1, 2, 3, 4, 6, 7, 8)]


def test_an_upgrade_is_a_closed_won_deal_with_the_arr_on_contact_and_company(hubspot_sim, make_sync):
    sync, ann = one_pql(make_sync, ("upgraded", {"plan": "team", "seats": 3, "arr": 1080.0, "currency": "USD",
                                                 "billing_period": "annual"}))
    with hubspot_sim.client() as http:
        deal = http.get("/crm/v3/objects/deals/a1", params={
            "idProperty": "billing_subscription_id", "properties": "amount,dealstage,pipeline,dealname",
            "associations": "contacts,companies"}).json()
        company = http.get("/crm/v3/objects/companies/company1.io", params={
            "idProperty": "domain", "properties": "product_plan,product_arr,account_score,lifecyclestage",
            "associations": "contacts"}).json()
    person = contact(hubspot_sim, ann["email"])
    assert {k: deal["properties"][k] for k in ("amount", "dealstage", "pipeline", "dealname")} == {
        "amount": "1080", "dealstage": "closedwon", "pipeline": "default", "dealname": "Company 1 - team"}
    assert [r["id"] for r in deal["associations"]["contacts"]["results"]] == [person["id"]]
    assert [r["id"] for r in deal["associations"]["companies"]["results"]] == [company["id"]]
    assert [r["id"] for r in company["associations"]["contacts"]["results"]] == [person["id"]]
    assert (company["properties"]["product_plan"], company["properties"]["product_arr"]) == ("team", "1080")
    assert company["properties"]["lifecyclestage"] == "customer"
    assert person["properties"]["lifecyclestage"] == "customer"
    assert person["properties"]["trial_status"] == "Converted"


def test_decay_moves_scores_with_time_alone(hubspot_sim, make_sync):
    sync, ann = one_pql(make_sync)
    assert contact(hubspot_sim, ann["email"])["properties"]["pql_score"] == "88"
    sync.sweep(T0 + timedelta(days=9))  # the logins leave their 7-day window
    assert contact(hubspot_sim, ann["email"])["properties"]["pql_score"] == "76"
    sync.sweep(T0 + timedelta(days=32))  # a month idle: -20
    got = contact(hubspot_sim, ann["email"])["properties"]
    assert (got["pql_score"], got["pql_label"]) == ("64", "pql")  # hysteresis: a PQL until below 60
    assert got["lifecyclestage"] == "salesqualifiedlead"  # never moved backwards


def test_a_dead_lettered_company_is_sent_again_on_replay(hubspot_sim, make_sync):
    sync = make_sync()
    sync.ensure_schema()
    people, accounts = [user(1), user(2)], [account(1), account(2, industry="NOT_AN_INDUSTRY")]
    sync.add_profiles(people, accounts)
    events = Events()
    for who in people:
        events.add(who, "trial_started", T0)
    sync.push(events.rows, T0)
    assert [(d.kind, d.key) for d in sync.outbox.dead_letters()] == [("company", "company2.io")]
    accounts[1]["industry"] = "INTERNET"  # the cause, fixed at the source
    assert sync.replay_dead_letters(T0) == 1
    assert sync.outbox.dead_letters() == []
    with hubspot_sim.client() as http:
        got = http.get("/crm/v3/objects/companies/company2.io", params={
            "idProperty": "domain", "properties": "industry", "associations": "contacts"}).json()
    assert got["properties"]["industry"] == "INTERNET"
    assert len(got["associations"]["contacts"]["results"]) == 1
