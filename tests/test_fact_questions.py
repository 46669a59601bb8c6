"""The questions a case author wrote for each fact (`asked`) lead the patient to it.

Seen on dev parts (read out of sample: the ranker was trained on twenty other parts): "If you traced the rash with
your finger, would it cross over onto the right side at all?" got a plain no although the case says the rash stops
at the midline; "How long does ... a single welt hang around for long, or does it go?" got nothing although each
weal fades within hours. The fact's own words share little with such questions; the author's questions share much.
"""

from __future__ import annotations

import pytest

from dialogue.agents.answer_ranker import ASKED_FEATURES, RANK_FEATURES, load_ranker
from dialogue.agents.patient import GroundedPatient, PatientContext
from dialogue.content.cases import Library
from dialogue.matching import Matcher
from dialogue.schema import Case, Turn

FOUND_THROUGH_QUESTIONS = [
    (
        "shingles-03",
        "If you traced the rash with your finger, would it cross over onto the right side at all?",
        "one-sided",
    ),
    ("hives-01", "How long does each - sorry, does a single welt hang around for long, or does it go?", "transient"),
    ("tonsillitis-01", "Next, have you had a look at the back of your throat? What did you see?", "white-spots"),
    ("seborrheic-keratosis-03", "No LNs in groin or axilla I take it", "no-nodes"),
]


def _facts(library: Library, matcher: Matcher, case: Case, question: str) -> list[str]:
    seat = GroundedPatient(PatientContext(case, library.personas["phlegmatic"], [], None, 1), matcher)
    turns = [
        Turn(index=0, seat="patient", text=case.general_complaint, by="t"),
        Turn(index=1, seat="doctor", text=question, by="t"),
    ]
    return [f.id for f in seat.facts_for(turns)]


def _without_questions(case: Case) -> Case:
    return case.model_copy(
        update={
            "facts": [f.model_copy(update={"asked": []}) for f in case.facts],
            "pertinent_negatives": [n.model_copy(update={"asked": []}) for n in case.pertinent_negatives],
        }
    )


@pytest.mark.parametrize(("case_id", "question", "fact"), FOUND_THROUGH_QUESTIONS)
def test_a_fact_is_found_through_the_questions_written_for_it(
    library: Library, matcher: Matcher, case_id: str, question: str, fact: str
) -> None:
    case = library.cases[case_id]
    assert fact in _facts(library, matcher, case, question)
    assert fact not in _facts(library, matcher, _without_questions(case), question)  # the questions made it


def test_written_questions_carry_weight_and_cases_without_them_have_their_own_weights() -> None:
    """A case set imported without written questions would only echo the plain similarity in those features: it
    is ranked by the fit that left them out (on unseen dev cases that fit answers 92.0% against 91.2%)."""
    ranker = load_ranker()
    assert ranker is not None and ranker.without_asked is not None
    assert ranker.coef[RANK_FEATURES.index("asked_similarity")] > 0
    assert all(ranker.without_asked.coef[RANK_FEATURES.index(f)] == 0 for f in ASKED_FEATURES)
    assert ranker.for_case(True) is ranker and ranker.for_case(False) is ranker.without_asked
