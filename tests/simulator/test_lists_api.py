"""Lists v3 over HTTP: create, read (by id, name, ids), search, rename, delete and restore, memberships, folders;
each refusal with HubSpot's status and body, and nothing changed by it."""

from __future__ import annotations

import pytest

from simulator.feed import MembershipChanged

LISTS = "/crm/v3/lists"
EMAIL_KNOWN = {"filterBranchType": "OR", "filters": [], "filterBranches": [{
    "filterBranchType": "AND", "filterBranches": [],
    "filters": [{"filterType": "PROPERTY", "property": "email",
                 "operation": {"operationType": "STRING", "operator": "ENDS_WITH", "value": "@acme.io"}}]}]}  # fmt: skip


@pytest.fixture(autouse=True)
def frozen(api):
    api.post("/_sim/clock", json={"set": "2030-01-10T12:00:00Z", "freeze": True}).raise_for_status()


def contact(api, email: str) -> str:
    return api.post("/crm/v3/objects/contacts", json={"properties": {"email": email}}).json()["id"]


def create(api, name: str = "Trials", processing_type: str = "MANUAL", **extra) -> dict:
    answer = api.post(f"{LISTS}/", json={"name": name, "objectTypeId": "0-1", "processingType": processing_type,
                                         **extra})  # fmt: skip
    assert answer.status_code == 200, answer.text
    return answer.json()["list"]


def test_create_answers_200_with_the_list_hubspots_sdk_requires(api):
    listed = create(api)
    assert listed == {
        "listId": "1", "listVersion": 1, "name": "Trials", "objectTypeId": "0-1", "processingType": "MANUAL",
        "processingStatus": "COMPLETE", "size": 0, "createdAt": "2030-01-10T12:00:00.000Z",
        "updatedAt": "2030-01-10T12:00:00.000Z", "filtersUpdatedAt": "2030-01-10T12:00:00.000Z",
    }  # fmt: skip


def test_read_by_id_name_and_ids(api):
    first, second = create(api, "Trials"), create(api, "Signups", "DYNAMIC", filterBranch=EMAIL_KNOWN)
    by_id = api.get(f"{LISTS}/{second['listId']}").json()["list"]
    assert "filterBranch" not in by_id
    with_filters = api.get(f"{LISTS}/{second['listId']}", params={"includeFilters": "True"}).json()["list"]
    assert with_filters["filterBranch"]["filterBranches"][0]["filters"][0]["property"] == "email"
    by_name = api.get(f"{LISTS}/object-type-id/0-1/name/signups").json()["list"]  # names match in any case
    assert by_name["listId"] == second["listId"]
    by_ids = api.get(f"{LISTS}/", params=[("listIds", first["listId"]), ("listIds", second["listId"]),
                                          ("listIds", "999")]).json()  # fmt: skip
    assert [found["listId"] for found in by_ids["lists"]] == [first["listId"], second["listId"]]


def test_unknown_list_is_a_404(api):
    answer = api.get(f"{LISTS}/42")
    assert answer.status_code == 404
    assert answer.json()["category"] == "OBJECT_NOT_FOUND"
    assert answer.json()["message"] == "List 42 does not exist"


def test_search_pages_by_offset_with_additional_properties(api):
    for name in ("Trial A", "Trial B", "Customers"):
        create(api, name)
    answer = api.post(f"{LISTS}/search", json={"query": "trial", "count": 1, "offset": 0})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["offset"], body["hasMore"], body["total"]) == (1, True, 2)
    [found] = body["lists"]
    assert found["name"] == "Trial A"
    assert found["additionalProperties"] == {"hs_list_size": "0", "hs_list_reference_count": "0"}
    rest = api.post(f"{LISTS}/search", json={"query": "trial", "count": 1, "offset": 1}).json()
    assert ([f["name"] for f in rest["lists"]], rest["hasMore"]) == (["Trial B"], False)


def test_manual_memberships_add_remove_and_report_missing_ids(api, portal):
    listed = create(api)
    ann, bob = contact(api, "ann@acme.io"), contact(api, "bob@acme.io")
    seen = []
    portal.feed.subscribe(seen.append, MembershipChanged)

    added = api.put(f"{LISTS}/{listed['listId']}/memberships/add", json=[ann, bob, ann, "999"])
    assert added.json() == {"recordsIdsAdded": [ann, bob], "recordIdsRemoved": [], "recordIdsMissing": ["999"]}
    again = api.put(f"{LISTS}/{listed['listId']}/memberships/add-and-remove",
                    json={"recordIdsToAdd": [ann], "recordIdsToRemove": [bob]})  # fmt: skip
    assert again.json() == {"recordsIdsAdded": [], "recordIdsRemoved": [bob], "recordIdsMissing": []}
    assert [(c.record_id, c.joined) for c in seen] == [(ann, True), (bob, True), (bob, False)]
    page = api.get(f"{LISTS}/{listed['listId']}/memberships").json()
    assert page == {"results": [{"recordId": ann, "membershipTimestamp": "2030-01-10T12:00:00.000Z"}], "total": 1}


def test_memberships_page_with_cursors(api):
    listed = create(api)
    ids = [contact(api, f"c{n}@acme.io") for n in range(5)]
    api.put(f"{LISTS}/{listed['listId']}/memberships/add", json=list(reversed(ids)))
    first = api.get(f"{LISTS}/{listed['listId']}/memberships", params={"limit": 2}).json()
    assert [r["recordId"] for r in first["results"]] == ids[:2]
    second = api.get(f"{LISTS}/{listed['listId']}/memberships",
                     params={"limit": 2, "after": first["paging"]["next"]["after"]}).json()  # fmt: skip
    assert [r["recordId"] for r in second["results"]] == ids[2:4]
    back = api.get(f"{LISTS}/{listed['listId']}/memberships",
                   params={"limit": 2, "before": second["paging"]["prev"]["before"]}).json()  # fmt: skip
    assert [r["recordId"] for r in back["results"]] == ids[:2]
    joined = api.get(f"{LISTS}/{listed['listId']}/memberships/join-order", params={"limit": 250}).json()
    assert [r["recordId"] for r in joined["results"]] == list(reversed(ids))
    assert "paging" not in joined
    assert api.get(f"{LISTS}/{listed['listId']}/memberships", params={"limit": 251}).status_code == 400


def test_a_dynamic_list_refuses_manual_changes(api):
    listed = create(api, "Signups", "DYNAMIC", filterBranch=EMAIL_KNOWN)
    ann = contact(api, "ann@other.io")
    answer = api.put(f"{LISTS}/{listed['listId']}/memberships/add", json=[ann])
    assert answer.status_code == 400
    assert answer.json()["message"].startswith(f"List {listed['listId']} is a DYNAMIC list")
    assert api.get(f"{LISTS}/{listed['listId']}/memberships").json()["total"] == 0


def test_snapshot_lists_evaluate_once_then_change_by_hand(api):
    ann = contact(api, "ann@acme.io")
    listed = create(api, "Then", "SNAPSHOT", filterBranch=EMAIL_KNOWN)
    bob = contact(api, "bob@acme.io")
    assert [r["recordId"] for r in api.get(f"{LISTS}/{listed['listId']}/memberships").json()["results"]] == [ann]
    api.put(f"{LISTS}/{listed['listId']}/memberships/add", json=[bob])
    assert api.get(f"{LISTS}/{listed['listId']}").json()["list"]["size"] == 2


def test_update_filters_moves_members_and_bumps_the_version(api):
    ann, bob = contact(api, "ann@acme.io"), contact(api, "bob@beta.io")
    listed = create(api, "Signups", "DYNAMIC", filterBranch=EMAIL_KNOWN)
    branch = {**EMAIL_KNOWN, "filterBranches": [{**EMAIL_KNOWN["filterBranches"][0], "filters": [
        {"filterType": "PROPERTY", "property": "email",
         "operation": {"operationType": "STRING", "operator": "ENDS_WITH", "value": "@beta.io"}}]}]}  # fmt: skip
    answer = api.put(f"{LISTS}/{listed['listId']}/update-list-filters", json={"filterBranch": branch})
    assert answer.status_code == 200
    assert answer.json()["updatedList"]["listVersion"] == 2
    assert [r["recordId"] for r in api.get(f"{LISTS}/{listed['listId']}/memberships").json()["results"]] == [bob]
    carl = contact(api, "carl@beta.io")
    assert {r["recordId"] for r in api.get(f"{LISTS}/{listed['listId']}/memberships").json()["results"]} == {
        bob, carl}
    assert ann not in api.get(f"{LISTS}/records/0-1/{ann}/memberships").text


def test_rename_delete_and_restore(api):
    listed = create(api)
    renamed = api.put(f"{LISTS}/{listed['listId']}/update-list-name", params={"listName": "Renamed"})
    assert renamed.json()["updatedList"]["name"] == "Renamed"
    assert api.delete(f"{LISTS}/{listed['listId']}").status_code == 204
    assert api.get(f"{LISTS}/{listed['listId']}").status_code == 404
    assert api.put(f"{LISTS}/{listed['listId']}/restore").status_code == 204
    assert api.get(f"{LISTS}/{listed['listId']}").json()["list"]["name"] == "Renamed"


def test_record_memberships_and_batch_read(api):
    ann = contact(api, "ann@acme.io")
    listed = create(api)
    api.put(f"{LISTS}/{listed['listId']}/memberships/add", json=[ann])
    api.post("/_sim/clock", json={"advance": "PT1H"})
    api.put(f"{LISTS}/{listed['listId']}/memberships/remove", json=[ann])
    api.put(f"{LISTS}/{listed['listId']}/memberships/add", json=[ann])
    expected = [{"listId": listed["listId"], "listVersion": 1, "firstAddedTimestamp": "2030-01-10T12:00:00.000Z",
                 "lastAddedTimestamp": "2030-01-10T13:00:00.000Z", "isPublicList": True}]  # fmt: skip
    assert api.get(f"{LISTS}/records/0-1/{ann}/memberships").json() == {"results": expected, "total": 1}
    batch = api.post(f"{LISTS}/records/memberships/batch/read",
                     json={"inputs": [{"objectTypeId": "0-1", "recordId": ann}]}).json()  # fmt: skip
    assert batch["status"] == "COMPLETE"
    assert batch["results"] == [{"objectTypeId": "0-1", "recordId": ann, "recordListMemberships": expected}]


def test_add_from_another_list_and_remove_all(api):
    ann, bob = contact(api, "ann@acme.io"), contact(api, "bob@acme.io")
    source, target = create(api, "Source"), create(api, "Target")
    api.put(f"{LISTS}/{source['listId']}/memberships/add", json=[ann, bob])
    assert api.put(f"{LISTS}/{target['listId']}/memberships/add-from/{source['listId']}").status_code == 204
    assert api.get(f"{LISTS}/{target['listId']}").json()["list"]["size"] == 2
    assert api.delete(f"{LISTS}/{target['listId']}/memberships").status_code == 204
    assert api.get(f"{LISTS}/{target['listId']}").json()["list"]["size"] == 0


def test_folders_hold_lists(api):
    folder = api.post(f"{LISTS}/folders", json={"name": "PLG"}).json()["folder"]
    listed = create(api, listFolderId=folder["id"])
    other = create(api, "Elsewhere")
    assert api.put(f"{LISTS}/folders/move-list", json={"listId": other["listId"],
                                                       "newFolderId": folder["id"]}).status_code == 204  # fmt: skip
    tree = api.get(f"{LISTS}/folders").json()["folder"]
    [child] = tree["childNodes"]
    assert (child["name"], child["childLists"]) == ("PLG", [listed["listId"], other["listId"]])
    assert api.delete(f"{LISTS}/folders/{folder['id']}").status_code == 400  # not empty
    renamed = api.put(f"{LISTS}/folders/{folder['id']}/rename", params={"newFolderName": "Product-led"})
    assert renamed.json()["folder"]["name"] == "Product-led"


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"name": "X", "objectTypeId": "0-1", "processingType": "MANUAL", "filterBranch": EMAIL_KNOWN}, 400,
         "MANUAL lists have no filterBranch"),
        ({"name": "X", "objectTypeId": "0-1", "processingType": "DYNAMIC"}, 400, "DYNAMIC lists need a filterBranch"),
        ({"name": "X", "objectTypeId": "0-99", "processingType": "MANUAL"}, 400, "Unknown objectTypeId 0-99"),
        ({"name": "X", "objectTypeId": "0-1", "processingType": "LIVE"}, 400, "processingType"),
        ({"objectTypeId": "0-1", "processingType": "MANUAL"}, 400, "name"),
        ({"name": "X", "objectTypeId": "0-1", "processingType": "DYNAMIC", "filterBranch": {
            "filterBranchType": "OR", "filters": [], "filterBranches": [{"filterBranchType": "AND", "filters": [
                {"filterType": "FORM_SUBMISSION", "formId": "f", "operator": "FILLED_OUT"}]}]}}, 400,
         "filterType FORM_SUBMISSION"),
    ],
)
def test_bad_creates_are_refused_and_change_nothing(api, body, status, message):
    answer = api.post(LISTS, json=body)
    assert answer.status_code == status
    assert answer.json()["category"] == "VALIDATION_ERROR"
    assert message in answer.json()["message"]
    assert api.post(f"{LISTS}/search", json={}).json()["total"] == 0


def test_a_list_name_is_unique(api):
    create(api, "Trials")
    answer = api.post(LISTS, json={"name": "trials", "objectTypeId": "0-1", "processingType": "MANUAL"})
    assert answer.status_code == 400
    assert answer.json()["message"] == "A list named 'Trials' already exists (list 1)"


def test_the_processing_delay_shows_as_processing(api):
    api.post("/_sim/portal", json={"listProcessingDelayMs": 60_000}).raise_for_status()
    contact(api, "ann@acme.io")
    listed = create(api, "Signups", "DYNAMIC", filterBranch=EMAIL_KNOWN)
    assert (listed["processingStatus"], listed["size"]) == ("PROCESSING", 0)
    api.post("/_sim/clock", json={"advance": 60})
    again = api.get(f"{LISTS}/{listed['listId']}").json()["list"]
    assert (again["processingStatus"], again["size"]) == ("COMPLETE", 1)


def test_list_areas_hubsim_does_not_simulate_say_so(api):
    answer = api.get(f"{LISTS}/1/schedule-conversion")
    assert answer.status_code == 404
    assert answer.json()["message"] == ("hubsim does not simulate list schedule conversion and size history yet "
                                        "(GET /crm/v3/lists/1/schedule-conversion)")  # fmt: skip


def test_a_deleted_record_leaves_manual_lists(api, portal):
    listed = create(api)
    ann = contact(api, "ann@acme.io")
    api.put(f"{LISTS}/{listed['listId']}/memberships/add", json=[ann])
    seen = []
    portal.feed.subscribe(seen.append, MembershipChanged)
    api.delete(f"/crm/v3/objects/contacts/{ann}")
    assert [(c.record_id, c.joined) for c in seen] == [(ann, False)]
    assert api.get(f"{LISTS}/{listed['listId']}").json()["list"]["size"] == 0
