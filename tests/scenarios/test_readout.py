"""The CRM read back into workspace facts: PQL, notified, accepted and the rep's deal, each at its first time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scenarios.metrics import AccountFacts
from scenarios.readout import read_crm

T0 = datetime(2026, 3, 2, tzinfo=UTC)


@pytest.fixture
def hubspot(api):
    api.post("/_sim/clock", json={"freeze": True, "set": T0.isoformat()})
    api.post("/crm/v3/properties/contacts", json={
        "name": "pql_label", "label": "PQL stage", "type": "enumeration", "fieldType": "select",
        "groupName": "contactinformation",
        "options": [{"label": v, "value": v} for v in ("nurture", "mql", "pql")]})
    return api


def _advance(hubspot, **delta):
    hubspot.post("/_sim/clock", json={"advance": timedelta(**delta).total_seconds()})


def test_facts_come_from_the_first_time_each_thing_happened_in_the_crm(hubspot, client):
    owner_contact = hubspot.post("/crm/v3/objects/contacts", json={"properties": {
        "email": "ann@acme.io", "pql_label": "mql"}}).json()["id"]
    teammate = hubspot.post("/crm/v3/objects/contacts", json={"properties": {"email": "bo@acme.io"}}).json()["id"]
    hubspot.post("/crm/v3/objects/contacts", json={"properties": {"email": "stranger@else.io", "pql_label": "pql"}})
    _advance(hubspot, hours=5)
    hubspot.patch(f"/crm/v3/objects/contacts/{teammate}", json={"properties": {"pql_label": "pql"}})
    _advance(hubspot, minutes=30)
    hubspot.post("/crm/v3/objects/tasks", json={
        "properties": {"hs_task_subject": "Call", "hs_timestamp": "2026-03-03T00:00:00Z"},
        "associations": [{"to": {"id": teammate}, "types": [
            {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 204}]}]})
    _advance(hubspot, hours=1)
    hubspot.patch(f"/crm/v3/objects/contacts/{teammate}", json={"properties": {"hs_lead_status": "OPEN_DEAL"}})
    deal = hubspot.post("/crm/v3/objects/deals", json={"properties": {
        "dealname": "acme", "pipeline": "default", "dealstage": "appointmentscheduled"}}).json()["id"]
    _advance(hubspot, days=3)
    hubspot.patch(f"/crm/v3/objects/deals/{deal}", json={"properties": {"dealstage": "closedwon"}})
    hubspot.patch(f"/crm/v3/objects/contacts/{owner_contact}", json={"properties": {"pql_label": "pql"}})

    acme = AccountFacts("acc_1", "ideal_fit_team", True, T0)
    read_crm(client, {"acc_1": acme}, {"ann@acme.io": "acc_1", "bo@acme.io": "acc_1"}, {deal: teammate})
    assert acme.pql == T0 + timedelta(hours=5)  # the teammate's, before the owner's
    assert acme.notified == T0 + timedelta(hours=5, minutes=30) and acme.tasks == 1
    assert acme.accepted == T0 + timedelta(hours=6, minutes=30)
    assert acme.deal_created == T0 + timedelta(hours=6, minutes=30)
    assert acme.deal_won == T0 + timedelta(days=3, hours=6, minutes=30)
