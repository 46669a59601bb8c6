"""Pleasantries, follow-up invitations and the patient's words quoted back (issue 10). A chatty family doctor, a
Scottish GP, an Australian GP and a doctor who echoes the patient's words (dev70 and dev71, read fresh on 357f12b):
"Hello there, can you hear me all right? Grand. So how're you keeping, and what's the bother with the teeth?" got
"Nope, nothing like that!" and the gum recession; "So how've things been going since last time?" got "No, none of
that, thankfully."; "You said it's 'come back' - what goes through your mind ...?" got "No idea, to be honest!".
Questions verbatim, answered on the fixed cases of the repo; each was answered wrongly on 357f12b.
"""

from __future__ import annotations

import pytest

from dialogue.agents.intent import parts_of, without_pleasantries
from dialogue.content.cases import Library
from dialogue.matching import Matcher
from tests.test_chat_markup import ask


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        (
            "periodontitis-01",
            "Hello there, can you hear me all right? Grand. So how're you keeping, and what's the bother with the teeth?",
            {"narrative"},
        ),
        ("psoriasis-03", "Good to see you again. So how've things been going since last time?", {"narrative"}),
        (
            "conjunctivitis-03",
            "Hello again, lovely to see you, come on in - so it's been a couple of weeks since I saw you last, hasn't "
            "it, go on then, tell me how everything's been going since then?",
            {"narrative"},
        ),
        (
            "seborrheic-dermatitis-03",
            "You said it's 'come back' - what goes through your mind when it comes back like that?",
            {"concern"},
        ),
        ("rosacea-01", "What sorts of things make you go red, would you reckon?", {"triggers"}),
    ],
)
def test_the_question_after_the_pleasantries_is_answered(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert expected <= set(facts), (facts, reply)


@pytest.mark.parametrize(
    "question",
    [
        "Hello there, how are you keeping? What's brought you on the call today?",
        "Come in and sit yourself down. How're you keeping since I saw you? What's the story with the teeth now?",
    ],
)
def test_a_greeting_before_the_invitation_gets_no_denial(library: Library, matcher: Matcher, question: str) -> None:
    """The greeting is not answered with "I honestly couldn't tell you" before the story."""
    reply, facts = ask(library, matcher, "periodontitis-03", question)
    assert facts == ["narrative"], (facts, reply)
    assert not any(w in reply.lower() for w in ("couldn't tell", "no idea", "not really", "nope")), reply


def test_pleasantries_stay_when_nothing_else_is_said() -> None:
    assert without_pleasantries("Hello there, lovely to see you!") == "Hello there, lovely to see you!"
    assert without_pleasantries("Hello there, how are you?") == "how are you?"  # still invites the story
    assert without_pleasantries("Hi, can you hear me OK? Where is the rash?") == "Where is the rash?"
    assert [p.text for p in parts_of("Good to see you again. Any fever?")] == ["Any fever?"]


def test_a_follow_up_question_keeps_its_topic_named_before_the_dash(library: Library, matcher: Matcher) -> None:
    """ "how's that been going?" after the cream it is about asks how the cream went, not for the story."""
    reply, facts = ask(
        library, matcher, "keratosis-pilaris-03", "And the cream I gave you last time - how's that been going?"
    )
    assert facts == ["treatment-response"], (facts, reply)
