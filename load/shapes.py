"""Load shapes for the hubsim profiles, each ending by itself (its tick answers None once the run time is over).

The profiles pace every user so that `--users` of them together run at the tier's allowance (times `--multiple`):
a shape's user count is therefore a multiple of the allowance. Stages are shares of `--run-time`, so a 15-second CI
smoke and a one-hour soak have the same form (reference §C: 50% of the limit, 100%, 150% burst, 300%, cool-down).

A locustfile takes the chosen one with `Shape = shapes.chosen()`: Locust picks up a shape class from the
locustfile's own namespace, and only one may be there.
"""

from __future__ import annotations

import os

from locust import LoadTestShape

DEFAULT_SECONDS = 60  # a shape's length when Locust was given no --run-time
STEPS = ((0.2, 0.5), (0.2, 1.0), (0.2, 1.5), (0.2, 3.0), (0.2, 0.5))  # (share of the run, multiple of the allowance)
SPIKE = ((0.3, 1.0), (0.2, 10.0), (0.5, 1.0))  # a tenfold burst in the middle, then back to the allowance
SOAK = ((1.0, 0.9),)  # just under the allowance, for as long as it is given
SHAPE_ENV = "HUBSIM_LOAD_SHAPE"  # read at import: the locustfile is imported before Locust parses the options


class Staged(LoadTestShape):
    abstract = True
    stages: tuple[tuple[float, float], ...] = ()

    def tick(self):
        options = self.runner.environment.parsed_options
        seconds = options.run_time or DEFAULT_SECONDS
        base = max(options.num_users or 1, 1)
        elapsed, start = self.get_run_time(), 0.0
        for share, multiple in self.stages:
            start += share * seconds
            if elapsed < start:
                users = max(1, round(base * multiple))
                return users, max(users, base)  # spawn the whole step at once: a step, not a ramp
        return None


class Step(Staged):
    """Up to the allowance and past it: 0.5x, 1x, 1.5x, 3x, then a cool-down at 0.5x."""

    stages = STEPS


class Spike(Staged):
    stages = SPIKE


class Soak(Staged):
    stages = SOAK


SHAPES = {"step": Step, "spike": Spike, "soak": Soak}


def chosen() -> type[LoadTestShape] | None:
    """The shape `hubsim load --shape` asked for (through the environment), or None: constant users."""
    return SHAPES.get(os.environ.get(SHAPE_ENV, ""))
