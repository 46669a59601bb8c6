"""Four more doctor voices (issue 10): a doctor who gives the reason before each question ("As stress can feed an
itch-scratch cycle, how has your mood been?"), an Irish GP ("So what has himself been going through with the skin?"),
an American urgent-care physician and a youth-clinic doctor. Questions verbatim from the dev58 set, answered on the
fixed cases of the repo; each was answered wrongly or not at all on a8ab286, except the guards (a reason the question
points back to is kept; a clause of time is not a reason) and the
check of the same voice in other words.
"""

from __future__ import annotations

import pytest

from dialogue.agents.intent import parts_of, plain_words
from dialogue.content.cases import Library
from dialogue.matching import Matcher
from tests.test_chat_markup import ask


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        (
            "chickenpox-03",
            "Because knowing where you might have picked this up helps me, has anyone around you had a rash like this"
            " lately?",
            {"exposure"},
        ),
        (
            "chickenpox-03",
            "As this can rarely affect the brain, have you been confused or had a stiff neck, and since the mouth can"
            " be involved, are you managing to drink?",
            {"no-neuro", "ros"},
        ),
        (
            "chickenpox-03",
            "Since the lungs are what concern me most in adults, I take it you've had no cough or breathlessness?",
            {"no-chest"},
        ),
        (
            "chronic-lichen-03",
            "Because related rashes can show up in the mouth and nails, have you noticed white patches inside your"
            " cheeks, or any changes to your nails?",
            {"no-white-mouth", "no-nail-change"},
        ),
        (
            "conjunctivitis-01",
            "As a change in your sight would make me more concerned, has your vision been affected?",
            {"vision"},
        ),
        ("dental-calculus-02", "I reckon you're a big tea drinker, yeah?", {"social"}),
        (
            "abscess-02",
            "Has she ever had a lump like this before, and does anyone else in the house get the same class of thing?",
            {"past-history", "family"},
        ),
        (
            "allergic-contact-dermatitis-02",
            "Any trouble breathing or swallowing, and are you breaking out in hives anywhere else on your body?",
            {"no-airway", "no-welts"},
        ),
    ],
)
def test_a_question_in_these_voices_gets_its_answer(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert expected <= set(facts), (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("acne-01", "So what has himself been going through with the skin? Start wherever you like."),
        ("chalazion-02", "Tell me about this bump on his eyelid - what's the story?"),
    ],
)
def test_an_invitation_gets_the_story_without_a_dont_know(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    """dev58: "No idea, to be honest!" before the story, and "Hmm, I honestly couldn't tell you." on a8ab286."""
    reply, facts = ask(library, matcher, case_id, question)
    said = reply.lower()
    assert "narrative" in facts and not any(w in said for w in ("no idea", "couldn't tell", "don't know")), reply


def test_an_unrelated_symptom_behind_a_reason_is_denied(library: Library, matcher: Matcher) -> None:
    """dev58: the reason's "viral illnesses" pulled the childhood-chickenpox fact on a8ab286."""
    reply, facts = ask(
        library, matcher, "chickenpox-03", "Because some viral illnesses upset the gut too, have you had any diarrhoea?"
    )
    assert facts == [] and reply.lower().startswith("no"), (facts, reply)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Because some creams can cause this, which ones have you used?", "creams"),
        ("As thick yellow pus would point to bacteria, I take it there's been plenty of that?", "pus"),
        ("Since the rash started, have you had a fever?", "rash started"),
    ],
)
def test_a_reason_the_question_needs_is_kept(text: str, kept: str) -> None:
    assert kept in plain_words(text), plain_words(text)


def test_a_reason_before_a_question_is_not_what_is_asked() -> None:
    (part,) = parts_of("Since these can run in families, does anyone at home have something similar?")
    assert part.question and "family" in part.intents, part


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        ("herpes-01", "Is there any drug that does not agree with your body?", {"allergies"}),
        ("onycholysis-02", "You yourself think this one come from what?", {"idea"}),
        ("psoriasis-01", "Could you ask him what he thinks has brought this on?", {"idea"}),
        (
            "tonsillitis-03",
            "As I'm worried you might be getting dry, how much have you managed to drink in the past day, and when did"
            " you last pass water?",
            {"fluids", "dehydration"},
        ),
        (
            "tonsillitis-03",
            "Because a muffled voice or noisy breathing would make this an emergency, I take it you've had neither?",
            {"no-voice-change"},
        ),
    ],
)
def test_a_dev59_question_in_the_eight_voices_gets_its_answer(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    """dev59 (all eight voices of this session), answered wrongly or not at all on c149691."""
    reply, facts = ask(library, matcher, case_id, question)
    assert expected <= set(facts), (facts, reply)


def test_an_irish_invitation_gets_the_story(library: Library, matcher: Matcher) -> None:
    """dev59: "Hmm, I honestly couldn't tell you." before the story on c149691."""
    reply, facts = ask(
        library, matcher, "keratosis-pilaris-02", "Right so, what has you in with us today? Tell me all about it."
    )
    assert "narrative" in facts and "couldn't tell" not in reply.lower(), (facts, reply)


def test_a_lab_result_the_patient_cannot_know_is_not_known(library: Library, matcher: Matcher) -> None:
    """dev59: "sometimes there's yellowish stuff on my sock" on c149691."""
    reply, facts = ask(
        library, matcher, "ingrown-nail-02", "When the fluid from your toe was tested, what germ did it grow?"
    )
    assert facts == [], (facts, reply)
