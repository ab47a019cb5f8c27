"""A scenario's segments compiled for the hot loop of a run: stage transitions as prepared thresholds, event
mixes as cumulative weights, weighted identity choices, and the analytic upgrade probability from any stage."""

from __future__ import annotations

import itertools

from scenarios.funnel import funnel
from scenarios.model import ABSORBING, STAGES, Chain, Scenario
from scenarios.providers import Weights


class Stage:
    """One stage of a chain, compiled for the hot loop."""

    def __init__(self, scenario: Scenario, chain: Chain, stage: str) -> None:
        spec = chain.stages[stage]
        self.next = spec.next
        # Staying is the band after every target and buying the band just before it, so a touch that makes
        # buying likelier turns some "stay" draws into "buy" and leaves every other outcome as it was.
        self.order = sorted(spec.next, key=lambda s: (s == "customer", (STAGES + ABSORBING).index(s)))
        self.thresholds = list(itertools.accumulate(spec.next[target] for target in self.order))
        self.sessions_per_day = spec.sessions_per_day
        self.events_per_session = spec.events_per_session
        mix = scenario.event_mix(chain, stage)
        self.event_names = tuple(mix)
        self.event_cum = list(itertools.accumulate(mix.values()))


class Journey:
    """A segment (or the teammates) compiled: stages, weighted identity choices, upgrade probabilities."""

    def __init__(self, scenario: Scenario, name: str, chain: Chain) -> None:
        self.name, self.chain = name, chain
        self.stages = {stage: Stage(scenario, chain, stage) for stage in chain.stages}
        self.personas = Weights(chain.personas)
        self.icp = getattr(chain, "icp", False)
        self._upgrade: dict[tuple[str, float], float] = {}

    def upgrade_probability(self, stage: str, multiplier: float) -> float:
        """P(eventually buying) from `stage` with the upgrade transitions scaled by `multiplier`."""
        key = (stage, multiplier)
        if key not in self._upgrade:
            self._upgrade[key] = 1.0 if stage == "customer" else funnel(
                self.chain, start=stage, factors={"customer": multiplier}).reach["customer"]
        return self._upgrade[key]


class Segment(Journey):
    """A segment of organic signups: also how they are drawn (regions, email kinds, company sizes) and what they buy."""

    def __init__(self, scenario: Scenario, name: str) -> None:
        super().__init__(scenario, name, scenario.segments[name])
        segment = scenario.segments[name]
        self.regions, self.email = Weights(segment.regions), Weights(segment.email)
        self.sizes = Weights(segment.company.size_bands) if segment.company else None
        self.plans = Weights(segment.plans) if segment.plans else None
