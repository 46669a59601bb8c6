"""What a question asks for, read by meaning where the cue words find nothing (issue 10). Doctors' ideas, concerns
and expectations questions, results the patient could not know and family questions about one condition, verbatim
from the dev72 and dev73 sets (read fresh on 0275292, written to ask these kinds in many voices); each was answered
wrongly there: "What do you need from this call?" got "Hmm, I honestly couldn't tell you", "Is there anybody in the
family with sugar diabetes?" got a sister's warts.
"""

from __future__ import annotations

import numpy as np
import pytest

from dialogue.agents.question_kind import KINDS, THRESHOLD, KindModel, load_kind_model, question_kinds
from dialogue.content.cases import Library
from dialogue.matching import Matcher
from tests.test_chat_markup import ask


def test_the_weights_are_trained_on_dev_parts_only() -> None:
    model = load_kind_model()
    assert model is not None
    assert set(model.classes) <= set(KINDS) and "other" in model.classes
    assert model.trained_on and all(p.startswith("dev") for p in model.trained_on)


def test_a_reading_below_the_threshold_or_other_is_no_kind() -> None:
    model = KindModel(
        classes=["other", "idea"],
        coef=np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32),
        intercept=np.zeros(2, dtype=np.float32),
        trained_on=["dev"],
    )
    assert model.kinds(np.array([[0.0, 5.0], [5.0, 0.0], [0.0, 0.0]])) == ["idea", None, None]
    assert model.kinds(np.array([[0.0, 0.1]])) == (["idea"] if THRESHOLD <= 0.52 else [None])


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        (
            "vitiligo-01",
            "I'm hearing that this has been really hard for you. I'm curious which part of it worries you the most.",
            {"concern"},
        ),
        (
            "herpes-01",
            "So you're hoping to leave today with something in particular. Tell me a bit more about that.",
            {"expectation"},
        ),
    ],
)
def test_an_invitation_to_tell_an_idea_concern_or_hope_is_answered(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert expected <= set(facts), (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        (
            "tonsillitis-02",
            "Was the result of any throat swab ever communicated to you, and if so, what did the laboratory report?",
        ),
    ],
)
def test_a_result_the_patient_never_had_is_not_answered_with_a_fact(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [], (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("warts-01", "Is there anybody in the family with sugar diabetes?"),
        ("warts-02", "Is there anyone in the family with epilepsy?"),
        ("herpes-01", "Does anyone in your family have bowel problems, like Crohn's or colitis?"),
        ("keratosis-pilaris-01", "Anybody in the family have heart problems?"),
    ],
)
def test_a_family_question_about_one_condition_the_case_lacks_is_a_plain_no(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [], (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        # guards: a kind of trouble asked with examples keeps the family fact; a question that only sounds like a
        # hope or a worry keeps its own answer
        (
            "vitiligo-03",
            "Does anything autoimmune run in the family - thyroid, patchy hair loss, that kind of thing?",
            {"family"},
        ),
        ("acne-03", "Are you on the pill? And any chance you could be expecting?", {"contraception", "no-pregnancy"}),
        ("seborrheic-dermatitis-02", "Does it come and go? Anything that seems to bring it on?", {"pattern"}),
    ],
)
def test_questions_that_only_sound_like_a_kind_keep_their_answer(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert set(facts) == expected, (facts, reply)


def test_without_the_embedding_model_no_kind_is_read() -> None:
    assert question_kinds(Matcher(use_embeddings=False), ["What do you think it is?"]) == [None]
