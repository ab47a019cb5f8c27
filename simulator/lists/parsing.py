"""A filter branch from its JSON: HubSpot's limits and root rule, the spellings HubSpot's docs use, and a clear refusal
of what hubsim cannot evaluate (never silently ignored). The raw JSON is walked before pydantic reads it."""

from __future__ import annotations

import copy
from typing import Any

from simulator.errors import ValidationError
from simulator.lists.language import AndBranch, FilterBranch, OrBranch, RootBranch

MAX_FILTERS = 250  # HubSpot: "a list can have a maximum of 250 filters" (lists API limits)
MAX_DEPTH = 10  # hubsim's bound on nested branches (HubSpot's UI nests far less); no input exhausts the stack

# Filter types HubSpot accepts that hubsim has no data for; refused by name rather than ignored.
UNEVALUATED_FILTERS = (
    "PAGE_VIEW", "CTA", "EVENT", "FORM_SUBMISSION", "FORM_SUBMISSION_ON_PAGE", "INTEGRATION_EVENT",
    "EMAIL_SUBSCRIPTION", "COMMUNICATION_SUBSCRIPTION", "SURVEY_MONKEY", "SURVEY_MONKEY_VALUE", "WEBINAR",
    "EMAIL_EVENT", "PRIVACY", "ADS_SEARCH", "ADS_TIME",
)  # fmt: skip
UNEVALUATED_BRANCHES = ("RESTRICTED",)
UNEVALUATED_REFINE_BYS = ("SET_OCCURRENCES",)
# HubSpot's 2026 docs write operation types lower-case and hyphenated; its responses (and hubsim's) upper-case.
_OPERATION_SPELLINGS = {
    "ALLTYPES": "ALL_PROPERTY", "ALL_TYPES": "ALL_PROPERTY", "DATETIME_RANGED": "RANGED_DATE",
    "DATETIME_ROLLING": "ROLLING_DATE_RANGE", "DATETIME_COMPARATIVE": "COMPARATIVE_DATE",
    "NUMBER_RANGE": "NUMBER_RANGED", "ROLLING_PROPERTY_UPDATE": "ROLLING_PROPERTY_UPDATED",
    "PROPERTYUPDATED_ROLLING": "ROLLING_PROPERTY_UPDATED", "MULTI_STRING": "MULTISTRING", "BOOLEAN": "BOOL",
    "CALENDAR": "CALENDAR_DATE", "STRING_COMPARATIVE": "COMPARATIVE_STRING",
    "PROPERTY_UPDATED_COMPARATIVE": "COMPARATIVE_PROPERTY_UPDATED",
}  # fmt: skip


class Unevaluated(ValidationError):
    def __init__(self, kind: str, name: str, where: str):
        super().__init__(
            f"hubsim cannot evaluate list filters with {kind} {name} (at {where}); HubSpot accepts them, hubsim "
            "refuses them rather than ignore them (see docs/differences.md)",
            context={kind: [name]},
        )


def parse_branch(raw: Any, *, where: str = "filterBranch") -> FilterBranch:
    """A filter branch from its JSON: the root is an OR of AND branches, as HubSpot's API enforces."""
    raw = copy.deepcopy(raw)  # spellings are normalized in place; the caller keeps its own
    counted = _walk(raw, where, depth=1)
    if counted > MAX_FILTERS:
        raise ValidationError(f"A list can have at most {MAX_FILTERS} filters; this filter branch has {counted}")
    branch = RootBranch.parse({"filterBranch": raw}).filter_branch
    if not isinstance(branch, OrBranch) or branch.filters:
        raise ValidationError(f"{where}: the root filter branch must be an OR branch without filters")
    if not all(isinstance(child, AndBranch) for child in branch.filter_branches):
        raise ValidationError(f"{where}: every branch inside the root OR branch must be an AND branch")
    return branch


def _walk(node: Any, where: str, depth: int) -> int:
    """Check one branch's shape before pydantic reads it; the number of filters in it."""
    if not isinstance(node, dict):
        return 0  # pydantic names the wrong type
    if depth > MAX_DEPTH:
        raise ValidationError(f"{where}: filter branches nest at most {MAX_DEPTH} deep")
    branch_type = node.get("filterBranchType")
    if branch_type in UNEVALUATED_BRANCHES:
        raise Unevaluated("filterBranchType", branch_type, where)
    for key in ("coalescingRefineBy", "pruningRefineBy"):
        _check_refine_by(node.get(key), f"{where}.{key}")
    filters = node.get("filters")
    count = 0
    if isinstance(filters, list):
        count += len(filters)
        for index, item in enumerate(filters):
            _check_filter(item, f"{where}.filters.{index}")
    children = node.get("filterBranches")
    if isinstance(children, list):
        for index, child in enumerate(children):
            count += _walk(child, f"{where}.filterBranches.{index}", depth + 1)
    return count


def _check_filter(item: Any, where: str) -> None:
    if not isinstance(item, dict):
        return
    filter_type = item.get("filterType")
    if filter_type in UNEVALUATED_FILTERS:
        raise Unevaluated("filterType", filter_type, where)
    lines = item.get("filterLines") if isinstance(item.get("filterLines"), list) else []
    operations = [item.get("operation")] + [line.get("operation") for line in lines if isinstance(line, dict)]
    for operation in operations:
        if isinstance(operation, dict):
            _normalize_operation(operation)
    for key in ("coalescingRefineBy", "pruningRefineBy"):
        _check_refine_by(item.get(key), f"{where}.{key}")


def _normalize_operation(operation: dict[str, Any]) -> None:
    raw = operation.get("operationType")
    if isinstance(raw, str):
        spelled = raw.upper().replace("-", "_")
        operation["operationType"] = _OPERATION_SPELLINGS.get(spelled, spelled)
    if isinstance(operation.get("operator"), str):
        operation["operator"] = operation["operator"].upper()


def _check_refine_by(refine_by: Any, where: str) -> None:
    if isinstance(refine_by, dict) and refine_by.get("type") in UNEVALUATED_REFINE_BYS:
        raise Unevaluated("refine-by type", refine_by["type"], where)
