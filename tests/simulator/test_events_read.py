"""Reading occurrences (GET /events/v3/events, /event-types), the storage bound, utk visitors, merges and GDPR
deletes, and events in snapshots."""

from __future__ import annotations

import httpx
import pytest

SEND, BATCH, EVENTS = "/events/v3/send", "/events/v3/send/batch", "/events/v3/events"
DEFINITIONS = "/events/v3/event-definitions"
CONTACTS = "/crm/v3/objects/contacts"


@pytest.fixture
def names(api) -> tuple[str, str]:
    api.post("/_sim/clock", json={"set": "2030-01-10T12:00:00Z", "freeze": True}).raise_for_status()
    login = api.post(DEFINITIONS, json={"label": "Logged in", "propertyDefinitions": [
        {"name": "n", "label": "N", "type": "number"}]}).json()["fullyQualifiedName"]  # fmt: skip
    invite = api.post(DEFINITIONS, json={"label": "Invited"}).json()["fullyQualifiedName"]
    return login, invite


def contact(api, email: str) -> str:
    return api.post(CONTACTS, json={"properties": {"email": email}}).json()["id"]


def send_days(api, name: str, contact_id: str, days) -> None:
    inputs = [{"eventName": name, "objectId": contact_id, "occurredAt": f"2030-01-{day:02d}T00:00:00Z",
               "properties": {"n": day} if name.endswith("logged_in") else {}} for day in days]  # fmt: skip
    assert api.post(BATCH, json={"inputs": inputs}).status_code == 204


def read(api, **params) -> dict:
    answer = api.get(EVENTS, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def days(body: dict) -> list[int]:
    return [int(o["occurredAt"][8:10]) for o in body["results"]]


def test_filters_by_record_event_type_and_time(api, names):
    login, invite = names
    ann, bob = contact(api, "ann@acme.io"), contact(api, "bob@acme.io")
    send_days(api, login, ann, [1, 3, 5, 7])
    send_days(api, invite, ann, [2])
    send_days(api, login, bob, [4])
    assert days(read(api, objectType="contact", objectId=ann, sort="occurredAt")) == [1, 2, 3, 5, 7]
    assert days(read(api, objectType="contact", objectId=ann, eventType=login, sort="occurredAt")) == [1, 3, 5, 7]
    assert days(read(api, eventType=login, sort="occurredAt")) == [1, 3, 4, 5, 7]
    assert days(read(api, **{"objectProperty.email": "bob@acme.io"})) == [4]
    window = read(api, objectType="contact", objectId=ann, occurredAfter="2030-01-01T00:00:00Z",
                  occurredBefore="2030-01-07T00:00:00Z", sort="occurredAt")  # fmt: skip
    assert days(window) == [2, 3, 5]  # strictly after and strictly before
    assert days(read(api)) == [7, 5, 4, 3, 2, 1]  # newest first unless sort says otherwise
    assert read(api, eventType="pe1_unknown")["results"] == []
    assert read(api, objectType="contact", objectId="999999")["results"] == []


def test_ids_and_property_values_narrow_the_page(api, names):
    login, _ = names
    ann = contact(api, "ann@acme.io")
    send_days(api, login, ann, [1, 2, 3])
    assert days(read(api, **{"property.n": "2"})) == [2]
    ids = [o["id"] for o in read(api, sort="occurredAt")["results"]]
    assert days(read(api, id=[ids[0], ids[2]], sort="occurredAt")) == [1, 3]


def test_cursor_paging_walks_every_occurrence_once_in_both_orders(api, names):
    login, _ = names
    ann = contact(api, "ann@acme.io")
    send_days(api, login, ann, [3, 1, 2, 2, 5, 4, 6])
    for sort, expected in (("occurredAt", [1, 2, 2, 3, 4, 5, 6]), ("-occurredAt", [6, 5, 4, 3, 2, 2, 1])):
        seen, after = [], None
        while True:
            body = read(api, limit=3, sort=sort, **({"after": after} if after else {}))
            seen += days(body)
            if "paging" not in body:
                break
            after = body["paging"]["next"]["after"]
        assert seen == expected


def test_a_bad_query_is_refused(api, names):
    for params, message in (
        ({"after": "garbage"}, "after must be a cursor from paging.next.after, got 'garbage'"),
        ({"sort": "name"}, "Query parameter sort must be occurredAt or -occurredAt, got ['name']"),
        ({"objectType": "ticket"}, "objectType ticket is not one events are recorded on: use contact, company or deal"),
        ({"occurredAfter": "soon"},
         "Query parameter occurredAfter must be an ISO-8601 date-time or epoch milliseconds, got 'soon'"),
        ({"limit": "0"}, "Query parameter limit must be between 1 and 100, got 0"),
        ({"objectProperty.domain": "acme.io"},
         "hubsim reads events by objectProperty.email only, not objectProperty.domain"),
        ({"before": "x"}, "hubsim pages events forwards only: use after (paging.next.after)"),
    ):  # fmt: skip
        answer = api.get(EVENTS, params=params)
        assert (answer.status_code, answer.json()["message"]) == (400, message)


def test_event_types_lists_the_portals_definitions(api, names):
    assert api.get(f"{EVENTS}/event-types").json() == {"eventTypes": sorted(names)}


# --- storage bound ---------------------------------------------------------------------------------------------


def test_the_oldest_occurrences_beyond_the_storage_limit_are_dropped_and_counted(api, portal, names):
    login, _ = names
    ann = contact(api, "ann@acme.io")
    api.post("/_sim/portal", json={"eventStorageLimit": 3}).raise_for_status()
    send_days(api, login, ann, [5, 2, 7, 1, 9])
    assert days(read(api, sort="occurredAt")) == [5, 7, 9]
    usage = api.get("/_sim/usage").json()["events"]
    assert (usage["stored"], usage["dropped"], usage["storageLimit"]) == (3, 2, 3)
    api.post("/_sim/portal", json={"eventStorageLimit": 1}).raise_for_status()  # lowering it trims at once
    assert days(read(api)) == [9]
    assert api.get("/_sim/usage").json()["events"]["dropped"] == 4
    type_id = portal.events.definition(login).object_type_id
    with portal.lock:
        assert [o.occurred_at.day for o in portal.events.timeline("contacts", ann, type_id)] == [9]


def test_the_storage_limit_drops_the_oldest_across_event_types_and_records(api, names):
    login, invite = names
    ann, bob = contact(api, "ann@acme.io"), contact(api, "bob@acme.io")
    send_days(api, login, ann, [4, 8])
    send_days(api, invite, bob, [2, 6])
    send_days(api, invite, ann, [3])
    api.post("/_sim/portal", json={"eventStorageLimit": 3}).raise_for_status()
    assert days(read(api, sort="occurredAt")) == [4, 6, 8]
    send_days(api, login, bob, [5])  # sent last, yet older than two of them: the oldest kept goes
    assert days(read(api, sort="occurredAt")) == [5, 6, 8]


def test_the_storage_limit_is_bounded_by_hubspots_monthly_ceiling(api):
    answer = api.post("/_sim/portal", json={"eventStorageLimit": 30_000_001})
    assert answer.status_code == 400
    assert api.get("/_sim/portal").json()["eventStorageLimit"] == 1_000_000


# --- visitors, merges, deletes ---------------------------------------------------------------------------------


def test_a_utk_is_tied_to_the_contact_an_identified_send_names(api, names):
    login, _ = names
    ann = contact(api, "ann@acme.io")
    assert api.post(SEND, json={"eventName": login, "utk": "visitor-1"}).status_code == 204  # still anonymous
    assert read(api)["results"] == []
    assert api.get("/_sim/usage").json()["events"]["anonymous"] == 1
    api.post(SEND, json={"eventName": login, "email": "ann@acme.io", "utk": "visitor-1"})
    api.post(SEND, json={"eventName": login, "utk": "visitor-1"})
    assert [o["objectId"] for o in read(api)["results"]] == [ann, ann]


def test_a_merge_moves_the_occurrences_to_the_merged_record(api, portal, names):
    login, _ = names
    ann, dup = contact(api, "ann@acme.io"), contact(api, "ann.l@acme.io")
    send_days(api, login, ann, [1, 4])
    send_days(api, login, dup, [2])
    merged = api.post(f"{CONTACTS}/merge", json={"primaryObjectId": ann, "objectIdToMerge": dup}).json()["id"]
    found = read(api, objectType="contact", objectId=merged, sort="occurredAt")
    assert (days(found), {o["objectId"] for o in found["results"]}) == ([1, 2, 4], {merged})
    api.post(SEND, json={"eventName": login, "objectId": dup})  # a merged-away id names the merged record
    assert len(read(api, objectType="contact", objectId=merged)["results"]) == 4


def test_a_gdpr_delete_takes_the_occurrences_with_it(api, names):
    login, _ = names
    ann, bob = contact(api, "ann@acme.io"), contact(api, "bob@acme.io")
    send_days(api, login, ann, [1, 2])
    send_days(api, login, bob, [3])
    assert api.post(f"{CONTACTS}/gdpr-delete", json={"objectId": ann}).status_code == 204
    assert [o["objectId"] for o in read(api)["results"]] == [bob]
    assert api.get("/_sim/usage").json()["events"]["stored"] == 1


# --- snapshots -------------------------------------------------------------------------------------------------


def test_definitions_and_occurrences_round_trip_through_a_snapshot(api, app, names):
    login, _ = names
    ann = contact(api, "ann@acme.io")
    send_days(api, login, ann, [3, 1])
    api.post(SEND, json={"eventName": login, "email": "ann@acme.io", "utk": "v-1"})
    api.delete(f"{DEFINITIONS}/invited")
    exported = api.get("/_sim/snapshot").json()
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://hubsim.test",
                      headers={"Authorization": "Bearer pat-na1-other"}) as other:  # fmt: skip
        assert other.post("/_sim/snapshot", json=exported).status_code == 200
        assert other.get("/_sim/snapshot").json()["events"] == exported["events"]
        other_login = other.get(f"{DEFINITIONS}/logged_in").json()["fullyQualifiedName"]
        assert days(other.get(EVENTS, params={"sort": "occurredAt"}).json()) == [1, 3, 10]
        assert other.post(DEFINITIONS, json={"label": "x", "name": "invited"}).status_code == 400  # still deleted
        assert other.post(SEND, json={"eventName": other_login, "utk": "v-1"}).status_code == 204
        assert len(other.get(EVENTS).json()["results"]) == 4  # the utk is still tied to ann


def test_a_snapshot_without_events_restores_an_empty_event_store(api, names):
    contact(api, "ann@acme.io")
    exported = api.get("/_sim/snapshot").json()
    older = {k: v for k, v in exported.items() if k != "events"} | {"version": 1}
    assert api.post("/_sim/snapshot", json=older).status_code == 200
    assert api.get(DEFINITIONS).json()["results"] == []


def test_a_bad_events_section_is_refused_and_changes_nothing(api, names):
    login, _ = names
    ann = contact(api, "ann@acme.io")
    send_days(api, login, ann, [1])
    exported = api.get("/_sim/snapshot").json()
    exported["events"]["occurrences"][0]["objectId"] = "424242"
    answer = api.post("/_sim/snapshot", json=exported)
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("Invalid snapshot: events: occurrence ")
    assert days(read(api)) == [1]
