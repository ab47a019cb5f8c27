"""Request bodies of the lists v3 API (crm-lists-v3: ListCreateRequest, ListSearchRequest, ...)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from simulator.errors import ValidationError
from simulator.wire import WireModel

ProcessingType = Literal["MANUAL", "DYNAMIC", "SNAPSHOT"]
SEARCH_COUNT_LIMIT = 500  # HubSpot: ListSearchRequest.count, "maximum 500"
MEMBERSHIP_PAGE_LIMIT = 250  # HubSpot: memberships pages take at most 250
MEMBERSHIP_CHANGE_LIMIT = 100_000  # HubSpot: memberships add/remove take at most 100,000 record ids a call


class ListCreate(WireModel):
    name: str = Field(min_length=1)
    object_type_id: str
    processing_type: ProcessingType
    filter_branch: dict[str, Any] | None = None  # parsed by the language, which names what is wrong with it
    list_folder_id: int | str | None = None
    list_permissions: dict[str, Any] | None = None
    membership_settings: dict[str, Any] | None = None
    custom_properties: dict[str, Any] | None = None


class ListFilterUpdate(WireModel):
    filter_branch: dict[str, Any]


class ListSearch(WireModel):
    query: str | None = None
    offset: int = Field(default=0, ge=0)
    count: int = Field(default=20, ge=1, le=SEARCH_COUNT_LIMIT)
    processing_types: list[ProcessingType] = []
    list_ids: list[str] = []
    additional_properties: list[str] = []
    object_type_id: str | None = None
    sort: str | None = None


class MembershipChange(WireModel):
    record_ids_to_add: list[str] = Field(default=[], max_length=MEMBERSHIP_CHANGE_LIMIT)
    record_ids_to_remove: list[str] = Field(default=[], max_length=MEMBERSHIP_CHANGE_LIMIT)


class RecordIdInput(WireModel):
    object_type_id: str
    record_id: str


class BatchRecordIds(WireModel):
    inputs: list[RecordIdInput] = Field(max_length=100)  # HubSpot's batch size


class FolderCreate(WireModel):
    name: str = Field(min_length=1)
    parent_folder_id: str | None = None


class ListMove(WireModel):
    list_id: str
    new_folder_id: str


def record_ids(payload: Any) -> list[str]:
    """The body of memberships add/remove: a JSON array of record ids (numbers are accepted as their digits)."""
    if not isinstance(payload, list):
        raise ValidationError("Invalid input JSON: the body must be an array of record ids")
    if len(payload) > MEMBERSHIP_CHANGE_LIMIT:
        raise ValidationError(f"At most {MEMBERSHIP_CHANGE_LIMIT} record ids can be changed at once")
    ids = []
    for item in payload:
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise ValidationError(f"Invalid input JSON: record ids must be strings, got {item!r}")
        ids.append(str(item))
    return ids
