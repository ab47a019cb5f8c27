"""The simulator's own OpenAPI document: complete, and the app conforms to it (schemathesis, no 5xx)."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from simulator import Hub, create_app

TOKEN = "pat-na1-schemathesis"


def _documented(app) -> set[tuple[str, str]]:
    response = app.test_client().get("/openapi.json")
    return {(method.upper(), path) for path, ops in response.get_json()["paths"].items() for method in ops}


def test_every_route_the_app_serves_is_documented():
    app = create_app(Hub())
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: "{" + _camel(m.group(1)) + "}", rule.rule)
        served |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    served.discard(("GET", "/openapi.json"))
    assert served - _documented(app) == set()
    assert _documented(app) - served == set()


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


app = create_app(Hub())
# Fault rules are exercised by their own tests: a fuzzed rule (a two-minute hang) would stall every later case.
# The dated paths run the same views as their v3/v4 twins (tests/simulator/test_dated_routes.py covers them).
schema = (
    schemathesis.openapi.from_wsgi("/openapi.json", app)
    .exclude(path="/_sim/faults", method="POST")
    .exclude(path_regex=r"/\d{4}-\d{2}(-beta)?(/|$)")
)


@pytest.fixture(autouse=True)
def _fresh_portal():
    app.extensions["hubsim"].portal(TOKEN).reset()


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_app_conforms_to_its_document(case):
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {TOKEN}"}
    case.call_and_validate(
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    )
