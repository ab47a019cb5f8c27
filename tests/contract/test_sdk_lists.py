"""The official hubspot-api-client's crm.lists clients (lists, memberships, folders) over a socket, with HubSpot's two
list examples: membership follows a property write, appears on the third event, goes when the window passes."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest
from hubspot import HubSpot
from hubspot.crm.contacts import SimplePublicObjectInput, SimplePublicObjectInputForCreate
from hubspot.crm.lists import ApiException, ListFolderCreateRequest, ListSearchRequest, MembershipChangeRequest

from tests.simulator.list_kit import EVENT_LIST, PQL_LIST


@pytest.fixture
def sdk(hubspot_sim) -> HubSpot:
    hubspot_sim.clock.set(datetime(2030, 1, 10, 12, tzinfo=UTC))
    hubspot_sim.clock.freeze()
    return HubSpot(access_token=hubspot_sim.token, host=hubspot_sim.base_url, base_url=hubspot_sim.base_url)


def contact(sdk: HubSpot, **properties) -> str:
    return sdk.crm.contacts.basic_api.create(SimplePublicObjectInputForCreate(properties=properties)).id


def member_ids(sdk: HubSpot, list_id: str) -> list[str]:
    return [m.record_id for m in sdk.crm.lists.memberships_api.get_page(list_id).results]


def test_a_dynamic_list_from_hubspots_example_follows_writes(sdk):
    sdk.api_request({"method": "POST", "path": "/crm/v3/properties/contacts", "body": {
        "name": "pql_score", "label": "PQL score", "type": "number", "fieldType": "number",
        "groupName": "contactinformation"}})  # fmt: skip
    created = sdk.crm.lists.lists_api.create(PQL_LIST).list
    assert (created.processing_type, created.processing_status, created.size) == ("DYNAMIC", "COMPLETE", 0)
    ann = contact(sdk, email="ann@acme.io", pql_score="71")
    assert member_ids(sdk, created.list_id) == [ann]

    sdk.crm.contacts.basic_api.update(ann, SimplePublicObjectInput(properties={"lifecyclestage": "customer"}))
    assert member_ids(sdk, created.list_id) == []
    fetched = sdk.crm.lists.lists_api.get_by_id(created.list_id, include_filters=True).list
    assert fetched.filter_branch.filter_branches[0].filters[0]._property == "pql_score"  # the SDK's spelling
    by_name = sdk.crm.lists.lists_api.get_by_name("pql >= 70, not customer", "0-1").list
    assert by_name.list_id == created.list_id


def test_the_event_example_through_the_sdk_and_the_clock(sdk, hubspot_sim):
    event = sdk.api_request({"method": "POST", "path": "/events/v3/event-definitions",
                             "body": {"label": "Used X", "name": "used_x"}}).json()  # fmt: skip
    body = copy.deepcopy(EVENT_LIST)
    body["filterBranch"]["filterBranches"][0]["filterBranches"][0]["eventTypeId"] = event["objectTypeId"]
    list_id = sdk.crm.lists.lists_api.create(body).list.list_id
    ann = contact(sdk, email="ann@acme.io")
    for at in ("2030-01-04T12:00:00Z", "2030-01-08T12:00:00Z", "2030-01-10T12:00:00Z"):
        assert member_ids(sdk, list_id) == []
        sdk.events.send.basic_api.send({"eventName": event["fullyQualifiedName"], "email": "ann@acme.io",
                                        "occurredAt": at})  # fmt: skip
    assert member_ids(sdk, list_id) == [ann]
    [membership] = sdk.crm.lists.memberships_api.get_lists("0-1", ann).results
    assert membership.list_id == list_id

    hubspot_sim.clock.advance(days=1, seconds=1)
    assert member_ids(sdk, list_id) == []


def test_manual_memberships_and_errors(sdk):
    created = sdk.crm.lists.lists_api.create({"name": "Hand-picked", "objectTypeId": "0-1",
                                              "processingType": "MANUAL"}).list  # fmt: skip
    ann, bob = contact(sdk, email="ann@acme.io"), contact(sdk, email="bob@acme.io")
    added = sdk.crm.lists.memberships_api.add(created.list_id, [ann, bob, "424242"])
    assert (added.records_ids_added, added.record_ids_missing) == ([ann, bob], ["424242"])
    changed = sdk.crm.lists.memberships_api.add_and_remove(
        created.list_id, MembershipChangeRequest(record_ids_to_add=[], record_ids_to_remove=[bob]))
    assert changed.record_ids_removed == [bob]
    ordered = sdk.crm.lists.memberships_api.get_page_ordered_by_added_to_list_date(created.list_id)
    assert [m.record_id for m in ordered.results] == [ann]
    found = sdk.crm.lists.lists_api.do_search(ListSearchRequest(query="hand", offset=0, additional_properties=[]))
    assert [f.list_id for f in found.lists] == [created.list_id]

    with pytest.raises(ApiException) as missing:
        sdk.crm.lists.lists_api.get_by_id("999")
    assert missing.value.status == 404
    assert json.loads(missing.value.body)["category"] == "OBJECT_NOT_FOUND"


def test_folders(sdk):
    folder = sdk.crm.lists.folders_api.create(ListFolderCreateRequest(name="PLG")).folder
    root = sdk.crm.lists.folders_api.get_all().folder
    assert [child.name for child in root.child_nodes] == ["PLG"]
    assert str(folder.parent_folder_id) == "0"  # the SDK reads the id as a number


def test_calendar_and_comparative_filters_through_the_sdk(sdk, hubspot_sim):
    for name in ("renews", "trial_ends"):
        sdk.api_request({"method": "POST", "path": "/crm/v3/properties/contacts", "body": {
            "name": name, "label": name, "type": "datetime", "fieldType": "date",
            "groupName": "contactinformation"}})  # fmt: skip
    this_week = {"filterType": "PROPERTY", "property": "renews", "operation": {
        "operationType": "CALENDAR_DATE", "operator": "IN_THIS_TIME_UNIT", "timeUnit": "WEEK",
        "includeObjectsWithNoValueSet": False}}  # fmt: skip
    after_trial = {"filterType": "PROPERTY", "property": "renews", "operation": {
        "operationType": "COMPARATIVE_DATE", "operator": "IS_AFTER", "comparisonPropertyName": "trial_ends",
        "includeObjectsWithNoValueSet": False}}  # fmt: skip
    body = {"name": "Renews this week, after the trial", "objectTypeId": "0-1", "processingType": "DYNAMIC",
            "filterBranch": {"filterBranchType": "OR", "filterBranchOperator": "OR", "filters": [], "filterBranches": [
                {"filterBranchType": "AND", "filterBranchOperator": "AND", "filterBranches": [],
                 "filters": [this_week, after_trial]}]}}  # fmt: skip
    list_id = sdk.crm.lists.lists_api.create(body).list.list_id
    ann = contact(sdk, email="ann@acme.io", renews="2030-01-12T09:00:00Z", trial_ends="2030-01-01T00:00:00Z")
    assert member_ids(sdk, list_id) == [ann]
    fetched = sdk.crm.lists.lists_api.get_by_id(list_id, include_filters=True).list
    calendar, comparative = (f.operation for f in fetched.filter_branch.filter_branches[0].filters)
    assert (calendar.operation_type, calendar.time_unit, calendar.time_unit_count) == ("CALENDAR_DATE", "WEEK", 1)
    assert (comparative.operation_type, comparative.comparison_property_name) == ("COMPARATIVE_DATE", "trial_ends")

    sdk.crm.contacts.basic_api.update(ann, SimplePublicObjectInput(properties={"trial_ends": "2030-01-20T00:00:00Z"}))
    assert member_ids(sdk, list_id) == []
    sdk.crm.contacts.basic_api.update(ann, SimplePublicObjectInput(properties={"trial_ends": "2030-01-02T00:00:00Z"}))
    assert member_ids(sdk, list_id) == [ann]
    hubspot_sim.clock.set(datetime(2030, 1, 14, tzinfo=UTC))  # Monday: a new week
    assert member_ids(sdk, list_id) == []

    bad = copy.deepcopy(body)
    bad["name"] = "Bad"
    bad["filterBranch"]["filterBranches"][0]["filters"][0]["operation"]["timeUnit"] = "FORTNIGHT"
    with pytest.raises(ApiException) as refused:
        sdk.crm.lists.lists_api.create(bad)
    assert refused.value.status == 400
    assert "timeUnit" in json.loads(refused.value.body)["message"]
