"""The lists v3 filter-branch language (HubSpot's crm-lists-v3 document), parsed into pydantic models.

Branches are discriminated on `filterBranchType`, filters on `filterType`, property operations on `operationType`,
refine-bys and time points on `type` / `timeType` / `referenceType`, so a bad tag is one error naming its path.
`simulator.lists.parsing` reads a branch from its JSON: limits, spellings and refusals first, then these models.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import Field

from simulator.lists.operation_types import (
    CalendarDateOperation,
    ComparativeDateOperation,
    ComparativePropertyUpdatedOperation,
    ComparativeStringOperation,
    DateOperation,
    Model,
    Operation,
)
from simulator.wire import WireModel

Number = int | float

# --- property operations ------------------------------------------------------------------------------------------


class StringOperation(Operation):
    operation_type: Literal["STRING"]
    operator: Literal[
        "IS_EQUAL_TO", "IS_NOT_EQUAL_TO", "CONTAINS", "DOES_NOT_CONTAIN", "STARTS_WITH", "ENDS_WITH",
        "HAS_EVER_BEEN_EQUAL_TO", "HAS_NEVER_BEEN_EQUAL_TO", "HAS_EVER_CONTAINED", "HAS_NEVER_CONTAINED",
    ]  # fmt: skip
    value: str


class MultiStringOperation(Operation):
    operation_type: Literal["MULTISTRING"]
    operator: Literal[
        "IS_EQUAL_TO", "IS_NOT_EQUAL_TO", "CONTAINS", "CONTAINS_EXACTLY", "DOES_NOT_CONTAIN",
        "DOES_NOT_CONTAIN_EXACTLY", "STARTS_WITH", "ENDS_WITH",
    ]  # fmt: skip
    values: list[str] = Field(min_length=1)


class NumberOperation(Operation):
    operation_type: Literal["NUMBER"]
    operator: Literal[
        "IS_EQUAL_TO", "IS_NOT_EQUAL_TO", "IS_GREATER_THAN", "IS_GREATER_THAN_OR_EQUAL_TO", "IS_LESS_THAN",
        "IS_LESS_THAN_OR_EQUAL_TO", "HAS_EVER_BEEN_EQUAL_TO", "HAS_NEVER_BEEN_EQUAL_TO",
    ]  # fmt: skip
    value: Number


class RangedNumberOperation(Operation):
    operation_type: Literal["NUMBER_RANGED"]
    operator: Literal["IS_BETWEEN", "IS_NOT_BETWEEN"]
    lower_bound: Number
    upper_bound: Number


class BoolOperation(Operation):
    operation_type: Literal["BOOL"]
    operator: Literal["IS_EQUAL_TO", "IS_NOT_EQUAL_TO", "HAS_EVER_BEEN_EQUAL_TO", "HAS_NEVER_BEEN_EQUAL_TO"]
    value: bool


class EnumerationOperation(Operation):
    operation_type: Literal["ENUMERATION"]
    operator: Literal[
        "IS_ANY_OF", "IS_NONE_OF", "IS_EXACTLY", "IS_NOT_EXACTLY", "CONTAINS_ALL", "DOES_NOT_CONTAIN_ALL",
        "HAS_EVER_BEEN_ANY_OF", "HAS_NEVER_BEEN_ANY_OF", "HAS_EVER_BEEN_EXACTLY", "HAS_NEVER_BEEN_EXACTLY",
        "HAS_EVER_CONTAINED_ALL", "HAS_NEVER_CONTAINED_ALL",
    ]  # fmt: skip
    values: list[str] = Field(min_length=1)


class AllPropertyOperation(Operation):
    operation_type: Literal["ALL_PROPERTY"]
    operator: Literal["IS_KNOWN", "IS_UNKNOWN", "IS_BLANK", "IS_NOT_BLANK"]  # the docs add the BLANK spellings


class DateTimeOperation(Operation):
    operation_type: Literal["DATETIME"]
    operator: Literal["IS_BEFORE", "IS_AFTER", "IS_EQUAL_TO"]
    timestamp: int  # epoch milliseconds
    requires_time_zone_conversion: bool = False


class RangedDateOperation(Operation):
    operation_type: Literal["RANGED_DATE"]
    operator: Literal["IS_BETWEEN", "IS_NOT_BETWEEN"]
    lower_bound: int  # epoch milliseconds
    upper_bound: int
    requires_time_zone_conversion: bool = False


class RollingDateRangeOperation(Operation):
    operation_type: Literal["ROLLING_DATE_RANGE"]
    operator: Literal[
        "IS_LESS_THAN_X_DAYS_AGO", "IS_MORE_THAN_X_DAYS_AGO", "IS_LESS_THAN_X_DAYS_FROM_NOW",
        "IS_MORE_THAN_X_DAYS_FROM_NOW",
    ]  # fmt: skip
    number_of_days: int = Field(ge=0)
    requires_time_zone_conversion: bool = False


class RollingPropertyUpdatedOperation(Operation):
    operation_type: Literal["ROLLING_PROPERTY_UPDATED"]
    operator: Literal["UPDATED_IN_LAST_X_DAYS", "NOT_UPDATED_IN_LAST_X_DAYS"]
    number_of_days: int = Field(ge=0)


# --- time points (TIME_POINT / TIME_RANGED operations and refine-bys) ---------------------------------------------


class Reference(Model):
    hour: int | None = Field(default=None, ge=0, le=23)
    minute: int | None = Field(default=None, ge=0, le=59)
    second: int | None = Field(default=None, ge=0, le=59)
    millisecond: int | None = Field(default=None, ge=0, le=999)


class NowReference(Reference):
    reference_type: Literal["NOW"]


class TodayReference(Reference):
    reference_type: Literal["TODAY"]


class WeekReference(Reference):
    reference_type: Literal["WEEK"]
    day_of_week: Literal["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]


class MonthReference(Reference):
    reference_type: Literal["MONTH"]
    day: int = Field(ge=1, le=31)


class QuarterReference(Reference):
    reference_type: Literal["QUARTER"]
    month: int = Field(ge=1, le=3)
    day: int = Field(ge=1, le=31)


class YearReference(Reference):
    reference_type: Literal["YEAR"]
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)


IndexReference = Annotated[
    NowReference | TodayReference | WeekReference | MonthReference | QuarterReference | YearReference,
    Field(discriminator="reference_type"),
]


class IndexOffset(Model):
    milliseconds: int = 0
    seconds: int = 0
    minutes: int = 0
    hours: int = 0
    days: int = 0
    weeks: int = 0
    months: int = 0
    quarters: int = 0
    years: int = 0


class DatePoint(Model):
    time_type: Literal["DATE"]
    year: int = Field(ge=1, le=9999)
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    hour: int = Field(default=0, ge=0, le=23)
    minute: int = Field(default=0, ge=0, le=59)
    second: int = Field(default=0, ge=0, le=59)
    millisecond: int = Field(default=0, ge=0, le=999)
    zone_id: str = "UTC"
    timezone_source: str | None = None


class IndexedTimePoint(Model):
    time_type: Literal["INDEXED"]
    index_reference: IndexReference
    offset: IndexOffset | None = None
    zone_id: str = "UTC"
    timezone_source: str | None = None


class PropertyReferencedTime(Model):
    time_type: Literal["PROPERTY_REFERENCED"]
    property: str
    reference_type: Literal["VALUE", "UPDATED_AT"]
    zone_id: str = "UTC"
    timezone_source: str | None = None


TimePoint = Annotated[DatePoint | IndexedTimePoint | PropertyReferencedTime, Field(discriminator="time_type")]
EndpointBehavior = Literal["INCLUSIVE", "EXCLUSIVE"]
PropertyParser = Literal["VALUE", "UPDATED_AT"]


class TimePointOperation(Operation):
    operation_type: Literal["TIME_POINT"] = "TIME_POINT"
    type: Literal["TIME_POINT"] = "TIME_POINT"
    operator: Literal["IS_BEFORE", "IS_AFTER"]
    time_point: TimePoint
    endpoint_behavior: EndpointBehavior | None = None
    property_parser: PropertyParser | None = None


class RangedTimeOperation(Operation):
    operation_type: Literal["TIME_RANGED"] = "TIME_RANGED"
    type: Literal["TIME_RANGED"] = "TIME_RANGED"
    operator: Literal["IS_BETWEEN", "IS_NOT_BETWEEN"]
    lower_bound_time_point: TimePoint
    upper_bound_time_point: TimePoint
    lower_bound_endpoint_behavior: EndpointBehavior | None = None
    upper_bound_endpoint_behavior: EndpointBehavior | None = None
    property_parser: PropertyParser | None = None


PropertyOperation = Annotated[
    StringOperation | MultiStringOperation | NumberOperation | RangedNumberOperation | BoolOperation
    | EnumerationOperation | AllPropertyOperation | DateTimeOperation | RangedDateOperation
    | RollingDateRangeOperation | RollingPropertyUpdatedOperation | TimePointOperation | RangedTimeOperation
    | ComparativeDateOperation | ComparativePropertyUpdatedOperation | ComparativeStringOperation
    | CalendarDateOperation | DateOperation,
    Field(discriminator="operation_type"),
]

# --- refine-bys (event occurrence counts and time windows) --------------------------------------------------------


class TimeOffset(Model):
    offset_direction: Literal["PAST", "FUTURE"]
    time_unit: Literal["MILLISECONDS", "SECONDS", "MINUTES", "HOURS", "DAYS", "WEEKS", "MONTHS", "QUARTERS", "YEARS"]
    amount: int = Field(ge=0)


class NumOccurrences(Model):
    type: Literal["NUM_OCCURRENCES"]
    min_occurrences: int | None = Field(default=None, ge=0)
    max_occurrences: int | None = Field(default=None, ge=0)


class RelativeComparative(Model):
    type: Literal["RELATIVE_COMPARATIVE"]
    comparison: Literal["BEFORE", "AFTER"]
    time_offset: TimeOffset


class RelativeRanged(Model):
    type: Literal["RELATIVE_RANGED"]
    range_type: Literal["BETWEEN", "NOT_BETWEEN"]
    lower_bound_offset: TimeOffset
    upper_bound_offset: TimeOffset


class AbsoluteComparative(Model):
    type: Literal["ABSOLUTE_COMPARATIVE"]
    comparison: Literal["BEFORE", "AFTER"]
    timestamp: int


class AbsoluteRanged(Model):
    type: Literal["ABSOLUTE_RANGED"]
    range_type: Literal["BETWEEN", "NOT_BETWEEN"]
    lower_timestamp: int
    upper_timestamp: int


class AllHistory(Model):
    type: Literal["ALL_HISTORY"]


RefineBy = Annotated[
    NumOccurrences | RelativeComparative | RelativeRanged | AbsoluteComparative | AbsoluteRanged | AllHistory
    | TimePointOperation | RangedTimeOperation,
    Field(discriminator="type"),
]

# --- filters ------------------------------------------------------------------------------------------------------


class PropertyFilter(Model):
    filter_type: Literal["PROPERTY"]
    property: str
    operation: PropertyOperation


class InListFilter(Model):
    filter_type: Literal["IN_LIST"]
    list_id: str
    operator: Literal["IN_LIST", "NOT_IN_LIST"]
    metadata: dict[str, Any] | None = None


class AssociationInListFilter(Model):
    """Records associated (by this association type) with at least one member of a list."""

    filter_type: Literal["ASSOCIATION"]
    list_id: str
    operator: Literal["IN_LIST", "NOT_IN_LIST"]
    association_type_id: int
    association_category: str = "HUBSPOT_DEFINED"
    coalescing_refine_by: NumOccurrences | None = None
    to_object_type: str | None = None
    to_object_type_id: str | None = None


class ConstantFilter(Model):
    filter_type: Literal["CONSTANT"]
    should_accept: bool
    source: str | None = None


class EventFilterLine(Model):
    property: str
    operation: PropertyOperation


class UnifiedEventsFilter(Model):
    filter_type: Literal["UNIFIED_EVENTS"]
    event_type_id: str
    filter_lines: list[EventFilterLine] = []
    coalescing_refine_by: RefineBy | None = None
    pruning_refine_by: RefineBy | None = None


Filter = Annotated[
    PropertyFilter | InListFilter | AssociationInListFilter | ConstantFilter | UnifiedEventsFilter,
    Field(discriminator="filter_type"),
]

# --- branches -----------------------------------------------------------------------------------------------------


class Branch(Model):
    filter_branch_operator: str | None = None
    filters: list[Filter] = []
    filter_branches: list[FilterBranch] = []

    def model_post_init(self, context: Any) -> None:
        if self.filter_branch_operator is None:
            self.filter_branch_operator = _OPERATOR_OF[self.filter_branch_type]  # type: ignore[attr-defined]


class OrBranch(Branch):
    filter_branch_type: Literal["OR"]


class AndBranch(Branch):
    filter_branch_type: Literal["AND"]


class NotAllBranch(Branch):
    filter_branch_type: Literal["NOT_ALL"]


class NotAnyBranch(Branch):
    filter_branch_type: Literal["NOT_ANY"]


class UnifiedEventsBranch(Branch):
    filter_branch_type: Literal["UNIFIED_EVENTS"]
    event_type_id: str
    operator: Literal["HAS_COMPLETED", "HAS_NOT_COMPLETED"]
    coalescing_refine_by: RefineBy | None = None
    pruning_refine_by: RefineBy | None = None


class AssociationBranch(Branch):
    filter_branch_type: Literal["ASSOCIATION"]
    object_type_id: str
    operator: Literal["IN_LIST", "NOT_IN_LIST"]
    association_type_id: int
    association_category: str = "HUBSPOT_DEFINED"


FilterBranch = Annotated[
    Union[OrBranch, AndBranch, NotAllBranch, NotAnyBranch, UnifiedEventsBranch, AssociationBranch],  # noqa: UP007
    Field(discriminator="filter_branch_type"),
]
_OPERATOR_OF = {"OR": "OR", "AND": "AND", "NOT_ALL": "AND", "NOT_ANY": "OR", "UNIFIED_EVENTS": "AND",
                "ASSOCIATION": "AND"}  # fmt: skip
for _model in (Branch, OrBranch, AndBranch, NotAllBranch, NotAnyBranch, UnifiedEventsBranch, AssociationBranch):
    _model.model_rebuild()


class RootBranch(WireModel):
    """The envelope that validates one branch (the union needs a field to hang on)."""

    filter_branch: FilterBranch
