"""`hubsim score calibrate --hubspot-url`: outcomes from a portal (score history, closed-won deals) over a socket.

The portal is seeded through the official SDK with the portal's clock moved between writes, so the score history
has known times: 60 contacts (more than one page of history reads), two buyers who reach 80 on day 2 and buy on
days 12 and 22, a hot lead who reaches 80 and loses its deal, and a late converter who never scored.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hubspot import HubSpot
from hubspot.crm.contacts import BatchInputSimplePublicObjectBatchInput, BatchInputSimplePublicObjectBatchInputForCreate
from hubspot.crm.contacts import SimplePublicObjectBatchInput, SimplePublicObjectBatchInputForCreate
from hubspot.crm.deals import AssociationSpec, PublicAssociationsForObject, PublicObjectId
from hubspot.crm.deals import SimplePublicObjectInputForCreate as DealCreate
from hubspot.crm.properties import PropertyCreate

from scenarios.cli import main
from scoring.calibrate import calibrate_scores
from scoring.client import HubSpotClient
from scoring.outcomes import read_outcomes

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
pytestmark = pytest.mark.hubspot(frozen_at=T0.isoformat())
DEAL_TO_CONTACT = 3  # HubSpot's HUBSPOT_DEFINED deal -> contact type
OTHERS = 56


def day(n: float) -> str:
    return (T0 + timedelta(days=n)).isoformat().replace("+00:00", "Z")


@pytest.fixture
def seeded(hubspot_sim) -> dict[str, str]:
    sdk = HubSpot(access_token=hubspot_sim.token, host=hubspot_sim.base_url, base_url=hubspot_sim.base_url)
    sdk.crm.properties.core_api.create("contacts", PropertyCreate(
        name="pql_score", label="PQL score", type="number", field_type="number", group_name="contactinformation"))
    firsts = {"buyer1@a.io": "50", "buyer2@b.io": "50", "hot@c.io": "50", "late@d.io": "20"}
    firsts |= {f"other{k}@e{k}.io": "20" for k in range(OTHERS)}
    ids = {}
    for start in range(0, len(firsts), 100):
        created = sdk.crm.contacts.batch_api.create(BatchInputSimplePublicObjectBatchInputForCreate(inputs=[
            SimplePublicObjectBatchInputForCreate(properties={"email": email, "pql_score": score})
            for email, score in list(firsts.items())[start:start + 100]]))
        ids |= {c.properties["email"]: c.id for c in created.results}

    def scores(**by_email: str) -> None:
        sdk.crm.contacts.batch_api.update(BatchInputSimplePublicObjectBatchInput(inputs=[
            SimplePublicObjectBatchInput(id=ids[email], properties={"pql_score": score})
            for email, score in by_email.items()]))

    def deal(email: str, stage: str, closed: float) -> None:
        sdk.crm.deals.basic_api.create(DealCreate(
            properties={"dealname": email, "amount": "1200", "dealstage": stage, "closedate": day(closed)},
            associations=[PublicAssociationsForObject(to=PublicObjectId(id=ids[email]), types=[
                AssociationSpec(association_category="HUBSPOT_DEFINED", association_type_id=DEAL_TO_CONTACT)])]))

    hubspot_sim.clock.advance(days=2)
    scores(**{"buyer1@a.io": "80", "buyer2@b.io": "80", "hot@c.io": "80"})
    hubspot_sim.clock.advance(days=3)
    scores(**{"buyer2@b.io": "90"})
    deal("buyer1@a.io", "closedwon", 12)
    deal("buyer1@a.io", "closedwon", 40)  # a second purchase: the first one converted it
    deal("buyer2@b.io", "closedwon", 22)
    deal("hot@c.io", "closedlost", 20)  # lost: not a conversion
    deal("late@d.io", "appointmentscheduled", 30)
    deal("late@d.io", "closedwon", 10)
    hubspot_sim.clock.advance(days=10)  # day 15, after buyer1 bought: what it scores now says nothing
    scores(**{"buyer1@a.io": "95"})
    return ids


def test_outcomes_are_the_score_history_and_the_earliest_closed_won_deal(hubspot_sim, seeded):
    with HubSpotClient(hubspot_sim.base_url, hubspot_sim.token) as client:
        outcomes = read_outcomes(client)
    assert (outcomes.contacts_read, outcomes.deals_read) == (60, 6)
    assert hubspot_sim.journal.count(method="GET", path="/crm/v3/objects/contacts") == 2  # 50 a page, with history
    assert outcomes.conversions == {"buyer1@a.io": T0 + timedelta(days=12), "buyer2@b.io": T0 + timedelta(days=22),
                                    "late@d.io": T0 + timedelta(days=10)}
    assert outcomes.histories["buyer2@b.io"] == [(T0, 50.0), (T0 + timedelta(days=2), 80.0),
                                                 (T0 + timedelta(days=5), 90.0)]
    assert outcomes.histories["other7@e7.io"] == [(T0, 20.0)]


def test_the_table_counts_converters_before_they_bought(hubspot_sim, seeded):
    with HubSpotClient(hubspot_sim.base_url, hubspot_sim.token) as client:
        outcomes = read_outcomes(client)
    result = calibrate_scores(outcomes.histories, outcomes.conversions)
    assert (result.contacts, result.converters) == (60, 3)
    # buyer1 peaked at 80 before buying (its 95 came after), buyer2 at 90; the hot lead at 80 never bought.
    assert [(b.low, b.contacts, b.converted) for b in result.bands] == [(20, 57, 1), (80, 2, 1), (90, 1, 1)]
    by = {t.threshold: t for t in result.thresholds}
    assert (by[20].flagged, by[20].converted, by[20].recall) == (60, 3, 1.0)
    assert (by[50].flagged, by[50].converted) == (3, 2)
    assert by[50].median_lead_days == pytest.approx(17)  # at 50 from day 0; bought on days 12 and 22
    assert by[80].median_lead_days == pytest.approx(15)  # at 80 from day 2
    assert (by[85].flagged, by[85].precision, by[85].median_lead_days) == (1, 1.0, pytest.approx(17))
    assert result.best.threshold == 80
    assert result.best.precision == pytest.approx(2 / 3) and result.best.recall == pytest.approx(2 / 3)


def test_the_command_reads_the_portal_and_prints_the_same_table(hubspot_sim, seeded, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    assert main(["score", "calibrate", "--hubspot-url", hubspot_sim.base_url, "--token", hubspot_sim.token]) == 0
    out = capsys.readouterr().out
    assert "60 contacts, 6 associated deals, 3 contacts with a closed-won deal" in out
    assert "60 contacts, 3 converted" in out
    assert "recommended PQL threshold: 80 (precision 67%, recall 67%, 15.0 days before they buy (median))" in out


def test_the_command_wants_one_source_and_a_token(hubspot_sim, capsys):
    assert main(["score", "calibrate", "--hubspot-url", hubspot_sim.base_url]) == 2
    assert "--hubspot-url needs --token" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["score", "calibrate", "--run", "x", "--hubspot-url", hubspot_sim.base_url, "--token", "t"])
