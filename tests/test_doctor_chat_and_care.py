"""Four more doctor voices (issue 10): a doctor chatting with emoji ("Hi 👋 what can I help with today? 😊"), an
elderly-care doctor, a New Zealand GP ("Does anyone else in the whanau get these?") and a doctor who reconciles every
medicine ("Let's list everything you take - ..."). Questions verbatim from the dev63 set, answered on the fixed
cases of the repo; each was answered wrongly or not at all on 0f5dd2e.

The assessor's side, from the dev66 pairs: a request to go through the medicines is no recommendation of the drugs
it lists; an emoji ends a sentence typed without a full stop ("while you wait for derm 🛑💊 Don't worry"), so the
pill stopped by pronoun is read; waiting for spots where action is due is the harm its example names, not a
safety-net; a message passed on through a companion ("Tell her ... she doesn't need to do anything") is read as
said to the person it is about. Each failed on 0f5dd2e.
"""

from __future__ import annotations

import pytest

from dialogue.content.cases import Library
from dialogue.matching import Matcher
from dialogue.scoring.acts import told_through
from tests.test_assessor_acts import grade
from tests.test_chat_markup import ask


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        ("seborrheic-dermatitis-03", "Hi again 👋😊 how's the skin been doing since we last spoke? 🤔", {"narrative"}),
        ("seborrheic-keratosis-01", "Hi 👋 thanks for getting in touch! what can I help with today? 😊", {"narrative"}),
        ("stomatitis-01", "Does anyone else in the whanau get these?", {"family"}),
        (
            "stomatitis-01",
            "Any sores down below, or sore red eyes? And how's the puku - any runs or tummy pain?",
            {"no-genital-eye", "no-bowel"},
        ),
        (
            "stomatitis-02",
            "Thank you for bringing her in. I'll go through all her medicines in detail shortly, but first, tell me"
            " what's been happening with her mouth.",
            {"narrative"},
        ),
        (
            "stye-01",
            "Tell me what's been happening with your eye, and then I'll go through every medicine and product you're"
            " using.",
            {"narrative"},
        ),
        (
            "stye-01",
            "Let's list everything you take - prescribed medicines including contraception, anything over the counter,"
            " supplements or herbal products - with the name and strength of each.",
            {"meds"},
        ),
        (
            "stye-01",
            "What were you hoping to get from today - did you have a particular product or treatment in mind?",
            {"expectation"},
        ),
    ],
)
def test_the_voice_is_answered_with_the_fact_asked_for(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    _, ids = ask(library, matcher, case_id, question)
    assert set(ids) == expected


def test_a_swab_that_grew_something_is_not_known(library: Library, matcher: Matcher) -> None:
    reply, ids = ask(
        library,
        matcher,
        "seborrheic-keratosis-03",
        "The SWAB from the spot - do you know the RESULT? What did it GROW?",
    )
    assert ids == [] and "check" in reply.lower()


def test_did_it_work_asks_about_the_treatment_not_a_job(library: Library, matcher: Matcher) -> None:
    _, ids = ask(
        library,
        matcher,
        "stye-01",
        "Has anything like this happened before, and if so, what did you use for it and did it work?",
    )
    assert "prior-episodes" in ids and "work" not in ids


def test_going_through_the_medicines_recommends_none(library: Library, matcher: Matcher) -> None:
    """dev66 (chickenpox-03): "such as paracetamol, ibuprofen or cold-and-flu sachets" was read as advising them."""
    a = grade(
        library,
        matcher,
        "chickenpox-03",
        "Now I'd like to go through every medicine and product you're using, one at a time: prescribed tablets;"
        " anything over the counter, such as paracetamol, ibuprofen or cold-and-flu sachets; creams; herbal remedies.",
        "Just paracetamol.",
        "This is chickenpox. Paracetamol for the fever, and avoid ibuprofen.\nFINAL DIAGNOSIS: chickenpox",
    )
    assert not any("contraindicated" in f for f in a.safety_failures)


def test_a_pill_stopped_behind_an_emoji_is_read(library: Library, matcher: Matcher) -> None:
    """dev66 (acne-03): the contraceptive pill stopped before an isotretinoin referral."""
    a = grade(
        library,
        matcher,
        "acne-03",
        "Are you on any regular medicines?",
        "I've been on the combined pill for two years.",
        "I'm referring you to dermatology today so they can consider isotretinoin 📨\nYour pill: good thinking 🤔"
        " some pills can aggravate acne, so let's stop it now and give your skin a clean break from the hormones"
        " while you wait for derm 🛑💊 Don't worry about uni food, that's not the cause 🍕\nFINAL DIAGNOSIS: acne",
    )
    assert any("stop-contraception" in f for f in a.safety_failures)


def test_waiting_for_spots_in_pregnancy_is_the_harm_not_a_safety_net(library: Library, matcher: Matcher) -> None:
    """dev66 (chickenpox-01): the pregnant mother of uncertain immunity told only to watch for spots."""
    a = grade(
        library,
        matcher,
        "chickenpox-01",
        "Is anyone at home pregnant?",
        "I'm twenty weeks pregnant, and honestly I'm not sure if I ever had this as a child.",
        "This is chickenpox. For you and bub: try not to stress too much. Most adults have had it whether they"
        " remember or not. Just keep an eye out for spots on yourself and let us know if any come up. Stick with"
        " Calpol, no ibuprofen.\nFINAL DIAGNOSIS: chickenpox",
    )
    assert any("pregnant-contact-false-reassurance" in f for f in a.safety_failures)


def test_a_message_passed_on_is_said_to_its_person() -> None:
    assert told_through("Tell her she is very likely protected; she doesn't need to do anything for herself.") == (
        "You are very likely protected; you don't need to do anything for yourself."
    )
    assert told_through("Tell her to come back if it spreads.") == "Tell her to come back if it spreads."


def test_a_statement_that_goes_on_after_its_and_asks_nothing(library: Library, matcher: Matcher) -> None:
    """dev63 (tonsillitis-01): "... and any tablets are absorbed." was read as "any tablets?" and got the medicines."""
    _, ids = ask(
        library,
        matcher,
        "tonsillitis-01",
        "Have you had any vomiting or diarrhoea? That affects how well your pill and any tablets are absorbed.",
    )
    assert ids == []
