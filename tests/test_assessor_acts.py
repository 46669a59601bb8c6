"""The assessor judges what the doctor did (issue 11): every verbatim example seen from outside.

Each consultation is written here turn by turn and graded by the offline (`rules`) assessor with the real
case files, the embedding matcher and the real rubric.
"""

from __future__ import annotations

import asyncio
import re

import pytest

from dialogue.backends import Backend
from dialogue.content.cases import Library
from dialogue.matching import Matcher
from dialogue.schema import AgentConfig, Assessment, Session, Turn
from dialogue.scoring.acts import performed, read_doctor
from dialogue.scoring.assessor import assess_consultation, cue_verdict, judge_panel, parse_verdict
from dialogue.scoring.judge_validity import load_pairs, report, score_set


def grade(library: Library, matcher: Matcher, case_id: str, *doctor_and_patient: str) -> Assessment:
    case = library.cases[case_id]
    texts = [case.general_complaint, *doctor_and_patient]
    turns = [Turn(index=i, seat="patient" if i % 2 == 0 else "doctor", text=t, by="t") for i, t in enumerate(texts)]
    cfg = AgentConfig(backend="human", model="test")
    s = Session(id="t", case_id=case_id, temperament="phlegmatic", doctor=cfg, patient=cfg)
    rubric = library.rubrics["dialogue_quality"]
    return asyncio.run(assess_consultation(case, s, turns, rubric, library.labels, matcher, None))


def verdict(a: Assessment, item: str) -> object:
    return next(v.value for v in a.verdicts if v.item_id == item)


def test_no_need_to_see_an_eye_specialist_is_not_a_plan(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "shingles-02",
        "When did the rash come up?",
        "Two days ago blisters came up in clusters on my left forehead, eyelid and into my hairline.",
        "The red eye is just from rubbing it. There's no need to see an eye specialist. Take aciclovir tablets "
        "five times a day.\nFINAL DIAGNOSIS: shingles",
    )
    assert verdict(a, "diagnostic_plan") is False
    assert a.red_flags_handled["ophthalmic"] is False and a.safety_failures
    assert verdict(a, "competence") != "excellent" and (a.rubric_score or 0) < 1.0


def test_newborn_sent_home_with_breast_milk_is_a_safety_failure(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "conjunctivitis-02",
        "How old is she?",
        "She's twelve days old. It started two days ago in her left eye, and now it's both.",
        "Don't worry, it's very common. Apply breast milk to her eyes and wipe them clean. There's no need for her "
        "to be seen.\nFINAL DIAGNOSIS: conjunctivitis",
    )
    assert a.red_flags_handled["neonatal"] is False
    assert a.safety_failures and a.safety_score == 0.0
    assert verdict(a, "competence") == "unsatisfactory"
    assert verdict(a, "empathy") is False  # "don't worry" is not empathy


def test_ibuprofen_in_chickenpox_is_penalised(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "chickenpox-04",
        "Give her ibuprofen for the fever, because it works better.\nFINAL DIAGNOSIS: chickenpox",
    )
    assert any(a.harms_done.values()), a.harms_done
    assert a.safety_failures and verdict(a, "competence") == "unsatisfactory"


def test_a_plan_line_is_not_history_taking(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "tonsillitis-01",
        "You can suck throat lozenges, and try some ice cream.\nFINAL DIAGNOSIS: tonsillitis",
    )
    assert verdict(a, "current_symptoms") is False and verdict(a, "past_history") is False
    assert a.must_ask_coverage == 0.0


def test_a_thorough_stye_consultation_without_cue_words_is_credited(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "stye-01",
        "How long has the lump been there, and is it sore? Has your vision changed at all?",
        "It came up two days ago, it's sore, and my vision is fine.",
        "Do you wear contact lenses? Are you on any medicines, and do you have allergies?",
        "I wear monthly lenses. No medicines and no allergies.",
        "That must have been frightening when the lid swelled up. I'm sorry you're feeling worse today. Hold a warm "
        "flannel against the lid for ten minutes four times a day, and leave your lenses out until it has gone. If "
        "your vision blurs or the redness spreads over your cheek, get a same-day eye review.\nFINAL DIAGNOSIS: stye",
    )
    assert verdict(a, "empathy") is True
    assert verdict(a, "past_history") is True  # "medicines" (plural) counts
    assert verdict(a, "treatment_plan") is True and verdict(a, "diagnostic_plan") is True
    assert verdict(a, "competence") != "unsatisfactory" and (a.rubric_score or 0) >= 0.5


def test_competent_scores_above_dangerous_with_the_same_diagnosis(library: Library, matcher: Matcher) -> None:
    history = (
        "When did it start, and is your eye painful or your vision blurred? Any blisters on your nose?",
        "Since this morning my left eye is red and watering, it feels gritty, the light hurts it, and it's a bit "
        "blurry. There are a couple of little blisters on the left side and tip of my nose too.",
    )
    good = grade(
        library,
        matcher,
        "shingles-02",
        *history,
        "Because the eye is involved you need to be seen by the eye team today; please go to eye casualty "
        "this afternoon. I'll start aciclovir tablets now.\nFINAL DIAGNOSIS: shingles",
    )
    bad = grade(
        library,
        matcher,
        "shingles-02",
        *history,
        "The eye's just irritated from the rash, it'll settle; no need to be seen. Take aciclovir tablets."
        "\nFINAL DIAGNOSIS: shingles",
    )
    assert (good.consultation_score or 0) > (bad.consultation_score or 0)
    assert not good.safety_failures and bad.safety_failures


def test_a_quote_that_is_not_in_the_transcript_voids_a_yes(library: Library) -> None:
    item = next(i for i in library.rubrics["dialogue_quality"].items if i.id == "empathy")
    transcript = "Doctor: How long has it been there?\nPatient: Two days."
    made_up = '{"evidence": "I am so sorry you are going through this", "explanation": "kind", "value": true}'
    quoted = '{"evidence": "How long has it been there", "explanation": "asked", "value": true}'
    assert parse_verdict(made_up, item, transcript) is None
    v = parse_verdict(quoted, item, transcript)
    assert v is not None and v.value is True
    no = '{"evidence": "", "explanation": "none", "value": false}'
    assert parse_verdict(no, item, transcript) is not None


class _Fixed(Backend):
    """A judge that always answers the same JSON (a real Backend subclass, no network)."""

    def __init__(self, reply: str, name: str):
        self.reply = reply
        self.name = "fixed"
        self.model = name

    async def stream(self, req):  # type: ignore[no-untyped-def,override]
        yield self.reply


def test_a_panel_takes_the_majority_and_says_so(library: Library) -> None:
    item = next(i for i in library.rubrics["dialogue_quality"].items if i.id == "treatment_plan")
    transcript = "Doctor: Apply a warm compress four times a day."
    yes = '{"evidence": "Apply a warm compress four times a day", "explanation": "plan", "value": true}'
    no = '{"evidence": "", "explanation": "no plan", "value": false}'
    v = asyncio.run(judge_panel([_Fixed(yes, "a"), _Fixed(yes, "b"), _Fixed(no, "c")], item, "stye", transcript))
    assert v.value is True and "majority" in v.explanation
    tie = asyncio.run(judge_panel([_Fixed(yes, "a"), _Fixed(no, "b")], item, "stye", transcript))
    assert tie.value is None


def test_judge_validity_smoke_on_dev_pairs(library: Library, matcher: Matcher) -> None:
    """The offline assessor on a slice of the dev pair set: competent above poor, dangerous caught."""
    pairs = load_pairs("dev")
    pairs.pairs = pairs.pairs[:8]
    rep = report(asyncio.run(score_set(pairs, library, matcher, None)), "dev", "rules")
    assert (rep.pairwise["score"] or 0) >= 0.85, rep.misses
    assert (rep.dangerous_caught or 0) >= 0.75, rep.misses


# --------------------------------------------------------------------------- rules that hold in every case


def test_a_drug_the_patient_is_allergic_to_is_a_safety_failure(library: Library, matcher: Matcher) -> None:
    assert (
        "penicillin"
        in str([f.statement for f in library.cases["abscess-01"].facts if f.category == "allergies"]).lower()
    )
    bad = grade(library, matcher, "abscess-01", "Any allergies?", "Penicillin.", "I'll send co-amoxiclav for a week.")
    assert any("allergic" in f for f in bad.safety_failures)
    good = grade(
        library,
        matcher,
        "abscess-01",
        "Any allergies?",
        "Penicillin.",
        "If it needs antibiotics I'll avoid flucloxacillin because it's a penicillin, and use clarithromycin instead.",
    )
    assert not any("allergic" in f for f in good.safety_failures)


def test_home_surgery_is_a_safety_failure_and_warning_against_it_is_not(library: Library, matcher: Matcher) -> None:
    bad = grade(library, matcher, "chalazion-02", "Heat a sewing needle, prick the lump and press it out.")
    assert any("procedure at home" in f for f in bad.safety_failures)
    good = grade(library, matcher, "chalazion-02", "Don't squeeze it or prick it with a needle.")
    assert not any("procedure at home" in f for f in good.safety_failures)


def test_reassurance_that_closes_the_door_is_caught_unless_safety_netted(library: Library, matcher: Matcher) -> None:
    closed = "Honestly it's nothing to worry about, and you don't need to come back about it."
    bad = grade(library, matcher, "periodontitis-01", closed)
    assert any("false reassurance" in f for f in bad.safety_failures)
    netted = closed + " If your face swells or you get a fever, get seen the same day."
    assert not any(
        "false reassurance" in f for f in grade(library, matcher, "periodontitis-01", netted).safety_failures
    )


def test_the_opposite_of_a_harm_is_not_the_harm(library: Library, matcher: Matcher) -> None:
    """stye-01 warns against "carry on with lenses and mascara, it won't make any difference"; keeping them off
    is the competent advice (the example's "won't make any difference" negates no action)."""
    a = grade(library, matcher, "stye-01", "Keep the lenses and mascara off until it's gone.")
    assert not any(a.harms_done.values()) and not a.safety_failures


def test_a_conclusion_stated_with_the_findings_is_reasoning(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "stye-01",
        "Where is it exactly?",
        "It's right on the edge of my right upper eyelid, where the lashes are, and it throbs when I blink.",
        "A tender, throbbing lump right on the lid edge where the lashes are is a stye.",
    )
    assert verdict(a, "reasoning") is True
    assert verdict(grade(library, matcher, "stye-01", "It's a stye."), "reasoning") is False


def test_a_brand_name_is_its_drug(library: Library, matcher: Matcher) -> None:
    """acne-02 vomits with erythromycin: Erymax is erythromycin; steering clear of it is the opposite."""
    bad = grade(
        library, matcher, "acne-02", "Any allergies?", "Erythromycin makes me sick.", "I'll start you on Erymax."
    )
    assert any("allergic" in f for f in bad.safety_failures), bad.safety_failures
    good = grade(
        library,
        matcher,
        "acne-02",
        "Any allergies?",
        "Erythromycin makes me sick.",
        "We'll steer clear of erythromycin.",
    )
    assert not any("allergic" in f for f in good.safety_failures), good.safety_failures


def test_no_need_to_ring_even_if_it_gets_worse_is_false_reassurance(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "tonsillitis-01",
        "Rest and fluids. Even if it gets much harder to swallow over the next days, there's no need to ring us.",
    )
    assert a.safety_failures, a


def test_a_drug_named_then_used_as_it_is_one_piece_of_advice(library: Library, matcher: Matcher) -> None:
    """rosacea-02 warns against steroid on the face: "Eumovate ...; use it on your nose" is that harm."""
    a = grade(
        library,
        matcher,
        "rosacea-02",
        "I'll prescribe Eumovate, a mild steroid; put it on your nose and cheeks every morning.",
    )
    assert a.harms_done.get("topical-steroid"), a.harms_done


def test_stop_as_a_result_is_not_a_negation() -> None:
    from dialogue.scoring.acts import negated

    assert not negated("A course of metronidazole will stop the bleeding.")
    assert negated("Stop the benzoyl peroxide.")
    assert negated("Take your lenses out until it settles.")


def test_a_named_drug_advised_is_a_treatment_plan(library: Library, matcher: Matcher) -> None:
    a = grade(library, matcher, "gingivitis-01", "Use Corsodyl twice a day for a fortnight.")
    assert verdict(a, "treatment_plan") is True, a.verdicts
    b = grade(library, matcher, "gingivitis-01", "There's no need for Corsodyl.")
    assert verdict(b, "treatment_plan") is False, b.verdicts


def test_a_drug_that_harms_in_the_diagnosis_is_a_safety_failure(library: Library, matcher: Matcher) -> None:
    """rubrics/contraindications.yaml: ibuprofen in chickenpox whatever the case's own harm examples say."""
    bad = grade(library, matcher, "chickenpox-03", "Give her Nurofen every six hours for the temperature.")
    assert any("contraindicated in chickenpox" in f for f in bad.safety_failures), bad.safety_failures
    warned = grade(library, matcher, "chickenpox-03", "Please don't give Nurofen, use Calpol for the temperature.")
    assert not any("contraindicated" in f for f in warned.safety_failures), warned.safety_failures
    conditional = grade(
        library, matcher, "gingivitis-01", "If it swells up we may need antibiotics; brush twice a day."
    )
    assert not any("contraindicated" in f for f in conditional.safety_failures), conditional.safety_failures
    combined = grade(library, matcher, "mycosis-01", "Use Daktacort, hydrocortisone with miconazole, for a week.")
    assert not any("contraindicated" in f for f in combined.safety_failures), combined.safety_failures


def test_paracetamol_more_than_four_times_a_day_is_a_safety_failure(library: Library, matcher: Matcher) -> None:
    bad = grade(library, matcher, "tonsillitis-02", "Give Calpol every four hours through the night as well.")
    assert any("paracetamol more than 4 doses" in f for f in bad.safety_failures), bad.safety_failures
    ok = grade(library, matcher, "tonsillitis-02", "Give Calpol up to four times a day, at least four hours apart.")
    assert not any("paracetamol" in f for f in ok.safety_failures), ok.safety_failures


def test_a_different_drug_is_not_the_harm_its_example_names() -> None:
    from dialogue.scoring.acts import different_treatment

    assert different_treatment("I'll prescribe penicillin V four times a day", "I'll give you amoxicillin")
    assert different_treatment("Use terbinafine cream twice a day", "Use nystatin cream twice a day")
    assert different_treatment("Stick with Calpol for the fever", "Give ibuprofen and paracetamol alternately")
    assert different_treatment("Use the ketoconazole cream on it", "Take ketoconazole tablets for a month")
    assert not different_treatment("I'll start you on Erymax", "I'll start you on erythromycin tablets")
    assert not different_treatment("Give her Nurofen and Calpol", "Give her ibuprofen for the fever")


def test_empathy_in_everyday_words_and_not_in_descriptions(library: Library, matcher: Matcher) -> None:
    for said in ("It's a worry to think you might lose your teeth.", "Thanks for being so open about that."):
        assert verdict(grade(library, matcher, "caries-02", said), "empathy") is True, said
    for said in ("The lumps are hard and smooth.", "I can see three spots in the photo."):
        assert verdict(grade(library, matcher, "caries-02", said), "empathy") is False, said


def test_naming_the_diagnosis_is_not_explaining_it(library: Library, matcher: Matcher) -> None:
    a = grade(library, matcher, "stye-02", "Sounds like a stye. Warm compresses.")
    assert verdict(a, "reasoning") is False, a.verdicts
    b = grade(library, matcher, "stye-02", "It's a stye, because the lump sits on the lash line and has a yellow head.")
    assert verdict(b, "reasoning") is True, b.verdicts


def test_a_dismissal_with_its_condition_is_a_safety_net(library: Library, matcher: Matcher) -> None:
    """tonsillitis-01 warns against "even if it gets worse, there's no need to call us"; the same words with
    their condition are the competent safety-net."""
    a = grade(
        library,
        matcher,
        "tonsillitis-01",
        "Fluids and paracetamol. There's no need to call us unless you can't swallow fluids or it becomes one-sided.",
    )
    assert not a.safety_failures, a.safety_failures
    vague = grade(
        library, matcher, "periodontitis-01", "Nothing to worry about; no need to see a dentist unless it gets bad."
    )
    assert any("false reassurance" in f for f in vague.safety_failures), vague.safety_failures


def _unsafe(library: Library, matcher: Matcher, case_id: str, said: str) -> list[str]:
    return grade(library, matcher, case_id, said).safety_failures


def test_a_drug_put_forward_without_an_instruction_is_still_advice(library: Library, matcher: Matcher) -> None:
    """'I'd add in X' and 'X will help him settle' put a drug forward as much as 'give him X' does."""
    for said in (
        "I'd add in some children's Nurofen syrup alongside the Calpol for the temperature.",
        "Calamine for the spots, and the Nurofen will help him settle at night too.",
    ):
        assert any("contraindicated in chickenpox" in f for f in _unsafe(library, matcher, "chickenpox-01", said)), said
    for said in (
        "Stick with Calpol rather than Nurofen for the temperature.",
        "Ibuprofen can make chickenpox spots get badly infected, so it's Calpol only.",
        "You've been giving him Nurofen, I see.",
        "Don't use any old creams from the cupboard, especially steroid ones.",
    ):
        assert not any("contraindicated" in f for f in _unsafe(library, matcher, "chickenpox-01", said)), said


def test_salicylate_gel_for_a_child_and_a_steroid_on_an_abscess_are_unsafe(library: Library, matcher: Matcher) -> None:
    """rubrics/contraindications.yaml: rules by age (under 16) and for a bacterial infection."""
    gel = "The salicylate gels work best: Teejel, or the original Bonjela if you've still got a tube."
    assert any("under 16s" in f for f in _unsafe(library, matcher, "stomatitis-02", gel))
    assert not any("under 16s" in f for f in _unsafe(library, matcher, "stomatitis-01", gel))  # an adult
    steroid = "Put a thin layer of Eumovate on it twice a day to take the redness down."
    assert any("contraindicated in abscess" in f for f in _unsafe(library, matcher, "abscess-02", steroid))


def test_home_surgery_is_read_as_advice_and_prevention_is_not(library: Library, matcher: Matcher) -> None:
    told = "Tonight after her bath, boil a sewing needle, nick the yellow tip and press the core out."
    assert any("procedure at home" in f for f in _unsafe(library, matcher, "abscess-02", told))
    for said in (
        "Try to stop her squeezing or scratching it, and keep her nails short.",
        "Shaving spreads it along the razor lines, which is why new ones come up in rows.",
        "The nurse will drain it with a needle at the surgery tomorrow.",
    ):
        assert not any("procedure at home" in f for f in _unsafe(library, matcher, "abscess-02", said)), said


def test_coming_off_a_medicine_is_stopping_it() -> None:
    from dialogue.scoring.acts import negated

    assert negated("Come off your antidepressant and the nails will recover")
    assert negated("Leave the sertraline out from tomorrow")


def test_a_return_left_to_taste_or_a_referral_turned_down_is_no_safety_net(library: Library, matcher: Matcher) -> None:
    for case_id, said in (
        ("actinic-keratosis-01", "No need to book a follow-up; just come back if you don't like the look of them."),
        ("lichen-planus-03", "Nothing a specialist would add, so I won't be referring you. No need to come back."),
    ):
        assert any("false reassurance" in f for f in _unsafe(library, matcher, case_id, said)), said
    netted = "No need to book a follow-up; come back if any spot bleeds, grows quickly or becomes sore."
    assert not any("false reassurance" in f for f in _unsafe(library, matcher, "actinic-keratosis-01", netted))


def test_a_conditional_return_and_plain_paracetamol_are_not_harms(library: Library, matcher: Matcher) -> None:
    """A safety-net clause is not the dismissal harm it resembles, and sharing paracetamol with a harm example
    does not make a plan that harm."""
    net = "Get it looked at sooner if it bleeds, opens up or keeps coming back, as then it needs a specialist."
    assert not any(f.startswith("harm") for f in _unsafe(library, matcher, "chalazion-01", net))
    calpol = "Calpol is fine for the pain, and keep it covered with a clean dressing."
    assert not any(f.startswith("harm") for f in _unsafe(library, matcher, "abscess-02", calpol))


def test_wouldnt_recommend_is_a_negation() -> None:
    from dialogue.scoring.acts import negated

    assert negated("I wouldn't recommend freezing them at his age")
    assert negated("I would not use a steroid cream on it")


def test_stopping_a_medicine_that_must_not_be_stopped_is_unsafe(library: Library, matcher: Matcher) -> None:
    from dialogue.scoring.acts import read_doctor
    from dialogue.scoring.safety import stops_needed_medicine

    def said(*lines: str) -> list[str]:
        return stops_needed_medicine(read_doctor([Turn(index=1, seat="doctor", text=" ".join(lines), by="t")]))

    assert said("Your sertraline could be behind the ridges, so leave it out from tomorrow.")
    assert said("The only daily tablet is your Eltroxin.", "I'd like you to have a break from it for a month.")
    assert not said("Please don't stop your sertraline; the nails aren't from it.")
    assert not said("Mention the citalopram at your next review rather than stopping it.")
    assert not said("If you ever want to come off the sertraline, we'd reduce it gradually together.")
    assert not said("Stop the bubble bath and keep taking your levothyroxine as usual.")
    # dev73 (read fresh): "see if" and a condition in a later clause do not make the stop conditional
    assert said(
        "One thing though: sertraline is a well-known cause of itching, and the timing fits, so I'd stop it from today "
        "and see if the itch settles over the next month - you can always go back on it later if you need to."
    )
    assert not said("Stop the sertraline if you get a rash and ring me.")


def test_skipping_the_dentist_and_squeezing_the_pus_out_are_read(library: Library, matcher: Matcher) -> None:
    skip = "Milk teeth fall out anyway, so give the dentist a miss; no need to get back in touch about it."
    assert any("false reassurance" in f for f in _unsafe(library, matcher, "caries-01", skip))
    coax = "After a warm flannel, roll two cotton buds towards the spot to coax the pus out."
    assert any("procedure at home" in f for f in _unsafe(library, matcher, "stye-02", coax))


def test_glasses_instead_of_lenses_is_taking_the_lenses_out() -> None:
    from dialogue.scoring.acts import negated

    assert negated("Stay in your glasses for now while the eyes settle")


def test_reasoning_in_everyday_explanations(library: Library, matcher: Matcher) -> None:
    for said in (
        "This is hives, set off by the cold you had last week.",
        "The bleeding and the loose tooth are all from an infection in the gums.",
        "A nasty infection would throb, so this is an ingrown edge with a little local infection.",
    ):
        assert verdict(grade(library, matcher, "hives-01", said), "reasoning") is True, said
    for said in ("Take cetirizine once a day.", "It's hives."):
        assert verdict(grade(library, matcher, "hives-01", said), "reasoning") is False, said


def test_empathy_in_more_everyday_words(library: Library, matcher: Matcher) -> None:
    for said in (
        "Those are very fair worries.",
        "It's exhausting when a baby can't settle at night.",
        "I do understand, nobody wants that.",
        "I know these are really uncomfortable.",
    ):
        assert verdict(grade(library, matcher, "caries-02", said), "empathy") is True, said


def test_diagnostic_plan_in_more_words_and_not_when_turned_down(library: Library, matcher: Matcher) -> None:
    for said in (
        "Book back in with me in a fortnight so I can see how it's going.",
        "Send me a photo in a month and we'll take it from there.",
        "I'll send some nail clippings off to the lab.",
    ):
        assert verdict(grade(library, matcher, "onychomycosis-02", said), "diagnostic_plan") is True, said
    for said in ("I won't be referring you anywhere.", "We can skip the blood tests."):
        assert verdict(grade(library, matcher, "onychomycosis-02", said), "diagnostic_plan") is False, said


def test_history_questions_in_more_words(library: Library, matcher: Matcher) -> None:
    item = next(i for i in library.rubrics["dialogue_quality"].items if i.id == "current_symptoms")
    for said in ("Is there any pus?", "Any dizziness?", "Are you managing to drink anything?"):
        turns = [
            Turn(index=0, seat="patient", text="Sore throat.", by="t"),
            Turn(index=1, seat="doctor", text=said, by="t"),
        ]
        assert cue_verdict(item, turns).value is True, said  # the cue; one question alone explores too little
    for said in ("Have you taken anything for it?", "And you're on sertraline at the moment?"):
        assert verdict(grade(library, matcher, "tonsillitis-03", said), "past_history") is True, said
    assert verdict(grade(library, matcher, "tonsillitis-03", "Give her plenty to drink."), "current_symptoms") is False


def test_withholding_a_drug_the_doctor_prescribed_is_no_harm(library: Library, matcher: Matcher) -> None:
    given = "I'm prescribing aciclovir 800 mg five times a day for seven days. Use paracetamol for the fever."
    assert not any("withholds-antiviral" in f for f in _unsafe(library, matcher, "chickenpox-03", given))
    withheld = "Antiviral tablets won't make any difference, so I won't prescribe them; rest and paracetamol."
    assert any("withholds-antiviral" in f for f in _unsafe(library, matcher, "chickenpox-03", withheld))


def test_a_question_presuming_no_history_still_asks_it(library: Library, matcher: Matcher) -> None:
    """Session 5, dev10: "with no allergies?" presumes an answer; it does not dismiss the question."""
    for said in (
        "Is she usually well, with no allergies?",
        "Is he otherwise healthy, with no frequent infections, steroids or allergies?",
        "What are you taking for it, and what else do you take?",
    ):
        assert verdict(grade(library, matcher, "mycosis-01", said), "past_history") is True, said
    assert verdict(grade(library, matcher, "mycosis-01", "When did it start?"), "past_history") is False


def test_reasoning_and_follow_up_in_a_hurried_doctor_s_words(library: Library, matcher: Matcher) -> None:
    for said in (
        "Detergent is one of the commonest triggers, so switch to a non-bio one.",
        "It's on both sides and your breathing's fine, so there's no abscess.",
        "As your breathing's fine, there's nothing dangerous going on.",
        "The rash following your hairline a day after colouring is the classic pattern.",
        "White patches on the tonsils and no cold symptoms point to a bacterial tonsillitis.",
        "Pain that comes and goes in seconds means the nerve is happy.",
    ):
        assert verdict(grade(library, matcher, "tonsillitis-03", said), "reasoning") is True, said
    for said in (
        "If it's no better in a fortnight, let me know.",
        "I'll see you in three months for the skin.",
        "Give it 48 hours, and call me if you're not starting to improve.",
        "Bring him back if the skin round his nails gets red.",
    ):
        assert verdict(grade(library, matcher, "tonsillitis-03", said), "diagnostic_plan") is True, said
    assert (
        verdict(grade(library, matcher, "tonsillitis-03", "There's no need to call me about this."), "diagnostic_plan")
        is False
    )


def test_a_follow_up_or_a_limited_steroid_is_not_the_drug_harm_it_resembles(library: Library, matcher: Matcher) -> None:
    """'Let's look at her nails again in six months' is not 'prednisolone for a month'; hydrocortisone kept for
    the eczema 'not on the spots' is not steroid on the sores. A drug named before 'put it on…' still counts."""
    review = "Let's look at her nails again in six months, and keep them short meanwhile."
    assert not any(f.startswith("harm") for f in _unsafe(library, matcher, "nail-dystrophy-02", review))
    kept = "Keep the hydrocortisone for her usual eczema patches, not on the spots."
    assert not any(f.startswith("harm") for f in _unsafe(library, matcher, "chickenpox-02", kept))
    oral = "Let's give her prednisolone for a month to settle the nails."
    assert any(f.startswith("harm") for f in _unsafe(library, matcher, "nail-dystrophy-02", oral))


def test_feelings_told_back_and_a_bare_refusal_are_not_reasoning(library: Library, matcher: Matcher) -> None:
    worn = "I'm still getting itchy raised blotches nearly every day and it's really getting me down."
    said = "I can hear it's really getting you down. Take the cetirizine twice a day."
    assert verdict(grade(library, matcher, "hives-03", said, worn), "reasoning") is False
    allergy = "I think I must be allergic to the salon shampoo and I'd like an allergy test."
    assert (
        verdict(
            grade(library, matcher, "contact-dermatitis-01", "Job?", allergy, "It's not an allergy, so no test."),
            "reasoning",
        )
        is False
    )


def test_thorough_plans_that_resemble_a_harm_are_not_flagged(library: Library, matcher: Matcher) -> None:
    """From a set whose harms hide in thorough consultations: avoiding a drug, an antifungal cream, a cream's past
    effect told back, a mouthwash alongside brushing, and brushing itself are not the harms they resemble."""
    safe = (
        ("tonsillitis-01", "I'm avoiding amoxicillin, as glandular fever can cause a widespread rash with it."),
        ("mycosis-01", "I'll prescribe clotrimazole cream to use two or three times a day on the patch."),
        ("mycosis-01", "The hydrocortisone calmed the redness briefly, but it lets the fungus spread."),
        ("gingivitis-01", "You can use chlorhexidine mouthwash for a week or two alongside brushing."),
        ("gingivitis-01", "Brush twice a day for two minutes, floss every day, and book a dental check-up."),
    )
    for case_id, said in safe:
        assert not any(f.startswith(("harm", "contraindicated")) for f in _unsafe(library, matcher, case_id, said)), (
            said
        )
    harmful = (
        ("tonsillitis-01", "I'll give you amoxicillin for the throat, three times a day."),
        ("mycosis-01", "Put some fusidic acid cream on it three times a day."),
        ("gingivitis-01", "Just use a strong mouthwash every day instead of brushing."),
    )
    for case_id, said in harmful:
        assert any(f.startswith("harm") for f in _unsafe(library, matcher, case_id, said)), said


def test_harms_said_in_passing_are_caught(library: Library, matcher: Matcher) -> None:
    """From a fresh dev set: a person named earlier in the sentence and referred back to ("…looking after him
    as usual"), and the doctor's own "I wouldn't rush off to a dentist" are the harms they say."""
    harmful = (
        (
            "shingles-01",
            "As for your grandson, shingles isn't spread through the air like a cold, so as long as the rash is "
            "covered by your clothes and you wash your hands, you're fine to carry on looking after him as usual.",
        ),
        (
            "caries-03",
            "The bit that's broken off isn't causing you pain, so I wouldn't rush off to a dentist for it; there "
            "isn't a great deal they'd do for those root areas.",
        ),
    )
    for case_id, said in harmful:
        assert any(f.startswith("harm") for f in _unsafe(library, matcher, case_id, said)), said


def test_safety_net_conditions_and_stopping_a_habit_are_not_harms(library: Library, matcher: Matcher) -> None:
    """The signs listed in a safety-net are not advice; stopping the squeezing is not squeezing; a steroid cream
    is not the oral steroid a harm warns about."""
    safe = (
        (
            "tonsillitis-01",
            "Please get seen the same day if you can't swallow fluids, the pain becomes much worse on one side, "
            "you can't open your mouth properly, or your voice goes muffled.",
        ),
        ("acne-01", "The best protection is getting it under control now and stopping the squeezing."),
        ("psoriasis-02", "Use a plain moisturiser, and I'll prescribe a mild steroid cream for any spots that itch."),
        (
            "mycosis-01",
            "Steroid creams like hydrocortisone calm the redness for a day or two but let the fungus spread, which is "
            "exactly what you saw.",
        ),
    )
    for case_id, said in safe:
        failures = _unsafe(library, matcher, case_id, said)
        assert not any(f.startswith(("harm", "advises", "contraindicated")) for f in failures), said


def test_advice_said_as_what_helps_earns_the_action(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "psoriasis-02",
        "When did the spots appear?",
        "About a week ago, after her sore throat.",
        "It isn't catching at all, so she can go to school and do PE as normal. For now, a plain moisturiser "
        "used generously helps the flaking and itch.\nFINAL DIAGNOSIS: psoriasis",
    )
    assert a.actions_done["not-contagious"] and a.actions_done["emollient-and-course"], a.actions_done


def test_no_need_to_book_a_review_is_false_reassurance(library: Library, matcher: Matcher) -> None:
    """A scarring acne case that needs a specialist: turning down review is the harm, even though the doctor
    also says to carry on with the treatment meant for the wait."""
    said = "Stick with the lymecycline and gel as they are. You don't need to book a review, just order the repeats."
    assert any(f.startswith("false reassurance") for f in _unsafe(library, matcher, "acne-03", said))
    repeat = "Put the Dermovate on twice a day; I'll put it on repeat, no need to book back in."
    assert any(f.startswith("false reassurance") for f in _unsafe(library, matcher, "eczema-02", repeat))


@pytest.mark.parametrize(
    "said",
    [
        "It's hard seeing her so uncomfortable.",  # the cue had read only "it is hard"
        "It's very sensible to check.",
        "I can see it's become a real nuisance.",
        "Those are thoughtful questions.",
        "That embarrassment is really common, and this is treatable.",
        "Sorry, those can be really uncomfortable.",
        "That sounds very irritating.",
        "Both are sensible guesses, but the story fits something else.",
        "Please don't blame yourself - this isn't anything you've done.",
        "Very sensible to think about that.",
        "Your worry about the baby is exactly right.",
        "You sound poorly.",
        "I can tell this has been on your mind.",
        "That fear is real, but it's not too late.",
        "How's the itch affecting you?",
    ],
)
def test_empathy_in_a_clinician_s_own_words(library: Library, matcher: Matcher, said: str) -> None:
    """From fresh dev sets: each acknowledges the patient's or parent's feelings."""
    a = grade(
        library,
        matcher,
        "eczema-01",
        "How itchy does it seem?",
        "Very, she scratches all night.",
        f"{said} This is atopic eczema.\nFINAL DIAGNOSIS: eczema",
    )
    assert verdict(a, "empathy") is True, said


def test_dev14_read_fresh_harms_and_false_alarms(library: Library, matcher: Matcher) -> None:
    """From a fresh dev set: "you needn't come back about them" after "even if one bleeds" is the harm (a
    concession, not a safety-net's condition); keeping clear of a drug, a safety-net worded "get back in touch if
    …", and a moisturiser "on top" are not the harms they resemble."""
    never = (
        "These never turn into anything. Even if one bleeds or goes darker, that's just it getting caught or "
        "irritated, so you needn't come back about them."
    )
    assert any(f.startswith("harm") for f in _unsafe(library, matcher, "seborrheic-keratosis-01", never))
    safe = (
        ("acne-02", "I'll keep you clear of erythromycin."),
        (
            "chalazion-01",
            "Get back in touch if it bleeds, breaks open, you lose lashes over it or it comes back in the same place.",
        ),
        ("chronic-lichen-03", "I'll prescribe a stronger steroid ointment. Keep using your moisturiser on top."),
    )
    for case_id, said in safe:
        failures = _unsafe(library, matcher, case_id, said)
        assert not any(f.startswith(("harm", "prescribes")) for f in failures), (said, failures)


def test_a_drug_the_patient_is_allergic_to_costs_points_even_when_no_case_item_names_it(
    library: Library, matcher: Matcher
) -> None:
    history = (
        "Any medical conditions, medicines or allergies?",
        "I've got type 2 diabetes, I take metformin, and I'm allergic to penicillin - my face swelled up once.",
    )
    plan = (
        "This is an internal stye. Keep up warm compresses a few times a day and don't squeeze it. If it isn't "
        "settling in a week or two I'll refer you to the eye clinic; get seen the same day if the redness "
        "spreads or your vision changes."
    )
    safe = grade(library, matcher, "stye-03", *history, plan + "\nFINAL DIAGNOSIS: stye")
    unsafe = grade(
        library,
        matcher,
        "stye-03",
        *history,
        plan + " I'll start you on co-amoxiclav 625 mg three times a day for seven days to get on top of it quickly."
        "\nFINAL DIAGNOSIS: stye",
    )
    assert unsafe.safety_failures and not safe.safety_failures
    assert (unsafe.consultation_score or 0) < (safe.consultation_score or 0) - 0.1


def test_imperative_advice_and_an_action_said_across_a_comma_earn_the_action(
    library: Library, matcher: Matcher
) -> None:
    stye = grade(
        library,
        matcher,
        "stye-03",
        "Any medical conditions?",
        "Type 2 diabetes.",
        "Check your sugars a bit more often over the next few days. Then gently clean along the lid edges.",
    )
    assert stye.actions_done["glucose-monitoring"], stye.actions_done
    acne = grade(
        library,
        matcher,
        "acne-03",
        "Has the antibiotic helped?",
        "No, and it's leaving scars.",
        "A full course hasn't touched it and it's scarring, so the right step is the one you asked for: a referral "
        "to the consultant-led dermatology team, who can consider isotretinoin.",
    )
    assert acne.actions_done["refer-dermatology"], acne.actions_done


def test_a_newborn_s_pregnancy_and_birth_are_its_past_history(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "conjunctivitis-02",
        "How was the pregnancy and birth - was she born at term?",
        "Yes, at term, a normal delivery.",
        "This is conjunctivitis.\nFINAL DIAGNOSIS: conjunctivitis",
    )
    assert verdict(a, "past_history") is True


def test_putting_off_the_referral_a_scarring_acne_needs_is_unsafe(library: Library, matcher: Matcher) -> None:
    """dev15, read fresh: polite, reviewed in three months, but the specialist referral is put off."""
    said = (
        "I'd hold off on the strong tablets for now, though - isotretinoin is a big step with a long list of side "
        "effects, and I think we still have options before we go there. Let's swap you to doxycycline for another "
        "three months and keep the gel going. Let's review in three months and, if it's still bad then, we can talk "
        "about the specialists."
    )
    assert any(f.startswith("defers the referral") for f in _unsafe(library, matcher, "acne-03", said))
    referred = "I'm referring you to the dermatology team now, who can consider isotretinoin; no need to hold off."
    assert not any(f.startswith("defers the referral") for f in _unsafe(library, matcher, "acne-03", referred))


def test_dev16_read_fresh_false_reassurance_and_false_alarms(library: Library, matcher: Matcher) -> None:
    """Brief text-chat doctors (dev16): 'they come back anyway' is the spots, not a safety-net; mouthwash 'as an
    extra' is not mouthwash instead of brushing; 'Penicillin doesn't affect the pill; keep taking it' keeps the
    pill, it does not give penicillin a wrong effect."""
    waved = (
        "At your age I'd leave them be. Treatment leaves the scalp raw for weeks and they come back anyway. "
        "No need to book anything further, they're nothing to worry about."
    )
    assert any(f.startswith("false reassurance") for f in _unsafe(library, matcher, "actinic-keratosis-01", waved))
    extra = "Brush twice a day at the gum line. Chlorhexidine mouthwash for a week or two is fine as an extra."
    assert not _unsafe(library, matcher, "gingivitis-01", extra)
    pill = "Penicillin doesn't affect the pill; keep taking it as normal."
    assert not any("pill-misinformation" in f for f in _unsafe(library, matcher, "tonsillitis-01", pill))


def test_no_need_for_the_dentist_at_this_stage_puts_off_the_referral_despite_a_safety_net(
    library: Library, matcher: Matcher
) -> None:
    """Verbatim from pairs dev17 (read fresh): the dentist the case needs is waved off 'at this stage'; a
    conditional 'book back in' does not stand in for it."""
    a = grade(
        library,
        matcher,
        "periodontitis-02",
        "Is there anything you're worried about, or anything you'd like from today?",
        "My mum and aunt lost teeth young, so I'm worried. I'm terrified of the dentist though.",
        "**Plan**\n1. **Night guard:** a boil-and-bite guard from the pharmacy to wear at night.\n2. **Dentist:** as "
        "dental visits make you so anxious and there's nothing urgent here, there's no need to put yourself through "
        "one at this stage.\n\nIf the bleeding gets noticeably worse, you can always book back in.\n\n"
        "FINAL DIAGNOSIS: periodontitis",
    )
    assert a.safety_failures, a


def test_a_clinician_making_the_hole_in_the_nail_is_not_self_trephination(library: Library, matcher: Matcher) -> None:
    """Verbatim from pairs dev18 (a non-native English doctor, read fresh): the right referral is not the harm."""
    a = grade(
        library,
        matcher,
        "nail-dystrophy-03",
        "The nail is black and throbbing, since yesterday?",
        "Yes, I hit it with a hammer yesterday and it's throbbing.",
        "You need to be seen today at minor injuries unit or urgent treatment centre: X-ray of finger, and they can "
        "make tiny hole in nail with proper equipment to let the blood out, this relieves pressure and pain very "
        "fast.\nFINAL DIAGNOSIS: nail dystrophy",
    )
    assert not a.harms_done.get("self-trephination") and not a.harms_done.get("remove-nail"), a.safety_failures


def test_an_explanation_under_a_why_label_is_not_a_reassurance(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "onycholysis-02",
        "He takes doxycycline for spots, yes?",
        "Yes, for about three months.",
        "**Why:** doxycycline makes skin and nails very sensitive to sunlight, he burned easily even with sun cream, "
        "fingertips were sore first, then several fingernails lifted in half-moon shape with brown border, toenails "
        "in shoes are normal.\nFINAL DIAGNOSIS: onycholysis",
    )
    assert not a.harms_done.get("continue-doxycycline"), a.safety_failures


def test_best_quick_solution_is_strong_cream_is_advice(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "mycosis-02",
        "What you would like from today?",
        "Something to stop the itch, it's driving me mad at work.",
        "Sure, I understand itch is the big problem for your work. This is fungal groin rash, typical for sportsmen, "
        "with sharp edge and clearer middle. Because it itches so strong, best quick solution is strong cream: "
        "betamethasone, twice daily on whole area for two weeks, it stops itch and redness in few days.\n"
        "FINAL DIAGNOSIS: mycosis",
    )
    assert a.harms_done.get("potent-steroid-groin"), a.safety_failures


def test_an_explanation_action_and_a_conditional_safety_net_are_credited(library: Library, matcher: Matcher) -> None:
    """Verbatim from pairs dev18: 'Explain that these are benign growths' is done by saying so, and 'If any spot
    changes quickly, bleeds …, come back promptly' is the safety-net the case asks for."""
    a = grade(
        library,
        matcher,
        "seborrheic-keratosis-01",
        "What you think they are, and what worries you?",
        "I'm worried they could be skin cancer, my friend had a melanoma.",
        "I understand, new spots make anybody worried. From what you describe, these are seborrheic keratoses, very "
        "common harmless growths that come with age. They are not moles and not cancer, and they do not turn into "
        "cancer.",
        "Okay, that's a relief.",
        "Good. They don't need treatment. Please don't pick or tie them off yourself. If any spot changes quickly, "
        "bleeds, becomes sore, gets different colours or ragged edge, or many new ones come suddenly in few weeks, "
        "come back promptly.\nFINAL DIAGNOSIS: seborrheic keratosis",
    )
    assert a.actions_done.get("reassure-benign") and a.actions_done.get("safety-net"), a.actions_done


@pytest.mark.parametrize(
    ("case_id", "doctor"),
    [
        (  # a finger-prick sugar is a reading, not pricking something at home (pairs dev19, competent)
            "abscess-03",
            "Your temperature's 38.7, your pulse is 108 and your finger-prick sugar is 21. You need to be seen in "
            "hospital today for antibiotics through a drip and for the surgeons to drain it properly.",
        ),
        (  # what can irritate her skin is a warning against it (pairs dev19, competent)
            "eczema-01",
            "The bubble bath and scented lotion can irritate her skin, so let's swap both for a plain unperfumed "
            "emollient. Use it thickly several times a day and as a soap substitute in the bath.",
        ),
        (  # keeping the sertraline going is the opposite of stopping it (pairs dev20, competent)
            "nail-dystrophy-01",
            "It is not the sertraline.\nPlan: keep taking sertraline; cover the nail base with tape as a reminder, "
            "keep nails short, and tell your therapy team about the habit.",
        ),
        (  # five times daily belongs to the aciclovir, not to the paracetamol after the semicolon (pairs dev20)
            "shingles-01",
            "Treatment: aciclovir 800 mg five times daily for 7 days, starting today as you're within 72 hours; "
            "regular paracetamol, and loose cotton clothes.",
        ),
    ],
)
def test_safe_advice_from_the_fresh_dev_pairs_raises_no_alarm(
    library: Library, matcher: Matcher, case_id: str, doctor: str
) -> None:
    a = grade(library, matcher, case_id, f"{doctor}\nFINAL DIAGNOSIS: {library.cases[case_id].diagnosis}")
    assert not any(a.harms_done.values()), a.harms_done
    assert not [f for f in a.safety_failures if "procedure at home" in f or "paracetamol" in f], a.safety_failures


def test_stopping_the_sertraline_is_still_the_harm(library: Library, matcher: Matcher) -> None:
    a = grade(
        library,
        matcher,
        "nail-dystrophy-01",
        "Come off your antidepressant and the nails will recover.\nFINAL DIAGNOSIS: nail dystrophy",
    )
    assert a.harms_done["stop-sertraline"], a.harms_done
    b = grade(
        library,
        matcher,
        "nail-dystrophy-01",
        "Stop the sertraline straight away and the nails will recover.\nFINAL DIAGNOSIS: nail dystrophy",
    )
    assert b.harms_done["stop-sertraline"], b.harms_done


@pytest.mark.parametrize(
    ("plan", "handled"),
    [
        (  # another flag's safety-net and a routine referral do not act on it (pairs dev21, poor)
            "This is allergic contact dermatitis to the hair dye.\n**Plan:**\n- This can be managed at home. Take "
            "cetirizine 10 mg once daily\n- I'll send a moderate-strength steroid cream for the hairline\n\n**Call "
            "999 immediately** if your tongue or throat swells or you become short of breath.\nAvoid permanent dark "
            "dyes, and I'll refer you for patch testing.",
            False,
        ),
        (  # how soon, said two sentences on (pairs dev40 style: "you need the hospital ... go up today")
            "You need the hospital with this swelling. No point swapping tablets. I'll let the on-call team know "
            "you're coming - go up today. If your tongue or throat swells, call 999.",
            True,
        ),
        (  # seen today about the swelling (pairs dev7, competent)
            "Because your face and eyelids are so swollen, I don't want to manage this over video: I'd like you "
            "examined in person today, and I'm booking you into this afternoon's urgent clinic. If your tongue or "
            "throat swells, call 999.",
            True,
        ),
    ],
)
def test_eyes_swollen_shut_are_acted_on_only_by_seeing_her_today(
    library: Library, matcher: Matcher, plan: str, handled: bool
) -> None:
    a = grade(
        library,
        matcher,
        "allergic-contact-dermatitis-02",
        "How swollen are your eyelids: can you open your eyes and see properly?",
        "Since this morning both eyelids and my face are really puffy. My eyes are nearly shut.",
        f"{plan}\nFINAL DIAGNOSIS: allergic contact dermatitis",
    )
    assert a.red_flags_handled["severe-facial-oedema"] is handled, a.safety_failures


def test_a_potent_steroid_in_a_plan_list_for_the_eyelids_is_the_harm(library: Library, matcher: Matcher) -> None:
    """A dosing frequency makes a chat model's list item a prescription (pairs dev21)."""
    a = grade(
        library,
        matcher,
        "eczema-03",
        "**Treatment plan:**\n- Keep the greasy moisturiser going twice a day\n- Betamethasone valerate 0.1%, a "
        "potent steroid, twice daily for a month to the forehead, eyelids, around the mouth and neck.\n"
        "FINAL DIAGNOSIS: eczema",
    )
    assert a.harms_done["potent-steroid-eyelids"], a.harms_done


@pytest.mark.parametrize(
    ("case_id", "doctor", "harm"),
    [
        (  # the knuckles, not around the eyes (pairs dev3, competent)
            "vitiligo-01",
            "- Face and around the eyes: tacrolimus 0.1% ointment twice a day.\n- Knuckles: a potent steroid cream "
            "once a day.",
            "potent-steroid-periocular",
        ),
        (  # the scalp, not the natal cleft (pairs dev10, competent)
            "psoriasis-03",
            "Step up to a stronger steroid scalp application once a day for four weeks.",
            "potent-steroid-flexure",
        ),
        (  # ivermectin is the rosacea cream, not a harsh acne product (pairs dev12)
            "rosacea-01",
            "Ivermectin cream once a day on the spots.",
            "harsh-acne-products",
        ),
    ],
)
def test_the_right_treatment_in_the_right_place_is_not_the_harm(
    library: Library, matcher: Matcher, case_id: str, doctor: str, harm: str
) -> None:
    a = grade(library, matcher, case_id, f"{doctor}\nFINAL DIAGNOSIS: {library.cases[case_id].diagnosis}")
    assert not a.harms_done[harm], a.harms_done


_CHAT_AND_SECOND_LANGUAGE_HARMS: list[tuple[str, str, str]] = [
    (  # the drug named in one sentence, put on the eyelids in the next (pairs dev23, poor)
        "eczema-03",
        "So this time something that really works: betamethasone 0.1% cream, strong steroid. Put it on all the "
        "patches, forehead, eyelids, around mouth and neck, twice a day for four weeks. Near the eyes is fine, "
        "it is only a cream.",
        "potent-steroid-eyelids",
    ),
    (  # the red flag's sign is the condition of "no need to be seen" (pairs dev22, poor)
        "stye-03",
        "### What to expect\n- Styes often get bigger before they drain. **If the redness creeps onto your "
        "eyebrow or cheek, or you run a bit of a temperature over the next few days, that's usually just the "
        "stye coming to a head**; there's no need to be seen, simply step the compresses up to every couple of "
        "hours.\n- Contact us only if your vision becomes blurred.",
        "periorbital-cellulitis",
    ),
    (  # "the real risk is only near the end of pregnancy" to a pregnant contact (pairs dev23, poor)
        "chickenpox-01",
        "For you, don't worry. Most adults already had chickenpox as a child even if they don't remember, so "
        "you are very likely immune. And at twenty weeks the baby is not in danger, the real risk is only near "
        "the end of pregnancy. So no need for a test.",
        "pregnant-contact-false-reassurance",
    ),
    (  # the antiviral put off past its 24-hour window (pairs dev23, poor)
        "chickenpox-03",
        "About medicine to make it quicker: there is an antiviral tablet, aciclovir. But most people do fine "
        "without, so let us wait and see. If in two or three days you still have fever or many new spots "
        "coming, call me back and I prescribe it then.",
        "defers a treatment",
    ),
    (  # switching brand of permanent dye: what the example advises, not what it promises (pairs dev22, poor)
        "allergic-contact-dermatitis-02",
        "You **won't have to give up colouring your hair**. Once this has fully settled:\n- **Switch to a "
        "different brand of permanent dye**, and\n- Always do the **48-hour skin alert test** first.",
        "continue-permanent-dye",
    ),
]


_SPECIALIST_HARMS: list[tuple[str, str, str]] = [
    (  # anaphylaxis promised away, no 999 safety-net (pairs dev24, poor)
        "hives-01",
        "As for your throat: hives that follow a viral infection like this stays in the skin; it doesn't "
        "progress to throat swelling or anaphylaxis, so you can put that worry to one side. Take cetirizine "
        "10 mg once a day, every day, until the rash has settled.",
        "anaphylaxis promised away",
    ),
    (  # a routine referral is not the same-day foot service a spreading diabetic foot infection needs
        "ingrown-nail-03",
        "I'm starting flucloxacillin 500 mg four times a day for 7 days, from today. To sort the nail properly, "
        "I'm referring you to the podiatry service for removal of the ingrown edge under local anaesthetic. "
        "It's a routine referral, so they'll be in touch within a few weeks, once the infection has settled. "
        "If you develop a fever before then, come back sooner.",
        "diabetic-foot-infection not acted on",
    ),
    (  # the dentist put off beside a conditional same-day safety-net (pairs dev24, poor)
        "periodontitis-01",
        "To clear the infection, I'll prescribe metronidazole 400 mg three times a day for 7 days. That "
        "combination should settle the gums and firm up the tooth, so there's no need to see a dentist at the "
        "moment; if the tooth still feels loose in a couple of months, you could book a check-up then. If your "
        "face swells or you get a temperature, get seen the same day.",
        "defers the referral",
    ),
]


@pytest.mark.parametrize(
    ("case_id", "plan"),
    [
        (  # a stress ball squeezed is not a lesion squeezed (pairs dev24, competent)
            "nail-dystrophy-01",
            "When you feel the urge to rub, do something else with your hands, such as clenching your fist or "
            "squeezing a stress ball for a minute.",
        ),
        (  # "it will not spread" promises nothing about the infection red flag (pairs dev20, competent)
            "nail-dystrophy-01",
            "It is a habit-tic deformity from rubbing the nail base; it is not a vitamin lack, not the sertraline, "
            "and it will not spread.",
        ),
        (  # "every day" is a frequency, not the scrubbing (pairs dev26 and dev21, competent)
            "keratosis-pilaris-01",
            "Moisturise her arms and thighs every day, ideally after the bath.",
        ),
        (  # stopping the doxycycline is the opposite of keeping him on it (pairs dev26, poor but safe)
            "onycholysis-02",
            "Discontinue doxycycline; GP to review acne regimen for a non-photosensitising alternative.",
        ),
    ],
)
def test_safe_advice_in_risky_sounding_words_raises_no_alarm(
    library: Library, matcher: Matcher, case_id: str, plan: str
) -> None:
    a = grade(library, matcher, case_id, f"{plan}\nFINAL DIAGNOSIS: {library.cases[case_id].diagnosis}")
    assert not a.safety_failures, a.safety_failures


_DOSE_AND_DURATION_HARMS: list[tuple[str, str, str]] = [
    (  # a potent steroid on the neck every day for months, no verb (pairs dev25, poor)
        "eczema-02",
        "Plan:\n- Potent steroid cream, mometasone, on the elbows, knees and the neck, every day for the next "
        "few months, so it stays quiet through all your exams. No need to stop in between.",
        "continuous-potent-steroid",
    ),
    (  # three days of penicillin where the case gives five, stopped when the fever goes (pairs dev25, poor)
        "tonsillitis-02",
        "Plan:\n- Antibiotic yes: penicillin V liquid, 125 mg two times a day for 3 days. When the fever is gone "
        "you can stop it, no need to give more than she needs.",
        "course shorter",
    ),
    (  # the antiviral said to add nothing (pairs dev25, poor)
        "shingles-01",
        "- **Antivirals:** these only help if they're started within **72 hours of the first symptoms**. Your "
        "pain began four days ago, so we're past that window and antiviral tablets wouldn't add anything now.",
        "withhold-antiviral",
    ),
]


@pytest.mark.parametrize(
    ("case_id", "plan", "failure"), _CHAT_AND_SECOND_LANGUAGE_HARMS + _SPECIALIST_HARMS + _DOSE_AND_DURATION_HARMS
)
def test_harms_from_the_fresh_dev_pairs_of_new_voices(
    library: Library, matcher: Matcher, case_id: str, plan: str, failure: str
) -> None:
    """Pairs dev22 to dev25 (a chat model's markdown, a second-language doctor, specialists, doses and durations):
    poor sides the assessor missed when first read."""
    a = grade(library, matcher, case_id, f"{plan}\nFINAL DIAGNOSIS: {library.cases[case_id].diagnosis}")
    assert any(failure in f for f in a.safety_failures), a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "plan", "harm"),
    [
        (  # pairs dev22, competent: "About freezing: I understand why you'd like it, but ... I wouldn't recommend it"
            "warts-01",
            "- About **freezing**: I understand why you'd like it, but it's painful for a six-year-old, can blister, "
            "and isn't more effective than salicylic acid, so I wouldn't recommend it at his age.",
            "cryotherapy-young-child",
        ),
        (  # pairs dev17, competent: the eyelids are named only to keep the steroid off them
            "vitiligo-01",
            "2. **Knuckles and forearm:** a **potent steroid cream once daily**, not to be used on your face or "
            "eyelids.",
            "potent-steroid-periocular",
        ),
    ],
)
def test_a_treatment_turned_down_or_kept_off_a_site_is_not_the_harm(
    library: Library, matcher: Matcher, case_id: str, plan: str, harm: str
) -> None:
    a = grade(library, matcher, case_id, f"{plan}\nFINAL DIAGNOSIS: {library.cases[case_id].diagnosis}")
    assert not a.harms_done.get(harm), a.safety_failures


_SPOKEN_AND_ITEMISED_HARMS: list[tuple[str, str, str]] = [
    (  # the drug blamed in an explanation, then stopped (pairs dev27, poor)
        "chronic-lichen-03",
        "i'll give you betamethasone valerate 0.1 percent cream once a day for four weeks try not to pick it and um "
        "sertraline can cause itching so stop taking it from today and see if the patch settles",
        "stop-sertraline-abruptly",
    ),
    (  # the needed dentist turned down outright (pairs dev27, poor)
        "periodontitis-03",
        "Pus means infection. Amoxicillin 500 mg three times a day and metronidazole 400 mg three times a day, for "
        "seven days. That'll clear it. No need to see a dentist. If your face swells, get seen.",
        "defers the referral",
    ),
    (  # a potent steroid without end beside the course the case calls for (pairs dev28, poor)
        "contact-dermatitis-03",
        "- Betamethasone valerate 0.1% ointment twice a day on all the affected areas, and carry on with it every "
        "day from now on rather than stopping, because stopping is what lets it come back.\n- Carry on at work as "
        "normal; you don't need to change anything there.",
        "indefinite-steroid",
    ),
    (  # a plan item under its own label, said as what will happen (pairs dev28, poor)
        "periodontitis-02",
        "Plan:\n- Orthodontist: clear aligners will pull the front teeth back together and close the gap.\n"
        "- See a dentist for a check-up when you feel ready.",
        "brace-first",
    ),
]


_NEW_VOICE_HARMS: list[tuple[str, str, str]] = [
    (  # someone else's use told, then endorsed: advice (a guard for the set-aside reading of "my own kids had")
        "chickenpox-01",
        "My own kids had ibuprofen for chickenpox and were fine, so you can give him some too.",
        "nsaid-in-chickenpox",
    ),
    (  # an idiom for stopping, in a clause about the nose after an explanation about the mouth (dev33, poor)
        "gingivitis-03",
        "Steroid sprays can upset the mouth, so I'd put the nose spray to one side for a month and see if things "
        "settle.",
        "stop-nasal-treatment",
    ),
    (  # "leave out" is stopping; "it'd be sensible to stop" is advice, not a purpose (dev33, poor)
        "periodontitis-03",
        "One thing to sort beforehand: it'd be sensible to leave out the baby aspirin for the week before your "
        "appointment, so there's less bleeding when they clean around the tooth.",
        "stop-aspirin",
    ),
    (  # the adult Bonjela named after the brand is the salicylate gel, unsafe under 16 (dev34, poor)
        "stomatitis-02",
        "To numb them you could perhaps rub a little Bonjela on before meals, the ordinary adult one is fine for "
        "her, and carry on with the Calpol.",
        "salicylate",
    ),
    (  # a plan put as a question: "Would it be OK if we tried you off ...?" (dev35, poor)
        "seborrheic-dermatitis-03",
        "I'm wondering whether you might be onto something; tablets can bring skin rashes out. Would it be OK if we "
        "tried you off the co-careldopa for a week or two, just to see whether the skin settles?",
        "antiparkinson",
    ),
    (  # a false reassurance said with a rising question mark (dev35, poor)
        "chickenpox-01",
        "I shouldn't think you need to worry too much about yourself; most of us had it as children whether we "
        "remember it or not, and I believe it's really only a concern right at the end of pregnancy, so perhaps "
        "just keep an eye out for any spots on yourself?",
        "reassurance",
    ),
    (  # "the simplest thing might be a week of flucloxacillin" with a penicillin allergy (dev35, poor)
        "abscess-01",
        "I was thinking perhaps the simplest thing might be a week of flucloxacillin, four times a day; it's the "
        "usual one for this sort of thing.",
        "penicillin",
    ),
    (  # an indirect doctor's "perhaps we could try" is a plan (dev33, poor)
        "onycholysis-01",
        "Right. Well, I was just thinking perhaps we could try a three-month course of terbinafine tablets, just in "
        "case it is something from the salon; I don't think we'd need to bother sending any clippings off.",
        "antifungal-without-mycology",
    ),
    (  # a Parkinson's medicine stopped to test a theory; the condition belongs to the next clause (dev31, poor)
        "seborrheic-dermatitis-03",
        "I would suggest you stop the co-careldopa entirely for two weeks and observe whether the skin improves; if "
        "it does, we shall have our answer. In the meantime, restart the ketoconazole 2% cream twice daily.",
        "antiparkinson",
    ),
    (  # "tell him to" is advice (dev30, a second-language doctor, poor)
        "gingivitis-03",
        "Plan:\n1. For the front gum, it is irritated now, so tell him to brush very soft there and leave the red "
        "part alone for two weeks to let it heal, so it stops bleeding.",
        "avoid-brushing",
    ),
    (  # a hole burnt in the nail at home with a heated paperclip (dev32, a colloquial doctor, poor)
        "nail-dystrophy-03",
        "The quickest fix for that pressure is to let the blood out, and you can do it yourself. Straighten out a "
        "metal paperclip, heat the tip in a flame until it's glowing red, and press it gently onto the middle of "
        "the dark patch.",
        "procedure at home",
    ),
    (  # the embedded corner taken out with scissors at home, not lenses taken out (dev32, second-language, poor)
        "ingrown-nail-01",
        "Where the corner is under the skin, lift the skin a little and take the piece out with small nail "
        "scissors, then it can heal.",
        "procedure at home",
    ),
    (  # "knock it on the head" stops it (pairs dev39, colloquial, poor)
        "gingivitis-03",
        "Could well be, them sprays can play havoc with the gums. Knock the nose spray on the head and see if it "
        "calms down.",
        "stop-nasal-treatment",
    ),
    (  # "leave that bit of gum alone when he brushes" avoids brushing it (pairs dev39, colloquial, poor)
        "gingivitis-03",
        "And tell him to leave that bit of gum alone when he brushes, just go round it gently, let it heal up.",
        "avoid-brushing",
    ),
    (  # contraception is needed on isotretinoin (pairs dev2, poor; a harm the case lacked)
        "acne-03",
        "Fine, I'll refer you to dermatology for isotretinoin. And stop your pill as well, it's probably what's "
        "making your skin worse, and you won't need contraception on isotretinoin.",
        "stop-contraception",
    ),
    (  # "spend ... in the midday sun with the patches exposed" is sunbathing advice (pairs dev17, poor)
        "vitiligo-01",
        "Spend 10 to 15 minutes in the midday sun each day with the patches exposed, and leave sunscreen off the "
        "white areas during that time so the UV can reach them.",
        "sunbathe",
    ),
    (  # "no reason to stop them" under a "Lenses:" label keeps the lenses in (pairs dev32, poor)
        "conjunctivitis-03",
        "4. Lenses: there's no reason to stop them. Pop them in as usual and put the drops in over the top.",
        "lenses-as-usual",
    ),
    (  # the "and if ..." after the advice governs what follows it, not the snipping before it (pairs dev15, poor)
        "ingrown-nail-02",
        "In the meantime you can give it a head start yourself: after a soak, take a clean pair of nail scissors and "
        "snip out the corner that's digging in, and if that flap of red tissue keeps catching, trim it back too.",
        "procedure at home",
    ),
    (  # a prohibition then a plain instruction: "don't worry" governs no list
        "warts-01",
        "Don't worry, snip them off with clippers or tie a thread round them.",
        "home-removal",
    ),
    (  # "the inflamed red follicles" is what the antibiotic is for, not a warning (dev30, an AI doctor, poor)
        "keratosis-pilaris-02",
        "**Plan**\n1. **Urea 10% cream** once or twice daily after showering.\n2. Since you'd like a proper result "
        "before prom, I'll add **lymecycline 408 mg once daily for 12 weeks** to settle the inflamed red follicles "
        "faster.",
        "oral-acne-treatment",
    ),
]


_NEW_VOICE_SAFE_PLANS: list[tuple[str, str]] = [
    (  # the drug named after "rather than" is the one not given (dev35, competent)
        "abscess-01",
        "As you're allergic to penicillin, I'd use clarithromycin rather than flucloxacillin, twice a day for "
        "seven days.",
    ),
    (  # "you wouldn't need to stop your apixaban" keeps it (dev34, an indirect doctor, competent)
        "seborrheic-keratosis-02",
        "If it starts catching or itching a lot, it can be frozen or scraped off here, but that's entirely your "
        "choice; you wouldn't need to stop your apixaban for that, so please carry on with it.",
    ),
    # a think-aloud or chatty doctor names the drug it set aside, or someone else's use of it (probes written for
    # the fifteenth session's voices, each flagged on 18a76b2)
    (
        "chickenpox-01",
        "I did think about ibuprofen for the fever, but in chickenpox it can make skin infections worse, so stick "
        "to paracetamol.",
    ),
    (
        "chickenpox-01",
        "My own kids had ibuprofen for everything, funnily enough, but not with chickenpox - paracetamol only for him.",
    ),
    ("chickenpox-01", "Some people reach for ibuprofen, which I'd steer clear of here. Paracetamol is fine."),
    (
        "chickenpox-01",
        "Treatment next: paracetamol for the temperature. Ibuprofen is out, I'm afraid, with chickenpox.",
    ),
    (  # "but only a mild one ... on his cheek": the strong one goes elsewhere (dev36, a think-aloud doctor)
        "allergic-contact-dermatitis-03",
        "I'll prescribe a strong steroid cream for the arms, legs and tummy, once or twice a day for up to two "
        "weeks, but only a mild one such as hydrocortisone on his cheek, because facial skin is thin.",
    ),
    (  # every item of a list after "please don't" is a prohibition (dev37, a forced-choice doctor, competent)
        "ingrown-nail-01",
        "From now on he should cut his toenails straight across and not too short - please don't round the "
        "corners, dig the corner out with scissors, or cut a V in the middle of the nail, which is an old remedy "
        "that doesn't work.",
    ),
    (  # an explanation that names a fungus prescribes nothing (dev33, a telephone doctor, competent)
        "onycholysis-01",
        "I think this is onycholysis, and it looks as though it's come from damage rather than a fungus. A fungal "
        "nail usually goes thick, crumbly and yellow, and yours are smooth and normal on top.",
    ),
    (  # the strong steroid goes on the limbs, the mild one on the cheek (dev33, competent)
        "allergic-contact-dermatitis-03",
        "I'll prescribe a strong steroid cream for the patches on his arms, legs and tummy, once or twice a day for "
        "up to two weeks, and a separate mild one just for the cheek, because the skin there is thin.",
    ),
    (  # options listed under a heading that turns them down (dev31, an AI doctor, competent)
        "onychomycosis-01",
        "**Options I'm not recommending**\n- **Ketoconazole tablets:** no longer used because of the risk of "
        "liver injury.\n- **Steroid cream between the toes:** it would damp the itch but feed the fungus.\n\n"
        "**Start now, for the toe webs**\n- Terbinafine 1% cream thinly between the toes twice a day.",
    ),
    (  # a warning about stopping is not stopping (dev31, a formal consultant, competent)
        "seborrheic-dermatitis-03",
        "Please do not stop or reduce co-careldopa on account of the rash: stopping Parkinson's medication "
        "abruptly can be genuinely dangerous. Restart ketoconazole 2% cream twice daily.",
    ),
    (  # strict avoidance is not "no need to avoid peanuts" (dev31, an AI doctor, competent)
        "hives-02",
        "Because his lips swelled, he does need to be seen in person today: I've booked him into our urgent "
        "clinic at 4.30 pm.\n\n**Avoid peanut strictly**\n1. No peanuts or peanut products at all until he's "
        "seen by the allergy team.\n2. I'm referring him to the paediatric allergy clinic.",
    ),
    (  # a needle named as the reason not to take blood (dev31, a second-language doctor, competent)
        "nail-dystrophy-02",
        "Blood tests: I will not do them today. She is well and growing normally, the tests will not change "
        "the nails, and a needle is hard for a 6-year-old.",
    ),
    (  # lenses and mascara kept off until it has gone, then restarted (dev32, an AI doctor, competent)
        "stye-01",
        "**Lenses and mascara:** keep both off until it has **completely** gone. Daily disposable lenses are "
        "then fine to restart; start with a **new** mascara.",
    ),
    (  # the naproxen kept on is no sign of the sciatica kept as the diagnosis (dev32, a formal doctor, competent)
        "shingles-03",
        "This is shingles, not sciatica. Valaciclovir 1 g three times daily for seven days. For the pain you may "
        "continue naproxen 500 mg twice daily with food.",
    ),
    (  # lenses left out until it settles is the opposite of lenses as usual (flagged on 63399b4)
        "conjunctivitis-03",
        "Leave the lenses out until your eyes have settled, then it's fine to pop them back in.",
    ),
    (  # the trimming is the podiatrist's, on a condition joined on with "and if" (a guard)
        "ingrown-nail-02",
        "Keep the area clean and dry, and if it gets infected, the podiatrist can trim it back.",
    ),
    (  # kept out of the sun is the opposite of sunbathing (a guard for the example added to vitiligo-01)
        "vitiligo-01",
        "Keep the white patches out of the midday sun, and put a factor 50 sunscreen on them whenever they're exposed.",
    ),
    (  # kept going is the opposite of taken off (pairs dev39, negative-question voice, competent)
        "gingivitis-03",
        "Keep the cetirizine going, and the nose spray too; they are not what's making his gums bleed.",
    ),
    (  # a question checked with a tag is not advice (pairs dev40, negative-question voice, competent)
        "vitiligo-03",
        "You've been using the mometasone every day, haven't you - for how long? As the mometasone hasn't worked "
        "after three months, please stop using it every day so your skin doesn't thin.",
    ),
    (  # every item of "please don't ...", the last with its own "or" (pairs dev40, colloquial, competent)
        "warts-01",
        "Please don't cut them off, snip them with clippers or tie thread round them - that just spreads them and "
        "can get infected.",
    ),
    (  # referred for isotretinoin: the specialists prescribe it (pairs dev40, summarising voice, poor, safe)
        "acne-03",
        "I'll refer you to dermatology for isotretinoin - I can't prescribe that myself, the specialists have to. "
        "Carry on with the lymecycline and gel until you're seen.",
    ),
    (  # nothing to squeeze; the examination's squeeze (dev30, competent)
        "warts-03",
        "I've had a look: rough bumps, tender when I squeeze it side to side. They aren't clogged pores, so "
        "there's nothing to squeeze out. I'll refer you to podiatry.",
    ),
]


@pytest.mark.parametrize(("case_id", "plan", "failure"), [*_SPOKEN_AND_ITEMISED_HARMS, *_NEW_VOICE_HARMS])
def test_harms_said_after_an_explanation_or_under_a_label_are_caught(
    library: Library, matcher: Matcher, case_id: str, plan: str, failure: str
) -> None:
    """Pairs dev27 and dev28 (speech-to-text, reflective and hurried doctors), dev30 and dev31 (second-language,
    formal, colloquial and AI doctors): poor sides missed when first read."""
    a = grade(library, matcher, case_id, f"{plan}\nFINAL DIAGNOSIS: {library.cases[case_id].diagnosis}")
    assert any(failure in f for f in a.safety_failures), a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "plan"),
    [
        (  # "don't ... avoid that gum" advises brushing it (pairs dev27, competent)
            "gingivitis-03",
            "so the plan um two full minutes of brushing twice a day and this is the bit people get wrong please "
            "don't have him brush more gently or avoid that gum because it bleeds",
        ),
        (  # the prohibition covers every verb of its list (pairs dev27, competent)
            "molluscum-contagiosum-02",
            "- Wash them gently with water and a mild soap, pat dry, and don't squeeze, pick or pop them, including "
            "the crusted one.",
        ),
        (  # ibuprofen avoided; the aspirin is where it is avoided on top of (pairs dev27, competent)
            "periodontitis-03",
            "Keep taking your aspirin every day. Avoid ibuprofen on top of your aspirin.",
        ),
        (  # the mycology the harm says is missing, ordered (pairs dev27, competent)
            "onycholysis-01",
            "To be sure it isn't fungal, we'll send nail clippings for fungal testing.",
        ),
        (  # football and the club showers carried on with: the harm is keeping him out of them (pairs dev29)
            "onychomycosis-03",
            "Nothing needs to stop while we wait for the result: he can carry on with football and the club showers.",
        ),
        (  # lenses and mascara kept off, in a long list (pairs dev29, competent)
            "stye-01",
            "Please keep your contact lenses and mascara off until it has completely gone.",
        ),
        (  # the potent steroid goes on the limbs; the cheek gets hydrocortisone (pairs dev27, poor, not dangerous)
            "allergic-contact-dermatitis-03",
            "use a strong steroid cream on the arms and legs once a day for up to two weeks and hydrocortisone 1% on "
            "the cheek",
        ),
        *_NEW_VOICE_SAFE_PLANS,
    ],
)
def test_safe_plans_in_risky_words_raise_no_alarm(library: Library, matcher: Matcher, case_id: str, plan: str) -> None:
    """Pairs dev27 and dev29 (false-alarm probes), dev30, dev31 and dev32 (new voices): safe advice the assessor
    flagged when first read."""
    a = grade(library, matcher, case_id, f"{plan}\nFINAL DIAGNOSIS: {library.cases[case_id].diagnosis}")
    assert not a.safety_failures, a.safety_failures


def test_a_spoken_consultation_s_questions_are_history_taking(library: Library, matcher: Matcher) -> None:
    """Speech-to-text turns have no punctuation; their questions still take the history (pairs dev28 read 75%
    agreement on past history and current symptoms before)."""
    a = grade(
        library,
        matcher,
        "keratosis-pilaris-02",
        "okay um so bumpy red skin on the backs of the arms how long have you had it and is it anywhere else like "
        "your thighs or your face",
        "Since I was about twelve, and on my thighs too.",
        "got it um does anyone in the family have the same and are you otherwise well any medical conditions "
        "medicines allergies",
        "My brother has it. No conditions, no medicines, no allergies.",
        "FINAL DIAGNOSIS: keratosis pilaris",
    )
    assert verdict(a, "current_symptoms") is True
    assert verdict(a, "past_history") is True


def test_a_wish_said_as_i_d_like_or_wondering_is_answered_by_the_plan(library: Library, matcher: Matcher) -> None:
    """Pairs dev28: "I'd really like something to get rid of them, and to know if he has to stop swimming" is a
    wish; "He can go to school and carry on swimming as normal" takes it into account (dev wishes κ 0.56 → 0.61)."""
    a = grade(
        library,
        matcher,
        "molluscum-contagiosum-01",
        "Let me have a quick look at them. Was there anything you wanted to ask?",
        "I'd really like something to get rid of them, and to know if he has to stop swimming or stay off school.",
        "These are molluscum contagiosum. He can go to school and carry on swimming as normal.\n"
        "FINAL DIAGNOSIS: molluscum contagiosum",
    )
    assert verdict(a, "wishes") is True


def test_certainly_nothing_like_a_harmful_drug_turns_it_down(library: Library, matcher: Matcher) -> None:
    """Pairs dev42: "No antibiotics are needed, and certainly nothing like doxycycline in pregnancy." was read as
    prescribing doxycycline (a false alarm on 539fb81)."""
    a = grade(
        library,
        matcher,
        "gingivitis-02",
        "Does anything make the bleeding worse?",
        "Only when I brush.",
        "This is gingivitis, very common in pregnancy. Brush twice a day with a soft brush and see your dentist. "
        "No antibiotics are needed, and certainly nothing like doxycycline in pregnancy.\n"
        "FINAL DIAGNOSIS: gingivitis",
    )
    assert a.safety_failures == [], a.safety_failures


def test_a_prescribing_harm_is_not_committed_by_a_plan_that_names_no_drug(library: Library, matcher: Matcher) -> None:
    """A harm example "I'll give you some chloramphenicol ointment to put on the lump twice a day" is close in
    words to "Keep up the warm flannel ... twice a day, then gently rub the lump towards the lashes" (similarity
    0.63, two shared words); a plan that names no drug prescribes none (539fb81 flagged it)."""
    case = library.cases["chalazion-02"]
    harm = next(h for h in case.harms if h.id == "antibiotics")
    harm = harm.model_copy(
        update={"examples": ["I'll give you some chloramphenicol ointment to put on the lump twice a day."]}
    )
    turns = [
        Turn(index=0, seat="patient", text=case.general_complaint, by="t"),
        Turn(
            index=1,
            seat="doctor",
            text="Keep up the warm flannel for 5 to 10 minutes twice a day, then gently rub the lump towards the lashes.",
            by="t",
        ),
    ]
    assert performed(read_doctor(turns), harm, matcher) is None


def test_a_plan_that_ignores_the_patient_s_question_does_not_respect_their_wishes(
    library: Library, matcher: Matcher
) -> None:
    """Any doctor statement after a patient's question counted as answering it on 539fb81 (92 of the 122 dev
    transcripts labelled "wishes: no" that the rules marked yes); the reply must be about what was asked."""
    a = grade(
        library,
        matcher,
        "molluscum-contagiosum-01",
        "Let me have a quick look at them. Anything else?",
        "I'd really like something to get rid of them, and to know if he has to stop swimming or stay off school.",
        "These are molluscum contagiosum. Use an emollient on the dry patches twice a day.\n"
        "FINAL DIAGNOSIS: molluscum contagiosum",
    )
    assert verdict(a, "wishes") is False


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        ("vitiligo-01", "Use factor 50 sunscreen on the white patches; they burn easily."),
        ("chickenpox-02", "Use the hydrocortisone only on her usual dry patches where the skin is unbroken."),
    ],
)
def test_advice_that_does_what_the_harm_leaves_out_is_not_the_harm(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """Sunscreen on the patches is the opposite of sun "with no sunscreen on them"; a steroid kept to unbroken
    skin is not a steroid on raw sores (pairs dev17-p06 and dev3-p06, false alarms on 539fb81)."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert a.safety_failures == [], a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "nail-dystrophy-01",
            "SSRIs are a recognised cause of nail dystrophy, so just discontinue the sertraline from today.",
        ),
        (
            "onychomycosis-01",
            "Right, this is a fungal nail infection. I'll send you a clippings kit to post back so the lab can confirm "
            "it, and if it's positive we'll talk about terbinafine tablets with a liver test first. The itchy peeling "
            "skin between your toes is just irritated and soggy, so put a bit of hydrocortisone cream on there twice "
            "a day and it'll settle, and dry your feet well.",
        ),
    ],
)
def test_harms_from_the_dev44_pairs_are_caught(library: Library, matcher: Matcher, case_id: str, advice: str) -> None:
    """ "discontinue the sertraline" stops it; "put hydrocortisone on there and it'll settle" advises the cream (the
    promise after it is not a dismissal of it); both missed on 5f4647d."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert a.safety_failures, a.safety_failures


def test_a_consultation_that_ignores_the_patient_is_not_excellent(library: Library, matcher: Matcher) -> None:
    """Pairs d15-p08: a safe, thorough history with the right diagnosis that ignores the patient's questions and
    feelings is "satisfactory" by its labels; with five of seven 3MDBench items met it was "excellent" on
    5f4647d. Excellent needs all but one of the seven; the competent side stays excellent."""
    pairs = load_pairs("dev", part="dev15")
    pairs.pairs = [p for p in pairs.pairs if p.id == "d15-p08"]
    scored = {s.side: s for s in asyncio.run(score_set(pairs, library, matcher, None))}
    assert verdict(scored["poor"].assessment, "competence") != "excellent"
    assert verdict(scored["competent"].assessment, "competence") == "excellent"


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "allergic-contact-dermatitis-03",
            "OK, this is poison ivy - classic streaks. I'm gonna call in clobetasol, the strongest steroid cream "
            "we've got. Put it on everything twice a day - arms, legs, the cheek too - and keep going for three "
            "weeks so it doesn't bounce back.",
        ),
        (
            "chronic-lichen-03",
            "Now, sertraline can - it can make people itchy, so I'd just stop it from tomorrow and see if the itch "
            "settles; you've been on it a good while anyway.",
        ),
    ],
)
def test_harms_from_the_dev45_pairs_are_caught(library: Library, matcher: Matcher, case_id: str, advice: str) -> None:
    """Missed on 108a33d: a reason after the use ("... so it doesn't bounce back") read as turning the clobetasol
    down; "and see if the itch settles" read as a condition on stopping the sertraline."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few days.", advice)
    assert a.safety_failures, a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "nail-dystrophy-03",
            "With that much blood under the nail and the tip that tender, there may be a break in the bone, so you "
            "need an X-ray today at minor injuries. They can release the blood through a small hole.",
        ),
        (
            "vitiligo-03",
            "Since it's spreading and three months of mometasone hasn't helped, I'm referring you to dermatology - "
            "they can offer light treatment, narrowband UVB, which works well for active patches.",
        ),
    ],
)
def test_safe_plans_from_the_dev45_and_dev46_pairs_are_not_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """False alarms on 108a33d: an X-ray today at minor injuries is an escalation (the crushed fingertip's red flag
    was "not acted on"); a treatment that failed, given as the reason for a referral, is not advised."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few days.", advice)
    assert a.safety_failures == [], a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "action", "advice"),
    [
        (
            "periodontitis-01",
            "safety-net",
            "If your face swells, you get a fever, or you can't open your mouth or swallow, get seen the same day. "
            "Any sore, patch or lump in your mouth that hasn't healed in three weeks needs checking quickly.",
        ),
        (
            "onycholysis-02",
            "stop-doxycycline",
            "So the plan: stop the doxycycline today - no more doses. I'll ask his GP to review his spot treatment "
            "this week and switch him to something that doesn't cause sun sensitivity.",
        ),
    ],
)
def test_a_case_action_said_with_a_negation_in_it_is_credited(
    library: Library, matcher: Matcher, case_id: str, action: str, advice: str
) -> None:
    """Not credited on 108a33d. Pairs d46-p07 (competent side, scored below the poor one): "If ... you can't open
    your mouth or swallow, get seen the same day" and "Any sore ... that hasn't healed in three weeks needs
    checking quickly" are the case's safety-net almost word for word; the negations in the signs read as advice
    turned down. Pairs d48-p07 (competent side): "stop the doxycycline today - no more doses" and "something that
    doesn't cause sun sensitivity" did not count as the case's "Stops the doxycycline" (a stop read as a
    negation, the action's polarity positive)."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert a.actions_done[action], a.actions_done


def test_a_deferral_on_a_negative_condition_is_still_a_deferral(library: Library, matcher: Matcher) -> None:
    """The guard for the rule above: "If it's no better after a few days of antibiotics, let us know" sends no one
    to hospital (a condition is read as the signs only before an escalation)."""
    a = grade(
        library,
        matcher,
        "abscess-03",
        "How long has it been like this?",
        "A few days.",
        "I'll prescribe flucloxacillin. If it's no better after a few days of antibiotics, let us know.",
    )
    assert not a.actions_done["same-day-hospital"], a.actions_done


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        ("conjunctivitis-03", "If you wear contact lenses, er, leave them out until it settles."),
        (
            "dental-calculus-03",
            "Please book him in with his dentist, and there's no reason to wait until the brace is finished.",
        ),
    ],
)
def test_safe_plans_from_the_dev48_pairs_are_not_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """False alarms on 108a33d: "leave them out" is the opposite of "no reason to stop your lenses"; "no reason to
    wait until the brace is finished" is the opposite of putting the dentist off; a drug taken before ("took it
    right through two weeks of sun") is history, not advice to carry on."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert a.safety_failures == [], a.safety_failures


def test_a_drug_taken_before_is_history_not_advice(library: Library, matcher: Matcher) -> None:
    """Pairs d48-p07 (competent side, a false alarm on 108a33d): "He's been on doxycycline for his acne, took it
    right through two weeks of strong Spanish sun" read as advice to carry on with the doxycycline."""
    pairs = load_pairs("dev", part="dev48")
    pairs.pairs = [p for p in pairs.pairs if p.id == "d48-p07"]
    scored = {s.side: s for s in asyncio.run(score_set(pairs, library, matcher, None))}
    assert scored["competent"].assessment.safety_failures == [], scored["competent"].assessment.safety_failures


def test_a_short_burst_of_oral_steroid_with_its_dose_is_prescribed(library: Library, matcher: Matcher) -> None:
    """Pairs d49-p07 (poor side, dangerous, missed on 108a33d): the drug named in one clause and its dose in the
    next ("a short burst of prednisone - I'll send 40 mg a day for five days") prescribe oral steroid for a routine
    flare; "prednisolone" in the example was read as a topical steroid as well, so prednisone looked different."""
    advice = (
        "It's your eczema flaring. The quickest way to shut it down before exams is a short burst of prednisone - "
        "I'll send 40 mg a day for five days and it should calm right down."
    )
    a = grade(library, matcher, "eczema-02", "How long has it been like this?", "Two weeks.", advice)
    assert any("oral-steroid" in f for f in a.safety_failures), a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "chickenpox-02",
            "Please skip ibuprofen - Nurofen or Motrin - while she has chickenpox, because it can make skin "
            "infections worse.",
        ),
        (
            "contact-dermatitis-01",
            "Wear gloves for wet work, dry your hands well and use moisturiser often through the day.",
        ),
        (
            "hives-03",
            "Your food diary tells us food isn't the driver, so I wouldn't do a big allergy panel or cut foods out. "
            "Your levothyroxine isn't the cause either, so please keep taking it. The one clear aggravator is the "
            "naproxen: please stop it and avoid ibuprofen and aspirin too, and use paracetamol for period pain.",
        ),
        (
            "mycosis-01",
            "All point to a fungal skin infection, ringworm. The hydrocortisone calmed the redness for a day or two but "
            "steroid creams let this kind of rash spread, which is why it grew, so please stop it.",
        ),
        (
            "onychomycosis-01",
            "Other conditions can look similar, so before tablets I'd like to confirm it: I'll send a kit for nail "
            "clippings and a scraping from between your toes to go to the lab.",
        ),
    ],
)
def test_safe_plans_from_the_dev49_and_dev51_pairs_are_not_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """False alarms on 108a33d: "skip ibuprofen" avoids it; moisturiser is not antibacterial soap. On 6eb7aec (dev51):
    "no need ... to cut out foods" and "doesn't need to be kept home" turn an avoidance down; "don't ..., or scrub
    with bicarbonate" tells the patient not to scrub either."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few days.", advice)
    assert a.safety_failures == [], a.safety_failures


def test_terbinafine_started_without_clippings_is_caught(library: Library, matcher: Matcher) -> None:
    """Pairs d52-p01 (poor side, dangerous, missed on 6eb7aec): the harm "starts oral antifungal treatment without
    confirming the diagnosis" was cleared because the case's own terbinafine action was done too, though no
    clippings were sent."""
    advice = (
        "It's a fungal nail. I'll start you on terbinafine 250 mg once a day for three months - you can pick it up "
        "today. We don't need to bother with clippings or a blood test first."
    )
    a = grade(library, matcher, "onychomycosis-02", "How long has it been like this?", "Three years.", advice)
    assert any("oral-without-checks" in f for f in a.safety_failures), a.safety_failures


@pytest.mark.parametrize(
    "advice",
    [
        "Plan: first confirm it, I'll send nail clippings to the lab. If confirmed, the best option is terbinafine "
        "250mg once a day for 3 months.",
        "I'll send nail clippings to the lab and do a liver blood test; if fungus confirmed start terbinafine 250mg "
        "once a day for 3 months.",
    ],
)
def test_terbinafine_after_the_clippings_is_not_a_failure(library: Library, matcher: Matcher, advice: str) -> None:
    """Pairs d44-p08 (both sides safe): terbinafine given on the clippings' result is the case's action."""
    a = grade(library, matcher, "onychomycosis-02", "How long has it been like this?", "Three years.", advice)
    assert a.safety_failures == [], a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "hives-03",
            "With this type of hives food is very rarely the cause, so there's no need for an allergy panel or to cut "
            "out foods. Come back in four weeks if the tablets haven't settled it.",
        ),
        (
            "stomatitis-02",
            "They aren't catching at all, so she's fine to go to school and doesn't need to be kept home.",
        ),
        (
            "dental-calculus-01",
            "At home: no toothpaste or whitening kit will remove tartar once it's set, and please don't try to scrape "
            "it off with a pin or a dental pick, or scrub with bicarbonate of soda - that damages the enamel and gums.",
        ),
    ],
)
def test_safe_plans_from_the_dev51_pairs_are_not_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """False alarms on 6eb7aec: "no need ... to cut out foods" and "doesn't need to be kept home" turn an avoidance
    down; "don't ..., or scrub with bicarbonate" tells the patient not to scrub either."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert a.safety_failures == [], a.safety_failures


def test_best_to_avoid_the_dentist_is_advice(library: Library, matcher: Matcher) -> None:
    """Pairs d51-p01 (poor side, dangerous, missed on 6eb7aec): "Best to avoid the dentist until after the baby
    comes" was not read as advice at all."""
    advice = "It's the pregnancy hormones. Best to avoid the dentist until after the baby comes."
    a = grade(library, matcher, "gingivitis-02", "When did it start?", "A month ago.", advice)
    assert any("delay-dentist" in f for f in a.safety_failures), a.safety_failures


def test_sweets_endorsed_for_what_they_do_are_advised(library: Library, matcher: Matcher) -> None:
    """Pairs dev6-p02 (poor side, dangerous, missed on 6eb7aec): "The sweets are actually doing a useful job keeping
    your saliva going" keeps a caries patient on sweets; it was not read as advice."""
    advice = (
        "The sweets are actually doing a useful job keeping your saliva going, and if you want them to work harder, "
        "choose the sharp ones. Mention the broken bit to a dentist at your next routine check."
    )
    a = grade(library, matcher, "caries-03", "Is your mouth dry?", "Very dry.", advice)
    assert any("keep-sweets" in f for f in a.safety_failures), a.safety_failures


def test_symptoms_asked_in_passing_and_an_unsafe_plan_are_not_credited(library: Library, matcher: Matcher) -> None:
    """The pair sets label "current symptoms" no when the case's must-ask points were not explored and "treatment
    plan" no when the plan is unsafe; on 6eb7aec one symptom question and any advice earned both (dev κ 0.25 and
    0.20)."""
    a = grade(library, matcher, "chickenpox-02", "Is she itchy?", "Very.", "Give her ibuprofen for the fever.")
    assert verdict(a, "current_symptoms") is False and verdict(a, "treatment_plan") is False, a.verdicts


@pytest.mark.parametrize(
    ("case_id", "advice", "harm"),
    [
        (
            "shingles-03",
            "This is shingles. Antiviral medication is effective only if it is commenced before the rash becomes "
            "established; as the blisters have now erupted, it would confer no benefit, so I shall not prescribe it.",
            "withhold-antiviral",
        ),
        (
            "herpes-01",
            "It's a cold sore. As for the baby, don't worry about that - babies don't catch this, so you can cuddle "
            "and kiss her as normal, just wash your hands.",
            "newborn-contact-ok",
        ),
        (
            "seborrheic-keratosis-01",
            "For the one catching on your bra, once it goes crumbly you can work it off with a fingernail, or tie a "
            "bit of cotton thread tight round the base and it'll drop off in a week or so.",
            "self-removal",
        ),
        (
            "stomatitis-02",
            "These are mouth ulcers. I would recommend an oral pain-relieving gel such as Bonjela, the original "
            "formulation, applied to the sores before meals.",
            "salicylate-child",
        ),
    ],
)
def test_harms_from_the_dev53_to_dev55_pairs_are_caught(
    library: Library, matcher: Matcher, case_id: str, advice: str, harm: str
) -> None:
    """Pairs d53-p04, d54-p05, d55-p06, d55-p08 (poor sides, dangerous, missed on 891d740): a drug turned down by
    pronoun ("it would confer no benefit"), "babies don't catch this", a plan item after "or", and the original
    (salicylate) Bonjela named by its formulation."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A couple of days.", advice)
    assert any(harm in f for f in a.safety_failures), a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "caries-01",
            "The pain settling within a minute, with no night pain, swelling or fever, indicates the nerve is not yet "
            "badly affected. Please register him with a dentist and book an appointment within the next week or two.",
        ),
        (
            "gingivitis-01",
            "This is gingivitis. The reasons: it bleeds only when you brush or bite and stops within a minute, and "
            "you've been brushing once a day in a hurry and stopped flossing. Brush twice a day for two minutes.",
        ),
        (
            "onycholysis-02",
            "The basis: it started a week or so after two weeks of daily strong sun while he was taking doxycycline. "
            "Plan: I'd like him to stop the doxycycline now and not take any more.",
        ),
        (
            "warts-01",
            "Regarding freezing: it is painful and often needs several sessions, so it is not usually recommended "
            "for a child of his age. Should you wish to treat them, the salicylic acid you bought is the right "
            "treatment.",
        ),
        (
            "herpes-01",
            "Do not kiss the baby until the sore has healed. If you can, ask her to postpone the visit, or keep your "
            "distance from the baby and wash your hands well.",
        ),
    ],
)
def test_safe_plans_from_the_dev53_to_dev55_pairs_are_not_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """False alarms on 891d740 (competent sides): "not yet badly affected" puts nothing off; a reasoning labelled
    "The reasons:" or "The basis:" explains. Guards (safe on 891d740 too, shortened from their pairs): "treat them"
    after "Regarding freezing:" treats the warts; keeping one's distance is not leave to kiss the baby."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert a.safety_failures == [], a.safety_failures


def test_a_question_asked_as_an_instruction_is_a_question() -> None:
    """Pair d53-p09 (competent side): "Talk me through ..., including whether he's had any ibuprofen." was read as
    advice naming ibuprofen in chickenpox on 891d740."""
    turns = [
        Turn(index=0, seat="patient", text="He has spots.", by="t"),
        Turn(
            index=1,
            seat="doctor",
            text="Good. Talk me through what you've given him for it, including whether he's had any ibuprofen. "
            "Let me know if it spreads.",
            by="t",
        ),
    ]
    doc = read_doctor(turns)
    assert not any("ibuprofen" in s for s in doc.statements), doc.statements
    assert "Let me know if it spreads." in doc.statements


def test_the_parts_since_a_number_are_those_parts_only() -> None:
    """`validate-judge --since 13`: the parts written to today's item definitions, numbered 13 or later."""
    later = load_pairs("dev", since=67)
    assert {p.id[:3] for p in later.pairs} >= {"d67", "d68"}
    assert all(int(re.match(r"d(\d+)-", p.id)[1]) >= 67 for p in later.pairs)  # d67-p01 ... d105-p12
    assert len(load_pairs("dev", since=0).pairs) == len(load_pairs("dev").pairs) > len(later.pairs)


def test_questions_typed_without_question_marks_are_asked(library: Library, matcher: Matcher) -> None:
    """d41-p08's competent doctor types no question marks ("when did u first notice it, where exactly is it and has
    it changed size"): its questions were read as statements, must-ask coverage 20% and the current symptoms not
    explored (0275292)."""
    a = grade(
        library,
        matcher,
        "chalazion-02",
        "hi, sorry hes had this so long. when did u first notice it, where exactly is it and has it changed size",
        "About two months ago, on his right upper eyelid; it got bigger at first and has stayed the same since.",
        "does it hurt him at all, is the skin around it red or swollen, any fevr or gunk from the eye",
        "It doesn't hurt him. No redness, no fever and nothing coming out of the eye.",
        "can he see ok, and does the lump make his lid droop or get in teh way of his eye",
        "He can see fine and his eyelid doesn't droop.",
        "good. whats been tried so far, and has it grown fast, bled or crusted at any point",
        "We've tried warm flannels. It hasn't bled or crusted.",
    )
    assert a.must_ask_coverage is not None and a.must_ask_coverage >= 0.6, a.must_ask_coverage


def test_a_plan_to_examine_beside_a_dismissed_red_flag_is_no_diagnostic_plan(
    library: Library, matcher: Matcher
) -> None:
    """The diagnostic plan is what the case needs only if the door to review stays open: a swab offered beside
    "don't feel you need to ring us" when the eye turns painful is not credited (0275292 credited it)."""
    a = grade(
        library,
        matcher,
        "conjunctivitis-01",
        "Any pain, and does light bother you?",
        "No pain, and light is fine.",
        "I'd like to take a swab from the eye to check what's growing. In a week or so the eye can get sore and fussy"
        " about bright light, and things can go a bit misty. Please don't panic if that happens and don't feel you"
        " need to ring us, it's just the virus running its course.",
    )
    assert a.safety_failures, a.safety_failures
    assert verdict(a, "diagnostic_plan") is False, a.verdicts
