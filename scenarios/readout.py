"""What the CRM says happened, read back through the API after a run, as facts per workspace (metrics.AccountFacts).

The demo measures outcomes where a RevOps person would: in HubSpot. A workspace became a PQL when the product
event that made one of its contacts a PQL happened (the sync core's `pql_entered_at`, else the label's history),
was notified when the first task or notification about one of them was created, sales-accepted when a rep first set
the lead status, and its rep's deal was won when that deal first reached the won stage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from scenarios.metrics import AccountFacts
from scenarios.reps import ACCEPTED_STATUS, WON_STAGE
from scoring.client import HubSpotClient

PQL_LABEL, PQL_VALUE = "pql_label", "pql"  # the sync core's stage property and its PQL value (scoring/models)
PQL_ENTERED = "pql_entered_at"  # when the event that made the contact a PQL happened (the sync core sets it)
HISTORY_PAGE = 50  # HubSpot pages at most 50 records when propertiesWithHistory is asked for
PAGE = 100
BATCH = 100


def _at(stamp: str) -> datetime:
    if stamp.isdigit():  # a datetime property as epoch milliseconds
        return datetime.fromtimestamp(int(stamp) / 1000, UTC)
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _first(history: Iterable[dict], value: str) -> datetime | None:
    times = [_at(h["timestamp"]) for h in history if h["value"] == value]
    return min(times) if times else None


def _earliest(*times: datetime | None) -> datetime | None:
    known = [t for t in times if t is not None]
    return min(known) if known else None


def _pages(hubspot: HubSpotClient, path: str, params: dict) -> Iterable[dict]:
    after = None
    while True:
        body = hubspot.request("GET", path, params={**params, **({"after": after} if after else {})})
        yield from body["results"]
        after = body.get("paging", {}).get("next", {}).get("after")
        if not after:
            return


def read_crm(hubspot: HubSpotClient, accounts: Mapping[str, AccountFacts], account_of_email: Mapping[str, str],
             rep_deals: Mapping[str, str], notifications: Iterable[dict] = ()) -> None:
    """Fill in the CRM's facts on `accounts` (by account id); contacts map to accounts by email. `notifications`
    are what the workflows sent (hubsim's /_sim/outbox), each naming its contact (`contactId`) and `sentAt`."""
    account_of_contact: dict[str, AccountFacts] = {}
    for contact in _pages(hubspot, "/crm/v3/objects/contacts", {
            "limit": HISTORY_PAGE, "properties": f"email,hubspot_owner_id,{PQL_ENTERED}",
            "propertiesWithHistory": f"{PQL_LABEL},hs_lead_status"}):
        facts = accounts.get(account_of_email.get(contact["properties"].get("email") or "", ""))
        if facts is None:
            continue  # not one of the run's users
        account_of_contact[contact["id"]] = facts
        history = contact.get("propertiesWithHistory", {})
        entered = contact["properties"].get(PQL_ENTERED)
        facts.pql = _earliest(facts.pql, _at(entered) if entered else _first(history.get(PQL_LABEL, []), PQL_VALUE))
        facts.accepted = _earliest(facts.accepted, _first(history.get("hs_lead_status", []), ACCEPTED_STATUS))
        facts.owner_assigned = facts.owner_assigned or bool(contact["properties"].get("hubspot_owner_id"))
    for task in _pages(hubspot, "/crm/v3/objects/tasks", {"limit": PAGE, "properties": "hs_createdate",
                                                          "associations": "contacts"}):
        for link in task.get("associations", {}).get("contacts", {}).get("results", []):
            facts = account_of_contact.get(str(link["id"]))
            if facts is not None:
                facts.tasks += 1
                facts.notified = _earliest(facts.notified, _at(task["properties"]["hs_createdate"]))
                break
    for message in notifications:
        facts = account_of_contact.get(str(message.get("contactId")))
        if facts is not None and message.get("type") != "MARKETING_EMAIL":
            facts.notifications += 1
            facts.notified = _earliest(facts.notified, _at(message["sentAt"]))
    deals = list(rep_deals.items())
    for start in range(0, len(deals), BATCH):
        chunk = dict(deals[start:start + BATCH])
        read = hubspot.request("POST", "/crm/v3/objects/deals/batch/read", json_body={
            "properties": ["createdate"], "propertiesWithHistory": ["dealstage"],
            "inputs": [{"id": deal} for deal in chunk]})
        for deal in read["results"]:
            facts = account_of_contact.get(chunk[deal["id"]])
            if facts is None:
                continue
            facts.deal_created = _earliest(facts.deal_created, _at(deal["properties"]["createdate"]))
            won = _first(deal.get("propertiesWithHistory", {}).get("dealstage", []), WON_STAGE)
            facts.deal_won = _earliest(facts.deal_won, won)
