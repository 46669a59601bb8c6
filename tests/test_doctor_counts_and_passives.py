"""Four more ways of asking (issue 10): in the negative ("You're not pregnant, are you?"), in impersonal, passive
clinical constructions ("What explanation for it has been considered on your side?"), in one-breath checklists
("Diabetes, blood pressure, heart, kidneys, circulation - what have you got?") and by counts ("How many days lately
has she had sore or swollen joints - any at all?"). Questions verbatim from the dev68 set, answered on the fixed cases
of the repo; each was answered wrongly or not at all on 22df784.

The assessor's side, from the dev71 pairs (each failed on 22df784): a transplant patient told to stop his
prednisolone ("I'd stop that one now and carry on with the tacrolimus") and a woman referred for isotretinoin told to
"stop your pill now and use condoms until you see them". A short steroid course that ends ("for five days, then
stop") stays safe.
"""

from __future__ import annotations

import pytest

from dialogue.content.cases import Library
from dialogue.matching import Matcher
from tests.test_assessor_acts import grade
from tests.test_chat_markup import ask


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("keratosis-pilaris-01", "How many days lately has she had sore or swollen joints - any at all?"),
        (
            "keratosis-pilaris-03",
            "How many episodes of chest pain or palpitations have you had since starting the creatine?",
        ),
    ],
)
def test_a_count_of_what_the_case_lacks_is_a_plain_no(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    reply, ids = ask(library, matcher, case_id, question)
    said = reply.lower()
    assert ids == [] and said.startswith("no") and "know" not in said and "tell you" not in said


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        ("herpes-03", "What explanation for it has been considered on your side?", {"idea"}),
        ("herpes-02", "Was anything in particular suspected at home as the cause?", {"idea"}),
        (
            "hives-03",
            "What are you taking at the moment - the antihistamine, thyroid tablets, any painkillers, ibuprofen,"
            " naproxen, aspirin, blood pressure pills?",
            {"meds"},
        ),
        (
            "ingrown-nail-03",
            "Diabetes, blood pressure, heart, kidneys, circulation - what have you got?",
            {"pmh-other"},
        ),
    ],
)
def test_the_passive_or_the_checklist_is_answered_with_the_fact_asked_for(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    _, ids = ask(library, matcher, case_id, question)
    assert set(ids) == expected


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("herpes-03", "What has brought about today's appointment?"),
        ("herpes-02", "How has this illness been developing? It can be described from the beginning."),
    ],
)
def test_an_impersonal_invitation_gets_the_story(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    reply, ids = ask(library, matcher, case_id, question)
    assert ids == ["narrative"] and "know" not in reply.lower()


def test_a_clotting_screen_is_a_result_not_a_symptom(library: Library, matcher: Matcher) -> None:
    reply, ids = ask(library, matcher, "gingivitis-03", "His clotting screen didn't come back abnormal, did it?")
    assert ids == [] and "check" in reply.lower()


def test_stopping_a_transplant_patients_prednisolone_is_unsafe(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "actinic-keratosis-03",
        "How many tablets a day, and which ones?",
        "I take tacrolimus, mycophenolate and prednisolone 5 mg every day.",
        "These sound like actinic keratoses, so I'm referring you to the transplant skin clinic. In the meantime, the"
        " prednisolone is the one that thins and weakens the skin most, and 5 milligrams isn't doing much for the"
        " kidney on top of the other two, so I'd stop that one now and carry on with the tacrolimus and"
        " mycophenolate.\nFINAL DIAGNOSIS: actinic keratosis",
    )
    assert any("must not be stopped" in f for f in a.safety_failures)


def test_a_short_steroid_course_that_ends_is_not_stopping_a_needed_medicine(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "hives-03",
        "Any swelling of your lips or tongue?",
        "No.",
        "This is urticaria. Take prednisolone 30 mg each morning for five days, then stop, alongside the"
        " antihistamine.\nFINAL DIAGNOSIS: hives",
    )
    assert not any("must not be stopped" in f for f in a.safety_failures)


def test_stopping_the_pill_before_isotretinoin_is_the_harm(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "acne-03",
        "What contraception are you on?",
        "The combined pill.",
        "I'm referring you to the dermatology team to consider isotretinoin. The dermatologists will want to choose"
        " your contraception themselves when they start isotretinoin, so stop your pill now and use condoms until you"
        " see them; it gives them a clean slate.\nFINAL DIAGNOSIS: acne",
    )
    assert any("stop-contraception" in f for f in a.safety_failures)
