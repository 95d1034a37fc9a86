"""The hot-spot rule: flags a planted surge, stays quiet on stationary noise."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom

from lagesbild.analysis import hotspots
from lagesbild.analysis.hotspots import Rule, benjamini_hochberg, evaluate

RULE = Rule()


def stationary(rng, places: int, weekly_rate: float) -> pd.DataFrame:
    baseline = rng.poisson(weekly_rate * 52, places)
    recent = rng.poisson(weekly_rate * 4, places)
    return pd.DataFrame({"unit": range(places), "recent": recent, "baseline": baseline})


def test_stationary_noise_is_not_flagged():
    """450 places at steady rates, 40 times over: the rule may raise a false alarm in at most
    its stated 5 % of runs (here: none may flag more than one place)."""
    runs_with_alarm = 0
    for seed in range(40):
        rng = np.random.default_rng(seed)
        frames = [stationary(rng, 150, rate) for rate in (0.2, 1.0, 4.0)]
        result = evaluate(pd.concat(frames, ignore_index=True), RULE)
        flagged = result["status"].isin([hotspots.NEW, hotspots.ESCALATING]).sum()
        assert flagged <= 1
        runs_with_alarm += flagged > 0
    assert runs_with_alarm <= 2


@pytest.mark.parametrize("seed", range(10))
def test_a_planted_surge_is_flagged_among_noise(seed):
    rng = np.random.default_rng(seed)
    df = stationary(rng, 200, 1.0)
    df.loc[7, "baseline"] = 52
    df.loc[7, "recent"] = 16  # four times its usual level of one report a week
    result = evaluate(df, RULE)
    flagged = result[result["status"] == hotspots.ESCALATING]
    assert list(flagged["unit"]) == [7]
    assert flagged.iloc[0]["certainty"] in {"Säker", "Mycket säker"}


def test_surges_are_found_at_the_rate_their_size_suggests():
    """A place at five times its level (Poisson-drawn) is found in nearly every run."""
    found = 0
    for seed in range(30):
        rng = np.random.default_rng(100 + seed)
        df = stationary(rng, 200, 1.0)
        df.loc[3, "recent"] = rng.poisson(5 * 4.0)
        result = evaluate(df, RULE)
        found += result.loc[3, "status"] == hotspots.ESCALATING
    assert found >= 27


def test_a_new_place_needs_more_than_one_report():
    df = pd.DataFrame({"recent": [1, 2, 4], "baseline": [0, 0, 0]})
    result = evaluate(df, RULE)
    assert list(result["status"]) == ["", "", hotspots.NEW]


def test_a_clear_drop_is_reported_as_decreasing():
    df = pd.DataFrame({"recent": [0, 4], "baseline": [200, 52]})
    result = evaluate(df, RULE)
    assert list(result["status"]) == [hotspots.DECREASING, ""]


def test_expected_level_and_probability_follow_the_stated_rule():
    df = pd.DataFrame({"recent": [9], "baseline": [26]})
    row = evaluate(df, RULE).iloc[0]
    assert row["expected"] == pytest.approx(26 * 28 / 364)  # 2: one report per two weeks
    assert row["ratio"] == pytest.approx(4.5)
    assert row["p_up"] == pytest.approx(binom.sf(8, 35, 28 / 392))


def test_benjamini_hochberg_against_a_hand_computed_case():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    assert benjamini_hochberg(p) == pytest.approx([0.02, 0.04, 0.04, 0.02])


def test_certainty_words():
    assert [hotspots.certainty(q) for q in (0.0001, 0.005, 0.04)] == [
        "Mycket säker",
        "Säker",
        "Trolig",
    ]


def test_empty_input():
    assert evaluate(pd.DataFrame({"recent": [], "baseline": []})).empty
