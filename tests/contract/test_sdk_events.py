"""The official hubspot-api-client's events clients over a socket: send, send/batch, reading occurrences and event
types; definitions through the generic api_request (12.0.0 has no definitions client); errors as ApiException."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hubspot import HubSpot
from hubspot.events import ApiException as EventsApiException
from hubspot.events.send import ApiException, BatchedBehavioralEventHttpCompletionRequest
from hubspot.events.send import BehavioralEventHttpCompletionRequest as Occurrence


@pytest.fixture
def sdk(hubspot_sim) -> HubSpot:
    return HubSpot(access_token=hubspot_sim.token, host=hubspot_sim.base_url, base_url=hubspot_sim.base_url)


@pytest.fixture
def event(sdk) -> dict:
    answer = sdk.api_request({"method": "POST", "path": "/events/v3/event-definitions", "body": {
        "label": "Feature used", "name": "feature_used", "primaryObject": "CONTACT", "includeDefaultProperties": True,
        "propertyDefinitions": [{"name": "feature", "label": "Feature", "type": "enumeration", "options": [
            {"label": "Reports", "value": "reports"}, {"label": "API", "value": "api"}]}],
    }})  # fmt: skip
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_definitions_through_api_request(sdk, event):
    fetched = sdk.api_request({"method": "GET", "path": "/events/v3/event-definitions/feature_used"}).json()
    assert (fetched["fullyQualifiedName"], fetched["objectTypeId"]) == (event["fullyQualifiedName"],
                                                                        event["objectTypeId"])  # fmt: skip
    listed = sdk.api_request({"method": "GET", "path": "/events/v3/event-definitions",
                              "qs": {"includeProperties": True}}).json()  # fmt: skip
    assert [d["name"] for d in listed["results"]] == ["feature_used"] and listed["total"] == 1


def test_send_batch_and_read_the_occurrences_back_in_pages(sdk, event):
    name = event["fullyQualifiedName"]
    sdk.events.send.basic_api.send(Occurrence(event_name=name, email="ann@acme.io", properties={"feature": "api"},
                                              occurred_at=datetime(2030, 1, 1, tzinfo=UTC)))  # fmt: skip
    batch = [Occurrence(event_name=name, email="ann@acme.io", properties={"feature": "reports"},
                        occurred_at=datetime(2030, 1, day, tzinfo=UTC)) for day in (2, 3, 4)]  # fmt: skip
    sdk.events.send.batch_api.send(BatchedBehavioralEventHttpCompletionRequest(inputs=batch))
    ann = sdk.crm.contacts.basic_api.get_by_id("ann@acme.io", id_property="email").id
    seen, after = [], None
    while True:
        page = sdk.events.events_api.get_page(object_type="contact", object_id=int(ann), event_type=name, limit=3,
                                              sort=["occurredAt"], after=after)  # fmt: skip
        seen += [(o.occurred_at.day, o.properties["feature"], o.object_id, o.object_type) for o in page.results]
        if page.paging is None:
            break
        after = page.paging.next.after
    assert seen == [(1, "api", ann, "CONTACT"), (2, "reports", ann, "CONTACT"), (3, "reports", ann, "CONTACT"),
                    (4, "reports", ann, "CONTACT")]  # fmt: skip
    assert sdk.events.events_api.get_types().event_types == [name]


def test_a_bad_send_raises_api_exception_with_hubspots_body(sdk, event):
    with pytest.raises(ApiException) as raised:
        sdk.events.send.basic_api.send(Occurrence(event_name=event["fullyQualifiedName"], email="ann@acme.io",
                                                  properties={"feature": "spreadsheets"}))  # fmt: skip
    assert raised.value.status == 400
    body = json.loads(raised.value.body)
    assert body["category"] == "VALIDATION_ERROR"
    assert body["errors"] == [{"message": "spreadsheets was not one of the allowed options: [reports, api]",
                               "code": "INVALID_OPTION", "context": {"propertyName": ["feature"]}}]  # fmt: skip


def test_a_bad_read_raises_api_exception(sdk, event):
    with pytest.raises(EventsApiException) as raised:
        sdk.events.events_api.get_page(object_type="ticket", object_id=1)
    assert raised.value.status == 400
    assert json.loads(raised.value.body)["message"].startswith("objectType ticket is not one events are recorded on")
