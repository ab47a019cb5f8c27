"""Branches: LIST_BRANCH (if/then on filter branches, the lists store decides), STATIC_BRANCH (switch on a value),
AB_TEST_BRANCH (a split seeded by portal, flow, action and record, so a record always takes the same path)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from simulator.workflows.definitions import ABTestBranchAction, Connection, ListBranchAction, StaticBranchAction
from simulator.workflows.steps import Outcome, Run
from simulator.workflows.values import FieldProblem, check_value, resolve


def _target(connection: Connection | None) -> str | None:
    return connection.next_action_id if connection is not None else None


@dataclass
class ListBranchStep:
    action_id: str
    kind: str
    branches: list[tuple[str, Any, str | None]]  # (name, parsed filter branch, next action)
    default: tuple[str, str | None]

    def run(self, run: Run) -> Outcome:
        lists = run.services().lists()
        for name, branch, target in self.branches:
            if lists.matches(branch, run.object_type.object_type_id, run.object_id):
                return Outcome(detail={"branch": name}, next_action_id=target)
        name, target = self.default
        return Outcome(detail={"branch": name}, next_action_id=target)


@dataclass
class StaticBranchStep:
    action_id: str
    kind: str
    input_value: dict[str, Any]
    branches: dict[str, str | None]
    default: tuple[str, str | None]

    def run(self, run: Run) -> Outcome:
        value = resolve(self.input_value, run.resolution())
        if value in self.branches:
            return Outcome(detail={"branch": value, "value": value}, next_action_id=self.branches[value])
        name, target = self.default
        return Outcome(detail={"branch": name, "value": value}, next_action_id=target)


@dataclass
class ABTestStep:
    action_id: str
    kind: str
    splits: list[tuple[int, str | None]]  # (cumulative percentage, next action)

    def run(self, run: Run) -> Outcome:
        seed = f"{run.portal_id}:{run.flow_id}:{self.action_id}:{run.object_id}".encode()
        roll = int.from_bytes(hashlib.sha256(seed).digest()[:8], "big") % 100
        for index, (upper, target) in enumerate(self.splits):
            if roll < upper:
                return Outcome(detail={"branch": index, "roll": roll}, next_action_id=target)
        return Outcome(detail={"branch": None, "roll": roll}, next_action_id=None)


def compile_list_branch(action: ListBranchAction, env: Any) -> ListBranchStep:
    branches = []
    for i, branch in enumerate(action.list_branches):
        parsed = env.parse_branch(branch.filter_branch, f"listBranches[{i}].filterBranch")
        branches.append((branch.branch_name or f"branch {i + 1}", parsed, _target(branch.connection)))
    default = (action.default_branch_name or "default", _target(action.default_branch))
    return ListBranchStep(action.action_id, action.type, branches, default)


def compile_static_branch(action: StaticBranchAction, env: Any) -> StaticBranchStep:
    check_value(action.input_value, "inputValue")
    branches: dict[str, str | None] = {}
    for i, branch in enumerate(action.static_branches):
        if branch.branch_value in branches:
            raise FieldProblem(f"staticBranches[{i}].branchValue {branch.branch_value!r} is repeated")
        branches[branch.branch_value] = _target(branch.connection)
    default = (action.default_branch_name or "default", _target(action.default_branch))
    return StaticBranchStep(action.action_id, action.type, action.input_value, branches, default)


def compile_ab_test(action: ABTestBranchAction, env: Any) -> ABTestStep:
    total, splits = 0, []
    for branch in action.test_branches:
        total += branch.percentage
        splits.append((total, _target(branch.connection)))
    if total != 100 or not splits:
        raise FieldProblem(f"testBranches percentages must add up to 100, not {total}")
    return ABTestStep(action.action_id, action.type, splits)
