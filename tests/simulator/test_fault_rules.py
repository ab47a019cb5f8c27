"""Fault rules as data: matching, counting, seeded probabilities, validation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError as PydanticValidationError

from simulator.harness.faults import FaultRuleInput, FaultStore


def rule(**spec) -> FaultRuleInput:
    return FaultRuleInput.model_validate(spec)


def test_a_rule_matches_method_and_path_glob():
    store = FaultStore()
    store.add(rule(match={"method": "POST", "path": "/crm/v3/objects/contacts/batch/*"}, action={"status": 503}))
    assert store.pick("POST", "/crm/v3/objects/contacts/batch/upsert") is not None
    assert store.pick("GET", "/crm/v3/objects/contacts/batch/upsert") is None
    assert store.pick("POST", "/crm/v3/objects/contacts") is None


def test_trailing_slashes_do_not_dodge_a_rule():
    store = FaultStore()
    store.add(rule(match={"path": "/crm/v3/owners"}, action={"status": 500}))
    assert store.pick("GET", "/crm/v3/owners/") is not None


def test_times_limits_how_often_a_rule_fires():
    store = FaultStore()
    added = store.add(rule(action={"status": 500}, times=2))
    fired = [store.pick("GET", "/x") is not None for _ in range(4)]
    assert fired == [True, True, False, False]
    assert added.fired == 2


def test_the_same_seed_replays_the_same_decisions():
    def decisions(seed):
        store = FaultStore()
        store.add(rule(action={"status": 503}, probability=0.3, seed=seed))
        return [store.pick("GET", "/x") is not None for _ in range(200)]

    assert decisions(7) == decisions(7)
    assert decisions(7) != decisions(8)
    assert 30 < sum(decisions(7)) < 90


def test_the_first_rule_added_wins():
    store = FaultStore()
    store.add(rule(action={"status": 503}))
    store.add(rule(action={"reset": True}))
    assert store.pick("GET", "/x").action.kind == "status"


@pytest.mark.parametrize(
    "spec",
    [
        {"action": {}},
        {"action": {"status": 503, "reset": True}},
        {"action": {"status": 302}},
        {"action": {"delayMs": 10, "afterApply": True}},
        {"action": {"status": 500}, "times": 1, "probability": 0.5},
        {"action": {"status": 500}, "probability": 1.5},
        {"action": {"status": 500}, "match": {"method": "BREW"}},
    ],
)
def test_invalid_rules_are_refused(spec):
    with pytest.raises(PydanticValidationError):
        rule(**spec)


def test_rules_list_and_delete():
    store = FaultStore()
    first = store.add(rule(action={"status": 500}))
    store.add(rule(action={"status": 502}))
    store.remove(first.id)
    assert [r.dump()["action"]["status"] for r in store.rules()] == [502]
    store.clear()
    assert store.rules() == []
