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
    return None if moment is None else iso_ms((moment - EPOCH) // timedelta(milliseconds=1))


def moment(epoch_ms: int | None) -> datetime | None:
    return None if epoch_ms is None else EPOCH + timedelta(milliseconds=epoch_ms)


def _iso(epoch_ms: int | None) -> str | None:
    return None if epoch_ms is None else iso_ms(epoch_ms)


@dataclass(frozen=True)
class SalesTouch:
    at: datetime
    response_minutes: float  # since the touched user's last product event
    upgrade_multiplier: float


# Times are kept as epoch milliseconds (a 100k-user truth is written out in seconds, not minutes) and read as
# datetimes through the properties.
@dataclass(slots=True)
class UserTruth:
    user: str
    account: str
    segment: str
    icp: bool
    role: str  # "owner" signed up and decides on buying; "teammate" joined through an invitation
    intent: float  # P(account upgrades), as it stood when this user signed up
    upgraded: bool  # this user bought the plan
    stage: str  # where the user's journey is now (churned and inactive end it)
    events: int
    signed_up_ms: int
    account_upgraded_ms: int | None
    stages_ms: dict[str, int]  # when the user first entered each stage
    sales_touches: list[SalesTouch] = field(default_factory=list)

    @property
    def signed_up_at(self) -> datetime:
        return moment(self.signed_up_ms)

    @property
    def account_upgraded_at(self) -> datetime | None:
        return moment(self.account_upgraded_ms)

    @property
    def stages(self) -> dict[str, datetime]:
        return {stage: moment(ms) for stage, ms in self.stages_ms.items()}

    def as_json(self) -> dict:
        return {"user": self.user, "account": self.account, "segment": self.segment, "icp": self.icp,
                "role": self.role, "signed_up_at": iso_ms(self.signed_up_ms), "intent": round(self.intent, 6),
                "upgraded": self.upgraded, "account_upgraded_at": _iso(self.account_upgraded_ms),
                "stage": self.stage, "stages": {stage: iso_ms(ms) for stage, ms in self.stages_ms.items()},
                "events": self.events,
                "sales_touches": [{"at": iso(t.at), "response_minutes": round(t.response_minutes, 3),
                                   "upgrade_multiplier": t.upgrade_multiplier} for t in self.sales_touches]}


@dataclass(slots=True)
class AccountTruth:
    account: str
    segment: str
    icp: bool
    owner: str
    users: int
    intent: float  # P(upgrade) at signup
    intent_now: float  # P(upgrade) now: 1 once upgraded, 0 once the owner's journey ended without it
    upgraded_by: str | None
    plan: str | None
    seats: int
    arr: float
    created_ms: int
    upgraded_ms: int | None
    churned_ms: int | None

    @property
    def created_at(self) -> datetime:
        return moment(self.created_ms)

    @property
    def upgraded_at(self) -> datetime | None:
        return moment(self.upgraded_ms)

    @property
    def churned_at(self) -> datetime | None:
        return moment(self.churned_ms)

    def as_json(self) -> dict:
        return {"account": self.account, "segment": self.segment, "icp": self.icp, "owner": self.owner,
                "users": self.users, "created_at": iso_ms(self.created_ms), "intent": round(self.intent, 6),
                "intent_now": round(self.intent_now, 6), "upgraded_at": _iso(self.upgraded_ms),
                "upgraded_by": self.upgraded_by, "plan": self.plan, "seats": self.seats, "arr": self.arr,
                "churned_at": _iso(self.churned_ms)}


@dataclass(frozen=True)
class GroundTruth:
    at: datetime  # the run's time when the truth was taken
    users: list[UserTruth]
    accounts: list[AccountTruth]
