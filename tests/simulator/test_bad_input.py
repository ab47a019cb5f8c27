"""A bad-input corpus: every class of input HubSpot refuses, on every route family.

Each request must be answered with HubSpot's JSON error envelope, a 4xx (never a 500, a redirect or an HTML page), in
bounded time, with the portal exactly as it was (`GET /_sim/snapshot` before and after). The app runs with
`testing` on, so an exception that would have been a 500 fails the test with its traceback.
"""

from __future__ import annotations

import json
import time

import pytest

from simulator.errors import ValidationError
from simulator.wire import MAX_JSON_DEPTH, MAX_NUMBER_LENGTH, decode_json

SNAPSHOT = "/_sim/snapshot"
CONTACTS = "/crm/v3/objects/contacts"
BOUND_SECONDS = 2.0  # generous on a loaded machine; a stack or CPU exhaustion takes far longer (or never returns)


@pytest.fixture
def ids(api) -> dict[str, str]:
    """A portal with something to lose: a contact linked to a company, a deal, a frozen clock."""
    api.post("/_sim/clock", json={"set": "2030-01-01T00:00:00Z", "freeze": True})
    company = api.post("/crm/v3/objects/companies", json={"properties": {"name": "Acme"}}).json()["id"]
    contact = api.post(CONTACTS, json={"properties": {"email": "ann@acme.io", "firstname": "Ann"}}).json()["id"]
    deal = api.post("/crm/v3/objects/deals", json={"properties": {"dealname": "Acme"}}).json()["id"]
    api.put(f"/crm/v4/objects/contacts/{contact}/associations/default/companies/{company}")
    return {"contact": contact, "company": company, "deal": deal}


def assert_refused(api, method: str, url: str, **kwargs) -> dict:
    before = api.get(SNAPSHOT).json()
    started = time.perf_counter()
    response = api.request(method, url, **kwargs)
    elapsed = time.perf_counter() - started
    assert 400 <= response.status_code < 500, (method, url, response.status_code, response.text[:300])
    assert "location" not in response.headers
    assert response.headers["content-type"] == "application/json;charset=utf-8"
    body = response.json()
    assert body["status"] == "error"
    assert body["message"] and body["category"]
    assert body["correlationId"] == response.headers["X-HubSpot-Correlation-Id"]
    assert elapsed < BOUND_SECONDS, f"{method} {url} took {elapsed:.1f} s"
    assert api.get(SNAPSHOT).json() == before, f"{method} {url} changed the portal"
    return body


# --- 1. pathological JSON: valid-looking or valid, but nothing HubSpot's parser accepts -------------------------------

PATHOLOGICAL = {
    "nested-arrays": b"[" * 5000 + b"]" * 5000,
    "nested-objects": b'{"properties":' * 3000 + b"{}" + b"}" * 3000,
    "just-past-the-depth-bound": b"[" * 101 + b"]" * 101,
    "huge-integer": b'{"properties": {"email": "x@acme.io", "annualrevenue": ' + b"9" * 5000 + b"}}",
    "huge-exponent": b'{"properties": {"email": "x@acme.io", "annualrevenue": 1e999}}',
    "long-fraction": b'{"properties": {"email": "x@acme.io", "annualrevenue": 0.' + b"1" * 5000 + b"}}",
    "nan": b'{"properties": {"email": "x@acme.io", "annualrevenue": NaN}}',
    "infinity": b'{"properties": {"email": "x@acme.io", "annualrevenue": Infinity}}',
    "minus-infinity": b'{"properties": {"email": "x@acme.io", "annualrevenue": -Infinity}}',
}

# Every route that reads a body, one per operation family ({contact}... filled from the seeded portal).
WRITES = [
    ("POST", CONTACTS),
    ("PATCH", f"{CONTACTS}/{{contact}}"),
    ("POST", f"{CONTACTS}/batch/create"),
    ("POST", f"{CONTACTS}/batch/read"),
    ("POST", f"{CONTACTS}/batch/update"),
    ("POST", f"{CONTACTS}/batch/upsert"),
    ("POST", f"{CONTACTS}/batch/archive"),
    ("POST", f"{CONTACTS}/search"),
    ("POST", f"{CONTACTS}/merge"),
    ("POST", f"{CONTACTS}/gdpr-delete"),
    ("POST", "/crm/v3/properties/contacts"),
    ("PATCH", "/crm/v3/properties/contacts/firstname"),
    ("POST", "/crm/v3/properties/contacts/batch/create"),
    ("POST", "/crm/v3/properties/contacts/groups"),
    ("PUT", "/crm/v4/objects/contacts/{contact}/associations/companies/{company}"),
    ("POST", "/crm/v4/associations/contacts/companies/batch/create"),
    ("POST", "/crm/v4/associations/contacts/companies/batch/read"),
    ("POST", "/crm/v4/associations/contacts/companies/batch/archive"),
    ("POST", "/crm/v3/pipelines/deals"),
    ("PATCH", "/crm/v3/pipelines/deals/default"),
    ("POST", "/events/v3/event-definitions"),
    ("POST", "/events/v3/send"),
    ("POST", "/events/v3/send/batch"),
    ("POST", "/automation/v4/flows"),
    ("POST", "/_sim/clock"),
    ("POST", "/_sim/portal"),
    ("POST", "/_sim/faults"),
    ("POST", SNAPSHOT),
]


@pytest.mark.parametrize("body", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
@pytest.mark.parametrize(("method", "path"), WRITES, ids=[f"{m} {p}" for m, p in WRITES])
def test_pathological_json_is_a_400(api, ids, method, path, body):
    refused = assert_refused(api, method, path.format(**ids), content=body,
                             headers={"Content-Type": "application/json"})
    assert refused["category"] == "VALIDATION_ERROR"
    if not (path.endswith("/search") and len(body) > 3000):  # search refuses a long body before reading it
        assert refused["message"].startswith("Invalid input JSON")


def test_the_decoder_bounds_are_exact():
    assert decode_json(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH) is not None
    assert decode_json(b"9" * MAX_NUMBER_LENGTH) == int("9" * MAX_NUMBER_LENGTH)
    for over in (b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1), b"9" * (MAX_NUMBER_LENGTH + 1)):
        with pytest.raises(ValidationError):
            decode_json(over)


# --- 1b. cursors and integers: ASCII decimal within a bounded length, on every paged route -----------------------------

NOT_CURSORS = {
    "superscript-two": "²",
    "arabic-indic-three": "٣",
    "five-thousand-digits": "9" * 5000,
    "twenty-digits": "9" * 20,
    "negative": "-1",
    "underscored": "1_000",
    "padded": " 1",
    "exponent": "1e3",
}
PAGED = [
    ("GET", CONTACTS, "after"),
    ("GET", "/crm/v4/objects/contacts/{contact}/associations/companies", "after"),
    ("GET", "/crm/v3/owners", "after"),
    ("POST", f"{CONTACTS}/search", "after"),
    ("POST", "/crm/v4/associations/contacts/companies/batch/read", "after"),
    ("GET", "/events/v3/event-definitions", "after"),
    ("GET", "/events/v3/events", "after"),
    ("GET", "/automation/v4/flows", "after"),
    ("GET", CONTACTS, "limit"),
    ("GET", "/crm/v4/objects/contacts/{contact}/associations/companies", "limit"),
    ("GET", "/_sim/journal", "limit"),
    ("GET", "/_sim/journal", "status"),
]


def paged_request(ids: dict[str, str], method: str, path: str, name: str, value: str) -> dict:
    url = path.format(**ids)
    if path.endswith("/search"):
        return {"url": url, "json": {name: value}}
    if path.endswith("/batch/read"):
        return {"url": url, "json": {"inputs": [{"id": ids["contact"], name: value}]}}
    return {"url": url, "params": {name: value}}


@pytest.mark.parametrize("value", NOT_CURSORS.values(), ids=NOT_CURSORS.keys())
@pytest.mark.parametrize(("method", "path", "name"), PAGED, ids=[f"{m} {p} {n}" for m, p, n in PAGED])
def test_a_cursor_or_integer_that_is_not_ascii_decimal_is_a_400(api, ids, method, path, name, value):
    if name == "status" and value in ("9" * 20, "9" * 5000):
        value = value[:3]  # a status filter of 999: well-formed, so only the odd digits remain to refuse
    if path == "/events/v3/events" and value == "1_000":
        value = "1_0_0"  # event cursors are "<microseconds>_<sequence>": 1_000 is one
    body = assert_refused(api, method, **paged_request(ids, method, path, name, value))
    assert body["category"] == "VALIDATION_ERROR"
    assert len(body["message"]) < 300  # the input is not echoed back whole


def test_a_search_cursor_may_be_a_json_number_or_a_digit_string(api, ids):
    for after in (0, "0"):
        response = api.post(f"{CONTACTS}/search", json={"after": after})
        assert response.status_code == 200
        assert [r["id"] for r in response.json()["results"]] == [ids["contact"]]


# --- 2. never a redirect, never HTML: `//` and ids that start with %2F --------------------------------------------------

DOUBLE_SLASHES = [
    ("PATCH", f"{CONTACTS}/%2F{{contact}}", {"json": {"properties": {"firstname": "Mallory"}}}),
    ("DELETE", f"{CONTACTS}/%2F{{contact}}", {}),
    ("GET", f"{CONTACTS}/%2F{{contact}}", {}),
    ("POST", "/crm/v3/objects//contacts", {"json": {"properties": {"email": "eve@acme.io"}}}),
    ("POST", "/crm/v3/objects/contacts//batch/archive", {"json": {"inputs": [{"id": "{contact}"}]}}),
    ("PATCH", "/crm/v3/properties/contacts//firstname", {"json": {"label": "Mallory"}}),
    ("DELETE", "/crm/v3/properties/contacts/%2Ffirstname", {}),
    ("PUT", "/crm/v4/objects/contacts/%2F{contact}/associations/default/companies/{company}", {}),
    ("DELETE", "/crm/v4/objects/contacts/{contact}/associations/companies/%2F{company}", {}),
    ("DELETE", "/crm/v3/pipelines/deals//default", {}),
    ("GET", "/crm/v3/owners//", {}),
    ("POST", "/_sim//reset", {}),
    ("POST", "/_sim//clock", {"json": {"advance": "P1D"}}),
    ("POST", "/_sim/snapshot/", {"json": {"format": "nope"}}),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), DOUBLE_SLASHES, ids=[f"{m} {p}" for m, p, _k in DOUBLE_SLASHES])
def test_an_empty_path_segment_is_a_json_4xx_never_a_redirect(api, ids, method, path, kwargs):
    if "json" in kwargs:
        kwargs = {"json": json.loads(json.dumps(kwargs["json"]).replace("{contact}", ids["contact"]))}
    assert_refused(api, method, path.format(**ids), **kwargs)


# --- 3. values HubSpot would refuse: control characters, a final newline, names outside HubSpot's rules ---------------

BAD_EMAILS = {
    "trailing-newline": "ann@acme.io\n",
    "trailing-crlf": "bob@acme.io\r\n",
    "nul": "bob\x00@acme.io",
    "escape": "bob\x1b@acme.io",
    "tab": "bob\t@acme.io",
    "delete": "bob@acme.io\x7f",
    "angle-brackets": "<bob@acme.io>",
    "quoted": '"bob"@acme.io',
}


def email_writes(ids: dict[str, str], email: str) -> list[tuple[str, str, dict]]:
    return [
        ("POST", CONTACTS, {"properties": {"email": email}}),
        ("PATCH", f"{CONTACTS}/{ids['contact']}", {"properties": {"email": email}}),
        ("POST", f"{CONTACTS}/batch/create", {"inputs": [{"properties": {"email": email}}]}),
        ("POST", f"{CONTACTS}/batch/update", {"inputs": [{"id": ids["contact"], "properties": {"email": email}}]}),
        ("POST", f"{CONTACTS}/batch/upsert", {"inputs": [{"id": email, "idProperty": "email", "properties": {}}]}),
        ("POST", f"{CONTACTS}/batch/upsert",
         {"inputs": [{"id": email, "idProperty": "email", "properties": {}, "objectWriteTraceId": "t1"}]}),
    ]


@pytest.mark.parametrize("email", BAD_EMAILS.values(), ids=BAD_EMAILS.keys())
def test_an_email_hubspot_would_refuse_is_refused_by_every_write(api, ids, email):
    for method, url, body in email_writes(ids, email):
        refused = assert_refused(api, method, url, json=body)
        assert refused["category"] == "VALIDATION_ERROR"
        assert "INVALID_EMAIL" in json.dumps(refused), (method, url, refused)


def test_a_final_newline_does_not_slip_past_the_unique_email_rule(api, ids):
    assert_refused(api, "POST", CONTACTS, json={"properties": {"email": "ann@acme.io\n"}})
    assert [r["properties"]["email"] for r in api.get(CONTACTS, params={"properties": "email"}).json()["results"]] == [
        "ann@acme.io"
    ]


BAD_NAMES = {"trailing-newline": "score\n", "nul": "score\x00", "upper-case": "Score", "leading-digit": "1score",
             "dash": "pql-score", "space": "pql score", "too-long": "p" * 101}  # fmt: skip


@pytest.mark.parametrize("name", BAD_NAMES.values(), ids=BAD_NAMES.keys())
def test_a_name_outside_hubspots_rules_is_refused(api, ids, name):
    prop = {"name": name, "label": "Score", "type": "number", "fieldType": "number", "groupName": "contactinformation"}
    assert_refused(api, "POST", "/crm/v3/properties/contacts", json=prop)
    assert_refused(api, "POST", "/crm/v3/properties/contacts/groups", json={"name": name, "label": "Scores"})


def test_a_property_batch_reports_a_bad_name_and_creates_nothing(api, ids):
    before = api.get(SNAPSHOT).json()
    prop = {"name": "score\n", "label": "Score", "type": "number", "fieldType": "number",
            "groupName": "contactinformation"}
    response = api.post("/crm/v3/properties/contacts/batch/create", json={"inputs": [prop]})
    assert response.status_code == 207  # HubSpot's property batches answer multi-status
    body = response.json()
    assert body["results"] == []
    assert body["errors"][0]["message"].startswith("Property name 'score\\n' is invalid")
    assert api.get(SNAPSHOT).json() == before
