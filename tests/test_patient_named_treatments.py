"""Questions that name what they ask about, run-on questions with asides, and Singapore English (issue 10). A
Scottish GP, a locum who asks in the negative, an American urgent-care physician, a doctor through an interpreter,
a Welsh GP, a Singaporean doctor, a geriatrician and a doctor who talks in run-on sentences (dev76 and dev77, read
fresh on 66acf0b): "Has she ever taken isotretinoin - Roaccutane?" got the benzoyl peroxide gel; "Anybody give you a
steroid shot or steroid pills for the throat?" got the penicillin; "Has he ever been in hospital or had an operation
for anything?" got "He's healthy, no diabetes"; "Hi, can hear me okay? So what's the problem ah, tell me." got
"Nope, nothing like that!". Questions verbatim, answered on the fixed cases of the repo; each was answered wrongly on
66acf0b except the guards, which were answered rightly and still are. dev80 (a Canadian family physician, a New
Zealand GP, a hurried registrar, a doctor who asks with "or") was read fresh on cd095c9, after the first fixes.
"""

from __future__ import annotations

import pytest

from dialogue.agents.patient import GroundedPatient, PatientContext
from dialogue.content.cases import Library
from dialogue.matching import Matcher
from dialogue.schema import Turn
from tests.test_chat_markup import ask

_DENIALS = ("no", "nope", "not really")


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("acne-02", "Has she ever taken isotretinoin — Roaccutane? Can you ask her that?"),
        ("tonsillitis-03", "Anybody give you a steroid shot or steroid pills for the throat?"),
        ("tonsillitis-03", "Any drugs, anything recreational? No judgment, just gotta ask."),
        ("onycholysis-01", "You've not tried tea tree oil or anything like that on them yourself, no?"),
        ("vitiligo-03", "You taking any supplements, vitamins, herbal stuff?"),
        ("ingrown-nail-01", "Has he ever been in hospital or had an operation for anything?"),
        ("chalazion-03", "And you've never had an operation on your eyes — laser, cataracts, anything like that?"),
        ("onycholysis-01", "No diabetes, nothing like that?"),
        ("chickenpox-01", "Ask her if she has put any cream or lotion on the spots yet."),
        (
            "ingrown-nail-01",
            "And you've no' been putting anything on it yourselves — antiseptic cream, salt water soaks?",
        ),
        # dev80, read fresh on cd095c9
        ("acne-03", "You're not taking any protein powders or gym supplements, are you?"),
        ("caries-02", "Have you tried any clove oil or numbing gel on it? No?"),
        (
            "allergic-contact-dermatitis-03",
            "And you haven't given him any antihistamine by mouth, no syrup or anything?",
        ),
        ("eczema-02", "Has anyone in the flat been itching too, or had scabies, or anything catching?"),
        ("conjunctivitis-02", "Has anyone visiting had cold sores, or a cough, or a cold?"),
        ("chickenpox-03", "Bleeding disorders in the family? None?"),
        ("chronic-lichen-03", "Ever broken that wrist? Surgery on it?"),
    ],
)
def test_what_the_case_lacks_by_name_gets_a_plain_no(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    """A closed question naming a treatment, an operation or a condition the case does not have is answered "No",
    not with the medicines or history the case does have."""
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [], (facts, reply)
    assert reply.lower().startswith(_DENIALS), reply


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        (
            "keratosis-pilaris-03",
            "Are you taking any, um, supplements? Protein, that kind of thing? And - sorry to ask - have you ever used "
            "steroids for training?",
            {"other-meds", "no-steroid"},
        ),
        ("gingivitis-01", "You're not on any blood thinners or regular tablets, I take it?", {"meds"}),
        (
            "allergic-contact-dermatitis-01",
            "Let me check: you've been using a steroid cream from the pharmacy - correct? And do you have any allergies "
            "to medicines?",
            {"meds", "allergies"},
        ),
        (
            "chickenpox-03",
            "Nothing wrong with your immune system and you're not on steroids or anything like that, I take it?",
            {"no-immunosuppression"},
        ),
        (
            "actinic-keratosis-03",
            "Is there any history of organ transplantation, or of treatment with immunosuppressive agents, that I "
            "ought to be aware of?",
            {"transplant"},
        ),
        ("molluscum-contagiosum-02", "You haven't been putting anything on them yourself, have you?", {"meds"}),
    ],
)
def test_a_treatment_the_case_has_is_still_told(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    """Guards: the whey protein is a supplement, regular tablets are any tablets, the cream used is told whatever
    the doctor guessed it was, a denial of immune medicines answers "not on steroids?", a transplant is history."""
    reply, facts = ask(library, matcher, case_id, question)
    assert expected <= set(facts), (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        (
            "contact-dermatitis-01",
            "What are you putting on them at the moment, anything from a doctor or just stuff off the shelf, and, "
            "sorry, I should have asked this first really, are you allergic to any medicines, or have you ever "
            "reacted to hair dye or anything at the salon?",
            {"meds", "allergies"},
        ),
        (
            "dental-calculus-01",
            "Do your gums ever bleed when you brush, even just a bit of pink in the sink, and then, thinking about "
            "what you drink during the day while you're out on the road, are there a lot of fizzy or sugary drinks "
            "going on?",
            {"ros-gums", "diet"},
        ),
        (
            "eczema-01",
            "How's she feeding, still on the breast, started solids yet, and, this is a separate thing, has she ever "
            "reacted straight away to something she's eaten, lips swelling up, being sick, anything like that?",
            {"feeding", "no-food-reaction"},
        ),
        ("chronic-lichen-01", "How have things been for you lately? In your life, I mean. Any strain?", {"stress"}),
        ("chronic-lichen-01", "It itches only there. Nowhere else on you. Is that right?", {"no-generalised-itch"}),
    ],
)
def test_every_question_of_a_run_on_is_answered(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    """The question after an aside ("and, sorry, I should have asked this first really, are you ...") is asked."""
    reply, facts = ask(library, matcher, case_id, question)
    assert expected <= set(facts), (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        ("acne-01", "What's worrying you most about it all, love? Tell me straight.", ["concern"]),
        ("conjunctivitis-01", "What were you hoping for today? What would help you most?", ["expectation"]),
        (
            "contact-dermatitis-01",
            "What do you reckon is behind it, because you've probably got a theory, most people do, and it's genuinely"
            " useful for me to know even if you think it sounds daft?",
            ["idea"],
        ),
    ],
)
def test_ideas_concerns_and_expectations_come_alone(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: list[str]
) -> None:
    """ "Tell me straight" is no new question, "what would help you most" is the expectation, and "it's useful for me
    to know" asks nothing: the reply carries no other topic."""
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == expected, (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("chalazion-01", "Hi, can hear me okay? So what's the problem ah, tell me."),
        ("caries-01", "Okay Mummy, what's happening with him? Tell me from the start, can or not?"),
        ("chronic-lichen-01", "Hello. Tell me what the trouble is. Start at the beginning. Go slowly."),
        ("chickenpox-03", "Quickly, what's happened?"),
        (
            "allergic-contact-dermatitis-03",
            "Right, how's the wee man getting on? Tell me what's been going on with this rash.",
        ),
        # dev82 (a Hong Kong English doctor, a Jamaican-trained GP, a rural Australian GP, a lowercase texter), read
        # fresh on 7d4be52
        ("hives-02", "Righto, tell me what's happened with the little fella."),
        ("eczema-03", "Come, sit down. So how the skin been treating you since last time?"),
        (
            "dental-calculus-03",
            "Hello Mum, how you keeping? Come, tell me what's been happening with this young man's teeth.",
        ),
    ],
)
def test_the_story_is_told_without_a_denial(library: Library, matcher: Matcher, case_id: str, question: str) -> None:
    """Told by a sanguine patient, who says "I honestly couldn't tell you" to a part it has nothing for."""
    case = library.cases[case_id]
    seat = GroundedPatient(PatientContext(case, library.personas["sanguine"], [], None, 1), matcher)
    turns = [
        Turn(index=0, seat="patient", text=case.general_complaint, by="t"),
        Turn(index=1, seat="doctor", text=question, by="t"),
    ]
    facts = seat.facts_for(turns)
    reply = seat.compose(turns, facts)
    assert [f.id for f in facts] == ["narrative"], (facts, reply)
    assert not any(w in reply.lower() for w in ("couldn't tell", "no idea", "not really", "nope")), reply


def test_a_condition_beside_the_blood_pressure_is_no_reading(library: Library, matcher: Matcher) -> None:
    reply, _ = ask(library, matcher, "seborrheic-keratosis-03", "And no diabetes on top of the blood pressure, no?")
    assert "checked" not in reply.lower(), reply


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("abscess-03", "Any idea how deep that pocket of pus goes under the skin, like in centimetres?"),
        ("caries-02", "Do you know how deep the hole goes, like how close it's got to the nerve?"),
    ],
)
def test_a_depth_nobody_measured_is_not_known(library: Library, matcher: Matcher, case_id: str, question: str) -> None:
    """dev80 on cd095c9: "Any idea how deep ...?" got the patient's idea of the cause, "Do you know how deep the hole
    goes?" the pain."""
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [], (facts, reply)
    assert "checked" in reply.lower() or "know" in reply.lower(), reply


def test_others_at_home_are_still_told(library: Library, matcher: Matcher) -> None:
    """Guard: a question about others at home is answered by the fact about them."""
    reply, facts = ask(library, matcher, "conjunctivitis-01", "Is anyone at home or at nursery affected?")
    assert facts == ["son-contact"], (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        ("ingrown-nail-02", "you on any meds at all. and any allergies to antibiotics", ["meds", "allergies"]),
        ("ingrown-nail-02", "whatve you tried for it so far. also are you diabetic or anything", ["self-care", "pmh"]),
        ("hives-02", "Has he had peanuts before, d'you reckon?", ["first-peanut"]),
        (
            "gingivitis-03",
            "Does he breathe through his mouth much, d'you reckon? Nose blocked a lot?",
            ["mouth-breathing"],
        ),
        # guard: a reflective summary with capitals and full stops is no typed question
        (
            "herpes-01",
            "So you're hoping to leave today with something in particular. Tell me a bit more about that.",
            ["expectation"],
        ),
    ],
)
def test_dev82_voices_get_what_they_ask(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: list[str]
) -> None:
    """dev82 on 7d4be52: a lowercase texter who ends questions with full stops got only the last question answered;
    "d'you reckon?" added the patient's idea of the cause."""
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == expected, (facts, reply)
