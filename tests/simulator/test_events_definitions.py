"""Custom event definitions (events v3): create, read, list, update, archive, and their properties; HubSpot's rules
and limits, each refused with its status and body and nothing changed."""

from __future__ import annotations

import pytest

DEFINITIONS = "/events/v3/event-definitions"
SEND = "/events/v3/send"
PLAN = {"name": "plan", "label": "Plan", "type": "enumeration", "options": [{"label": "Pro", "value": "pro"}]}


def create(api, **body):
    return api.post(DEFINITIONS, json={"label": "Trial activated", **body})


def names(api) -> list[str]:
    return [d["name"] for d in api.get(DEFINITIONS, params={"limit": 100}).json()["results"]]


def test_create_answers_201_with_the_definition_and_its_location(api, portal):
    answer = create(api, name="trial_activated", description="A trial began", propertyDefinitions=[PLAN])
    assert answer.status_code == 201
    body = answer.json()
    # the created definition under the path the request used (a dated one in test_dated_routes)
    assert answer.headers["Location"] == f"{str(answer.request.url).rstrip('/')}/trial_activated"
    assert answer.headers["Location"].endswith("/event-definitions/trial_activated")
    assert body["name"] == "trial_activated"
    assert body["fullyQualifiedName"] == f"pe{portal.id}_trial_activated"
    assert body["objectTypeId"] == f"6-{body['id']}"
    assert body["labels"] == {"singular": "Trial activated", "plural": "Trial activated"}
    assert (body["primaryObject"], body["archived"], body["description"]) == ("CONTACT", False, "A trial began")
    plan = next(p for p in body["properties"] if p["name"] == "plan")
    assert (plan["type"], plan["fieldType"], [o["value"] for o in plan["options"]]) == ("enumeration", "select",
                                                                                         ["pro"])  # fmt: skip
    assert "hs_page_url" in {p["name"] for p in body["properties"]}  # includeDefaultProperties defaults to true


def test_object_type_ids_come_from_a_per_portal_counter(api):
    first, second = create(api, name="a").json(), create(api, name="b").json()
    assert int(second["objectTypeId"].removeprefix("6-")) == int(first["objectTypeId"].removeprefix("6-")) + 1


def test_the_name_is_generated_from_the_label_when_absent(api):
    assert create(api, label="Visited Pricing Page!").json()["name"] == "visited_pricing_page"
    assert create(api, label="Visited Pricing Page!").json()["name"] == "visited_pricing_page_2"
    assert create(api, label="3D view").json()["name"] == "event_3d_view"


def test_without_default_properties_only_the_custom_ones_are_listed_and_accepted(api):
    body = create(api, name="lean", includeDefaultProperties=False, propertyDefinitions=[PLAN]).json()
    assert [p["name"] for p in body["properties"]] == ["plan"]
    contact = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "a@b.io"}}).json()["id"]
    answer = api.post(SEND, json={"eventName": body["fullyQualifiedName"], "objectId": contact,
                                  "properties": {"hs_page_url": "https://acme.io"}})  # fmt: skip
    assert answer.status_code == 400 and "PROPERTY_DOESNT_EXIST" in answer.json()["message"]


def test_a_company_event(api):
    body = create(api, name="workspace_created", primaryObject="COMPANY").json()
    assert body["primaryObject"] == "COMPANY"
    acme = api.post("/crm/v3/objects/companies", json={"properties": {"name": "Acme"}}).json()["id"]
    assert api.post(SEND, json={"eventName": body["fullyQualifiedName"], "objectId": acme}).status_code == 204
    by_email = api.post(SEND, json={"eventName": body["fullyQualifiedName"], "email": "ann@acme.io"})
    assert by_email.status_code == 400
    assert by_email.json()["message"] == (
        f"Event {body['fullyQualifiedName']} is recorded on COMPANY records: email and utk identify contacts only; "
        "send objectId"
    )
    found = api.get("/events/v3/events", params={"objectType": "company", "objectId": acme}).json()["results"]
    assert [(o["objectType"], o["objectId"]) for o in found] == [("COMPANY", acme)]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"name": "Trial"}, 400, "Event name 'Trial' is invalid: use at most 50 lowercase letters, digits and "
                                 "underscores, starting with a letter"),
        ({"name": "1trial"}, 400, None),
        ({"name": "t" * 51}, 400, None),
        ({"label": "x" * 101}, 400, None),
        ({"label": ""}, 400, None),
        ({"primaryObject": "TICKET"}, 400, "primaryObject TICKET is not one hubsim records events on: use one of "
                                           "CONTACT, COMPANY, DEAL"),
        ({"propertyDefinitions": [{"name": "plan", "label": "Plan", "type": "enumeration"}]}, 400,
         "Event property plan is an enumeration: it needs at least one option"),
        ({"propertyDefinitions": [{"name": "plan", "label": "Plan", "type": "colour"}]}, 400, None),
        ({"propertyDefinitions": [{"name": "hs_plan", "label": "Plan", "type": "string"}]}, 400,
         "Event property name 'hs_plan' is invalid: the hs_ prefix is reserved for HubSpot"),
        ({"propertyDefinitions": [PLAN, PLAN]}, 409, "Event property plan already exists"),
        ({"propertyDefinitions": [{"label": f"P{i}", "type": "string"} for i in range(51)]}, 400,
         "An event definition can have at most 50 custom properties, got 51"),
    ],
)  # fmt: skip
def test_a_bad_definition_is_refused_and_nothing_is_created(api, body, status, message):
    answer = create(api, **body)
    assert answer.status_code == status, answer.text
    if message is not None:
        assert answer.json()["message"] == message
    assert names(api) == []


def test_a_name_in_use_is_a_conflict(api):
    create(api, name="signed_up")
    answer = create(api, name="signed_up")
    assert (answer.status_code, answer.json()["category"]) == (409, "OBJECT_ALREADY_EXISTS")
    assert answer.json()["message"] == "An event named signed_up already exists"


def test_a_portal_holds_at_most_500_definitions(api, portal):
    api.post("/_sim/portal", json={"rateLimits": False})
    for i in range(500):
        assert create(api, name=f"e{i}", includeDefaultProperties=False).status_code == 201
    answer = create(api, name="one_more")
    assert (answer.status_code, answer.json()["message"]) == (400, "A portal can have at most 500 event definitions")
    assert portal.events.definition("one_more") is None


def test_get_by_name_or_fully_qualified_name_and_404_for_an_unknown_one(api, portal):
    create(api, name="signed_up")
    assert api.get(f"{DEFINITIONS}/signed_up").json()["name"] == "signed_up"
    assert api.get(f"{DEFINITIONS}/pe{portal.id}_signed_up").json()["name"] == "signed_up"
    missing = api.get(f"{DEFINITIONS}/nope")
    assert (missing.status_code, missing.json()["category"]) == (404, "OBJECT_NOT_FOUND")
    assert missing.json()["message"] == "Event definition nope does not exist"


def test_the_list_pages_searches_and_sorts(api):
    for name in ("alpha", "beta", "gamma"):
        create(api, name=name, label=name.title())
    first = api.get(DEFINITIONS, params={"limit": 2}).json()
    assert ([d["name"] for d in first["results"]], first["total"]) == (["alpha", "beta"], 3)
    assert all(d["properties"] == [] for d in first["results"])  # includeProperties defaults to false
    rest = api.get(DEFINITIONS, params={"limit": 2, "after": first["paging"]["next"]["after"]}).json()
    assert ([d["name"] for d in rest["results"]], "paging" in rest) == (["gamma"], False)
    found = api.get(DEFINITIONS, params={"searchString": "AMM", "includeProperties": "true"}).json()
    assert [d["name"] for d in found["results"]] == ["gamma"] and found["results"][0]["properties"]
    backwards = api.get(DEFINITIONS, params={"sortOrder": "DESC"}).json()
    assert [d["name"] for d in backwards["results"]] == ["gamma", "beta", "alpha"]
    bad = api.get(DEFINITIONS, params={"sortOrder": "sideways"})
    assert bad.status_code == 400


def test_patch_changes_label_and_description_and_answers_201(api):
    create(api, name="signed_up", propertyDefinitions=[PLAN])
    answer = api.patch(f"{DEFINITIONS}/signed_up", json={
        "label": "Signed up", "description": "A new account",
        "propertyOrder": [{"name": "plan", "label": "Plan tier"}],
    })  # fmt: skip
    assert answer.status_code == 201
    body = api.get(f"{DEFINITIONS}/signed_up").json()
    assert (body["labels"]["singular"], body["description"]) == ("Signed up", "A new account")
    assert next(p for p in body["properties"] if p["name"] == "plan")["label"] == "Plan tier"


def test_the_name_cannot_be_changed(api):
    create(api, name="signed_up")
    answer = api.patch(f"{DEFINITIONS}/signed_up", json={"name": "renamed"})
    assert answer.status_code == 400
    assert names(api) == ["signed_up"]


def test_properties_are_added_updated_and_archived(api, portal):
    body = create(api, name="signed_up", includeDefaultProperties=False).json()
    added = api.post(f"{DEFINITIONS}/signed_up/property", json=PLAN)
    assert added.status_code == 201 and added.json()["name"] == "plan"
    options = [{"label": "Pro", "value": "pro"}, {"label": "Team", "value": "team"}]
    updated = api.patch(f"{DEFINITIONS}/signed_up/property/plan", json={"label": "Tier", "options": options})
    assert updated.status_code == 201
    assert (updated.json()["label"], [o["value"] for o in updated.json()["options"]]) == ("Tier", ["pro", "team"])
    contact = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "a@b.io"}}).json()["id"]
    sent = {"eventName": body["fullyQualifiedName"], "objectId": contact, "properties": {"plan": "team"}}
    assert api.post(SEND, json=sent).status_code == 204
    assert api.delete(f"{DEFINITIONS}/signed_up/property/plan").status_code == 204
    assert [p["name"] for p in api.get(f"{DEFINITIONS}/signed_up").json()["properties"]] == []
    assert api.post(SEND, json=sent).status_code == 400  # the property is gone
    kept = api.get("/events/v3/events", params={"objectType": "contact", "objectId": contact}).json()["results"]
    assert [o["properties"] for o in kept] == [{"plan": "team"}]  # what was recorded stays
    missing = api.delete(f"{DEFINITIONS}/signed_up/property/plan")
    assert (missing.status_code, missing.json()["message"]) == (404, "Event signed_up has no custom property plan")


def test_only_an_enumeration_takes_options(api):
    create(api, name="signed_up")
    answer = api.post(f"{DEFINITIONS}/signed_up/property", json={**PLAN, "type": "string"})
    assert (answer.status_code, answer.json()["message"]) == (
        400, "Event property plan is not an enumeration: options apply to enumerations only")


def test_archiving_deletes_the_occurrences_and_the_name_is_never_reused(api, portal):
    body = create(api, name="signed_up").json()
    contact = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "a@b.io"}}).json()["id"]
    api.post(SEND, json={"eventName": body["fullyQualifiedName"], "objectId": contact})
    assert api.delete(f"{DEFINITIONS}/signed_up").status_code == 204
    assert api.get(f"{DEFINITIONS}/signed_up").status_code == 404
    assert api.get("/events/v3/events").json()["results"] == []
    with portal.lock:
        assert portal.events.timeline("contacts", contact, body["objectTypeId"]) == []
    again = create(api, name="signed_up")
    assert again.status_code == 400
    assert again.json()["message"] == "The event name signed_up belonged to a deleted event and cannot be used again"
    assert create(api, label="Signed up").json()["name"] == "signed_up_2"  # a generated name steps around it


def test_definitions_need_their_scope(api):
    api.post("/_sim/portal", json={"scopes": ["analytics.behavioral_events.send"]})
    answer = api.get(DEFINITIONS)
    assert answer.status_code == 403
    assert answer.json()["errors"][0]["context"] == {
        "requiredGranularScopes": ["behavioral_events.event_definitions.read_write"]
    }
