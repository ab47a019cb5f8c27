"""Request bodies of the CRM object APIs (v3), as HubSpot's SDKs and raw clients send them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from simulator.wire import WireModel

PropertyValues = dict[str, str | int | float | bool | None]


class AssociationType(WireModel):
    association_category: Literal["HUBSPOT_DEFINED", "USER_DEFINED", "INTEGRATOR_DEFINED"]
    association_type_id: int


class AssociationTarget(WireModel):
    id: str


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
