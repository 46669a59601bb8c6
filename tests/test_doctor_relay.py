"""Four more doctor voices (issue 10): a doctor consulting through a companion or an interpreter ("Please ask him how
he's been using the cream"), a Singaporean / Malaysian English clinician ("Last time you ever kena this kind of bump
or not?"), a Nigerian English clinician ("Tell me, what is worrying you today?") and a doctor in very plain words.
Questions verbatim from the dev57 set, answered on the fixed cases of the repo; each was answered wrongly or not at
all on 4c6e65d, except the guards (an instruction passed on to the patient asks nothing) and the checks of the same
voices in other words.
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
        ("vitiligo-03", "Please ask him how he's been using the cream, and for how long.", {"treatment"}),
        (
            "vitiligo-03",
            "Ask him where the new patches have come up, and whether they feel numb when he touches them.",
            {"spread", "no-numbness"},
        ),
        ("periodontitis-02", "Please check with her how long her front teeth have been moving apart.", {"spacing"}),
        ("periodontitis-02", "Ask her when she last saw a dentist.", {"social"}),
        ("periodontitis-02", "What does she think is pushing her teeth apart?", {"idea"}),
        ("stye-01", "Last time you ever kena this kind of bump on the eyelid or not?", {"prior-episodes"}),
        (
            "stye-01",
            "You put on contact lens or eye make-up usually? Then smoking, you smoke or not?",
            {"contacts", "work"},
        ),
        ("stye-01", "You yourself think what cause this one ah?", {"idea"}),
        ("stye-02", "Before this, she ever got lump on the eyelid like that or not?", {"pmh"}),
        (
            "stye-02",
            "She can see properly or not? Then the eye itself got gunk coming out?",
            {"vision", "no-discharge"},
        ),
        ("stye-03", "Any medicine you take before and kena allergy?", {"allergies"}),
        ("stomatitis-01", "Good afternoon, you are welcome. Tell me, what is worrying you today?", {"narrative"}),
        (
            "stomatitis-01",
            "How often does this thing be coming? And is there anything you notice that brings it out?",
            {"pattern", "triggers"},
        ),
        ("stomatitis-01", "What do you yourself feel is bringing these sores?", {"idea"}),
        ("stomatitis-02", "Please, what is troubling your mind most about this?", {"concern"}),
        ("molluscum-contagiosum-01", "What do you and your grown-up think made the bumps come?", {"idea"}),
    ],
)
def test_a_question_in_these_voices_gets_its_answer(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert expected <= set(facts), (facts, reply)


def test_an_open_question_relayed_through_a_companion_gets_the_story(library: Library, matcher: Matcher) -> None:
    """dev57: "No, none of that, thankfully." on 4c6e65d."""
    q = "Could you ask her to tell me how her gums and teeth have been since we last saw her?"
    reply, facts = ask(library, matcher, "periodontitis-02", q)
    assert {"spacing", "bleeding", "narrative"} & set(facts), (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("stomatitis-02", "What was her PCV when they checked it last?"),
        ("vitiligo-03", "Ask him what his vitamin B12 level came back as."),
        ("periodontitis-02", "Ask her what her blood pressure reading was the last time it was taken."),
    ],
)
def test_a_value_the_patient_cannot_know_is_not_known(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    """dev57: "Okay, great!" (relayed) and the onset (PCV) on 4c6e65d."""
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [] and not reply.lower().startswith("okay"), (facts, reply)


@pytest.mark.parametrize(
    "text",
    [
        "Tell her to use the cream twice a day, after her bath.",
        "Please ask the pharmacist for a sugar-free one.",
        "Could you ask him to keep the cream off his eyelids?",
    ],
)
def test_an_instruction_passed_on_asks_nothing(text: str) -> None:
    assert not any(p.question for p in parts_of(text)), parts_of(text)


def test_a_plan_passed_on_through_a_companion_stays_a_plan() -> None:
    assert gives_plan("Tell her to use the cream twice a day, after her bath.")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Can you check with him whether it itches?", "character"),
        ("Got allergy to any drug or not?", "allergies"),
        ("You eat any medicine for this already?", "medications"),
        ("Could you ask your mum what she thinks set it off?", "ideas"),
    ],
)
def test_the_same_voices_in_other_words_ask_what_they_ask(text: str, intent: str) -> None:
    (part,) = parts_of(text)
    assert part.question and intent in part.intents, part
