"""Named products, results never told, lead-ins and Jamaican English (issue 10). An Indian English doctor, an
Australian GP, a doctor with a medical student and a doctor looking at photos (dev92), and a Jamaican doctor, a
Spanish doctor speaking English, a terse hospital doctor and a chatty doctor (dev94, mostly about what the cases
lack), read fresh on 2eba8bb: "did you put on him some new insect repellent or sun cream?" got his inhaler; "Don't
suppose you'd know which strain of virus is behind these?" got the patient's idea of the cause; "Tell me, he uses
still the dummy, or he sucks the thumb?" got "I honestly couldn't tell you"; "Tell mi di whole story from di start,
nuh?" got "No, none of that". Questions verbatim, answered on the fixed cases of the repo; each was answered wrongly
on 2eba8bb except the guards, which were answered rightly and still are.
"""

from __future__ import annotations

import pytest

from dialogue.content.cases import Library
from dialogue.matching import Matcher
from tests.test_chat_markup import ask

_DONT_KNOW = ("haven't checked", "don't know", "no idea", "not sure", "couldn't tell")


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("allergic-contact-dermatitis-01", "Anybody else inna yuh yard come out wid a rash like dis?"),
        (
            "allergic-contact-dermatitis-03",
            "On the camping, did you put on him some new insect repellent or sun cream?",
        ),
        ("caries-01", "Has he taken ever some fluoride drops or tablets?"),
        ("caries-01", "Tell me, he uses still the dummy, or he sucks the thumb?"),
        (
            "actinic-keratosis-03",
            "Any time at all yuh did get radiotherapy, di X-ray treatment, pon yuh skin or anywhere else?",
        ),
    ],
)
def test_what_the_case_lacks_gets_a_plain_no(library: Library, matcher: Matcher, case_id: str, question: str) -> None:
    """Someone at home with a rash like this, a product the case never names, X-ray
    treatment (not an X-ray result) and "Tell me, he uses ...?" (a lead-in, not an invitation): a plain no."""
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [], (facts, reply)
    assert not any(d in reply.lower() for d in _DONT_KNOW), reply


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("warts-02", "Don't suppose you'd know which strain of virus is behind these, would you?"),
        ("abscess-01", "Do you know if it's the MRSA strain of staph or the ordinary one?"),
        ("abscess-03", "Do you know whether the pus has grown MRSA?"),
    ],
)
def test_a_strain_or_a_culture_never_told_is_not_known(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [], (facts, reply)
    assert any(d in reply.lower() for d in _DONT_KNOW), reply


@pytest.mark.parametrize(
    ("case_id", "question", "wanted"),
    [
        (
            "abscess-01",
            "Have you had one of these before? And has anyone at the footy club had the same thing?",
            {"previous", "rugby"},
        ),
        ("acne-02", "Are you on any contraception at the moment?", {"social"}),
        (
            "allergic-contact-dermatitis-01",
            "Wah yuh put pon it so far, and anybody inna yuh family get skin reaction from metal?",
            {"meds", "family"},
        ),
        ("actinic-keratosis-03", "From when yuh first start notice dese likkle scaly spots?", {"onset"}),
        (
            "vitiligo-02",
            "Kindly tell me two things. Is it still spreading or it has stopped now? And in the family, does anybody "
            "have such white patches?",
            {"onset", "family"},
        ),
    ],
)
def test_the_thing_asked_is_answered_and_nothing_else(
    library: Library, matcher: Matcher, case_id: str, question: str, wanted: set[str]
) -> None:
    """Jamaican English, "the footy club", contraception, an anecdote told before a tag question and "tell me two
    things": each part gets the fact asked for, and nothing else."""
    reply, facts = ask(library, matcher, case_id, question)
    assert set(facts) == wanted, (facts, reply)


def test_an_invitation_in_jamaican_english_gets_the_story(library: Library, matcher: Matcher) -> None:
    reply, facts = ask(
        library,
        matcher,
        "allergic-contact-dermatitis-02",
        "Lawd, mi dear, yuh face look sore. Tell mi di whole story from di start, nuh?",
    )
    assert facts, reply
    assert not reply.lower().startswith(("no", "hmm")), reply


@pytest.mark.parametrize(
    ("case_id", "question", "wanted"),
    [
        # guards: someone near the patient with the same trouble, and a relative with what is named, still answered
        ("abscess-01", "Anyone around you had the same?", "rugby"),
        ("vitiligo-02", "Does anybody in the family have white patches like this?", "family"),
        ("chalazion-02", "Has anyone in the family had lumps like this on their eyelids?", "family"),
    ],
)
def test_guards_still_answered(library: Library, matcher: Matcher, case_id: str, question: str, wanted: str) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert wanted in facts, (facts, reply)


def test_a_plain_side_offered_first_is_not_denied(library: Library, matcher: Matcher) -> None:
    """ "Are they just scattered about, or are any of them lined up ...?" asks one thing: the answer is the line of
    warts, not "Nope, nothing like that!" glued before it."""
    reply, facts = ask(
        library,
        matcher,
        "warts-02",
        "Are they just scattered about, or are any of them lined up in a pattern anywhere?",
    )
    assert facts == ["linear"], (facts, reply)
    assert not reply.lower().startswith(("no", "nope")), reply


# dev96 (a Filipino doctor, a doctor who recaps before each question, a formal old-fashioned consultant, a doctor on a
# hands-free phone), read fresh on 5f7d250: a question after a one-sentence recap of the complaint was answered with
# the complaint ("So your baby's eyes are red and gunky, and apart from the eyes, is she feeding okay?" got her
# puffy eyelids).
@pytest.mark.parametrize(
    ("case_id", "question", "wanted"),
    [
        (
            "conjunctivitis-02",
            "So her eyes are red and gunky, and apart from the eyes, is she feeding okay for you?",
            {"feeding"},
        ),
        (
            "conjunctivitis-01",
            "So your right eye's gone red and watery and now the left one is starting too, and I'd like to know whether"
            " there's any discharge and what it's like?",
            {"discharge"},
        ),
    ],
)
def test_a_recap_before_the_question_is_not_asked_about(
    library: Library, matcher: Matcher, case_id: str, question: str, wanted: set[str]
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert wanted <= set(facts) and "onset" not in facts and "lid-swelling" not in facts, (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        (
            "conjunctivitis-01",
            "So both eyes are going red and watery, one after the other, and I'm just wondering, have you been swimming"
            " in a pool at all lately?",
        ),
        (
            "conjunctivitis-02",
            "So red, sticky eyes with yellow gunk, and just checking the rest of her, has she been vomiting at all?",
        ),
    ],
)
def test_after_a_recap_what_the_case_lacks_gets_a_plain_no(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [], (facts, reply)


def test_a_virus_type_is_not_known(library: Library, matcher: Matcher) -> None:
    reply, facts = ask(
        library,
        matcher,
        "conjunctivitis-01",
        "So you've got red watery eyes spreading from right to left, and I'm curious, do you know exactly which virus"
        " type it is, adenovirus type 8 or something else?",
    )
    assert facts == [] and any(d in reply.lower() for d in _DONT_KNOW), (facts, reply)
