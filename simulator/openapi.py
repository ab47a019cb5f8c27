"""The simulator's own OpenAPI document (/openapi.json): every route it serves, written here, not copied.

Request bodies come from the wire models the routes parse, so the document cannot drift from what is accepted.
A test checks that every route of the app is documented.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

import simulator
from simulator.compat import dated
from simulator.crm import inputs
from simulator.crm.associations import (
    BatchArchivePairs,
    BatchDefault,
    BatchLabelled,
    BatchReadAssociations,
    BatchReadAssociationsV3,
)
from simulator.crm.object_types import OBJECT_TYPES
from simulator.crm.pipelines import Pipeline, PipelineInput, PipelinePatch, Stage, StageInput, StagePatch
from simulator.crm.properties import (
    PropertyCreate,
    PropertyDefinition,
    PropertyGroup,
    PropertyGroupCreate,
    PropertyGroupUpdate,
    PropertyUpdate,
)
from simulator.crm.association_types import DefinitionCreate, LabelCreate, LabelUpdate
from simulator.crm.schemas import SchemaCreate, SchemaUpdate
from simulator.crm.search import SearchRequest
from simulator.events.definitions import (
    EventDefinitionCreate,
    EventDefinitionPatch,
    EventPropertyCreate,
    EventPropertyPatch,
)
from simulator.events.send import BatchEventSend, EventSend
from simulator.harness.control import ClockCommand, PortalSettingsUpdate
from simulator.harness.faults import FaultRuleInput
from simulator.harness.journal import MAX_SIZE as MAX_JOURNAL_SIZE
from simulator.lists import requests as lists
from simulator.openapi_schemas import (
    BOOLEAN,
    JSON,
    REF,
    RESPONSE_SCHEMAS,
    STRING,
    array,
    ref,
)
from simulator.routes.properties import BatchPropertyCreate, BatchPropertyNames, BatchPropertyRead
from simulator.routes.schemas import SCHEMAS_PREFIX, SDK_SCHEMAS_PREFIX
from simulator.workflows.definitions import FlowBatchRead, FlowCreate, FlowUpdate, ManualEnroll, SecretValue
from simulator.workflows.outbox import MAX_MESSAGES
from simulator.webhooks.apps import (
    AppSecret,
    SettingsInput,
    SubscriptionBatchUpdate,
    SubscriptionCreate,
    SubscriptionPatch,
)
from simulator.webhooks.outbox import ATTEMPT_LOG_SIZE
from simulator.workflows.playbook import PlaybookInstall


# Models whose JSON schema pydantic writes: request bodies and the stored shapes returned as they are.
MODELS: list[type[BaseModel]] = [
    inputs.ObjectCreate,
    inputs.ObjectUpdate,
    inputs.BatchCreate,
    inputs.BatchRead,
    inputs.BatchUpdate,
    inputs.BatchUpsert,
    inputs.BatchArchive,
    inputs.MergeInput,
    inputs.GdprDelete,
    BatchLabelled,
    BatchDefault,
    BatchArchivePairs,
    BatchReadAssociations,
    BatchReadAssociationsV3,
    PipelineInput,
    PipelinePatch,
    StageInput,
    StagePatch,
    Pipeline,
    Stage,
    SearchRequest,
    PropertyCreate,
    PropertyUpdate,
    SchemaCreate,
    SchemaUpdate,
    DefinitionCreate,
    LabelCreate,
    LabelUpdate,
    PropertyDefinition,
    PropertyGroup,
    PropertyGroupCreate,
    PropertyGroupUpdate,
    BatchPropertyCreate,
    BatchPropertyNames,
    BatchPropertyRead,
    EventDefinitionCreate,
    EventDefinitionPatch,
    EventPropertyCreate,
    EventPropertyPatch,
    EventSend,
    BatchEventSend,
    ClockCommand,
    PortalSettingsUpdate,
    FaultRuleInput,
    lists.ListCreate,
    lists.ListFilterUpdate,
    lists.ListSearch,
    lists.MembershipChange,
    lists.BatchRecordIds,
    lists.FolderCreate,
    lists.ListMove,
    FlowCreate,
    FlowUpdate,
    FlowBatchRead,
    ManualEnroll,
    SecretValue,
    SettingsInput,
    SubscriptionCreate,
    SubscriptionPatch,
    SubscriptionBatchUpdate,
    AppSecret,
    PlaybookInstall,
]


class Operations:
    """Collects operations: paths[path][method] = operation."""

    def __init__(self) -> None:
        self.paths: dict[str, dict[str, Any]] = {}

    def add(
        self,
        method: str,
        path: str,
        operation_id: str,
        *,
        tag: str,
        body: str | None = None,
        query: dict[str, dict[str, Any]] | None = None,
        responses: dict[int, str | None],
        public: bool = False,
    ) -> None:
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": _path_schema(name)}
            for name in _path_names(path)
        ]
        parameters += [
            {"name": name, "in": "query", "required": False, "schema": schema, **_explode(schema)}
            for name, schema in (query or {}).items()
        ]
        operation: dict[str, Any] = {"operationId": operation_id, "tags": [tag], "parameters": parameters}
        if body:
            operation["requestBody"] = {"required": True, "content": {JSON: {"schema": ref(body)}}}
        operation["responses"] = {
            str(status): {"description": str(status), **({"content": {JSON: {"schema": ref(name)}}} if name else {})}
            for status, name in responses.items()
        }
        if not public and not path.startswith("/_sim"):
            operation["responses"]["429"] = {
                "description": "a rate limit refused the request",
                "content": {JSON: {"schema": ref("RateLimitError")}},
            }
        operation["responses"]["default"] = {
            "description": "HubSpot's error envelope",
            "content": {JSON: {"schema": ref("Error")}},
        }
        if public:
            operation["security"] = []
        self.paths.setdefault(path, {})[method.lower()] = operation


def _path_names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def _path_schema(name: str) -> dict[str, Any]:
    if name == "objectType":
        return {"type": "string", "enum": [t.name for t in OBJECT_TYPES]}
    if name == "objectId":
        return {"type": "string", "pattern": "^[0-9]{1,12}$"}
    if name == "toObjectType":
        return {"type": "string", "enum": [t.name for t in OBJECT_TYPES]}
    if name in ("toObjectId", "ownerId", "listId", "sourceListId", "recordId", "folderId", "newParentFolderId",
                "associationTypeId"):
        return {"type": "string", "pattern": "^[0-9]{1,12}$"}
    if name == "objectTypeId":
        return {"type": "string", "enum": [t.object_type_id for t in OBJECT_TYPES]}
    if name == "listName":
        return {"type": "string", "minLength": 1, "maxLength": 100}
    if name in ("appId", "subscriptionId"):
        return {"type": "string", "pattern": "^[1-9][0-9]{0,8}$"}
    return {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,40}$"}


def _explode(schema: dict[str, Any]) -> dict[str, Any]:
    return {"style": "form", "explode": True} if schema.get("type") == "array" else {}


PAGE = {"limit": {"type": "integer", "minimum": 1, "maximum": 100}, "after": {"type": "string", "pattern": "^[0-9]+$"}}
READ_QUERY = {
    "properties": array(STRING),
    "propertiesWithHistory": array(STRING),
    "associations": array({"type": "string", "enum": [t.name for t in OBJECT_TYPES]}),
    "archived": BOOLEAN,
}


def crm_objects(ops: Operations) -> None:
    base = "/crm/v3/objects/{objectType}"
    ops.add("GET", base, "get_page", tag="objects", query={**PAGE, **READ_QUERY}, responses={200: "ObjectPage"})
    ops.add("POST", base, "create", tag="objects", body="ObjectCreate", responses={201: "SimplePublicObject"})
    item = f"{base}/{{objectId}}"
    ops.add("GET", item, "get_by_id", tag="objects", query={**READ_QUERY, "idProperty": STRING},
            responses={200: "SimplePublicObject"})
    ops.add("PATCH", item, "update", tag="objects", body="ObjectUpdate", query={"idProperty": STRING},
            responses={200: "SimplePublicObject"})
    ops.add("DELETE", item, "archive", tag="objects", responses={204: None})
    for action, model, ok in (
        ("create", "BatchCreate", 201),
        ("read", "BatchRead", 200),
        ("update", "BatchUpdate", 200),
        ("upsert", "BatchUpsert", 200),
    ):
        ops.add("POST", f"{base}/batch/{action}", f"batch_{action}", tag="objects", body=model,
                query={"archived": BOOLEAN} if action == "read" else None,
                responses={ok: "ObjectBatch", 207: "ObjectBatch"})
    ops.add("POST", f"{base}/batch/archive", "batch_archive", tag="objects", body="BatchArchive",
            responses={204: None})
    ops.add("POST", f"{base}/search", "do_search", tag="objects", body="SearchRequest",
            responses={200: "ObjectSearchPage"})
    ops.add("POST", f"{base}/merge", "merge", tag="objects", body="MergeInput", responses={200: "SimplePublicObject"})
    ops.add("POST", f"{base}/gdpr-delete", "purge", tag="objects", body="GdprDelete", responses={204: None})


def crm_associations(ops: Operations) -> None:
    record = "/crm/v4/objects/{objectType}/{objectId}/associations"
    ops.add("GET", f"{record}/{{toObjectType}}", "get_associations_page", tag="associations",
            query={"limit": {"type": "integer", "minimum": 1, "maximum": 500}, "after": PAGE["after"]},
            responses={200: "AssociationPage"})
    ops.add("PUT", f"{record}/default/{{toObjectType}}/{{toObjectId}}", "create_default_association",
            tag="associations", responses={200: "DefaultAssociationBatch"})
    pair = f"{record}/{{toObjectType}}/{{toObjectId}}"
    ops.add("PUT", pair, "create_association", tag="associations", body="AssociationSpecList",
            responses={201: "LabelsBetweenObjectPair"})
    ops.add("DELETE", pair, "archive_associations", tag="associations", responses={204: None})
    types = "/crm/v4/associations/{objectType}/{toObjectType}"
    ops.add("POST", f"{types}/batch/create", "batch_create_associations", tag="associations", body="BatchLabelled",
            responses={201: "LabelsBatch", 207: "LabelsBatch"})
    ops.add("POST", f"{types}/batch/associate/default", "batch_create_default_associations", tag="associations",
            body="BatchDefault", responses={200: "DefaultAssociationBatch"})
    ops.add("POST", f"{types}/batch/read", "batch_read_associations", tag="associations",
            body="BatchReadAssociations", responses={200: "AssociationReadBatch", 207: "AssociationReadBatch"})
    ops.add("POST", f"{types}/batch/archive", "batch_archive_associations", tag="associations",
            body="BatchArchivePairs", responses={204: None})
    ops.add("POST", f"{types}/batch/labels/archive", "batch_archive_association_labels", tag="associations",
            body="BatchLabelled", responses={204: None})
    ops.add("GET", f"{types}/labels", "get_association_labels", tag="associations",
            responses={200: "AssociationLabels"})
    ops.add("POST", f"{types}/labels", "create_association_label", tag="associations", body="LabelCreate",
            responses={200: "AssociationLabels"})
    ops.add("PUT", f"{types}/labels", "update_association_label", tag="associations", body="LabelUpdate",
            responses={204: None})
    ops.add("DELETE", f"{types}/labels/{{associationTypeId}}", "delete_association_label", tag="associations",
            responses={204: None})


def crm_owners(ops: Operations) -> None:
    ops.add("GET", "/crm/v3/owners/", "get_owners_page", tag="owners", responses={200: "OwnerPage"}, query={
        "limit": {"type": "integer", "minimum": 1, "maximum": 500}, "after": PAGE["after"], "email": STRING,
        "archived": BOOLEAN,
    })  # fmt: skip
    ops.add("GET", "/crm/v3/owners/{ownerId}", "get_owner", tag="owners", responses={200: "Owner"},
            query={"idProperty": {"type": "string", "enum": ["id", "userId"]}, "archived": BOOLEAN})


def crm_pipelines(ops: Operations) -> None:
    base = "/crm/v3/pipelines/{objectType}"
    ops.add("GET", base, "get_pipelines", tag="pipelines", query={"archived": BOOLEAN}, responses={200: "PipelineList"})
    ops.add("POST", base, "create_pipeline", tag="pipelines", body="PipelineInput", responses={201: "Pipeline"})
    item = f"{base}/{{pipelineId}}"
    ops.add("GET", item, "get_pipeline", tag="pipelines", responses={200: "Pipeline"})
    ops.add("PATCH", item, "update_pipeline", tag="pipelines", body="PipelinePatch", responses={200: "Pipeline"})
    ops.add("DELETE", item, "archive_pipeline", tag="pipelines", responses={204: None})
    stages = f"{item}/stages"
    ops.add("GET", stages, "get_pipeline_stages", tag="pipelines", responses={200: "StageList"})
    ops.add("POST", stages, "create_pipeline_stage", tag="pipelines", body="StageInput", responses={201: "Stage"})
    stage = f"{stages}/{{stageId}}"
    ops.add("GET", stage, "get_pipeline_stage", tag="pipelines", responses={200: "Stage"})
    ops.add("PATCH", stage, "update_pipeline_stage", tag="pipelines", body="StagePatch", responses={200: "Stage"})
    ops.add("DELETE", stage, "archive_pipeline_stage", tag="pipelines", responses={204: None})


def crm_properties(ops: Operations) -> None:
    base = "/crm/v3/properties/{objectType}"
    ops.add("GET", base, "get_all_properties", tag="properties",
            query={"archived": BOOLEAN, "properties": array(STRING)}, responses={200: "PropertyList"})
    ops.add("POST", base, "create_property", tag="properties", body="PropertyCreate",
            responses={201: "PropertyDefinition"})
    item = f"{base}/{{propertyName}}"
    ops.add("GET", item, "get_property", tag="properties", query={"archived": BOOLEAN},
            responses={200: "PropertyDefinition"})
    ops.add("PATCH", item, "update_property", tag="properties", body="PropertyUpdate",
            responses={200: "PropertyDefinition"})
    ops.add("DELETE", item, "archive_property", tag="properties", responses={204: None})
    ops.add("POST", f"{base}/batch/create", "batch_create_properties", tag="properties", body="BatchPropertyCreate",
            responses={201: "PropertyBatch", 207: "PropertyBatch"})
    ops.add("POST", f"{base}/batch/read", "batch_read_properties", tag="properties", body="BatchPropertyRead",
            responses={200: "PropertyBatch", 207: "PropertyBatch"})
    ops.add("POST", f"{base}/batch/archive", "batch_archive_properties", tag="properties",
            body="BatchPropertyNames", responses={204: None})
    groups = f"{base}/groups"
    ops.add("GET", groups, "get_property_groups", tag="properties", responses={200: "PropertyGroupList"})
    ops.add("POST", groups, "create_property_group", tag="properties", body="PropertyGroupCreate",
            responses={201: "PropertyGroup"})
    group = f"{groups}/{{groupName}}"
    ops.add("GET", group, "get_property_group", tag="properties", responses={200: "PropertyGroup"})
    ops.add("PATCH", group, "update_property_group", tag="properties", body="PropertyGroupUpdate",
            responses={200: "PropertyGroup"})
    ops.add("DELETE", group, "archive_property_group", tag="properties", responses={204: None})


def events(ops: Operations) -> None:
    base = "/events/v3/event-definitions"
    ops.add("GET", base, "get_event_definitions", tag="events", responses={200: "EventDefinitionList"}, query={
        "searchString": STRING, "after": {"type": "string", "pattern": "^[0-9]+$"},
        "limit": {"type": "integer", "minimum": 1, "maximum": 100}, "includeProperties": BOOLEAN,
        "sortOrder": {"type": "string", "enum": ["ASC", "DESC"]},
    })  # fmt: skip
    ops.add("POST", base, "create_event_definition", tag="events", body="EventDefinitionCreate",
            responses={201: "EventDefinition"})
    item = f"{base}/{{eventName}}"
    ops.add("GET", item, "get_event_definition", tag="events", responses={200: "EventDefinition"})
    ops.add("PATCH", item, "update_event_definition", tag="events", body="EventDefinitionPatch",
            responses={201: "EventDefinition"})
    ops.add("DELETE", item, "archive_event_definition", tag="events", responses={204: None})
    ops.add("POST", f"{item}/property", "create_event_property", tag="events", body="EventPropertyCreate",
            responses={201: "PropertyDefinition"})
    prop = f"{item}/property/{{propertyName}}"
    ops.add("PATCH", prop, "update_event_property", tag="events", body="EventPropertyPatch",
            responses={201: "PropertyDefinition"})
    ops.add("DELETE", prop, "archive_event_property", tag="events", responses={204: None})
    ops.add("POST", "/events/v3/send", "send_event", tag="events", body="EventSend", responses={204: None})
    ops.add("POST", "/events/v3/send/batch", "send_event_batch", tag="events", body="BatchEventSend",
            responses={204: None})
    ops.add("GET", "/events/v3/events", "get_events", tag="events", responses={200: "EventOccurrencePage"}, query={
        "objectType": {"type": "string", "enum": ["contact", "company", "deal"]},
        "objectId": {"type": "string", "pattern": "^[0-9]{1,12}$"}, "objectProperty.email": STRING,
        "eventType": STRING, "occurredAfter": {"type": "string", "format": "date-time"},
        "occurredBefore": {"type": "string", "format": "date-time"},
        "sort": {"type": "string", "enum": ["occurredAt", "-occurredAt"]},
        "after": {"type": "string", "pattern": "^[0-9]{1,17}_[0-9]{1,12}$"},
        "limit": {"type": "integer", "minimum": 1, "maximum": 100}, "id": array(STRING),
    })  # fmt: skip
    ops.add("GET", "/events/v3/events/event-types", "get_event_types", tag="events", responses={200: "EventTypes"})


def crm_lists(ops: Operations) -> None:
    base, tag = "/crm/v3/lists", "lists"
    filters = {"includeFilters": BOOLEAN}
    ops.add("POST", f"{base}/", "create_list", tag=tag, body="ListCreate", responses={200: "ListResponse"})
    ops.add("GET", f"{base}/", "get_lists_by_ids", tag=tag, query={"listIds": array(STRING), **filters},
            responses={200: "ListsById"})
    ops.add("POST", f"{base}/search", "search_lists", tag=tag, body="ListSearch", responses={200: "ListSearchResponse"})
    item = f"{base}/{{listId}}"
    ops.add("GET", item, "get_list", tag=tag, query=filters, responses={200: "ListResponse"})
    ops.add("DELETE", item, "delete_list", tag=tag, responses={204: None})
    ops.add("GET", f"{base}/object-type-id/{{objectTypeId}}/name/{{listName}}", "get_list_by_name", tag=tag,
            query=filters, responses={200: "ListResponse"})
    ops.add("PUT", f"{item}/restore", "restore_list", tag=tag, responses={204: None})
    ops.add("PUT", f"{item}/update-list-name", "update_list_name", tag=tag,
            query={"listName": STRING, **filters}, responses={200: "ListUpdated"})
    ops.add("PUT", f"{item}/update-list-filters", "update_list_filters", tag=tag, body="ListFilterUpdate",
            query={"enrollObjectsInWorkflows": BOOLEAN}, responses={200: "ListUpdated"})
    cursor = {"after": {"type": "string", "pattern": "^[0-9]+$"}, "before": {"type": "string", "pattern": "^[0-9]+$"},
              "limit": {"type": "integer", "minimum": 1, "maximum": 250}}  # fmt: skip
    members = f"{item}/memberships"
    ops.add("GET", members, "get_memberships", tag=tag, query=cursor, responses={200: "MembershipPage"})
    ops.add("GET", f"{members}/join-order", "get_memberships_in_join_order", tag=tag, query=cursor,
            responses={200: "MembershipPage"})
    ops.add("DELETE", members, "remove_all_list_memberships", tag=tag, responses={204: None})
    for action in ("add", "remove"):
        ops.add("PUT", f"{members}/{action}", f"{action}_list_memberships", tag=tag, body="RecordIdList",
                responses={200: "MembershipsUpdate"})
    ops.add("PUT", f"{members}/add-and-remove", "add_and_remove_list_memberships", tag=tag, body="MembershipChange",
            responses={200: "MembershipsUpdate"})
    ops.add("PUT", f"{members}/add-from/{{sourceListId}}", "add_all_from_source_list", tag=tag,
            responses={204: None})
    ops.add("GET", f"{base}/records/{{objectTypeId}}/{{recordId}}/memberships", "get_record_memberships", tag=tag,
            responses={200: "RecordMemberships"})
    ops.add("POST", f"{base}/records/memberships/batch/read", "batch_read_record_memberships", tag=tag,
            body="BatchRecordIds", responses={200: "RecordMembershipsBatch"})
    folders = f"{base}/folders"
    ops.add("GET", folders, "get_folder", tag=tag, query={"folderId": {"type": "string", "pattern": "^[0-9]+$"}},
            responses={200: "ListFolderResponse"})
    ops.add("POST", folders, "create_folder", tag=tag, body="FolderCreate", responses={200: "ListFolderResponse"})
    ops.add("PUT", f"{folders}/{{folderId}}/rename", "rename_folder", tag=tag, query={"newFolderName": STRING},
            responses={200: "ListFolderResponse"})
    ops.add("PUT", f"{folders}/{{folderId}}/move/{{newParentFolderId}}", "move_folder", tag=tag,
            responses={200: "ListFolderResponse"})
    ops.add("PUT", f"{folders}/move-list", "move_list", tag=tag, body="ListMove", responses={204: None})
    ops.add("DELETE", f"{folders}/{{folderId}}", "delete_folder", tag=tag, responses={204: None})


def control(ops: Operations) -> None:
    ops.add("GET", "/_sim/health", "health", tag="control", responses={200: "Health"}, public=True)
    ops.add("POST", "/_sim/reset", "reset_portal", tag="control", responses={204: None})
    ops.add("GET", "/_sim/portal", "get_portal_settings", tag="control", responses={200: "PortalSettings"})
    ops.add("POST", "/_sim/portal", "update_portal_settings", tag="control", body="PortalSettingsUpdate",
            responses={200: "PortalSettings"})
    ops.add("GET", "/_sim/clock", "get_clock", tag="control", responses={200: "Clock"})
    ops.add("POST", "/_sim/clock", "control_clock", tag="control", body="ClockCommand", responses={200: "Clock"})
    ops.add("GET", "/_sim/usage", "get_usage", tag="control", responses={200: "Usage"})
    journal_query = {
        "method": STRING,
        "path": STRING,
        "status": {"type": "string", "pattern": "^([1-5][0-9][0-9]|[1-5]xx)$"},
        "limit": {"type": "integer", "minimum": 0, "maximum": MAX_JOURNAL_SIZE},
    }
    ops.add("GET", "/_sim/journal", "get_journal", tag="control", query=journal_query, responses={200: "Journal"})
    ops.add("DELETE", "/_sim/journal", "clear_journal", tag="control", responses={204: None})
    ops.add("GET", "/_sim/snapshot", "export_snapshot", tag="control", responses={200: "Snapshot"})
    ops.add("POST", "/_sim/snapshot", "restore_snapshot", tag="control", body="Snapshot",
            responses={200: "SnapshotRestored"})
    ops.add("POST", "/_sim/faults", "add_fault", tag="control", body="FaultRuleInput", responses={201: "FaultRule"})
    ops.add("GET", "/_sim/faults", "get_faults", tag="control", responses={200: "FaultRuleList"})
    ops.add("DELETE", "/_sim/faults", "clear_faults", tag="control", responses={204: None})
    ops.add("DELETE", "/_sim/faults/{ruleId}", "delete_fault", tag="control", responses={204: None})


def inspector(ops: Operations) -> None:
    """The inspector's HTML pages: the portal is chosen by ?token= (or its cookie, or the bearer token)."""
    page = {"token": STRING}
    ops.add("GET", "/_sim/ui", "inspector_overview", tag="inspector", query=page, responses={200: None}, public=True)
    ops.add("GET", "/_sim/ui/contacts", "inspector_contacts", tag="inspector", responses={200: None}, public=True,
            query={**page, "q": STRING, "stage": STRING, "offset": {"type": "integer", "minimum": 0}})
    ops.add("GET", "/_sim/ui/contacts/{contactId}", "inspector_contact", tag="inspector", query=page,
            responses={200: None, 404: "Error"}, public=True)
    ops.add("GET", "/_sim/ui/funnel", "inspector_funnel", tag="inspector", query=page, responses={200: None},
            public=True)
    ops.add("GET", "/_sim/ui/lists", "inspector_lists", tag="inspector", query=page, responses={200: None},
            public=True)
    ops.add("GET", "/_sim/ui/workflows", "inspector_workflows", tag="inspector", query=page, responses={200: None},
            public=True)
    ops.add("GET", "/_sim/ui/journal", "inspector_journal", tag="inspector", responses={200: None}, public=True,
            query={**page, "method": STRING, "path": STRING, "status": STRING})


def automation_flows(ops: Operations) -> None:
    base = "/automation/v4/flows"
    ops.add("GET", f"{base}/", "get_flows", tag="flows", query=PAGE, responses={200: "FlowPage"})
    ops.add("POST", f"{base}/", "create_flow", tag="flows", body="FlowCreate", responses={201: "Flow"})
    ops.add("POST", f"{base}/batch/read", "batch_read_flows", tag="flows", body="FlowBatchRead",
            responses={200: "FlowBatch", 207: "FlowBatch"})
    item = f"{base}/{{flowId}}"
    ops.add("GET", item, "get_flow", tag="flows", responses={200: "Flow"})
    ops.add("PUT", item, "update_flow", tag="flows", body="FlowUpdate", responses={200: "Flow"})
    ops.add("DELETE", item, "delete_flow", tag="flows", responses={204: None})
    ops.add("GET", "/_sim/workflows", "get_workflows", tag="control", responses={200: "WorkflowOverview"})
    flow = "/_sim/workflows/{flowId}"
    ops.add("GET", f"{flow}/enrollments", "get_enrollments", tag="control", query={"objectId": STRING},
            responses={200: "Enrollments"})
    ops.add("POST", f"{flow}/enroll", "enroll", tag="control", body="ManualEnroll", responses={200: "EnrollResult"})
    ops.add("GET", "/_sim/workflows/playbook", "get_playbook", tag="control", responses={200: "Playbook"})
    ops.add("POST", "/_sim/workflows/playbook", "install_playbook", tag="control", body="PlaybookInstall",
            responses={201: "Flow"})
    ops.add("PUT", "/_sim/workflows/secrets/{name}", "set_workflow_secret", tag="control", body="SecretValue",
            responses={204: None})
    ops.add("GET", "/_sim/outbox", "get_outbox", tag="control", responses={200: "Outbox"}, query={
        "flowId": STRING, "objectId": STRING, "limit": {"type": "integer", "minimum": 1, "maximum": MAX_MESSAGES},
        "type": {"type": "string", "enum": ["MARKETING_EMAIL", "INTERNAL_EMAIL", "IN_APP_NOTIFICATION"]},
    })  # fmt: skip


def webhooks(ops: Operations) -> None:
    base = "/webhooks/v3/{appId}"
    ops.add("GET", f"{base}/settings", "get_webhook_settings", tag="webhooks", responses={200: "WebhookSettings"})
    ops.add("PUT", f"{base}/settings", "configure_webhook_settings", tag="webhooks", body="SettingsInput",
            responses={200: "WebhookSettings"})
    ops.add("DELETE", f"{base}/settings", "clear_webhook_settings", tag="webhooks", responses={204: None})
    subscriptions = f"{base}/subscriptions"
    ops.add("GET", subscriptions, "get_subscriptions", tag="webhooks", responses={200: "WebhookSubscriptionList"})
    ops.add("POST", subscriptions, "create_subscription", tag="webhooks", body="SubscriptionCreate",
            responses={201: "WebhookSubscription"})
    ops.add("POST", f"{subscriptions}/batch/update", "batch_update_subscriptions", tag="webhooks",
            body="SubscriptionBatchUpdate",
            responses={200: "WebhookSubscriptionBatch", 207: "WebhookSubscriptionBatch"})
    item = f"{subscriptions}/{{subscriptionId}}"
    ops.add("GET", item, "get_subscription", tag="webhooks", responses={200: "WebhookSubscription"})
    ops.add("PATCH", item, "update_subscription", tag="webhooks", body="SubscriptionPatch",
            responses={200: "WebhookSubscription"})
    ops.add("DELETE", item, "archive_subscription", tag="webhooks", responses={204: None})
    ops.add("POST", "/_sim/apps", "set_app_secret", tag="control", body="AppSecret", responses={200: "AppSecret"})
    ops.add("GET", "/_sim/webhooks/deliveries", "get_webhook_deliveries", tag="control", responses={
        200: "WebhookAttempts"}, query={
        "eventId": {"type": "integer", "minimum": 1}, "appId": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
        "limit": {"type": "integer", "minimum": 0, "maximum": ATTEMPT_LOG_SIZE},
    })  # fmt: skip


def crm_schemas(ops: Operations) -> None:
    for base, suffix in ((SCHEMAS_PREFIX, ""), (SDK_SCHEMAS_PREFIX, "_crm_object_schemas")):
        ops.add("GET", f"{base}/", "get_all_schemas" + suffix, tag="schemas", query={"archived": BOOLEAN},
                responses={200: "SchemaList"})
        ops.add("POST", f"{base}/", "create_schema" + suffix, tag="schemas", body="SchemaCreate",
                responses={201: "Schema"})
        item = f"{base}/{{objectType}}"
        ops.add("GET", item, "get_schema" + suffix, tag="schemas", responses={200: "Schema"})
        ops.add("PATCH", item, "update_schema" + suffix, tag="schemas", body="SchemaUpdate", responses={200: "Schema"})
        ops.add("DELETE", item, "archive_schema" + suffix, tag="schemas", responses={204: None})
        ops.add("POST", f"{item}/properties", "create_schema_property" + suffix, tag="schemas", body="PropertyCreate",
                responses={201: "PropertyDefinition"})
        ops.add("POST", f"{item}/associations", "create_schema_association" + suffix, tag="schemas",
                body="DefinitionCreate", responses={201: "AssociationDefinition"})


def legacy_routes(ops: Operations) -> None:
    ops.add("GET", "/contacts/v1/lists/all/contacts/all", "get_all_contacts", tag="legacy", responses={200: "LegacyContactPage"},
            query={"count": {"type": "integer", "minimum": 1, "maximum": 250}, "vidOffset": PAGE["after"],
                   "property": array(STRING)})
    for by in ("vid/{contactId}", "email/{email}"):
        ops.add("GET", f"/contacts/v1/contact/{by}/profile", f"get_contact_by_{by.split('/')[0]}", tag="legacy",
                query={"property": array(STRING)}, responses={200: "LegacyObject"})
    ops.add("GET", "/contacts/v1/contact/vids/batch", "get_contacts_by_vids", tag="legacy", responses={200: "LegacyObject"},
            query={"vid": array(STRING), "property": array(STRING)})
    ops.add("GET", "/contacts/v1/contact/vids/batch/", "get_contacts_by_vids_slash", tag="legacy",
            responses={200: "LegacyObject"}, query={"vid": array(STRING), "property": array(STRING)})
    paged = {"limit": {"type": "integer", "minimum": 1, "maximum": 250}, "offset": PAGE["after"],
             "properties": array(STRING)}
    ops.add("GET", "/companies/v2/companies/paged", "get_all_companies", tag="legacy",
            query={**paged, "propertiesWithHistory": array(STRING)},
            responses={200: "LegacyObject"})
    ops.add("GET", "/companies/v2/companies/{companyId}", "get_company", tag="legacy", responses={200: "LegacyObject"})
    ops.add("GET", "/deals/v1/deal/paged", "get_all_deals", tag="legacy",
            query={**paged, "includeAssociations": BOOLEAN}, responses={200: "LegacyObject"})
    ops.add("GET", "/deals/v1/deal/{dealId}", "get_deal", tag="legacy", responses={200: "LegacyObject"})
    for version in ("v1", "v2"):
        ops.add("GET", f"/properties/{version}/{{objectType}}/properties", f"get_all_properties_{version}",
                tag="legacy", responses={200: "LegacyList"})
    ops.add("POST", "/crm/v3/associations/{objectType}/{toObjectType}/batch/read",
            "batch_read_associations_v3", tag="legacy", body="BatchReadAssociationsV3",
            responses={200: "LegacyObject", 207: "LegacyObject"})
    ops.add("GET", "/crm/v4/objects/{objectType}", "get_page_v4", tag="legacy", query={**PAGE, **READ_QUERY},
            responses={200: "ObjectPage"})
    ops.add("GET", "/integrations/v1/limit/daily", "get_daily_limit", tag="legacy", responses={200: "LegacyList"})
    ops.add("GET", "/companies/v2/properties", "get_all_company_properties_v2", tag="legacy",
            responses={200: "LegacyList"})
    ops.add("GET", "/deals/v1/pipelines", "get_deal_pipelines_v1", tag="legacy", responses={200: "LegacyList"})
    for name in ("deals", "tickets"):
        ops.add("GET", f"/crm-pipelines/v1/pipelines/{name}", f"get_crm_pipelines_v1_{name}", tag="legacy",
                responses={200: "LegacyObject"})


def dated_aliases(ops: Operations) -> None:
    """Each v3/v4 operation again under HubSpot's date-versioned paths (simulator/compat/dated.py)."""
    for path, operations in list(ops.paths.items()):
        for alias in dated.dated_paths(path):
            suffix = "_" + _version_in(alias).replace("-", "_")
            ops.paths[alias] = {
                method: {**operation, "operationId": operation["operationId"] + suffix}
                for method, operation in operations.items()
            }


def _version_in(path: str) -> str:
    return next(part for part in path.split("/") if part[:4].isdigit())


SECTIONS = (crm_objects, crm_properties, crm_associations, crm_owners, crm_pipelines, events, crm_lists, control,
            automation_flows, webhooks, inspector, crm_schemas, legacy_routes)


def document() -> dict[str, Any]:
    ops = Operations()
    for section in SECTIONS:
        section(ops)
    dated_aliases(ops)  # after every section: the dated twins of whatever v3/v4 paths they documented
    _, model_schemas = models_json_schema([(m, "validation") for m in MODELS], ref_template=REF)
    schemas = {**model_schemas.get("$defs", {}), **RESPONSE_SCHEMAS}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "hubsim",
            "version": simulator.__version__,
            "description": "A local, offline HubSpot: the routes hubsim simulates, with HubSpot's shapes.",
        },
        "paths": ops.paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }
