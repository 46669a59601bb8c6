"""Information-gathering and repeatability metrics, pinned on hand-computed sessions (issue 14)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from dialogue.agents import doctor_notes
from dialogue.content.labels import LabelSet
from dialogue.scoring import information as info
from dialogue.scoring import report


def session(**kw: Any) -> dict[str, Any]:
    row = {
        "doctor": "m",
        "model": "m",
        "strategy": "dialogue",
        "case": "c1",
        "truth": "stye",
        "temperament": "sanguine",
        "axes": "none",
        "seed": 0,
        "final": "stye",
        "status": "ended",
        "interims": [],
        "abstained": [],
        "confidences": [],
        "asked": [],
        "doctor_turns": 1,
        "rubric": 0.5,
        "consultation": 0.5,
        "coverage": 0.8,
        "sim_flags": 0,
        "leaks": 0,
    }
    row.update(kw)
    row["correct"] = row["final"] == row["truth"]
    if row["strategy"] != "dialogue":
        row["doctor"] = report.entry(row["model"], row["strategy"])
    return row


def test_turns_to_correct_and_questions_before() -> None:
    ttc = info.turns_to_correct
    assert ttc(["chalazion", "stye", "stye"], [False] * 3, "stye", "stye") == 2
    assert ttc(["stye", "chalazion", "stye"], [False] * 3, "stye", "stye") == 3  # not stable until turn 3
    assert ttc([None, "stye"], [False, False], "stye", "stye") == 2
    assert ttc(["stye", None, "stye"], [False, True, False], "stye", "stye") == 3  # an abstention is no answer
    assert ttc(["stye", None], [False, False], "stye", "stye") == 1  # a turn without an answer keeps the last
    assert ttc(["stye", "stye"], [False, False], "chalazion", "stye") is None  # wrong in the end
    assert ttc([], [], "stye", "stye") == 1
    assert info.questions_before([True, True, False, True], 3) == 2
    assert info.questions_before([True], None) is None


def test_accuracy_by_turn_carries_the_final_answer_past_the_end() -> None:
    df = pd.DataFrame(
        [
            session(interims=["chalazion", "stye"], abstained=[False, False], doctor_turns=2),
            session(case="c2", interims=["stye"], abstained=[False]),
        ]
    )
    curve = info.accuracy_by_turn(df)
    assert curve["accuracy (%)"].tolist() == [50.0, 100.0] and curve["turn"].tolist() == [1, 2]


def test_pass_hat_k_and_flip_rate() -> None:
    rows = [session(seed=s, final=f) for s, f in enumerate(["stye", "stye", "chalazion"])]  # 2 of 3 right
    rows += [session(case="c2", seed=s) for s in range(3)]  # 3 of 3
    table = info.pass_hat_k(pd.DataFrame(rows)).iloc[0]
    assert table["pass^1 (%)"] == pytest.approx(100 * (2 / 3 + 1) / 2, abs=0.05)  # 83.3
    assert table["pass^2 (%)"] == pytest.approx(100 * (1 / 3 + 1) / 2, abs=0.05)  # C(2,2)/C(3,2) = 1/3
    assert table["pass^3 (%)"] == 50.0
    assert table["flip rate (%)"] == 50.0  # c1's seeds disagree, c2's do not


def test_gap_closed_is_the_share_of_the_floor_to_ceiling_gap() -> None:
    right = {"no-dialogue": {"c1"}, "dialogue": {"c1", "c2", "c3"}, "full-information": {"c1", "c2", "c3", "c4"}}
    rows = [
        session(case=c, strategy=s, final="stye" if c in cases else "chalazion")
        for s, cases in right.items()
        for c in ("c1", "c2", "c3", "c4")
    ]
    row = info.gap_closed(pd.DataFrame(rows)).iloc[0]
    assert (row["no-dialogue (%)"], row["dialogue (%)"], row["full-information (%)"]) == (25.0, 75.0, 100.0)
    assert row["gap closed (%)"].startswith("66.7")  # (75 - 25) / (100 - 25)
    flat = [session(case=c, strategy=s) for s in right for c in ("c1", "c2")]  # all right: no gap to close
    assert info.gap_closed(pd.DataFrame(flat)).iloc[0]["gap closed (%)"].startswith("n/a")


def test_paired_strategy_and_temperament_differences() -> None:
    rows = [session(case=c, final="stye") for c in ("c1", "c2")]
    rows += [session(case="c1", strategy="hints"), session(case="c2", strategy="hints", final="chalazion")]
    table = info.strategy_table(pd.DataFrame(rows)).set_index("strategy")
    assert (
        table.loc["hints", "Δ vs dialogue (paired)"].startswith("-50.0")
        and "(n=2)" in table.loc["hints", "Δ vs dialogue (paired)"]
    )
    temps = [
        session(case=c, temperament=t, final="stye" if t == "sanguine" or c == "c1" else "x")
        for t in ("sanguine", "choleric")
        for c in ("c1", "c2")
    ]
    deltas = info.temperament_deltas(pd.DataFrame(temps)).iloc[0]
    assert (deltas["temperament"], deltas["vs"], deltas["n"]) == ("choleric", "sanguine", 2)
    assert deltas["Δ accuracy (points)"].startswith("-50.0")


def test_every_failure_gets_one_cause_in_order() -> None:
    cause = info.failure_cause
    assert cause(pd.Series(session())) is None
    assert cause(pd.Series(session(status="error", final=None))) == "backend failed"
    assert cause(pd.Series(session(final="x", rubric=None, consultation=None))) == "judge could not grade"
    assert cause(pd.Series(session(final="x", sim_flags=2))) == "patient withheld or distorted"
    assert cause(pd.Series(session(final="x", coverage=0.2))) == "never asked for the deciding facts"
    assert cause(pd.Series(session(final="x", strategy="no-dialogue"))) == "never asked for the deciding facts"
    assert (
        cause(pd.Series(session(final="x", strategy="full-information", sim_flags=1))) == "had the facts, chose wrong"
    )
    assert cause(pd.Series(session(final="x"))) == "had the facts, chose wrong"
    table = info.failure_table(pd.DataFrame([session(), session(final="x"), session(final="x", coverage=0.1)]))
    assert table.iloc[0]["failed"] == 2 and table.iloc[0]["had the facts, chose wrong"] == "1 (50%)"


def test_calibration_and_abstention() -> None:
    df = pd.DataFrame(
        [session(interims=["stye", None, "chalazion"], abstained=[False, True, False], confidences=[0.9, None, 0.5])]
    )
    row = info.calibration_table(df).iloc[0]
    assert row["abstained (%)"] == pytest.approx(33.3) and row["committed right (%)"] == 50.0
    assert row["Brier"] == pytest.approx(((0.9 - 1) ** 2 + 0.5**2) / 2, abs=1e-3)


def test_working_line_and_reasoning_are_split_from_what_the_patient_sees(labels: LabelSet) -> None:
    raw = "<think>Probably a stye; check vision.</think>Has your vision changed?\nWORKING DIAGNOSIS: stye (70%)"
    visible, reasoning, working = doctor_notes.split(raw)
    assert visible == "Has your vision changed?" and "stye" in reasoning and working == "stye (70%)"
    interim = doctor_notes.read_interim(working, visible, labels)
    assert interim is not None and (interim.label, interim.confidence, interim.source) == ("stye", 0.7, "stated")
    no_open = doctor_notes.split("thinking without the tag</think>Any pain?")  # some reasoning models
    assert no_open[:2] == ("Any pain?", "thinking without the tag")
    cut = doctor_notes.split("Any pain?<think>half a thought")
    assert cut[0] == "Any pain?" and cut[1] == "half a thought"
    abstain = doctor_notes.read_interim("need more information", "Any pain?", labels)
    assert abstain is not None and abstain.source == "abstain" and abstain.label is None
    assert doctor_notes.read_interim(None, "Could this be a chalazion?", labels).source == "extracted"  # type: ignore[union-attr]
    for partial in ("Any pain?\nWORK", "Any pain?\n<thi", "Any pain?\n<think>it is a st"):
        assert doctor_notes.visible_prefix(partial) == "Any pain?\n", partial


@pytest.fixture
def labels(library) -> LabelSet:  # type: ignore[no-untyped-def]
    return library.labels
