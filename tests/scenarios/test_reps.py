"""Simulated reps work tasks through the API after their response time, accept the lead, and touch the user."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scenarios.journeys import ScenarioRun
from scenarios.model import load_scenario
from scenarios.reps import SalesReps
from scenarios.runner import PortalClock

START = datetime(2026, 3, 2, tzinfo=UTC)
TASK_TO_CONTACT = 204  # HubSpot's association type id


@pytest.fixture
def played(api):
    """A run one day in, its first user a contact with a task for the first owner, created at the day's end."""
    run = ScenarioRun(load_scenario("plg-default"), users=20, days=3, seed=4, start=START)
    for _ in run.advance(START + timedelta(days=1)):
        pass
    clock = PortalClock(api)
    clock.start_at(START + timedelta(days=1))
    user = next(run.users())
    contact = api.post("/crm/v3/objects/contacts", json={"properties": {"email": user["email"]}}).json()
    owner = api.get("/crm/v3/owners").json()["results"][0]["id"]
    api.post("/crm/v3/objects/tasks", json={
        "properties": {"hs_task_subject": "Call this PQL", "hs_task_status": "NOT_STARTED",
                       "hs_timestamp": "2026-03-03T00:00:00Z", "hubspot_owner_id": owner},
        "associations": [{"to": {"id": contact["id"]}, "types": [
            {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": TASK_TO_CONTACT}]}]})
    return run, clock, user, contact["id"], owner


def test_a_task_is_worked_after_the_response_time_and_the_lead_accepted(api, client, played):
    run, clock, user, contact_id, owner = played
    reps = SalesReps(client, response=timedelta(minutes=15), users_by_email={user["email"]: user["user"]})
    now = clock.now
    reps.before_step(now, now + timedelta(minutes=10), run, clock)
    assert reps.worked == 0  # not yet: a quarter of an hour
    reps.before_step(now + timedelta(minutes=10), now + timedelta(hours=1), run, clock)
    assert reps.worked == 1
    contact = api.get(f"/crm/v3/objects/contacts/{contact_id}",
                          params={"propertiesWithHistory": "hs_lead_status", "properties": "lifecyclestage"}).json()
    assert contact["properties"]["lifecyclestage"] == "opportunity"
    assert contact["propertiesWithHistory"]["hs_lead_status"][0]["timestamp"] == "2026-03-03T00:15:00.000Z"
    deal_id = next(iter(reps.deals))
    deal = api.get(f"/crm/v3/objects/deals/{deal_id}",
                       params={"associations": "contacts", "properties": "dealstage,hubspot_owner_id"}).json()
    assert deal["properties"]["dealstage"] == "appointmentscheduled"
    assert deal["properties"]["hubspot_owner_id"] == owner
    assert deal["associations"]["contacts"]["results"][0]["id"] == contact_id
    tasks = api.post("/crm/v3/objects/tasks/search", json={"filterGroups": [{"filters": [
        {"propertyName": "hs_task_status", "operator": "EQ", "value": "COMPLETED"}]}]}).json()
    assert tasks["total"] == 1


def test_the_touch_reaches_the_run_at_the_time_the_rep_worked(client, played):
    run, clock, user, _, _ = played
    reps = SalesReps(client, response=timedelta(hours=4), users_by_email={user["email"]: user["user"]})
    reps.before_step(clock.now, clock.now + timedelta(hours=6), run, clock)
    for _ in run.advance(START + timedelta(days=2)):
        pass
    touches = next(u for u in run.ground_truth().users if u.user == user["user"]).sales_touches
    assert [t.at for t in touches] == [START + timedelta(days=1, hours=4)]


def test_deals_of_contacts_who_became_customers_are_closed_won_once_a_day(api, client, played):
    run, clock, user, contact_id, _ = played
    reps = SalesReps(client, response=timedelta(0), users_by_email={user["email"]: user["user"]})
    reps.before_step(clock.now, clock.now + timedelta(hours=1), run, clock)
    api.patch(f"/crm/v3/objects/contacts/{contact_id}", json={"properties": {"lifecyclestage": "customer"}})
    reps.before_step(clock.now + timedelta(hours=1), clock.now + timedelta(hours=2), run, clock)
    deal_id = next(iter(reps.deals))
    assert api.get(f"/crm/v3/objects/deals/{deal_id}").json()["properties"]["dealstage"] == "appointmentscheduled"
    later = clock.now + timedelta(days=1)
    reps.before_step(later, later + timedelta(hours=1), run, clock)
    assert api.get(f"/crm/v3/objects/deals/{deal_id}").json()["properties"]["dealstage"] == "closedwon"
