"""Funnel conversion implied by a scenario, computed from its transition matrices (no simulation).

For the funnel, upgrading ends the journey: `customer` joins `churned` and `inactive` as absorbing states. With the
transient block Q and absorbing block R of the per-session chain, N = (I - Q)^-1 counts expected sessions in each
stage, B = N R gives the probability of each ending, and the probability of ever reaching transient stage j from
signup is N[0][j] / N[j][j]. The matrices are at most 6 x 6, so plain Gauss-Jordan does.
"""

from __future__ import annotations

from dataclasses import dataclass

from scenarios.model import ABSORBING, STAGES, Chain, Scenario

ENDINGS = ("customer",) + ABSORBING


def adjust_next(next_probs: dict[str, float], factors: dict[str, float]) -> dict[str, float]:
    """Transition probabilities with some targets scaled; the self-loop (staying) gives or takes the difference.

    When the scaled targets would take more than all, everything is scaled down to leave the stage surely."""
    adjusted = dict(next_probs)
    for target, factor in factors.items():
        if target in adjusted:
            adjusted[target] *= factor
    total = sum(adjusted.values())
    if total > 1:
        adjusted = {target: p / total for target, p in adjusted.items()}
    return adjusted


def invert(matrix: list[list[float]]) -> list[list[float]]:
    """Gauss-Jordan elimination with partial pivoting."""
    n = len(matrix)
    rows = [list(row) + [1.0 if i == j else 0.0 for j in range(n)] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        if abs(rows[pivot][col]) < 1e-12:
            raise ValueError("singular matrix: some stage is never left")
        rows[col], rows[pivot] = rows[pivot], rows[col]
        scale = rows[col][col]
        rows[col] = [x / scale for x in rows[col]]
        for r in range(n):
            if r != col and rows[r][col]:
                factor = rows[r][col]
                rows[r] = [x - factor * y for x, y in zip(rows[r], rows[col])]
    return [row[n:] for row in rows]


@dataclass(frozen=True)
class Funnel:
    reach: dict[str, float]  # P(ever entering the stage) from signup; "customer" is P(upgrading)
    endings: dict[str, float]  # P(the pre-purchase journey ends as customer / churned / inactive)
    sessions: float  # expected sessions from signup until the journey ends


def funnel(chain: Chain, *, start: str = "signed_up", factors: dict[str, float] | None = None) -> Funnel:
    """The funnel from `start`, with the transition factors of an intervention (e.g. {"customer": 2.0})."""
    transient = [stage for stage in STAGES if stage in chain.stages and stage != "customer"]
    index = {stage: i for i, stage in enumerate(transient)}
    q = [[0.0] * len(transient) for _ in transient]
    r = [[0.0] * len(ENDINGS) for _ in transient]
    for stage in transient:
        i = index[stage]
        nexts = adjust_next(chain.stages[stage].next, factors or {})
        q[i][i] = 1.0 - sum(nexts.values())
        for target, p in nexts.items():
            if target in index:
                q[i][index[target]] += p
            else:
                r[i][ENDINGS.index(target)] += p
    n = invert([[(1.0 if i == j else 0.0) - q[i][j] for j in range(len(q))] for i in range(len(q))])
    s = index[start]
    b = [sum(n[s][k] * r[k][e] for k in range(len(transient))) for e in range(len(ENDINGS))]
    reach = {stage: n[s][index[stage]] / n[index[stage]][index[stage]] for stage in transient}
    reach["customer"] = b[0]
    return Funnel(reach=reach, endings=dict(zip(ENDINGS, b)), sessions=sum(n[s]))


def mixture_funnel(scenario: Scenario) -> Funnel:
    """The funnel of an average organic signup: segments weighted by their share of signups."""
    total = sum(segment.weight for segment in scenario.segments.values())
    parts = [(segment.weight / total, funnel(segment)) for segment in scenario.segments.values()]
    stages = [stage for stage in STAGES if any(stage in part.reach for _, part in parts)]
    return Funnel(
        reach={stage: sum(w * part.reach.get(stage, 0.0) for w, part in parts) for stage in stages},
        endings={ending: sum(w * part.endings[ending] for w, part in parts) for ending in ENDINGS},
        sessions=sum(w * part.sessions for w, part in parts),
    )
