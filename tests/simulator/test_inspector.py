"""The inspector (/_sim/ui): read-only HTML pages over the portal a token names, showing what the API wrote."""

from __future__ import annotations

import re

import httpx
import pytest

from simulator import create_app
from tests.conftest import TOKEN


@pytest.fixture
def browser(app):
    """A client with no bearer token, like a browser: the page's ?token= picks the portal."""
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://hubsim.test") as client:
        yield client


def _signup(api, email, first, stage="lead", **extra):
    response = api.post("/crm/v3/objects/contacts", json={"properties": {
        "email": email, "firstname": first, "lifecyclestage": stage, **extra}})
    assert response.status_code == 201
    return response.json()["id"]


def test_without_a_token_the_inspector_asks_for_one(browser):
    page = browser.get("/_sim/ui")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Which portal?" in page.text and 'name="token"' in page.text


def test_the_token_in_the_query_picks_the_portal_and_is_remembered_for_the_links(api, browser, portal):
    _signup(api, "ann@northwind.io", "Ann")
    first = browser.get("/_sim/ui", params={"token": TOKEN})
    assert f"Portal {portal.id}" in first.text
    assert re.search(r'<div class="n">1</div><div class="l">contacts</div>', first.text)
    follow = browser.get("/_sim/ui/contacts")  # no token: the cookie carries it
    assert "ann@northwind.io" in follow.text


def test_overview_shows_the_rate_limit_windows_and_recent_429s(api, browser, portal):
    portal.settings.tier = "starter"
    for _ in range(101):
        api.get("/crm/v3/objects/contacts")
    page = browser.get("/_sim/ui", params={"token": TOKEN}).text
    assert "100 / 100" in page  # the 10-second window, full
    throttled = page.split('id="throttled"')[1].split("</table>")[0]
    assert "GET /crm/v3/objects/contacts" in throttled and "TEN_SECONDLY_ROLLING" in throttled


def test_overview_lists_injected_faults(api, browser):
    api.post("/_sim/faults", json={"match": {"path": "/crm/v3/objects/contacts"}, "action": {"status": 503},
                                   "times": 1})
    assert api.get("/crm/v3/objects/contacts").status_code == 503
    faults = browser.get("/_sim/ui", params={"token": TOKEN}).text.split('id="faults"')[1].split("</table>")[0]
    assert "GET /crm/v3/objects/contacts" in faults and "503" in faults and "status" in faults


def test_contacts_search_by_email_and_filter_by_stage(api, browser):
    _signup(api, "ann@northwind.io", "Ann", stage="salesqualifiedlead")
    _signup(api, "raj@contoso.com", "Raj")
    found = browser.get("/_sim/ui/contacts", params={"token": TOKEN, "q": "contoso"}).text
    assert "raj@contoso.com" in found and "ann@northwind.io" not in found and "1 found" in found
    sqls = browser.get("/_sim/ui/contacts", params={"token": TOKEN, "stage": "salesqualifiedlead"}).text
    assert "ann@northwind.io" in sqls and "raj@contoso.com" not in sqls
    assert "Sales Qualified Lead" in sqls


def test_contacts_show_score_label_and_owner_name(api, browser):
    api.post("/crm/v3/properties/contacts", json={"name": "pql_score", "label": "PQL score", "type": "number",
                                                  "fieldType": "number", "groupName": "contactinformation"})
    owner = api.get("/crm/v3/owners").json()["results"][0]
    _signup(api, "ann@northwind.io", "Ann", pql_score="82", hubspot_owner_id=owner["id"])
    row = browser.get("/_sim/ui/contacts", params={"token": TOKEN}).text.split("ann@northwind.io")[1]
    assert "<td>82</td>" in row.split("</tr>")[0]
    assert f"{owner['firstName']} {owner['lastName']}" in row.split("</tr>")[0]


def test_a_contact_timeline_shows_its_property_history_newest_first(api, browser, portal):
    contact_id = _signup(api, "ann@northwind.io", "Ann")
    portal.advance(__import__("datetime").timedelta(days=2))
    api.patch(f"/crm/v3/objects/contacts/{contact_id}", json={"properties": {"lifecyclestage": "customer"}})
    page = browser.get(f"/_sim/ui/contacts/{contact_id}", params={"token": TOKEN}).text
    timeline = page.split('id="timeline"')[1].split("</ol>")[0]
    assert timeline.index("lifecyclestage set to Customer") < timeline.index("Contact created")


def test_a_contact_shows_its_own_associated_records_by_name_not_the_portals(api, browser):
    """Bare ids read as counts ("companies: 2000"); the page names each of the contact's records and counts them."""
    companies = [api.post("/crm/v3/objects/companies", json={"properties": {
        "name": f"Company {n}", "domain": f"c{n}.io"}}).json()["id"] for n in range(3)]
    deal = api.post("/crm/v3/objects/deals", json={"properties": {"dealname": "Northwind upgrade",
                                                                  "dealstage": "appointmentscheduled"}}).json()["id"]
    contact_id = _signup(api, "ann@northwind.io", "Ann")
    _signup(api, "raj@contoso.com", "Raj")
    for kind, to_id in (("companies", companies[1]), ("deals", deal)):
        linked = api.put(f"/crm/v4/objects/contacts/{contact_id}/associations/default/{kind}/{to_id}")
        assert linked.status_code == 200
    panel = browser.get(f"/_sim/ui/contacts/{contact_id}", params={"token": TOKEN}).text.split(
        'id="associations"')[1].split("</div>")[0]
    headings = re.findall(r"<h3[^>]*>(.*?)</h3>", panel)
    assert headings == ["Companies (1)", "Deals (1)"]
    items = [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in re.findall(r"<li>(.*?)</li>", panel, re.DOTALL)]
    assert items == [f"Company 1 · c1.io #{companies[1]}", f"Northwind upgrade · appointmentscheduled #{deal}"]


def test_a_contact_with_many_records_of_a_kind_shows_the_first_and_the_count(api, browser):
    from simulator.ui.views import LINKED_SHOWN

    contact_id = _signup(api, "ann@northwind.io", "Ann")
    for n in range(LINKED_SHOWN + 2):
        task = api.post("/crm/v3/objects/tasks", json={"properties": {
            "hs_task_subject": f"Call {n}", "hs_timestamp": "2030-01-01T00:00:00Z"}}).json()["id"]
        api.put(f"/crm/v4/objects/contacts/{contact_id}/associations/default/tasks/{task}")
    panel = browser.get(f"/_sim/ui/contacts/{contact_id}", params={"token": TOKEN}).text.split(
        'id="associations"')[1].split("</div>")[0]
    assert f"Tasks ({LINKED_SHOWN + 2})" in panel and "and 2 more" in panel
    assert panel.count("Call ") == LINKED_SHOWN and "Call 0" in panel and f"Call {LINKED_SHOWN}" not in panel


def test_an_unknown_contact_is_hubspots_404(browser):
    missing = browser.get("/_sim/ui/contacts/999", params={"token": TOKEN})
    assert missing.status_code == 404
    assert missing.json()["category"] == "OBJECT_NOT_FOUND"


def test_funnel_counts_each_contact_in_every_stage_it_passed(api, browser):
    _signup(api, "a@x.io", "A", stage="lead")
    _signup(api, "b@x.io", "B", stage="salesqualifiedlead")
    _signup(api, "c@x.io", "C", stage="customer")
    page = browser.get("/_sim/ui/funnel", params={"token": TOKEN}).text
    rows = dict(re.findall(r"<tr><td>([A-Za-z ]+)</td><td>([\d,]+)</td>", page))
    assert rows["Lead"] == "3" and rows["Sales Qualified Lead"] == "2" and rows["Customer"] == "1"
    assert "<svg" in page and "Customer: 1" in page


def test_journal_page_filters_by_status(api, browser):
    api.get("/crm/v3/objects/contacts/404404")
    api.get("/crm/v3/objects/contacts")
    page = browser.get("/_sim/ui/journal", params={"token": TOKEN, "status": "4xx"}).text
    assert "1 requests match" in page and "/crm/v3/objects/contacts/404404" in page


def test_record_values_are_escaped(api, browser):
    _signup(api, "eve@x.io", "<script>alert(1)</script>")
    page = browser.get("/_sim/ui/contacts", params={"token": TOKEN}).text
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_with_an_admin_token_the_inspector_needs_it():
    app = create_app(config={"adminToken": "s3cret"})
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://hubsim.test") as client:
        refused = client.get("/_sim/ui", params={"token": TOKEN})
        assert refused.status_code == 401
        assert "admin token" in refused.json()["message"]
        assert "Portal" in client.get("/_sim/ui", params={"token": TOKEN, "admin": "s3cret"}).text


def test_a_contact_timeline_shows_its_custom_events_by_label_with_their_properties(api, browser, portal):
    contact_id = _signup(api, "ann@northwind.io", "Ann")
    created = api.post("/events/v3/event-definitions", json={
        "label": "Pricing page viewed", "name": "pricing_page_viewed", "primaryObject": "CONTACT",
        "propertyDefinitions": [{"name": "plan", "label": "Plan", "type": "string"}]})
    assert created.status_code == 201
    sent = api.post("/events/v3/send", json={"eventName": created.json()["fullyQualifiedName"],
                                             "objectId": contact_id, "properties": {"plan": "team"}})
    assert sent.status_code == 204
    timeline = browser.get(f"/_sim/ui/contacts/{contact_id}", params={"token": TOKEN}).text.split(
        'id="timeline"')[1].split("</ol>")[0]
    assert '<li class="event"><div>Pricing page viewed</div>' in timeline and "plan=team" in timeline


def _routing_flow(api, owner_id):
    created = api.post("/automation/v4/flows", json={
        "type": "CONTACT_FLOW", "objectTypeId": "0-1", "flowType": "WORKFLOW", "name": "PQL routing",
        "isEnabled": True, "startActionId": "1", "enrollmentCriteria": {"type": "MANUAL", "shouldReEnroll": False},
        "actions": [
            {"type": "SINGLE_CONNECTION", "actionId": "1", "actionTypeId": "0-11", "actionTypeVersion": 0,
             "connection": {"edgeType": "STANDARD", "nextActionId": "2"},
             "fields": {"user_ids": [owner_id], "target_property": "hubspot_owner_id"}},
            {"type": "SINGLE_CONNECTION", "actionId": "2", "actionTypeId": "0-9", "actionTypeVersion": 0,
             "fields": {"owner_properties": ["hubspot_owner_id"], "subject": "New PQL", "body": "Call them"}}]})
    assert created.status_code == 201, created.text
    return created.json()["id"]


def test_workflows_show_enrollment_counts_and_each_actions_results(api, browser):
    owner = api.get("/crm/v3/owners").json()["results"][0]["id"]
    flow_id = _routing_flow(api, owner)
    ids = [_signup(api, f"u{i}@x.io", f"U{i}") for i in range(3)]
    assert api.post(f"/_sim/workflows/{flow_id}/enroll", json={"objectIds": ids}).status_code == 200
    panel = browser.get("/_sim/ui/workflows", params={"token": TOKEN}).text.split(f'id="flow-{flow_id}"')[1]
    assert "PQL routing" in panel and "enrolled 3" in panel
    rows = re.findall(r"<tr><td>(\d+)</td><td>([\d-]+)</td><td>(.*?)</td></tr>", panel)
    assert [(a, k) for a, k, _ in rows] == [("1", "0-11"), ("2", "0-9")]
    assert all("done 3" in results for _, _, results in rows)


def test_a_contact_timeline_shows_workflow_steps_notifications_and_list_joins(api, browser, portal):
    from simulator.lists.requests import ListCreate

    owner = api.get("/crm/v3/owners").json()["results"][0]
    flow_id = _routing_flow(api, owner["id"])
    contact_id = _signup(api, "ann@northwind.io", "Ann", stage="salesqualifiedlead")
    portal.lists.create(ListCreate.parse({"name": "Sales qualified", "objectTypeId": "0-1",
                                          "processingType": "DYNAMIC", "filterBranch": {
        "filterBranchType": "OR", "filters": [], "filterBranches": [{
            "filterBranchType": "AND", "filterBranches": [], "filters": [{
                "filterType": "PROPERTY", "property": "lifecyclestage", "operation": {
                    "operationType": "ENUMERATION", "operator": "IS_ANY_OF",
                    "values": ["salesqualifiedlead"]}}]}]}}))
    api.post(f"/_sim/workflows/{flow_id}/enroll", json={"objectIds": [contact_id]})
    timeline = browser.get(f"/_sim/ui/contacts/{contact_id}", params={"token": TOKEN}).text.split(
        'id="timeline"')[1].split("</ol>")[0]
    assert "Workflow PQL routing: action 1 (0-11): done" in timeline
    assert "in app notification: New PQL" in timeline and owner["email"] in timeline
    assert "Joined list Sales qualified" in timeline
    lists_page = browser.get("/_sim/ui/lists", params={"token": TOKEN}).text
    assert "Sales qualified" in lists_page and "1 members" in lists_page
    assert f'href="/_sim/ui/contacts/{contact_id}"' in lists_page
