"""Sending custom event occurrences: identification, validation against the definition, uuid de-duplication,
per-record timelines in time order, and EventOccurred on the portal's change feed."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest

from simulator.feed import EventOccurred

SEND, BATCH, EVENTS = "/events/v3/send", "/events/v3/send/batch", "/events/v3/events"
DEFINITIONS = "/events/v3/event-definitions"
T0 = datetime(2030, 1, 10, 12, tzinfo=UTC)


@pytest.fixture
def event(api) -> dict:
    api.post("/_sim/clock", json={"set": "2030-01-10T12:00:00Z", "freeze": True}).raise_for_status()
    created = api.post(DEFINITIONS, json={
        "label": "Pricing viewed", "name": "pricing_viewed",
        "propertyDefinitions": [
            {"name": "plan", "label": "Plan", "type": "enumeration",
             "options": [{"label": "Pro", "value": "pro"}, {"label": "Team", "value": "team"}]},
            {"name": "seats", "label": "Seats", "type": "number"},
            {"name": "note", "label": "Note", "type": "string"},
            {"name": "trial", "label": "Trial", "type": "bool"},
            {"name": "renews", "label": "Renews", "type": "datetime"},
        ],
    })  # fmt: skip
    assert created.status_code == 201, created.text
    return created.json()


@pytest.fixture
def ann(api) -> str:
    return api.post("/crm/v3/objects/contacts", json={"properties": {"email": "ann@acme.io"}}).json()["id"]


def occurrences(api, **params) -> list[dict]:
    answer = api.get(EVENTS, params={"limit": 100, **params})
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]


def test_a_send_by_email_is_recorded_on_the_contact_and_answers_204(api, event, ann):
    answer = api.post(SEND, json={"eventName": event["fullyQualifiedName"], "email": "Ann@Acme.io",
                                  "properties": {"plan": "pro", "seats": 5, "trial": True}})  # fmt: skip
    assert (answer.status_code, answer.content) == (204, b"")
    [found] = occurrences(api, objectType="contact", objectId=ann)
    assert found["objectType"] == "CONTACT"
    assert found["objectId"] == ann
    assert found["eventType"] == event["fullyQualifiedName"]
    assert found["occurredAt"] == "2030-01-10T12:00:00.000Z"  # the portal's clock, when occurredAt is absent
    assert found["properties"] == {"plan": "pro", "seats": "5", "trial": "true"}


def test_a_send_by_object_id_takes_occurred_at_as_iso_or_epoch_ms(api, event, ann):
    name = event["fullyQualifiedName"]
    api.post(SEND, json={"eventName": name, "objectId": ann, "occurredAt": "2030-01-05T08:00:00Z"})
    api.post(SEND, json={"eventName": name, "objectId": int(ann), "occurredAt": 1893456000000})  # 2030-01-01
    found = occurrences(api, objectType="contact", objectId=ann, sort="occurredAt")
    assert [o["occurredAt"] for o in found] == ["2030-01-01T00:00:00.000Z", "2030-01-05T08:00:00.000Z"]


def test_an_unknown_email_creates_the_contact_by_default(api, event):
    assert api.post(SEND, json={"eventName": event["fullyQualifiedName"], "email": "new@acme.io"}).status_code == 204
    contact = api.get("/crm/v3/objects/contacts/new@acme.io", params={"idProperty": "email"}).json()
    [found] = occurrences(api, **{"objectProperty.email": "new@acme.io"})
    assert found["objectId"] == contact["id"]


def test_a_portal_may_refuse_events_for_unknown_emails_instead(api, event):
    api.post("/_sim/portal", json={"eventUnknownEmail": "reject"}).raise_for_status()
    answer = api.post(SEND, json={"eventName": event["fullyQualifiedName"], "email": "new@acme.io"})
    assert answer.status_code == 400
    assert answer.json()["message"] == "No contact has the email new@acme.io"
    assert api.get("/crm/v3/objects/contacts").json()["results"] == []


def test_timelines_are_in_time_order_whatever_the_order_of_sending(api, portal, event, ann):
    name = event["fullyQualifiedName"]
    for day in (5, 2, 9, 2):
        api.post(SEND, json={"eventName": name, "objectId": ann, "occurredAt": f"2030-01-0{day}T00:00:00Z",
                             "properties": {"seats": str(day)}})  # fmt: skip
    with portal.lock:
        timeline = portal.events.timeline("contacts", ann, event["objectTypeId"])
        assert [(o.occurred_at.day, o.properties["seats"]) for o in timeline] == [(2, "2"), (2, "2"), (5, "5"),
                                                                                   (9, "9")]  # fmt: skip
        assert {o.object_type for o in timeline} == {"contacts"}
    assert portal.events.timeline("contacts", "999", event["objectTypeId"]) == []


def test_each_recorded_occurrence_is_published_on_the_feed(api, portal, event, ann):
    seen: list[EventOccurred] = []
    portal.feed.subscribe(seen.append, EventOccurred)
    api.post(BATCH, json={"inputs": [
        {"eventName": event["fullyQualifiedName"], "objectId": ann, "properties": {"plan": "team"}},
        {"eventName": event["fullyQualifiedName"], "objectId": ann, "occurredAt": "2030-01-01T00:00:00Z"},
    ]})  # fmt: skip
    assert seen == [
        EventOccurred(event["objectTypeId"], event["fullyQualifiedName"], "contacts", ann, T0, {"plan": "team"}),
        EventOccurred(event["objectTypeId"], event["fullyQualifiedName"], "contacts", ann,
                      datetime(2030, 1, 1, tzinfo=UTC), {}),
    ]  # fmt: skip


def test_the_definition_is_found_by_name_fully_qualified_name_and_object_type_id(portal, event):
    for key in ("pricing_viewed", event["fullyQualifiedName"], event["objectTypeId"]):
        found = portal.events.definition(key)
        assert (found.name, found.object_type_id, found.primary_object) == ("pricing_viewed", event["objectTypeId"],
                                                                              "CONTACT")  # fmt: skip
    assert set(portal.events.definition("pricing_viewed").properties) >= {"plan", "seats", "hs_page_url"}
    assert portal.events.definition("nope") is None


def test_a_repeated_uuid_keeps_the_first_occurrence(api, event, ann):
    name = event["fullyQualifiedName"]
    first = {"eventName": name, "objectId": ann, "uuid": "u-1", "properties": {"seats": "1"}}
    assert api.post(SEND, json=first).status_code == 204
    assert api.post(SEND, json={**first, "properties": {"seats": "2"}}).status_code == 204
    api.post(BATCH, json={"inputs": [{**first, "uuid": "u-2", "properties": {"seats": "3"}},
                                     {**first, "uuid": "u-2", "properties": {"seats": "4"}}]})  # fmt: skip
    found = occurrences(api, objectType="contact", objectId=ann, sort="occurredAt")
    assert [(o["id"], o["properties"]["seats"]) for o in found] == [("u-1", "1"), ("u-2", "3")]


# --- bad inputs: HubSpot's status and body, and nothing recorded ------------------------------------------------


def _problems(answer) -> list[tuple[str, str]]:
    body = answer.json()
    assert answer.status_code == 400 and body["category"] == "VALIDATION_ERROR"
    embedded = json.loads(body["message"].removeprefix("Property values were not valid: "))
    return [(item["name"], item["error"]) for item in embedded]


@pytest.mark.parametrize(
    ("properties", "problem"),
    [
        ({"colour": "red"}, ("colour", "PROPERTY_DOESNT_EXIST")),
        ({"seats": "many"}, ("seats", "INVALID_INTEGER")),
        ({"plan": "enterprise"}, ("plan", "INVALID_OPTION")),
        ({"trial": "maybe"}, ("trial", "INVALID_BOOLEAN")),
        ({"renews": "next tuesday"}, ("renews", "INVALID_DATETIME")),
        ({"note": "x" * 257}, ("note", "INVALID_STRING_LENGTH")),
    ],
)
def test_a_bad_property_value_is_refused_with_hubspots_body(api, event, ann, properties, problem):
    answer = api.post(SEND, json={"eventName": event["fullyQualifiedName"], "objectId": ann, "properties": properties})
    assert _problems(answer) == [problem]
    assert answer.json()["errors"][0]["context"] == {"propertyName": [problem[0]]}
    assert occurrences(api, objectType="contact", objectId=ann) == []


def test_a_url_property_takes_up_to_1024_characters(api, event, ann):
    name = event["fullyQualifiedName"]
    url = "https://acme.io/" + "p" * 1000
    assert api.post(SEND, json={"eventName": name, "objectId": ann, "properties": {"hs_page_url": url}}).status_code \
        == 204  # fmt: skip
    too_long = {"hs_page_url": url + "x" * 10}
    assert _problems(api.post(SEND, json={"eventName": name, "objectId": ann, "properties": too_long})) == [
        ("hs_page_url", "INVALID_STRING_LENGTH")]  # fmt: skip


def test_more_than_50_properties_is_refused(api, event, ann):
    properties = {f"p{i}": "x" for i in range(51)}
    answer = api.post(SEND, json={"eventName": event["fullyQualifiedName"], "objectId": ann, "properties": properties})
    assert answer.status_code == 400
    assert answer.json()["message"] == "An event occurrence can carry at most 50 properties, got 51"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"eventName": "pricing_viewed", "email": "ann@acme.io"},
         "Event 'pricing_viewed' does not exist: eventName is the definition's fullyQualifiedName, pe{portal}_<name>"),
        ({"eventName": "pe{portal}_nope", "email": "ann@acme.io"},
         "Event 'pe{portal}_nope' does not exist: eventName is the definition's fullyQualifiedName, pe{portal}_<name>"),
        ({"eventName": "{fqn}"}, "One of objectId, email or utk is required to say which record the event occurred on"),
        ({"eventName": "{fqn}", "objectId": "424242"}, "No contact has the objectId 424242"),
        ({"eventName": "{fqn}", "email": "ann@acme.io", "occurredAt": "yesterday"},
         "occurredAt 'yesterday' is not a valid timestamp: use ISO-8601 (2026-01-20T21:14:16.512Z) or epoch "
         "milliseconds between 1970 and 9000"),
    ],
)  # fmt: skip
def test_a_send_that_names_no_event_or_no_record_is_refused(api, portal, event, ann, body, message):
    fill = {"portal": portal.id, "fqn": event["fullyQualifiedName"]}
    answer = api.post(SEND, json={k: v.format(**fill) if isinstance(v, str) else v for k, v in body.items()})
    assert answer.status_code == 400
    assert answer.json()["message"] == message.format(**fill)
    assert occurrences(api) == []


def test_an_invalid_email_is_refused_like_a_contact_write(api, event):
    answer = api.post(SEND, json={"eventName": event["fullyQualifiedName"], "email": "not-an-email"})
    assert _problems(answer) == [("email", "INVALID_EMAIL")]
    assert api.get("/crm/v3/objects/contacts").json()["results"] == []


def test_a_batch_is_all_or_nothing(api, event, ann):
    name = event["fullyQualifiedName"]
    answer = api.post(BATCH, json={"inputs": [
        {"eventName": name, "objectId": ann},
        {"eventName": name, "email": "bob@acme.io"},
        {"eventName": name, "objectId": ann, "properties": {"seats": "lots"}},
    ]})  # fmt: skip
    assert _problems(answer) == [("seats", "INVALID_INTEGER")]
    assert occurrences(api) == []
    assert len(api.get("/crm/v3/objects/contacts").json()["results"]) == 1  # bob was not created


@pytest.mark.parametrize(("count", "message"), [(0, "Batch input must not be empty"),
                                                (501, "Batch input must have at most 500 inputs, got 501")])
def test_a_batch_holds_1_to_500_inputs(api, event, ann, count, message):
    inputs = [{"eventName": event["fullyQualifiedName"], "objectId": ann}] * count
    answer = api.post(BATCH, json={"inputs": inputs})
    assert (answer.status_code, answer.json()["message"]) == (400, message)
    assert occurrences(api) == []


def test_a_batch_of_500_is_recorded(api, event, ann):
    inputs = [{"eventName": event["fullyQualifiedName"], "objectId": ann, "occurredAt": 1893456000000 + i}
              for i in range(500)]  # fmt: skip
    assert api.post(BATCH, json={"inputs": inputs}).status_code == 204
    assert api.get("/_sim/usage").json()["events"]["stored"] == 500


def test_a_custom_matching_id_finds_the_record_by_a_property_before_object_id(api, portal):
    api.post("/crm/v3/properties/contacts", json={"name": "external_id", "label": "External id", "type": "string",
                                                  "fieldType": "text", "groupName": "contactinformation"})
    ann = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "ann@acme.io", "external_id": "u-7"}})
    bob = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "bob@acme.io"}}).json()["id"]
    created = api.post(DEFINITIONS, json={
        "label": "Seat added", "propertyDefinitions": [{"name": "user_id", "label": "User", "type": "string"}],
        "customMatchingId": {"primaryObjectRule": {"targetObjectPropertyName": "external_id",
                                                   "eventPropertyName": "user_id"}},
    })  # fmt: skip
    assert created.status_code == 201
    assert created.json()["customMatchingId"]["primaryObjectRule"]["eventPropertyName"] == "user_id"
    name = created.json()["fullyQualifiedName"]
    api.post(SEND, json={"eventName": name, "objectId": bob, "properties": {"user_id": "u-7"}})
    api.post(SEND, json={"eventName": name, "objectId": bob, "properties": {"user_id": "u-unknown"}})
    assert sorted(o["objectId"] for o in occurrences(api)) == sorted([ann.json()["id"], bob])


def test_a_custom_matching_id_must_name_real_properties(api):
    rule = {"primaryObjectRule": {"targetObjectPropertyName": "no_such", "eventPropertyName": "user_id"}}
    props = [{"name": "user_id", "label": "User", "type": "string"}]
    answer = api.post(DEFINITIONS, json={"label": "X", "propertyDefinitions": props, "customMatchingId": rule})
    assert (answer.status_code, answer.json()["message"]) == (
        400, "customMatchingId: contacts have no property no_such")
    rule["primaryObjectRule"] = {"targetObjectPropertyName": "email", "eventPropertyName": "nope"}
    answer = api.post(DEFINITIONS, json={"label": "X", "propertyDefinitions": props, "customMatchingId": rule})
    assert (answer.status_code, answer.json()["message"]) == (400, "customMatchingId: the event has no property nope")
    assert api.get(DEFINITIONS).json()["results"] == []


def test_an_occurrence_sent_without_a_uuid_gets_its_own_version_4_id_without_a_system_call(api, event, ann,
                                                                                             monkeypatch):
    # os.urandom under the portal lock lets the other request threads pile up on it (simulator/uuids.py)
    monkeypatch.setattr("os.urandom", lambda n: pytest.fail("an event send read os.urandom"))
    for _ in range(3):
        assert api.post(SEND, json={"eventName": event["fullyQualifiedName"], "objectId": ann}).status_code == 204
    ids = [uuid.UUID(o["id"]) for o in occurrences(api, objectType="contact", objectId=ann)]
    assert len(set(ids)) == 3
    assert {(i.version, i.variant) for i in ids} == {(4, uuid.RFC_4122)}
