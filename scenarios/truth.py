"""Ground truth of a run, for measuring a PQL model against: who each user and account really is and what they did.

`intent` is latent: the model's probability that the account upgrades, evaluated when the user signed up (the
analytic funnel of the segment's chain from where the account stood). `intent_now` is the same at the time of the
truth, so a scorer can tell a false positive from a lead that has not converted *yet* when the run stopped.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@functools.lru_cache(maxsize=4096)  # events come in time order: almost every lookup hits
def _hour(hour: int) -> str:
    return (EPOCH + timedelta(hours=hour)).strftime("%Y-%m-%dT%H:")


_MINUTES_SECONDS = tuple(f"{m:02d}:{s:02d}" for m in range(60) for s in range(60))
_MILLISECONDS = tuple(f".{ms:03d}Z" for ms in range(1000))


def iso_ms(epoch_ms: int) -> str:
    """`2026-03-02T09:13:22.123Z`, from tables: events are formatted by the million."""
    hour, ms = divmod(epoch_ms, 3_600_000)
    second, ms = divmod(ms, 1000)
    return _hour(hour) + _MINUTES_SECONDS[second] + _MILLISECONDS[ms]


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return iso_ms((moment - EPOCH) // timedelta(milliseconds=1))


@dataclass(frozen=True)
class SalesTouch:
    at: datetime
    response_minutes: float  # since the touched user's last product event
    upgrade_multiplier: float


@dataclass(frozen=True)
class UserTruth:
    user: str
    account: str
    segment: str
    icp: bool
    role: str  # "owner" signed up and decides on buying; "teammate" joined through an invitation
    signed_up_at: datetime
    intent: float  # P(account upgrades), as it stood when this user signed up
    upgraded: bool  # this user bought the plan
    account_upgraded_at: datetime | None
    stage: str  # where the user's journey is now (churned and inactive end it)
    stages: dict[str, datetime]  # when the user first entered each stage
    events: int
    sales_touches: list[SalesTouch] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"user": self.user, "account": self.account, "segment": self.segment, "icp": self.icp,
                "role": self.role, "signed_up_at": iso(self.signed_up_at), "intent": round(self.intent, 6),
                "upgraded": self.upgraded, "account_upgraded_at": iso(self.account_upgraded_at), "stage": self.stage,
                "stages": {stage: iso(at) for stage, at in self.stages.items()}, "events": self.events,
                "sales_touches": [{"at": iso(t.at), "response_minutes": round(t.response_minutes, 3),
                                   "upgrade_multiplier": t.upgrade_multiplier} for t in self.sales_touches]}


@dataclass(frozen=True)
class AccountTruth:
    account: str
    segment: str
    icp: bool
    owner: str
    users: int
    created_at: datetime
    intent: float  # P(upgrade) at signup
    intent_now: float  # P(upgrade) now: 1 once upgraded, 0 once the owner's journey ended without it
    upgraded_at: datetime | None
    upgraded_by: str | None
    plan: str | None
    seats: int
    arr: float
    churned_at: datetime | None

    def as_json(self) -> dict:
        return {"account": self.account, "segment": self.segment, "icp": self.icp, "owner": self.owner,
                "users": self.users, "created_at": iso(self.created_at), "intent": round(self.intent, 6),
                "intent_now": round(self.intent_now, 6), "upgraded_at": iso(self.upgraded_at),
                "upgraded_by": self.upgraded_by, "plan": self.plan, "seats": self.seats, "arr": self.arr,
                "churned_at": iso(self.churned_at)}


@dataclass(frozen=True)
class GroundTruth:
    at: datetime  # the run's time when the truth was taken
    users: list[UserTruth]
    accounts: list[AccountTruth]
