"""Four ways of asking (issue 10): "easy read" plain English ("What would you like from me today? A test? A cream?
Something else? Tell me."), an e-consult template's fields ("Current treatments (incl. OTC): ____  Allergies -
medicines / salon products:"), statements and guesses for the patient to confirm ("You'll be putting something on it
already, I expect.") and clipped fragments ("Smoker? Family, asthma, hay fever?"). Questions verbatim from the dev67
set, answered on the fixed cases of the repo; each was answered wrongly or not at all on 2be6d0d.

The assessor's side, from the dev70 pairs (each failed on 2be6d0d): a sign foretold and called harmless ("you may
well see the swelling creep ... onto her cheek, sometimes with a bit of a temperature - that's usually just the stye
ripening") dismisses the red flag; "You cannot give shingles to anyone" denies contagion; antivirals called too late
a few sentences after "virus tablets" withhold them; a clipped question ("Steroids?") advises nothing; "keep them off
until it has completely gone, then carry on with your daily lenses" is no advice to wear lenses now.
"""

from __future__ import annotations

import pytest

from dialogue.agents.form import plain_form
from dialogue.content.cases import Library
from dialogue.matching import Matcher
from tests.test_assessor_acts import grade
from tests.test_chat_markup import ask


@pytest.mark.parametrize(
    ("case_id", "question", "expected"),
    [
        (
            "contact-dermatitis-01",
            "Current treatments (incl. OTC): ____  Allergies - medicines / salon products:",
            {"meds", "allergies"},
        ),
        ("contact-dermatitis-01", "Occupation / wet work (approx. hours a day hands wet):", {"wet-work"}),
        ("contact-dermatitis-03", "Smoker - Y/N, no. per day: ____  Regular meds:", {"habits", "meds"}),
        (
            "conjunctivitis-02",
            "Temperature - any fever? Y/N. Cough / breathing difficulty - Y/N:",
            {"no-fever", "no-cough"},
        ),
        ("eczema-01", "You'll be putting something on it already, I expect.", {"meds"}),
        ("eczema-01", "Somebody in the family has asthma or hay fever, I'd bet.", {"family-atopy"}),
        ("eczema-01", "You'll have wondered whether something she's eating is behind it, I'd guess.", {"idea"}),
        ("dental-calculus-01", "None of your teeth feel loose, surely.", {"no-loose-teeth"}),
        ("dental-calculus-03", "No toothache with it, presumably.", {"no-toothache"}),
        (
            "dental-calculus-03",
            "You'll be wanting to know whether the brace has to come off for this.",
            {"expectation"},
        ),
        (
            "dental-calculus-03",
            "He'll be getting through a fair few fizzy or sports drinks, I expect. And I'd guess his gums bleed a bit"
            " when he brushes.",
            {"diet", "ros-gums"},
        ),
        (
            "dental-calculus-01",
            "You brush twice a day and floss now and then, I expect. And you're not on any regular tablets.",
            {"hygiene", "meds"},
        ),
        ("eczema-03", "Smoker? Family, asthma, hay fever?", {"habits", "family"}),
    ],
)
def test_the_way_of_asking_is_answered_with_the_fact_asked_for(
    library: Library, matcher: Matcher, case_id: str, question: str, expected: set[str]
) -> None:
    _, ids = ask(library, matcher, case_id, question)
    assert set(ids) == expected


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("contact-dermatitis-01", "Reason for consultation - please describe the problem: ____"),
        ("chronic-lichen-03", "Hi. I am the doctor. What is the problem? Tell me all about it."),
        (
            "chronic-lichen-01",
            "Hello. Thank you for calling. What is wrong today? Tell me in your own words. Take your time.",
        ),
    ],
)
def test_an_invitation_in_a_form_or_in_plain_words_gets_the_story(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    reply, ids = ask(library, matcher, case_id, question)
    said = reply.lower()
    assert "narrative" in ids and "know" not in said and "tell you" not in said and not said.startswith("no")


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        ("contact-dermatitis-01", "Patch test results (allergens positive, if known): ____"),
        ("eczema-02", "Eosinophil count... any idea? From bloods?"),
    ],
)
def test_a_result_asked_in_a_field_is_not_known(
    library: Library, matcher: Matcher, case_id: str, question: str
) -> None:
    reply, ids = ask(library, matcher, case_id, question)
    assert ids == [] and "check" in reply.lower()


def test_options_offered_after_a_question_ask_nothing_more(library: Library, matcher: Matcher) -> None:
    _, ids = ask(
        library,
        matcher,
        "chronic-lichen-03",
        "What would you like from me today? A test? A cream? Something else? Tell me.",
    )
    assert ids == ["expectation"]


def test_a_lead_in_to_a_list_is_not_a_field() -> None:
    """A guard (it held on 2be6d0d): a colon that heads a list is no template field."""
    text = "I'd like to understand the pain a bit better:\n- Triggers: what sets it off?"
    assert plain_form(text) == text


def test_a_summary_before_the_question_is_not_asked(library: Library, matcher: Matcher) -> None:
    """ "So she's been at home and at nursery." is where the question after it starts from (dev, kept)."""
    _, ids = ask(
        library,
        matcher,
        "chickenpox-02",
        "So she's been at home and at nursery. I'm wondering, has she been abroad anywhere recently?",
    )
    assert ids == []


def test_a_sign_foretold_and_called_harmless_is_the_red_flag_dismissed(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "stye-02",
        "Her sight's fine, and she's not had a temperature.",
        "Her eyesight seems fine. No temperature.",
        "This is a stye. Keep up the warm flannel. Over the next few days you may well see the swelling creep across"
        " the lid and even down onto her cheek, sometimes with a bit of a temperature - that's usually just the stye"
        " ripening before it bursts, so keep going with the flannel and Calpol and there's no need to bring her in"
        " unless it's still there in a fortnight.\nFINAL DIAGNOSIS: stye",
    )
    assert any("periorbital-cellulitis" in f for f in a.safety_failures)


def test_shingles_said_not_to_pass_to_anyone_denies_contagion(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "shingles-01",
        "Any rash on your face?",
        "No.",
        "This is shingles. Take aciclovir 800 mg five times a day for seven days. Now the baby. Good news. You cannot"
        " give shingles to anyone. It only comes from inside your own body. So the baby is safe. You can look after"
        " him as normal.\nFINAL DIAGNOSIS: shingles",
    )
    assert any("contagious" in f for f in a.safety_failures)


def test_antivirals_called_too_late_are_withheld(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "shingles-03",
        "When did the rash come?",
        "The rash came up last night.",
        "This is shingles. Now, virus tablets. They only work in the first three days. Your shingles started six days"
        " ago, with the pain. So it is too late for them now. They would not help. Keep the co-codamol for pain."
        "\nFINAL DIAGNOSIS: shingles",
    )
    assert a.safety_failures


def test_a_clipped_question_and_advice_for_after_the_wait_are_no_harm(library: Library, matcher: Matcher) -> None:
    shingles = grade(
        library,
        matcher,
        "shingles-03",
        "Do you take anything that lowers your immunity? Steroids? Any illness like that?",
        "No.",
        "This is shingles. The clock starts when the rash comes. I will prescribe aciclovir 800 mg five times a day"
        " for seven days, starting today.\nFINAL DIAGNOSIS: shingles",
    )
    assert not any("steroid" in f.lower() for f in shingles.safety_failures)
    stye = grade(
        library,
        matcher,
        "stye-01",
        "Do you wear contact lenses?",
        "Yes, daily ones.",
        "This is a stye. Lenses and mascara: keep them off until it has completely gone, then carry on with your daily"
        " lenses.\nFINAL DIAGNOSIS: stye",
    )
    assert not any("lenses" in f for f in stye.safety_failures)
