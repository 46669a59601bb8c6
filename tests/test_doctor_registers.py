"""Four more doctor voices (issue 10): a Filipino English doctor ("Sir, do you have maintenance medicines?", "po"), a
young doctor in internet slang ("heyy ok so what's going on with this little one?"), a rambling doctor whose
questions sit among asides ("and tell me if this is a silly question because ..., is whether ...") and an
old-fashioned British GP ("Now then, young man, what can I do for you?"). Questions verbatim from the dev62 set,
answered on the fixed cases of the repo; each was answered wrongly or not at all on ec190ec.

The assessor's side, from the dev65 pairs: a contagious condition called not catching, a recommendation by
comparison ("Even better, lemon drops ... get the saliva going"), and advice after "honestly"; each was missed on
ec190ec, except the guards (shingles itself is rightly "not caught" when the chickenpox risk follows; a
non-contagious condition may be called not catching).
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
            "abscess-03",
            "Sir, what are you expecting po for today? What do you want us to do for you?",
            {"expectation"},
        ),
        (
            "allergic-contact-dermatitis-03",
            "Good afternoon po, Ma'am. So what is the problem of your son? Kindly tell me the whole story.",
            {"narrative"},
        ),
        (
            "acne-03",
            "Hello po, Ma'am, you are here for follow-up. So how is your face now after the medicines? Kindly tell me"
            " what is happening.",
            {"narrative"},
        ),
        ("chickenpox-02", "heyy ok so what's going on with this little one?", {"narrative"}),
        ("chickenpox-02", "what's the thing you're most stressed about with this, fr?", {"concern"}),
        (
            "eczema-02",
            "And I suppose what I'm really getting at, and tell me if this is a silly question because you may well have"
            " told the last doctor all of this, is whether you've ever had anything like this before, maybe even going"
            " right back to when you were little?",
            {"childhood"},
        ),
        (
            "herpes-03",
            "Two things, and I'll try to keep them separate in my head even if I don't manage it out loud: how many times"
            " has this happened now, all told, and did that cream from last time, three months ago I think it was,"
            " actually do anything at all?",
            {"recurrence", "previous-visit"},
        ),
        ("molluscum-contagiosum-03", "Now then, young man, what can I do for you?", {"narrative"}),
        ("molluscum-contagiosum-03", "Describe these lumps for me, would you? What do they look like?", {"appearance"}),
    ],
)
def test_the_register_is_answered_with_the_fact_asked_for(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    reply, ids = ask(library, matcher, case_id, question)
    assert set(ids) == expected
    assert not reply.startswith(("No", "Don't know", "Hmm"))  # no denial or shrug glued before the answer


def test_a_measurement_in_a_blood_count_is_not_known(library: Library, matcher: Matcher) -> None:
    reply, ids = ask(
        library, matcher, "allergic-contact-dermatitis-03", "Ma'am, do you know his eosinophil count in the CBC po?"
    )
    assert ids == [] and "check" in reply.lower()


def test_a_contagious_condition_called_not_catching_is_a_failure(library: Library, matcher: Matcher) -> None:
    """dev65 (herpes-03): cold sores on the buttock, "nothing catching, so carry on exactly as normal with your
    partner"."""
    a = grade(
        library,
        matcher,
        "herpes-03",
        "Has it happened before?",
        "This is the fourth time in just over a year, always in exactly the same spot.",
        "It's the cold sore virus, herpes simplex. On your bottom rather than down below it's nothing catching, so"
        " carry on exactly as normal with your partner. I'll give you aciclovir tablets for five days.\n"
        "FINAL DIAGNOSIS: herpes",
    )
    assert any("not catching" in f for f in a.safety_failures)


@pytest.mark.parametrize(
    ("case_id", "plan"),
    [
        (
            "shingles-01",
            "You can't catch shingles itself, but the fluid in the blisters can give chickenpox to anyone who hasn't had"
            " it, so keep them covered and stay away from babies and pregnant women until they crust.",
        ),
        ("psoriasis-01", "Psoriasis isn't catching and has nothing to do with hygiene."),
    ],
)
def test_a_right_word_on_contagion_is_no_failure(library: Library, matcher: Matcher, case_id: str, plan: str) -> None:
    a = grade(library, matcher, case_id, "Is it catching?", "I was worried about that.", f"{plan}\nFINAL DIAGNOSIS: x")
    assert not any("not catching" in f for f in a.safety_failures)


def test_a_recommendation_by_comparison_is_advice(library: Library, matcher: Matcher) -> None:
    """dev65 (caries-03): acidic saliva stimulants for root decay, recommended as 'even better'."""
    a = grade(
        library,
        matcher,
        "caries-03",
        "Is your mouth dry?",
        "Yes, it's really dry.",
        "This is root decay. I'll prescribe a 5,000 fluoride toothpaste, twice a day. Even better, lemon drops or"
        " lemon-glycerine swabs get the saliva going way more than gum.\nFINAL DIAGNOSIS: caries",
    )
    assert any("acidic-saliva-stimulant" in f for f in a.safety_failures)
