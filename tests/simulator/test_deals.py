"""Deals (0-3) and deal pipelines: the default sales pipeline, stage checks, what a stage calculates."""

from __future__ import annotations

import json

DEALS = "/crm/v3/objects/deals"
PIPELINES = "/crm/v3/pipelines/deals"


def create(api, **properties):
    response = api.post(DEALS, json={"properties": properties})
    assert response.status_code == 201, response.text
    return response.json()


def problem_of(response):
    return json.loads(response.json()["message"].removeprefix("Property values were not valid: "))[0]


def test_the_default_sales_pipeline_has_hubspots_stages_and_probabilities(api):
    body = api.get(PIPELINES).json()
    [pipeline] = body["results"]
    assert (pipeline["id"], pipeline["label"], pipeline["displayOrder"]) == ("default", "Sales Pipeline", 0)
    stages = [(s["id"], s["metadata"]["probability"], s["metadata"]["isClosed"]) for s in pipeline["stages"]]
    assert stages == [
        ("appointmentscheduled", "0.2", "false"),
        ("qualifiedtobuy", "0.4", "false"),
        ("presentationscheduled", "0.6", "false"),
        ("decisionmakerboughtin", "0.8", "false"),
        ("contractsent", "0.9", "false"),
        ("closedwon", "1.0", "true"),
        ("closedlost", "0.0", "true"),
    ]


def test_a_pipeline_and_its_stages_read_by_id(api):
    assert api.get(f"{PIPELINES}/default").json()["label"] == "Sales Pipeline"
    stages = api.get(f"{PIPELINES}/default/stages").json()["results"]
    assert [s["label"] for s in stages][:2] == ["Appointment Scheduled", "Qualified To Buy"]
    stage = api.get(f"{PIPELINES}/default/stages/contractsent").json()
    assert stage["label"] == "Contract Sent"
    assert stage["writePermissions"] == "CRM_PERMISSIONS_ENFORCEMENT"


def test_an_unknown_pipeline_is_not_found(api):
    response = api.get(f"{PIPELINES}/nope")
    assert response.status_code == 404
    assert response.json()["category"] == "OBJECT_NOT_FOUND"


def test_pipelines_of_other_objects_are_not_simulated(api):
    response = api.get("/crm/v3/pipelines/contacts")
    assert response.status_code == 400
    assert response.json()["message"] == "hubsim simulates pipelines of deals and tickets only, not contacts"


def test_a_deal_without_a_pipeline_goes_to_the_default_one(api):
    body = create(api, dealname="Acme expansion", amount="1200.50", dealstage="qualifiedtobuy")
    props = body["properties"]
    assert props["pipeline"] == "default"
    assert props["amount"] == "1200.5"
    assert props["hs_deal_stage_probability"] == "0.4"
    assert props["hs_is_closed"] == "false"
    assert props["hs_is_closed_won"] == "false"


def test_a_stage_outside_the_deals_pipeline_is_invalid_option(api):
    response = api.post(DEALS, json={"properties": {"dealname": "X", "dealstage": "won"}})
    assert response.status_code == 400
    problem = problem_of(response)
    assert problem["error"] == "INVALID_OPTION"
    assert problem["name"] == "dealstage"
    assert problem["message"].startswith("won was not one of the allowed options: [appointmentscheduled,")


def test_an_unknown_pipeline_on_a_deal_is_invalid_option(api):
    response = api.post(DEALS, json={"properties": {"dealname": "X", "pipeline": "renewals"}})
    assert problem_of(response)["name"] == "pipeline"
    assert problem_of(response)["message"] == "renewals was not one of the allowed options: [default]"


def test_closing_a_deal_won_calculates_its_flags_and_stamps_its_close_date(api, portal):
    deal = create(api, dealname="Acme", dealstage="contractsent")
    api.post("/_sim/clock", json={"set": "2031-03-04T05:06:07Z", "freeze": True})
    body = api.patch(f"{DEALS}/{deal['id']}", json={"properties": {"dealstage": "closedwon"}}).json()
    props = body["properties"]
    assert (props["hs_is_closed"], props["hs_is_closed_won"], props["hs_is_closed_lost"]) == ("true", "true", "false")
    assert props["hs_deal_stage_probability"] == "1"
    assert props["closedate"] == "2031-03-04T05:06:07.000Z"


def test_a_close_date_given_is_kept_when_the_deal_is_lost(api):
    deal = create(api, dealname="Acme", dealstage="contractsent", closedate="2030-01-31")
    body = api.patch(f"{DEALS}/{deal['id']}", json={"properties": {"dealstage": "closedlost"}}).json()
    assert body["properties"]["closedate"] == "2030-01-31T00:00:00.000Z"
    assert body["properties"]["hs_is_closed_lost"] == "true"


def test_calculated_deal_properties_are_read_only(api):
    response = api.post(DEALS, json={"properties": {"dealname": "X", "hs_is_closed_won": "true"}})
    assert problem_of(response)["error"] == "READ_ONLY_VALUE"


def test_a_created_pipeline_accepts_deals_in_its_stages(api):
    created = api.post(PIPELINES, json={"label": "Renewals", "displayOrder": 1, "stages": [
        {"label": "Up for renewal", "displayOrder": 0, "metadata": {"probability": "0.5"}},
        {"label": "Renewed", "displayOrder": 1, "metadata": {"probability": "1.0"}},
    ]})  # fmt: skip
    assert created.status_code == 201
    pipeline = created.json()
    renewed = pipeline["stages"][1]
    assert renewed["metadata"] == {"probability": "1.0", "isClosed": "true"}
    body = create(api, dealname="Acme renewal", pipeline=pipeline["id"], dealstage=renewed["id"])
    assert body["properties"]["hs_is_closed_won"] == "true"
    refused = api.post(DEALS, json={"properties": {"pipeline": pipeline["id"], "dealstage": "closedwon"}})
    assert problem_of(refused)["name"] == "dealstage"


def test_a_deal_stage_needs_a_probability(api):
    stage_without_probability = {"label": "S", "displayOrder": 0}
    response = api.post(PIPELINES, json={"label": "P", "displayOrder": 1, "stages": [stage_without_probability]})
    assert response.status_code == 400
    assert "probability" in response.json()["message"]


def test_a_pipeline_holding_deals_cannot_be_archived(api):
    create(api, dealname="Acme", dealstage="qualifiedtobuy")
    extra = api.post(PIPELINES, json={"label": "Other", "displayOrder": 1, "stages": [
        {"label": "Open", "displayOrder": 0, "metadata": {"probability": "0.1"}}]}).json()  # fmt: skip
    refused = api.delete(f"{PIPELINES}/default")
    assert refused.status_code == 400
    assert "still holds deals" in refused.json()["message"]
    assert api.delete(f"{PIPELINES}/{extra['id']}").status_code == 204
    assert [p["id"] for p in api.get(PIPELINES).json()["results"]] == ["default"]


def test_renaming_a_stage_keeps_its_id(api):
    body = api.patch(f"{PIPELINES}/default/stages/qualifiedtobuy", json={"label": "Qualified"}).json()
    assert (body["id"], body["label"]) == ("qualifiedtobuy", "Qualified")
    assert api.get(f"{PIPELINES}/default/stages/qualifiedtobuy").json()["label"] == "Qualified"
