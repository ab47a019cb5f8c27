"""The sync core: product events in, HubSpot contacts, companies, deals, custom events and scores out.

    client = HubSpotClient("https://api.hubapi.com", "pat-...")
    sync = Sync(client, outbox=Outbox("state/outbox.sqlite"))     # model and mapping default to plg-default
    sync.ensure_schema()                                # properties and event definitions, idempotently
    sync.add_profiles(users=[...], accounts=[...])      # users.jsonl / accounts.jsonl rows: fit and companies
    sync.push(events, now)                              # events.jsonl rows; `now` is the time they are scored at
    sync.sweep(now)                                     # as time passes with no events: decay, windows
    sync.flush(now)                                     # at the end of a run: writes held back while catching up
    sync.summary                                        # SyncSummary: sent, upserted, skipped, dead-lettered...
    sync.explain(email, now)                            # a contact's score, every rule, reasons (no HubSpot call)

`push` records every event in the outbox before anything is sent, scores it (the incremental scorer), applies
the mapping (trial_started -> trial_status=Active, ...), then writes, in this order: contacts (batch upsert by
email, 100 a batch, only the properties that changed since HubSpot last acknowledged them; the score, grade,
reasons, and the lifecycle stage when a threshold is crossed upward), companies (by domain, with the account
score), deals for upgrades (closed won, amount = ARR, upserted by the billing subscription id), associations, and
last the custom events (500 a batch, `uuid` = the event's own id, so HubSpot drops a repeat).

Restart: the outbox knows what was sent. Feeding the same file again rebuilds the scores from the events (pure),
holds contact writes back while every event in a push is already known (catching up: intermediate states are not
re-sent), and sends only what HubSpot never acknowledged. A re-run with unchanged data sends no writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scoring.batches import deliver, reason
from scoring.client import HubSpotClient, HubSpotError
from scoring.engine import Scorer, to_seconds
from scoring.scores import Score, account_score, from_iso
from scoring.mapping import SyncMapping, load_mapping
from scoring.model import ScoreModel, load_model
from scoring.outbox import Outbox
from scoring.schema import ensure_schema

CONTACT_BATCH = 100  # HubSpot batch limit for CRM objects
EVENT_BATCH = 500  # HubSpot: send/batch takes at most 500 occurrences
LIFECYCLE = ("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer",
             "evangelist")  # HubSpot's default stages in order; the sync only ever moves a contact forward
CLOSED_WON = ("default", "closedwon")  # HubSpot's default sales pipeline and its closed-won stage


@dataclass
class SyncSummary:
    events_seen: int = 0
    events_sent: int = 0
    events_dead: int = 0
    contacts_upserted: int = 0
    companies_upserted: int = 0
    deals_upserted: int = 0
    associations: int = 0
    skipped_unchanged: int = 0
    records_dead: int = 0
    refused_batches: int = 0


@dataclass
class _Contact:
    email: str
    account: str | None = None
    user: Mapping[str, Any] = field(default_factory=dict)
    mapped: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    top_stage: int = 0


@dataclass
class _Account:
    row: Mapping[str, Any]
    emails: set[str] = field(default_factory=set)
    deal: dict[str, str] | None = None
    buyer: str | None = None


class Sync:
    def __init__(self, client: HubSpotClient, *, model: ScoreModel | None = None, mapping: SyncMapping | None = None,
                 outbox: Outbox | None = None, send_events: bool = True, workers: int = 4):
        self.client = client
        self.model = model or load_model()
        self.mapping = mapping or load_mapping()
        self.outbox = outbox or Outbox()
        self.send_events = send_events
        self.workers = workers  # batches in flight at once: the client's limiter paces them all
        self.scorer = Scorer(self.model)
        self.summary = SyncSummary()
        self.event_names: dict[str, str] = {}
        self._contacts: dict[str, _Contact] = {}
        self._accounts: dict[str, _Account] = {}
        self._held: set[str] = set()  # contacts changed while catching up, written at the next live push or flush

    # -- setup ----------------------------------------------------------------------------------------------

    def ensure_schema(self) -> dict[str, str]:
        self.event_names = ensure_schema(self.client, self.mapping, send_events=self.send_events)
        return self.event_names

    def add_profiles(self, users: Iterable[Mapping[str, Any]] = (), accounts: Iterable[Mapping[str, Any]] = ()
                     ) -> None:
        for row in accounts:
            self._accounts[row["account"]] = _Account(row)
        for row in users:
            contact = self._contact(row["email"])
            contact.user, contact.account = row, row.get("account")
            self._rescore_profile(contact)

    # -- the day's work -------------------------------------------------------------------------------------

    def push(self, events: Iterable[Mapping[str, Any]], now: datetime) -> None:
        rows, seen = [], set()
        for row in events:  # a repeated id: the first wins, as HubSpot keeps the first occurrence of a uuid
            if row["id"] not in seen:
                seen.add(row["id"])
                rows.append(row)
        verdicts = self.outbox.record_events([(row["id"], self._event_body(row)) for row in rows])
        live: set[str] = set()
        for row in rows:
            verdict = verdicts[row["id"]]
            if verdict == "repeat":
                continue
            self.summary.events_seen += 1
            email = self._observe(row)
            (self._held if verdict == "replay" else live).add(email)
        catching_up = not live
        swept = self.scorer.sweep(to_seconds(now))
        if catching_up:
            self._held.update(swept)
            return
        self._write(live | self._held | set(swept), now)
        self._held.clear()

    def sweep(self, now: datetime) -> None:
        """Time passed: re-apply decay and window expiry, and write the scores that changed."""
        self._write(set(self.scorer.sweep(to_seconds(now))) | self._held, now)
        self._held.clear()

    def flush(self, now: datetime) -> None:
        """Write what was held back while catching up, and send any events still pending."""
        self.sweep(now)
        self._send_events()

    def replay_dead_letters(self, now: datetime) -> int:
        """Send the dead-lettered events and records again (after the cause was fixed); answers how many."""
        letters = self.outbox.dead_letters()
        revived = self.outbox.revive_events()
        self.outbox.forget_dead([(letter.kind, letter.key) for letter in letters if letter.kind != "event"])
        for letter in letters:
            self._held.update(self._emails_behind(letter.kind, letter.key))
        self.flush(now)
        return revived + sum(1 for letter in letters if letter.kind != "event")

    def explain(self, email: str, now: datetime) -> Score:
        """A contact's score at `now` as the sync computes it (what it writes, and why)."""
        return self.scorer.explain(email.strip().lower(), to_seconds(now))

    def _emails_behind(self, kind: str, key: str) -> set[str]:
        """The contacts whose next write re-sends a dead-lettered record."""
        if kind == "contact" or kind.startswith("assoc:"):
            email = key.removeprefix("contact:")
            return {email} if email in self._contacts else set()
        if kind == "deal":
            account = self._accounts.get(key.removeprefix("deal:"))
            return set(account.emails) if account else set()
        if kind == "company":
            return {e for a in self._accounts.values() if a.row.get("domain") == key for e in a.emails}
        return set()

    # -- scoring and mapping --------------------------------------------------------------------------------

    def _contact(self, email: str) -> _Contact:
        email = email.strip().lower()
        contact = self._contacts.get(email)
        if contact is None:
            contact = self._contacts[email] = _Contact(email)
            self.scorer.set_profile(email, {"email_domain": email.rpartition("@")[2]})
        return contact

    def _rescore_profile(self, contact: _Contact) -> None:
        account = self._accounts.get(contact.account or "")
        self.scorer.set_profile(contact.email, profile_of(contact.email, contact.user, account.row if account else {}))
        if account:
            account.emails.add(contact.email)

    def _observe(self, row: Mapping[str, Any]) -> str:
        contact = self._contact(row["email"])
        if contact.account is None and row.get("account"):
            contact.account = row["account"]
            self._rescore_profile(contact)
        name, properties = row["event"], row.get("properties") or {}
        state = self.scorer.observe(contact.email, name, to_seconds(from_iso(row["timestamp"])), properties)
        contact.mapped.update(self.mapping.effects(name, properties, row["timestamp"], contact.counts))
        if state.stage > contact.top_stage:
            self._entered(contact, state.stage, row["timestamp"])
        event = self.mapping.events.get(name)
        if event is not None and event.billing == "upgrade" and contact.account in self._accounts:
            account = self._accounts[contact.account]
            account.buyer = contact.email
            account.deal = {"plan": str(properties.get("plan", "")), "arr": _number(properties.get("arr", 0)),
                            "seats": _number(properties.get("seats", 0)), "closedate": row["timestamp"]}
        return contact.email

    def _entered(self, contact: _Contact, stage_index: int, when: str) -> None:
        """A threshold crossed upward: the lifecycle stage moves with it (forward only), and entering the top
        stage (PQL) is stamped. Done as the events are scored, so a replay decides exactly as the first run."""
        contact.top_stage = stage_index
        stage = self.model.stages[stage_index]
        if stage.lifecycle_stage and _rank(stage.lifecycle_stage) > _rank(contact.mapped.get("lifecyclestage")):
            contact.mapped["lifecyclestage"] = stage.lifecycle_stage
        if stage_index == len(self.model.stages) - 1 and "pql_entered_at" not in contact.mapped:
            contact.mapped["pql_entered_at"] = when

    def _event_body(self, row: Mapping[str, Any]) -> dict[str, Any] | None:
        event = self.mapping.events.get(row["event"])
        if not self.send_events or event is None or not event.send:
            return None
        return {"name": row["event"], "email": row["email"].strip().lower(), "occurredAt": row["timestamp"],
                "properties": self.mapping.event_properties(row["event"], row.get("properties") or {}),
                "uuid": row["id"]}

    def _contact_properties(self, contact: _Contact, now: datetime) -> dict[str, str]:
        result = self.scorer.explain(contact.email, to_seconds(now))
        props = {prop: str(contact.user[field_]) for field_, prop in self.mapping.user_fields.items()
                 if contact.user.get(field_) not in (None, "")}
        props |= contact.mapped
        props |= {"email": contact.email, "pql_score": _int(result.total), "pql_fit_score": _int(result.fit),
                  "pql_engagement_score": _int(result.engagement), "pql_label": result.stage,
                  "pql_grade": result.grade, "pql_reasons": result.reasons}
        return props

    # -- writing --------------------------------------------------------------------------------------------

    def _write(self, emails: set[str], now: datetime) -> None:
        self._upsert("contacts", "contact", "email",
                     {e: self._contact_properties(self._contacts[e], now) for e in sorted(emails)})
        accounts = sorted({self._contacts[e].account for e in emails} - {None} & set(self._accounts))
        companies = {}
        deals = {}
        for account_id in accounts:
            account = self._accounts[account_id]
            if account.row.get("domain"):
                companies[account.row["domain"]] = self._company_properties(account)
            if account.deal is not None:
                deals[account_id] = self._deal_properties(account_id, account)
        self._upsert("companies", "company", "domain", companies)
        self._upsert("deals", "deal", "billing_subscription_id", deals)
        self._associate(emails, accounts)
        self._send_events()

    def _company_properties(self, account: _Account) -> dict[str, str]:
        engagements = [self.scorer.current(e).engagement for e in sorted(account.emails) if e in self.scorer]
        result = account_score(self.model, account.row, engagements)
        props = {prop: _text(account.row[field_]) for field_, prop in self.mapping.account_fields.items()
                 if account.row.get(field_) not in (None, "")}
        props |= {"account_score": _int(result.total), "account_grade": result.grade}
        if account.deal:
            props |= {"product_plan": account.deal["plan"], "product_arr": account.deal["arr"],
                      "product_seats": account.deal["seats"], "lifecyclestage": "customer"}
        return props

    def _deal_properties(self, account_id: str, account: _Account) -> dict[str, str]:
        deal = account.deal or {}
        name = account.row.get("name") or account_id
        return {"billing_subscription_id": account_id, "dealname": f"{name} - {deal['plan']}", "amount": deal["arr"], "pipeline": CLOSED_WON[0],
                "dealstage": CLOSED_WON[1], "closedate": deal["closedate"]}

    def _upsert(self, object_type: str, kind: str, id_property: str, desired: Mapping[str, Mapping[str, str]]
                ) -> None:
        """Batch upserts of what changed since HubSpot last acknowledged it; refused records dead-lettered."""
        if not desired:
            return
        keys = list(desired)
        known = self.outbox.written_many(kind, keys)
        ids = self.outbox.ids_many(kind, keys)
        dead = self.outbox.dead_keys(kind, keys)  # until replayed: retrying a refused record cannot help
        changes = []
        for key, props in desired.items():
            before = known.get(key, {})
            changed = {k: v for k, v in props.items() if before.get(k) != v}
            if key in dead:
                continue
            if changed or key not in ids:
                changes.append((key, changed or {id_property: key}))
            else:
                self.summary.skipped_unchanged += 1
        if not changes:
            return
        counter = f"{object_type}_upserted"

        def send(batch: Sequence[tuple[str, dict[str, str]]]) -> Any:
            return self.client.request("POST", f"/crm/v3/objects/{object_type}/batch/upsert", json_body={
                "inputs": [{"id": key, "idProperty": id_property, "properties": props} for key, props in batch]})

        def accepted(batch: Sequence[tuple[str, dict[str, str]]], answer: Any) -> None:
            ids = {}
            for result in (answer or {}).get("results", []):
                value = (result.get("properties") or {}).get(id_property)
                if value is not None:
                    ids[str(value).lower() if id_property == "email" else str(value)] = result["id"]
            self.outbox.acknowledge(kind, dict(batch), ids)
            setattr(self.summary, counter, getattr(self.summary, counter) + len(batch))

        def refused(item: tuple[str, dict[str, str]], error: HubSpotError) -> None:
            self.outbox.bury(kind, item[0], {"properties": item[1]}, reason(error))
            self.summary.records_dead += 1

        self.summary.refused_batches += deliver(changes, CONTACT_BATCH, send, accepted, refused,
                                               workers=self.workers)

    def _associate(self, emails: set[str], accounts: Sequence[str]) -> None:
        pairs: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        for email in sorted(emails):
            account = self._accounts.get(self._contacts[email].account or "")
            if account and account.row.get("domain"):
                pairs.setdefault(("contacts", "companies"), []).append(
                    (f"contact:{email}", self.outbox.id_of("contact", email) or "",
                     self.outbox.id_of("company", account.row["domain"]) or ""))
        for account_id in accounts:
            account = self._accounts[account_id]
            deal_id = self.outbox.id_of("deal", account_id)
            if account.deal is None or not deal_id:
                continue
            if account.buyer:
                pairs.setdefault(("deals", "contacts"), []).append(
                    (f"deal:{account_id}", deal_id, self.outbox.id_of("contact", account.buyer) or ""))
            if account.row.get("domain"):
                pairs.setdefault(("deals", "companies"), []).append(
                    (f"deal:{account_id}", deal_id, self.outbox.id_of("company", account.row["domain"]) or ""))
        for (from_type, to_type), links in pairs.items():
            kind = f"assoc:{to_type}"
            known = self.outbox.written_many(kind, [key for key, _, _ in links])
            todo = [(key, a, b) for key, a, b in links if a and b and known.get(key, {}).get("to") != b]
            if not todo:
                continue

            def send(batch: Sequence[tuple[str, str, str]], path=f"/crm/v4/associations/{from_type}/{to_type}"
                     "/batch/associate/default") -> Any:
                return self.client.request("POST", path, json_body={
                    "inputs": [{"from": {"id": a}, "to": {"id": b}} for _, a, b in batch]})

            def accepted(batch: Sequence[tuple[str, str, str]], answer: Any, kind: str = kind) -> None:
                self.outbox.acknowledge(kind, {key: {"to": b} for key, _, b in batch})
                self.summary.associations += len(batch)

            def refused(item: tuple[str, str, str], error: HubSpotError, kind: str = kind) -> None:
                self.outbox.bury(kind, item[0], {"from": item[1], "to": item[2]}, reason(error))
                self.summary.records_dead += 1

            self.summary.refused_batches += deliver(todo, CONTACT_BATCH, send, accepted, refused,
                                                   workers=self.workers)

    def _send_events(self) -> None:
        if not self.send_events:
            return
        while True:
            pending = self.outbox.pending_events(EVENT_BATCH * 4)
            if not pending:
                return

            def send(batch: Sequence[tuple[str, dict[str, Any]]]) -> Any:
                return self.client.request("POST", "/events/v3/send/batch", json_body={"inputs": [
                    {"eventName": self.event_names[body["name"]], "email": body["email"],
                     "occurredAt": body["occurredAt"], "properties": body["properties"], "uuid": body["uuid"]}
                    for _, body in batch]})

            def accepted(batch: Sequence[tuple[str, dict[str, Any]]], answer: Any) -> None:
                self.outbox.mark_sent([event_id for event_id, _ in batch])
                self.summary.events_sent += len(batch)

            def refused(item: tuple[str, dict[str, Any]], error: HubSpotError) -> None:
                self.outbox.mark_dead(item[0], reason(error))
                self.summary.events_dead += 1

            self.summary.refused_batches += deliver(pending, EVENT_BATCH, send, accepted, refused,
                                                   workers=self.workers)


def profile_of(email: str, user: Mapping[str, Any], account: Mapping[str, Any]) -> dict[str, Any]:
    """What fit rules read: the account's fields (industry, employees, ...), the user's over them (job_title,
    region, ...), and the email's domain."""
    return {**account, **user, "email_domain": email.strip().lower().rpartition("@")[2]}


def _rank(stage: str | None) -> int:
    return LIFECYCLE.index(stage) if stage in LIFECYCLE else -1


def _int(value: float) -> str:
    return str(int(round(value)))


def _number(value: Any) -> str:
    number = float(value or 0)
    return str(int(number)) if number.is_integer() else f"{number:.2f}"


def _text(value: Any) -> str:
    return _number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
