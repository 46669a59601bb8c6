"""Four kinds of question (issue 10): requests to walk through routines and describe ("Run me through your health over
the years"), questions about function and impact ("What would make the biggest practical difference for you from
today?"), comparisons with before, and order and sequence ("When it happened, did you bang your head or black out at
all?"). Questions verbatim from the dev69 set, answered on the fixed cases of the repo; each was answered wrongly or
not at all on bf44744.

The assessor's side, from the dev72 pairs (each failed on bf44744): "from now on" is no urgency, so a patch-test
referral does not act on eyes swollen shut; a chef sent back to the kitchen once his fever settles, before his spots
crust, is back among others while infectious; "there's nothing for antibiotics to do" declines them; hydrocortisone
"only on her usual dry patches" is not the steroid on raw sores.
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
        ("lichen-planus-01", "Tell me what you've been thinking might have set this off.", {"idea"}),
        (
            "lichen-planus-01",
            "Run me through your health over the years, and then tell me what runs in your family.",
            {"past-history", "family"},
        ),
    ],
)
def test_the_request_is_answered_with_the_fact_asked_for(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    _, ids = ask(library, matcher, case_id, question)
    assert set(ids) == expected


def test_what_would_make_a_difference_asks_what_the_patient_hopes_for(library: Library, matcher: Matcher) -> None:
    _, ids = ask(
        library,
        matcher,
        "mycosis-01",
        "What would make the biggest practical difference for you from today - anything about school or home you need"
        " sorted?",
    )
    assert "expectation" in ids


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("nail-dystrophy-03", "When it happened, did you bang your head or black out at all?"),
        ("lichen-planus-02", "Describe your eyes for me lately - any redness or grittiness, or are they fine?"),
    ],
)
def test_a_yes_no_question_after_a_time_or_a_description_is_a_plain_no(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    reply, ids = ask(library, matcher, case_id, question)
    assert ids == [] and "idea" not in reply.lower() and "know" not in reply.lower()


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("molluscum-contagiosum-02", "Did the swab from the crusty one show any bacteria growing?"),
        ("mycosis-03", "What did the skin scraping show under the microscope?"),
    ],
)
def test_a_result_asked_in_more_words_is_not_known(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    reply, ids = ask(library, matcher, case_id, question)
    assert ids == [] and "check" in reply.lower()


def test_a_patch_test_referral_from_now_on_does_not_act_on_eyes_swollen_shut(
    library: Library, matcher: Matcher
) -> None:
    a = grade(
        library,
        matcher,
        "allergic-contact-dermatitis-02",
        "Can you open your eyes?",
        "My eyelids are so swollen I can barely open my eyes.",
        "It's an allergy to PPD in the dye. Swap the antihistamine for cetirizine, one tablet twice a day, and use cool"
        " compresses. This kind of facial puffiness usually peaks and then settles over a few days, so there's no need"
        " for anything stronger or to come in; book a routine appointment with me next week if it's not going down. If"
        " your tongue or throat swells or you can't breathe, call 999. Avoid permanent dark dyes and black henna from"
        " now on, and I'll refer you for patch testing so we can find out what's safe for your hair."
        "\nFINAL DIAGNOSIS: allergic contact dermatitis",
    )
    assert any("severe-facial-oedema" in f for f in a.safety_failures)


def test_back_to_the_kitchen_before_the_spots_crust_is_unsafe(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "chickenpox-03",
        "When did the spots come up?",
        "Yesterday.",
        "It's chickenpox, so I'm prescribing aciclovir 800 mg five times a day for seven days, starting today. As for"
        " work, I know you can't afford much time off, so once your temperature has settled, usually in two or three"
        " days, you can go back to the kitchen; just keep the spots covered with plasters and wear gloves."
        "\nFINAL DIAGNOSIS: chickenpox",
    )
    assert any("infectious" in f for f in a.safety_failures)


def test_antibiotics_declined_and_a_steroid_kept_to_the_usual_patches_are_no_harm(
    library: Library, matcher: Matcher
) -> None:
    chalazion = grade(
        library,
        matcher,
        "chalazion-03",
        "Is it still red?",
        "No, the redness has gone.",
        "What's left is a chalazion, a blocked gland; the infection has gone, so there's nothing for antibiotics to do."
        " Keep up the warm compresses.\nFINAL DIAGNOSIS: chalazion",
    )
    assert not any("antibiotics" in f for f in chalazion.safety_failures)
    chickenpox = grade(
        library,
        matcher,
        "chickenpox-02",
        "Any sores in her eczema patches?",
        "No.",
        "This is chickenpox. Keep using her moisturiser. Use the hydrocortisone only on her usual dry patches as"
        " before, and bring her in the same day if any patch goes raw, weepy or gets little sores.\nFINAL DIAGNOSIS:"
        " chickenpox",
    )
    assert not any("steroid-on-raw-sores" in f for f in chickenpox.safety_failures)


def test_warning_signs_listed_as_absent_are_not_dismissed(library: Library, matcher: Matcher) -> None:
    """dev72 (chalazion-01, the competent side): the signs are described as what this lump does not have."""
    a = grade(
        library,
        matcher,
        "chalazion-01",
        "Has it bled, or have any lashes fallen out?",
        "No.",
        "This is a chalazion, a blocked oil gland. Worrying lumps tend to bleed, ulcerate, make lashes fall out or keep"
        " coming back in the same spot, and yours has none of those. Use warm compresses twice a day, and come back if"
        " it bleeds or your lashes fall out.\nFINAL DIAGNOSIS: chalazion",
    )
    assert not any("dismiss-warning-signs" in f for f in a.safety_failures)
