"""The analytic funnel: Gauss-Jordan inversion, absorption probabilities, and intervention factors."""

from __future__ import annotations

import pytest

from scenarios.funnel import adjust_next, funnel, invert, mixture_funnel
from scenarios.model import Chain


def test_gauss_jordan_inverts_a_matrix_that_needs_pivoting():
    matrix = [[0.0, 2.0, 1.0], [1.0, 1.0, 0.0], [2.0, 0.0, 3.0]]
    inverse = invert(matrix)
    product = [sum(matrix[i][k] * inverse[k][j] for k in range(3)) for i in range(3) for j in range(3)]
    assert product == pytest.approx([1, 0, 0, 0, 1, 0, 0, 0, 1], abs=1e-12)


def test_a_singular_matrix_is_refused():
    with pytest.raises(ValueError, match="singular"):
        invert([[1.0, 2.0], [2.0, 4.0]])


def test_funnel_of_a_chain_small_enough_to_work_by_hand():
    chain = Chain.model_validate({"stages": {
        "signed_up": {"next": {"activated": 0.5, "inactive": 0.5}, "sessions_per_day": 1, "events_per_session": 1},
        "activated": {"next": {"customer": 0.2, "inactive": 0.2}, "sessions_per_day": 1, "events_per_session": 1},
        "customer": {"next": {"churned": 0.1}, "sessions_per_day": 1, "events_per_session": 1},
    }})
    result = funnel(chain)
    # Activated users leave after 1/0.4 sessions on average, half of them as customers.
    assert result.reach == pytest.approx({"signed_up": 1.0, "activated": 0.5, "customer": 0.25})
    assert result.endings == pytest.approx({"customer": 0.25, "churned": 0.0, "inactive": 0.75})
    assert result.sessions == pytest.approx(1 + 0.5 * 2.5)
    assert funnel(chain, start="activated").reach["customer"] == pytest.approx(0.5)
    assert funnel(chain, factors={"customer": 2.0}).reach["customer"] == pytest.approx(0.5 * 0.4 / 0.6)


def test_a_factor_takes_its_probability_from_staying_and_leaves_other_moves_alone():
    assert adjust_next({"customer": 0.1, "inactive": 0.2}, {"customer": 3.0}) == pytest.approx(
        {"customer": 0.3, "inactive": 0.2})


def test_a_factor_that_would_take_more_than_everything_leaves_the_stage_surely():
    adjusted = adjust_next({"customer": 0.4, "inactive": 0.4}, {"customer": 2.0})
    assert sum(adjusted.values()) == pytest.approx(1.0)
    assert adjusted["customer"] == pytest.approx(2 * adjusted["inactive"])


def test_the_mixture_weights_segments_by_their_share_of_signups(plg):
    total = sum(s.weight for s in plg.segments.values())
    expected = sum(s.weight / total * funnel(s).reach["customer"] for s in plg.segments.values())
    assert mixture_funnel(plg).reach["customer"] == pytest.approx(expected)
