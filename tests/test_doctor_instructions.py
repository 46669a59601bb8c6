"""Doctors who ask without asking (issue 10): statements and instructions ("Describe the spots for me.",
"So no swelling of your face or gums."), an Australian GP ("Are you on any scripts?", "the odd durry"), a doctor
who asks for numbers, and the clinic form's formal requests ("Please indicate which nails are affected").
Questions verbatim from the dev53-dev55 sets, answered on the fixed cases of the repo; each was answered wrongly or
not at all on 891d740, except the guards (an invitation to tell the story, reassurance, a summary of the story).
"""

from __future__ import annotations

import pytest

from dialogue.agents.intent import parts_of
from dialogue.content.cases import Library
from dialogue.matching import Matcher
from tests.test_chat_markup import ask


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        ("hives-02", "Describe the spots for me. And tell me whether his tongue looks swollen at all.", {"appearance"}),
        (
            "allergic-contact-dermatitis-02",
            "Tell me whether you've ever had any trouble with hair dye before.",
            {"previous-dye"},
        ),
        (
            "molluscum-contagiosum-03",
            "I'd like to hear about any medicines you take. And whether you're allergic to anything.",
            {"meds", "allergies"},
        ),
        (
            "periodontitis-01",
            "I need a list of the medicines you take. Also whether you're allergic to any.",
            {"meds", "allergies"},
        ),
        (
            "shingles-02",
            "Please indicate whether any lesions are present on the tip or the side of the nose.",
            {"hutchinson"},
        ),
        (
            "onycholysis-02",
            "Please indicate which nails are affected, including whether the toenails are involved.",
            {"distribution"},
        ),
        (
            "contact-dermatitis-03",
            "Please state what outcome you are hoping for from today's consultation.",
            {"expectation"},
        ),
        ("onycholysis-02", "May I ask what you believe may have caused this?", {"idea"}),
        ("lichen-planus-03", "Have you identified any factors which aggravate the symptoms?", {"triggers"}),
        ("lichen-planus-03", "Do you use, or have you previously used, tobacco in any form?", {"social"}),
        ("rosacea-03", "Talk me through anything that sets your face off flushing.", {"triggers"}),
        (
            "vitiligo-03",
            "Are you on any other scripts at the moment? And how's the thyroid been travelling?",
            {"treatment", "thyroid"},
        ),
        (
            "ingrown-nail-03",
            "Do you still have the odd durry? And who's been doing your toenails - yourself or the missus?",
            {"social"},
        ),
        (
            "chalazion-03",
            "G'day, so how's that eyelid been going since I saw you last?",
            {"narrative"},
        ),
        ("dental-calculus-01", "Tell me about any medicines you take, and any allergies.", {"meds", "allergies"}),
        ("hives-01", "Please describe the nature of your current complaint from its onset.", {"narrative"}),
        ("acne-03", "Out of ten, how much is this getting you down?", {"mood"}),
    ],
)
def test_a_request_or_statement_gets_its_answer(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert expected <= set(facts), (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question", "fact"),
    [
        ("periodontitis-01", "So no swelling of your face or gums.", "no-swelling"),
        ("molluscum-contagiosum-03", "So none on your face.", "no-face"),
        ("rosacea-03", "So nothing went into the eye and you haven't knocked it.", "no-trauma"),
        (
            "allergic-contact-dermatitis-02",
            "And your breathing's fine, no swelling of the tongue or throat.",
            "no-airway",
        ),
    ],
)
def test_a_negative_stated_as_a_summary_is_confirmed(
    library: Library, matcher: Matcher, case_id: str, question: str, fact: str
) -> None:
    """dev53-dev55: each got "Okay, great!" or "Right, got it!" on 891d740, as if nothing had been asked."""
    reply, facts = ask(library, matcher, case_id, question)
    assert fact in facts, (facts, reply)


@pytest.mark.parametrize(
    "text",
    [
        "So no need to worry about it.",
        "So it's not contagious.",
        "So the cream hasn't helped and the patches are now on your feet too.",
        "So you're back because your hands still aren't right even with the creams, and I can imagine that's frustrating.",
    ],
)
def test_reassurance_and_a_summary_of_the_story_ask_nothing(text: str) -> None:
    assert not any(p.question for p in parts_of(text)), parts_of(text)


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("contact-dermatitis-03", "Please state the value of your most recent serum IgE measurement."),
        ("molluscum-contagiosum-03", "Tell me what your CD4 count was at your last check."),
    ],
)
def test_a_value_asked_for_by_request_is_not_known(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    """dev53, dev54: "Okay, great!" and the whole story on 891d740."""
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [] and "checked" in reply, (facts, reply)


def test_describing_a_routine_is_not_the_story(library: Library, matcher: Matcher) -> None:
    """dev54: "Describe your usual routine ..." got the whole story on 891d740; "describe how it all started" still
    invites it."""
    reply, facts = ask(
        library,
        matcher,
        "periodontitis-01",
        "Describe your usual routine for looking after your teeth. Brushing, flossing, dentist visits.",
    )
    assert "narrative" not in facts, (facts, reply)
    assert any(p.open for p in parts_of("Could you describe how your daughter's nails have changed over time?"))


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("conjunctivitis-03", "Have you been abroad in the last month or so?"),
        ("psoriasis-02", "Has she started on any new soaps or washing powder lately?"),
    ],
)
def test_a_circumstance_the_case_lacks_is_denied_not_dated(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    """dev53, dev54: both got when the rash began on 891d740 ("It kicked off about three weeks ago")."""
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [], (facts, reply)


def test_working_out_the_cause_is_not_about_work() -> None:
    (part,) = parts_of("To help me work out the cause, have you used any new products on your hair recently?")
    assert "work" not in part.social_topics
