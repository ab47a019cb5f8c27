"""A flow's action graph checked and compiled: every action's fields, every edge's target, no cycle.

A graph that does not hold together is refused with a 400 naming the action (HubSpot reshapes or answers an opaque
500 on some of these; hubsim says what is wrong instead, see docs/differences.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.errors import ValidationError
from simulator.workflows.actions import NotSimulated, compile_single
from simulator.workflows.branches import compile_ab_test, compile_list_branch, compile_static_branch
from simulator.workflows.definitions import (
    ABTestBranchAction,
    CustomCodeAction,
    EventBasedCriteria,
    FlowBody,
    ListBasedCriteria,
    ListBranchAction,
    SingleConnectionAction,
    StaticBranchAction,
    WebhookAction,
    next_of,
)
from simulator.workflows.event_filters import EventTrigger, compile_trigger
from simulator.workflows.steps import Step
from simulator.workflows.values import FieldProblem
from simulator.workflows.webhook import compile_webhook

MAX_ACTIONS = 1000  # far beyond any real flow; bounds what one request can make the engine hold


@dataclass
class Compiled:
    steps: dict[str, Step]
    start: str | None
    next_available: str
    triggers: list[EventTrigger]
    follow: dict[str, str | None]  # where each non-branching action leads (None: the flow ends after it)
    # Filter branches on the enrolled record, parsed by the lists store: LIST_BASED criteria, an EVENT_BASED flow's
    # refinements (refinementCriteria and listMembershipFilterBranches, all of which must hold), the goal.
    list_branch: Any = None
    refinements: tuple[Any, ...] = ()
    goal: Any = None


def compile_flow(body: FlowBody, env: Any) -> Compiled:
    if len(body.actions) > MAX_ACTIONS:
        raise ValidationError(f"A flow may have at most {MAX_ACTIONS} actions, got {len(body.actions)}")
    by_id: dict[str, Any] = {}
    for action in body.actions:
        if action.action_id in by_id:
            raise ValidationError(f"Action {action.action_id}: actionId is used by more than one action")
        by_id[action.action_id] = action
    if body.start_action_id is not None and body.start_action_id not in by_id:
        raise ValidationError(f"startActionId {body.start_action_id} is not an action of this flow")
    if by_id and body.start_action_id is None:
        raise ValidationError("startActionId is required when a flow has actions")
    for action in body.actions:
        for where, connection in next_of(action):
            if connection.next_action_id not in by_id:
                raise ValidationError(
                    f"Action {action.action_id}: {where}.nextActionId {connection.next_action_id} is not an action "
                    "of this flow"
                )
    _refuse_cycles(by_id)
    steps = {aid: _compile(action, env) for aid, action in by_id.items()}
    numeric = [int(aid) for aid in by_id if aid.isascii() and aid.isdigit()]
    follow = {
        aid: (a.connection.next_action_id if a.connection is not None else None)
        for aid, a in by_id.items()
        if isinstance(a, SingleConnectionAction | WebhookAction | CustomCodeAction)
    }
    compiled = Compiled(steps, body.start_action_id, str(max(numeric, default=0) + 1), _triggers(body), follow)
    try:
        _record_filters(body, env, compiled)
    except FieldProblem as problem:
        raise ValidationError(str(problem)) from None
    return compiled


def _record_filters(body: FlowBody, env: Any, compiled: Compiled) -> None:
    criteria = body.enrollment_criteria
    if isinstance(criteria, ListBasedCriteria):
        compiled.list_branch = env.parse_branch(criteria.list_filter_branch, "enrollmentCriteria.listFilterBranch")
    if isinstance(criteria, EventBasedCriteria):
        raw = [("refinementCriteria", criteria.refinement_criteria)] if criteria.refinement_criteria else []
        raw += [(f"listMembershipFilterBranches[{i}]", b) for i, b in enumerate(criteria.list_membership_filter_branches)]
        compiled.refinements = tuple(env.parse_branch(b, f"enrollmentCriteria.{where}") for where, b in raw)
    if body.goal_filter_branch is not None:
        compiled.goal = env.parse_branch(body.goal_filter_branch, "goalFilterBranch")


def _compile(action: Any, env: Any) -> Step:
    try:
        if isinstance(action, SingleConnectionAction):
            return compile_single(action, env)
        if isinstance(action, ListBranchAction):
            return compile_list_branch(action, env)
        if isinstance(action, StaticBranchAction):
            return compile_static_branch(action, env)
        if isinstance(action, ABTestBranchAction):
            return compile_ab_test(action, env)
        if isinstance(action, WebhookAction):
            return compile_webhook(action, env)
        return NotSimulated(action.action_id, action.type)  # custom code: accepted, never run
    except FieldProblem as problem:
        kind = getattr(action, "action_type_id", action.type)
        raise ValidationError(f"Action {action.action_id} ({kind}): {problem}") from None


def _refuse_cycles(by_id: dict[str, Any]) -> None:
    """Depth-first, iteratively (a long chain must not exhaust the stack); names an action on the cycle."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in by_id:
        if root in state:
            continue
        path = [(root, iter(next_of(by_id[root])))]
        state[root] = 1
        while path:
            node, edges = path[-1]
            edge = next(edges, None)
            if edge is None:
                state[node] = 2
                path.pop()
                continue
            target = edge[1].next_action_id
            if state.get(target) == 1:
                raise ValidationError(f"Action {node}: {edge[0]}.nextActionId {target} makes a cycle")
            if target not in state:
                state[target] = 1
                path.append((target, iter(next_of(by_id[target]))))


def _triggers(body: FlowBody) -> list[EventTrigger]:
    criteria = body.enrollment_criteria
    if not isinstance(criteria, EventBasedCriteria):
        return []
    try:
        return [compile_trigger(b, f"eventFilterBranches[{i}]") for i, b in enumerate(criteria.event_filter_branches)]
    except FieldProblem as problem:
        raise ValidationError(f"enrollmentCriteria: {problem}") from None
