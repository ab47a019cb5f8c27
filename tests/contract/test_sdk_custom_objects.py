"""Custom objects through the official hubspot-api-client, over a socket: crm.schemas, crm.objects and
crm.associations.v4 with a schema's USER_DEFINED association types; and a `hubsim serve --state` restart."""

from __future__ import annotations

from hubspot import HubSpot
from hubspot.crm.associations.v4 import AssociationSpec
from hubspot.crm.objects import (
    Filter,
    FilterGroup,
    PublicAssociationsForObject,
    PublicObjectId,
    PublicObjectSearchRequest,
    SimplePublicObjectInputForCreate,
)
from hubspot.crm.objects import AssociationSpec as ObjectAssociationSpec
from hubspot.crm.contacts import SimplePublicObjectInputForCreate as ContactCreate
from hubspot.crm.schemas import AssociationDefinitionEgg, ObjectSchemaEgg, ObjectTypeDefinitionLabels
from hubspot.crm.schemas import ObjectTypePropertyCreate
import pytest

from test_serve import start, stop


@pytest.fixture
def sdk(hubspot_sim) -> HubSpot:
    return HubSpot(access_token=hubspot_sim.token, host=hubspot_sim.base_url, base_url=hubspot_sim.base_url)


def workspace_schema(sdk: HubSpot):
    return sdk.crm.schemas.core_api.create(ObjectSchemaEgg(
        name="workspace", labels=ObjectTypeDefinitionLabels(singular="Workspace", plural="Workspaces"),
        primary_display_property="workspace_name", required_properties=["workspace_name"],
        searchable_properties=["workspace_name"], associated_objects=["CONTACT"],
        properties=[ObjectTypePropertyCreate(name="workspace_name", label="Workspace name", type="string",
                                             field_type="text"),
                    ObjectTypePropertyCreate(name="seats", label="Seats", type="number", field_type="number")],
    ))  # fmt: skip


def test_a_schema_its_records_and_their_associations_through_the_sdk(sdk):
    schema = workspace_schema(sdk)
    type_id = schema.object_type_id
    assert [(a.from_object_type_id, a.to_object_type_id) for a in schema.associations] == [(type_id, "0-1")]
    [to_contact] = sdk.crm.associations.v4.schema.definitions_api.get_all(type_id, "contacts").results
    assert (to_contact.category, to_contact.label) == ("USER_DEFINED", None)

    ann = sdk.crm.contacts.basic_api.create(ContactCreate(properties={"email": "ann@acme.io"})).id
    space = sdk.crm.objects.basic_api.create(type_id, SimplePublicObjectInputForCreate(
        properties={"workspace_name": "Acme HQ", "seats": "12"},
        associations=[PublicAssociationsForObject(to=PublicObjectId(id=ann), types=[ObjectAssociationSpec(
            association_category="USER_DEFINED", association_type_id=to_contact.type_id)])],
    ))  # fmt: skip
    read = sdk.crm.objects.basic_api.get_by_id(type_id, space.id, properties=["seats"], associations=["contacts"])
    assert read.properties["seats"] == "12"
    assert [a.id for a in read.associations["contacts"].results] == [ann]

    page = sdk.crm.associations.v4.basic_api.get_page("contacts", ann, type_id)
    assert [(r.to_object_id, r.association_types[0].category) for r in page.results] == [(space.id, "USER_DEFINED")]
    found = sdk.crm.objects.search_api.do_search(type_id, PublicObjectSearchRequest(filter_groups=[FilterGroup(
        filters=[Filter(property_name="associations.contact", operator="EQ", value=ann)])]))  # fmt: skip
    assert [r.id for r in found.results] == [space.id]

    sdk.crm.associations.v4.basic_api.archive(type_id, space.id, "contacts", ann)
    assert sdk.crm.associations.v4.basic_api.get_page("contacts", ann, type_id).results == []


def test_a_definition_added_through_the_sdk_links_companies(sdk):
    type_id = workspace_schema(sdk).object_type_id
    made = sdk.crm.schemas.core_api.create_association(type_id, AssociationDefinitionEgg(
        from_object_type_id=type_id, to_object_type_id="0-2", name="workspace_to_company"))
    assert (made.to_object_type_id, made.name) == ("0-2", "workspace_to_company")
    space = sdk.crm.objects.basic_api.create(type_id, SimplePublicObjectInputForCreate(
        properties={"workspace_name": "Acme HQ"})).id
    acme = sdk.crm.companies.basic_api.create(SimplePublicObjectInputForCreate(properties={"domain": "acme.io"})).id
    linked = sdk.crm.associations.v4.basic_api.create(type_id, space, "companies", acme, [
        AssociationSpec(association_category="USER_DEFINED", association_type_id=int(made.id))])
    assert (linked.from_object_id, linked.to_object_id) == (space, acme)
    assert [s.name for s in sdk.crm.schemas.core_api.get_all().results] == ["workspace"]


def test_custom_objects_survive_a_restart_of_hubsim_serve_with_state(tmp_path):
    process, url, token = start("--state", str(tmp_path), "--save-every", "3600")
    try:
        sdk = HubSpot(access_token=token, host=url, base_url=url)
        type_id = workspace_schema(sdk).object_type_id
        ann = sdk.crm.contacts.basic_api.create(ContactCreate(properties={"email": "ann@acme.io"})).id
        space = sdk.crm.objects.basic_api.create(type_id, SimplePublicObjectInputForCreate(
            properties={"workspace_name": "Acme HQ"})).id
        sdk.crm.associations.v4.basic_api.create_default(type_id, space, "contacts", ann)
    finally:
        assert stop(process) == 0
    process, url, token = start("--state", str(tmp_path))
    try:
        sdk = HubSpot(access_token=token, host=url, base_url=url)
        assert sdk.crm.schemas.core_api.get_by_id("workspace").object_type_id == type_id
        read = sdk.crm.objects.basic_api.get_by_id(type_id, space, properties=["workspace_name"],
                                                   associations=["contacts"])
        assert read.properties["workspace_name"] == "Acme HQ"
        assert [a.id for a in read.associations["contacts"].results] == [ann]
    finally:
        stop(process)
