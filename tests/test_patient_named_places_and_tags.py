"""Named places and pastimes, history events, germs, "how are the eyes?" and opinion tags (issue 10). A Brazilian,
a Geordie, a Korean and a metaphor-loving doctor (dev98), and a Zimbabwean, a New York, a school-nurse and a military
doctor asking mostly about what the cases lack (dev100), read fresh on 9b04650: "Was he cuddling a dog or a cat at
the party?" got the party; "Your gym got a hot tub or a sauna?" got the showers; "do you know which germ it is? Was
it staph?" got the yellow discharge; "How're the eyes?" got "I honestly couldn't tell you"; "Is there owt that makes
it flare, d'ye reckon?" got the patient's idea of the cause. Questions verbatim, answered on the fixed cases of the
repo; each was answered wrongly on 9b04650 except the guards, which were answered rightly and still are. Later
rounds added dev102 (read on fd4e5c9: "you tell me whole story" got "Right, got it!") and dev104 (read on bed08d2:
"has anyone told you their exact name?" got "No"); their questions join the lists below.
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
        ("eczema-03", "Have ye been away anywhere hot lately, hinny, gettin' a bit of sun on yer face?"),
        ("gingivitis-02", "Are ye usin' any mouthwash at the minute, pet?"),
        ("herpes-01", "Have you had any dental treatment recently, please?"),
        ("hives-02", "Was he cuddling a dog or a cat at the party, any furry friends around?"),
        ("keratosis-pilaris-03", "Your gym got a hot tub or a sauna? You sitting in those after sessions?"),
        ("keratosis-pilaris-03", "You do any grappling? Jiu-jitsu, wrestling, rolling around on mats with other guys?"),
        (
            "lichen-planus-01",
            "Now, we had the flu jab clinic in school this term, and I always wonder about these things... have you "
            "had any vaccinations or jabs yourself in the last couple of months?",
        ),
        ("lichen-planus-02", "Have you ever injected any drugs, or had a blood transfusion at any point?"),
        ("ingrown-nail-02", "Did you maybe go for a pedicure at a salon in the weeks before it got sore?"),
        ("hives-03", "And the tummy, how is it? Any running stomach, cramps, anything like that?"),
        ("ingrown-nail-03", "How're the eyes? Any trouble seeing, blurry vision, anything like that?"),
        ("ingrown-nail-03", "When you walk a couple blocks, you get cramping in the calves, gotta stop and rest?"),
        ("herpes-02", "I must ask, has he had any fits or shaking episodes with the fever?"),
        ("molluscum-contagiosum-01", "Does anyone in the household smoke, indoors or out?"),
        (
            "ingrown-nail-01",
            "After football, does he shower barefoot in the changing rooms, or go to the public swimming pool at all?",
        ),
        ("mycosis-02", "You use some new shower gel or new washing powder recently? Something change?"),
        ("nail-dystrophy-03", "You hurt anything else when that pallet got ya? Wrist, other fingers, anything?"),
        ("nail-dystrophy-03", "You ever bust this finger before? Old fracture, anything?"),
        ("nail-dystrophy-03", "You put ice on it at all since last night?"),
        ("onycholysis-02", "I don't suppose anyone else in your party had any trouble with their nails on the trip?"),
        (
            "periodontitis-01",
            "Tell me, do you grind your teeth at night? Has your wife ever complained of gnashing noises while you sleep?",
        ),
        (
            "seborrheic-dermatitis-03",
            "Have you changed your aftershave or soap lately, anything different from what you used before?",
        ),
    ],
)
def test_what_the_case_lacks_gets_a_plain_no(library: Library, matcher: Matcher, case_id: str, question: str) -> None:
    """A trip, a product, a history event, a pet, a place or pastime the case never names, how a part of the body
    is, a statement asked as a yes/no question, a symptom asked "with the fever", a habit of others in the household,
    an injury asked "when that pallet got ya" and "Tell me, do you ...?" (a lead-in, not an invitation): a plain no,
    not a fact about the party, the showers, the brushing, the fever, the brother's bath or the crush, nor "I
    couldn't tell you"."""
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [], (facts, reply)
    assert not any(d in reply.lower() for d in _DONT_KNOW), reply


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        (
            "ingrown-nail-01",
            "The yellow stuff coming out, do you know which germ it is? Was it staph, or something else?",
        ),
        ("molluscum-contagiosum-03", "What's your white cell count? Give me the figure."),
        ("periodontitis-02", "And the bacteria living in those gum pockets, has anyone told you their exact name?"),
        ("periodontitis-03", "Has anybody told you the name of the germ that is growing in that pus?"),
        (
            "seborrheic-dermatitis-03",
            "Do you know what the uptake figures were on the brain scan when your Parkinson's was diagnosed?",
        ),
    ],
)
def test_a_germ_or_a_figure_never_told_is_not_known(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == [], (facts, reply)
    assert any(d in reply.lower() for d in _DONT_KNOW), reply


@pytest.mark.parametrize(
    ("case_id", "question", "wanted", "unwanted"),
    [
        ("eczema-03", "Is there owt that makes it flare, d'ye reckon?", "trigger", "idea"),
        (
            "gingivitis-01",
            "How's yer brushin' routine, pet? How often d'ye gan at it, and for how long?",
            "hygiene",
            "onset",
        ),
        (
            "dental-calculus-03",
            "Olha, he is brushing how many times in the day, and for how long? And the orthodontist, what he said the "
            "last time you went there?",
            "hygiene",
            "onset",
        ),
        ("ingrown-nail-01", "Tell me, how does he cut his toenails, this young man?", "nail-cutting", "narrative"),
        (
            "molluscum-contagiosum-02",
            "Have you applied anything to the lesions? Creams, oils, anything at all.",
            "meds",
            "",
        ),
    ],
)
def test_the_thing_asked_is_answered(
    library: Library, matcher: Matcher, case_id: str, question: str, wanted: str, unwanted: str
) -> None:
    """An opinion tag after a question about triggers, how long each brushing takes, "Tell me, how does he ...?"
    (a lead-in, not an invitation) and "applied anything": the fact asked for, not the onset, the idea or the story."""
    reply, facts = ask(library, matcher, case_id, question)
    assert wanted in facts and unwanted not in facts, (facts, reply)


@pytest.mark.parametrize("question", ["Eh, what happen to the eye, tell me nah?", "What happened to the eye?"])
def test_what_happened_to_the_place_is_an_invitation(library: Library, matcher: Matcher, question: str) -> None:
    """Trinidadian English "what happen ..., tell me nah?" (a probe of my own, not from a set): the story."""
    reply, facts = ask(library, matcher, "stye-01", question)
    assert facts == ["narrative"], (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        (
            "herpes-02",
            "I am sorry he is feeling so unwell. Could you please tell me what has happened over the last few days?",
        ),
        (
            "lichen-planus-03",
            "Hello there, can you see me alright? Lovely. Now tell me what's been happening with your mouth.",
        ),
    ],
)
def test_an_invitation_gets_the_story_alone(library: Library, matcher: Matcher, case_id: str, question: str) -> None:
    """ "Could you please tell me ...", and a check of the video call before the invitation: the story, with no
    "No" for the call check."""
    reply, facts = ask(library, matcher, case_id, question)
    assert facts == ["narrative"], (facts, reply)
    assert not reply.lower().startswith(("no", "nope", "hmm")), reply


@pytest.mark.parametrize(
    ("case_id", "question", "wanted"),
    [
        (
            "lichen-planus-03",
            "I understand. Do you have any metal fillings or other dental work in your mouth?",
            "dental",
        ),
        (
            "shingles-02",
            "Are you on anything that damps down the immune system - steroid tablets, chemotherapy, something else, or nothing like that?",
            "no-immunosuppression",
        ),
        ("eczema-01", "So tell me, how has her skin been?", "narrative"),
        ("lichen-planus-02", "Are you taking anything else at the moment, apart from the creams?", "other-meds"),
        ("shingles-03", "any trouble peeing or with the bowels and any numbness or weakness in the leg", "no-urinary"),
        (
            "molluscum-contagiosum-02",
            "Have you tried anything on them at home, anything from the chemist or online?",
            "meds",
        ),
        ("seborrheic-dermatitis-03", "Did you get going with the medicated shampoo?", "meds"),
        ("gingivitis-02", "I take it you've never had bother with your gums before this?", "obstetric"),
    ],
)
def test_guards_still_answered(library: Library, matcher: Matcher, case_id: str, question: str, wanted: str) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert wanted in facts, (facts, reply)


# dev102, read fresh on fd4e5c9: a Chinese doctor speaking careful English, a Boston emergency doctor, a hedging
# doctor fond of double negatives and an elderly GP with old-fashioned terms.
@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("mycosis-02", "Okay. Please, you tell me whole story of this rash, from the first day until now."),
        (
            "nail-dystrophy-01",
            "So listen, while you're here, tell me the whole deal with these thumbnails, start to finish.",
        ),
        ("onycholysis-02", "Perhaps you could tell me, in your own time, how all this came about?"),
    ],
)
def test_an_invitation_in_other_words_gets_the_story(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert "narrative" in facts, (facts, reply)


@pytest.mark.parametrize(
    ("case_id", "question", "wanted"),
    [
        (
            "mycosis-01",
            "She have this how long already? And at home, anybody else also have same kind of ring?",
            "family",
        ),
        ("nail-dystrophy-01", "So what's your gut tellin' you this is? You got a theory?", "idea"),
        (
            "onychomycosis-01",
            "Any of your relations with nails gone the same way? And are you on any pills or potions for anything?",
            "family",
        ),
    ],
)
def test_others_and_ideas_in_other_words_are_answered(
    library: Library, matcher: Matcher, case_id: str, question: str, wanted: str
) -> None:
    reply, facts = ask(library, matcher, case_id, question)
    assert wanted in facts, (facts, reply)
    assert not any(d in reply.lower() for d in _DONT_KNOW), reply


# dev104, read fresh on bed08d2: a Ghanaian-trained GP, a Welsh valleys GP, a doctor typing in abbreviations and a
# doctor who asks by comparison, mostly about what the cases lack.
@pytest.mark.parametrize(
    ("case_id", "question", "wanted"),
    [
        (
            "seborrheic-dermatitis-01",
            "What's worrying you most about it: how it looks, how he feels, or something else?",
            "concern",
        ),
        ("seborrheic-dermatitis-02", "What's your own theory: is it the beard, or something else?", "idea"),
        (
            "seborrheic-dermatitis-03",
            "So compared with when you last saw us, how has it been? Talk me through it.",
            "narrative",
        ),
    ],
)
def test_an_idea_or_concern_before_a_colon_is_asked(
    library: Library, matcher: Matcher, case_id: str, question: str, wanted: str
) -> None:
    """The options after the colon belong to the question before it; "compared with when you last saw us, how has it
    been?" invites the story: the fact asked for, with no "I don't know" beside it."""
    reply, facts = ask(library, matcher, case_id, question)
    assert wanted in facts, (facts, reply)
    assert not any(d in reply.lower() for d in _DONT_KNOW), reply


def test_guard_a_courtesy_before_a_colon_asks_nothing(library: Library, matcher: Matcher) -> None:
    reply, facts = ask(
        library,
        matcher,
        "molluscum-contagiosum-03",
        "I hope you will forgive a rather personal question, but it is clinically relevant: have there been any recent"
        " changes in your sexual partners, and what is your usual practice with regard to barrier protection?",
    )
    assert "sexual-history" in facts and "expectation" not in facts, (facts, reply)
