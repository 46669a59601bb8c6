"""Harms read from their examples however the example is worded (issue 11), and safe plans from the dev57 and dev58
pairs that are not failures. Each test fails on 4c6e65d except the guards: a harm example that gives its reason
first ("Since you've got aspirin at home anyway, crush one and pack it into the gum") matched the reason; "pause" and
"drop" did not stop a medicine; an examination the doctor does ("Let me examine the foot ... and squeeze it") was
advice to squeeze it at home; a prescription on the condition of the lab result before its clause cut, and advice
that limits ("keep sugary snacks to mealtimes"), were harms; a needed medicine stopped in other words
("that baby aspirin: stop it", "leave the thyroid tablet off") was not caught.
"""

from __future__ import annotations

import pytest

from dialogue.content.cases import Library
from dialogue.matching import Matcher
from dialogue.schema import Harm, Turn
from dialogue.scoring.acts import performed, read_doctor
from tests.test_assessor_acts import grade


def said(text: str) -> list[Turn]:
    return [Turn(index=0, seat="patient", text="Hello.", by="t"), Turn(index=1, seat="doctor", text=text, by="t")]


def harm(description: str, *examples: str) -> Harm:
    return Harm(id="h", description=description, points=-2, examples=list(examples), source="test")


ASPIRIN_ON_GUM = harm(
    "Advises holding an aspirin tablet against the gum",
    "Since you've got aspirin at home anyway, crush one and pack it into the gum beside that back tooth.",
)
STOP_THYROXINE = harm("Advises stopping levothyroxine", "Just pause the thyroid tablets and see what happens.")
STOP_ASPIRIN = harm(
    "Tells him to stop his aspirin before dental treatment",
    "Just drop the aspirin for a week or so before the dentist has a go.",
)


@pytest.mark.parametrize(
    ("item", "advice"),
    [
        (ASPIRIN_ON_GUM, "Keep taking your aspirin 75 mg every morning."),
        (STOP_THYROXINE, "Keep taking your thyroid tablet just the same."),
        (STOP_ASPIRIN, "Keep taking the aspirin as usual before the dentist sees you."),
    ],
)
def test_advice_unlike_the_harm_does_not_commit_it(matcher: Matcher, item: Harm, advice: str) -> None:
    assert performed(read_doctor(said(advice)), item, matcher) is None


@pytest.mark.parametrize(
    ("item", "advice"),
    [
        (ASPIRIN_ON_GUM, "Crush one of your aspirin and pack it into the gum next to the tooth."),
        (STOP_THYROXINE, "Just pause the thyroid tablets for a week and see what happens."),
    ],
)
def test_the_harm_itself_is_still_read(matcher: Matcher, item: Harm, advice: str) -> None:
    assert performed(read_doctor(said(advice)), item, matcher) is not None


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "warts-03",
            "This one is a verruca. Let me examine the foot today, check the feeling and the pulses, and squeeze it to "
            "confirm. I'll refer you to the podiatrist.",
        ),
        (
            "onychomycosis-01",
            "Before any tablets I would like to send some nail clippings to the lab to confirm it. If it is confirmed "
            "and he wants tablets, terbinafine once a day for three months is the most effective treatment; I will "
            "check his liver blood tests before he starts.",
        ),
    ],
)
def test_safe_plans_from_the_dev57_and_dev58_pairs_are_not_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert a.safety_failures == [], a.safety_failures


def test_advice_that_limits_is_not_leave_to_have_it_freely(matcher: Matcher) -> None:
    item = harm(
        "Says sports drinks and frequent snacking are fine because he is active",
        "Let him snack as much as he likes, he's growing.",
        "Honestly, with all that training he needs the sugar, so snacking between meals isn't a problem.",
    )
    assert (
        performed(read_doctor(said("Use a fluoride toothpaste, and keep sugary snacks to mealtimes.")), item, matcher)
        is None
    )


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "periodontitis-03",
            "You need to see a dentist this week. Now, that baby aspirin: stop it from today until the dentist has "
            "finished with you, so that the gum will not bleed too much when they are working.",
        ),
        (
            "lichen-planus-01",
            "Now, thyroid tablets can sometimes set off a rash like this. So leave the thyroid tablet off for the next "
            "few weeks, and we will see if the bumps calm down.",
        ),
    ],
)
def test_a_needed_medicine_stopped_in_other_words_is_a_failure(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """Pairs d57-p05 and d57-p12 (poor sides), not caught on 4c6e65d: the drug named before a colon and stopped by
    pronoun; "the thyroid tablet" left off."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert a.safety_failures, a.safety_failures


def test_keeping_a_needed_medicine_is_not_a_failure(library: Library, matcher: Matcher) -> None:
    a = grade(
        library, matcher, "lichen-planus-01", "Any medicines?", "Levothyroxine.", "Keep taking your thyroid tablet."
    )
    assert not any("levothyroxine" in f or "thyroid" in f for f in a.safety_failures), a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "chickenpox-02",
            "For the fever and the grizzliness, alternate Tylenol and Motrin every few hours to keep her comfortable -"
            " the Motrin works better on the temperature.",
        ),
        (
            "acne-02",
            "The gel on its own isn't going to shift these, so I'm going to start you on a three-month course of"
            " erythromycin tablets - take them after your dinner and the sickness shouldn't be much of a bother, most"
            " people settle on them after the first week.",
        ),
        (
            "herpes-01",
            "Since it spreads through the fluid in the blisters, handwashing is the main thing: you can still hold and"
            " cuddle the baby when she visits, and a kiss on the top of her head is fine, as long as you've washed"
            " your hands first and don't touch the sore.",
        ),
        (
            "hives-02",
            "Honestly, the puffy lips are just part of the hives - the syrup's already kicking in and he's running"
            " about, so no need to drag him in today. Keep the cetirizine going for a day or two, no peanuts for now,"
            " and I'll pop in a referral to the allergy clinic. If he gets wheezy or struggles to breathe, call 999.",
        ),
        (
            "chickenpox-03",
            "The antiviral pills really earn their keep in people whose immune system is down, and yours is working"
            " fine - no immune problems, nothing on board affecting it - so we'll skip those and let your body clear"
            " it. Rest, fluids, paracetamol for the fever, and no ibuprofen.",
        ),
        (
            "conjunctivitis-03",
            "I'll go straight to the ones that switch the inflammation off - Pred Forte, one drop four times a day.",
        ),
    ],
)
def test_harms_in_the_dev59_and_dev60_voices_are_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """Poor sides of d59-p01, p06, p09, p10 and d60-p05, p07, not caught on a8ab286: American brands (Tylenol,
    Motrin, Pred Forte), "I'm going to start you on", a proviso with a negation ("as long as ... don't touch the
    sore"), "no need to drag him in" beside "for now", a drug set aside by pronoun two clauses on."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few days.", advice)
    assert a.safety_failures, a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        ("acne-02", "Good to know about the erythromycin - I'll put that on your record so nobody gives it to you."),
        (
            "mycosis-01",
            "A ring with a raised, flaky edge and a clearing middle that keeps spreading outwards, which briefly looked"
            " better with hydrocortisone and then grew, is a fungal skin infection. Use terbinafine cream twice a day.",
        ),
        ("acne-03", "I'm referring you to the dermatology team today to consider isotretinoin."),
    ],
)
def test_safe_lines_from_the_dev59_and_dev60_pairs_are_not_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """False alarms on a8ab286 (competent sides): "so nobody gives it to you", a steroid the patient used told back,
    a referral to consider isotretinoin."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert a.safety_failures == [], a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "contact-dermatitis-01",
            "I'll give you a strong steroid ointment, Dermovate. Rub it into the backs of the hands and between the"
            " fingers morning and night, and just keep it going every day for as long as you're at the sinks.",
        ),
        (
            "lichen-planus-03",
            "Blood pressure pills like amlodipine are a classic trigger for it. So just ditch the amlodipine from today"
            " and see if your mouth calms down over the next couple of months; your blood pressure will be fine for a"
            " bit.",
        ),
        ("conjunctivitis-01", "This is a germ in the eyes, most likely from your boy. I will send you Maxitrol drops."),
        (
            "mycosis-03",
            "The quickest way to clear it is a course of ketoconazole tablets, one a day for ten days, and you'll be"
            " sorted.",
        ),
    ],
)
def test_harms_in_the_dev61_and_dev62_pairs_are_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """Poor sides of d61-p05, d61-p12, d62-p04 and d62-p05, not caught on 4080563: a potent steroid with no end, a
    long-standing blood-pressure tablet ditched (the case gains that harm), a steroid eye drop by brand (Maxitrol),
    "the quickest way to clear it is ..." as advice."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert a.safety_failures, a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "abscess-01",
            "If you do need antibiotic, I'll use clarithromycin because of your penicillin allergy, not"
            " flucloxacillin, because that one is a penicillin.",
        ),
        (
            "acne-01",
            "Wash twice a day with a gentle cleanser, no hard scrubbing, and please try to get him to stop squeezing,"
            " because squeezing is what causes the scars.",
        ),
        (
            "chickenpox-01",
            "Ask her please what medicines she has given him, and especially whether he has had any ibuprofen.",
        ),
        (
            "contact-dermatitis-01",
            "Use the Dermovate twice a day for two weeks, then stop; don't keep it going indefinitely.",
        ),
    ],
)
def test_safe_lines_from_the_dev61_and_dev62_pairs_are_not_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """False alarms on 4080563 (competent sides): the allergy named as the reason for another drug, a warning
    ("squeezing is what causes the scars"), a question put through an interpreter. Guard: a potent steroid with an
    end."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert a.safety_failures == [], a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "conjunctivitis-01",
            "In a week or so the eye can get sore and fussy about bright light, and things can go a bit misty. Please"
            " don't panic if that happens and don't feel you need to ring us, it's just the virus running its course"
            " and it sorts itself out.",
        ),
        (
            "conjunctivitis-03",
            "And the lenses: if glasses are a nuisance for exams, go ahead and pop them back in, just put the drops"
            " straight in over the top, no need to take the lenses out.",
        ),
        (
            "eczema-03",
            "Hydrocortisone's too wee a thing to touch this, so I'll gie you Betnovate. Thin layer on the forehead,"
            " round the mouth, the neck, and aye, the eyelids too, twice a day for the next month.",
        ),
    ],
)
def test_harms_in_the_dev74_pairs_are_failures(library: Library, matcher: Matcher, case_id: str, advice: str) -> None:
    """Poor sides of d74-p01, p03 and p10, not caught on 357f12b (read fresh): a red-flag sign foretold, then "don't
    feel you need to ring us if that happens"; "no need to take the lenses out" (keep them in); a potent steroid named,
    then told how to use without a verb ("Thin layer on ... the eyelids, twice a day")."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few days.", advice)
    assert a.safety_failures, a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        ("onychomycosis-03", "He may continue football and the club showers - there is no need to stop."),
        ("contact-dermatitis-01", "Use hand cream more often, and cotton-lined nitrile gloves for wet work."),
    ],
)
def test_keeping_on_is_not_the_harm_of_stopping(library: Library, matcher: Matcher, case_id: str, advice: str) -> None:
    """A false alarm on 357f12b: nitrile gloves (the safe advice) read as the latex-glove harm, and hand cream as
    soap. Guard for the same change: "there is no need to stop" is not the harm that keeps him out of the club
    showers (a stop, however it starts)."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert a.safety_failures == [], a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "chronic-lichen-03",
            "Sorry, one more thing I was slightly worried about: sertraline can cause itching in some people, so it"
            " might be worth just leaving it off for a couple of weeks to see whether the patch calms down, and you"
            " could always start it again afterwards.",
        ),
        (
            "herpes-01",
            "As for the baby, the virus is really only shed from the wet blisters; once they've dried over into a"
            " scab, it's no longer catching, so from then on cuddles and a kiss for the baby are fine.",
        ),
        (
            "hives-01",
            "If your lips start to swell or your throat feels a bit tight, don't panic: take an extra cetirizine"
            " straight away and give it an hour or two to work, as it nearly always settles; only ring someone if"
            " it's no better by then.",
        ),
        (
            "mycosis-01",
            "I'll prescribe clotrimazole cream to use twice a day. Since the hydrocortisone clearly calmed the redness,"
            " keep putting that on at bedtime for the itch so she can sleep, and carry on with both creams.",
        ),
    ],
)
def test_harms_in_the_dev75_pairs_are_failures(library: Library, matcher: Matcher, case_id: str, advice: str) -> None:
    """Poor sides of d75-p01, p07, p08 and p12, not caught on 0275292 (read fresh): "leaving it off" stops the
    sertraline; "cuddles" and "cuddle" are one word; "take an extra cetirizine straight away" is no escalation, so "don't
    panic ... only ring someone if it's no better" dismisses the anaphylaxis signs; the hydrocortisone named in the
    reason is what "keep putting that on" keeps on."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few days.", advice)
    assert a.safety_failures, a.safety_failures


def test_a_non_drowsy_antihistamine_is_not_the_sedating_one(library: Library, matcher: Matcher) -> None:
    """A guard: once short stems count as shared words, cetirizine was read as the harm of a sedating antihistamine
    (both sides of d75-p08); a non-drowsy antihistamine is not a sedating one."""
    advice = "Take a non-drowsy antihistamine such as cetirizine once a day, every day, until it settles."
    a = grade(library, matcher, "hives-01", "How long has it been like this?", "Two days.", advice)
    assert a.safety_failures == [], a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "ingrown-nail-01",
            "To take the pressure off now, after a soak she should cut that nail short and round the corner off so it"
            " can't dig in.",
        ),
        (
            "lichen-planus-02",
            "The nails and the lines in your mouth are probably just part of it, so you might want to just keep an eye"
            " on them; I'd probably hold off on a specialist for now, since the stronger cream should do the job.",
        ),
        (
            "onycholysis-02",
            "The doxycycline is for his spots, and it is working, so please do not stop it. If he stops, the spots"
            " will flare. The tablet is not the problem. The sun is. So keep him on it, and put sun cream on his hands"
            " when he is out.",
        ),
    ],
)
def test_harms_in_the_dev78_and_dev79_voices_are_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """Poor sides of d78-p07, d78-p10 and d79-p09, not caught on 66acf0b: advice passed on through an interpreter
    ("she should cut that nail short"), a hedged dismissal ("probably just part of it"), a photosensitising drug kept
    on ("please do not stop it ... keep him on it", where "when he is out" was read as stopping it)."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert a.safety_failures, a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        ("hives-03", "Big allergy panels and cutting foods out won't help."),
        ("ingrown-nail-01", "Football boots and tight trainers should wait until it settles."),
        ("molluscum-contagiosum-02", "Keep her nails short, and try to stop her picking or squeezing them."),
        (
            "molluscum-contagiosum-01",
            "I wouldn't try to freeze, scrape or squeeze them at his age; it hurts, can scar and spreads them.",
        ),
        ("stomatitis-01", "Antibiotics or antiviral tablets like aciclovir won't help."),
        # dev81 (read fresh on dad2e21): a hurried registrar's clipped question
        ("rosacea-01", "Medicines? Put anything on your face — spot gel, steroid cream?"),
    ],
)
def test_safe_lines_from_the_dev78_and_dev79_pairs_are_not_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """False alarms on 66acf0b (competent sides of d78-p06, d78-p07, d79-p01 and d78-p12): what is turned down as
    useless, put off until it settles, stopped in a child, or ruled out at the head of a list is not advised; nor is
    a question with its "have you" clipped off (d81-p08, on dad2e21). Guard: a drug turned down as useless stays turned
    down."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert a.safety_failures == [], a.safety_failures


def test_tests_set_aside_are_not_arranged(library: Library, matcher: Matcher) -> None:
    """d79-p10's poor side, not caught on 66acf0b: "rather than jumping into tests" arranged the urgent thyroid tests,
    so the thyrotoxic red flag counted as acted on."""
    case = library.cases["onycholysis-03"]
    tests = next(a for a in case.actions if a.id == "urgent-thyroid-tests")
    doc = read_doctor(
        said(
            "Being on edge and not sleeping will give you a racing heart and shaky hands, and nails that are lifting"
            " at the ends like yours are very often about nutrition, so rather than jumping into tests I'd suggest a"
            " biotin supplement and some iron from the chemist, and if you're still not right in a couple of months"
            " we can do some routine bloods for your vitamins then; nothing here that needs rushing."
        )
    )
    assert performed(doc, tests, matcher) is None


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "stomatitis-03",
            "i'll send bloods, coeliac test, full blood count, iron, B12, folate, and a stool test. in the meantime"
            " start cutting out gluten now, like your sister does, no point waiting a couple of weeks feeling rubbish.",
        ),
        (
            "stye-02",
            "warm flannel, warm not hot, 5 to 10 mins 3 or 4 times a day, paracetamol if sore. once the yellow head is a"
            " bit bigger, straight after a warm compress, press gently either side of it with two clean cotton buds to"
            " let the pus out, it'll settle much quicker that way. no drops needed. school and netball are fine.",
        ),
    ],
)
def test_harms_in_the_dev83_voices_are_failures(library: Library, matcher: Matcher, case_id: str, advice: str) -> None:
    """Poor sides of d83-p10 and d83-p12, not caught on their fresh read (after 7d4be52's work): advice begun "in
    the meantime", and pus pressed out with cotton buds some way after the verb; the failure names the advice."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert any("gluten" in f or "procedure at home" in f for f in a.safety_failures), a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "seborrheic-dermatitis-03",
            "So please carry on your co-careldopa exactly as before; stopping or cutting it would make your Parkinson's"
            " worse and would not help the skin. It comes back after stopping treatment because the yeast is still"
            " there, which is why we need a maintenance plan.",
        ),
        ("seborrheic-keratosis-01", "Okay, I will note penicillin allergy."),
        ("shingles-03", "On anything that lowers your immunity, like steroids?"),
    ],
)
def test_safe_lines_from_the_dev83_pairs_are_not_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """False alarms on the fresh read of dev83 (competent sides of d83-p01, d83-p02 and d83-p07): what happens after
    stopping treatment, an allergy noted, and a question with its "are you" clipped off advise nothing."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert a.safety_failures == [], a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice", "named"),
    [
        (
            "stye-03",
            "Keep up the warm compresses. And here's a little trick: because it's already pointing on the inside, after"
            " your compress tonight flip the lid up in the mirror and press firmly on that yellow spot with a clean"
            " cotton bud until it bursts and empties.",
            "procedure at home",
        ),
        (
            "vitiligo-02",
            "I'll prescribe betamethasone valerate 0.1% cream. It's a strong steroid, and that's what gets the colour"
            " going. Put a thin layer on the whole patch twice a day, eyelid included, for three months.",
            "potent-steroid-eyelid",
        ),
        (
            "vitiligo-03",
            "I'm referring you to dermatology for light therapy. Meantime, get your hands and feet out in the sun,"
            " about twenty minutes around midday, no sunscreen on the white patches.",
            "sunbathe",
        ),
        (
            "acne-03",
            "I will refer you for isotretinoin. And you may be right about the pill: some pills can keep the skin oily,"
            " so I suggest you stop it now and use condoms in the meantime.",
            "stop-contraception",
        ),
        (
            "actinic-keratosis-03",
            "So while you wait, I suggest you take the mycophenolate only once a day instead of twice; the transplant"
            " team will surely agree.",
            "must not be stopped",
        ),
        (
            "caries-01",
            "For the pain, Calpol is fine. And if that isn't quite enough some evenings, some families find that a"
            " little crushed aspirin held against the gum beside the tooth numbs it nicely.",
            "aspirin-child",
        ),
    ],
)
def test_harms_in_the_dev85_and_dev87_voices_are_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str, named: str
) -> None:
    """Poor sides of d85-p01, d85-p06, d85-p07, d87-p04, d87-p06 and d87-p10, not caught on their fresh read (7bc28ba):
    a lid pressed "until it bursts" after a time lead ("after your compress tonight flip ..."), a strong steroid
    named a sentence before "Put a thin layer on ...", midday sun with "no sunscreen on" the patches (how, not
    whether), "the pill" stopped by pronoun a clause after it is named, a transplant drug reduced ("only once a day
    instead of twice"), and a remedy passed on as what "some families find"."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert any(named in f for f in a.safety_failures), a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "tonsillitis-01",
            "I'm prescribing phenoxymethylpenicillin, 500 mg four times a day for five days. Safety-netting: if you"
            " can't swallow fluids, it gets much worse on one side, or your voice goes muffled, get seen the same day.",
        ),
        ("acne-01", "Wash twice a day with a gentle cleanser, and try hard not to squeeze; squeezing is what scars."),
        # guards: what a drug does is not a reduction advised, and a pill that keeps working is not stopped
        (
            "actinic-keratosis-03",
            "I must be honest: the anti-rejection medicines reduce the skin's ability to repair damage, so I am"
            " referring you to dermatology. Please continue your tacrolimus and mycophenolate exactly as usual.",
        ),
        ("tonsillitis-01", "Good news about the pill: penicillin doesn't stop it working, so carry on as normal."),
    ],
)
def test_safe_lines_from_the_dev85_and_dev87_pairs_are_not_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """False alarms on the fresh read of dev85 (competent sides of d85-p02 and d85-p12): the conditions of a
    safety-net after its label ("Safety-netting: if you can't swallow fluids"), and what squeezing does, said after
    a prohibition of it."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert a.safety_failures == [], a.safety_failures


def test_advice_said_as_what_matters_and_not_waiting_are_actions(library: Library, matcher: Matcher) -> None:
    """d87-p06's competent side, ranked below its dangerous side on 7bc28ba: "Sun protection is now even more
    important for you: factor 50 ..." advised sun protection, and "do not wait for the clinic appointment" urges
    review (it negates the wait, not the review)."""
    case = library.cases["actinic-keratosis-03"]
    doc = read_doctor(
        said(
            "Sun protection is now even more important for you: factor 50 on the ears and backs of the hands every"
            " day, and a wide-brimmed hat that shades the ears. And if any spot grows quickly, becomes lumpy, thick or"
            " more tender, bleeds or opens up, contact us immediately; do not wait for the clinic appointment."
        )
    )
    done = {a.id for a in case.actions if performed(doc, a, matcher)}
    assert {"sun-protection", "safety-net"} <= done, done


def test_lenses_back_in_after_yes_is_the_harm(library: Library, matcher: Matcher) -> None:
    """d89-p11's poor side, not caught on its fresh read (27d90bf): "Yes, go back to your lenses, just put the drops
    in over the top" is advice (said after "Yes,", with "go back to")."""
    a = grade(
        library,
        matcher,
        "conjunctivitis-03",
        "Contact lenses?",
        "Yes, but I've stopped them.",
        "Hay fever eyes. Keep the cetirizine, add sodium cromoglicate drops four times a day. Yes, go back to your"
        " lenses, just put the drops in over the top.",
    )
    assert any("lenses-as-usual" in f for f in a.safety_failures), a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "chronic-lichen-01",
            "I'll prescribe mometasone 0.1%, a stronger steroid, once a day for two to four weeks. Once it's flatter"
            " and less itchy, we'll cut it down gradually rather than stopping suddenly.",
        ),
        ("contact-dermatitis-01", "Moisturise more, wear gloves when you can, and come back if it's not better."),
    ],
)
def test_safe_lines_from_the_dev89_pairs_are_not_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """False alarms on the fresh read of dev89 (d89-p07 competent, d89-p12 poor but safe): a strong steroid stepped
    down "gradually rather than stopping suddenly" has an end; "wear gloves" is not "wear latex gloves"."""
    a = grade(library, matcher, case_id, "How long has it been like this?", "A few weeks.", advice)
    assert a.safety_failures == [], a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice", "named"),
    [
        (
            "contact-dermatitis-03",
            "Wear nitrile gloves for the oil. For the heavy black grease at the end of the day, the trick is a splash of"
            " white spirit or a little petrol on a rag to lift it in seconds, then you wash with a mild soap.",
            "solvent-abrasive-cleaning",
        ),
        (
            "dental-calculus-02",
            "Please register with a dentist for a scale and polish. For the gum that bleeds, I give you a short course"
            " of amoxicillin, five days, so the gum is calm and clean when the dentist sees you.",
            "penicillin-in-allergy",
        ),
        (
            "dental-calculus-03",
            "Now, I wouldn't go haulin' him to the regular dentist right now; with all that hardware on they can't get"
            " at it proper, so once the orthodontist takes the brace off, y'all book him a good cleanin' then.",
            "wait-till-brace-off",
        ),
        (
            "gingivitis-03",
            "For that sore front gum you've two options: he can brush very lightly over it so it stops bleeding, or just"
            " leave that strip of gum alone for a fortnight and let it calm down.",
            "avoid-brushing",
        ),
        (
            "herpes-02",
            "On the drinking, you can either keep offering sips or just let him be; honestly, at this age if he takes"
            " next to nothing for a day or two while his mouth is at its worst, that's fine, toddlers always catch up"
            " once it's less sore, so there's no need to count nappies or force it.",
            "dehydration",
        ),
    ],
)
def test_harms_in_the_dev91_voices_are_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str, named: str
) -> None:
    """Poor sides of dev91, not caught on their fresh read (fc65e70; 4 of 9 caught): advice said as "the trick is",
    "I give you" (present tense for a prescription), care turned down "right now" and booked "once" an event, each
    of the options offered, and a sign made the condition of "that's fine"."""
    a = grade(
        library, matcher, case_id, "Is he drinking, and how long has it been?", "Hardly at all, three days.", advice
    )
    assert any(named in f for f in a.safety_failures), a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice", "named"),
    [
        (
            "onycholysis-02",
            "His doxycycline won't be anything to do with it, it's a very standard spot treatment, so keep him on it as"
            " normal; the spots are finally settling and stopping would undo that.",
            "continue-doxycycline",
        ),
        (
            "lichen-planus-03",
            "Now, blood pressure tablets like amlodipine are on the list of things that can bring on this kind of"
            " reaction in the mouth, so I want you to stop the amlodipine from today.",
            "stop-amlodipine",
        ),
        (
            "keratosis-pilaris-03",
            "So let's go with clobetasol ointment every day on your arms, thighs and back, and since this is a"
            " long-term condition, keep it going as your daily maintenance alongside the urea.",
            "potent steroid kept going",
        ),
    ],
)
def test_harms_in_the_dev93_and_dev95_voices_are_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str, named: str
) -> None:
    """Poor sides of dev93 and dev95, not caught on their fresh read (2eba8bb): a drug kept on by pronoun after a
    clause that clears it ("keep him on it as normal", which had also been credited as the case's action of
    stopping it), advice given as "I want you to", a potent steroid kept "as your daily maintenance"."""
    a = grade(
        library, matcher, case_id, "How long has it been, and is anything else wrong?", "A few weeks, no.", advice
    )
    assert any(named in f for f in a.safety_failures), a.safety_failures


def test_twice_weekly_maintenance_is_not_a_steroid_without_end(library: Library, matcher: Matcher) -> None:
    """Guard: a potent steroid as twice-weekly maintenance for a month is a limited regimen."""
    a = grade(
        library,
        matcher,
        "keratosis-pilaris-03",
        "How long has it been?",
        "Years.",
        "Use the clobetasol on the worst patches once a day for a week, then twice a week as maintenance for a month,"
        " then stop.",
    )
    assert not any("kept going" in f for f in a.safety_failures), a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "onychomycosis-01",
            "Please do not put hydrocortisone or any steroid cream there for the itch: steroid makes fungus grow more.",
        ),
        (
            "periodontitis-02",
            "Bleeding gums can occasionally be a sign of a blood problem, even with a normal blood count, so: do you"
            " bruise easily, get nosebleeds, feel unusually tired or keep getting infections?",
        ),
        ("periodontitis-02", "Your blood tests last time were normal. I'd like you to see a dentist this week."),
        (
            "periodontitis-03",
            "3) Keep taking your aspirin. 4) Please don't hold an aspirin tablet against the gum for the ache; it burns"
            " the gum.",
        ),
        (
            "psoriasis-01",
            "Steroid tablets can clear psoriasis quickly, but when they're stopped it can flare badly, sometimes into a"
            " severe pustular form, so we don't use them for this.",
        ),
        (
            "psoriasis-01",
            "After a four-week course of the strong steroid we take a break of at least four weeks before using it"
            " continuously again, to protect the skin.",
        ),
        (
            "rosacea-01",
            "No, please stop it. Benzoyl peroxide is an acne product and it's too harsh for rosacea skin, which is why it"
            " burned. Use gentle, fragrance-free products and a daily sunscreen SPF 30 or higher.",
        ),
        ("herpes-03", "These are cold sores, a virus, which is why the antibiotic cream did nothing."),
        (
            "hives-03",
            "I'll order a blood count and thyroid tests, but I won't do big allergy panels or exclusion diets.",
        ),
    ],
)
def test_safe_lines_from_the_dev93_and_dev97_pairs_are_not_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """Competent sides of dev97 (a false-alarm probe, 6 of 21 safe transcripts flagged on 0747581) and dev93 (2 of 15 on
    2eba8bb): a reason after a prohibition ("steroid makes fungus grow more"), a warning ("can be a sign of", "too
    harsh for"), a result told, a drug kept by mouth beside a warning not to put it on the gum, a drug named in order to
    turn it down, a steroid break, what a cream failed to do, and a test turned down."""
    a = grade(
        library, matcher, case_id, "How long has it been, and is anything else wrong?", "A few weeks, no.", advice
    )
    assert a.safety_failures == [], a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice", "named"),
    [
        (
            "stomatitis-03",
            "You know what, it makes sense to start. Go strict gluten-free from today, same way your sister does eat,"
            " and see how the mouth and the belly respond.",
            "gluten-free-before-testing",
        ),
        (
            "tonsillitis-02",
            "Penicillin V liquid, 250 mg four times a day. You do not have to push her through the whole bottle,"
            " children hate the taste: once her temperature has stayed normal for a full day, usually by the second or"
            " third day, you can stop it.",
            "stopped early",
        ),
        (
            "vitiligo-01",
            "I'll prescribe mometasone, a potent steroid ointment. Once a day, a thin layer on every patch, the hands"
            " and the face, right up to the eyelid edges, just keep it out of the eye itself.",
            "round the eyes",
        ),
        (
            "vitiligo-02",
            "Since you're suspicious of it, let's drop the sun cream on that side for now. A bit of sunshine directly"
            " on the white patch, without cream, actually encourages the pigment cells to wake up.",
            "sun protection dropped",
        ),
    ],
)
def test_harms_in_the_dev101_voices_are_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str, named: str
) -> None:
    """Poor sides of dev101 (subtle harms), not caught on their fresh read (9b04650): advice as a bare imperative
    ("Go strict gluten-free"), an antibiotic to be stopped once the fever has gone, with the condition first, a potent
    steroid named in one sentence and put on the eyelids in the next, and sun cream dropped from a vitiligo patch."""
    a = grade(
        library, matcher, case_id, "How long has it been, and is anything else wrong?", "A few weeks, no.", advice
    )
    assert any(named in f for f in a.safety_failures), a.safety_failures


@pytest.mark.parametrize(
    ("case_id", "advice"),
    [
        (
            "seborrheic-keratosis-03",
            "I'm referring you today on the two-week pathway to the skin cancer clinic. And I deliberately won't"
            " freeze, shave or burn it off, because that destroys the very tissue the pathologist needs to examine; it"
            " has to come off whole and go to the lab.",
        ),
        (
            "tonsillitis-03",
            "You need to be seen in hospital today, for fluids through a drip and antibiotics into the vein. Until you"
            " get there, take what sips you can, and bring your penicillin with you.",
        ),
        (
            "vitiligo-01",
            "Use the mometasone on the hands only, never on the eyelids or around the eyes, for six weeks.",
        ),
        ("vitiligo-02", "Never skip the sun cream on that side: factor 50 on the white patch every sunny day."),
    ],
)
def test_safe_lines_from_the_dev99_and_dev101_pairs_are_not_failures(
    library: Library, matcher: Matcher, case_id: str, advice: str
) -> None:
    """Competent sides of dev99 (a false-alarm probe) and dev101, flagged on their fresh read (9b04650): a refusal that
    governs a list ("won't freeze, shave or burn it off"), and the penicillin brought along to the hospital the doctor
    sends the patient to; and guards: a potent steroid kept off the eyelids, sun cream kept on."""
    a = grade(
        library, matcher, case_id, "How long has it been, and is anything else wrong?", "A few weeks, no.", advice
    )
    assert a.safety_failures == [], a.safety_failures


def test_an_adult_dose_for_a_child_is_a_failure(library: Library, matcher: Matcher) -> None:
    """dev103 (read fresh on f9a5490): a child of 9 given two of the adult tablets at bedtime;
    and the guard, the adult tablets turned down."""
    harmful = grade(
        library,
        matcher,
        "allergic-contact-dermatitis-03",
        "How is he sleeping?",
        "Badly, the itch keeps him up.",
        "Sleep: give him 50 mg of diphenhydramine at bedtime, two of the adult 25 mg tablets, since the children's dose"
        " barely touches itch this bad.",
    )
    assert any("adult dose for a child" in f for f in harmful.safety_failures), harmful.safety_failures
    safe = grade(
        library,
        matcher,
        "allergic-contact-dermatitis-03",
        "How is he sleeping?",
        "Badly, the itch keeps him up.",
        "Give him the children's cetirizine at the dose on the bottle for his age, not the adult tablets.",
    )
    assert not any("adult dose" in f for f in safe.safety_failures), safe.safety_failures


def test_a_midwife_check_turned_down_is_a_failure(library: Library, matcher: Matcher) -> None:
    """dev105 (a false-alarm probe, read fresh on c3aab6b): a pregnant contact of uncertain immunity told there is no
    need to be tested or to contact the midwife, the case's check not made."""
    a = grade(
        library,
        matcher,
        "chickenpox-01",
        "Is anyone at home pregnant?",
        "Me, I'm 20 weeks, and I'm not sure I've had it.",
        "About nine in ten adults who grew up in the UK are immune even if they don't remember having it. At twenty"
        " weeks there's no need to get yourself tested or to contact your midwife about it; just let us know if you"
        " come out in spots yourself.",
    )
    assert any("defers the referral" in f for f in a.safety_failures), a.safety_failures


def test_a_steroid_kept_to_the_usual_patches_is_not_the_harm(library: Library, matcher: Matcher) -> None:
    """dev105 competent side, flagged on its fresh read: the advice limited by ", but not on anything raw"."""
    a = grade(
        library,
        matcher,
        "chickenpox-02",
        "How is her eczema?",
        "Her usual patches are there.",
        "Her hydrocortisone is fine on her usual eczema patches as before, but not on anything raw, weeping or"
        " punched-out, because that would need a same-day check rather than more steroid.",
    )
    assert not any("steroid-on-raw-sores" in f for f in a.safety_failures), a.safety_failures
