"""Seeded, steppable PLG journeys: a scenario played as a time-ordered stream of product events.

Discrete-event simulation, eventsim style: a heap of users keyed on their next event time; the earliest emits one
event and goes back in. Nothing is drawn ahead of the clock but the current session's events, so a run can be
stepped day by day, and a sales touch at time t changes the decisions taken after t.

Every random draw is a pure function of (seed, user, session, purpose): one `Random` is reseeded per draw site.
Runs are byte-identical however they are stepped, and interventions get common random numbers: a touch on one
account changes nothing for anyone else. Pure data: no I/O, no clock reads; time starts at the given `start`.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import random
from array import array
from collections.abc import Iterator
from datetime import datetime, timedelta

from scenarios.events import Event, Properties, milestone_properties, session_properties
from scenarios.funnel import adjust_next
from scenarios.model import ABSORBING, MILESTONES, ORDER, Scenario
from scenarios.providers import Company, Country, Identities, Person, Weights
from scenarios.segments import Journey, Segment
from scenarios.timing import DAY, Seasonality, arrival_time, geometric, lognormal_multiplier, poisson
from scenarios.truth import EPOCH, AccountTruth, GroundTruth, SalesTouch, UserTruth, iso_ms

_NEVER = array("d", [-1.0] * len(ORDER))  # when a user entered each stage; -1: not (yet)
_INF = math.inf
Pending = tuple[float, str, Properties]  # an event drawn but not yet due: (time, name, properties)


# Slotted and lean: a 100k-user run keeps every user and account for the ground truth.
class Account:
    __slots__ = ("id", "number", "segment", "company", "name", "country", "utc_offset", "email_kind", "created_at",
                 "owner", "users", "next_member", "multiplier", "plan", "seats", "arr", "upgraded_at",
                 "upgraded_by", "churned_at", "intent")


class User:
    __slots__ = ("id", "member", "order", "account", "account_id", "journey", "person", "email", "source",
                 "invited_by", "frequency", "intensity", "stage", "entered", "pending", "cursor", "session",
                 "decision", "events", "last_event_at", "intent", "touches")


class ScenarioRun:
    """A scenario being played. Iterate `advance(until)` or `step_day()` for events in time order; call
    `sales_touch(user_id, at=...)` between events to intervene; `ground_truth()` at any time.

    `users` organic signups arrive over `days` days from `start`; advancing past the end keeps playing the
    journeys of those already signed up."""

    def __init__(self, scenario: Scenario, *, users: int | None = None, days: int | None = None, seed: int = 0,
                 start: datetime | None = None) -> None:
        if seed < 0:
            raise ValueError("seed must be a non-negative integer")
        start = start or scenario.start
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")  # a naive time would be read in the machine's zone
        self.scenario, self.seed = scenario, seed
        self._start_ms = (start - EPOCH) // timedelta(milliseconds=1)  # times are whole milliseconds, like events'
        self.start = EPOCH + timedelta(milliseconds=self._start_ms)
        self.days = days or scenario.days
        self.end = self.start + timedelta(days=self.days)
        self._rng = random.Random()
        self._identities = Identities(seed)
        sessions = scenario.sessions
        self._season = Seasonality(sessions.diurnal, sessions.weekly, self._start_ms / 1000)
        self._min_gap, self._event_gap = sessions.min_gap_minutes * 60, sessions.event_gap_seconds
        self._session_properties = session_properties(scenario.plans)
        self._milestone_properties = milestone_properties(scenario.plans)
        self._segments = Weights({Segment(scenario, name): s.weight for name, s in scenario.segments.items()})
        self._teammate = Journey(scenario, "teammate", scenario.teammate)
        self._t = 0.0
        self._heap: list[tuple[float, int, User]] = []  # (when next due, User.order, user)
        self._touches: list[tuple[float, int, User]] = []
        self._touch_order = itertools.count()
        self._users: dict[str, User] = {}
        self._accounts: list[Account] = []
        self._arrivals = self._draw_arrivals(users or scenario.users)
        self._next_arrival = 0

    # -- the public face ---------------------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        return self._moment(self._t)

    def advance(self, until: datetime) -> Iterator[Event]:
        """Events with timestamps in [now, until), in time order. Lazy: the caller may intervene between events
        (one `advance` at a time; stopping early leaves the run at the last event taken)."""
        limit = (until - self.start).total_seconds()
        if limit < self._t:
            raise ValueError(f"the run is at {self.now.isoformat()}; it cannot go back to {until.isoformat()}")
        heap, touches, arrivals = self._heap, self._touches, self._arrivals
        heappop, heapreplace, start_ms = heapq.heappop, heapq.heapreplace, self._start_ms
        arrival = self._next_arrival_time()
        while True:  # once per event: kept lean
            t = heap[0][0] if heap else _INF
            if touches and touches[0][0] <= min(arrival, t):  # on ties: touches, then signups, then events
                if touches[0][0] >= limit:
                    break
                self._t, _, user = heappop(touches)
                self._apply_touch(user)
            elif arrival <= t:
                if arrival >= limit:
                    break
                self._t = arrival
                signup, arrivals[self._next_arrival] = arrivals[self._next_arrival], None  # done with it
                self._next_arrival += 1
                self._sign_up_owner(*signup)
                arrival = self._next_arrival_time()
            else:
                if t >= limit:
                    break
                self._t = t
                user = heap[0][2]
                pending = user.pending
                _, name, properties = pending[user.cursor]
                user.cursor += 1
                if name == "signed_up" and not self._register(user, t):
                    heappop(heap)
                    continue
                user.events += 1
                user.last_event_at = t
                event = Event(user, user.events, name, start_ms + int(t * 1000), properties)
                # The user stays at the root while stepping: anyone pushed meanwhile (teammates) is due later.
                due = pending[user.cursor][0] if user.cursor < len(pending) else self._session_over(user, t)
                if due is None:
                    heappop(heap)
                else:
                    heapreplace(heap, (due, user.order, user))
                yield event
        self._t = limit

    def step_day(self) -> Iterator[Event]:
        return self.advance(self.now + timedelta(days=1))

    def run(self) -> Iterator[Event]:
        """All events from now to the end of the run: offline generation is stepping with no interventions."""
        return self.advance(self.end)

    def sales_touch(self, user_id: str, *, at: datetime) -> None:
        """A sales rep reaches `user_id` at `at` (not before now). From then on the account's upgrade propensity is
        multiplied by the scenario's `sales_touch_effect` for the time since the user's last product event."""
        user = self._users.get(user_id)
        if user is None:
            raise KeyError(f"no user {user_id!r} has signed up yet")
        t = (at - self.start).total_seconds()
        if at < self.now:
            raise ValueError(f"a touch at {at.isoformat()} is in the past of the run ({self.now.isoformat()})")
        heapq.heappush(self._touches, (max(t, self._t), next(self._touch_order), user))

    def users(self) -> Iterator[dict]:
        """Profiles of everyone signed up so far, as the product's database has them, in signup order."""
        return map(self._user_profile, self._users.values())

    def user(self, user_id: str) -> dict:
        if user_id not in self._users:
            raise KeyError(f"no user {user_id!r} has signed up yet")
        return self._user_profile(self._users[user_id])

    def account(self, account_id: str) -> dict:
        """One account's profile, as `accounts` lists it (ids are acc_<number>, numbered in creation order)."""
        digits = account_id.removeprefix("acc_")
        number = int(digits) if digits.isdigit() and account_id.startswith("acc_") else 0
        if not 0 < number <= len(self._accounts):
            raise KeyError(f"no account {account_id!r} has been created yet")
        return self._account_profile(self._accounts[number - 1])

    def accounts(self) -> Iterator[dict]:
        """Accounts (workspaces) created so far, with their company and billing state, in creation order."""
        return map(self._account_profile, self._accounts)

    def ground_truth(self) -> GroundTruth:
        return GroundTruth(at=self.now, users=list(self.user_truths()), accounts=list(self.account_truths()))

    def user_truths(self) -> Iterator[UserTruth]:
        """The users' ground truth one at a time (what `ground_truth` lists), for writing out large runs."""
        return map(self._user_truth, self._users.values())

    def account_truths(self) -> Iterator[AccountTruth]:
        return map(self._account_truth, self._accounts)

    # -- arrivals and signups ----------------------------------------------------------------------------------

    def _next_arrival_time(self) -> float:
        return self._arrivals[self._next_arrival][0] if self._next_arrival < len(self._arrivals) else _INF

    def _stream(self, account: int, member: int, purpose: int) -> random.Random:
        """The Random for one draw site; account 0 is the run's own (arrivals)."""
        self._rng.seed(((self.seed << 40 | account) << 10 | member) << 22 | purpose)
        return self._rng

    def _draw_arrivals(self, count: int) -> list[tuple[float, Segment, Country, float]]:
        rng = self._stream(0, 0, 0)
        season = Seasonality(self.scenario.arrivals.diurnal, self.scenario.arrivals.weekly, self._start_ms / 1000)
        arrivals = []
        for _ in range(count):
            segment = self._segments.pick(rng)
            country, offset = self._identities.country(rng, segment.regions.pick(rng))
            t = arrival_time(rng, season, self.days * DAY, self.scenario.arrivals.monthly_growth, offset)
            arrivals.append((t, segment, country, offset))
        arrivals.sort(key=lambda arrival: arrival[0])
        return arrivals

    def _sign_up_owner(self, t: float, segment: Segment, country: Country, utc_offset: float) -> None:
        account = Account()
        account.number = len(self._accounts) + 1
        rng = self._stream(account.number, 1, 0)
        account.email_kind = segment.email.pick(rng)
        company: Company | None = None
        if account.email_kind == "competitor":
            company = self._identities.competitor(rng)
        elif segment.sizes is not None:
            company = self._identities.company(rng, country, segment.sizes, segment.chain.company.icp_industry_share)
        account.id, account.segment, account.company = f"acc_{account.number:06d}", segment, company
        account.country, account.utc_offset, account.created_at = country, utc_offset, t
        account.users, account.next_member, account.multiplier = 0, 2, 1.0
        account.plan, account.seats, account.arr = None, 0, 0.0
        account.upgraded_at = account.upgraded_by = account.churned_at = None
        person = self._identities.person(rng, country, segment.personas.pick(rng), account.email_kind,
                                         company.domain if company else None)
        account.name = company.name if company else f"{person.first_name} {person.last_name}'s workspace"
        account.intent = segment.upgrade_probability("signed_up", 1.0)
        account.owner = self._new_user(account, 1, person, rng, t, source="organic", invited_by=None)
        self._accounts.append(account)

    def _new_user(self, account: Account, member: int, person: Person, rng: random.Random, t: float, *,
                  source: str, invited_by: str | None) -> User:
        user = User()
        user.id, user.member, user.account = f"usr_{account.number:06d}_{member}", member, account
        user.order = account.number << 10 | member  # breaks heap ties: unique, whatever the stepping
        user.person, user.email, user.account_id = person, person.email, account.id
        user.journey = account.segment if member == 1 else self._teammate
        user.source, user.invited_by = source, invited_by
        sigma = self.scenario.sessions.heterogeneity
        user.frequency, user.intensity = lognormal_multiplier(rng, sigma), lognormal_multiplier(rng, sigma)
        user.stage, user.entered, user.session, user.events = "signed_up", array("d", _NEVER), 0, 0
        user.last_event_at = t
        user.intent, user.touches = account.intent, None  # a teammate's intent is the account's when they join
        heapq.heappush(self._heap, (self._schedule_session(user, t, first=rng), user.order, user))
        return user

    def _invite(self, owner: User, t: float, rng: random.Random) -> list[Pending]:
        """Invitations sent on starting to collaborate; the accepted ones sign up later as teammates."""
        account, team = owner.account, owner.journey.chain.team
        employees = account.company.employees if account.company else 50
        count = min(1 + poisson(rng, team.invites - 1), max(1, employees - 1), 20)
        # The inviter's stream decides everything before the invitees' own streams are touched.
        invitations = []
        for _ in range(count):
            t += rng.expovariate(1 / 20)
            accepted = rng.random() < team.acceptance
            invitations.append((t, accepted, t + rng.expovariate(1 / (team.join_delay_hours * 3600))))
        items: list[Pending] = []
        for sent_at, accepted, joins_at in invitations:
            member, account.next_member = account.next_member, account.next_member + 1  # at most 21: 10 bits
            invitee = self._stream(account.number, member, 0)
            person = self._identities.person(invitee, account.country, self._teammate.personas.pick(invitee),
                                             account.email_kind, account.company.domain if account.company else None)
            if accepted:
                self._new_user(account, member, person, invitee, joins_at, source="invited", invited_by=owner.id)
            items.append((sent_at, "teammate_invited", ({"invitee_email": person.email}, None)))
        return items

    # -- journeys ----------------------------------------------------------------------------------------------

    def _schedule_session(self, user: User, after: float, *, first: random.Random | None = None) -> float:
        """Draw the user's next session and the uniform that decides where it leads; returns when it starts.
        The signup session is drawn from `first`, the user's identity stream, whose draws it continues."""
        user.session += 1
        rng = first or self._stream(user.account.number, user.member, 2 * user.session - 1)
        stage = user.journey.stages[user.stage]
        if first:
            t = after
            signup = {"source": user.source, "invited_by": user.invited_by} if user.invited_by else {
                "source": user.source}
            items: list[Pending] = [(t, "signed_up", (signup, None))]
        else:
            t = self._season.next_time(rng, after + self._min_gap, stage.sessions_per_day * user.frequency,
                                       user.account.utc_offset)
            items = [(t, "logged_in", self._session_properties["logged_in"][0])]
        random_, log, gap = rng.random, math.log, self._event_gap
        names, cumulative, properties = stage.event_names, stage.event_cum, self._session_properties
        for _ in range(geometric(rng, stage.events_per_session * user.intensity)):
            t -= log(1.0 - random_()) * gap  # exponential think time
            name = names[bisect.bisect_right(cumulative, random_() * cumulative[-1])]
            variants = properties[name]
            items.append((t, name, variants[int(random_() * len(variants))]))
        user.pending, user.cursor, user.decision = items, 0, random_()
        return items[0][0]

    def _register(self, user: User, t: float) -> bool:
        """A signup. False when the workspace an invitation came from was deleted before it was accepted."""
        account = user.account
        if account.churned_at is not None and user is not account.owner:
            user.pending = ()
            return False
        self._users[user.id] = user
        account.users += 1
        user.entered[0] = t
        if user is not account.owner:
            user.intent = self._account_intent(account)
        return True

    def _session_over(self, user: User, t: float) -> float | None:
        """The user's drawn events are all out: decide where the session led (once), then draw what comes next.
        Returns when the user is next due, None when their journey has ended."""
        if user.decision is not None:
            u, user.decision = user.decision, None
            milestones = self._decide(user, t, u)
            if milestones:
                user.pending, user.cursor = milestones, 0
                return milestones[0][0]
        if user.stage in ABSORBING:
            user.pending = ()  # keep nothing of an ended journey but its truth
            return None
        return self._schedule_session(user, t)

    def _decide(self, user: User, t: float, u: float) -> list[Pending]:
        """Maybe move on to another stage, returning its milestone events."""
        account = user.account
        if account.churned_at is not None and user is not account.owner:
            return self._enter(user, "churned", t, silently=True)  # the workspace was deleted: teammates go too
        stage = user.journey.stages[user.stage]
        thresholds = stage.thresholds
        if self.scenario.shocks or account.multiplier != 1.0:
            nexts = adjust_next(stage.next, self._factors(user, t))
            thresholds = list(itertools.accumulate(nexts[target] for target in stage.order))
        moved = bisect.bisect_right(thresholds, u)
        if moved == len(stage.order):
            return []
        low = thresholds[moved - 1] if moved else 0.0
        # Where u fell inside its band is a fresh uniform: it picks the milestone's details without a reseed.
        return self._enter(user, stage.order[moved], t, spare=(u - low) / (thresholds[moved] - low))

    def _factors(self, user: User, t: float) -> dict[str, float]:
        factors: dict[str, float] = {}
        day = t / DAY
        for shock in self.scenario.shocks:
            if shock.from_day <= day < shock.to_day and user.stage in shock.stages:
                for target, factor in shock.multiply.items():
                    factors[target] = factors.get(target, 1.0) * factor
        if user.account.multiplier != 1.0 and user is user.account.owner:
            factors["customer"] = factors.get("customer", 1.0) * user.account.multiplier
        return factors

    def _enter(self, user: User, stage: str, t: float, *, spare: float = 0.0, silently: bool = False,
               ) -> list[Pending]:
        """Move the user to `stage`; returns its milestone events, their details drawn with `spare` (uniform)."""
        user.stage = stage
        if user.entered[ORDER[stage]] < 0:
            user.entered[ORDER[stage]] = t
        if stage == "inactive" or silently:
            return []
        account = user.account
        if stage == "collaborating":
            return self._invite(user, t, self._stream(account.number, user.member, 2 * user.session))
        if stage == "customer":
            plan = account.segment.plans.at(spare)
            account.plan, account.seats = plan, max(account.users, self.scenario.plans[plan].min_seats)
            account.arr = self.scenario.plans[plan].arr(account.seats)
            account.upgraded_at, account.upgraded_by = t, user.id
            return [(t, "upgraded", ({"plan": plan, "seats": account.seats, "arr": account.arr, "currency": "USD",
                                      "billing_period": "annual"}, None))]
        if stage == "churned":
            if user is account.owner:
                account.churned_at = t
            return [(t, "churned", ({"plan": account.plan or "free", "lost_arr": account.arr}, None))]
        variants = self._milestone_properties[stage]
        return [(t, MILESTONES[stage], variants[int(spare * len(variants))])]

    def _apply_touch(self, user: User) -> None:
        response = (self._t - user.last_event_at) / 60
        multiplier = self.scenario.touch_multiplier(response)
        user.touches = (user.touches or []) + [SalesTouch(self._moment(self._t), response, multiplier)]
        user.account.multiplier = max(user.account.multiplier, multiplier)  # touches do not compound

    # -- profiles and truth ------------------------------------------------------------------------------------

    def _account_intent(self, account: Account) -> float:
        owner = account.owner
        if account.upgraded_at is not None:
            return 1.0
        if owner.stage in ABSORBING:
            return 0.0
        return owner.journey.upgrade_probability(owner.stage, account.multiplier)

    def _user_profile(self, user: User) -> dict:
        person, account = user.person, user.account
        return {"user": user.id, "account": account.id, "email": person.email, "first_name": person.first_name,
                "last_name": person.last_name, "job_title": person.job_title, "seniority": person.seniority,
                "company": account.company.name if account.company else None, "country": account.country.name,
                "country_code": account.country.code, "region": account.country.region,
                "utc_offset": account.utc_offset, "signed_up_at": iso_ms(self._ms(user.entered[0])),
                "source": user.source, "invited_by": user.invited_by}

    def _account_profile(self, account: Account) -> dict:
        company = account.company
        return {"account": account.id, "name": account.name, "domain": company and company.domain,
                "industry": company and company.industry, "size_band": company and company.size_band,
                "employees": company and company.employees, "country": account.country.name,
                "country_code": account.country.code, "region": account.country.region, "owner": account.owner.id,
                "created_at": iso_ms(self._ms(account.created_at)), "users": account.users,
                "plan": account.plan or "free", "seats": account.seats, "arr": account.arr}

    def _user_truth(self, user: User) -> UserTruth:
        account, start_ms = user.account, self._start_ms
        return UserTruth(
            user=user.id, account=account.id, segment=account.segment.name, icp=account.segment.icp,
            role="owner" if user is account.owner else "teammate", intent=user.intent,
            upgraded=account.upgraded_by == user.id, stage=user.stage, events=user.events,
            signed_up_ms=self._ms(user.entered[0]), account_upgraded_ms=self._ms(account.upgraded_at),
            stages_ms={stage: start_ms + int(t * 1000) for stage, t in zip(ORDER, user.entered) if t >= 0},
            sales_touches=list(user.touches or ()))

    def _account_truth(self, account: Account) -> AccountTruth:
        return AccountTruth(
            account=account.id, segment=account.segment.name, icp=account.segment.icp, owner=account.owner.id,
            users=account.users, intent=account.intent, intent_now=self._account_intent(account),
            upgraded_by=account.upgraded_by, plan=account.plan, seats=account.seats, arr=account.arr,
            created_ms=self._ms(account.created_at), upgraded_ms=self._ms(account.upgraded_at),
            churned_ms=self._ms(account.churned_at))

    def _ms(self, t: float | None) -> int | None:
        """Run time (seconds since start) as epoch milliseconds, the resolution of every timestamp written."""
        return None if t is None else self._start_ms + int(t * 1000)

    def _moment(self, t: float) -> datetime:
        return EPOCH + timedelta(milliseconds=self._ms(t))
