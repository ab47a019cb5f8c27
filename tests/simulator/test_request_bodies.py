"""How a request's body is taken in: straight from the WSGI input where the server states its length (waitress does,
for chunked bodies too), werkzeug's way where it does not; read once, by the route and the journal alike."""

from __future__ import annotations

import io
import json
import socket
import sys
from urllib.parse import urlsplit

from simulator.testing import Simulator
from tests.conftest import TOKEN
from tests.simulator.test_server_keepalive import _exchange

EVENT = {"label": "Feature used", "name": "feature_used", "primaryObject": "CONTACT",
         "propertyDefinitions": [{"name": "feature", "label": "Feature", "type": "string"}]}


def test_a_chunked_event_send_is_recorded_and_journaled_and_its_204_carries_no_length():
    with Simulator() as sim, sim.client() as client:
        contact = client.post("/crm/v3/objects/contacts", json={"properties": {"email": "ann@acme.io"}}).json()
        name = client.post("/events/v3/event-definitions", json=EVENT).json()["fullyQualifiedName"]
        body = json.dumps({"eventName": name, "objectId": contact["id"], "properties": {"feature": "export"}}).encode()
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:20], body[20:])) + b"0\r\n\r\n"
        request = (f"POST /events/v3/send HTTP/1.1\r\nHost: sim\r\nAuthorization: Bearer {sim.token}\r\n"
                   "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").encode() + chunks
        address = urlsplit(sim.base_url)
        with socket.create_connection((address.hostname, address.port), timeout=5) as conn:
            head = _exchange(conn, request).lower()
        assert head.startswith(b"http/1.1 204")
        assert b"content-length" not in head
        occurrences = client.get("/events/v3/events", params={"objectType": "contact", "objectId": contact["id"]})
        assert [o["properties"] for o in occurrences.json()["results"]] == [{"feature": "export"}]
        entry = sim.journal.requests(method="POST", path="/events/v3/send")[0]
        assert (entry["status"], entry["requestBody"]) == (204, json.loads(body))


def _call(app, body: bytes, **environ) -> tuple[str, bytes]:
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": "/crm/v3/objects/contacts", "QUERY_STRING": "", "SERVER_NAME": "sim",
        "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "HTTP_HOST": "sim",
        "HTTP_AUTHORIZATION": f"Bearer {TOKEN}", "CONTENT_TYPE": "application/json", "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
    } | environ  # fmt: skip
    statuses = []
    answer = b"".join(app(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    return statuses[0], answer


def test_a_body_without_a_stated_length_is_read_to_its_end(app, portal):
    # what a WSGI server that passes chunked bodies through does: no CONTENT_LENGTH, the input marked as ending
    body = json.dumps({"properties": {"email": "bo@acme.io"}}).encode()
    status, answer = _call(app, body, **{"wsgi.input_terminated": True})
    assert status.startswith("201")
    assert json.loads(answer)["properties"]["email"] == "bo@acme.io"
    assert portal.journal.query(limit=1)[1][0].request_body == body


def test_without_a_stated_length_or_a_terminated_input_there_is_no_body(app, portal):
    # as werkzeug has it (an unbounded input is never read): what every GET is, so it must cost nothing
    status, answer = _call(app, json.dumps({"properties": {"email": "bo@acme.io"}}).encode())
    assert status.startswith("400")
    assert json.loads(answer)["category"] == "VALIDATION_ERROR"
    assert portal.journal.query(limit=1)[1][0].request_body == b""
    assert portal.journal.query(limit=1)[1][0].dump()["requestBody"] is None


def test_the_route_and_the_journal_see_one_read_of_the_body(api, portal):
    # the search route reads the body itself; the journal must still hold it whole afterwards
    search = {"filterGroups": [{"filters": [{"propertyName": "email", "operator": "EQ", "value": "x@acme.io"}]}]}
    answer = api.post("/crm/v3/objects/contacts/search", json=search)
    assert answer.json()["total"] == 0
    assert json.loads(portal.journal.query(limit=1)[1][0].request_body) == search
