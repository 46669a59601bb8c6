"""A doctor who talks to a voice interface reaches the patient through speech-to-text (issue 10): no question
marks, fillers ("um", "uh"), false starts ("do you, have you been ..."), contractions without apostrophes (read
with the text-chat spellings of lexicon.LAY_WORDS) and run-on questions. The patient answers every part as it would the typed question. Questions verbatim from the dev28
set (a speech-to-text doctor), answered on the fixed cases of the repo; each failed before speech.py.
"""

from __future__ import annotations

import pytest

from dialogue.agents.speech import is_spoken, plain_speech, spoken_sentences
from dialogue.content.cases import Library
from dialogue.matching import Matcher
from tests.test_chat_markup import ask


@pytest.mark.parametrize(
    ("spoken", "typed"),
    [
        ("um do you know what his haemoglobin was", "do you know what his haemoglobin was"),
        ("okay do you, have you been wearing gel nails", "okay have you been wearing gel nails"),
        ("when did the, sorry, how long has it been", "how long has it been"),
        ("and there's none near his eyes im guessing", "and there's none near his eyes I'm guessing"),
        ("IM injection given?", "IM injection given?"),
        ("how's he feeding um is he putting the weight on okay", "how's he feeding? is he putting the weight on okay"),
        ("Did you go to the ER? Is it bigger than 6 mm?", "Did you go to the ER? Is it bigger than 6 mm?"),
        ("how long have you had it", "how long have you had it"),
    ],
)
def test_a_transcript_reads_as_the_typed_question(spoken: str, typed: str) -> None:
    assert plain_speech(spoken) == typed


def test_a_spoken_turn_is_cut_into_questions_and_statements() -> None:
    turn = "okay so um red swollen gums at the front when did you first notice that and does it hurt him at all"
    assert is_spoken(turn) and not is_spoken("Use it twice a day.\nFINAL DIAGNOSIS: gingivitis")
    assert spoken_sentences(turn) == [
        "okay so red swollen gums at the front.",
        "when did you first notice that and does it hurt him at all?",
    ]


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        (
            "ingrown-nail-01",
            "has he had anything for the pain and uh is he allergic to any medicines",
            {"meds", "allergies"},
        ),
        (
            "stye-02",
            "has she had a temperature and uh is the redness spreading across her cheek",
            {"no-fever", "no-spread"},
        ),
        (
            "conjunctivitis-03",
            "when did it start up this time and um have you tried any eye drops yet",
            {"onset", "meds"},
        ),
        ("molluscum-contagiosum-01", "okay and does he have uh eczema or sort of dry skin generally", {"atopy"}),
        ("molluscum-contagiosum-01", "and there's none near his eyes im guessing", {"no-eye"}),
        ("onycholysis-01", "okay do you, have you been wearing gel or acrylic nails at all", {"nails-history"}),
        ("hives-02", "does anyone in the family have food allergies", {"family"}),
        (
            "chalazion-03",
            "so the warm compresses um how did you get on with them how often were you doing them",
            {"adherence"},
        ),
        ("acne-01", "What d'you think's causing it?", {"idea"}),  # dev30, a hurried doctor
    ],
)
def test_every_spoken_question_is_answered(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert expected <= set(facts), (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("seborrheic-dermatitis-01", "uh do you know what his haemoglobin level was"),
        ("periodontitis-03", "um do you know what your inr was last time"),
        ("gingivitis-03", "Know his platelet count?"),  # dev30, a hurried doctor
    ],
)
def test_a_spoken_question_about_an_unknown_result_is_not_a_remark(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [] and not reply.lower().startswith(("okay", "right")), (facts, reply)
