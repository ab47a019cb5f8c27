"""HubSpot's date-versioned paths serve what their v3/v4 twins serve: the same records, the same bodies.

The existing HTTP tests of the CRM (standard and custom objects), properties, associations, owners, pipelines, search,
events, lists, flows and webhooks run again here with every v3/v4 path rewritten to a dated one (the `api` fixture
below); the tests after them pin what is particular to the dated paths.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from simulator import Hub, create_app
from simulator.compat.dated import ALIASES

# The existing HTTP tests, collected again in this module so that they use its `api` (HubSpot behind dated paths).
from test_associations import *  # noqa: F403
from test_companies import *  # noqa: F403
from test_contacts import *  # noqa: F403
from test_custom_object_associations import *  # noqa: F403
from test_deals import *  # noqa: F403
from test_events_definitions import *  # noqa: F403
from test_events_read import *  # noqa: F403  (after test_events_definitions: its `names` is a fixture)
from test_events_send import *  # noqa: F403
from test_flows_api import *  # noqa: F403
from test_lists_api import *  # noqa: F403
from test_owners import *  # noqa: F403
from test_properties_api import *  # noqa: F403
from test_search import *  # noqa: F403
from test_search_objects import *  # noqa: F403
from test_standard_objects import *  # noqa: F403
from test_ticket_pipelines import *  # noqa: F403
from test_webhooks_api import *  # noqa: F403

# It quotes the request's v3 path in the message it expects; the dated twin of that route is covered below.
del test_list_areas_hubsim_does_not_simulate_say_so  # noqa: F821

TOKEN = "pat-na1-test"


def dated(path: str, version: str) -> str:
    """`path` under `version` when HubSpot serves that API under it (the first alias in the table), else as it is."""
    for old, new, versions in ALIASES:
        if version in versions and (path == old or path.startswith(old + "/")):
            return new.format(v=version) + path[len(old):]
    return path


class DatedTransport(httpx.BaseTransport):
    """Sends every v3/v4 request to its dated twin, as the hubspot-sdk package would."""

    def __init__(self, inner: httpx.BaseTransport, version: str):
        self.inner, self.version = inner, version
        self.paths: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        path = dated(request.url.path, self.version)
        self.paths.append(path)
        request.url = request.url.copy_with(path=path)
        return self.inner.handle_request(request)


def client(transport: httpx.BaseTransport) -> httpx.Client:
    return httpx.Client(transport=transport, base_url="http://hubsim.test", headers={"Authorization": f"Bearer {TOKEN}"})


@pytest.fixture(scope="module")
def shared_app():
    """One app for the module: building one compiles some 2,300 URL rules, most of this module's time otherwise."""
    first = Hub()
    app = create_app(first)
    app.testing = True
    yield app
    first.close()


@pytest.fixture
def app(hub: Hub, shared_app):
    """The shared app serving this test's own hub (the app reads its hub from `extensions` on every request)."""
    shared_app.extensions["hubsim"] = hub
    return shared_app


@pytest.fixture
def api(app) -> Iterator[httpx.Client]:
    with client(DatedTransport(httpx.WSGITransport(app=app), "2026-03")) as dated_client:
        yield dated_client


# --- what is particular to the dated paths ----------------------------------------------------------------------------


@pytest.fixture
def v3(app) -> Iterator[httpx.Client]:
    """The same portal through the v3/v4 paths."""
    with client(httpx.WSGITransport(app=app)) as v3_client:
        yield v3_client


@pytest.mark.parametrize("version", ["2025-09", "2026-03", "2026-09-beta"])
def test_a_record_written_under_a_dated_path_is_the_v3_record(v3, version):
    created = v3.post(f"/crm/objects/{version}/contacts", json={"properties": {"email": "ann@acme.io"}})
    assert created.status_code == 201
    again = v3.get(f"/crm/v3/objects/contacts/{created.json()['id']}").json()
    assert again == v3.get(f"/crm/objects/{version}/contacts/{created.json()['id']}").json()
    assert again["properties"]["email"] == "ann@acme.io"


def test_the_dated_objects_api_takes_an_object_type_id(v3):
    created = v3.post("/crm/objects/2026-03/0-2", json={"properties": {"domain": "acme.io"}}).json()
    page = v3.get("/crm/objects/2026-03/0-2", params={"properties": "domain"}).json()
    assert [(r["id"], r["properties"]["domain"]) for r in page["results"]] == [(created["id"], "acme.io")]


def test_a_record_and_its_associations_share_the_dated_objects_prefix(v3):
    ann = v3.post("/crm/objects/2026-03/contacts", json={"properties": {"email": "ann@acme.io"}}).json()["id"]
    acme = v3.post("/crm/objects/2026-03/companies", json={"properties": {"domain": "acme.io"}}).json()["id"]
    linked = v3.put(f"/crm/objects/2026-03/contacts/{ann}/associations/default/companies/{acme}")
    assert linked.status_code == 200
    page = v3.get(f"/crm/objects/2026-03/contacts/{ann}/associations/companies").json()
    assert [r["toObjectId"] for r in page["results"]] == [int(acme)]
    read = v3.post("/crm/associations/2026-03/contacts/companies/batch/read", json={"inputs": [{"id": ann}]})
    assert [t["toObjectId"] for t in read.json()["results"][0]["to"]] == [int(acme)]


def test_events_2025_09_are_under_events_custom(v3):
    definition = {"label": "Signed up", "name": "signed_up", "primaryObject": "CONTACT", "propertyDefinitions": []}
    created = v3.post("/events/custom/2025-09/event-definitions", json=definition)
    assert created.status_code == 201
    sent = v3.post(
        "/events/custom/2025-09/send",
        json={"eventName": created.json()["fullyQualifiedName"], "email": "ann@acme.io", "properties": {}},
    )
    assert sent.status_code == 204
    read = v3.get("/events/event-occurrences/2026-03", params={"objectType": "contact", "eventType": "signed_up"})
    assert [o["eventType"] for o in read.json()["results"]] == [created.json()["fullyQualifiedName"]]


def test_flows_are_dated_only_as_the_2026_09_beta(v3):
    assert v3.get("/automation/2026-09-beta/flows").json() == v3.get("/automation/v4/flows").json()
    missing = v3.get("/automation/2026-03/flows")
    assert missing.status_code == 404
    assert missing.json()["message"].startswith("hubsim does not simulate the date-versioned /automation/2026-03 API")


def test_owners_are_served_under_their_dated_path(v3):
    assert v3.get("/crm/owners/2026-03/").json() == v3.get("/crm/v3/owners/").json()


def test_an_unsimulated_route_under_a_dated_path_names_its_v3_area(v3):
    answer = v3.get("/crm/lists/2026-03/1/schedule-conversion")
    assert answer.status_code == 404
    assert answer.json()["message"] == ("hubsim does not simulate list schedule conversion and size history yet "
                                        "(GET /crm/lists/2026-03/1/schedule-conversion)")  # fmt: skip
