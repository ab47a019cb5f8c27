"""Simulated sales reps: the portal's owners working the tasks the playbook's workflows assign them, through the API.

Between the runner's steps they look for open tasks, and work each one `response` after it was created (the
scenario's speed to lead): complete it, mark the contact sales-accepted (lead status "Open deal", lifecycle stage
opportunity unless it is further on: the scoring already made a PQL a sales-qualified lead), open a deal for it in
the default pipeline, and touch the user through the run's intervention hook, which raises the account's upgrade odds the sooner it comes after the user's last
activity. Once a day they close the deals of contacts that became customers as won. So sales-accepted, speed to lead
and won deals are outcomes of the run, measured from the CRM afterwards.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from scenarios.journeys import ScenarioRun
from scenarios.runner import PortalClock
from scoring.client import HubSpotClient

DEAL_TO_CONTACT = 3  # HubSpot's association type id, deal -> contact (HUBSPOT_DEFINED)
ACCEPTED_STATUS = "OPEN_DEAL"  # HubSpot's lead status once a deal is open
OPEN_STAGE, WON_STAGE = "appointmentscheduled", "closedwon"  # the default sales pipeline's first and won stages
BEFORE_OPPORTUNITY = {"", "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead"}
SEARCH_PAGE = 100  # what one search page may hold (HubSpot's maximum is 200)


@dataclass(order=True)
class Work:
    at: datetime
    task_id: str = field(compare=False)
    contact_id: str = field(compare=False)
    owner_id: str = field(compare=False)


class SalesReps:
    def __init__(self, hubspot: HubSpotClient, *, response: timedelta, users_by_email: Mapping[str, str]) -> None:
        self.hubspot, self.response, self._users = hubspot, response, users_by_email
        self._seen: set[str] = set()
        self._queue: list[Work] = []
        self.deals: dict[str, str] = {}  # deal id -> contact id, the reps' own
        self._open: dict[str, str] = {}  # the ones not won yet
        self._last_close: datetime | None = None
        self.worked = 0

    def before_step(self, start: datetime, end: datetime, run: ScenarioRun, clock: PortalClock | None) -> None:
        self._discover(start)
        while self._queue and self._queue[0].at < end:
            work = heapq.heappop(self._queue)
            at = max(work.at, start)
            if clock is not None:
                clock.advance_to(at)
            self._work(work, run, at)
        if self._last_close is None or start - self._last_close >= timedelta(days=1):
            self._close_won()
            self._last_close = start

    def _discover(self, now: datetime) -> None:
        after: str | None = None
        while True:
            body = {"filterGroups": [{"filters": [{"propertyName": "hs_task_status", "operator": "EQ",
                                                   "value": "NOT_STARTED"}]}],
                    "properties": ["hs_createdate", "hubspot_owner_id"],
                    "sorts": [{"propertyName": "hs_createdate", "direction": "ASCENDING"}], "limit": SEARCH_PAGE}
            if after:
                body["after"] = after
            page = self.hubspot.request("POST", "/crm/v3/objects/tasks/search", json_body=body)
            for task in page["results"]:
                if task["id"] not in self._seen:
                    self._seen.add(task["id"])
                    self._schedule(task, now)
            after = page.get("paging", {}).get("next", {}).get("after")
            if not after:
                return

    def _schedule(self, task: dict, now: datetime) -> None:
        links = self.hubspot.request("GET", f"/crm/v4/objects/tasks/{task['id']}/associations/contacts")["results"]
        if not links:
            return  # a task about no contact: nobody to reach
        created = datetime.fromisoformat(task["properties"]["hs_createdate"].replace("Z", "+00:00"))
        heapq.heappush(self._queue, Work(max(created, now) + self.response, task["id"],
                                         str(links[0]["toObjectId"]), task["properties"].get("hubspot_owner_id")
                                         or ""))

    def _work(self, work: Work, run: ScenarioRun, at: datetime) -> None:
        contact = self.hubspot.request("GET", f"/crm/v3/objects/contacts/{work.contact_id}",
                                       params={"properties": "email,lifecyclestage,hs_lead_status"})["properties"]
        user = self._users.get(contact.get("email") or "")
        if user is not None:
            run.sales_touch(user, at=max(at, run.now))
        changes = {"hs_lead_status": ACCEPTED_STATUS}
        if (contact.get("lifecyclestage") or "") in BEFORE_OPPORTUNITY:
            changes["lifecyclestage"] = "opportunity"
        self.hubspot.request("PATCH", f"/crm/v3/objects/tasks/{work.task_id}",
                             json_body={"properties": {"hs_task_status": "COMPLETED"}})
        self.hubspot.request("PATCH", f"/crm/v3/objects/contacts/{work.contact_id}", json_body={"properties": changes})
        deal = {"dealname": f"{contact.get('email')} (PQL)", "pipeline": "default", "dealstage": OPEN_STAGE}
        if work.owner_id:
            deal["hubspot_owner_id"] = work.owner_id
        created = self.hubspot.request("POST", "/crm/v3/objects/deals", json_body={"properties": deal, "associations": [
            {"to": {"id": work.contact_id},
             "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": DEAL_TO_CONTACT}]}]})
        self.deals[created["id"]] = self._open[created["id"]] = work.contact_id
        self.worked += 1

    def _close_won(self) -> None:
        ids = list(self._open.items())
        for chunk in range(0, len(ids), SEARCH_PAGE):
            batch = ids[chunk:chunk + SEARCH_PAGE]
            read = self.hubspot.request("POST", "/crm/v3/objects/contacts/batch/read", json_body={
                "properties": ["lifecyclestage"], "inputs": [{"id": contact} for _, contact in batch]})
            customers = {r["id"] for r in read["results"] if r["properties"].get("lifecyclestage") == "customer"}
            won = [deal for deal, contact in batch if contact in customers]
            if won:
                self.hubspot.request("POST", "/crm/v3/objects/deals/batch/update", json_body={"inputs": [
                    {"id": deal, "properties": {"dealstage": WON_STAGE}} for deal in won]})
                for deal in won:
                    del self._open[deal]
