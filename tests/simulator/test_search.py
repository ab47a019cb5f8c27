"""CRM search: every operator per property type, OR of ANDs, query, sort, paging, and HubSpot's limits."""

from __future__ import annotations

import pytest

CONTACTS = "/crm/v3/objects/contacts"
SEARCH = f"{CONTACTS}/search"
PROPERTIES = "/crm/v3/properties/contacts"
OPTIONS = [{"label": v, "value": v} for v in ("Pro", "pro", "Free")]
CUSTOM = (
    {"name": "score", "type": "number", "fieldType": "number"},
    {"name": "signup_date", "type": "date", "fieldType": "date"},
    {"name": "last_seen", "type": "datetime", "fieldType": "date"},
    {"name": "is_trial", "type": "bool", "fieldType": "booleancheckbox", "options": [
        {"label": "Yes", "value": "true"}, {"label": "No", "value": "false"}]},
    {"name": "plan", "type": "enumeration", "fieldType": "select", "options": OPTIONS},
    {"name": "features", "type": "enumeration", "fieldType": "checkbox", "options": OPTIONS},
    {"name": "bio", "type": "string", "fieldType": "textarea"},
)  # fmt: skip
JAN_9, JAN_10 = "1704758400000", "1704844800000"  # 2024-01-09 and 2024-01-10, midnight UTC, epoch ms


@pytest.fixture
def typed(api):
    for definition in CUSTOM:
        response = api.post(PROPERTIES, json={"label": definition["name"], "groupName": "contactinformation",
                                              **definition})
        assert response.status_code == 201, response.text


def create(api, **properties) -> str:
    response = api.post(CONTACTS, json={"properties": properties})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def search(api, **body) -> dict:
    response = api.post(SEARCH, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def ids(api, *filters, **body) -> list[str]:
    if filters:
        body["filterGroups"] = [{"filters": list(filters)}]
    return [r["id"] for r in search(api, limit=200, **body)["results"]]


def refused(api, body) -> str:
    response = api.post(SEARCH, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["category"] == "VALIDATION_ERROR"
    return response.json()["message"]


# (property, stored values - None for a record without one -, filter, indexes of the records that match)
SEMANTICS = [
    # numbers compare as numbers: "10" > "9" although "10" < "9" as text
    ("score", ["9", "10", "100", None], {"operator": "GT", "value": "9"}, [1, 2]),
    ("score", ["9", "10", "100", None], {"operator": "LT", "value": "10"}, [0]),
    ("score", ["9", "10", "100", None], {"operator": "LTE", "value": "10"}, [0, 1]),
    ("score", ["9", "10", "100", None], {"operator": "GTE", "value": "10"}, [1, 2]),
    ("score", ["9", "10", "100", None], {"operator": "EQ", "value": "10.0"}, [1]),
    ("score", ["9", "10", "100", None], {"operator": "NEQ", "value": "10"}, [0, 2, 3]),
    ("score", ["9", "10", "100", None], {"operator": "BETWEEN", "value": "9.5", "highValue": "100"}, [1, 2]),
    ("score", ["9", "10", "100", None], {"operator": "IN", "values": ["9", "100"]}, [0, 2]),
    ("score", ["9", "10", "100", None], {"operator": "NOT_IN", "values": ["9", "100"]}, [1, 3]),
    ("score", ["9", "10", "100", None], {"operator": "GT", "value": 9}, [1, 2]),  # a JSON number is fine too
    # dates and datetimes compare as epoch milliseconds (ISO-8601 is accepted as well)
    ("signup_date", ["2024-01-09", "2024-01-10", None], {"operator": "GTE", "value": JAN_10}, [1]),
    ("signup_date", ["2024-01-09", "2024-01-10", None], {"operator": "EQ", "value": JAN_9}, [0]),
    ("signup_date", ["2024-01-09", "2024-01-10", None], {"operator": "LT", "value": "2024-01-10"}, [0]),
    ("last_seen", ["2024-01-09T12:00:00Z", "2024-01-10T00:00:00.001Z", None],
     {"operator": "BETWEEN", "value": JAN_9, "highValue": JAN_10}, [0]),
    ("last_seen", ["2024-01-09T12:00:00Z", "2024-01-10T00:00:00.001Z", None],
     {"operator": "GT", "value": JAN_10}, [1]),
    # enumerations are case-sensitive for every operator
    ("plan", ["Pro", "pro", "Free", None], {"operator": "EQ", "value": "pro"}, [1]),
    ("plan", ["Pro", "pro", "Free", None], {"operator": "IN", "values": ["Pro", "Free"]}, [0, 2]),
    ("plan", ["Pro", "pro", "Free", None], {"operator": "NEQ", "value": "Pro"}, [1, 2, 3]),
    # a multiple-checkbox value holds each chosen option
    ("features", ["Pro;Free", "pro", None], {"operator": "EQ", "value": "Free"}, [0]),
    ("features", ["Pro;Free", "pro", None], {"operator": "IN", "values": ["pro", "Free"]}, [0, 1]),
    # strings are case-insensitive; IN values must be lower case (HubSpot's index is lower-cased)
    ("firstname", ["Ann", "ANN", "Bob", None], {"operator": "EQ", "value": "aNN"}, [0, 1]),
    ("firstname", ["Ann", "ANN", "Bob", None], {"operator": "IN", "values": ["ann", "bob"]}, [0, 1, 2]),
    ("firstname", ["Ann", "ANN", "Bob", None], {"operator": "IN", "values": ["Ann"]}, []),
    ("firstname", ["Ann", "Bob", "carl", None], {"operator": "LT", "value": "BZ"}, [0, 1]),
    ("firstname", ["Ann", "ann", "Bob", None], {"operator": "NEQ", "value": "Ann"}, [2, 3]),
    ("firstname", ["Ann", "aNN", "Bob", None], {"operator": "NOT_IN", "values": ["ann"]}, [2, 3]),
    # booleans are "true" / "false"
    ("is_trial", ["true", "false", None], {"operator": "EQ", "value": "true"}, [0]),
    ("is_trial", ["true", "false", None], {"operator": "NEQ", "value": "TRUE"}, [1, 2]),
    # HAS_PROPERTY / NOT_HAS_PROPERTY
    ("bio", ["x", None], {"operator": "HAS_PROPERTY"}, [0]),
    ("bio", ["x", None], {"operator": "NOT_HAS_PROPERTY"}, [1]),
    # tokens are whole words; * stands for any characters
    ("bio", ["The quick fox", "quickly done", "QUICK", None], {"operator": "CONTAINS_TOKEN", "value": "quick"}, [0, 2]),
    ("bio", ["The quick fox", "quickly done", None], {"operator": "CONTAINS_TOKEN", "value": "quick*"}, [0, 1]),
    ("bio", ["The quick fox", "quickly done", None], {"operator": "CONTAINS_TOKEN", "value": "fox quick"}, [0]),
    ("bio", ["The quick fox", "quickly done", None], {"operator": "NOT_CONTAINS_TOKEN", "value": "quick"}, [1, 2]),
    ("email", ["ann@hubspot.com", "bob@hubspot.co", "hubspot.com@x.io"],
     {"operator": "CONTAINS_TOKEN", "value": "*@hubspot.com"}, [0]),
    ("email", ["ann@hubspot.com", "annie@x.io", "jo@ann.io"], {"operator": "CONTAINS_TOKEN", "value": "ann*"},
     [0, 1, 2]),
    ("email", ["ann@hubspot.com", "annie@x.io"], {"operator": "CONTAINS_TOKEN", "value": "ann@hubspot.com"}, [0]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "stored", "condition", "expected"),
    SEMANTICS,
    ids=[f"{n}-{c['operator']}-{c.get('value', c.get('values', ''))}" for n, _s, c, _e in SEMANTICS],
)
def test_operator_semantics_per_property_type(api, typed, name, stored, condition, expected):
    created = [create(api, **({name: value} if value is not None else {})) for value in stored]
    assert ids(api, {"propertyName": name, **condition}) == [created[i] for i in expected]


def test_filters_of_a_group_are_anded_and_groups_are_ored(api):
    ann = create(api, firstname="Ann", lastname="Smith")
    create(api, firstname="Ann", lastname="Jones")
    no_name = create(api, email="x@y.io")
    groups = [
        {"filters": [{"propertyName": "firstname", "operator": "EQ", "value": "Ann"},
                     {"propertyName": "lastname", "operator": "EQ", "value": "Smith"}]},
        {"filters": [{"propertyName": "firstname", "operator": "NOT_HAS_PROPERTY"}]},
    ]  # fmt: skip
    assert ids(api, filterGroups=groups) == [ann, no_name]


def test_no_filter_returns_every_live_record_in_creation_order_with_the_default_properties(api):
    first, second = create(api, email="a@x.io"), create(api, email="b@x.io")
    api.delete(f"{CONTACTS}/{create(api, email='c@x.io')}")
    body = search(api)
    assert body["total"] == 2
    assert [r["id"] for r in body["results"]] == [first, second]
    assert set(body["results"][0]["properties"]) == {
        "createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname",
    }  # fmt: skip
    assert "paging" not in body


def test_properties_names_what_results_show(api):
    create(api, email="a@x.io", jobtitle="CTO")
    result = search(api, properties=["jobtitle"])["results"][0]
    assert set(result["properties"]) == {"jobtitle", "createdate", "lastmodifieddate", "hs_object_id"}
    assert result["properties"]["jobtitle"] == "CTO"


def test_query_matches_default_searchable_properties_case_insensitively(api):
    ann = create(api, firstname="Annabel", lastname="Lee", email="al@acme.io")
    bob = create(api, company="Annex Labs")
    create(api, jobtitle="Anna")  # jobtitle is not searched
    assert ids(api, query="ANN") == [ann, bob]
    assert ids(api, query="ann lee") == [ann]  # every word must match, each in any searchable property


def test_query_combines_with_filters(api):
    create(api, firstname="Ann", lifecyclestage="lead")
    customer = create(api, firstname="Ann", lifecyclestage="customer")
    assert ids(api, {"propertyName": "lifecyclestage", "operator": "EQ", "value": "customer"}, query="ann") == [
        customer
    ]


@pytest.mark.parametrize(("direction", "order"), [("ASCENDING", [1, 2, 0, 3]), ("DESCENDING", [0, 2, 1, 3])])
def test_sort_by_a_number_compares_numbers_and_puts_missing_values_last(api, typed, direction, order):
    created = [create(api, score="100"), create(api, score="9"), create(api, score="10"), create(api)]
    sorts = [{"propertyName": "score", "direction": direction}]
    assert ids(api, sorts=sorts) == [created[i] for i in order]


def test_sort_ties_keep_creation_order(api):
    created = [create(api, firstname=name) for name in ("bob", "Ann", "ann", "Carl")]
    sorts = [{"propertyName": "firstname", "direction": "DESCENDING"}]
    assert ids(api, sorts=sorts) == [created[3], created[0], created[1], created[2]]


def test_sort_given_as_a_bare_property_name_is_ascending(api):
    created = [create(api, firstname="b"), create(api, firstname="a")]
    assert ids(api, sorts=["firstname"]) == [created[1], created[0]]


def test_paging_gives_an_offset_cursor_and_total_and_no_paging_on_the_last_page(api):
    created = [create(api, email=f"u{i}@x.io") for i in range(25)]
    first = search(api, limit=10)
    assert first["total"] == 25
    assert first["paging"] == {"next": {"after": "10"}}
    second = search(api, limit=10, after=first["paging"]["next"]["after"])
    last = search(api, limit=10, after=second["paging"]["next"]["after"])
    assert [r["id"] for r in first["results"] + second["results"] + last["results"]] == created
    assert last["total"] == 25
    assert "paging" not in last


def test_an_offset_past_the_results_gives_an_empty_page(api):
    create(api, email="a@x.io")
    assert search(api, after="5") == {"total": 1, "results": []}


def _filters(count: int) -> list[dict]:
    return [{"propertyName": "firstname", "operator": "HAS_PROPERTY"}] * count


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"filterGroups": [{"filters": _filters(1)}] * 6}, "Too many filterGroups: 6. A search takes at most 5"),
        ({"filterGroups": [{"filters": _filters(7)}]}, "Too many filters in filterGroups[0]: 7. A filter group takes"),
        ({"filterGroups": [{"filters": _filters(5)}] * 4}, "Too many filters: 20 across all filterGroups. A search"),
        ({"limit": 201}, "limit must be between 1 and 200, got 201"),
        ({"limit": 0}, "limit must be between 1 and 200, got 0"),
        ({"after": "9995", "limit": 10}, "Search results are limited to 10,000: after (9995) plus limit (10)"),
        ({"after": "10000"}, "Search results are limited to 10,000: after (10000) plus limit (10)"),
        ({"after": "abc"}, "after must be the cursor HubSpot returned in paging.next.after (a non-negative integer"),
        ({"sorts": ["firstname", "lastname"]}, "Only one sort rule can be applied to a search; got 2"),
        ({"filterGroups": [{"filters": []}]}, "filterGroups[0] has no filters; a filter group needs at least one"),
    ],
)
def test_limits_are_400_validation_errors_that_say_what_to_change(api, body, message):
    assert refused(api, body).startswith(message)


def test_the_last_allowed_page_before_the_10000_cap_is_answered(api):
    assert search(api, after="9990", limit=10) == {"total": 0, "results": []}


def test_a_body_over_3000_characters_is_refused(api):
    body = {"filterGroups": [{"filters": [{"propertyName": "email", "operator": "IN", "values": ["x" * 3000]}]}]}
    assert refused(api, body).startswith("The search request body is 3,")


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ({"propertyName": "firstname", "operator": "LIKE", "value": "a"}, "Unknown filter operator 'LIKE' on property"),
        ({"propertyName": "nope", "operator": "EQ", "value": "a"}, "There is no property 'nope' on contacts"),
        ({"propertyName": "firstname", "operator": "EQ"}, "Filter firstname EQ needs a `value`"),
        ({"propertyName": "firstname", "operator": "IN", "value": "a"}, "Filter firstname IN needs a non-empty"),
        ({"propertyName": "hs_object_id", "operator": "GT", "value": "ten"}, "Filter hs_object_id GT: 'ten' is not"),
        ({"propertyName": "createdate", "operator": "GT", "value": "yesterday"}, "Filter createdate GT: 'yesterday'"),
        ({"propertyName": "firstname", "operator": "BETWEEN", "value": "a"}, "Filter firstname BETWEEN needs a `high"),
    ],
)
def test_a_filter_hubspot_would_not_understand_is_a_400_never_a_silent_miss(api, condition, message):
    assert refused(api, {"filterGroups": [{"filters": [condition]}]}).startswith(message)


def test_sorting_by_an_unknown_property_is_a_400(api):
    assert refused(api, {"sorts": [{"propertyName": "nope", "direction": "ASCENDING"}]}).startswith(
        "There is no property 'nope' on contacts: a search sort"
    )


def test_get_on_the_search_path_is_a_get_by_id_of_search(api):
    response = api.get(SEARCH)
    assert response.status_code == 404
    assert response.json()["context"] == {"id": ["search"]}
