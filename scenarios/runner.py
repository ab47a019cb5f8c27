"""Play product events into a HubSpot through the sync core, step by step, while the portal's clock keeps up.

Two sources: a live `ScenarioRun` (the demo: sales reps may touch users between steps) or a generated scenario
folder (`hubsim replay`: events.jsonl streamed, never held whole). Each step hands the sync core the events of one
window of simulated time with `now` at the window's end, after moving hubsim's clock there (`/_sim/clock`), so the
portal's lists and workflows see the writes at the time they would have happened. Against a real HubSpot there is
no clock to move: pass `clock=None` and the events keep their own timestamps (occurredAt).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

import httpx

from scenarios.journeys import ScenarioRun

STEP = timedelta(hours=2)  # fine enough for speed to lead in hours, coarse enough to batch the sync's writes


class Sink(Protocol):
    """What the runner needs of the sync core (scoring.sync.Sync)."""

    def ensure_schema(self) -> object: ...

    def add_profiles(self, users: Iterable[dict] = (), accounts: Iterable[dict] = ()) -> object: ...

    def push(self, events: Sequence[dict], now: datetime) -> object: ...

    def sweep(self, now: datetime) -> object: ...

    def flush(self, now: datetime) -> object: ...


class PortalClock:
    """hubsim's domain clock over its control API: frozen at the run's start, then only advanced, so each
    advance runs what fell due on the way (workflow delays, list time windows) in time order."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client
        self.now: datetime | None = None
        self.advanced = 0.0  # seconds advanced in all: hubsim's rate-limit windows moved as far (wall time + this)

    def start_at(self, moment: datetime) -> None:
        self._post({"freeze": True})
        self._post({"set": moment.isoformat()})
        self.now = moment

    def advance_to(self, moment: datetime) -> None:
        if self.now is not None and moment > self.now:
            seconds = (moment - self.now).total_seconds()
            self._post({"advance": seconds})
            self.now, self.advanced = moment, self.advanced + seconds

    def _post(self, command: dict) -> None:
        response = self._client.post("/_sim/clock", json=command)
        if response.status_code != 200:
            raise RuntimeError(f"hubsim refused to move its clock ({response.status_code}): {response.text[:300]}")


@dataclass
class Progress:
    now: datetime
    events: int
    days: int


class Interventions(Protocol):
    """Someone acting on the portal and the run between steps (the demo's sales reps)."""

    def before_step(self, start: datetime, end: datetime, run: ScenarioRun, clock: PortalClock | None) -> None: ...


class Player:
    def __init__(self, sink: Sink, *, clock: PortalClock | None = None, step: timedelta = STEP,
                 on_event: Callable[[object], None] | None = None,
                 progress: Callable[[Progress], None] | None = None) -> None:
        if step <= timedelta(0):
            raise ValueError("the step must be positive")
        self.sink, self.clock, self.step = sink, clock, step
        self._on_event, self._progress = on_event, progress
        self.events = 0
        self._accounts: set[str] = set()
        self._last_sweep: datetime | None = None

    def play_run(self, run: ScenarioRun, *, until: datetime | None = None,
                 interventions: Interventions | None = None) -> None:
        """The run from its now to `until` (its end), in steps; interventions act before each step."""
        until = until or run.end
        self._begin(run.now)
        while run.now < until:
            start, end = run.now, min(run.now + self.step, until)
            if interventions is not None:
                interventions.before_step(start, end, run, self.clock)
            batch, users, accounts = [], [], {}
            for event in run.advance(end):
                if self._on_event:
                    self._on_event(event)
                if event.event == "signed_up":  # the product's database has the profile from the signup on
                    users.append(run.user(event.user))
                    if event.account not in self._accounts:  # a teammate joins an account the sink knows
                        self._accounts.add(event.account)
                        accounts.setdefault(event.account, None)
                batch.append(event.as_dict())
            if users:
                self.sink.add_profiles(users=users, accounts=[run.account(a) for a in accounts])
            self._deliver(start, end, batch)
        self.sink.flush(run.now)

    def play_folder(self, folder: Path) -> None:
        """A generated scenario folder (events.jsonl and manifest.json, profiles from users.jsonl and
        accounts.jsonl), streamed step by step."""
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        start, end = (datetime.fromisoformat(manifest[key].replace("Z", "+00:00")) for key in ("start", "end"))
        self._begin(start)
        self.sink.add_profiles(users=_read_lines(folder / "users.jsonl"),
                               accounts=_read_lines(folder / "accounts.jsonl"))
        window_end, batch = start + self.step, []
        for event in _read_lines(folder / "events.jsonl"):
            at = datetime.fromisoformat(event["timestamp"].replace("Z", "+00:00"))
            while at >= window_end:
                self._deliver(window_end - self.step, window_end, batch)
                window_end, batch = window_end + self.step, []
            batch.append(event)
        while window_end - self.step < end:
            self._deliver(window_end - self.step, window_end, batch)
            window_end, batch = window_end + self.step, []
        self.sink.flush(window_end - self.step)

    def _begin(self, start: datetime) -> None:
        if self.clock is not None:
            self.clock.start_at(start)
        self.sink.ensure_schema()
        self._start, self._last_sweep = start, start

    def _deliver(self, start: datetime, end: datetime, batch: list[dict]) -> None:
        if self.clock is not None:
            self.clock.advance_to(end)
        if batch:
            self.sink.push(batch, end)
            self.events += len(batch)
        if end - self._last_sweep >= timedelta(days=1):  # decay and window expiry: a daily sweep, like HubSpot's
            self.sink.sweep(end)
            self._last_sweep = end
        if self._progress:
            self._progress(Progress(end, self.events, (end - self._start).days))


def _read_lines(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as error:
                    raise ValueError(f"{path}:{number}: not a JSON line ({error.msg})") from None

