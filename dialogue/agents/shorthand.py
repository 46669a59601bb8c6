"""Clinical shorthand read as plain words.

A clinician typing into a chat writes the way notes are written: "PMH? DHx? Allergies?", "Any FHx of atopy?",
"Apyrexial I take it?", "Any SOB/stridor", "F/U in 2/52". The patient's question reader (intent.plain_words)
knows plain words, so the shorthand is spelled out first (the assessor does not read through this yet: its
rubric cues were measured without it): abbreviations and Latinate terms
become the words a patient would hear, a slash between two words reads as "or", and a duration written as a
fraction of a week, year or month ("3/7", "2/52", "6/12") reads as days, weeks or months; a slash with spaces
round it parts two questions.
"""

from __future__ import annotations

import re

# Written in lower case: matched in any case ("hx", "Hx", "HX").
_ANY_CASE: dict[str, str] = {
    "hx": "history",
    "pmh": "past medical history",
    "pmhx": "past medical history",
    "fhx": "family history",
    "dhx": "regular medicines",
    "shx": "social history",
    "sx": "symptoms",
    "tx": "treatment",
    "rx": "treatment",
    "abx": "antibiotics",
    "dx": "condition",
    "ix": "tests",
    "otc": "over-the-counter",
    "nkda": "no known drug allergies",
    "nka": "no known allergies",
    "soboe": "shortness of breath on exertion",
    "n/v": "nausea or vomiting",
    "n&v": "nausea or vomiting",
    "d&v": "diarrhoea and vomiting",
    "pu-ing": "passing urine",
    "lns": "lymph nodes",
    "lymphadenopathy": "swollen glands",
    "t1dm": "diabetes",
    "t2dm": "diabetes",
    "iddm": "diabetes",
    "niddm": "diabetes",
    "htn": "high blood pressure",
    "bp": "blood pressure",
    "iop": "eye pressure",
    "pyrexia": "fever",
    "pyrexial": "feverish",
    "febrile": "feverish",
    "apyrexial": "no fever",
    "afebrile": "no fever",
    "rigors": "shaking chills",
    "analgesia": "painkillers",
    "analgesics": "painkillers",
    "antipyretics": "fever medicines",
    "erythema": "redness",
    "erythematous": "red",
    "pruritus": "itching",
    "pruritic": "itchy",
    "atopy": "eczema, asthma or hay fever",
    "atopic": "eczema, asthma or hay fever",
    "stridor": "noisy breathing",
    "ataxic": "unsteady on their feet",
    "ataxia": "unsteadiness",
    "polydipsia": "being very thirsty",
    "polyuria": "passing a lot of urine",
    "dysphagia": "trouble swallowing",
    "odynophagia": "pain on swallowing",
    "photophobia": "light hurting the eyes",
    "dyspnoea": "breathlessness",
    "dyspnea": "breathlessness",
    "myalgia": "aching muscles",
    "arthralgia": "joint pains",
    "coryza": "a runny nose",
    "urti": "a cold",
    "uti": "a urine infection",
    "etoh": "alcohol",
    "lmp": "last period",
    "f/u": "follow-up",
    "e.g.": "for example",
    "eg": "for example",
    "i.e.": "that is",
    "w/o": "without",
    "and/or": "or",
    "b/c": "because",
    "c/o": "complaining of",
    "f/c/s": "fever, chills or sweats",
    "dh": "regular medicines",
    "fh": "family history",
    "o/e": "on examination",
    "prn": "when needed",
    "pen v": "penicillin",
    # a specialist's terms (a dermatologist, dentist or eye doctor talking to a patient)
    "hordeolum": "stye",
    "hordeola": "styes",
    "hepatic": "liver",
    "exudate": "discharge",
    "purulent": "pus",
    "oedema": "swelling",
    "edema": "swelling",
    "oedematous": "swollen",
    "edematous": "swollen",
    "paronychial": "nail-fold",
    "vesicles": "blisters",
    "vesicular": "blistering",
    "pustules": "pus spots",
    "papules": "bumps",
    "macules": "flat spots",
    "excoriations": "scratch marks",
    "excoriated": "scratched",
    "lichenified": "thickened",
    "lichenification": "thickening",
    "desquamation": "peeling",
    "fluctuant": "soft",
    "indurated": "hard",
    "induration": "hardness",
    "depigmentation": "loss of colour",
    "depigmented": "lost colour",
    "hyperpigmentation": "darker patches",
    "alopecia": "hair loss",
    "photosensitivity": "sensitivity to sunlight",
    "photosensitive": "sensitive to sunlight",
    "immunosuppressed": "on medicines that weaken the immune system",
    "immunocompromised": "with a weak immune system",
    "immunosuppression": "a weak immune system",
    "immunosuppressants": "medicines that weaken the immune system",
    "intraocular pressure": "eye pressure",
    "visual acuity": "eyesight",
    "diplopia": "double vision",
    "epiphora": "a watering eye",
    "lacrimation": "watering",
    "periorbital": "around the eye",
    "perioral": "around the mouth",
    "gingival": "gum",
    "gingivae": "gums",
    "xerostomia": "a dry mouth",
    "halitosis": "bad breath",
    "bruxism": "teeth grinding",
    "nocturnal": "at night",
    "bilateral": "on both sides",
    "bilaterally": "on both sides",
    "unilateral": "on one side",
    "dermatomal": "in a band",
    "axillae": "armpits",
    "axillary": "armpit",
    "flexural": "in the skin creases",
    "flexures": "skin creases",
    "yrs": "years",
    "wks": "weeks",
    "hrs": "hours",
    "mths": "months",
}

# Written in capitals: matched only so, because in lower case they are English words ("sob", "loc", "fb").
_CAPITALS: dict[str, str] = {
    "SOB": "shortness of breath",
    "LOC": "loss of consciousness",
    "PU": "passing urine",
    "FB": "foreign body",
    "CL": "contact lens",
    "CLs": "contact lenses",
    "DM": "diabetes",
    "FH": "family history",
    "HR": "heart rate",
    "LN": "lymph node",
    "ROS": "any other symptoms",
}


def _alternation(words: dict[str, str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_ANY_CASE_RE = re.compile(r"(?<![\w'&-])(" + _alternation(_ANY_CASE) + r")(?![\w'&])", re.IGNORECASE)
_CAPITALS_RE = re.compile(r"(?<![\w'&-])(" + _alternation(_CAPITALS) + r")(?![\w'&])")
_SPACED_SLASH = re.compile(r"\s+/\s+")
_SLASH_OR = re.compile(r"(?<=[A-Za-z])/(?=[A-Za-z])")
_FRACTION = re.compile(r"\b(\d{1,2})/(7|52|12)\b")
_FRACTION_UNIT = {"7": "days", "52": "weeks", "12": "months"}


def plain_clinical(text: str) -> str:
    """The text with clinical shorthand spelled out ("Any FHx of atopy?" → "Any family history of eczema, asthma
    or hay fever?"; "fevers/rigors" → "fevers or shaking chills"; "2/52" → "2 weeks")."""
    text = _ANY_CASE_RE.sub(lambda m: _ANY_CASE[m.group(0).lower()], text)  # first: "PU-ing" before "PU"
    text = _CAPITALS_RE.sub(lambda m: _CAPITALS[m.group(0)], text)
    text = _FRACTION.sub(lambda m: f"{m.group(1)} {_FRACTION_UNIT[m.group(2)]}", text)
    text = _SPACED_SLASH.sub("; ", text)  # "Regular meds / any abx allergy?" asks two things
    return _SLASH_OR.sub(" or ", text)
