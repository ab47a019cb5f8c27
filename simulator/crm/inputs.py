"""Request bodies of the CRM object APIs (v3), as HubSpot's SDKs and raw clients send them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from simulator.wire import WireModel

PropertyValues = dict[str, str | int | float | bool | None]


def _id_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


# HubSpot's own examples send record ids as JSON numbers (`"to": {"id": 101}`) as often as strings.
RecordId = Annotated[str, BeforeValidator(_id_text)]


class AssociationType(WireModel):
    association_category: Literal["HUBSPOT_DEFINED", "USER_DEFINED", "INTEGRATOR_DEFINED"]
    association_type_id: int


class AssociationTarget(WireModel):
    id: RecordId


class AssociationInput(WireModel):
    to: AssociationTarget
    types: list[AssociationType]


class ObjectCreate(WireModel):
    properties: PropertyValues
    # The spec marks associations required; HubSpot's docs and raw clients omit them.
    associations: list[AssociationInput] = Field(default_factory=list)
    object_write_trace_id: str | None = None


class ObjectUpdate(WireModel):
    properties: PropertyValues
    object_write_trace_id: str | None = None


class BatchCreate(WireModel):
    inputs: list[ObjectCreate]


class ObjectId(WireModel):
    id: str


class BatchRead(WireModel):
    inputs: list[ObjectId]
    properties: list[str] = Field(default_factory=list)
    properties_with_history: list[str] = Field(default_factory=list)
    id_property: str | None = None


class BatchUpdateInput(WireModel):
    id: str
    properties: PropertyValues
    id_property: str | None = None
    object_write_trace_id: str | None = None


class BatchUpdate(WireModel):
    inputs: list[BatchUpdateInput]


class BatchUpsert(WireModel):
    inputs: list[BatchUpdateInput]


class BatchArchive(WireModel):
    inputs: list[ObjectId]


class MergeInput(WireModel):
    primary_object_id: str
    object_id_to_merge: str


class GdprDelete(WireModel):
    object_id: str
    id_property: str | None = None
