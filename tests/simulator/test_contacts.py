"""Contacts (0-1) over the v3 objects API: CRUD, reads, paging, batches, conflicts, history."""

from __future__ import annotations

import pytest

CONTACTS = "/crm/v3/objects/contacts"


def create(api, **properties):
    response = api.post(CONTACTS, json={"properties": properties})
    assert response.status_code == 201, response.text
    return response.json()


def test_create_answers_201_with_the_stored_record(api):
    body = create(api, email="Ann@Acme.io", firstname="Ann", numemployees="5-25")
    assert body["id"].isdigit()
    assert body["archived"] is False
    props = body["properties"]
    assert props["email"] == "ann@acme.io"  # HubSpot lower-cases email addresses
    assert props["hs_email_domain"] == "acme.io"
    assert props["hs_object_id"] == body["id"]
    assert props["createdate"] == props["lastmodifieddate"] == body["createdAt"] == body["updatedAt"]


def test_duplicate_email_is_a_conflict_naming_the_existing_id(api):
    first = create(api, email="ann@acme.io")
    again = api.post(CONTACTS, json={"properties": {"email": "ANN@acme.io"}})
    assert again.status_code == 409
    assert again.json()["category"] == "CONFLICT"
    assert again.json()["message"] == f"Contact already exists. Existing ID: {first['id']}"


def test_get_returns_default_properties_with_null_for_unset_ones(api):
    created = create(api, email="ann@acme.io", jobtitle="CTO")
    body = api.get(f"{CONTACTS}/{created['id']}").json()
    assert body["properties"] == {
        "createdate": created["properties"]["createdate"],
        "email": "ann@acme.io",
        "firstname": None,
        "hs_object_id": created["id"],
        "lastmodifieddate": created["properties"]["lastmodifieddate"],
        "lastname": None,
    }


def test_get_with_properties_returns_those_and_ignores_unknown_names(api):
    created = create(api, email="ann@acme.io", jobtitle="CTO")
    body = api.get(f"{CONTACTS}/{created['id']}", params={"properties": ["jobtitle", "nope"]}).json()
    assert set(body["properties"]) == {"jobtitle", "createdate", "lastmodifieddate", "hs_object_id"}
    assert body["properties"]["jobtitle"] == "CTO"


def test_get_by_email_with_id_property_accepts_an_url_encoded_id(api):
    created = create(api, email="ann@acme.io")
    body = api.get(f"{CONTACTS}/ann%40ACME.io", params={"idProperty": "email"}).json()
    assert body["id"] == created["id"]


def test_get_by_a_non_unique_id_property_is_refused(api):
    create(api, email="ann@acme.io", firstname="Ann")
    response = api.get(f"{CONTACTS}/Ann", params={"idProperty": "firstname"})
    assert response.status_code == 400
    assert "not a unique property" in response.json()["message"]


def test_missing_contact_is_hubspots_object_not_found(api):
    response = api.get(f"{CONTACTS}/999")
    assert response.status_code == 404
    assert response.json()["message"] == "Object not found.  objectId are usually numeric."
    assert response.json()["context"] == {"id": ["999"]}
    assert response.json()["category"] == "OBJECT_NOT_FOUND"


def test_update_changes_values_and_clears_with_an_empty_string(api, portal):
    portal.clock.freeze()
    created = create(api, email="ann@acme.io", jobtitle="CTO", city="Oslo")
    portal.clock.advance(__import__("datetime").timedelta(minutes=5))
    response = api.patch(f"{CONTACTS}/{created['id']}", json={"properties": {"jobtitle": "CEO", "city": ""}})
    body = response.json()
    assert response.status_code == 200
    assert body["properties"]["jobtitle"] == "CEO"
    assert "city" not in body["properties"]
    assert body["updatedAt"] > created["updatedAt"]
    assert body["properties"]["lastmodifieddate"] == body["updatedAt"]


def test_update_to_an_email_another_contact_has_is_a_conflict(api):
    ann = create(api, email="ann@acme.io")
    bob = create(api, email="bob@acme.io")
    response = api.patch(f"{CONTACTS}/{bob['id']}", json={"properties": {"email": "ann@acme.io"}})
    assert response.status_code == 409
    assert response.json()["message"] == f"Contact already exists. Existing ID: {ann['id']}"
    assert api.get(f"{CONTACTS}/{bob['id']}").json()["properties"]["email"] == "bob@acme.io"


def test_history_is_returned_newest_first(api):
    created = create(api, email="ann@acme.io", jobtitle="Engineer")
    api.patch(f"{CONTACTS}/{created['id']}", json={"properties": {"jobtitle": "Lead"}})
    api.patch(f"{CONTACTS}/{created['id']}", json={"properties": {"jobtitle": "CTO"}})
    body = api.get(f"{CONTACTS}/{created['id']}", params={"propertiesWithHistory": "jobtitle"}).json()
    history = body["propertiesWithHistory"]["jobtitle"]
    assert [h["value"] for h in history] == ["CTO", "Lead", "Engineer"]
    assert all(h["sourceType"] == "API" for h in history)
    assert [h["timestamp"] for h in history] == sorted((h["timestamp"] for h in history), reverse=True)


def test_an_unchanged_value_adds_no_history(api):
    created = create(api, email="ann@acme.io", jobtitle="CTO")
    api.patch(f"{CONTACTS}/{created['id']}", json={"properties": {"jobtitle": "CTO"}})
    body = api.get(f"{CONTACTS}/{created['id']}", params={"propertiesWithHistory": "jobtitle"}).json()
    assert len(body["propertiesWithHistory"]["jobtitle"]) == 1


def test_archive_hides_the_contact_and_frees_its_email(api):
    created = create(api, email="ann@acme.io")
    assert api.delete(f"{CONTACTS}/{created['id']}").status_code == 204
    assert api.get(f"{CONTACTS}/{created['id']}").status_code == 404
    archived = api.get(f"{CONTACTS}/{created['id']}", params={"archived": "true"}).json()
    assert archived["archived"] is True and "archivedAt" in archived
    assert create(api, email="ann@acme.io")["id"] != created["id"]


def test_archiving_an_unknown_id_still_answers_204(api):
    assert api.delete(f"{CONTACTS}/424242").status_code == 204


def test_list_pages_follow_after_and_omit_paging_on_the_last_page(api):
    ids = [create(api, email=f"u{i}@acme.io")["id"] for i in range(5)]
    first = api.get(CONTACTS, params={"limit": 2}).json()
    assert [r["id"] for r in first["results"]] == ids[:2]
    assert first["paging"]["next"]["after"] == ids[2]
    assert "after=" in first["paging"]["next"]["link"]
    second = api.get(CONTACTS, params={"limit": 2, "after": first["paging"]["next"]["after"]}).json()
    third = api.get(CONTACTS, params={"limit": 2, "after": second["paging"]["next"]["after"]}).json()
    assert [r["id"] for r in second["results"] + third["results"]] == ids[2:]
    assert "paging" not in third


def test_list_skips_archived_records_unless_asked(api):
    kept, gone = create(api, email="kept@acme.io"), create(api, email="gone@acme.io")
    api.delete(f"{CONTACTS}/{gone['id']}")
    assert [r["id"] for r in api.get(CONTACTS).json()["results"]] == [kept["id"]]
    assert [r["id"] for r in api.get(CONTACTS, params={"archived": "True"}).json()["results"]] == [gone["id"]]


@pytest.mark.parametrize("params", [{"limit": 101}, {"limit": 0}, {"limit": "ten"}, {"after": "abc"},
                                    {"archived": "maybe"}, {"propertiesWithHistory": "email", "limit": 51}])
def test_bad_list_parameters_are_400(api, params):
    response = api.get(CONTACTS, params=params)
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_repeated_and_comma_joined_properties_are_both_understood(api):
    created = create(api, email="ann@acme.io", jobtitle="CTO", city="Oslo")
    repeated = api.get(f"{CONTACTS}/{created['id']}?properties=jobtitle&properties=city").json()
    joined = api.get(f"{CONTACTS}/{created['id']}?properties=jobtitle,city").json()
    assert repeated["properties"] == joined["properties"]
    assert {"jobtitle", "city"} <= set(joined["properties"])


# --- batches -----------------------------------------------------------------------------------------------------


def test_batch_create_answers_201_with_every_record(api):
    response = api.post(f"{CONTACTS}/batch/create", json={"inputs": [
        {"properties": {"email": "a@acme.io"}}, {"properties": {"email": "b@acme.io"}}]})
    body = response.json()
    assert response.status_code == 201
    assert body["status"] == "COMPLETE"
    assert [r["properties"]["email"] for r in body["results"]] == ["a@acme.io", "b@acme.io"]
    assert "errors" not in body and "numErrors" not in body


def test_one_bad_input_fails_the_whole_batch_without_trace_ids(api):
    response = api.post(f"{CONTACTS}/batch/create", json={"inputs": [
        {"properties": {"email": "a@acme.io"}}, {"properties": {"email": "not-an-email"}}]})
    assert response.status_code == 400
    assert "INVALID_EMAIL" in response.json()["message"]
    assert api.get(CONTACTS).json()["results"] == []


def test_trace_ids_on_every_input_allow_partial_success(api):
    response = api.post(f"{CONTACTS}/batch/create", json={"inputs": [
        {"properties": {"email": "a@acme.io"}, "objectWriteTraceId": "t1"},
        {"properties": {"email": "broken"}, "objectWriteTraceId": "t2"}]})
    body = response.json()
    assert response.status_code == 207
    assert [r["properties"]["email"] for r in body["results"]] == ["a@acme.io"]
    assert body["numErrors"] == 1
    assert body["errors"][0]["context"] == {"objectWriteTraceId": ["t2"]}
    assert body["errors"][0]["category"] == "VALIDATION_ERROR"


@pytest.mark.parametrize("trace_ids", [["t1", None], [None, "t2"], ["t1", "t1"]],
                         ids=["only-the-good-one", "only-the-bad-one", "one-shared-by-both"])
def test_partial_success_needs_a_distinct_trace_id_on_every_input(api, trace_ids):
    inputs = [{"properties": {"email": "a@acme.io"}}, {"properties": {"email": "broken"}}]
    for item, trace_id in zip(inputs, trace_ids, strict=True):
        if trace_id is not None:
            item["objectWriteTraceId"] = trace_id
    response = api.post(f"{CONTACTS}/batch/create", json={"inputs": inputs})
    assert response.status_code == 400
    assert "INVALID_EMAIL" in response.json()["message"]
    assert api.get(CONTACTS).json()["results"] == []  # the good input was not written either


def test_batch_create_with_an_existing_email_is_the_same_conflict(api):
    ann = create(api, email="ann@acme.io")
    response = api.post(f"{CONTACTS}/batch/create", json={"inputs": [
        {"properties": {"email": "new@acme.io"}}, {"properties": {"email": "ann@acme.io"}}]})
    assert response.status_code == 409
    assert response.json()["message"] == f"Contact already exists. Existing ID: {ann['id']}"
    assert len(api.get(CONTACTS).json()["results"]) == 1


def test_batch_create_refuses_the_same_email_twice(api):
    response = api.post(f"{CONTACTS}/batch/create", json={"inputs": [
        {"properties": {"email": "x@acme.io"}}, {"properties": {"email": "X@acme.io"}}]})
    assert response.status_code == 400
    assert api.get(CONTACTS).json()["results"] == []


def test_batch_over_100_inputs_is_refused(api):
    inputs = [{"properties": {"email": f"u{i}@acme.io"}} for i in range(101)]
    response = api.post(f"{CONTACTS}/batch/create", json={"inputs": inputs})
    assert response.status_code == 400
    assert "at most 100" in response.json()["message"]


def test_batch_read_reports_missing_ids_in_a_207(api):
    ann = create(api, email="ann@acme.io", jobtitle="CTO")
    response = api.post(f"{CONTACTS}/batch/read", json={
        "inputs": [{"id": ann["id"]}, {"id": "999"}], "properties": ["jobtitle"]})
    body = response.json()
    assert response.status_code == 207
    assert body["results"][0]["properties"]["jobtitle"] == "CTO"
    assert body["errors"][0]["category"] == "OBJECT_NOT_FOUND"
    assert body["errors"][0]["context"] == {"ids": ["999"]}


def test_batch_read_by_email(api):
    ann = create(api, email="ann@acme.io")
    body = api.post(f"{CONTACTS}/batch/read", json={"idProperty": "email", "inputs": [{"id": "ann@acme.io"}]}).json()
    assert [r["id"] for r in body["results"]] == [ann["id"]]


def test_batch_update_writes_every_input(api):
    a, b = create(api, email="a@acme.io"), create(api, email="b@acme.io")
    response = api.post(f"{CONTACTS}/batch/update", json={"inputs": [
        {"id": a["id"], "properties": {"jobtitle": "CTO"}}, {"id": b["id"], "properties": {"jobtitle": "CEO"}}]})
    assert response.status_code == 200
    assert {r["properties"]["jobtitle"] for r in response.json()["results"]} == {"CTO", "CEO"}


def test_batch_update_with_a_missing_id_writes_nothing(api):
    a = create(api, email="a@acme.io")
    response = api.post(f"{CONTACTS}/batch/update", json={"inputs": [
        {"id": a["id"], "properties": {"jobtitle": "CTO"}}, {"id": "999", "properties": {"jobtitle": "CEO"}}]})
    assert response.status_code == 404
    assert api.get(f"{CONTACTS}/{a['id']}", params={"properties": "jobtitle"}).json()["properties"]["jobtitle"] is None


def test_batch_update_refuses_duplicate_ids(api):
    a = create(api, email="a@acme.io")
    response = api.post(f"{CONTACTS}/batch/update", json={"inputs": [
        {"id": a["id"], "properties": {"jobtitle": "CTO"}}, {"id": a["id"], "properties": {"jobtitle": "CEO"}}]})
    assert response.status_code == 400
    assert "Duplicate IDs" in response.json()["message"]


def test_batch_upsert_by_email_creates_and_updates_with_the_new_flag(api):
    existing = create(api, email="ann@acme.io", jobtitle="CTO")
    response = api.post(f"{CONTACTS}/batch/upsert", json={"inputs": [
        {"id": "ann@acme.io", "idProperty": "email", "properties": {"jobtitle": "CEO"}},
        {"id": "bob@acme.io", "idProperty": "email", "properties": {"firstname": "Bob"}}]})
    body = response.json()
    assert response.status_code == 200
    by_email = {r["properties"]["email"]: r for r in body["results"]}
    assert by_email["ann@acme.io"]["new"] is False
    assert by_email["ann@acme.io"]["id"] == existing["id"]
    assert by_email["ann@acme.io"]["properties"]["jobtitle"] == "CEO"
    assert by_email["bob@acme.io"]["new"] is True
    assert by_email["bob@acme.io"]["properties"]["firstname"] == "Bob"


def test_batch_upsert_by_email_is_all_or_nothing_even_with_trace_ids(api):
    response = api.post(f"{CONTACTS}/batch/upsert", json={"inputs": [
        {"id": "a@acme.io", "idProperty": "email", "properties": {}, "objectWriteTraceId": "1"},
        {"id": "b@acme.io", "idProperty": "email", "properties": {"lifecyclestage": "nope"},
         "objectWriteTraceId": "2"}]})
    assert response.status_code == 400
    assert "INVALID_OPTION" in response.json()["message"]
    assert api.get(CONTACTS).json()["results"] == []


def test_upsert_twice_is_idempotent(api):
    payload = {"inputs": [{"id": "ann@acme.io", "idProperty": "email", "properties": {"jobtitle": "CTO"}}]}
    first = api.post(f"{CONTACTS}/batch/upsert", json=payload).json()["results"][0]
    second = api.post(f"{CONTACTS}/batch/upsert", json=payload).json()["results"][0]
    assert (first["new"], second["new"]) == (True, False)
    assert first["id"] == second["id"]
    assert second["updatedAt"] == first["updatedAt"]  # nothing changed, nothing written


def test_batch_archive_answers_204_and_archives(api):
    a, b = create(api, email="a@acme.io"), create(api, email="b@acme.io")
    response = api.post(f"{CONTACTS}/batch/archive", json={"inputs": [{"id": a["id"]}, {"id": "999"}]})
    assert response.status_code == 204
    assert [r["id"] for r in api.get(CONTACTS).json()["results"]] == [b["id"]]
