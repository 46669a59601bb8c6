"""Four more doctor voices (issue 10): a Gulf Arab doctor ("Any chronic diseases with him? Asthma, anything, any
operations before?"), a Latin American doctor ("Do you have fever?", "He is biting his nails, yes?"), a continental
European doctor and a doctor working through a history mnemonic out loud ("S for site - where exactly are you
getting them?"). Questions verbatim from the dev65 set, answered on the fixed cases of the repo; each was answered
wrongly or not at all on 4e950b3 (two guards, the skin thinned "where you use it" and the thumb, pass on both).

The assessor's side, from the dev68 pairs: "you don't need to go to the sexual health clinic" dismisses the screen
the case calls for; "there's no need to send clippings first" orders no test, so the terbinafine is still given
before the checks; "steroid creams help the fungus to spread" warns against them; "strong sun every day lifted the
nails" is no drug dosed every day. Each failed on 4e950b3.
"""

from __future__ import annotations

import pytest

from dialogue.content.cases import Library
from dialogue.matching import Matcher
from tests.test_assessor_acts import grade
from tests.test_chat_markup import ask


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        ("warts-01", "Any chronic diseases with him? Asthma, anything, any operations before?", {"past-history"}),
        ("warts-01", "He is biting his nails, yes? Many children do this.", {"habits"}),
        ("acne-03", "S for site - where exactly are you getting them?", {"lesions"}),
        ("acne-03", "Where are the spots?", {"lesions"}),
        (
            "acne-03",
            "DH - apart from the lymecycline and the gel, any other regular medicines, contraception included? And A for"
            " allergies - any to medicines?",
            {"contraception", "allergies"},
        ),
        (
            "vitiligo-03",
            "How often have you been putting the steroid cream on? And has the skin where you use it gone thin or"
            " bruised easily?",
            {"treatment", "no-steroid-effects"},
        ),
    ],
)
def test_the_voice_is_answered_with_the_fact_asked_for(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    _, ids = ask(library, matcher, case_id, question)
    assert set(ids) == expected


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("warts-02", "Do you have fever?"),  # not answered by hay fever
        ("caries-01", "Does he still suck his thumb?"),  # not answered by his brushing
    ],
)
def test_what_the_case_lacks_gets_a_plain_no(library: Library, matcher: Matcher, case_id: str, question: str) -> None:
    reply, ids = ask(library, matcher, case_id, question)
    assert ids == [] and "know" not in reply.lower()


def test_a_count_asked_after_the_test_is_not_known(library: Library, matcher: Matcher) -> None:
    reply, ids = ask(library, matcher, "warts-01", "Did they check his white cells count before? How much it was?")
    assert ids == [] and "check" in reply.lower()


def test_talking_him_out_of_the_screen_is_the_harm(library: Library, matcher: Matcher) -> None:
    """dev68 (molluscum-contagiosum-03)."""
    a = grade(
        library,
        matcher,
        "molluscum-contagiosum-03",
        "Any new partner?",
        "Yes, a new boyfriend, and we don't always use condoms.",
        "These are molluscum contagiosum, a skin virus. This is a skin thing, it is not one of the sexual infections,"
        " so you don't need to go to the sexual health clinic or do any tests, and no need to worry your boyfriend"
        " about it. Stop shaving for some weeks.\nFINAL DIAGNOSIS: molluscum contagiosum",
    )
    assert any("no-sti-screen" in f for f in a.safety_failures)


def test_tablets_with_the_clippings_waived_are_given_before_the_checks(library: Library, matcher: Matcher) -> None:
    """dev68 (onycholysis-01)."""
    a = grade(
        library,
        matcher,
        "onycholysis-01",
        "Any pain or colour change?",
        "No pain, they're just white where they've lifted.",
        "This is onycholysis. With shared tools at the salon a fungal infection is likely, so I'll prescribe"
        " terbinafine 250 milligrams once a day for three months; there's no need to send clippings first, it's"
        " quicker just to treat.\nFINAL DIAGNOSIS: onycholysis",
    )
    assert any("antifungal-without-mycology" in f for f in a.safety_failures)


@pytest.mark.parametrize(
    ("case_id", "plan"),
    [
        (
            "mycosis-01",
            "This is ringworm, a fungal infection. The hydrocortisone made it less red for a moment, but steroid creams"
            " help the fungus to spread, that is why it got bigger - so please stop it. Use clotrimazole 1% cream twice"
            " a day on the rings and for two weeks after they go; come back if it is not better in two weeks.",
        ),
        (
            "onycholysis-02",
            "This is photo-onycholysis. Doxycycline makes the skin and nails very sensitive to sunlight, and strong"
            " Spanish sun every day lifted the nails. He should stop the doxycycline now and his GP will switch it;"
            " protect the hands from the sun, and come back if the skin round a nail gets red or swollen.",
        ),
    ],
)
def test_what_a_drug_did_is_no_advice_to_take_it(library: Library, matcher: Matcher, case_id: str, plan: str) -> None:
    """dev68 (d68-p04, d68-p11): false alarms on the competent sides."""
    a = grade(
        library,
        matcher,
        case_id,
        "Have you used anything on it?",
        "Yes, something from before.",
        f"{plan}\nFINAL DIAGNOSIS: {library.cases[case_id].diagnosis}",
    )
    assert a.safety_failures == []
