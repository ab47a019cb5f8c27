"""Writes are validated by property type and rejected the HubSpot way; stored values are HubSpot's strings."""

from __future__ import annotations

import json

import pytest

CONTACTS = "/crm/v3/objects/contacts"


@pytest.fixture
def typed(api):
    """Custom properties of every type on contacts."""
    for name, kind, field_type, options in [
        ("seats", "number", "number", []),
        ("is_trial", "bool", "booleancheckbox", []),
        ("trial_ends", "date", "date", []),
        ("last_seen", "datetime", "date", []),
        ("plan", "enumeration", "select", [{"label": "Pro", "value": "pro"}, {"label": "Team", "value": "team"}]),
        ("features", "enumeration", "checkbox", [{"label": x, "value": x} for x in ("sso", "api", "audit")]),
    ]:
        response = api.post("/crm/v3/properties/contacts", json={
            "name": name, "label": name.title(), "type": kind, "fieldType": field_type,
            "groupName": "contactinformation", "options": options})
        assert response.status_code == 201, response.text
    return api


def write(api, **properties):
    return api.post(CONTACTS, json={"properties": {"email": "ann@acme.io", **properties}})


@pytest.mark.parametrize(
    ("name", "sent", "stored"),
    [
        ("seats", "17", "17"),
        ("seats", 17, "17"),
        ("seats", "10.50", "10.5"),
        ("seats", 2.0, "2"),
        ("seats", "-0.25", "-0.25"),
        ("is_trial", True, "true"),
        ("is_trial", "FALSE", "false"),
        ("trial_ends", "2030-02-01", "2030-02-01"),
        ("trial_ends", "1896652800000", "2030-02-07"),
        ("last_seen", "2030-02-01T10:00:00Z", "2030-02-01T10:00:00.000Z"),
        ("last_seen", "2030-02-01T12:00:00+02:00", "2030-02-01T10:00:00.000Z"),
        ("last_seen", 1896652800123, "2030-02-07T00:00:00.123Z"),
        ("plan", "pro", "pro"),
        ("features", "sso;api", "sso;api"),
    ],
)
def test_values_are_stored_as_hubspot_strings(typed, name, sent, stored):
    response = write(typed, **{name: sent})
    assert response.status_code == 201, response.text
    assert response.json()["properties"][name] == stored


@pytest.mark.parametrize(
    ("name", "sent", "code"),
    [
        ("seats", "twelve", "INVALID_INTEGER"),
        ("seats", "NaN", "INVALID_INTEGER"),
        ("is_trial", "yes", "INVALID_BOOLEAN"),
        ("trial_ends", "01/02/2030", "INVALID_DATE"),
        ("trial_ends", "1896652800001", "INVALID_DATE"),
        ("last_seen", "last tuesday", "INVALID_DATETIME"),
        ("plan", "Pro", "INVALID_OPTION"),
        ("features", "sso;nope", "INVALID_OPTION"),
        ("email", "example.lcom", "INVALID_EMAIL"),
        ("nonexistent", "x", "PROPERTY_DOESNT_EXIST"),
        ("hs_object_id", "5", "READ_ONLY_VALUE"),
    ],
)
def test_bad_values_are_rejected_with_hubspots_codes(typed, name, sent, code):
    response = write(typed, **{name: sent})
    body = response.json()
    assert response.status_code == 400
    assert body["category"] == "VALIDATION_ERROR"
    assert body["message"].startswith("Property values were not valid: ")
    embedded = json.loads(body["message"].removeprefix("Property values were not valid: "))
    assert [(e["name"], e["error"], e["isValid"]) for e in embedded] == [(name, code, False)]
    assert body["errors"] == [{"message": embedded[0]["message"], "code": code, "context": {"propertyName": [name]}}]
    assert typed.get(CONTACTS).json()["results"] == []


def test_the_unknown_property_message_is_hubspots(api):
    body = write(api, testproperty="x").json()
    assert body["errors"][0]["message"] == 'Property "testproperty" does not exist'


def test_every_bad_value_is_reported_at_once_and_nothing_is_written(typed):
    body = write(typed, seats="x", plan="gold", firstname="Ann").json()
    embedded = json.loads(body["message"].removeprefix("Property values were not valid: "))
    assert sorted(e["name"] for e in embedded) == ["plan", "seats"]
    assert typed.get(CONTACTS).json()["results"] == []


def test_an_enumeration_error_lists_the_allowed_options(typed):
    body = write(typed, plan="gold").json()
    assert body["errors"][0]["message"] == "gold was not one of the allowed options: [pro, team]"


def test_a_leading_semicolon_appends_to_a_multi_checkbox(typed):
    contact = write(typed, features="sso").json()
    updated = typed.patch(f"{CONTACTS}/{contact['id']}", json={"properties": {"features": ";api"}}).json()
    assert updated["properties"]["features"] == "sso;api"


def test_a_non_string_non_scalar_value_is_a_body_error(api):
    response = write(api, firstname={"nested": True})
    assert response.status_code == 400
    assert response.json()["message"].startswith("Invalid input JSON")


def test_lifecycle_stage_takes_hubspots_options(api):
    assert write(api, lifecyclestage="salesqualifiedlead").status_code == 201
    assert write(api, email="bob@acme.io", lifecyclestage="sql").status_code == 400
