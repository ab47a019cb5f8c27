"""The PLG playbook flows shipped with hubsim: installed through the control API, driven with the clock."""

from __future__ import annotations

from workflow_kit import advance, contact, enrollments, freeze, last, outbox, read


AVA, PRIYA = "75103841", "75103843"


def properties(api, *specs: tuple[str, str]) -> None:
    """Custom contact properties a playbook flow reads (name, type)."""
    field = {"number": "number", "string": "text", "datetime": "date", "bool": "booleancheckbox"}
    for name, kind in specs:
        body = {"name": name, "label": name, "type": kind, "fieldType": field[kind], "groupName": "contactinformation"}
        if kind == "bool":
            body["options"] = [{"label": "Yes", "value": "true"}, {"label": "No", "value": "false"}]
        assert api.post("/crm/v3/properties/contacts", json=body).status_code == 201


def install(api, name: str, **event_ids: str) -> dict:
    response = api.post("/_sim/workflows/playbook", json={"name": name, "eventTypeIds": event_ids})
    assert response.status_code == 201, response.text
    return response.json()


def test_the_playbook_lists_each_flow_with_what_it_needs(api):
    listed = {f["name"]: f for f in api.get("/_sim/workflows/playbook").json()["results"]}
    assert sorted(listed) == ["disqualification", "high-intent", "negative-signal", "pql-routing", "qualification",
                              "webinar-attended"]
    assert listed["webinar-attended"]["events"] == ["webinar_attended"]
    assert {"pql_score", "fit_score", "hubspot_owner_id"} <= set(listed["pql-routing"]["properties"])


def test_a_playbook_flow_needs_its_events_and_properties_first(api):
    missing_event = api.post("/_sim/workflows/playbook", json={"name": "webinar-attended"})
    assert missing_event.status_code == 400
    assert "needs the custom event webinar_attended" in missing_event.json()["message"]
    missing_property = api.post("/_sim/workflows/playbook", json={"name": "webinar-attended",
                                                                  "eventTypeIds": {"webinar_attended": "6-9"}})
    assert missing_property.status_code == 400
    assert "'webinar_topic' is not a property of contacts" in missing_property.json()["message"]
    unknown = api.post("/_sim/workflows/playbook", json={"name": "nope"})
    assert unknown.status_code == 404


def event(api, name: str, *property_names: str) -> dict:
    """A custom behavioral event definition with string properties."""
    created = api.post("/events/v3/event-definitions", json={"label": name, "name": name, "propertyDefinitions": [
        {"name": p, "label": p, "type": "string"} for p in property_names]})  # fmt: skip
    assert created.status_code == 201, created.text
    return created.json()


def send(api, definition: dict, contact_id: str, **properties: str) -> None:
    sent = api.post("/events/v3/send", json={"eventName": definition["fullyQualifiedName"], "objectId": contact_id,
                                             "properties": properties})  # fmt: skip
    assert sent.status_code == 204, sent.text


def test_webinar_attended_tags_sends_the_recording_and_tells_the_owner_of_a_target_account(api):
    freeze(api)
    properties(api, ("webinar_topic", "string"), ("target_account", "bool"))
    webinar = event(api, "webinar_attended", "topic")
    flow = install(api, "webinar-attended")
    assert flow["enrollmentCriteria"]["eventFilterBranches"][0]["eventTypeId"] == webinar["objectTypeId"]
    flow_id = flow["id"]
    target = contact(api, email="cto@bigco.com", firstname="Kim", target_account="true", hubspot_owner_id=PRIYA)
    other = contact(api, email="dev@small.io", target_account="false", hubspot_owner_id=AVA)
    for contact_id in (target, other):
        send(api, webinar, contact_id, topic="usage-based pricing")
    assert read(api, "contacts", target, "webinar_topic")["webinar_topic"] == "usage-based pricing"
    assert outbox(api) == []  # the recording goes out within two hours, not at once
    advance(api, "PT2H")
    sent = outbox(api)
    assert [(m["type"], m["objectId"]) for m in sent] == [
        ("MARKETING_EMAIL", target), ("INTERNAL_EMAIL", target), ("MARKETING_EMAIL", other)]
    assert sent[0]["sentAt"] == "2031-03-03T10:30:00.000Z"
    assert sent[1]["recipients"][0]["ownerId"] == PRIYA
    assert sent[1]["body"] == "Kim  () attended the webinar on usage-based pricing."
    assert last(api, flow_id, other)["history"][-2]["branch"] == "Not a target account"
    assert enrollments(api, flow_id)["counts"]["completed"] == 2
