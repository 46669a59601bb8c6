"""Pure metrics: signed rubric points, 3MDBench F1 conventions, agreement on known tables."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import f1_score

from dialogue.schema import ItemVerdict, RubricItem
from dialogue.scoring.metrics import (
    accuracy,
    bootstrap_ci,
    cohen_kappa,
    krippendorff_alpha,
    macro_f1,
    none_rate,
    raw_agreement,
    rubric_score,
    weighted_f1,
)


def items() -> list[RubricItem]:
    return [
        RubricItem(id="a", criterion="a", points=7),
        RubricItem(id="b", criterion="b", points=10),
        RubricItem(id="c", criterion="c", points=5),
        RubricItem(id="unsafe", criterion="gave unsafe advice", points=-6),
    ]


def v(item: str, value: bool | str | None) -> ItemVerdict:
    return ItemVerdict(item_id=item, value=value)


def test_signed_points_healthbench_style() -> None:
    got = rubric_score(items(), [v("a", True), v("b", True), v("c", False), v("unsafe", True)])
    assert got == pytest.approx((7 + 10 - 6) / 22)


def test_score_is_clipped_to_zero_and_one() -> None:
    assert rubric_score(items(), [v("a", False), v("b", False), v("c", False), v("unsafe", True)]) == 0.0
    assert rubric_score(items(), [v("a", True), v("b", True), v("c", True)], penalty=+100) == 1.0


def test_external_penalty_for_missed_red_flags() -> None:
    got = rubric_score(items(), [v("a", True), v("b", True), v("c", True), v("unsafe", False)], penalty=-2.0)
    assert got == pytest.approx((22 - 2) / 22)


def test_no_gradable_items_gives_none_not_zero() -> None:
    assert rubric_score(items(), []) is None
    assert rubric_score(items(), [v("a", None), v("b", None)]) is None
    assert rubric_score([RubricItem(id="x", criterion="x", points=-1)], [v("x", True)]) is None


def test_ungradable_item_leaves_the_denominator() -> None:
    assert rubric_score(items(), [v("a", True), v("b", None), v("c", False)]) == pytest.approx(7 / 12)


def test_scale_item_points() -> None:
    comp = RubricItem(id="comp", criterion="overall", kind="scale", scale=["bad", "ok", "great"], points=2)
    assert rubric_score([comp], [v("comp", "ok")]) == pytest.approx(0.5)
    assert rubric_score([comp], [v("comp", "nonsense")]) is None


def test_weighted_f1_hand_computed_3mdbench_conventions() -> None:
    truths = ["stye", "stye", "hives", "caries"]
    preds = [["stye"], ["chalazion"], ["hives", "eczema"], []]  # hedged answer = 2 pairs; none excluded
    # stye: P=1, R=1/2 -> F1=2/3 (support 2); hives: P=1, R=1/2 -> 2/3 (support 2); caries has no pair.
    assert weighted_f1(truths, preds) == pytest.approx(2 / 3)
    sk = f1_score(
        ["stye", "stye", "hives", "hives"],
        ["stye", "chalazion", "hives", "eczema"],
        labels=["hives", "stye"],
        average="weighted",
    )
    assert weighted_f1(truths, preds) == pytest.approx(sk)
    assert none_rate(preds) == 0.25


def test_out_of_set_prediction_is_a_false_negative_only() -> None:
    # a: TP1 FP1 FN1 -> F1 .5 (support 2); b: F1 0 (support 1); 'gout' adds no false positive to any label.
    assert weighted_f1(["a", "a", "b"], [["a"], ["gout"], ["a"]]) == pytest.approx(1 / 3)
    assert macro_f1(["a", "a", "b"], [["a"], ["gout"], ["a"]]) == pytest.approx(0.25)
    assert weighted_f1(["a"], [[]]) is None
    assert accuracy(["a", "a", "b"], ["a", None, "b"]) == pytest.approx(2 / 3)


def test_cohen_kappa_known_table() -> None:
    # 50 items: both yes 20, A yes/B no 5, A no/B yes 10, both no 15 -> po=.7, pe=.5, kappa=.4
    a = [True] * 25 + [False] * 25
    b = [True] * 20 + [False] * 5 + [True] * 10 + [False] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert raw_agreement(a, b) == pytest.approx(0.7)
    assert cohen_kappa([True, None, False], [True, True, False]) == pytest.approx(1.0)
    assert cohen_kappa([True], [True]) is None


def test_krippendorff_alpha_reference_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal example: alpha = 0.743.
    n = None
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    assert krippendorff_alpha(data) == pytest.approx(0.743, abs=1e-3)
    assert krippendorff_alpha([[True, False], [True, False]]) == pytest.approx(1.0)


def test_bootstrap_ci_brackets_the_value() -> None:
    vals = [1.0] * 30 + [0.0] * 10
    ci = bootstrap_ci(len(vals), lambda idx: sum(vals[i] for i in idx) / len(idx), reps=300)
    assert ci.value == pytest.approx(0.75) and ci.low is not None and ci.high is not None
    assert ci.low < 0.75 < ci.high and not math.isnan(ci.low)


def test_gwet_ac1_matches_the_irrcac_reference() -> None:
    """Reference value computed with irrCAC 0.4.4 (CAC(df).gwet()) on the same ratings: 0.67568."""
    from dialogue.scoring.metrics import gwet_ac1

    a = ["y", "y", "n", "y", "n", "y"]
    b = ["y", "n", "n", "y", "n", "y"]
    assert abs((gwet_ac1(a, b) or 0) - 0.67568) < 1e-4
    # where kappa collapses (one category almost everywhere), AC1 stays high for near-total agreement
    many = [True] * 19 + [False]
    assert (gwet_ac1(many, [True] * 20) or 0) > 0.9


def test_trust_needs_enough_pairs_and_human_level_agreement() -> None:
    from dialogue.scoring.report import trust_verdict

    assert trust_verdict([0.9], [0.8], 5).startswith("not yet")
    assert trust_verdict([0.9], [0.8], 30) == "yes"
    assert trust_verdict([0.4], [0.8], 30).startswith("no")


def test_the_fast_f1_bootstrap_gives_scikit_learns_weighted_f1() -> None:
    """The vectorised bootstrap (Results and reports) must give the same point value as the 3MDBench F1."""
    from dialogue.scoring.metrics import weighted_f1_ci

    rng = np.random.default_rng(3)
    labels = ["acne", "stye", "warts", "hives"]
    truths = [str(rng.choice(labels)) for _ in range(300)]
    preds = [[] if rng.random() < 0.1 else [str(rng.choice(labels)) for _ in range(rng.integers(1, 3))] for _ in truths]
    ci = weighted_f1_ci(truths, preds, reps=200)
    assert ci.value is not None and abs(ci.value - (weighted_f1(truths, preds) or 0)) < 1e-6
    assert ci.low is not None and ci.high is not None and ci.low <= ci.value <= ci.high
    assert weighted_f1_ci(["acne"], [[]]).value is None  # no prediction at all: no F1
