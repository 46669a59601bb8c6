"""How the grounded patient says a reply plan: the temperament's five facets as natural sentences.

- symptom description: how many facts each asked part gets (`max_facts`, applied in grounding);
- asking questions: a question of its own (`asks`), more likely after the doctor gives a plan;
- attitude to treatment: a reaction when the doctor advises or plans (`plan_reactions`);
- emotional involvement: a line about how it feels (`feelings`);
- communication style: lead-ins joined to the first sentence ("Well, the pain is bad"), plain negatives.
Every asked part is answered; the temperament changes what is added, never whether a part is answered.
"""

from __future__ import annotations

import random
import re

from dialogue.agents.grounding import PartAnswer, ReplyPlan
from dialogue.agents.intent import gives_plan
from dialogue.schema import GroundedStyle, Negative

PROBE_REPLY = "I really don't know what it is. That's why I'm asking you, doctor."
_NEGATION_START = (
    "no",
    "not",
    "nope",
    "never",
    "none",
    "nothing",
    "nobody",
    "i haven't",
    "i don't",
    "she hasn't",
    "he hasn't",
    "she doesn't",
    "he doesn't",
    "she's not",
    "he's not",
    "i'm not",
    "there's no",
)
_KEEP_CAPITAL = re.compile(r"^(I\b|I'|[A-Z]{2,}|[A-Z][a-z]+\s+[A-Z][a-z])")  # "Golden Eye", not "When I saw"


def join_lead(lead: str, sentence: str) -> str:
    """'Well,' + 'The pain is bad.' -> 'Well, the pain is bad.'; so does a lead that runs on ('I've been going
    over it and'); 'I', names and acronyms keep their capital."""
    if not lead:
        return sentence
    if not lead.endswith((".", "!", "?", ":")) and sentence and not _KEEP_CAPITAL.match(sentence):
        sentence = sentence[0].lower() + sentence[1:]
    return f"{lead} {sentence}"


# A sentence that denies ("No temperature, and he's eating fine", "He's not on any medicines") takes no "Oh yes,".
_DENIES = re.compile(
    r"\s*(no|not|nothing|none|never|nope|nobody|no one|(i|he|she|they|we)('ve| have|'s| has| is|'m| am| are|'re)? ?(not|never)|"
    r"(i|he|she|they|we|it|there|that) (haven'?t|hasn'?t|don'?t|doesn'?t|didn'?t|isn'?t|aren'?t|wasn'?t|can'?t|"
    r"won'?t)|(it|there|that)'?s not|"
    r"(i|he|she|they|we)'?(s|m|re)? not)\b",
    re.IGNORECASE,
)
_AFFIRMS = re.compile(r"\b(yes|yeah|yep)\b", re.IGNORECASE)


def _openers_for(sentence: str, openers: list[str]) -> list[str]:
    """The stock openers that fit a sentence: none that says yes before a denial."""
    if not _DENIES.match(sentence):
        return openers
    return [o for o in openers if not _AFFIRMS.search(o)] or openers


def say_negative(neg: Negative, closed: bool, style: GroundedStyle, rng: random.Random) -> str:
    """A denial in the case's own words; no "No." is added (whether "no" fits depends on how the question
    was put: "Can you open your mouth?" is answered by "I can open it fine", not "No.")."""
    return neg.patient_says


def say_part(a: PartAnswer, style: GroundedStyle, rng: random.Random, said_before: set[str]) -> list[str]:
    """The sentences that answer one part."""
    if a.kind == "absent":
        return [rng.choice(style.absent)]
    if a.kind == "unknown":  # "haven't checked" fits a measurement, "don't know" anything else
        checked = [u for u in style.unknown if "check" in u.lower()]
        other = [u for u in style.unknown if "check" not in u.lower()]
        return [rng.choice((checked if a.part.measurement else other) or style.unknown)]
    if a.kind == "probe":
        return [PROBE_REPLY]
    out = [say_negative(f, a.part.closed, style, rng) if isinstance(f, Negative) else f.patient_says for f in a.facts]
    if out and a.facts and all(f.id in said_before for f in a.facts) and style.repeat_openers:
        out[0] = join_lead(rng.choice(style.repeat_openers), out[0])
    return out


def voice_reply(
    plan: ReplyPlan,
    doctor_text: str,
    style: GroundedStyle,
    rng: random.Random,
    *,
    said_before: set[str],
    turn_number: int,
) -> str:
    """The grounded patient's reply to one doctor message."""
    sentences: list[str] = []
    first_fact = True
    prev_absent = False
    for a in plan.answers:
        said = say_part(a, style, rng, said_before)
        if a.kind in ("absent", "unknown") and prev_absent and not a.part.measurement:
            continue  # "No. Not really, no.", "Don't know. No.": one answer for two parts the story lacks
        prev_absent = a.kind in ("absent", "unknown") and bool(said)
        positive = a.kind == "facts" and not any(isinstance(f, Negative) for f in a.facts)
        if said and positive and first_fact and style.openers and rng.random() < 0.4:
            if not said[0].startswith(tuple(style.repeat_openers)):
                said[0] = join_lead(rng.choice(_openers_for(said[0], style.openers)), said[0])
            first_fact = False
        sentences += said
    planned = gives_plan(doctor_text)
    if planned and style.plan_reactions:
        sentences.append(rng.choice(style.plan_reactions))
    if style.feelings and plan.asked_something and rng.random() < style.feeling_rate:
        sentences.append(rng.choice(style.feelings))
    ask_chance = min(1.0, style.ask_rate * (2 if planned else 1))
    if style.asks and turn_number >= 2 and rng.random() < ask_chance:
        sentences.append(rng.choice(style.asks))
    if not sentences:
        sentences.append(rng.choice(style.acks))
    unique = list(dict.fromkeys(s.strip() for s in sentences if s.strip()))
    # a fact the opening story already told is not told again ("... never gone away. I first noticed it when ...")
    told = [s for i, s in enumerate(unique) if not any(s in other for other in unique[:i])]
    return " ".join(told)
