"""Custom object schemas: /crm/v3/schemas and /crm-object-schemas/v3/schemas (HubSpot's custom objects guide)."""

from __future__ import annotations

from flask import Blueprint

from simulator.crm.association_types import DefinitionCreate
from simulator.crm.properties import PropertyCreate
from simulator.crm.schemas import SchemaCreate, SchemaUpdate
from simulator.routes.common import body, portal, query_bool, requires

SCHEMAS_PREFIX = "/crm/v3/schemas"
SDK_SCHEMAS_PREFIX = "/crm-object-schemas/v3/schemas"  # the same API where hubspot-api-client's crm.schemas calls it
bp = Blueprint("schemas", __name__, url_prefix=SCHEMAS_PREFIX)
READ, WRITE = "crm.schemas.custom.read", "crm.schemas.custom.write"


@bp.get("/")
@requires(READ)
def get_all_schemas():
    crm = portal().crm
    return {"results": [crm.schema_view(s) for s in crm.schemas.schemas(archived=query_bool("archived"))]}


@bp.post("/")
@requires(WRITE)
def create_schema():
    return portal().crm.schema_view(portal().create_schema(body(SchemaCreate))), 201


@bp.get("/<object_type>")
@requires(READ)
def get_schema(object_type: str):
    crm = portal().crm
    return crm.schema_view(crm.schemas.get(object_type))


@bp.patch("/<object_type>")
@requires(WRITE)
def update_schema(object_type: str):
    crm = portal().crm
    return crm.schema_view(crm.schemas.update(object_type, body(SchemaUpdate)))


@bp.delete("/<object_type>")
@requires(WRITE)
def archive_schema(object_type: str):
    portal().crm.archive_schema(object_type)
    return "", 204


@bp.post("/<object_type>/properties")
@requires(WRITE)
def create_schema_property(object_type: str):
    crm = portal().crm
    schema = crm.schemas.get(object_type)
    return crm.properties[schema.type.name].create(body(PropertyCreate)).dump(), 201


@bp.post("/<object_type>/associations")
@requires(WRITE)
def create_schema_association(object_type: str):
    return portal().crm.define_association(object_type, body(DefinitionCreate)).dump(), 201
