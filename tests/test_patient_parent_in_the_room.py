"""A parent addressed in the room, follow-up visits, gentle invitations and named treatments (issue 10). A Welsh GP,
a Canadian family doctor, a brisk American emergency physician and a doctor talking to a teenager with a parent in
the room (dev84), and a Pakistani English doctor, a German doctor speaking English, a sports-club doctor and a gentle
palliative-care doctor (dev86, mostly about what the cases lack), read fresh on 7bc28ba: "Mum, any idea?" after a
question about liver tests got the patient's own idea of the cause; "Go on, you tell me, not Mum." got the father's
psoriasis; "Do you want to start by telling me what's been happening?" got "Alright."; "Would you like to tell me
what's been troubling you with your mouth?" got "No."; "Haven't had a course of antibiotics for the gums, have you?"
got the mouthwash. Questions verbatim, answered on the fixed cases of the repo; each was answered wrongly on 7bc28ba
except the guards, which were answered rightly and still are.
"""

from __future__ import annotations

import pytest

from dialogue.content.cases import Library
from dialogue.matching import Matcher
from tests.test_chat_markup import ask

_DONT_KNOW = ("haven't checked", "don't know", "no idea", "not sure", "couldn't tell")


@pytest.mark.parametrize(
    ("case_id", "question", "wanted"),
    [
        ("psoriasis-01", "Is it itchy or sore at all? Go on, you tell me, not Mum.", {"itch"}),
        (
            "psoriasis-01",
            "It's not spread all over you, has it, just the elbows and knees? Mum, that right?",
            {"no-widespread"},
        ),
        ("lichen-planus-02", "Tell me about the itching, how bad is it getting?", {"itch"}),
        ("onychomycosis-03", "May I gently ask about the skin between his toes? How has that been?", {"toe-webs"}),
        (
            "onycholysis-03",
            "May I ask a little about your family? Has anyone had any health conditions that you know of?",
            {"family"},
        ),
        ("periodontitis-02", "Did those bloods come back alright from last time?", {"prior-visit"}),
        (
            "mycosis-02",
            "In the gym what type of clothes you are wearing, and how long you are staying in them?",
            {"gym"},
        ),
    ],
)
def test_the_thing_asked_is_answered_and_nothing_else(
    library: Library, matcher: Matcher, case_id: str, question: str, wanted: set[str]
) -> None:
    """A parent addressed by name, "How has that been?" after a question, "Tell me about X, how bad ...?", "Has anyone
    had ...?" after a question about the family, a result the patient was told was normal: each is answered with
    the fact asked for, and nothing from another topic."""
    reply, facts = ask(library, matcher, case_id, question)
    assert set(facts) == wanted, (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        (
            "psoriasis-01",
            "Hi both, thanks for joining the call. Do you want to start by telling me what's been happening? Mum, you "
            "can chip in after.",
        ),
        (
            "periodontitis-03",
            "There's no hurry at all. Would you like to tell me what's been troubling you with your mouth?",
        ),
        ("periodontitis-02", "Right, good to have you back. How've the gums been since we last had a look?"),
        ("molluscum-contagiosum-03", "Okay beta, tell me, what is the problem you are having? Tell me from the start."),
    ],
)
def test_a_gentle_or_follow_up_invitation_gets_the_story(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    """An invitation put as an offer ("Would you like to tell me ...?", "Do you want to start by telling me ...?") or
    as a follow-up ("How've the gums been since we last had a look?") gets the story, not "No." or "Alright."."""
    reply, facts = ask(library, matcher, case_id, question)
    assert facts, reply
    assert not reply.lower().startswith(("no", "alright", "hmm", "don't know")), reply


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("psoriasis-01", "Do you know what your liver blood tests showed, the numbers? Mum, any idea?"),
        ("ingrown-nail-01", "Any idea what they grew off the swab of that yellow stuff, is it?"),
    ],
)
def test_a_result_never_told_is_not_known(library: Library, matcher: Matcher, case_id: str, question: str) -> None:
    """ "Any idea?" after a question about a result asks whether it is known, not the patient's idea of the cause."""
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [], (facts, reply)
    assert any(d in reply.lower() for d in _DONT_KNOW), reply


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("nail-dystrophy-02", "Have you given her already some vitamin or calcium tablets?"),
        ("periodontitis-02", "Haven't had a course of antibiotics for the gums, have you?"),
        ("nail-dystrophy-03", "Haven't necked anything stronger? No codeine off a mate?"),
        ("periodontitis-02", "You're not a vaper, are you?"),
        ("keratosis-pilaris-03", "Any patches where your hair's been falling out? Mum, seen anything like that?"),
    ],
)
def test_what_the_case_lacks_gets_a_plain_no(library: Library, matcher: Matcher, case_id: str, question: str) -> None:
    """A named treatment, a habit or a symptom the case lacks, asked of a teenager with a parent addressed, or put
    as "have you given her some ...?", is answered "No" and not with the medicines, the smoking or the family."""
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [], (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question", "wanted"),
    [
        # guards: a parent named as a relative in a list is still asked about; vaping is told where the case says it
        ("psoriasis-01", "Anyone in the family with skin like this - your brother, dad?", "family"),
        ("gingivitis-01", "Do you vape?", "social"),
        ("onychomycosis-02", "What medicines do you take?", "meds"),
        # "what have you noticed?" after a question asks the parent about the same thing, not for the whole story
        (
            "molluscum-contagiosum-02",
            "Sweetheart, do the red ones hurt when you touch them? Mum, what have you noticed?",
            "change",
        ),
    ],
)
def test_guards_still_answered(library: Library, matcher: Matcher, case_id: str, question: str, wanted: str) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert wanted in facts, (facts, reply)


# dev88 (a Yorkshire GP, a Ghanaian English doctor, a doctor reading an online intake form aloud, a hurried locum),
# read fresh on 27d90bf: every question read out of the form in quotes ("Question 3: 'How long have you had this
# problem?'") got "Right, got it!".
@pytest.mark.parametrize(
    ("case_id", "question", "wanted"),
    [
        ("seborrheic-dermatitis-02", "Question 3: 'How long have you had this problem?'", {"onset"}),
        (
            "seborrheic-dermatitis-02",
            "Section on medicines: 'List any medicines, creams or shampoos you have used, including over-the-counter"
            " ones.'",
            {"meds"},
        ),
        (
            "seborrheic-dermatitis-03",
            "The last box: 'What would you like to get from today's appointment?'",
            {"expectation"},
        ),
        (
            "seborrheic-keratosis-01",
            "Question 6, allergies: 'Please list any allergies and the reaction you had.'",
            {"allergies"},
        ),
        ("seborrheic-dermatitis-01", "Please, how is the baby feeding?", {"feeding"}),
    ],
)
def test_a_form_read_aloud_and_a_plain_how_question_are_answered(
    library: Library, matcher: Matcher, case_id: str, question: str, wanted: set[str]
) -> None:
    """A form's question read out in quotes after its label is asked as if said; "How is the baby feeding?" is
    answered by the one fact written for it, though the ranker is unsure."""
    reply, facts = ask(library, matcher, case_id, question)
    assert set(facts) == wanted, (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        (
            "rosacea-02",
            "You are welcome back, sir. How is the body? Please, tell me how things have been since we last met.",
        ),
        (
            "seborrheic-keratosis-02",
            "Right, sorry, running a bit behind. You're back about the lump, yeah? Give me the story so far.",
        ),
        (
            "seborrheic-dermatitis-03",
            "Right, this is the follow-up questionnaire. Part A: 'Since your last appointment, how has your skin been?"
            " Please describe.'",
        ),
    ],
)
def test_greetings_and_a_visit_checked_before_the_invitation_get_only_the_story(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    """ "How is the body?", "You're back about the lump, yeah?" and a form's follow-up question are said before the
    invitation: the reply is the story, not "Nope" or "Don't know" and then the story."""
    reply, facts = ask(library, matcher, case_id, question)
    assert facts, reply
    assert not reply.lower().startswith(("no", "don't know", "hmm")), reply


def test_a_fever_question_is_not_answered_by_low_spirits(library: Library, matcher: Matcher) -> None:
    """ "Any other complaint? Have you been having fever or chills this past week?" got "It gets me down, I avoid
    having my photo taken." (rosacea-02, dev88)."""
    reply, facts = ask(
        library, matcher, "rosacea-02", "Any other complaint? Have you been having fever or chills this past week?"
    )
    assert facts == [], (facts, reply)


def test_a_question_about_spirits_still_gets_them(library: Library, matcher: Matcher) -> None:
    reply, facts = ask(library, matcher, "acne-03", "Is it getting you down at all, love?")
    assert facts == ["mood"], (facts, reply)


# dev90 (a French doctor speaking English, a Southern US family doctor, an over-apologetic junior doctor, a doctor who
# offers options to pick from; mostly about what the cases lack), read fresh on fc65e70.
@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        (
            "seborrheic-keratosis-03",
            "You have not tried to take it off yourself, with one of these wart products from the pharmacy, no?",
        ),
        (
            "seborrheic-keratosis-03",
            "In your work, on the bus, you are not in contact with chemical products, oils, tar, things like this?",
        ),
        ("stomatitis-03", "You're not one for chewin' tobacco or dip, are ya?"),
        ("tonsillitis-01", "Sorry, I know you said you don't smoke, but you don't vape either, do you?"),
        ("vitiligo-01", "Do you use a sunbed: regularly, now and then, or never?"),
        ("vitiligo-01", "Has a doctor ever told you you have diabetes or anaemia: yes, no, or not sure?"),
    ],
)
def test_what_the_case_lacks_in_the_dev90_voices_gets_a_plain_no(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    """A treatment named inside a product ("wart products"), contact with chemicals (not with people), chewing tobacco
    (not smoking), vaping after "I know you said you don't smoke", options offered after a colon, and a past-history
    question that names its conditions (not a probe for the diagnosis): each gets a plain no."""
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [], (facts, reply)
    assert "what it is" not in reply, reply


@pytest.mark.parametrize(
    ("case_id", "question", "wanted"),
    [
        ("stomatitis-02", "What've y'all been givin' her for the hurtin' so far?", "meds"),
        ("stye-01", "Well hey there, darlin'. What's goin' on with that eye of yours?", "narrative"),
        (
            "tonsillitis-02",
            "Tell me what's been happening. Start wherever you like: her throat, her temperature, or whatever worried"
            " you most.",
            "narrative",
        ),
        ("shingles-03", "Alors, since last week, what has changed? Tell me everything.", "narrative"),
        ("stomatitis-01", "So, explain me, what is the problem in the mouth?", "narrative"),
    ],
)
def test_the_dev90_voices_are_answered(
    library: Library, matcher: Matcher, case_id: str, question: str, wanted: str
) -> None:
    """A dropped g with its apostrophe ("givin'", "goin'"), "darlin'", "Alors", "explain me", and options offered
    after an invitation: the question is answered, and the story is not "No idea" first."""
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [wanted], (facts, reply)
    assert not reply.lower().startswith(("no idea", "don't know", "hmm")), reply
