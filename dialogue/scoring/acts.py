"""What the doctor did in a consultation: its questions, its statements, and the acts in them.

Judging acts, not words: a cue in a question ("any lozenges?") is history taking, not a plan; a cue under
negation or dismissal ("there's no need to see an eye specialist") is the opposite of the act; a case's
action or harm is performed when a doctor statement clause matches one of its example phrasings by meaning
*with the same polarity* (a negated example, "no need to be seen", needs a negated clause).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from dialogue.agents.grounding import concepts
from dialogue.agents.intent import (
    CONFIRM_WORDS,
    conditional_ask,
    gives_plan,
    has_cue,
    relayed_ask,
    split_parts,
    starts_like_question,
)
from dialogue.agents.lexicon import ADVICE_IDIOMS, BODY_PARTS
from dialogue.agents.markup import is_heading, list_item, plain_text
from dialogue.agents.speech import is_spoken, spoken_sentences
from dialogue.matching import Matcher, words
from dialogue.schema import Action, Harm, RedFlag, Turn

_NEGATION = re.compile(
    r"\b(no need|not need|don'?t need|doesn'?t need|needn'?t|isn'?t necessary|isn'?t|aren'?t|wasn'?t|won'?t|can'?t|cannot|not necessary|unnecessary|"
    r"no point|won'?t need|no reason to|nothing to(?! do with)|nothing for (\w+ ){1,2}to do|nobody|no one|no-one|(?<!there's )(?<!there is )nothing (else )?like|don'?t|do not|doesn'?t|does not|didn'?t|never|avoid|shouldn'?t|"
    r"should not|must not|mustn'?t|wouldn'?t|would not|not|no|stop|nothing to worry|without|cut out|steer clear|"
    r"stay away|(keep|stay|steer)( \w+)? clear of|(keep|kept|keeping)( \w+){0,3} (out of|away from))\b",
    re.IGNORECASE,
)
_DISMISSAL = re.compile(
    r"\b(don'?t worry|don'?t be worrying|nothing to (worry|get worked up|be worried)|no need to (worry|be seen|see|come|go|bring|chase|keep|call|ring|phone|contact|book|drag|get (yourself |him |her )?(tested|checked))|needn'?t (worry|bother|come|see|go|book|call|get|ring|phone|contact)|"
    r"(don'?t|do not) (feel|think) (that )?you (need|have) to (worry|ring|call|phone|come|contact|see|be seen|book|get in touch)|"
    r"(don'?t|do not) (panic|be alarmed)|(don'?t|do not) have to (come back|ring|call|phone|be seen|get in touch)|"
    r"not (serious|worried|concerned)|just (wait|leave it)|it'?ll (settle|go away|clear)( up)?( on its own| by itself)?|"
    r"(it'?ll|it will|they'?ll) (look after|sort) (itself|themselves)|put (that|the|your) worr\w* to bed|"
    r"give (the|your|a) \w+ a miss|no need to get (back )?in touch|"
    r"(shouldn'?t|don'?t|wouldn'?t) think you('d)? need to (worry|be seen|get checked|come|see)|"
    r"nothing (serious|sinister|to (see|find) here)|no need for|(doesn'?t|don'?t|won'?t|does not|do not|will not) need (to (be seen|come|see|go|worry|"
    r"bring|chase|keep|watch|think)|to (book|arrange|make) (a|an|another|any) (review|follow[- ]?up|appointment|check)|any (follow[- ]?up|checks?|review|tests?|treatment))|not (an|a) emergency|"
    r"give it (a week|a few days|time)|(wouldn'?t|would not) (read anything into|worry|give it (a|another) thought|bother)|"
    r"(forget|fretting) (about|over) (it|that|this|nothing)|nothing (you need|to think) (to think )?about|"
    r"(completely|totally|perfectly|always) harmless|not worth (treating|worrying|checking)|(over|about) nothing)\b",
    re.IGNORECASE,
)
_ESCALATION = re.compile(
    r"\b(same[- ]day|(seen|see|go|come in|attend|review\w*|assess\w*|appointment|check\w*|look at|x-?ray\w*|scan)"
    r"( \w+){0,6} (today|tonight|this (afternoon|morning|evening)|now)|right away|straight away|immediately|urgent\w*|"
    r"a ?& ?e|emergency|eye casualty|casualty|minor injur\w*|walk-in|(?-i:ER)|999|111|hospital|refer\w*|specialist|ophthalmolog\w*|"
    r"dermatolog\w*|seen (today|urgently|soon|in person)|within (24|48) hours|2[- ]week)\b",
    re.IGNORECASE,
)
ACT_MATCH = {"embedding": 0.55, "lexical": 0.4}
HARM_MATCH = {"embedding": 0.5, "lexical": 0.4}
HARM_MATCH_PLAIN = {"embedding": 0.62, "lexical": 0.5}
_REASSURES = re.compile(
    # ("which is why the antibiotic cream did nothing" tells what a treatment failed to do)
    r"\b((?<!did )(?<!does )(?<!done )(?<!do )nothing|normal|fine|settle\w*|harmless|won'?t|will clear|go away|no need|"
    r"needn'?t|don'?t worry|wait|(don'?t|doesn'?t|do not|does not) (really )?need (to|any)|"
    r"keep an eye|carry on|continue|(probably |just )+part of (it|the same thing|the condition)|(only|no|little|low|small|minimal) (real )?risk|risk is (only|low|small|tiny|minimal)|"
    r"not (at risk|in danger)|no danger|likely immune|(wouldn'?t|would not|won'?t|will not) (add|help|make|change)|"
    r"no (point|benefit)|no (reason|need) to (stop|change|give up|come off|avoid)|"
    r"(don'?t|doesn'?t|can'?t|won'?t|cannot|do not|does not|will not) (catch|pick up) (it|this|them|that))\b",
    re.IGNORECASE,
)
MIN_SHARED = {"action": 2, "harm": 2}
_COMMON = {
    "ever",  # "every day": a frequency, not what the advice is about
    "your",
    "you",
    "this",
    "that",
    "with",
    "have",
    "will",
    "should",
    "need",
    "just",
    "some",
    "them",
    "they",
    "it'",
    "it's",
    "there",
    "then",
    "what",
    "when",
    "keep",
    "make",
    "take",
    "give",
    "going",
    "want",
    "like",
    "well",
    "good",
    "right",
    "okay",
    "really",
    "week",
    "days",
    "time",
    "back",
    "come",
    "please",
    "also",
    "doctor",
    "i'll",  # "I'll send a kit for nail clippings" and "I'll prescribe ketoconazole tablets" share no content
    "i'd",
    "we'll",
}


# Drug classes a harm or action is about: a brand and its class count as the same term ("Dermovate" ~
# "a strong steroid", "Nurofen" ~ "ibuprofen").
DRUG_CLASSES: dict[str, tuple[str, ...]] = {
    "potent-steroid": (
        "clobetasol",
        "dermovate",
        "betamethasone",
        "betnovate",
        "mometasone",
        "elocon",
        "fluocinolone",
        "synalar",
        "potent",
        "strong steroid",
        "stronger steroid",
        "strong steroids",
    ),
    "nsaid": (
        "ibuprofen",
        "nurofen",
        "naproxen",
        "diclofenac",
        "voltarol",
        "motrin",
        "advil",
        "aleve",
        "nsaid",
        "nsaids",
        "anti-inflammatory",
        "anti-inflammatories",
    ),
    "penicillin": ("amoxicillin", "amoxil", "flucloxacillin", "co-amoxiclav", "augmentin", "phenoxymethylpenicillin"),
    "tetracycline": ("doxycycline", "lymecycline", "minocycline", "tetracycline", "oxytetracycline"),
    "self-surgery": ("squeeze", "squeezing", "lance", "lancing", "pierce", "needle", "scrape", "scraping"),
    # UK brand names with their generic (BNF), so "Erymax" is erythromycin and "Corsodyl" chlorhexidine
    "macrolide": ("erythromycin", "erymax", "erythrocin", "erythroped", "clarithromycin", "klaricid", "azithromycin",
                  "zithromax"),
    "metronidazole": ("metronidazole", "flagyl", "metrogel", "rozex", "zyomet"),
    "ivermectin": ("ivermectin", "soolantra"),
    "topical-retinoid": ("retinoid", "retinoids", "adapalene", "differin", "tretinoin"),
    "benzoyl-peroxide": ("benzoyl", "acnecide", "panoxyl", "epiduo"),
    "azelaic-acid": ("azelaic", "finacea", "skinoren"),
    "chlorhexidine": ("chlorhexidine", "corsodyl", "peridex"),
    "steroid": ("steroid", "steroids", "corticosteroid", "corticosteroids", "hydrocortisone", "clobetasone",
                "eumovate", "clobetasol", "dermovate", "betamethasone", "betnovate", "mometasone", "elocon",
                "fluocinolone", "synalar", "daktacort", "fucibet", "trimovate", "prednisolone", "pred forte",
                "maxidex", "maxitrol", "sofradex", "tobradex", "betnesol", "predsol"),
    "cryotherapy": ("freeze", "freezing", "frozen", "cryotherapy", "wartner", "nitrogen"),
    "salicylic": ("salicylic", "salactol", "occlusal", "bazuka", "duofilm", "verrugon", "wart paint"),
    "antihistamine": ("antihistamine", "antihistamines", "cetirizine", "loratadine", "fexofenadine", "piriton",
                      "chlorphenamine", "zirtek", "clarityn", "zyrtec", "claritin", "allegra", "benadryl",
                      "diphenhydramine"),
    "aciclovir": ("aciclovir", "acyclovir", "zovirax", "valaciclovir", "valtrex", "famciclovir", "antiviral",
                  "antivirals", "anti-viral", "anti-virals", "virus tablets", "virus pills", "virus medicine"),
    "aspirin": ("aspirin", "disprin", "aspro"),
    "antihypertensive": ("amlodipine", "ramipril", "lisinopril", "perindopril", "losartan", "candesartan", "irbesartan",
                         "bendroflumethiazide", "indapamide", "bisoprolol", "atenolol", "doxazosin"),
    # choline salicylate mouth gels (Reye's syndrome: not under 16); salicylic acid wart paint is another drug
    "salicylate": ("salicylate", "salicylates", "teejel", "original bonjela", "bonjela original", "adult bonjela"),
    "polyene": ("nystatin", "nystan"),
    "aminopenicillin": ("amoxicillin", "amoxil", "ampicillin", "co-amoxiclav", "augmentin"),
    "paracetamol": ("paracetamol", "calpol", "panadol", "acetaminophen", "disprol", "tylenol"),
    "azole": ("ketoconazole", "nizoral", "clotrimazole", "canesten", "miconazole", "daktarin", "econazole",
              "fluconazole", "itraconazole"),
    "allylamine": ("terbinafine", "lamisil"),
    "oral-steroid": ("prednisolone", "prednisone", "dexamethasone", "steroid tablets", "oral steroids",
                     "oral steroid", "course of steroids"),
    "antibiotic": ("antibiotic", "antibiotics", "amoxicillin", "amoxil", "penicillin", "phenoxymethylpenicillin",
                   "flucloxacillin", "co-amoxiclav", "augmentin", "doxycycline", "lymecycline", "minocycline",
                   "erythromycin", "erymax", "clarithromycin", "klaricid", "azithromycin", "metronidazole",
                   "flagyl", "cefalexin", "clindamycin", "trimethoprim", "nitrofurantoin", "co-trimoxazole",
                   "fusidic", "fucidin", "fucibet", "mupirocin", "bactroban", "neomycin", "naseptin",
                   "chloramphenicol", "retapamulin"),
    # a glove material: "wear gloves" is not "wear latex gloves"
    "latex": ("latex",),
    # the combined or progestogen-only pill by its usual names ("you may be right about the pill ... stop it now")
    "contraceptive": ("the pill", "contraceptive pill", "combined pill", "mini pill", "mini-pill", "oral contraceptive",
                      "microgynon", "rigevidon", "yasmin", "dianette", "co-cyprindiol", "cerazette", "desogestrel"),
    "antifungal": ("antifungal", "clotrimazole", "canesten", "miconazole", "daktarin", "daktacort",
                   "terbinafine", "lamisil", "ketoconazole", "nizoral", "econazole", "fluconazole"),
}  # fmt: skip
_DRUG_OF: dict[str, set[str]] = {}
for _cls, _words in DRUG_CLASSES.items():
    for _w in _words:
        _DRUG_OF.setdefault(_w, set()).add(_cls)
_KINDS = {
    "steroid",
    "antibiotic",
    "antifungal",
}  # a kind of drug: shared, it is one term, not a drug class that lowers the match threshold
_PHRASE_DRUGS = [(w, _DRUG_OF[w]) for w in _DRUG_OF if " " in w]


def _drug_words(text: str) -> list[str]:
    """The one-word drug names in `text`, in order ("doxycycline", "dermovate")."""
    return [w for w in re.findall(r"[a-z][a-z\-]+", text.lower()) if w in _DRUG_OF]


def _terms(text: str) -> set[str]:
    low = text.lower()
    drugs = {c for w in _drug_words(text) for c in _DRUG_OF[w]}
    drugs |= {c for w, cs in _PHRASE_DRUGS if w in low for c in cs}
    stems = {c[:-1] if c.endswith("e") and len(c) > 4 else c for c in concepts(text)}  # "cuddle", "cuddles"
    return {c for c in stems if c not in _COMMON and not c.startswith("#") and len(c) >= 4} | {
        f"{'kind' if c in _KINDS else 'drug'}:{c}" for c in drugs
    }


_MILD = re.compile(r"\b(mild|weak|hydrocortisone|1 ?%|low[- ]strength)\b", re.IGNORECASE)
_POTENT = re.compile(r"\b(potent|strong|stronger|clobetasol|dermovate|betamethasone|betnovate|mometasone)\b", re.I)


def potency_clash(a: str, b: str) -> bool:
    """A mild steroid is not the potent steroid a harm warns about (and the other way round)."""
    return bool(
        (_MILD.search(a) and _POTENT.search(b) and not _POTENT.search(a))
        or (_MILD.search(b) and _POTENT.search(a) and not _POTENT.search(b))
    )


_ORAL = re.compile(
    r"\b(tablets?|capsules?|pills?|orally|by mouth|syrup|liquid|suspension|"
    # "oral changes", "oral involvement" are the mouth, not a route
    r"oral(?! (changes?|involvement|disease|hygiene|health|care|lesions?|ulcers?|mucosa|cavity|cancers?|problems?|"
    r"signs?|findings?|patch(es)?|white|lichen|thrush|symptoms?|surgeon|medicine specialist)\b))\b",
    re.IGNORECASE,
)
_TOPICAL = re.compile(
    r"\b(creams?|gels?|ointments?|lotions?|shampoos?|drops|paste|paint|spray|mouthwash|foam|on (it|them|the|your|his|her))\b",
    re.IGNORECASE,
)


def route_clash(a: str, b: str) -> bool:
    """One names only a cream, gel or drops, the other only tablets or medicine by mouth."""
    return bool(
        (_ORAL.search(a) and _TOPICAL.search(b) and not _TOPICAL.search(a) and not _ORAL.search(b))
        or (_ORAL.search(b) and _TOPICAL.search(a) and not _TOPICAL.search(b) and not _ORAL.search(a))
    )


def different_treatment(a: str, b: str) -> bool:
    """Advice `a` is about a different treatment from example `b`: a mild steroid is not the potent one (and
    the other way round), a cream is not a tablet, and a clause that names drugs but not the drug the example
    names is not that act ("Stick with Calpol" is not "ibuprofen and paracetamol"; terbinafine is not nystatin)."""
    if potency_clash(a, b) or route_clash(a, b):
        return True
    named = drug_classes(a) - {"self-surgery"}
    if "oral-steroid" in named:
        named |= {"steroid"}  # prednisone is a steroid ("prednisolone" is read as both)
    return bool(named and drug_classes(b) - named - {"self-surgery"})


_STOPS = re.compile(
    r"\b(stop\w*|come off|coming off|discontinu\w*|quit\w*|give up|hold off|cut out|paus(e|ed|ing)|ditch|bin|chuck|"
    r"drop(ped|ping)? (the|your|his|her|it|them|that)|(don'?t|do not) take any more|"
    r"(leave|leaving|take|taking) (\w+ ){0,3}(out|off)|keep (him|her|them|you|yourself) (out of|off|away from))\b"
    r"(?! (with|of)\b)",  # "leave them out until it settles", "keep him out of the club showers"
    re.I,
)
_DONT_STOP = re.compile(r"\b(don'?t|do not|never|no need to|shouldn'?t)\s+(\w+\s+)?(stop|come off|discontinu)", re.I)
_KEEPS = re.compile(
    r"\b(no (reason|need) to (stop|come off|give up)|keep (\w+ ){0,3}(taking|using|on|going)|carry on|continu(e|ing)|stay on|stick with)\b",
    re.I,
)


def stop_keep_clash(a: str, b: str) -> bool:
    """One text keeps a treatment going and the other stops it ("keep taking sertraline" / "stop the sertraline";
    "keep the cetirizine going" / "take him off the cetirizine")."""
    a, b = plain_advice(a), plain_advice(b)
    keeps_a, stops_a = bool(_KEEPS.search(a)), bool(_STOPS.search(a)) and not _DONT_STOP.search(a)
    keeps_b, stops_b = bool(_KEEPS.search(b)), bool(_STOPS.search(b)) and not _DONT_STOP.search(b)
    return (keeps_a and stops_b and not keeps_b) or (keeps_b and stops_a and not keeps_a)


# Where advice applies, for telling one site from another: the patient's parts of the body and a few skin sites
# (a face includes its eyes; flexures are the skin folds).
_SITE_CUES: dict[str, tuple[str, ...]] = {
    **BODY_PARTS,
    "scalp": (r"scalp",),
    "flexure": (r"flexur\w*", r"groins?", r"armpits?", r"skin ?folds?", r"creases?", r"(natal )?cleft"),
    "face": (r"face", r"facial", r"cheeks?", r"forehead", *BODY_PARTS["eye"]),
    "arm": (r"arms?", r"forearms?", r"elbows?"),
    "trunk": (r"trunk", r"abdomen", r"belly"),
}


def _sites(text: str) -> frozenset[str]:
    return frozenset(name for name, cues in _SITE_CUES.items() if has_cue(text, cues))


def site_clash(advice: str, harm: str) -> bool:
    """The advice names where it applies, and that is not where the harm is ("Knuckles: a potent steroid cream
    once a day" is not a potent steroid around the eyes)."""
    kept = advice
    for c in clauses(advice):
        if negated(c):  # "…, not to be used on your face or eyelids"
            kept = kept.replace(c, " ")
    said, harmed = _sites(kept), _sites(harm)
    return bool(said and harmed and not said & harmed)


def drug_classes(text: str) -> set[str]:
    """The drug classes and kinds `text` names (brands included): {"nsaid", "steroid", ...}."""
    return {t.split(":", 1)[1] for t in _terms(text) if t.startswith(("drug:", "kind:"))}


def shared_terms(a: str, b: str) -> set[str]:
    """Content stems and drug classes two texts share, common words left out."""
    return _terms(a) & _terms(b)


FLAG_ASKED = {"embedding": 0.6, "lexical": 0.5}


def clauses(sentence: str) -> list[str]:
    """A statement cut at commas, semicolons, dashes and 'but'/'and then'/'so' (where negation scope ends)."""
    parts = re.split(r"\s*(?:[,;:]|\s[-–—]\s|\bbut\b|\band then\b|\bso\b|\bif\b|\bunless\b)\s*", sentence)
    out: list[str] = []
    listed = _negated_list(parts)
    for i, (before, p) in enumerate(zip(["", *parts], parts, strict=False)):
        lead = _LIST_NEGATION.search(before)
        if lead and re.match(r"\s*\w+( or| and|,|$)", p):  # "don't squeeze, pick or pop them": all three
            p = f"{lead.group(1)} {p.strip()}"
        elif i in listed:  # "don't round the corners, dig the corner out with scissors, or cut a V"
            p = listed[i] + " " + re.sub(r"^or\s+", "", p.strip())
        # turned down by what follows: "Some people reach for ibuprofen, which I'd steer clear of here", "My own
        # kids had ibuprofen for everything, but not with chickenpox"
        turned_down = i + 1 < len(parts) and bool(_WHICH_AVOID.match(parts[i + 1]))
        if turned_down or (_ANECDOTE.search(p) and any(negated(q) for q in parts[i + 1 :])):
            p = f"avoid {p.strip()}"
        if len(p.strip().split()) >= 2:
            out.append(p.strip())
    return out


# A prohibition that starts a list cut at its commas ("don't squeeze, pick or pop them").
_LIST_NEGATION = re.compile(
    r"\b(don'?t|do not|never|no|avoid|wouldn'?t|would not|shouldn'?t|should not)\s+(?:\w+\s+){0,2}\w+\s*$",
    re.IGNORECASE,
)
# Someone else's use of a treatment, told in passing ("My own kids had ibuprofen for everything"): set aside when
# the sentence goes on to turn it down, advice when it goes on to endorse it ("... and were fine, so give him some").
_ANECDOTE = re.compile(
    r"\bmy (own )?(kids|children|son|daughter|mum|dad|mother|father|wife|husband|partner)\b", re.IGNORECASE
)
# A relative clause that turns down what the clause before it names ("..., which I'd steer clear of").
_WHICH_AVOID = re.compile(
    r"\s*which\b[^.;]{0,30}\b(avoid|steer clear|stay away|wouldn'?t|would not|shouldn'?t|rather not|never|not|"
    r"no good|a bad idea|best avoided)\b",
    re.IGNORECASE,
)
_NEGATED_HEAD = re.compile(
    r"\s*(?:(?:please|and|so|but) )*(don'?t|do not|never|avoid)\b(?!\s+(worry|panic|fret|be|hesitate|forget|mind)\b)",
    re.IGNORECASE,
)
_OR_VERB = re.compile(r"(?:^\s*|\s)or (?!(it|it'?ll|you|you'?ll|they|this|that|else|the|a|an|if|when)\b)\w+", re.I)


def _negated_list(parts: list[str]) -> dict[int, str]:
    """The items of a list of things not to do, cut at its commas ("please don't round the corners, dig the
    corner out with scissors, or cut a V"): item index -> the prohibition that governs it."""
    out: dict[int, str] = {}
    for h, head in enumerate(parts):
        m = _NEGATED_HEAD.match(head)
        if not m:
            continue
        # the list ends at its "or": an item of its own ("..., or cut a V") or inside the last ("..., snip them
        # with clippers or tie thread round them")
        end = next((k for k in range(h + 1, min(len(parts), h + 5)) if _OR_VERB.search(parts[k])), None)
        # a long prohibition governs only an "or" right after it ("please don't try to scrape it off with a pin or
        # a dental pick, or scrub with bicarbonate of soda")
        if len(head.split()) > 8 and not (end == h + 1 and re.match(r"\s*or\b", parts[end])):
            continue
        if end is not None and all(len(parts[k].split()) <= 10 for k in range(h + 1, end + 1)):
            out.update(dict.fromkeys(range(h + 1, end + 1), m.group(1)))
    return out


def advises_against(description: str) -> bool:
    """An action that is a prohibition ("Advise not to squeeze it", "Avoid contact lenses")."""
    return bool(
        re.match(
            r"\s*(advise|tell|ask|warn)\w* (\w+ ){0,3}(not|against)\b|\s*(do not|don'?t|avoid|never|stop)\b",
            description,
            re.IGNORECASE,
        )
    )


def has_negation(text: str) -> bool:
    """Any negation anywhere (a whole sentence with one is judged clause by clause)."""
    return bool(_NEGATION.search(text)) or bool(_DISMISSAL.search(text))


# What is left off the skin while doing something ("midday sun, no sunscreen on the white patches"): how, not whether.
_UNPROTECTED = re.compile(
    r"\b(no|without) (sun ?screen|sun ?cream|sun ?block|spf|cream) on (the|them|it|your|his|her)\b", re.IGNORECASE
)
# Phrases with a "not" that negate no action: "won't make any difference", "no harm in", "doesn't matter".
_NOT_A_NEGATION = re.compile(
    r"\b(won'?t|will not|doesn'?t|does not|don'?t|do not) (make (any|much|a) difference|hurt|harm|matter)\b"
    r"|\b(no|not any) harm\b|\bnothing wrong with\b"
    r"|\bwith no \w+ing\b"  # "white spirit on a rag lifts it with no scrubbing": how, not whether
    # "do not wait for the clinic appointment": act now; "he burns right through those, I wouldn't fuss": all right
    r"|\b(don'?t|do not) (wait|delay|hang about|hang around)\b"
    r"|\bi (wouldn'?t|would not) (fuss|worry|stress)( (about|over) (it|that|them|those|this))?(?=\s*[.,;!]|\s*$)"
    r"|" + _UNPROTECTED.pattern,
    re.IGNORECASE,
)
_KEEP_OFF = re.compile(
    # "Football boots and tight trainers should wait until it settles" (a thing put off, not a person waiting)
    r"(?<!\byou )(?<!\bhe )(?<!\bshe )(?<!\bwe )(?<!\bthey )(?<!\bi )\b(should|can|must|will have to|has to|have to) wait "
    r"(until|till)\b|"
    r"\b(keep|stay|stays|staying)\b[^.,;]{0,40}\boff\b|\bkeep (\w+ ){0,2}out of\b|\b(come|coming|get|getting) off\b|"
    r"\b(stay|stick) (in|with) (your |the )?glasses\b|\bswitch to (your |the )?glasses\b|\b(take|taking|leave|leaving) (\w+ ){0,3}out\b(?! with)|\b\w+-free\b"
    r"|\bleave (the|your|his|her) [^.,;]{0,30}\b(until|till|for now|for a while|alone)\b",
    re.I,
)


_PURPOSE_NEGATION = re.compile(
    r"\s*\bso (that )?(it|they|he|she|you) (can'?t|cannot|won'?t|doesn'?t|don'?t|isn'?t|aren'?t|stops?)\b[^,;]*",
    re.IGNORECASE,
)
# What a clause turns down as useless ("Big allergy panels and cutting foods out won't help"): not advised.
_WONT_HELP = re.compile(
    r"^\s*(\w+\W+){1,8}?(won'?t|will not|wouldn'?t|would not|isn'?t going to|aren'?t going to) (help|work|do (any|much) good)"
    r"\b[^,;]*$",
    re.IGNORECASE,
)
_STOP_DOING = re.compile(r"\b(try to |help )?stop (him|her|them|yourself|you) ([a-z]+ing)\b", re.IGNORECASE)


# A drug said to keep working ("penicillin does NOT stop the combined pill working"): a reassurance given, read as
# such when it is an action of the case ("Reassures that penicillin does not reduce the pill's effect").
_KEEPS_WORKING = re.compile(
    r"\b(?:doesn'?t|does not|won'?t|will not|don'?t|do not) (?:stop|affect|interfere with) "
    r"(it|them|(?:the|your|her|his) (?:\w+ )?\w+) (?:from )?working\b",
    re.IGNORECASE,
)
_STOPS_WORKING = re.compile(
    r"\bstop(?:s|ped)? ((?:it|them|the \w+|your \w+|her \w+) (?:from )?working)\b", re.IGNORECASE
)
_ADVISED_STOP = re.compile(
    r"\b(sensible|best|wise|better|safest|important|a good idea|need|needs|want you|like you|ask you|have|has) to stop\b",
    re.IGNORECASE,
)


def _stop_not_needed_read(text: str) -> str:
    """`text` with no need to stop read as keeping on ("no need to take the lenses out": keep them in) and the
    situation the advice is for left out."""
    return _situation_removed(_NO_NEED_TO_STOP.sub("keep", text))


def negated(text: str) -> bool:
    """The polarity of a clause: any negation, dismissal, "keep him off nursery" or "gluten-free" in it
    ("Don't squeeze it", "No need to be seen", "It's not catching"); "to stop the itch" is a purpose, not a
    negation."""
    # advice to stop stays a stop ("it'd be sensible to stop the aspirin", "you need to stop it"); so does
    # stopping someone doing it ("try to stop her picking or squeezing them": she should not)
    text = _STOP_DOING.sub(r"avoid \3", text)
    # "penicillin stops the pill working" says a drug fails, it negates nothing ("doesn't stop it working" does)
    text = _STOPS_WORKING.sub(r"blocks \1", text)
    text = _ADVISED_STOP.sub(r"\1: stop", text)
    text = re.sub(r"\b(to|will|should|would|can|could|it'?ll|helps?) stop\b", r"\1 end", text, flags=re.IGNORECASE)
    text = _NOT_A_NEGATION.sub("is neutral", text)
    text = _PURPOSE_NEGATION.sub("", text)  # "round the corner off so it can't dig in": what the advice is for
    text = _DOUBLE_NEGATION.sub("do", text)  # "don't have him brush more gently or avoid that gum": brush it
    text = _NO_NEED_TO_STOP.sub("keep", text)  # "no need to take the lenses out": keep them in
    text = _PROMISE.sub("", text)  # "put a bit of hydrocortisone on there and it'll settle" advises the cream
    text = _situation_removed(text)
    return (
        has_negation(text)
        or bool(_KEEP_OFF.search(text))
        or bool(_AVOIDS.search(text))
        or bool(_SET_ASIDE.search(text))
    )


# A negation in the situation advice is for, not in the advice: "If ... you can't open your mouth, get seen the same
# day" (a condition before an escalation), "Any sore that hasn't healed in three weeks needs checking", "Come back if it hasn't cleared in a week".
_CONDITION_LEAD = re.compile(r"^\s*(?:and |so |but )?(?:if|when|whenever|should|as soon as)\b", re.IGNORECASE)
_NEGATIVE_RELATIVE = re.compile(
    r"(?<=\w\s)(?:that|which)\s+(?:hasn'?t|haven'?t|isn'?t|aren'?t|doesn'?t|don'?t|won'?t|has not|does not|will not|"
    r"is not)\s+(?:\w+\s+)?(?:heal\w*|settle\w*|clear\w*|go|gone|going|improv\w*|get\w* better|fade\w*|respond\w*|"
    r"cause\w*|irritat\w*|sting\w*|contain\w*|interact\w*)\b",  # "switch him to something that doesn't cause ..."
    re.IGNORECASE,
)
_CONDITION_TRAILING = re.compile(
    r"(?<=\w),?\s+(?:if|unless|as long as|so long as|provided)\b[^,;]*\b(?:\w+n't|not|no)\b[^,;]*$", re.IGNORECASE
)


def _situation_removed(text: str) -> str:
    if _CONDITION_LEAD.match(text) and "," in text and _ESCALATION.search(text.rsplit(",", 1)[1]):
        text = text.rsplit(",", 1)[1]  # a safety-net: the condition's negations are the signs to look out for
    return _CONDITION_TRAILING.sub("", _NEGATIVE_RELATIVE.sub("", text))


# What advice promises, joined on after it ("..., and it'll settle"): not a dismissal of the advice.
_PROMISE = re.compile(
    r"(?<=\w)\s*,?\s+(and|so) (it|they|that|this|the \w+)('ll| will| should) (soon )?(settle|clear|calm|heal|improve|"
    r"go away|go down|get better)\b.*$",
    re.IGNORECASE,
)


# A treatment weighed and set aside ("I did think about ibuprofen, but ...", "Ibuprofen is out, I'm afraid"): not
# advice to use it.
_SET_ASIDE = re.compile(
    r"\b(i (did|had) (think|thought) (about|of)|i thought about|i considered|i was (going|about) to (suggest|say|give|"
    r"offer)|my first thought was|(?<!\bhe )(?<!\bshe )(?<!\byou )(?<!\bthey )(?<!\bwe )(is|are|'s) out(?=\s*(,|\.|$|i'?m afraid|for (now|him|her|you|them)))|"
    r"off the table|a no-go|not an option|ruled out)\b",
    re.IGNORECASE,
)


# A negated prohibition: "don't ... avoid that gum", "never skip it": advice to do it.
_DOUBLE_NEGATION = re.compile(
    r"\b(don'?t|do not|never|no need (to|for)|needn'?t|not necessary to|wouldn'?t|would not|won'?t|will not|"
    r"(doesn'?t|does not) need)\b"
    r"((?:\s+(?!not\b|no\b)\w+){0,6}?\s+(?:or\s+)?)"
    r"((avoid|skip)\w*|cut ((any )?(foods?|dairy|wheat|eggs|milk|gluten) out|out (any )?(foods?|dairy|wheat|eggs|milk|gluten))\b|"
    r"exclusion diets?\b|"  # "I won't do big allergy panels or exclusion diets": a normal diet
    r"be kept (at )?(home|off|out|away)\b)",
    # "no need to avoid peanuts": eat them; "I wouldn't do a big allergy panel or cut foods out": a normal diet;
    # "she doesn't need to be kept home": school as usual
    re.IGNORECASE,
)
# No need to stop something ("no need to take the lenses out", "there's no reason to stop your lenses"): keep it.
_NO_NEED_TO_STOP = re.compile(
    r"\b(?:(?:there'?s )?no (?:need|reason) to|needn'?t|(?:don'?t|do not|won'?t) (?:need|have) to|(?:do not|don'?t))\s+"
    r"(?:take (?:\w+ ){1,3}(?:out|off)|stop|remove|give (?:\w+ )?up)\b",
    re.IGNORECASE,
)
# "I'm avoiding amoxicillin", "steer clear of ibuprofen", "hold off on the steroid": not giving it.
_AVOIDS = re.compile(r"\b(avoid(ing)?|steer(ing)? clear of|hold(ing)? off( on)?|skip(ping)?)\b", re.IGNORECASE)


def dismisses(text: str) -> bool:
    return bool(_DISMISSAL.search(text))


def escalates(text: str) -> bool:
    """An escalation or referral said positively (not "no need to see a specialist"); a dose taken "straight away"
    is self-care, not care sought ("take an extra cetirizine straight away and give it an hour or two")."""
    return any(
        _ESCALATION.search(c) and not dismisses(c) and not _neg_before(c) and not _self_care_now(c)
        for c in clauses(text) or [text]
    )


_BARE_URGENCY = re.compile(r"\b(right away|straight away|immediately|now)\b", re.IGNORECASE)
_TAKES = re.compile(r"^\s*(?:(?:and|then|just|so)\s+)?(?:take|use|apply|put|give|have|rub|pop)\b", re.IGNORECASE)


def _self_care_now(clause: str) -> bool:
    """The clause's only urgency is when to take or use something ("take an extra cetirizine straight away")."""
    found = {m.group(0).lower() for m in _ESCALATION.finditer(clause)}
    return bool(_TAKES.match(clause)) and all(_BARE_URGENCY.fullmatch(f) for f in found)


def _neg_before(clause: str) -> bool:
    m = _ESCALATION.search(clause)
    if m is None:
        return False
    # "no need to see ...", "I won't be referring you", "nothing a specialist would do"
    return bool(
        re.search(
            r"\b(no need|don'?t need|not necessary|needn'?t|won'?t|will not|no|not|nothing|never|wouldn'?t)\b",
            clause[: m.start()],
            re.I,
        )
    )


@dataclass(frozen=True)
class DoctorText:
    """A doctor's turns read as questions and statements."""

    questions: list[str]
    statements: list[str]

    @property
    def statement_clauses(self) -> list[str]:
        return [c for s in self.statements for c in (clauses(s) or [s])]


# A heading over options the doctor turns down ("**Options I'm not recommending**", "### What I'd avoid").
_DECLINED_HEADING = re.compile(
    r"\b(not recommend\w*|not (advised|suitable|for (you|now))|(would|'d|to) avoid|(won'?t|wouldn'?t|not) "
    r"(use|using|prescrib\w*|recommend\w*|suggest\w*|offer\w*)|ruled out|turned down|options? (i'?m|we'?re) not)\b",
    re.IGNORECASE,
)


def _declined_items(text: str) -> str:
    """The items listed under a heading that turns them down are declined ("Options I'm not recommending:\n-
    Steroid cream between the toes: it would feed the fungus" reads "No steroid cream between the toes")."""
    out: list[str] = []
    declined = False
    for line in text.split("\n"):
        item = list_item(line)
        if not line.strip() or is_heading(line):
            declined = bool(line.strip()) and bool(_DECLINED_HEADING.search(line))
        elif item and declined and not negated(item[1]):
            line = f"{item[0]}No {item[1]}"
        out.append(line)
    return "\n".join(out)


# A plan put as a question ("Would it be OK if we tried you off the co-careldopa?", "perhaps just keep an eye out
# for any spots on yourself?", "Shall we start some cream?"): advice all the same.
_PROPOSAL_LEADS = (
    r"would it be (ok|okay|alright|all right|fine) if (we|i)|how about (we|i)|shall (we|i)|why don'?t (we|you)|"
    r"what if we|could we"
)
_PROPOSES = re.compile(
    r"\s*(?:(?:so|and|then|perhaps|maybe|just|for now),?\s+)*(" + _PROPOSAL_LEADS + r"|how about trying|"
    r"(keep an eye|carry on|stop|start|use|take|try|give|apply|put|keep|leave|avoid|book|come back)\b)",
    re.IGNORECASE,
)
# What the doctor checks rather than proposes: a statement with a tag ("..., haven't you", "..., is that right")
# or followed by a part that only asks to confirm it ("... every day - is that right?").
_TAGGED = re.compile(
    r",\s*(haven'?t|hasn'?t|aren'?t|isn'?t|didn'?t|wasn'?t|weren'?t|don'?t|doesn'?t|have|has|are|is|did|was|were|do|"
    r"does)\s+(you|he|she|it|they|we|there)\b(\W*$|\s*[-–—])|,\s*" + CONFIRM_WORDS + r"\W*$",
    re.IGNORECASE,
)
_CONFIRM = re.compile(r"\W*" + CONFIRM_WORDS + r"\W*$", re.IGNORECASE)
_PROPOSAL_LEAD = re.compile(r"\b(" + _PROPOSAL_LEADS + r")\s+", re.IGNORECASE)


def plain_advice(text: str) -> str:
    """A doctor's idioms for stopping or avoiding something read as the plain verb (lexicon.ADVICE_IDIOMS)."""
    for pattern, plain in ADVICE_IDIOMS:
        text = pattern.sub(plain, text)
    return text


# A question asked as an instruction, without a question mark ("Talk me through what you've given him for it,
# including whether he's had any ibuprofen.", "Please indicate which tooth is affected."); "tell me how you get on"
# and "let me know if it spreads" are a plan.
_TELL_ME = re.compile(
    r"^\s*(?:(?:ok|okay|right|good|so|and|now|great|thanks|thank you|also|next|lastly|finally)[,.!]?\s+)*(?:please,?\s+)?"
    r"(tell me (about|what|when|where|which|who|whether)|tell me how(?! (you|he|she|they|it|things) (get|gets|go|goes)\b)|"
    r"(talk|walk|take|run) me through|describe|indicate|state|specify|i'?d like to hear|i need (a list|to know)|"
    # "Now I'd like to go through every medicine and product you're using, one at a time: ..."
    r"(i'?d like to|let me|let'?s|i want to|i need to|i'?ll) (go|run) through (every|each|all|any|what|the)\b[^.]*"
    r"\byou'?(re| are)? (using|taking|on|used|taken))\b",
    re.IGNORECASE,
)


# What a doctor asks a companion or an interpreter to pass on ("Tell her most grown-ups had chickenpox, so she is very
# likely protected; she doesn't need to do anything for herself"): said to the person it is about.
_TOLD_THROUGH = re.compile(
    r"^\s*(?:(?:please|and|also|now|so|then|just)\s+)*(?:tell|explain to|let|remind|reassure)\s+(?P<who>her|him)"
    r"(?:\s+know)?(?:\s+that)?,?\s+(?P<said>(?:she|he|her|his|the|it|this|there|most|if|you|we|i)\b.*)$",
    re.IGNORECASE | re.DOTALL,
)
_SECOND_PERSON = {
    "her": (
        (r"\bshe's\b", "you're"),
        (r"\bshe\b", "you"),
        (r"\bherself\b", "yourself"),
        (r"\bhers\b", "yours"),
        (r"\bher\b(?=\s+[a-z]+(?:\s|[,.;]))", "your"),
        (r"\bher\b", "you"),
    ),
    "him": (
        (r"\bhe's\b", "you're"),
        (r"\bhe\b", "you"),
        (r"\bhimself\b", "yourself"),
        (r"\bhis\b", "your"),
        (r"\bhim\b", "you"),
    ),
}
_AGREE = (
    (r"\byou is\b", "you are"),
    (r"\byou was\b", "you were"),
    (r"\byou has\b", "you have"),
    (r"\byou doesn't\b", "you don't"),
    (r"\byou does\b", "you do"),
    (r"\byou needs\b", "you need"),
    (r"\byou comes\b", "you come"),
    (r"\byou gets\b", "you get"),
    (r"\byou hasn't\b", "you haven't"),
)


def told_through(sentence: str) -> str:
    """A message for the companion to pass on, said to the person it is about; any other sentence as it is."""
    m = _TOLD_THROUGH.match(sentence)
    if m is None:
        return sentence
    said = m["said"]
    for pattern, word in (*_SECOND_PERSON[m["who"].lower()], *_AGREE):
        said = re.sub(pattern, word, said, flags=re.IGNORECASE)
    return said[:1].upper() + said[1:]


# A clipped question of a word or three ("Steroids?", "Worse at night?", "Both sides?"): asked, not advised.
_CLIPPED_QUESTION = re.compile(
    r"^\s*(?!.*\b(i|we|let'?s|shall|should|try|use|apply|take|keep|stop|start|give|book|see|come|call|avoid)\b)"
    r"[\w'-]+(\s+[\w'-]+){0,3}\s*\?\s*$"
    # "Put anything on your face - spot gel, steroid cream?": "have you" clipped off, nothing advised
    r"|^\s*(put|tried|taken|used|had|been|seen|noticed|got|on|taking|using)\s+(anything|any|something)\b",
    re.IGNORECASE,
)


# A question typed without its question mark, by a doctor who types none: it opens as a question and ends without
# a full stop ("whats been tried so far, and has it grown fast", "any other meds u take").
_UNMARKED_QUESTION = re.compile(
    r"\s*(?:(?:ok|okay|right|and|so|good|great|thanks|thx|um)\W+)*(?:when|where|whats?|what's|how|which|who|why|any|"
    r"(?:do|does|did|have|has|had|is|are|was|were|can|could|will|would) "
    r"(?:you|u|he|she|they|it|his|her|your|ur|the|there|anyone|anybody|any))\b",
    re.IGNORECASE,
)


def _asks_unmarked(sentence: str) -> bool:
    return bool(_UNMARKED_QUESTION.match(sentence)) and not re.search(r"[.!:]\s*$", sentence)


def read_doctor(turns: list[Turn]) -> DoctorText:
    qs: list[str] = []
    ss: list[str] = []
    for t in turns:
        if t.seat != "doctor" or t.cut:
            continue
        # A doctor types its questions with a question mark: a sentence is a question when it ends in one
        # (its parts then too), so "Do not squeeze it." is advice, not a question.
        text = plain_advice(plain_text(_declined_items(t.text)))
        unmarked = "?" not in text  # "when did u first notice it, where exactly is it": a typist without "?"
        lines = re.split(r"\n+", text)
        if is_spoken(text):  # "okay so when did it start and does it hurt at all": speech-to-text, unpunctuated
            lines = [s for line in lines for s in spoken_sentences(line)]
        for sentence in (s for line in lines for s in re.split(r"(?<=[?.!])\s+", line)):
            if not sentence.strip() or re.match(r"\s*FINAL DIAGNOSIS\s*:", sentence, re.I):
                continue
            sentence = told_through(sentence)
            if condition := conditional_ask(sentence) or relayed_ask(sentence):  # "If there's been any fever, let
                # me know." asks, and so does "Ask her please whether he has had any ibuprofen."
                qs.append(condition)
                continue
            asked = (
                sentence.rstrip().endswith("?")
                or bool(_TELL_ME.match(sentence))
                or (unmarked and _asks_unmarked(sentence))
            )
            parts = split_parts(sentence) if asked else [sentence.strip()]
            for p, after in zip(parts, [*parts[1:], ""], strict=True):
                (qs if asked else ss).append(p)
                # "Would it be OK if we tried you off it?", "I shouldn't think you need to worry; so perhaps just
                # keep an eye out for spots?": a plan or a statement said with a rising question mark; but not what
                # is checked with a tag ("You've been using the mometasone every day, haven't you - for how long?")
                checked = bool(_TAGGED.search(p) or _CONFIRM.match(after) or _CLIPPED_QUESTION.match(p))
                if asked and not checked and (_PROPOSES.match(p) or not starts_like_question(p)):
                    ss.append(_PROPOSAL_LEAD.sub("let's ", p.strip(), count=1).rstrip("?") + ".")
    return DoctorText(qs, ss)


# Two instructions joined by "and" ("stop your pill now and use condoms until you see them"), each its own advice.
_AND_DO = re.compile(
    r"\s+and\s+(?=(use|take|apply|start|stop|keep|try|put|give|switch|wear|wash|book|avoid|carry on|continue)\b)", re.I
)


def instructions(clause: str) -> list[str]:
    """The two instructions a clause joins with "and" ("stop that one now and carry on with the tacrolimus"), or the
    clause itself; a prohibition heading both ("don't squeeze it and pick at it") keeps them together."""
    m = _AND_DO.search(clause)
    if not m or _NEGATED_HEAD.match(clause):
        return [clause]
    return [h for h in (clause[: m.start()], clause[m.end() :]) if len(h.split()) >= 2] or [clause]


def _and_halves(doc: DoctorText) -> list[str]:
    """Each of two instructions a clause joins with "and"."""
    return [h for c in doc.statement_clauses for h in instructions(c) if h != c]


def _after_the_wait(doc: DoctorText) -> set[str]:
    """What is advised for after a wait ("keep them off until it has completely gone, then carry on with your
    lenses"): the clause after "then" is the end of the advice to wait, not advice for now."""
    return {
        b
        for s in doc.statements
        for a, b in pairwise(clauses(s))
        if re.match(r"\s*then\b", b, re.IGNORECASE) and re.search(r"\b(until|till|once)\b", a, re.IGNORECASE)
    }


def _clause_pairs(doc: DoctorText) -> list[str]:
    """Two neighbouring clauses of a statement read together: an action said across a comma ("a referral to the
    dermatology team, who can consider isotretinoin")."""
    out: list[str] = []
    for s in doc.statements:
        cs = clauses(s)
        out += [f"{a}, {b}" for a, b in pairwise(cs)]
    return out


# A result told ("Your blood tests last time were normal"): what was found, not a reassurance given.
_RESULT_TOLD = re.compile(
    r"\b(tests?|results?|bloods|counts?|scans?|x-?rays?|swabs?|levels?)\b[^.;,]{0,30}\b(were|was|are|is|came back|come back)"
    r"\s+(all\s+)?(normal|fine|clear)\b",
    re.IGNORECASE,
)


def performed(doc: DoctorText, item: Action | Harm, matcher: Matcher) -> str | None:
    """The doctor clause that performs `item` (same meaning, same polarity), or None."""
    # clauses, and whole sentences where no negation could change a clause's meaning
    cl = [
        *doc.statement_clauses,
        *(s for s in doc.statements if not has_negation(_UNPROTECTED.sub("", _stop_not_needed_read(s)))),
    ]
    cl = list(dict.fromkeys(cl))
    if isinstance(item, Action):  # an action is advice or a plan, not a remark ("the red eye is from rubbing"),
        # unless the action is itself an explanation ("Explain that these are common, benign growths")
        told = is_spoken_action(item.description)
        # "rather than jumping into tests I'd suggest a biotin supplement" arranges no tests
        kept = (_NOT_DONE.sub("", c).strip(" ,") or c for c in [*cl, *_clause_pairs(doc)])
        cl = [
            c for c in dict.fromkeys(kept) if told or gives_plan(c) or _ESCALATION.search(c) or _ADVICE_LIKE.search(c)
        ]
    else:  # a harm is advice given or a reassurance, not an explanation ("the nail edge let infection in")
        offered = _options_offered(doc)
        # a reassurance is said with its negations ("if he takes next to nothing for a day or two, that's fine, ...
        # so there's no need to count nappies"): whole statements too
        whole = doc.statements if _DISMISSAL_HARM.match(item.description) else []
        cl = list(dict.fromkeys([*cl, *_and_halves(doc), *offered, *whole]))
        itemised = {c for s in doc.statements if (m := _PLAN_ITEM.match(s)) for c in clauses(s[m.end() - 1 :])}
        itemised |= set(offered)
        # "Even better, lemon drops or lemon-glycerine swabs get the saliva going": a recommendation by comparison
        itemised |= {c for s in doc.statements if _BETTER_STILL.match(s) for c in [s, *clauses(s)]}
        # "The basis: it started after two weeks of strong sun while he was taking doxycycline" explains
        explained = {c for s in doc.statements if _EXPLANATION_LABEL.match(s) for c in [s, *clauses(s)]}
        cl = [
            c
            for c in cl
            if (
                gives_plan(c)
                or _REASSURES.search(_RESULT_TOLD.sub("", c))
                or _OWN_ADVICE.search(c)
                or _dosed(c)
                or c in itemised
            )
            and not _EXPLANATION_LABEL.match(c)
            and c not in explained
        ]
    if not cl:
        return None
    if isinstance(item, Harm):
        return _harm_performed(doc, item, cl, matcher)
    examples = [item.description, *item.examples]
    sims = matcher.similarity(cl, [[e] for e in examples])
    # An action's polarity is its description's ("Advise not to squeeze it"), so an incidental "don't wait"
    # in an example does not flip it.
    neg = advises_against(item.description)
    # an action that stops a drug ("Stops the doxycycline as the cause") is done by advice to stop it
    stops = bool(_STOPS_ACTION.match(item.description))
    floor = ACT_MATCH[matcher.kind]
    best: tuple[float, str] | None = None
    for i, c in enumerate(cl):
        polarity = neg or (stops and bool(_STOPS.search(c)) and not _DONT_STOP.search(c))
        if negated(_KEEPS_WORKING.sub(r"keeps \1 working", c)) != polarity:
            continue
        if stops and _KEEPS.search(c) and not polarity:
            continue  # "keep him on it as normal" is the opposite of stopping the doxycycline
        for j, e in enumerate(examples):
            if sims[i, j] < floor or (best and sims[i, j] <= best[0]):
                continue
            if len(shared_terms(c, e)) >= MIN_SHARED["action"] and not different_treatment(c, e):
                best = (float(sims[i, j]), c)
    return None if best is None else best[1]


def _harm_performed(doc: DoctorText, item: Harm, cl: list[str], matcher: Matcher) -> str | None:
    """The clause that commits a harm, from the doctor's advice clauses `cl` and the readings that join a drug to
    what is said of it in other clauses or sentences; advice on a condition, set aside or for after a wait is not
    the harm."""
    said = " ".join(doc.statements)
    cl = list(
        dict.fromkeys(
            [
                *cl,
                *_drug_then_it(doc),
                *_named_for_pronoun(doc),
                *_declined_drug(doc),
                *(_said_of_the_last(doc) if _DISMISSAL_HARM.match(item.description) else []),
            ]
        )
    )
    qualified = {
        c
        for s in doc.statements
        if CONDITIONAL.search(_CONCESSIVE.sub("", s)) and not dismissed_if(s)
        for c in [s, *clauses(s)]
    }
    excluded = _restricted(doc) | _safety_net_conditions(doc) | _after_the_wait(doc)
    cl = [c for c in cl if c not in excluded]
    # "Since three months of mometasone hasn't helped, I'm referring you": the reason given first is history
    advice = {st: _without_reason(st) for st in doc.statements}
    cl = list(dict.fromkeys(advice.get(c, c) for c in cl))
    # and its clauses with the drug for the pronoun ("keep putting the hydrocortisone on at bedtime")
    named = [w for st, w in advice.items() if w != _REASON_FIRST.sub("", st)]
    cl = list(dict.fromkeys([*cl, *(x for w in named for x in clauses(w) if gives_plan(x) or _dosed(x))]))
    qualified |= {_REASON_FIRST.sub("", c) for c in qualified}
    mild_only = bool(_MILD.search(said)) and not _POTENT.search(said)
    deferred = _defers_as(cl, item) or _not_now_but_after(doc, item)
    if deferred:
        return deferred
    return _harm_clause(cl, item, matcher, mild_only=mild_only, qualified=qualified, statements=tuple(doc.statements))


# A reason given before the advice in its sentence ("Since it's spreading and three months of mometasone hasn't
# helped, I'm referring you to dermatology").
_REASON_FIRST = re.compile(r"^\s*(?:since|as|because|given that|now that|seeing as)\b[^,;]{0,120},\s*", re.IGNORECASE)


def _without_reason(statement: str) -> str:
    """The advice of a statement without the reason given first; a drug the reason names stands for the pronoun the
    advice refers to it by ("Since the hydrocortisone clearly calmed the redness, keep putting that on at bedtime":
    keep putting the hydrocortisone on)."""
    m = _REASON_FIRST.match(statement)
    if m is None:
        return statement
    rest = statement[m.end() :]
    named = _drug_words(m.group(0))
    if named and not drug_classes(rest):
        rest = re.sub(r"\b(that|it|them)\b", f"the {named[0]}", rest, count=1, flags=re.IGNORECASE)
    return rest


_STOPS_ACTION = re.compile(r"\s*(stops?|discontinues?|withdraws?)\b", re.IGNORECASE)
# Advice given on a condition: a dismissal with its condition is a safety-net ("no need to come back unless it
# spreads"), and a drug "if it gets infected" is not advised now. "See if it settles" asks a question, it sets no
# condition.
CONDITIONAL = re.compile(
    r"\b(unless|(?<!see )(?<!check )(?<!find out )(?<!know )(?<!tell )(?<!ask )if|should (it|they|he|she|you)|otherwise|as long as|provided|in case|were (it|you) to|might need)\b",
    re.IGNORECASE,
)


# The condition opens the statement, maybe after a discourse word or a lead-in before a colon ("Now, so you're not
# worrying: if a rash pops up, ... no need to ring us").
_LED_IN_CONDITION = re.compile(
    r"\s*(?:(?:and|now|so|also|but|plus|oh|ok(?:ay)?|right)\b,?\s*)*(?:[^:.?!]{0,40}:\s*)?(?:and\s+)?(if|when|should)\b",
    re.IGNORECASE,
)


# A condition that points back at what was just foretold ("In a week the eye can get sore ... Please don't panic if
# that happens and don't feel you need to ring us").
IF_THAT = re.compile(
    r"\b(if|when|should) (that|this|those|these|any of (that|this|those|these)) (happens?|occurs?|comes?)\b", re.I
)


# A sign made the condition of "that's fine" ("honestly, if he takes next to nothing for a day or two, that's fine").
_IF_THEN_FINE = re.compile(
    r"\bif\b[^.;]{3,120}?,\s*(?:that'?s|it'?s|that is|it is|he'?s|she'?s|they'?re) (?:absolutely |perfectly |totally )?"
    r"(?:fine|ok|okay|normal|alright|all right|nothing to worry about|not a (?:problem|worry))\b",
    re.IGNORECASE,
)


def dismissed_if(statement: str) -> bool:
    """ "If the redness creeps onto your cheek, that's just the stye; there's no need to be seen": the sign is the
    condition of the dismissal, the opposite of a safety-net ("no need to come back unless it spreads")."""
    if _IF_THEN_FINE.search(statement) and not escalates(statement):
        return True
    return bool(
        (_LED_IN_CONDITION.match(statement) or IF_THAT.search(statement))
        and dismisses(statement)
        and not escalates(statement)
        and not re.search(r"\b(unless|otherwise|but if)\b", statement, re.IGNORECASE)
    )


# "Even if one bleeds, you needn't come back": a concession, the opposite of the condition of a safety-net.
_CONCESSIVE = re.compile(r"\beven (if|when|though)\b|\bwhatever\b|\bno matter\b", re.IGNORECASE)


# Advice not to wait ("there's no reason to wait until the brace is finished"): the opposite of a harm that
# puts something off ("There's no point seeing a dentist until the brace comes off"), whatever its negation.
_NO_WAIT = re.compile(
    r"\b(no (reason|need|point) (to wait|waiting|in waiting)|(don'?t|do not|shouldn'?t|no need to) (wait|delay|put (it|this) off))\b",
    re.IGNORECASE,
)


# Skin products that do opposite jobs: what puts oil back in, and what strips it out.
_PRODUCTS = {
    "emollient": re.compile(
        r"\b(moisturi[sz]\w*|emollients?|(barrier|hand) creams?|ointments?|vaseline|petroleum jelly)\b", re.I
    ),
    "cleanser": re.compile(
        r"\b(soaps?|alcohol gel|hand gel|saniti[sz]\w*|antibacterial|hand ?wash|bleach|spirit)\b", re.I
    ),
}
# Antihistamines that make you drowsy, and those that do not (BNF).
_ANTIHISTAMINES = {
    "sedating": re.compile(
        r"\b(?<!non-)(?<!non )(sedating|drowsy|chlorphenamine|piriton|promethazine|phenergan|hydroxyzine|"
        r"diphenhydramine)\b",
        re.I,
    ),
    "non-sedating": re.compile(
        r"\b(non-?sedating|non-?drowsy|cetirizine|loratadine|fexofenadine|zirtek|zyrtec|clarityn|claritin|allegra)\b",
        re.I,
    ),
}
# Glove materials: latex, which sensitises, and the rest.
_MATERIALS = {
    "latex": re.compile(r"(?<!non-)\blatex\b(?!-free)", re.I),
    "other": re.compile(r"\b(nitrile|vinyl|neoprene|pvc|latex-free|non-latex|cotton(-lined)?)\b", re.I),
}


def _other_product(clause: str, example: str) -> bool:
    """The clause advises only one kind of skin product (or glove) and the example only the other kind."""
    for kinds in (_PRODUCTS, _MATERIALS, _ANTIHISTAMINES):
        have = {k for k, r in kinds.items() if r.search(clause)}
        want = {k for k, r in kinds.items() if r.search(example)}
        if len(have) == 1 and len(want) == 1 and have != want:
            return True
    return False


_PUT_IN_PLACE = re.compile(
    r"\b(against|next to|beside|into|onto) (the|your|his|her|that|a) (\w+ )?(gums?|tooth|teeth|skin|lips?|cheek)\b",
    re.I,
)


def _clashes(c: str, e: str, item: Harm, example_whole: str, said_in: str, *, mild_only: bool) -> bool:
    """Clause `c` is not the act of harm example `e` although close to it: another treatment, route, site, product,
    a limit or a distance kept, a pause before resuming, advice alongside rather than instead (`said_in`: the
    statement the clause was cut from; `example_whole`: the example `e` is a clause of)."""
    clash = different_treatment(c, e) or (mild_only and bool(_POTENT.search(e))) or _names_no_treatment(c, e)
    clash = clash or route_clash(c, item.description)  # "Prescribes oral corticosteroids": not a cream
    clash = clash or stop_keep_clash(c, example_whole)  # "keep taking sertraline" is not "stop the sertraline"
    # "Keep taking your aspirin" is not "Tuck an aspirin next to the tooth": the medicine kept, not put in place
    clash = clash or bool(_KEEPS.search(c) and _PUT_IN_PLACE.search(e) and not _PUT_IN_PLACE.search(c))
    clash = clash or _does_what_example_omits(c, e)  # "Use factor 50 sunscreen" vs "... with no sunscreen"
    clash = clash or _other_product(c, e)  # "use moisturiser often" is not "wash more often with soap"
    clash = clash or bool(_NO_WAIT.search(c) and not _NO_WAIT.search(e))  # "no reason to wait until ..."
    clash = clash or bool(_KEEPS_AWAY.search(c) and not _KEEPS_AWAY.search(e))  # "or keep your distance"
    clash = clash or bool(_LIMITS.search(c) and not _LIMITS.search(e))  # "keep sugary snacks to mealtimes"
    # "penicillin doesn't stop it working" is about a drug failing, not "Stop your pill while on the antibiotics"
    clash = clash or bool(_STOPS_WORKING.search(c) and not _STOPS_WORKING.search(e))
    where = _applies_where(c, e) or (c if _sites(c) else said_in)  # the clause's own site first
    clash = clash or site_clash(where, item.description)  # "Knuckles: a potent steroid"
    # "If it is confirmed and he wants tablets, terbinafine ...": the condition may sit before the clause cut
    clash = clash or bool(BEFORE_CHECKS.search(item.description) and orders_test(said_in))
    resumes_later = bool(_RESUMES.search(c) and _LATER.search(c) and not _AS_USUAL.search(c))
    clash = clash or bool(_AS_USUAL.search(item.description) and resumes_later)  # "then fine to restart"
    instead = _INSTEAD_OF.search(e) or _INSTEAD_OF.search(item.description)
    clash = clash or bool(_ALONGSIDE.search(c) and instead)  # "alongside brushing" is not "instead of"
    return clash


# Words that reassure (a narrower set than _REASSURES, which also reads "carry on" as a harm of carrying on).
_REASSURING = re.compile(
    r"\b(nothing|normal|fine|harmless|settle\w*|go (away|down)|will clear|clear up|don'?t worry|no need|needn'?t|"
    r"wait\w*|common|expected|won'?t (need|matter|harm)|part of (it|the same thing|the condition))\b",
    re.IGNORECASE,
)


def _harm_clause(
    cl: list[str],
    item: Harm,
    matcher: Matcher,
    *,
    mild_only: bool = False,
    qualified: set[str] | None = None,
    statements: tuple[str, ...] = (),
) -> str | None:
    """The clause that commits `item`: close to one of its examples, with the polarity of that example's
    first clause ("Carry on wearing your lenses, it won't make any difference" advises carrying on). A doctor who
    names only mild steroids is not prescribing the potent one a harm warns about (`mild_only`)."""
    # doctor speech only: a description ("Dismisses bleeding as normal") has no polarity. Each example whole, and
    # each of its clauses with its own polarity ("It's just a sore throat; even if it gets worse, there's no need
    # to call us": the harm is in the last clause).
    # what an example says is NOT done ("… instead of worrying about brushing") is not the harm's content
    # and the reason an example gives first ("Since you've got aspirin at home anyway, crush one and pack it into
    # the gum") is not the harm: "Keep taking your aspirin" shares it
    done = [_REASON_FIRST.sub("", _NOT_DONE.sub("", e)).strip() or e for e in item.examples]
    whole = {x: e for e in reversed(done) for x in [e, *_long_clauses(e)]}  # each clause's example
    examples = list(dict.fromkeys(x for e in done for x in [e, *_long_clauses(e)]))
    sims = matcher.similarity(cl, [[e] for e in examples])
    pol = [negated(_first_clause(e)) for e in examples]
    floor, plain = HARM_MATCH[matcher.kind], HARM_MATCH_PLAIN[matcher.kind]
    best: tuple[float, str] | None = None
    by_self = any(_BY_SELF.search(t) for t in [item.description, *item.examples])
    prescribing = bool(re.match(r"\s*(prescribes|starts|gives|offers)\b", item.description, re.IGNORECASE))
    doc_of = {c: st for st in statements for c in clauses(st)}  # each clause's statement (where it applies)
    waiting = [bool(_WATCHFUL.search(e)) for e in examples]  # examples that watch and wait
    # a harm of false reassurance is committed by a clause that reassures or dismisses, not by the treatment given
    # beside it ("You can carry on with the antihistamine for the itch" beside a same-day review)
    reassuring = bool(_DISMISSAL_HARM.match(item.description))
    for i, c in enumerate(cl):
        # "no need to come back unless it spreads", "get it checked if it bleeds": a safety-net, unless the harm is
        # itself one of watching and waiting ("There's no need for you to get checked; just keep an eye out for spots")
        net = bool(qualified and c in qualified and (dismisses(c) or escalates(c) or _RETURN.search(c)))
        watches = bool(_WATCHFUL.search(c))
        if net and not (watches and any(waiting)):
            continue
        if by_self and _BY_CLINICIAN.search(c):
            continue  # "they can make a tiny hole in the nail with proper equipment" is not doing it yourself
        if _WONT_HELP.match(c) and not reassuring:
            continue  # "Antibiotics won't help gums like this" turns the antibiotics down
        warning = bool(_WARNS.search(c)) and not negated(c)
        if prescribing and not (gives_plan(c) or _dosed(c) or drug_classes(c)):
            continue  # "a fungal nail usually goes thick and yellow, and yours are normal" prescribes nothing
        if prescribing and _REFERS_FOR.search(c):
            continue  # "I'll refer you to dermatology for isotretinoin" leaves the prescribing to them
        for j, e in enumerate(examples):
            # a wait-and-watch clause is read against the example's own waiting, whatever came before it
            waits = watches and waiting[j]
            if net and not waits:
                continue
            sim = float(sims[i, j])
            # a dose of the drug class a prescribing harm names is that prescription in any words ("a short burst
            # of prednisone; I'll send 40 mg a day for five days")
            dosed = (
                prescribing
                and bool(_TABLET_DOSE.search(c) or _TIMES_A_DAY.search(c))
                and bool(drug_classes(c) & drug_classes(e) - {"paracetamol"})
            )
            if sim < floor - (0.1 if dosed else 0) or (negated(c) != pol[j] and not waits) or (best and sim <= best[0]):
                continue
            if reassuring and not (dismisses(c) or _REASSURING.search(c) or waits):
                continue
            if warning and not _WARNS.search(e):
                continue  # "The bubble bath and scented lotion can irritate her skin" warns against them
            shared = shared_terms(_NOT_DONE.sub("", _CIRCUMSTANCE.sub("", c)), e)  # not "rather than a mouthwash"
            # sharing a drug lowers the bar, but not paracetamol, which half of all plans name
            drug = any(t.startswith("drug:") and t not in ("drug:paracetamol", "drug:contraceptive") for t in shared)
            if prescribing and drug_classes(e) and not drug_classes(c) & drug_classes(e):
                continue  # "rub the lump towards the lashes twice a day" prescribes no ointment
            if not drug and sim < plain:
                continue  # without a shared drug class, a harm needs a closer match
            clash = _clashes(c, e, item, whole[e], doc_of.get(c, c), mild_only=mild_only)
            # a dismissal in other words ("you needn't come back about them") shares no content word
            echoed = sim >= plain + 0.1 and dismisses(c) and dismisses(e)
            if (len(shared) >= MIN_SHARED["harm"] or echoed or dosed) and not clash:
                best = (sim, c)
    return None if best is None else best[1]


# Advice to keep apart ("or keep your distance from the baby and wash your hands well") is not leave to be close.
_KEEPS_AWAY = re.compile(
    r"\b(keep (your|a|their|his|her) distance|stay (well )?away|keep (well )?away|keep (him|her|them|it) away)\b", re.I
)


# Advice that limits something ("keep sugary snacks to mealtimes", "cut down on the energy drinks") is not leave to
# have it freely ("he can keep snacking whenever he's hungry").
_LIMITS = re.compile(
    r"\b(keep (\w+ ){1,3}to (meal ?times|meals|a minimum)|limit\w*|cut (down|back)|only (at|with) (meal ?times|meals)|"
    r"no more than|save (\w+ ){1,3}for|stick to (water|milk))\b",
    re.IGNORECASE,
)


def _applies_where(clause: str, example: str) -> str | None:
    """Where the drug of `example` goes when a clause gives two ("a strong steroid on the arms and legs ... and
    hydrocortisone 1% on the cheek"): the pieces about that drug, if they name a site; else None."""
    pieces = _AND_DRUG.split(clause)
    same = " ".join(p for p in pieces if drug_classes(p) and not different_treatment(p, example))
    return same if len(pieces) > 1 and _sites(same) else None


_AND_DRUG = re.compile(
    r"\b(?:and|but)(?: only| just)? (?=(?:a |an |the |some )?(?:(?:separate |different )?(?:mild|milder|weaker|gentler) (?:one|cream|ointment)|"
    + "|".join(re.escape(w) for w in sorted(_DRUG_OF, key=len, reverse=True))
    + r")\b)",
    re.IGNORECASE,
)
# A harm of carrying on as usual, and a clause that resumes after a pause ("lenses are then fine to restart").
_AS_USUAL = re.compile(r"\b(carry\w* on|continu\w*|as (normal|usual))\b", re.IGNORECASE)
_RESUMES = re.compile(r"\b(restart\w*|start (again|back)|resum\w*|go back to)\b", re.IGNORECASE)
_LATER = re.compile(r"\b(then|once|after|afterwards|when it)\b", re.IGNORECASE)
# A harm done before the checks the case calls for ("without mycological confirmation", "without confirming the
# diagnosis or checking liver function"), and a clause that orders the check or waits for its result ("if
# confirmed, ...").
BEFORE_CHECKS = re.compile(
    r"\bwithout (\w+ ){0,2}(confirm\w*|check\w*|tests?|testing|culture|swabs?|biops\w*|mycolog\w*|clippings?|samples?)\b",
    re.IGNORECASE,
)
_ORDERS_TEST = re.compile(
    r"\b(send|sending|take|taking|do|doing|arrange|get)\b[^.;]{0,30}\b(clippings?|samples?|scrapings?|swabs?|biopsy|"
    r"culture|tests?|testing)\b|\b(if|once|when)\b[^.;,]{0,25}\b(confirm\w*|positive|comes? back|fung\w*)\b"
    r"|^\W*(\w+ ){0,2}confirmed\b",  # a clause cut after its "if": "fungus confirmed start terbinafine"
    re.IGNORECASE,
)


_TEST_WAIVED = re.compile(
    r"\b(no need to|(?:do not|don'?t|doesn'?t|won'?t) (?:need|have) to|needn'?t|without|no point(?: in)?|not|skip)\s*(\w+\s+)?$",
    re.IGNORECASE,
)


def orders_test(text: str) -> bool:
    """The text orders the check or waits for its result; "there's no need to send clippings first" does not."""
    return any(not _TEST_WAIVED.search(text[max(0, m.start() - 30) : m.start()]) for m in _ORDERS_TEST.finditer(text))


_DECIDES = re.compile(
    r"\s*(so |and )?(i|we)('ll| will|'m| am)? (won'?t|will not|am not going to|'m not going to) (prescribe|give|start|offer|refer|send)\b",
    re.I,
)


def _first_clause(example: str) -> str:
    """What an example advises, before what it promises ("Switch to another permanent dye and it shouldn't
    happen" advises switching: its polarity is not the promise's), after what it explains ("Sertraline can cause
    itching, so stop taking it" advises stopping)."""
    cs = clauses(example) or [example]
    first = cs[0]
    if not gives_plan(first) and not negated(first):  # "Sertraline can cause itching, so stop taking it"
        # "Antiviral tablets won't make any difference, so I won't prescribe them": the doctor's own decision
        first = next((c for c in cs if gives_plan(c) or _DECIDES.match(c)), first)
    return re.split(r"\s+and (?=(?:it|this|that|they|you)\b)", first, maxsplit=1)[0]


# What a thing does to the skin or the illness: said of a product, a warning against it, not advice to use it.
_WARNS = re.compile(
    r"\b(irritat\w*|aggravat\w*|inflam(e|es|ing)|(cause|causes|causing|trigger\w*) inflammation|worsen\w*|make (it|things|them|her|his|him|the \w+|\w+ skin) worse|"
    r"(can|could|may|might|will|would) (trigger|sting|dry|sensiti[sz]e)\w*|"
    # "Bleeding gums can occasionally be a sign of a blood problem", "it's too harsh for rosacea skin"
    r"(can|could|may|might) (\w+ )?be a sign of|too (harsh|strong|irritating|drying) for)\b",
    re.IGNORECASE,
)


# "Dry your hands after washing", "an emollient after every hand wash": when the advice applies, not what it
# advises (the washing is not the advice).
_CIRCUMSTANCE = re.compile(
    r"\b(after|before|when|while|whenever) ((every|each|any) (\w+ )?(wash|meal|shower|bath)|\w+ing)\b"
    r"|\b(on top of|as well as|alongside) (your|the|his|her|their) \w+",  # "avoid ibuprofen on top of your aspirin"
    re.IGNORECASE,
)

_EXPLAINS = re.compile(r"\s*(explain|reassure|tell|inform)\w*\b", re.IGNORECASE)


def is_spoken_action(description: str) -> bool:
    """The action is something the doctor says ("Explain that these are benign growths"): a remark performs it."""
    return bool(_EXPLAINS.match(description))


# Options offered to choose from ("For that sore gum you've two options: he can brush very lightly over it, or just
# leave that strip alone for a fortnight"): each option is advice.
_OPTIONS_GIVEN = re.compile(r"\b(?:options|choices|ways (?:to go|of doing it))\b[^:.;]{0,40}:\s*", re.IGNORECASE)
_OR_NEXT = re.compile(r",?\s+\bor\b\s+(?:else\s+)?(?:just\s+)?", re.IGNORECASE)


def _options_offered(doc: DoctorText) -> list[str]:
    return [
        o.strip(" ,.")
        for s in doc.statements
        if (m := _OPTIONS_GIVEN.search(s))
        for o in _OR_NEXT.split(s[m.end() :])
        if len(o.split()) >= 3
    ]


# A chat model's plan item under a label that names a service or a treatment ("Orthodontist: clear aligners will
# pull the teeth together", "Treatment: ..."): advice, whatever its grammar.
_PLAN_ITEM = re.compile(
    r"\s*(\w+ )?(orthodontists?|dentists?|dermatolog\w*|gp|pharmacists?|podiatrists?|opticians?|optometrists?|"
    r"specialists?|hospital|referrals?|treatments?|medications?|medicines?|creams?|tablets?|plan|next steps?|"
    r"skin ?care|self[- ]care|at home|home care)\s*:\s+\S",
    re.IGNORECASE,
)
# A chat model's explanation under its own label ("Why: doxycycline makes skin sensitive to sunlight, ...").
_EXPLANATION_LABEL = re.compile(
    r"\s*((the|my|our) )?(why|reasons?|reasoning|because|explanation|cause|basis|evidence|clues?)\b[^:.]{0,20}:", re.I
)
# A harm the patient does to themselves ("make a hole in the nail himself"), and a clinician doing it instead.
_BY_SELF = re.compile(r"\b(himself|herself|themselves|yourself|at home)\b", re.IGNORECASE)
_REFERS_FOR = re.compile(
    r"\b(refer\w*|referral)\b[^.;]{0,60}\b(for|to (consider|discuss|start|decide (on|about))|about)\b", re.IGNORECASE
)
_BY_CLINICIAN = re.compile(
    r"\b(they|the (nurses?|doctors?|team|clinic|dentist|specialists?|unit|staff|surgeon|podiatrist))"
    r"( can| will| may| might| could| would|'ll|'d)\b",
    re.IGNORECASE,
)

_RESTRICTION = re.compile(
    r",\s*(but |and )?not (on|onto|over|near|around|for|in|into) (the|his|her|your|any|those|these|anything)\b|"
    r"\b(where|when|if) the skin is (unbroken|intact|not broken|healthy)\b|\bon (unbroken|intact) skin\b|"
    r"\bonly (on|to|for) (her|his|your|the|their) (usual|normal|regular|old|existing)\b",  # "only on her usual dry patches"
    re.I,
)


# Warning signs listed and said to be absent ("Worrying lumps tend to bleed, make lashes fall out or keep coming back,
# and yours has none of those"): a description of what is not there, not a dismissal of it.
_SIGNS_ABSENT = re.compile(
    r"\b(yours?|you|he|she|it|this( one)?|they)('s| has| have| shows?| had) (got )?(none|no sign) of (those|these|them|that)\b|"
    r"\bnone of which (you|he|she|it|this) (has|have|shows?)\b|"
    r"\b(yours|this one|it|he|she) (doesn'?t|does not|hasn'?t|has not) (have|show|got) any of (those|these|that|them)\b",
    re.IGNORECASE,
)


def _restricted(doc: DoctorText) -> set[str]:
    """The clauses of a sentence that limits where its advice applies ("Keep the hydrocortisone for her usual
    eczema patches, not on the spots"), or that lists warning signs this patient does not have: the advice is not
    given for what it excludes, and what is absent is not dismissed."""
    return {c for s in doc.statements if _RESTRICTION.search(s) or _SIGNS_ABSENT.search(s) for c in [s, *clauses(s)]}


def _safety_net_conditions(doc: DoctorText) -> set[str]:
    """The conditions listed in a safety-net ("Get seen the same day if you can't swallow fluids, you can't open
    your mouth properly, or your voice goes muffled"): each is a sign to act on, not advice or a reassurance."""
    out: set[str] = set()
    for s in doc.statements:
        cs = clauses(s) or [s]
        m = CONDITIONAL.search(s)
        if m is None:
            continue
        if _ESCALATION.search(s[: m.start()]) or _RETURN.search(s[: m.start()]):
            out.update(c for c in cs if s.find(c) >= m.end())  # "get seen today if A, B or C"
        elif m.start() <= 3 or _LED_IN_CONDITION.match(s):  # "If A, B or C, get seen today" ("Safety-netting: if A")
            act = next((i for i, c in enumerate(cs) if _ESCALATION.search(c) or _RETURN.search(c)), None)
            out.update(cs[:act] if act else [])
    return out


# Advice said as what helps or what the patient may do ("a plain moisturiser helps the itch", "she can go to
# school as normal"), not as an instruction.
_ADVICE_LIKE = re.compile(
    r"\b(helps?|will help|can help|(is|are) (the )?best|works? (well|best)|"
    # "Sun protection is now even more important for you: factor 50 ..."
    r"(is|are) (now )?(even )?(more |very |really |especially |so |doubly )?(important|essential|vital)|"
    r"(she|he|they|you) can (still )?(go|carry on|keep|return|do)|as (normal|usual)|"
    r"needs? (checking|looking at|seeing|to be (seen|checked|looked at)))\b",
    re.IGNORECASE,
)
# The doctor's own advice in the first person: "I'll prescribe…", "I'd keep…", "I wouldn't rush off to a dentist".
_OWN_ADVICE = re.compile(
    r"\bi('ll| will| wouldn'?t| would not|('d| would) (not|never|just|stick|keep|carry|stop|leave|avoid|add|give|put|"
    r"use|try|recommend|suggest|say|rather|hold|skip)|'?m (going to|gonna) (start|put|give|prescribe|send|get|pop))\b"
    # advice said as the best choice: "best quick solution is strong cream", "the best option would be ..."
    r"|\b(best|quickest|fastest|simplest|easiest)( \w+)? (solution|option|treatment|choice|thing|way)( (for|to) \w+( \w+)?)? (is|would be)\b"
    # a thing endorsed for what it does: "The sweets are actually doing a useful job keeping your saliva going"
    r"|\b(is|are|'s|'re) (actually |really |still )?(doing (a|an) (useful|good|great|important|grand) job|helping)\b",
    re.IGNORECASE,
)
_PERSON = re.compile(
    r"\b(grand(son|daughter|child|children|kids?|baby)|bab(y|ies)|newborn|infant|toddler|son|daughter|child(ren)?|kids?|"
    r"wife|husband|partner|mum|mother|dad|father|sister|brother|niece|nephew|flatmate)\b",
    re.IGNORECASE,
)
_TREATS_IT = re.compile(r"\b(treat|treating|clear|clearing|get rid of|remove|removing)\s+(them|it|him|her)\b", re.I)
_ABOUT = re.compile(r"^(regarding|about|as (for|to|regards)|re|on the (subject|question) of)\s+", re.IGNORECASE)
_LABEL_HEAD = re.compile(r"\W*(?:\d+[.)]\s*)?([A-Za-z][A-Za-z' -]{2,24}?):\s+\S")
_OBJECT_PRONOUN = re.compile(
    r"\b(him|them|her(?=\s*(?:$|[,.;!?]|as |to |with |for |when |until |while |around |near )))\b", re.I
)


def _named_for_pronoun(doc: DoctorText) -> list[str]:
    """A clause that refers back to a person named earlier in its sentence ("As for your grandson, …, so you can
    carry on looking after him as usual"), or to the label of the plan item it is under ("Lenses: there's no
    reason to stop them"), read with what it refers to, so the harm about it is in one piece."""
    out = []
    label = None
    for s in doc.statements:
        # a plan item under its label ("Lenses: there's no reason to stop them. Pop them in as usual")
        head = _LABEL_HEAD.match(s)
        label = _ABOUT.sub("", head.group(1)) if head else label if _OBJECT_PRONOUN.search(s) else None
        cs = clauses(s) or [s]
        if label:
            # "Regarding freezing: ... Should you wish to treat them": what is treated is the warts, not the label
            out += [
                _OBJECT_PRONOUN.sub(f"the {label.lower()}", c, count=1)
                for c in cs
                if _OBJECT_PRONOUN.search(c) and not _TREATS_IT.search(c)
            ]
        for i, c in enumerate(cs):
            named = next((m.group(0) for b in reversed(cs[:i]) for m in [_PERSON.search(b)] if m), None)
            if named and not _PERSON.search(c) and _OBJECT_PRONOUN.search(c):
                out.append(_OBJECT_PRONOUN.sub(f"your {named}", c, count=1))
            out += _kept_drug(cs[:i], c)
    return out


_ON_IT = re.compile(r"\b(on|with|taking|using) (it|them)\b", re.IGNORECASE)


def _kept_drug(before: list[str], c: str) -> list[str]:
    """A drug kept on by pronoun after it is named, even in a clause that clears it ("His doxycycline won't be
    anything to do with it, ..., so keep him on it as normal": keep him on the doxycycline)."""
    if not before or drug_classes(c) or not (_KEEPS.search(c) and _ON_IT.search(c)):
        return []
    drug = next((w for b in reversed(before) for w in _drug_words(b)), None)
    return [_ON_IT.sub(lambda m: f"{m.group(1)} the {drug}", c, count=1)] if drug else []


# Care put off until an event ("Best to avoid the dentist until after the baby comes", "so my advice is to wait and book
# your check-up after delivery"): what follows "until"/"after" names the event waited for.
_DEFERRAL = re.compile(
    r"\b(?:wait|avoid|hold off|put (?:it )?off|postpone|delay|no point|leave it)\b[^.;]*?\b(?:until|till|after)\s+"
    r"(?P<event>[^.,;!?]+)",
    re.IGNORECASE,
)
_EVENT_WORDS = frozenset({"after", "until", "till", "have", "been", "comes", "come", "you've", "your", "then", "that"})


def _event_stems(text: str) -> set[str]:
    return {w[:5] for m in _DEFERRAL.finditer(text) for w in words(m.group("event")) if len(w) >= 4} - _EVENT_WORDS


def _defers_as(cl: list[str], harm: Harm) -> str | None:
    """The plan clause that puts care off until the event a deferral harm names (the same event, in other words:
    "after delivery" for "until you've delivered"), not negated."""
    events = set().union(*(_event_stems(e) for e in [harm.description, *harm.examples]))
    if not events:
        return None
    return next((c for c in cl if gives_plan(c) and _event_stems(c) & events and not negated(c)), None)


# Care turned down for now and put off until an event ("I wouldn't go hauling him to the dentist right now; ... once
# the orthodontist takes the brace off, book him a cleaning then").
_NOT_NOW_BUT_AFTER = re.compile(
    r"\b(?:wouldn'?t|won'?t|don'?t|no need to|needn'?t|not)\b[^.;]{0,60}?\b(?:right now|just now|now|yet|for now|at the moment)\b"
    r"[^.]{0,120}?\b(?:once|until|till|after)\s+(?P<event>[^.,;!?]+)",
    re.IGNORECASE,
)


def _not_now_but_after(doc: DoctorText, harm: Harm) -> str | None:
    """A statement that turns care down for now and books it after the event a deferral harm names."""
    events = set().union(*(_event_stems(e) for e in [harm.description, *harm.examples]))
    for s in doc.statements if events else []:
        m = _NOT_NOW_BUT_AFTER.search(s)
        said = {w[:5] for w in words(m.group("event")) if len(w) >= 4} - _EVENT_WORDS if m else set()
        if m and said & events and not CONDITIONAL.search(s[: m.start()]):
            return s
    return None


# A harm of watching and waiting where action is due: its example waits for a sign ("keep an eye out for spots").
_WATCHFUL = re.compile(r"\b(keep an eye (out|on)|watch (out )?for|wait and see)\b", re.IGNORECASE)
_BETTER_STILL = re.compile(
    r"\s*(even better|better still|best of all|better yet|what works (best|better|well) is)\b", re.I
)
_THEY_START = re.compile(r"\s*(they|they'?re|these|those|both)\b", re.IGNORECASE)


def _said_of_the_last(doc: DoctorText) -> list[str]:
    """A sentence whose subject is the things the sentence before named ("The white lines in your cheeks are from
    chewing, and the ridges in your nails from knocking them. They're nothing to do with this, so don't worry about
    them and there's no need to get them checked."): each of its clauses read with what it is said of."""
    said = doc.statements
    return [
        f"{said[i - 1].rstrip(' .')}; {c}"
        for i in range(1, len(said))
        if (_THEY_START.match(said[i]) or IF_THAT.search(said[i])) and not said[i - 1].rstrip().endswith("?")
        for c in clauses(said[i])
        if dismisses(c) or dismisses(said[i])
    ]


# A harm of dismissing or reassuring ("Dismisses the nail and oral changes as irrelevant and needing no follow-up").
_DISMISSAL_HARM = re.compile(
    r"\s*(dismiss\w*|reassur\w*|falsely reassur\w*|explains? away)\b"
    r"|\s*tells? (\w+ ){0,3}that\b.*\b(would be expected|(is|are) (normal|expected)|need not|needs? no|no need)\b",
    re.IGNORECASE,
)


_OMITTED = re.compile(r"\b(?:without|with no)\s+(?:any\s+|the\s+|a\s+)?([a-z]+)(?:\s+([a-z]+))?", re.IGNORECASE)
_LEFT_OFF = re.compile(r"\bno ([a-z]+) on\b", re.IGNORECASE)  # "no sunscreen on the white patches"


def _does_what_example_omits(clause: str, example: str) -> bool:
    """The clause does what the example says is left out ("Expose the patches to the sun with no sunscreen on
    them": "Use factor 50 sunscreen on the patches" is its opposite; "Start terbinafine without sending clippings":
    "... once the clippings confirm it" is not the harm)."""
    left_out = {w.lower()[:5] for m in _OMITTED.finditer(example) for w in m.groups() if w and len(w) >= 4}
    # what the clause leaves out itself is not done ("... around midday, no sunscreen on the white patches")
    own = {
        w.lower()[:5]
        for r in (_OMITTED, _LEFT_OFF)
        for m in r.finditer(clause)
        for w in m.groups()
        if w and len(w) >= 4
    }
    done = {w[:5] for w in words(clause) if len(w) >= 4} - own
    return bool(left_out & done) and not negated(clause)


_NOT_DONE = re.compile(r"\s*\b(instead of|rather than|in place of)\b[^,;.]*", re.IGNORECASE)
_ALONGSIDE = re.compile(
    r"\b(alongside|as well as|in addition( to)?|together with|on top( of)?|with your usual|as an (extra|add-on))\b",
    re.I,
)
_INSTEAD_OF = re.compile(r"\b(instead|alone|on its own|in place of|rather than|only)\b", re.IGNORECASE)


def _names_no_treatment(clause: str, example: str) -> bool:
    """A harm example that names a drug is not committed by a clause that names no treatment at all ("Let's look
    at her nails again in six months" does not start "prednisolone for a month"); "put it on…" may, after one."""
    drug_in = [t for t in _terms(example) if t.startswith("drug:")]
    named = any(t.startswith(("drug:", "kind:")) for t in _terms(clause))
    applied = re.search(r"\b(put|apply|rub|use|give|take|smear|dab|spread)\w* (it|them|this|that)\b", clause, re.I)
    return bool(drug_in) and not named and not applied  # "Put it on her cheeks": the drug was named before


OBJECT_IT = re.compile(r"\b(it|them)\b", re.IGNORECASE)
_SETS_ASIDE_PRONOUN = re.compile(
    r"\b(skip|leave|drop|forget|pass on|do without|hold off on)\s+(those|them|these)\b", re.I
)
_RETURN = re.compile(
    r"\b(come back|get (it|him|her|them) (checked|seen|looked at)|be seen|see (me|us|a|your)|(get|be) (back )?in touch|"
    r"contact (me|us)|let (me|us) know)\b",
    re.I,
)


_TABLET_DOSE = re.compile(r"\b\d+(\.\d+)? ?(mg|mcg|micrograms?|milligrams?)\b", re.IGNORECASE)
# How often a drug is used ("twice a day", "three times daily"): with the drug named, a prescription in any words.
_TIMES_A_DAY = re.compile(
    r"\b(once|twice|three times|four times|\d times) (a|per|each) day\b|\b(once|twice) daily\b", re.I
)
_TAKEN_BEFORE = re.compile(
    r"\b(('s|has|have|'ve|had) been (on|taking|using)|(was|were) (on|taking|using)|took|used|tried)\b", re.IGNORECASE
)


def _declined_drug(doc: DoctorText) -> list[str]:
    """A drug named in one clause and turned down by pronoun in a later one ("Antiviral medication is effective only
    if ...; it would confer no benefit, so I shall not prescribe it"): the later clause with the drug's name, so a
    harm of withholding it is in one piece."""
    out = []
    for s in doc.statements:
        cs = clauses(s) or [s]
        named = next((c for c in cs if drug_classes(c) and not negated(c)), None)
        if named is None:
            continue
        drug = " ".join(w for w in named.split() if drug_classes(w))
        later = cs[cs.index(named) + 1 :]
        out += [
            OBJECT_IT.sub(drug, c, count=1) for c in later if negated(c) and OBJECT_IT.search(c) and _DECLINED.search(c)
        ]
    return out


# Turning a drug down ("I shall not prescribe it", "it would confer no benefit"), not stopping or keeping one.
_DECLINED = re.compile(
    r"^(?!.*\b(stop\w*|keep\w*|continu\w*|carry on|take|taking)\b).*\b(prescrib\w*|give|giving|start|starting|offer\w*|"
    r"benefit|help|point|need|needed)\b",
    re.IGNORECASE,
)


_SAID_OF_DRUG = re.compile(r"\b(pills?|tablets?|creams?|medicines?|drugs?|ointments?|gels?)\b", re.IGNORECASE)


def _drug_then_it(doc: DoctorText) -> list[str]:
    """A drug named in one clause and told how to use in the next ("I'll prescribe Eumovate ...; use it on your
    nose every morning"), or in the next sentence ("Betamethasone cream, a strong steroid. Put it on the forehead,
    eyelids and neck twice a day."): the two read together, so the harm is in one piece."""
    out = []
    for s in doc.statements:
        cs = clauses(s) or [s]
        for i, (a, b) in enumerate(pairwise(cs)):
            # "You may be right about the pill: some pills keep the skin oily, so stop it now": named a clause before
            if (
                not drug_classes(a)
                and i >= 1
                and drug_classes(cs[i - 1])
                and _SAID_OF_DRUG.search(a)
                and not drug_classes(b)
                and not negated(a)
            ):
                a = f"{cs[i - 1]}: {a}"
            # "About freezing: I understand why you'd like it, but ... I wouldn't recommend it": turned down
            declined = any(negated(c) and OBJECT_IT.search(c) for c in cs[i + 2 :])
            # "He's been on doxycycline for his acne, took it right through two weeks of sun": history, not advice
            history = bool(_TAKEN_BEFORE.search(a)) and not gives_plan(b)
            used = OBJECT_IT.search(b) or (
                _TABLET_DOSE.search(b) and not drug_classes(b)
            )  # "... prednisone - I'll send 40 mg a day"
            # "that baby aspirin: stop it from today" is the drug stopped (a stop reads as a negation)
            stopped = bool(_STOPS.search(b)) and not _DONT_STOP.search(b)
            if (
                drug_classes(a)
                and used
                and not negated(a)
                and (stopped or not negated(b))
                and not declined
                and not history
            ):
                out.append(f"{a}; {b}")
        # "The antiviral pills really earn their keep in ..., and yours is working fine, so we'll skip those": the
        # drug set aside by pronoun a clause or two after it is named
        for i, b in enumerate(cs):
            if i < 2 or drug_classes(b) or not _SETS_ASIDE_PRONOUN.search(b):
                continue
            earlier = next((c for c in reversed(cs[: i - 1]) if drug_classes(c)), None)
            if earlier and not negated(earlier):
                out.append(f"{earlier}; {b}")
    for s, nxt in pairwise(doc.statements):
        last = (clauses(s) or [s])[-1]
        named = [c for c in clauses(s) or [s] if drug_classes(c) and not negated(c)]
        # "Put it on everything ... the cheek too - and keep going for three weeks so it doesn't bounce back": the
        # use told up to a clause that negates (a reason given after it does not turn the advice down)
        first_negated = next((c for c in clauses(nxt) if negated(c)), None)
        told = nxt if first_negated is None else nxt[: max(nxt.find(first_negated), 0)].rstrip(" ,;-–—")
        if named and told and not drug_classes(nxt) and _APPLIES_IT.match(told) and not negated(last):
            out.append(f"{', '.join(named)}; {told}")
    return out


_HAPPENED = re.compile(r"\s+(?:\w+ed|made|got|gave|did|was|were|had|took|left|brought|caused|became)\b", re.I)
_EVERY_DAY = re.compile(r"\b((every|each) (day|night|morning|evening)|daily|nightly)\b", re.IGNORECASE)


def _dosed(text: str) -> bool:
    """A drug with how often to use it is a prescription, verb or not ("Potent steroid cream, mometasone, on the
    neck, every day for the next few months")."""
    # "... and strong sun every day lifted the nails": what happened every day, not how often to use the drug
    return bool(drug_classes(text)) and any(not _HAPPENED.match(text[m.end() :]) for m in _EVERY_DAY.finditer(text))


# A sentence that opens by telling how to use the thing just named ("Put it on ...", "Use them twice a day").
_APPLIES_IT = re.compile(
    r"\s*(?:(?:so|then|and|now),?\s+)?(?:you (?:can|should|need to)\s+)?"
    r"(?:put|apply|rub|use|take|smear|spread|dab|massage)\w*\s+(?:it|them|this|that)\b"
    # or tells it without a verb ("so I'll give you Betnovate. Thin layer on the forehead and eyelids twice a day")
    r"|\s*(?:(?:put|apply|rub|spread|smear|use)\w*\s+)?(?:a\s+)?(?:thin|fingertip|pea-sized|small|light)\s+"
    r"(?:layer|smear|amount|film|coat(?:ing)?)s?\b",
    re.IGNORECASE,
)


def names_treatment(turns: list[Turn]) -> str | None:
    """A doctor statement that advises a named drug or treatment ("I'll put you on Erymax", "use Corsodyl twice a
    day"), said positively: a treatment plan whatever words surround the name."""
    for c in read_doctor(turns).statement_clauses:
        named = any(t.startswith(("drug:", "kind:")) and t != "drug:self-surgery" for t in _terms(c))
        if (
            named
            and not negated(c)
            and (gives_plan(c) or re.search(r"\b(i('ll| will)|we('ll| will)|you can)\b", c, re.I))
        ):
            return c
    return None


def _long_clauses(example: str) -> list[str]:
    """The clauses of a harm example that are a dismissal on their own ("there's no need to call us")."""
    parts = clauses(example)
    return [c for c in parts if len(c.split()) >= 4 and dismisses(c)] if len(parts) > 1 else []


def flag_asked(doc: DoctorText, flag: RedFlag, matcher: Matcher) -> str | None:
    """The doctor question that asks about the red flag (questions only; never a plan line)."""
    if not doc.questions:
        return None
    sims = matcher.similarity(doc.questions, [[flag.description, *flag.examples]])[:, 0]
    i = int(sims.argmax())
    return doc.questions[i] if sims[i] >= FLAG_ASKED[matcher.kind] else None
