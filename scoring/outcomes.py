"""Outcomes from a portal, for calibration: each contact's score history and whether it converted.

A contact converted when a deal associated with it is closed won (`hs_is_closed_won`, which HubSpot computes for
every pipeline, or the default pipeline's `closedwon` stage); it converted at the earliest such deal's
`closedate`. Its score history is the score property's history (`propertiesWithHistory`): when the sync wrote
which score, so the lead time a threshold buys is measured from the write that first reached it.

Read through the objects list API, not search: search stops at 10,000 results, the list pages through every
contact. Then the contacts' deals (associations v4 batch read, 1,000 ids a call, paging a contact's links when it
has more) and those deals' stages (batch read, 100 a call). One pass, all through `HubSpotClient`, so HubSpot's
limits are kept as the sync keeps them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from scoring.client import HubSpotClient
from scoring.scores import from_iso

HISTORY_PAGE = 50  # HubSpot: a list read with propertiesWithHistory returns at most 50 records a page
DEAL_BATCH = 100  # HubSpot: at most 100 inputs per CRM batch call
ASSOCIATION_BATCH = 1000  # HubSpot: v4 associations batch/read takes at most 1,000 ids
WON_STAGE = "closedwon"  # the default sales pipeline's closed-won stage


@dataclass(frozen=True)
class Outcomes:
    """By email: the score history (time, score), oldest first, and when converters converted."""

    histories: dict[str, list[tuple[datetime, float]]]
    conversions: dict[str, datetime]
    contacts_read: int
    deals_read: int


def read_outcomes(client: HubSpotClient, score_property: str = "pql_score") -> Outcomes:
    emails: dict[str, str] = {}  # contact id -> email
    histories: dict[str, list[tuple[datetime, float]]] = {}
    for record in _contacts(client, score_property):
        email = (record.get("properties") or {}).get("email")
        if not email:
            continue  # calibration is by email, as the sync writes
        email = email.strip().lower()
        emails[record["id"]] = email
        histories[email] = _history(record, score_property)
    deals_of = _deal_ids(client, list(emails))
    won = _won_deals(client, sorted({deal for deals in deals_of.values() for deal in deals}))
    conversions: dict[str, datetime] = {}
    for contact_id, deals in deals_of.items():
        closed = [won[deal] for deal in deals if deal in won]
        if closed:
            conversions[emails[contact_id]] = min(closed)
    return Outcomes(histories, conversions, len(emails), sum(len(deals) for deals in deals_of.values()))


def _contacts(client: HubSpotClient, score_property: str) -> Iterator[dict[str, Any]]:
    after = None
    while True:
        params = {"limit": HISTORY_PAGE, "properties": f"email,{score_property}",
                  "propertiesWithHistory": score_property, **({"after": after} if after else {})}
        page = client.request("GET", "/crm/v3/objects/contacts", params=params) or {}
        yield from page.get("results", [])
        after = ((page.get("paging") or {}).get("next") or {}).get("after")
        if not after:
            return


def _history(record: dict[str, Any], score_property: str) -> list[tuple[datetime, float]]:
    points = []
    for entry in (record.get("propertiesWithHistory") or {}).get(score_property) or []:
        score = _float(entry.get("value"))
        if score is not None and entry.get("timestamp"):
            points.append((_moment(entry["timestamp"]), score))
    return sorted(points, key=lambda point: point[0])


def _deal_ids(client: HubSpotClient, contact_ids: Sequence[str]) -> dict[str, list[str]]:
    """Every contact's associated deal ids (a contact without deals is HubSpot's per-id error: no entry)."""
    found: dict[str, list[str]] = {}
    asks = [{"id": contact_id} for contact_id in contact_ids]
    while asks:
        batch, asks = asks[:ASSOCIATION_BATCH], asks[ASSOCIATION_BATCH:]
        answer = client.request("POST", "/crm/v4/associations/contacts/deals/batch/read",
                                json_body={"inputs": batch}) or {}
        for result in answer.get("results", []):
            contact_id = str(result["from"]["id"])
            found.setdefault(contact_id, []).extend(str(link["toObjectId"]) for link in result.get("to", []))
            after = ((result.get("paging") or {}).get("next") or {}).get("after")
            if after:
                asks.append({"id": contact_id, "after": after})
    return found


def _won_deals(client: HubSpotClient, deal_ids: Sequence[str]) -> dict[str, datetime]:
    """The closed-won deals among these, with when they closed."""
    won = {}
    for start in range(0, len(deal_ids), DEAL_BATCH):
        answer = client.request("POST", "/crm/v3/objects/deals/batch/read", json_body={
            "properties": ["dealstage", "hs_is_closed_won", "closedate"],
            "inputs": [{"id": deal_id} for deal_id in deal_ids[start:start + DEAL_BATCH]]}) or {}
        for deal in answer.get("results", []):
            props = deal.get("properties") or {}
            if props.get("hs_is_closed_won") == "true" or props.get("dealstage") == WON_STAGE:
                won[str(deal["id"])] = _moment(props.get("closedate") or deal["createdAt"])
    return won


def _moment(text: str) -> datetime:
    """HubSpot's datetimes: ISO 8601, or epoch milliseconds (older properties, CSV-imported values)."""
    if text.isdigit():
        return datetime.fromtimestamp(int(text) / 1000, UTC)
    return from_iso(text)


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
