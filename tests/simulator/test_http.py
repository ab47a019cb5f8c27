"""HubSpot's face on every failure: auth, scopes, bad bodies, unknown routes, wrong methods, oversize bodies."""

from __future__ import annotations

import httpx
import pytest

from simulator import Hub, create_app
from simulator.app import MAX_BODY_BYTES
from simulator.config import HubConfig
from simulator.errors import InvalidAuthentication

CONTACTS = "/crm/v3/objects/contacts"


def client(app, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://hubsim.test", headers=headers)


@pytest.fixture
def strict_app():
    config = HubConfig.model_validate({"portals": [
        {"token": "pat-full", "tier": "professional", "timeZone": "Europe/Oslo", "portalId": 4242},
        {"token": "pat-readonly", "scopes": ["crm.objects.contacts.read"]},
    ]})
    app = create_app(Hub(config))
    app.testing = True
    return app


def assert_hubspot_error(response: httpx.Response, status: int, category: str) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json;charset=utf-8"
    body = response.json()
    assert body["status"] == "error"
    assert body["category"] == category
    assert body["correlationId"] == response.headers["X-HubSpot-Correlation-Id"]
    return body


def test_no_token_is_401_in_open_mode_too(app):
    body = assert_hubspot_error(client(app).get(CONTACTS), 401, "INVALID_AUTHENTICATION")
    assert body["message"] == InvalidAuthentication.MESSAGE


def test_a_non_bearer_authorization_is_401(app):
    response = client(app).get(CONTACTS, headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert_hubspot_error(response, 401, "INVALID_AUTHENTICATION")


def test_open_mode_gives_every_token_its_own_portal(app):
    client(app, "alpha").post(CONTACTS, json={"properties": {"email": "a@b.io"}})
    assert len(client(app, "alpha").get(CONTACTS).json()["results"]) == 1
    assert client(app, "beta").get(CONTACTS).json()["results"] == []


def test_strict_mode_refuses_unknown_tokens(strict_app):
    assert_hubspot_error(client(strict_app, "pat-unknown").get(CONTACTS), 401, "INVALID_AUTHENTICATION")
    assert client(strict_app, "pat-full").get(CONTACTS).status_code == 200


def test_strict_mode_portals_carry_their_declared_settings(strict_app):
    settings = client(strict_app, "pat-full").get("/_sim/portal").json()
    assert settings["portalId"] == 4242
    assert settings["tier"] == "professional"
    assert settings["timeZone"] == "Europe/Oslo"


def test_a_missing_scope_is_hubspots_403(strict_app):
    readonly = client(strict_app, "pat-readonly")
    assert readonly.get(CONTACTS).status_code == 200
    body = assert_hubspot_error(readonly.post(CONTACTS, json={"properties": {}}), 403, "MISSING_SCOPES")
    assert body["errors"][0]["context"] == {"requiredGranularScopes": ["crm.objects.contacts.write"]}
    assert body["links"] == {"scopes": "https://developers.hubspot.com/scopes"}
    assert readonly.get(CONTACTS).json()["results"] == []


def test_the_properties_api_needs_schema_scopes(strict_app):
    readonly = client(strict_app, "pat-readonly")
    body = assert_hubspot_error(readonly.get("/crm/v3/properties/contacts"), 403, "MISSING_SCOPES")
    assert body["errors"][0]["context"] == {"requiredGranularScopes": ["crm.schemas.contacts.read"]}


def test_malformed_json_names_the_line_and_column(api):
    response = api.post(CONTACTS, content=b'{"properties": {"email": }', headers={"Content-Type": "application/json"})
    body = assert_hubspot_error(response, 400, "VALIDATION_ERROR")
    assert body["message"].startswith("Invalid input JSON on line 1, column 26")


def test_an_empty_body_is_a_validation_error(api):
    assert_hubspot_error(api.post(CONTACTS), 400, "VALIDATION_ERROR")


def test_wrong_types_name_the_field(api):
    body = assert_hubspot_error(api.post(CONTACTS, json={"properties": ["email"]}), 400, "VALIDATION_ERROR")
    assert body["errors"][0]["in"] == "properties"


def test_unknown_body_fields_are_refused(api):
    body = assert_hubspot_error(api.post(CONTACTS, json={"properties": {}, "propertees": {}}), 400, "VALIDATION_ERROR")
    assert body["errors"][0]["code"] == "UNRECOGNIZED_FIELD"


def test_an_oversize_body_is_413(api):
    huge = b'{"properties": {"firstname": "' + b"x" * (MAX_BODY_BYTES + 1) + b'"}}'
    assert_hubspot_error(api.post(CONTACTS, content=huge), 413, "VALIDATION_ERROR")


def test_an_unknown_route_is_a_hubspot_shaped_404_even_without_a_token(app):
    body = assert_hubspot_error(client(app).get("/crm/v3/nothing/here"), 404, "OBJECT_NOT_FOUND")
    assert "/crm/v3/nothing/here" in body["message"]


def test_a_wrong_method_is_405_with_allow(api):
    response = api.put(CONTACTS)
    assert_hubspot_error(response, 405, "VALIDATION_ERROR")
    assert "POST" in response.headers["Allow"]


def test_trailing_slashes_are_accepted_on_every_method(api):
    assert api.post(f"{CONTACTS}/", json={"properties": {"email": "a@b.io"}}).status_code == 201
    assert len(api.get(f"{CONTACTS}/").json()["results"]) == 1


def test_successful_responses_carry_a_correlation_id(api):
    response = api.get(CONTACTS)
    assert len(response.headers["X-HubSpot-Correlation-Id"]) == 36


def test_health_needs_no_token(app):
    assert client(app).get("/_sim/health").json()["status"] == "ok"


def test_reset_empties_the_portal_and_restores_default_definitions(api):
    api.post("/crm/v3/properties/contacts", json={"name": "pql_score", "label": "PQL", "type": "number",
                                                  "fieldType": "number", "groupName": "contactinformation"})
    api.post(CONTACTS, json={"properties": {"email": "a@b.io"}})
    assert api.post("/_sim/reset").status_code == 204
    assert api.get(CONTACTS).json()["results"] == []
    assert api.get("/crm/v3/properties/contacts/pql_score").status_code == 404


def test_portal_settings_change_and_bad_ones_are_refused(api):
    changed = api.post("/_sim/portal", json={"tier": "starter", "timeZone": "America/New_York"}).json()
    assert (changed["tier"], changed["timeZone"]) == ("starter", "America/New_York")
    assert api.post("/_sim/portal", json={"tier": "platinum"}).status_code == 400
    assert api.post("/_sim/portal", json={"timeZone": "Mars/Olympus"}).status_code == 400
    assert api.get("/_sim/portal").json()["tier"] == "starter"


def test_scopes_set_through_the_control_api_are_enforced(api):
    api.post("/_sim/portal", json={"scopes": ["crm.objects.contacts.read"]})
    assert api.post(CONTACTS, json={"properties": {}}).status_code == 403
    api.post("/_sim/portal", json={"scopes": None})
    assert api.post(CONTACTS, json={"properties": {}}).status_code == 201


def test_an_unexpected_exception_is_a_hubspot_shaped_500(hub, monkeypatch):
    app = create_app(hub)  # not testing: the handler answers instead of raising

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom-42")

    monkeypatch.setattr("simulator.crm.objects.ObjectStore.page", boom)
    body = assert_hubspot_error(client(app, "t").get(CONTACTS), 500, "INTERNAL_ERROR")
    assert "kaboom-42" not in body["message"]  # internals stay in the log
