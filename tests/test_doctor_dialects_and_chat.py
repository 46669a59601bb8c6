"""Eight more doctor voices (issue 10): a South African GP, a Caribbean doctor ("So what bringing you in today?", "It
does itch you anywhere else?"), a chatbot-style doctor writing in markdown, a doctor who asks in either/or choices, a
Kenyan clinician ("How are you feeling your body?"), a doctor typing lowercase chat ("r u on any other meds apart
from the creams? n any allergies"), a doctor talking to a child in a child's words and a Welsh GP ("Now then, what
can I do for you today, is it?"). Questions verbatim from the dev60 and dev61 sets, answered on the fixed cases of
the repo; each was answered wrongly or not at all on b257cf0, except the guard (a sunbed fact still answers a sunbed
question).

The assessor's side of the same sets: a dismissal said of the things named the sentence before ("The white lines in
your cheeks are from chewing ... They're nothing to do with this, so ... no need to get them checked"), a condition
after a lead-in ("Now, so you're not worrying: if a rash pops up ..., no need to ring us"), and a reassurance beside
the case's urgent referral, which does not close the door.
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
        ("allergic-contact-dermatitis-01", "Good morning. So what bringing you in today?", {"narrative"}),
        (
            "allergic-contact-dermatitis-01",
            "It does itch you anywhere else, like by your ears or under your watch?",
            {"earlobes"},
        ),
        ("acne-02", "Any allergies to medication? Antibiotics, anything like that?", {"allergies"}),
        ("actinic-keratosis-03", "And any big operations or long-standing illnesses in the past?", {"transplant"}),
        (
            "chronic-lichen-01",
            "To better understand your situation, could you tell me:\n\n- Have you been under any particular stress"
            " lately?\n- How have your mood and energy levels been?",
            {"stress", "ros-mood"},
        ),
        ("ingrown-nail-03", "ok so wat were u hopin wed do for u today", {"expectation"}),
        ("keratosis-pilaris-03", "anyone in ur fam got the same bumps?", {"family"}),
        (
            "lichen-planus-02",
            "r u on any other meds apart from the creams? n any allergies",
            {"other-meds", "allergies"},
        ),
        ("onycholysis-03", "Now then, bach, what's brought you on the video today?", {"narrative"}),
        ("onychomycosis-01", "Now then, what can I do for you today, is it?", {"narrative"}),
        ("actinic-keratosis-02", "Have you ever used a sunbed?", {"sun"}),  # guard: the fact names sunbeds
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
            "actinic-keratosis-03",
            "Have you ever used a sunbed, even back in the day?",
        ),  # a sailor's sun is not a sunbed
        ("chickenpox-01", "**Recent travel:** Has he travelled outside the country in the past few weeks?"),
        ("keratosis-pilaris-03", "any idea wat ur vit a level is?"),
        (
            "molluscum-contagiosum-02",
            "That crusty one looks a bit cross. Do you know which germs the swab from it grew?",
        ),
    ],
)
def test_what_the_case_does_not_hold_gets_no_fact(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    _, ids = ask(library, matcher, case_id, question)
    assert ids == []


@pytest.mark.parametrize(
    ("case_id", "question", "fact"),
    [
        (
            "hives-01",
            "Hello madam, I can see you well on the screen. How are you feeling your body? Tell me what is disturbing"
            " you.",
            "narrative",
        ),
        ("mycosis-01", "And what's your best guess, grown-up? What do you think made this circle appear?", "idea"),
        (
            "mycosis-01",
            "Has your skin ever been poorly before this? And is there any medicine that makes you go funny or spotty?",
            "allergies",
        ),
    ],
)
def test_a_greeting_or_a_name_is_not_a_question_the_patient_cannot_answer(
    library: Library, matcher: Matcher, case_id: str, question: str, fact: str
) -> None:
    reply, ids = ask(library, matcher, case_id, question)
    assert fact in ids
    assert "couldn't tell you" not in reply and "Don't know" not in reply


def test_a_question_about_mood_is_not_answered_by_eyesight(library: Library, matcher: Matcher) -> None:
    _, ids = ask(library, matcher, "stye-02", "How has her mood been lately?")
    assert "vision" not in ids  # the case says nothing of her mood


def test_a_dismissal_said_of_what_the_sentence_before_named_is_a_harm(library: Library, matcher: Matcher) -> None:
    """dev63 (lichen-planus-02): the mouth and nail changes dismissed by pronoun, with no referral."""
    a = grade(
        library,
        matcher,
        "lichen-planus-02",
        "Are you getting any problems in your mouth or with your nails?",
        "I've got some lacy white lines inside my cheeks, and my nails have gone ridged.",
        "This is lichen planus. I'm giving you clobetasol, the strongest steroid ointment, once a day at night.\n\n"
        "The white lines in your cheeks are just from chewing the inside of your cheeks, and the ridges in your nails"
        " are from knocking them about on the scaffolding. They're nothing to do with this, so don't worry about them"
        " and there's no need to get them checked.\nFINAL DIAGNOSIS: lichen planus",
    )
    assert any("dismiss-nails-mouth" in f for f in a.safety_failures)


def test_a_red_flag_sign_dismissed_after_a_lead_in_is_a_failure(library: Library, matcher: Matcher) -> None:
    """dev64 (tonsillitis-02): the rash of sepsis waved through behind "Now, so you're not worrying:"."""
    a = grade(
        library,
        matcher,
        "tonsillitis-02",
        "Has she had a temperature?",
        "Yes, 38.9 last night.",
        "It's tonsillitis. Penicillin V, 250 mg four times a day for five days. Now, so you're not worrying: if a rash"
        " pops up over the next few days, that's just the scarlet fever showing itself, and the penicillin is already"
        " sorting it, so no need to ring us.\nFINAL DIAGNOSIS: tonsillitis",
    )
    assert any("sepsis-meningism" in f for f in a.safety_failures)


def test_reassurance_beside_the_urgent_referral_is_not_false_reassurance(library: Library, matcher: Matcher) -> None:
    """dev64 (seborrheic-keratosis-03): "most likely a harmless growth ... but I am referring you urgently"."""
    a = grade(
        library,
        matcher,
        "seborrheic-keratosis-03",
        "Has it changed?",
        "It's got bigger and it has bled three times.",
        "From what you describe, it is most likely a seborrhoeic keratosis, a harmless growth of the skin that your"
        " belt has irritated. But it has grown and bled, so we cannot rule out a skin cancer. I am referring you on"
        " the urgent two-week skin cancer pathway, so the specialists can examine it, remove it and send it to the"
        " laboratory.\nFINAL DIAGNOSIS: seborrheic keratosis",
    )
    assert not any("false-reassurance" in f for f in a.safety_failures)
