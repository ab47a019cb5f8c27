"""What every hubsim load profile shares (Locust only; never imported by pytest: Locust patches the process with
gevent).

- Options: the portal's token and 10-second allowance, the load as a multiple of that allowance, the gates.
- `HubSpotUser`: a FastHttpUser whose calls are filed the HubSpot way: 2xx a success, 429 a success under its own
  name ("... (429 TEN_SECONDLY_ROLLING)") followed by the pause HubSpot asks for, anything else a failure.
- The gate, run once the users have stopped: failure ratio, p95, and the throttling the run expected (none worth
  speaking of at or under the allowance; some above it, or the limiter let the excess through). It sets Locust's
  exit code and writes the run's totals for `hubsim load`.
"""

from __future__ import annotations

import json
import logging
import time
from contextlib import contextmanager
import os
from pathlib import Path

from locust import FastHttpUser, constant_throughput, events
from locust.runners import WorkerRunner
from shapes import SHAPE_ENV

WINDOW_SECONDS = 10  # HubSpot's TEN_SECONDLY_ROLLING window
MAX_THROTTLED_SHARE = 0.05  # HubSpot usage guidelines: error responses under 5% of daily requests
RETRY_PAUSE = 1.0  # seconds a throttled user waits without Retry-After: a steady sliding window frees a tenth of
# its allowance a second
THROTTLED = "(429 "  # how a throttled call's name in the stats starts its suffix
OVER_THE_LIMIT = 1.2  # a multiple above which the run must see 429s: below it, pacing jitter may stay under

log = logging.getLogger(__name__)


@events.init_command_line_parser.add_listener
def _arguments(parser) -> None:
    parser.add_argument("--hubspot-token", env_var="HUBSPOT_ACCESS_TOKEN", default="", is_secret=True,
                        help="the portal's bearer token (private app access token)")
    parser.add_argument("--ten-secondly-limit", type=int, env_var="HUBSPOT_TEN_SECONDLY_LIMIT", default=100,
                        help="the portal's 10-second allowance: 100 starter, 190 professional/enterprise, 250 with "
                             "the API add-on (default 100)")
    parser.add_argument("--multiple", type=float, default=1.0,
                        help="the load as a multiple of the allowance the profile paces itself to (default 1: at it)")
    parser.add_argument("--seed", type=int, default=0, help="seeds the synthetic payloads")
    parser.add_argument("--max-fail-ratio", type=float, default=0.0,
                        help="failures (not 429s) the run tolerates, as a share of its calls (default 0)")
    parser.add_argument("--max-p95-ms", type=float, default=1000.0,
                        help="the 95th percentile response time the run tolerates, ms (default 1000)")
    parser.add_argument("--figures-file", default="", include_in_web_ui=False,
                        help="write the run's totals here as JSON when it ends (what hubsim load reads)")


class HubSpotUser(FastHttpUser):
    """A client of one portal; subclasses set `rate` (their task iterations per second, all users together, at a
    multiple of 1) from the options in `paced_rate`."""

    abstract = True
    network_timeout = 30.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        options = self.environment.parsed_options
        users = max(options.num_users or 1, 1)
        self._pace = constant_throughput(max(self.paced_rate(options) * options.multiple / users, 1e-3))
        self.headers = {"Authorization": f"Bearer {options.hubspot_token}"}

    def paced_rate(self, options) -> float:
        raise NotImplementedError

    def wait_time(self) -> float:
        return self._pace(self)

    @contextmanager
    def call(self, method: str, path: str, *, name: str | None = None, **options):
        """The request, filed on leaving the block (see the module's docstring)."""
        with self.client.request(method, path, name=name or path, headers=self.headers, catch_response=True,
                                 **options) as response:
            yield response
            pause = file_response(response)
        if pause:
            time.sleep(pause)  # gevent-patched: only this user waits


def file_response(response) -> float:
    """Mark the response; answer how long to pause before the next call."""
    status = response.status_code
    if status == 429:
        body = json_body(response)
        if body.get("errorType") != "RATE_LIMIT":
            response.failure(f"429 without HubSpot's RATE_LIMIT body: {response.text[:200]}")
            return RETRY_PAUSE
        response.request_meta["name"] += f" {THROTTLED}{body.get('policyName') or 'RATE_LIMIT'})"
        response.success()
        return float(response.headers.get("Retry-After") or RETRY_PAUSE)
    if status >= 300 or status == 0:
        body = json_body(response)
        response.failure(f"HTTP {status} {body.get('category', '')}: {body.get('message', response.text or '')[:200]}")
    return 0.0


def json_body(response) -> dict:
    try:
        body = response.json()
    except (ValueError, TypeError):
        return {}
    return body if isinstance(body, dict) else {}


def throttled_calls(stats) -> int:
    return sum(entry.num_requests for (name, _), entry in stats.entries.items() if THROTTLED in name)


def gate(environment) -> tuple[dict, list[str]]:
    """The run's totals, and what fails it."""
    options, total = environment.parsed_options, environment.stats.total
    shape = os.environ.get(SHAPE_ENV) or "none"
    throttled = throttled_calls(environment.stats)
    p95 = total.get_response_time_percentile(0.95) or 0.0
    figures = {"requests": total.num_requests, "requestsPerSecond": round(total.total_rps, 2),
               "throttled": throttled, "failures": total.num_failures, "p95Ms": p95,
               "failRatio": round(total.fail_ratio, 4), "multiple": options.multiple, "shape": shape}
    problems = []
    if total.fail_ratio > options.max_fail_ratio:
        problems.append(f"{total.num_failures} of {total.num_requests} calls failed ({total.fail_ratio:.1%}), "
                        f"over the {options.max_fail_ratio:.1%} allowed")
    if p95 > options.max_p95_ms:
        problems.append(f"p95 {p95:.0f} ms, over the {options.max_p95_ms:g} ms allowed")
    share = throttled / total.num_requests if total.num_requests else 0.0
    above = options.multiple >= OVER_THE_LIMIT or shape in ("step", "spike")
    if not above and share > MAX_THROTTLED_SHARE:
        problems.append(f"{throttled} of {total.num_requests} calls throttled ({share:.1%}) at the allowance: over "
                        f"the {MAX_THROTTLED_SHARE:.0%} HubSpot allows (the pacing, or the limiter, is wrong)")
    if above and total.num_requests and not throttled:
        problems.append("driven past the allowance, yet no call was throttled: the limiter let the excess through")
    return figures, problems


@events.quitting.add_listener
def _judge_the_run(environment, **_) -> None:
    """Runs once the users have stopped, so the totals are final (Locust's CSV can lag them by a second)."""
    if isinstance(environment.runner, WorkerRunner):  # the master holds the whole run's stats
        return
    figures, problems = gate(environment)
    for problem in problems:
        log.error("gate: %s", problem)
    if environment.parsed_options.figures_file:
        Path(environment.parsed_options.figures_file).write_text(json.dumps({**figures, "gate": problems}))
    if problems:
        environment.process_exit_code = 1
