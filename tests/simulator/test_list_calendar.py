"""CALENDAR_DATE and DATE PROPERTY operations: calendar periods in the portal's time zone, weeks from Monday, fiscal
quarters and years, DYNAMIC membership that follows writes and the clock; and their bad input."""

from __future__ import annotations

import pytest
from list_kit import assert_refused_naming, contact, dynamic, members, root

NOW = "2030-01-10T12:00:00Z"  # a Thursday: this week is Monday 7 to Sunday 13 January


def calendar(prop, operator, unit, **fields):
    return {"filterType": "PROPERTY", "property": prop,
            "operation": {"operationType": "CALENDAR_DATE", "operator": operator, "timeUnit": unit,
                          "includeObjectsWithNoValueSet": False, **fields}}  # fmt: skip


def on_day(prop, operator, year, month, day):
    return {"filterType": "PROPERTY", "property": prop,
            "operation": {"operationType": "DATE", "operator": operator, "year": year, "month": month, "day": day,
                          "includeObjectsWithNoValueSet": False}}  # fmt: skip


@pytest.fixture(autouse=True)
def frozen(api):
    api.post("/_sim/clock", json={"set": NOW, "freeze": True}).raise_for_status()
    for name, kind in (("renews", "datetime"), ("signed_up", "date")):
        api.post("/crm/v3/properties/contacts", json={
            "name": name, "label": name, "type": kind, "fieldType": "date", "groupName": "contactinformation",
        }).raise_for_status()  # fmt: skip


def clock(api, **body):
    api.post("/_sim/clock", json=body).raise_for_status()


WHEN = [  # (operation, renews, passes) at Thursday 2030-01-10 12:00 UTC
    (calendar("renews", "IN_THIS_TIME_UNIT", "WEEK"), "2030-01-07T00:00:00Z", True),  # Monday: the week's first day
    (calendar("renews", "IN_THIS_TIME_UNIT", "WEEK"), "2030-01-13T23:59:59Z", True),
    (calendar("renews", "IN_THIS_TIME_UNIT", "WEEK"), "2030-01-06T23:59:59Z", False),  # the Sunday before
    (calendar("renews", "IN_THIS_TIME_UNIT_SO_FAR", "WEEK"), "2030-01-10T11:59:59Z", True),
    (calendar("renews", "IN_THIS_TIME_UNIT_SO_FAR", "WEEK"), "2030-01-10T12:00:01Z", False),
    (calendar("renews", "IN_LAST_TIME_UNIT", "MONTH"), "2029-12-01T00:00:00Z", True),
    (calendar("renews", "IN_LAST_TIME_UNIT", "MONTH"), "2029-11-30T23:59:59Z", False),
    (calendar("renews", "IN_LAST_TIME_UNIT", "MONTH", timeUnitCount=2), "2029-11-30T23:59:59Z", True),
    (calendar("renews", "IN_LAST_TIME_UNIT", "MONTH"), "2030-01-01T00:00:00Z", False),  # this month is not last
    (calendar("renews", "IN_NEXT_TIME_UNIT", "DAY"), "2030-01-11T23:00:00Z", True),
    (calendar("renews", "IN_NEXT_TIME_UNIT", "DAY", timeUnitCount=3), "2030-01-13T23:00:00Z", True),
    (calendar("renews", "IN_NEXT_TIME_UNIT", "DAY", timeUnitCount=3), "2030-01-14T00:00:00Z", False),
    (calendar("renews", "IN_THIS_TIME_UNIT", "QUARTER"), "2030-03-31T23:00:00Z", True),
    (calendar("renews", "IN_THIS_TIME_UNIT", "QUARTER"), "2029-12-31T23:00:00Z", False),
    # fiscal quarters from February: Nov-Jan is this one, Feb-Apr and May-Jul the next two
    (calendar("renews", "IN_THIS_TIME_UNIT", "QUARTER", useFiscalYear=True, fiscalYearStart="FEBRUARY"),
     "2029-11-01T00:00:00Z", True),  # fmt: skip
    (calendar("renews", "IN_NEXT_TIME_UNIT", "QUARTER", timeUnitCount=2, useFiscalYear=True,
              fiscalYearStart="FEBRUARY"), "2030-07-31T00:00:00Z", True),  # fmt: skip
    (calendar("renews", "IN_NEXT_TIME_UNIT", "QUARTER", timeUnitCount=2, useFiscalYear=True,
              fiscalYearStart="FEBRUARY"), "2030-08-01T00:00:00Z", False),  # fmt: skip
    # a fiscal year from July: July 2029 to June 2030
    (calendar("renews", "IN_THIS_TIME_UNIT", "YEAR", useFiscalYear=True, fiscalYearStart="JULY"),
     "2029-07-01T00:00:00Z", True),  # fmt: skip
    (calendar("renews", "IN_THIS_TIME_UNIT", "YEAR", useFiscalYear=True, fiscalYearStart="JULY"),
     "2030-07-01T00:00:00Z", False),  # fmt: skip
    (calendar("renews", "IN_THIS_TIME_UNIT", "YEAR", fiscalYearStart="JULY"), "2029-07-01T00:00:00Z", False),
    (calendar("renews", "IN_LAST_TIME_UNIT", "YEAR", useFiscalYear=True), "2029-12-31T00:00:00Z", True),  # January
    (on_day("renews", "EQUAL", 2030, "JAN", 12), "2030-01-12T23:59:00Z", True),
    (on_day("renews", "EQUAL", 2030, "JAN", 12), "2030-01-13T00:00:00Z", False),
    (on_day("renews", "BEFORE", 2030, "JAN", 12), "2030-01-11T23:59:00Z", True),
    (on_day("renews", "BEFORE", 2030, "JAN", 12), "2030-01-12T00:00:00Z", False),
    (on_day("renews", "AFTER", 2030, "january", 12), "2030-01-13T00:00:00Z", True),
    (on_day("renews", "AFTER", 2030, "JAN", 12), "2030-01-12T10:00:00Z", False),
]


@pytest.mark.parametrize(("item", "renews", "passes"), WHEN)
def test_calendar_periods(api, portal, item, renews, passes):
    ann = contact(api, email="ann@acme.io", renews=renews)
    list_id = dynamic(api, root(item))
    assert members(portal, list_id) == ({ann} if passes else set())


def test_a_this_week_list_is_left_at_midnight_on_sunday_and_rejoined_by_a_write(api, portal):
    list_id = dynamic(api, root(calendar("renews", "IN_THIS_TIME_UNIT", "WEEK")))
    ann = contact(api, email="ann@acme.io", renews="2030-01-12T09:00:00Z")
    bob = contact(api, email="bob@acme.io", renews="2030-01-15T09:00:00Z")  # next week
    assert members(portal, list_id) == {ann}

    clock(api, set="2030-01-13T23:59:59.999Z")
    assert members(portal, list_id) == {ann}
    clock(api, advance=0.001)  # Monday 00:00: a new week
    assert members(portal, list_id) == {bob}
    api.patch(f"/crm/v3/objects/contacts/{ann}", json={"properties": {"renews": "2030-01-19T09:00:00Z"}})
    assert members(portal, list_id) == {ann, bob}
    clock(api, advance="P7D")
    assert members(portal, list_id) == set()


@pytest.mark.parametrize(("operation", "renews", "steps"), [
    # later today: joins when the clock reaches it, leaves at midnight
    (calendar("renews", "IN_THIS_TIME_UNIT_SO_FAR", "DAY"), "2030-01-10T15:00:00Z",
     [({"advance": "PT3H"}, True), ({"set": "2030-01-11T00:00:00Z"}, False)]),
    # this month: joins "last month" when February begins, leaves when March does
    (calendar("renews", "IN_LAST_TIME_UNIT", "MONTH"), "2030-01-05T09:00:00Z",
     [({"set": "2030-02-01T00:00:00Z"}, True), ({"set": "2030-03-01T00:00:00Z"}, False)]),
])  # fmt: skip
def test_the_clock_moves_records_in_and_out(api, portal, operation, renews, steps):
    list_id = dynamic(api, root(operation))
    ann = contact(api, email="ann@acme.io", renews=renews)
    assert members(portal, list_id) == set()
    for body, member in steps:
        clock(api, **body)
        assert members(portal, list_id) == ({ann} if member else set())


def test_periods_begin_in_the_portals_time_zone(api, portal):
    """12:00 UTC is 04:00 in Los Angeles: its today began at 08:00 UTC; a date alone is that day there."""
    api.post("/_sim/portal", json={"timeZone": "America/Los_Angeles"}).raise_for_status()
    utc_today = contact(api, email="ann@acme.io", renews="2030-01-10T06:00:00Z")  # 9 January, 22:00 there
    la_today = contact(api, email="bob@acme.io", renews="2030-01-10T09:00:00Z")
    dated = contact(api, email="cy@acme.io", signed_up="2030-01-10")
    today = dynamic(api, root(calendar("renews", "IN_THIS_TIME_UNIT", "DAY")), name="Today")
    signed_today = dynamic(api, root(calendar("signed_up", "IN_THIS_TIME_UNIT", "DAY")), name="Signed today")
    on_the_ninth = dynamic(api, root(on_day("renews", "EQUAL", 2030, "JAN", 9)), name="The ninth")
    assert (members(portal, today), members(portal, signed_today)) == ({la_today}, {dated})
    assert members(portal, on_the_ninth) == {utc_today}

    clock(api, set="2030-01-11T07:59:59.999Z")  # 23:59:59.999 in Los Angeles
    assert members(portal, today) == {la_today}
    clock(api, advance=0.001)
    assert (members(portal, today), members(portal, signed_today)) == (set(), set())


def test_a_date_filter_follows_writes(api, portal):
    list_id = dynamic(api, root(on_day("signed_up", "BEFORE", 2030, "FEB", 1)))
    ann = contact(api, email="ann@acme.io", signed_up="2030-01-31")
    assert members(portal, list_id) == {ann}
    api.patch(f"/crm/v3/objects/contacts/{ann}", json={"properties": {"signed_up": "2030-02-01"}})
    assert members(portal, list_id) == set()
    fetched = api.get(f"/crm/v3/lists/{list_id}", params={"includeFilters": "true"}).json()["list"]
    operation = fetched["filterBranch"]["filterBranches"][0]["filters"][0]["operation"]
    assert operation == {"operationType": "DATE", "operator": "BEFORE", "year": 2030, "month": "FEB", "day": 1,
                         "includeObjectsWithNoValueSet": False}  # fmt: skip


def test_a_calendar_operation_is_echoed_with_its_defaults(api):
    item = calendar("renews", "IN_LAST_TIME_UNIT", "QUARTER")
    answer = api.post("/crm/v3/lists", json={"name": "Q", "objectTypeId": "0-1", "processingType": "DYNAMIC",
                                             "filterBranch": root(item)})  # fmt: skip
    operation = answer.json()["list"]["filterBranch"]["filterBranches"][0]["filters"][0]["operation"]
    assert operation == {"operationType": "CALENDAR_DATE", "operator": "IN_LAST_TIME_UNIT", "timeUnit": "QUARTER",
                         "timeUnitCount": 1, "useFiscalYear": False, "includeObjectsWithNoValueSet": False}


BAD = [
    (calendar("renews", "IN_THIS_TIME_UNIT", "FORTNIGHT"), "timeUnit"),
    (calendar("renews", "IN_THE_PAST", "WEEK"), "operator"),
    (calendar("renews", "IN_LAST_TIME_UNIT", "WEEK", timeUnitCount=0), "timeUnitCount"),
    (calendar("renews", "IN_THIS_TIME_UNIT", "YEAR", useFiscalYear=True, fiscalYearStart="SMARCH"), "fiscalYearStart"),
    (on_day("renews", "EQUAL", 2030, "SMARCH", 1), "month"),
    (on_day("renews", "EQUAL", 2030, "FEB", 30), "day"),
    (on_day("renews", "IS_LESS_THAN_X_DAYS_AGO", 2030, "FEB", 3), "operator"),
    ({"filterType": "PROPERTY", "property": "renews",
      "operation": {"operationType": "DATE", "operator": "EQUAL", "month": "FEB", "day": 3}}, "year"),  # fmt: skip
]


@pytest.mark.parametrize(("item", "field"), BAD)
def test_bad_calendar_operations_are_refused_naming_the_field(api, portal, item, field):
    assert_refused_naming(api, portal, root(item), field)


def test_bad_filters_leave_a_lists_filters_as_they_were(api, portal):
    list_id = dynamic(api, root(calendar("renews", "IN_THIS_TIME_UNIT", "WEEK")))
    ann = contact(api, email="ann@acme.io", renews="2030-01-08T00:00:00Z")
    answer = api.put(f"/crm/v3/lists/{list_id}/update-list-filters",
                     json={"filterBranch": root(on_day("renews", "EQUAL", 2030, "FEB", 29))})  # fmt: skip
    assert answer.status_code == 400
    assert "FEB 2030 has no day 29" in answer.json()["message"]
    assert members(portal, list_id) == {ann}
    assert portal.lists.get(list_id).branch.filter_branches[0].filters[0].operation.operation_type == "CALENDAR_DATE"


def test_values_at_the_edges_of_the_calendar_fail_quietly(api, portal):
    """Year 1 and 9999 have no day before or after them in another time zone: such a value is in no period."""
    api.post("/_sim/portal", json={"timeZone": "Pacific/Kiritimati"}).raise_for_status()  # UTC+14
    contact(api, email="ann@acme.io", renews="9999-12-31T23:00:00Z", signed_up="0001-01-01")
    lists = [dynamic(api, root(calendar(prop, "IN_LAST_TIME_UNIT", "YEAR", timeUnitCount=1000)), name=prop)
             for prop in ("renews", "signed_up")]  # fmt: skip
    lists.append(dynamic(api, root(on_day("renews", "AFTER", 2030, "JAN", 1)), name="after"))
    assert [members(portal, list_id) for list_id in lists] == [set(), set(), set()]
