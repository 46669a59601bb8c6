"""Four more doctor voices (issue 10): requests put as conditions ("If there's been any fever, let me know."), an
Indian-English clinician ("Since how many days you are having this?", "Kindly tell me what all you have applied"),
a Scottish GP ("How are you keeping?", "What's fashing you?", "How are the waterworks?") and a doctor working from
the notes and forms. Questions verbatim from the dev56 set, answered on the fixed cases of the repo; each was
answered wrongly or not at all on c8577cf, except the guards (safety-netting said as a condition stays advice).
"""

from __future__ import annotations

import pytest

from dialogue.agents.intent import gives_plan, parts_of
from dialogue.content.cases import Library
from dialogue.matching import Matcher
from tests.test_chat_markup import ask


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        (
            "molluscum-contagiosum-01",
            "If you can remember roughly when the first ones appeared, let me know.",
            {"onset"},
        ),
        ("molluscum-contagiosum-01", "In case he uses any creams or takes any medicines, list them for me.", {"meds"}),
        (
            "molluscum-contagiosum-01",
            "Should anyone at home have had bumps like these, I'd want to hear about it.",
            {"sibling"},
        ),
        (
            "molluscum-contagiosum-01",
            "If he's allergic to anything, tell me. And if he's had any skin trouble before this, I'd like to know that"
            " as well.",
            {"allergies", "atopy"},
        ),
        ("molluscum-contagiosum-01", "If something in particular is worrying you about them, do tell me.", {"concern"}),
        ("dental-calculus-03", "If you have your own theory about what's causing it, do share it.", {"idea"}),
        ("shingles-03", "If you're allergic to any medicines, tell me which.", {"allergies"}),
        ("shingles-03", "If you've a notion of what's brought the rash on, I'm happy to hear it.", {"idea"}),
        ("warts-01", "Since how many months he is having these bumps?", {"onset"}),
        ("warts-01", "Kindly tell me what all you have applied on it so far.", {"treatment"}),
        ("warts-01", "What you are thinking, from where he has got these?", {"idea"}),
        ("warts-03", "How many sittings of freezing you had and what happened after?", {"cryo"}),
        ("warts-03", "What you were expecting we will do for it this time?", {"expectation"}),
        ("shingles-01", "What's fashing you most about it?", {"concern"}),
        ("tonsillitis-01", "Anybody in your flat been poorly with the same?", {"halls"}),
        ("tonsillitis-03", "How are the waterworks? Are you passing much?", {"dehydration"}),
        (
            "ingrown-nail-02",
            "There's nothing in the notes about diabetes - do you have it? And has anything been coming out of it, as"
            " the form doesn't say?",
            {"pmh", "discharge"},
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
        ("molluscum-contagiosum-01", "If he's been abroad anywhere recently, let me know."),
        ("shingles-03", "If you've been bitten by an insect or a tick lately, mention it."),
    ],
)
def test_a_condition_the_case_lacks_is_denied(library: Library, matcher: Matcher, case_id: str, question: str) -> None:
    """dev56: "Oh great, I can do that! Is there a more natural option too?" on c8577cf: read as advice."""
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [] and reply.lower().startswith("no") and not gives_plan(question), (facts, reply)


def test_a_value_asked_for_as_a_condition_is_not_known(library: Library, matcher: Matcher) -> None:
    reply, facts = ask(
        library, matcher, "shingles-03", "If you happen to know your CRP from any blood test, tell me the figure."
    )
    assert facts == [] and "checked" in reply, (facts, reply)


@pytest.mark.parametrize(
    "text",
    [
        "If it gets worse, let me know and we'll review.",
        "If it spreads or you get a temperature, let me know straight away.",
        "If you've any questions, let me know.",
        "If any spot bleeds, changes or gets a ragged edge, come back promptly.",
    ],
)
def test_safety_netting_said_as_a_condition_stays_advice(text: str) -> None:
    assert not any(p.question for p in parts_of(text)) and gives_plan(text), parts_of(text)


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("warts-03", "Okay, tell me how the foot is doing after the freezing treatment."),
        ("tonsillitis-03", "Come away in. How've you been since I saw you?"),
        ("shingles-01", "Right, how are you keeping? Tell me what's been going on."),
        ("warts-02", "Yes, tell me, what is the problem you are facing?"),
        ("tonsillitis-01", "Hiya. So what's been up with you?"),
    ],
)
def test_a_greeting_or_follow_up_invites_the_story(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    """dev56: "Hmm, I honestly couldn't tell you." (and "No idea, to be honest!" before the story) on c8577cf."""
    reply, facts = ask(library, matcher, case_id, question)
    said = reply.lower()
    assert facts and not any(w in said for w in ("don't know", "no idea", "couldn't tell")), (facts, reply)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Any h/o similar complaints in the past?", "past_history"),
        ("Any drug allergy is there?", "allergies"),
        ("From how many days is this there?", "onset"),
        ("Anything that sets it aff?", "triggers"),
        ("Do you take a drink?", "social"),
        ("If you could tell me when it started, that would help.", "onset"),
        ("The questionnaire says you're not on anything - is that still right?", "medications"),
    ],
)
def test_the_same_voices_in_other_words_ask_what_they_ask(text: str, intent: str) -> None:
    (part,) = parts_of(text)
    assert part.question and intent in part.intents, part


def test_sensitivity_to_cold_is_no_allergy() -> None:
    """dev56: "No toothache or sensitivity to cold, I'm assuming." was read as a question about allergies."""
    (part,) = parts_of("No toothache or sensitivity to cold, I'm assuming.")
    assert part.question and "allergies" not in part.intents, part
