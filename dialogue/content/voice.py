"""Source case text in the patient's own voice: third-person vignettes ("The patient reports…", "She notes…")
and second-person role briefs ("you are a 55-year-old woman…") become first person ("I…"), or, for a child,
a parent's words ("My son…"). Rule-based and conservative: what it cannot turn is kept as written."""

from __future__ import annotations

import re

_LEADS = (
    r"(?:the\s+)?patient(?:'s\s+(?:mother|father|parents?)|\s+and\s+(?:his|her)\s+\w+)?\s+"
    r"(?:reports?|notes?|states?|mentions?|describes?|says?|explains?|recalls?|adds?|complains?\s+of|"
    r"also\s+reports?|further\s+reports?)\s+(?:that\s+)?"
)
_PRONOUN_LEADS = r"(?:she|he)\s+(?:also\s+)?(?:reports?|notes?|states?|mentions?|describes?|says?|adds?)\s+(?:that\s+)?"
_DENIES = r"(?:(?:the\s+)?(?:patient|she|he)\s+denies|^denies)\s+(?:experiencing\s+|having\s+)?"
_VERBS = {
    "has": "have", "is": "am", "does": "do", "was": "was", "reports": "report", "notes": "notice",
    "experiences": "experience", "smokes": "smoke", "drinks": "drink", "works": "work", "lives": "live",
    "takes": "take", "uses": "use", "feels": "feel", "denies": "don't have", "complains": "complain",
    "describes": "describe", "mentions": "mention", "states": "say", "recalls": "remember", "admits": "admit",
    "exercises": "exercise", "eats": "eat", "sleeps": "sleep", "travels": "travel", "wears": "wear",
}  # fmt: skip
_AND_VERBS = {k: v for k, v in _VERBS.items() if k not in ("has", "is", "was", "does", "denies")}
"""'... and takes lisinopril' follows an 'I'; '... and is itchy' may follow the rash, so is/has stay."""
_SECOND = [
    (r"^for your role as (?:a|the) patient,\s*", ""),
    (r"\byou are\b", "I am"),
    (r"\byou're\b", "I'm"),
    (r"\byou've\b", "I've"),
    (r"\byou'll\b", "I'll"),
    (r"\byou'd\b", "I'd"),
    (r"\byou have\b", "I have"),
    (r"\byourself\b", "myself"),
    (
        r"\b(caused?|causing|give[sn]?|gave|told|tell|bother(?:s|ed)?|make[s]?|made|help[s]?|let[s]?|wake[s]?|woke|keep[s]?|kept|ask(?:s|ed)?) you\b",
        r"\1 me",
    ),
    (r"\byours\b", "mine"),
    (r"\byour\b", "my"),
    (r"\byou\b", "I"),
]


def _case(text: str) -> str:
    """Capital at each sentence start; 'i' as a word is 'I'."""
    text = re.sub(r"\bi\b", "I", text)
    return re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text.strip())


def first_person(text: str) -> str:
    """An adult's vignette or role brief in their own words."""
    out = text.strip()
    for pat, rep in _SECOND:
        out = re.sub(pat, rep, out, flags=re.IGNORECASE)
    out = re.sub(_DENIES, "I haven't had ", out, flags=re.IGNORECASE)
    out = re.sub(r"\b(?:(?:the\s+)?patient|she|he)\s+reports\s+(?=an?\s)", "I've had ", out, flags=re.IGNORECASE)
    out = re.sub(r"\b" + _LEADS, "", out, flags=re.IGNORECASE)
    out = re.sub(r"(^|[.!?;]\s+)" + _PRONOUN_LEADS, r"\1", out, flags=re.IGNORECASE)
    out = re.sub(r"\bthe patient's\b|\b(?<=[.!?]\s)(?:his|her)\b", "my", out, flags=re.IGNORECASE)
    out = re.sub(r"\b(?:the\s+)?patient\b", "I", out, flags=re.IGNORECASE)
    out = re.sub(r"\b(she|he)\b", "I", out, flags=re.IGNORECASE)
    out = re.sub(r"\b(herself|himself)\b", "myself", out, flags=re.IGNORECASE)
    out = re.sub(r"\bhis\b", "my", out, flags=re.IGNORECASE)
    out = re.sub(r"\bher\b", "my", out, flags=re.IGNORECASE)
    out = re.sub(r"\bI (\w+)\b", lambda m: "I " + _VERBS.get(m.group(1).lower(), m.group(1)), out)
    out = re.sub(r"\band (\w+)\b", lambda m: "and " + _AND_VERBS.get(m.group(1).lower(), m.group(1)), out)
    out = re.sub(r"\bI am been\b", "I have been", out)
    return _case(out)


def parent_voice(text: str, child: str) -> str:
    """A child's vignette as the parent tells it: 'the patient' becomes 'my son' (or daughter, baby)."""
    out = text.strip()
    out = re.sub(
        r"\bis brought (?:in |to \w+ )?by (?:his|her) (?:mother|father|parents?)\b", "is here with me", out, flags=re.I
    )
    out = re.sub(
        r"\b(?:has been |was )?brought (?:in |to the \w+ )?by (?:his|her) (?:mother|father|parents?)\b",
        "came in with me",
        out,
        flags=re.I,
    )
    out = re.sub(
        r"\b(?:the|his|her) (?:mother|father|parents?) (?:reports?|notes?|states?|says?|mentions?)\s+(?:that\s+)?",
        "",
        out,
        flags=re.I,
    )
    out = re.sub(_DENIES, f"my {child} hasn't had ", out, flags=re.I)
    out = re.sub(r"\b" + _LEADS, "", out, flags=re.IGNORECASE)
    out = re.sub(r"\bthe patient's\b", f"my {child}'s", out, flags=re.I)
    out = re.sub(r"\b(?:the\s+)?patient\b", f"my {child}", out, flags=re.I)
    out = re.sub(r"\b(?:the|this)\s+(?:newborn|infant|child|baby|boy|girl|toddler)\b", f"my {child}", out, flags=re.I)
    return _case(out)


def symptom_line(symptom: str, parent: bool, child: str) -> str:
    """A listed symptom as a short answer ('Difficulty climbing stairs' -> 'Yes, difficulty climbing stairs.')."""
    s = symptom.strip().rstrip(".")
    if not s:
        return ""
    if parent:
        return f"Yes, my {child} has had {s[:1].lower() + s[1:]}."
    return f"Yes, {s[:1].lower() + s[1:]}."
