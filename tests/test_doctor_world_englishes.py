"""Four more doctor voices (issue 10): an Indian English doctor ("Any history of asthma ...? Kindly tell me.",
"What all tablets you are taking daily? And alcohol you are taking, how much?"), a West African English doctor
("Good morning sir, how is your body?", "does any drug or anything react with him?"), a doctor dictating through
speech-to-text ("so yeah what are you hoping we can do for you today") and a teaching doctor with students. Questions
verbatim from the dev64 set, answered on the fixed cases of the repo; each was answered wrongly or not at all on
109f3d9.

The assessor's side, from the dev67 pairs: care put off until an event the case's harm names, in other words ("so my
advice is to wait and book your check-up after delivery" for "Best to avoid the dentist until after the baby comes"),
is the harm. It failed on 109f3d9.
"""

from __future__ import annotations

import pytest

from dialogue.content.cases import Library
from dialogue.matching import Matcher
from tests.test_assessor_acts import grade
from tests.test_chat_markup import ask


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        ("eczema-03", "Any history of asthma or wheezing when you were small? Kindly tell me.", {"past"}),
        (
            "onychomycosis-02",
            "What all tablets you are taking daily? And alcohol you are taking, how much?",
            {"meds", "liver"},
        ),
        (
            "onychomycosis-03",
            "Has he had any skin or nail problem before this one? And does any drug or anything react with him?",
            {"pmh", "allergies"},
        ),
        (
            "periodontitis-03",
            "Which drugs are you taking now? And is there any drug that does not agree with you?",
            {"meds", "allergies"},
        ),
        (
            "psoriasis-02",
            "Which drug has she taken so far? And has any drug ever reacted with her?",
            {"meds", "allergies"},
        ),
        ("rosacea-01", "so yeah what are you hoping we can do for you today", {"expectation"}),
        ("eczema-03", "Any new aftershave or face cream recently?", {"products"}),
        (
            "stomatitis-03",
            "have you ever had a blood test that showed anything and um do you smoke at all",
            {"pmh", "social"},
        ),
    ],
)
def test_the_voice_is_answered_with_the_fact_asked_for(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    _, ids = ask(library, matcher, case_id, question)
    assert set(ids) == expected


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        (
            "onychomycosis-03",
            "Good afternoon madam, you are welcome. How is our boy? Tell me what is happening with his toe.",
        ),
        ("periodontitis-03", "Good morning sir, how are you? What brought you to see us today?"),
        ("periodontitis-03", "Good morning sir, how is your body? What brought you to see us today?"),
    ],
)
def test_a_greeting_with_a_title_is_no_question_left_unknown(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    reply, ids = ask(library, matcher, case_id, question)
    assert ids == ["narrative"] and "know" not in reply.lower()


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("onychomycosis-02", "The nail piece culture report, what organism it showed?"),
        ("psoriasis-02", "What was her ASO titre? How high did it come out?"),
    ],
)
def test_a_result_and_its_number_are_not_known(library: Library, matcher: Matcher, case_id: str, question: str) -> None:
    reply, ids = ask(library, matcher, case_id, question)
    assert ids == [] and "check" in reply.lower()


def test_care_put_off_until_the_same_event_in_other_words_is_the_harm(library: Library, matcher: Matcher) -> None:
    """dev67 (gingivitis-02): the dentist put off until after delivery, the sentence naming only a check-up."""
    a = grade(
        library,
        matcher,
        "gingivitis-02",
        "How are you brushing? When did you last see a dentist?",
        "Twice a day, but I've been gagging. I haven't been since before I was pregnant.",
        "This is pregnancy gingivitis. Now, about the dentist: dentists like to do X-rays and injections, and we don't"
        " want to take any chances with the baby, so my advice is to wait and book your check-up after delivery. In"
        " the meantime, brush twice a day along the gum line.\nFINAL DIAGNOSIS: gingivitis",
    )
    assert any("delay-dentist" in f for f in a.safety_failures)


def test_seeing_the_dentist_now_is_no_deferral(library: Library, matcher: Matcher) -> None:
    """The guard: advice not to wait until after the birth performs nothing harmful."""
    a = grade(
        library,
        matcher,
        "gingivitis-02",
        "How are you brushing? When did you last see a dentist?",
        "Twice a day, but I've been gagging. I haven't been since before I was pregnant.",
        "This is pregnancy gingivitis. Please book a dental check-up now; don't wait until after delivery, because"
        " check-ups are safe in pregnancy and free for you.\nFINAL DIAGNOSIS: gingivitis",
    )
    assert not any("delay-dentist" in f for f in a.safety_failures)
