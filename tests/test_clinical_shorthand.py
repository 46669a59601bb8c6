"""A clinician types the way notes are written (issue 10): "PMH? DHx? Allergies?", "Any FHx of atopy?",
"Apyrexial I take it?"; a specialist says "hordeolum", "hepatic", "intraocular pressure". The patient answers
each clipped question, and a history question naming a condition the case never mentions gets a plain no, not the
nearest history fact. Questions verbatim from dev22 (clinician jargon and abbreviations) and dev24 and dev25
(specialists' vocabulary, a verbose chat doctor), answered on the fixed cases of the repo.
"""

from __future__ import annotations

import pytest

from dialogue.agents.shorthand import plain_clinical
from dialogue.content.cases import Library
from dialogue.matching import Matcher
from tests.test_chat_markup import ask


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Any FHx of atopy?", "Any family history of eczema, asthma or hay fever?"),
        ("Any SOB/stridor", "Any shortness of breath or noisy breathing"),
        ("PU-ing normally?", "passing urine normally?"),
        ("F/U in 2/52 if no better", "follow-up in 2 weeks if no better"),
        ("Apyrexial I take it?", "no fever I take it?"),
        ("She began to sob. Wash with soap and/or water.", "She began to sob. Wash with soap or water."),
        ("Any LOC? Where is the location?", "Any loss of consciousness? Where is the location?"),
    ],
)
def test_shorthand_is_spelled_out(text: str, plain: str) -> None:
    assert plain_clinical(text) == plain


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        ("seborrheic-keratosis-03", "PMH? DHx? Allergies?", {"past-history", "meds", "allergies"}),
        ("vitiligo-02", "Regular meds; allergies; how's he getting on at school?", {"meds", "allergies", "school"}),
        ("rosacea-03", "Using any drops/other meds? Allergies?", {"meds", "allergies"}),
        ("stomatitis-02", "Apyrexial I take it?", {"no-fever"}),
        ("chickenpox-01", "Any pyrexia", {"fever"}),
        ("rosacea-03", "CL wearer?", {"contacts"}),
        ("onychomycosis-03", "Any past medical history?", {"pmh"}),
        ("stye-03", "Pyrexial? Erythema spreading onto brow/cheek?", {"no-fever", "no-spread"}),
        ("stye-03", "Regular meds / any abx allergy e.g. pen?", {"meds", "allergies"}),
        ("abscess-01", "Any fevers/rigors; redness spreading or tracking?", {"no-fever", "no-spread"}),
        ("stomatitis-02", "Given any analgesia so far?", {"meds"}),
        ("acne-01", "Any scarring", {"scarring"}),
        ("stye-01", "Have you ever had a hordeolum or a chalazion before?", {"prior-episodes"}),
        ("gingivitis-03", "Allergies? Any medical problems?", {"allergies", "pmh"}),  # dev30: two history facts
        ("herpes-03", "Did the cream you had last time help? And did anyone take a swab?", {"previous-visit"}),
        (
            "onychomycosis-02",
            "Have you ever had any hepatic problems, such as hepatitis or abnormal liver function tests?",
            {"liver"},
        ),
    ],
)
def test_every_clipped_question_is_answered(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert expected <= set(facts), (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("onychomycosis-03", "Any hx of diabetes?"),
        ("rosacea-03", "Any hx of thyroid problems?"),
        ("acne-01", "Any hx of epilepsy?"),
        ("stomatitis-02", "Any hx of eczema?"),
        ("onychomycosis-01", "Thank you for explaining. Just to be thorough, have you ever had gout?"),
        ("seborrheic-keratosis-02", "Thank you. Just to be thorough, have you ever had a stroke?"),
    ],
)
def test_a_history_question_naming_a_condition_not_in_the_case_gets_a_plain_no(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [], (facts, reply)


def test_a_condition_the_case_describes_in_lay_words_still_answers(library: Library, matcher: Matcher) -> None:
    reply, facts = ask(library, matcher, "keratosis-pilaris-01", "Did she have any eczema as a toddler?")
    assert "atopy" in facts, (facts, reply)


def test_a_pressure_nobody_told_the_patient_is_not_known(library: Library, matcher: Matcher) -> None:
    reply, facts = ask(library, matcher, "stye-01", "What was your intraocular pressure at your last eye examination?")
    assert facts == [] and "vision" not in reply.lower(), (facts, reply)
