"""Automation v4 flow definitions as HubSpot's API takes them (ApiContactFlow / ApiPlatformFlow and their actions).

Filter branches (enrollment criteria, LIST_BRANCH conditions) stay raw JSON here: they are the lists filter language,
which the lists store parses and evaluates. Fields the spec marks required but HubSpot's own examples omit have
defaults (hubspot-api.md §10.4), and the stored flow echoes them filled in.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from simulator.wire import WireModel

FilterBranch = dict[str, Any]
FlowKind = Literal["CONTACT_FLOW", "PLATFORM_FLOW"]


class Connection(WireModel):
    edge_type: Literal["STANDARD", "GOTO"] = "STANDARD"
    next_action_id: str


class SingleConnectionAction(WireModel):
    type: Literal["SINGLE_CONNECTION"]
    action_id: str
    action_type_id: str
    action_type_version: int = 0
    connection: Connection | None = None
    fields: dict[str, Any] = Field(default_factory=dict)


class ListBranch(WireModel):
    branch_name: str | None = None
    filter_branch: FilterBranch
    connection: Connection | None = None


class ListBranchAction(WireModel):
    type: Literal["LIST_BRANCH"]
    action_id: str
    list_branches: list[ListBranch]
    default_branch: Connection | None = None
    default_branch_name: str | None = None


class StaticBranch(WireModel):
    branch_value: str
    connection: Connection | None = None


class StaticBranchAction(WireModel):
    type: Literal["STATIC_BRANCH"]
    action_id: str
    input_value: dict[str, Any]
    static_branches: list[StaticBranch]
    default_branch: Connection | None = None
    default_branch_name: str | None = None


class TestBranch(WireModel):
    percentage: int = Field(ge=0, le=100)
    connection: Connection


class ABTestBranchAction(WireModel):
    type: Literal["AB_TEST_BRANCH"]
    action_id: str
    test_branches: list[TestBranch]


class AuthKeySettings(WireModel):
    type: Literal["AUTH_KEY"]
    location: Literal["HEADER", "QUERY_PARAM"]
    name: str
    secret_name: str


class SignatureSettings(WireModel):
    type: Literal["SIGNATURE"]
    app_id: int


class QueryParam(WireModel):
    name: str
    value: dict[str, Any]


class WebhookAction(WireModel):
    type: Literal["WEBHOOK"]
    action_id: str
    webhook_url: str
    method: Literal["CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"] = "POST"
    query_params: list[QueryParam] = Field(default_factory=list)
    auth_settings: Annotated[AuthKeySettings | SignatureSettings, Field(discriminator="type")] | None = None
    connection: Connection | None = None


class CustomCodeAction(WireModel):
    """Accepted and kept as sent; hubsim does not run custom code (it is recorded notSimulated when reached)."""

    model_config = ConfigDict(extra="allow")

    type: Literal["CUSTOM_CODE"]
    action_id: str
    runtime: str = "NODE20X"
    source_code: str = ""
    secret_names: list[str] = Field(default_factory=list)
    input_fields: list[dict[str, Any]] = Field(default_factory=list)
    output_fields: list[dict[str, Any]] = Field(default_factory=list)
    connection: Connection | None = None


Action = Annotated[
    SingleConnectionAction | ListBranchAction | StaticBranchAction | ABTestBranchAction | WebhookAction
    | CustomCodeAction,
    Field(discriminator="type"),
]


class ListBasedCriteria(WireModel):
    type: Literal["LIST_BASED"]
    should_re_enroll: bool = False
    un_enroll_objects_not_meeting_criteria: bool = False
    list_filter_branch: FilterBranch
    re_enrollment_triggers_filter_branches: list[FilterBranch] = Field(default_factory=list)


class EventBasedCriteria(WireModel):
    type: Literal["EVENT_BASED"]
    should_re_enroll: bool = False
    event_filter_branches: list[FilterBranch]
    list_membership_filter_branches: list[FilterBranch] = Field(default_factory=list)
    refinement_criteria: FilterBranch | None = None


class ManualCriteria(WireModel):
    type: Literal["MANUAL"]
    should_re_enroll: bool = False


class DatasetCriteria(WireModel):
    type: Literal["DATASET"]
    dataset_id: str
    should_re_enroll: bool = False


Criteria = Annotated[
    ListBasedCriteria | EventBasedCriteria | ManualCriteria | DatasetCriteria, Field(discriminator="type")
]


class UnEnrollmentSetting(WireModel):
    type: Literal["ALL", "SELECTIVE"]
    flow_ids: list[str] = Field(default_factory=list)


class FlowBody(WireModel):
    """What a create (POST) or an update (PUT) sends; PUT adds `revisionId` and cannot change the object type."""

    type: FlowKind = "CONTACT_FLOW"
    object_type_id: str = "0-1"
    flow_type: Literal["WORKFLOW", "ACTION_SET", "UNKNOWN"] = "WORKFLOW"
    name: str | None = None
    description: str | None = None
    uuid: str | None = None
    is_enabled: bool = False
    start_action_id: str | None = None
    actions: list[Action] = Field(default_factory=list)
    enrollment_criteria: Criteria | None = None
    enrollment_schedule: dict[str, Any] | None = None
    event_anchor: dict[str, Any] | None = None
    goal_filter_branch: FilterBranch | None = None
    un_enrollment_setting: UnEnrollmentSetting | None = None
    suppression_list_ids: list[int] = Field(default_factory=list)
    time_windows: list[dict[str, Any]] = Field(default_factory=list)
    blocked_dates: list[dict[str, Any]] = Field(default_factory=list)
    custom_properties: dict[str, str] = Field(default_factory=dict)
    data_sources: list[dict[str, Any]] = Field(default_factory=list)
    can_enroll_from_salesforce: bool = False


class FlowCreate(FlowBody):
    pass


class FlowUpdate(FlowBody):
    # HubSpot's optimistic concurrency: the revision the caller read (ApiContactFlowPutRequest requires it).
    revision_id: str


class FlowCoordinate(WireModel):
    type: Literal["FLOW_ID"] = "FLOW_ID"
    flow_id: str


class FlowBatchRead(WireModel):
    inputs: list[FlowCoordinate]


class ManualEnroll(WireModel):
    """POST /_sim/workflows/{flowId}/enroll: the records to enroll now (a hubsim control call)."""

    object_ids: list[str] = Field(min_length=1, max_length=100)


def next_of(action: Any) -> list[tuple[str, Connection]]:
    """Every outgoing edge of an action, labelled by where it leaves from (for messages naming a bad target)."""
    if isinstance(action, ListBranchAction):
        edges = [(f"listBranches[{i}]", b.connection) for i, b in enumerate(action.list_branches)]
        edges.append(("defaultBranch", action.default_branch))
    elif isinstance(action, StaticBranchAction):
        edges = [(f"staticBranches[{i}]", b.connection) for i, b in enumerate(action.static_branches)]
        edges.append(("defaultBranch", action.default_branch))
    elif isinstance(action, ABTestBranchAction):
        edges = [(f"testBranches[{i}]", b.connection) for i, b in enumerate(action.test_branches)]
    else:
        edges = [("connection", action.connection)]
    return [(where, c) for where, c in edges if c is not None]


class SecretValue(WireModel):
    """PUT /_sim/workflows/secrets/{name}: a secret a webhook action's AUTH_KEY setting names (HubSpot keeps them in
    the portal's workflow secrets)."""

    value: str = Field(min_length=1, max_length=4096)
