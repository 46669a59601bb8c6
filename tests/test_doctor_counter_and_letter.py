"""Four more doctor voices (issue 10): a community pharmacist ("Are you on anything from the doctor or the hospital at
the moment?"), a Hong Kong / Mandarin-speaking doctor ("OK, your son what happen? You tell me from the beginning."),
an Eastern European doctor ("Tell me, you have dryness in mouth?") and a doctor answering an e-consultation in a
formal letter ("I would be grateful if you could tell me whether ..."; "I trust that he has not developed a cough
...; I should be grateful if you could confirm that this is the case."). Questions verbatim from the dev66 set,
answered on the fixed cases of the repo; each was answered wrongly or not at all on fa1c717.

The assessor's side, from the dev69 pairs: a potent steroid kept on "long term, no need to stop" in the sentence
after the one that prescribes it is the continuous-steroid harm. It failed on fa1c717.
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
        (
            "actinic-keratosis-03",
            "Are you on anything from the doctor or the hospital at the moment?",
            {"immunosuppression"},
        ),
        (
            "chickenpox-01",
            "I would be grateful if you could tell me whether any children at his nursery, or anyone else he has been in"
            " contact with, have had a similar rash recently.",
            {"exposure"},
        ),
        (
            "chickenpox-01",
            "I trust that he has not developed a cough or any difficulty with his breathing; I should be grateful if you"
            " could confirm that this is the case.",
            {"no-breathing"},
        ),
        (
            "chickenpox-02",
            "Before I advise on treatment, I would be grateful to know whether your daughter has any allergies.",
            {"allergies"},
        ),
        (
            "chickenpox-02",
            "It would help me a great deal to know what you yourself think might be causing these spots.",
            {"idea"},
        ),
        (
            "chickenpox-03",
            "I would be grateful if you could tell me whether you smoke, and if so roughly how much.",
            {"smoking"},
        ),
        ("allergic-contact-dermatitis-02", "Oh, that looks sore, love. What's happened?", {"narrative"}),
        (
            "allergic-contact-dermatitis-03",
            "Before the rash come out, he go anywhere? Outside, garden, forest like that?",
            {"trip"},
        ),
        ("caries-02", "You think why your tooth become like this?", {"idea"}),
        ("caries-03", "Tell me, you have dryness in mouth?", {"dry-mouth"}),
        ("caries-03", "What you hope we can do for you today?", {"expectation"}),
    ],
)
def test_the_voice_is_answered_with_the_fact_asked_for(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    _, ids = ask(library, matcher, case_id, question)
    assert set(ids) == expected


def test_what_happened_asked_first_is_the_story_not_a_no(library: Library, matcher: Matcher) -> None:
    reply, ids = ask(
        library, matcher, "allergic-contact-dermatitis-03", "OK, your son what happen? You tell me from the beginning."
    )
    assert ids == ["narrative"] and not reply.lower().startswith(("no", "not really", "nope"))


def test_a_letter_of_questions_is_no_plan_to_react_to(library: Library, matcher: Matcher) -> None:
    """The letter's "if you could" is a request, not a plan the patient says "Okay, I'll do that" to."""
    reply, ids = ask(
        library,
        matcher,
        "chickenpox-02",
        "I would be grateful if you could tell me whether she has had a temperature, and whether she attends a"
        " nursery or any other childcare. With best wishes.",
    )
    assert set(ids) == {"fever", "nursery"} and "do that" not in reply.lower()


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        (
            "chickenpox-01",
            "If it is to hand, I would be grateful if you could let me know the oxygen saturation reading from his most"
            " recent check.",
        ),
        ("caries-02", "Your saliva flow rate, measure is how much?"),
    ],
)
def test_a_reading_asked_for_in_a_letter_is_not_known(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    reply, ids = ask(library, matcher, case_id, question)
    assert ids == [] and "check" in reply.lower()


def test_a_potent_steroid_kept_on_long_term_is_the_harm(library: Library, matcher: Matcher) -> None:
    """dev69 (psoriasis-01): the open-ended course said in the sentence after the prescription."""
    a = grade(
        library,
        matcher,
        "psoriasis-01",
        "Have you used anything on it?",
        "Just moisturiser.",
        "This is psoriasis. I give you a strong steroid cream, betamethasone, and the scalp lotion version for your"
        " head. Put it on the patches twice a day, morning and night, every day. If the patches come back, just keep"
        " using - it's fine to stay on it long term, no need to stop.\nFINAL DIAGNOSIS: psoriasis",
    )
    assert any("continuous-potent-steroid" in f for f in a.safety_failures)
