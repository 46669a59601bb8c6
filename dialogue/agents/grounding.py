"""Which case facts answer each part of a doctor's message (the grounded and LLM patients share this).

For every part (see intent.py) the plan says what answers it:
- `facts`: the case facts (or pertinent negatives) that answer it, best first; an open invitation gets the
  presenting story (the case's `narrative`, as a pseudo-fact with id `narrative`);
- `absent`: a closed question about something the case does not contain: by simulated-patient convention
  it is normal or absent, answered with a plain no, never with an unrelated fact;
- `unknown`: a measurement the patient could not know ("I haven't checked");
- `probe`: an attempt to extract the diagnosis or break the role: no facts;
- `statement`: the doctor said something without asking (advice, a plan, an explanation).

A fact answers a part when it is the clear best semantic match, with a bonus for the history category the
part asks about (whole-word cues), and, for a closed question, when it shares a concept with the question
(a word or a lay synonym: "pus" ~ "yellow sticky stuff") or matches it strongly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Literal

import numpy as np

from dialogue.agents.answer_adapter import Adapter, load_adapter
from dialogue.agents.answer_ranker import RANK_FEATURES, Ranker, load_ranker
from dialogue.agents.intent import (
    SOCIAL_TOPICS,
    Part,
    asks_a_count,
    asks_if_known,
    asks_since_treatment,
    asks_to_describe,
    has_cue,
    invitation,
    parts_of,
    strip_cues,
    without_cues,
)
from dialogue.agents.lexicon import (
    BODY_PARTS,
    BODY_WORDS,
    CONDITION_CUES,
    EVENT_CUES,
    GENERIC_PROCEDURE_CUE,
    ID_HINTS,
    TREATMENT_CUES,
    TREATMENT_NAMES,
    WEAK_WORDS,
    WORD_CONCEPT,
)
from dialogue.agents.question_kind import question_kinds
from dialogue.matching import Matcher, words
from dialogue.schema import Case, Fact, Negative

AnswerKind = Literal["facts", "absent", "unknown", "probe", "statement"]
Item = Fact | Negative

# Thresholds tuned on the dev half of bench/data/patient_fidelity (bench/patient_fidelity.py).
FLOOR = {"embedding": 0.30, "lexical": 0.30}
STRONG = {"embedding": 0.7, "lexical": 0.7}
CUE_BONUS = 0.25
CONCEPT_BONUS = 0.07
POSITIVE_PRIOR = 0.08
TIME_BONUS = 0.2
HPI_PRIOR = 0.1
_TIME_RE = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|a couple of)\s+(hours?|days?|weeks?|months?|years?)"
    r"|\b(since|ago|yesterday|last (week|month|year|night)|this morning|began|started|onset)\b",
    re.IGNORECASE,
)
# "Where is it?" is answered by the fact that says where (a side, a part of the body, how it is spread).
PLACE_BONUS = 0.1
_PLACE_RE = re.compile(
    r"\b(left|right|both|side|upper|lower|inner|outer|front|back|spread|distribut\w*|located|on (my|his|her|the))\b",
    re.IGNORECASE,
)
OFF_CATEGORY_PENALTY = 0.15
BAND = 0.05


@lru_cache(maxsize=32768)
def _stem(w: str) -> str:
    for suf in ("ing", "ed", "es", "s", "y"):
        if len(w) > len(suf) + 2 and w.endswith(suf):
            return w[: -len(suf)]
    return w


@lru_cache(maxsize=16384)
def _stems(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in words(text))


# Phrases whose words belong to no concept group: a cold sore is not a pain, a yellow tinge of the skin not pus.
_NOT_A_CONCEPT = re.compile(
    r"\bcold[- ]?sores?\b|\bhay ?fever\b|\byellow(ish)? (tinge|tint|colou?r\w*)( (to|of|in) (the |her |his |your )?(skin|eyes?))?",
    re.IGNORECASE,
)


@lru_cache(maxsize=16384)
def concepts(text: str) -> frozenset[str]:
    """Stemmed content words plus concept-group tags of `text` (cached: a case's fact texts recur every turn)."""
    out: set[str] = set()
    for w in words(_NOT_A_CONCEPT.sub(" ", text)):
        w = w.removesuffix("'s").rstrip("'")  # "the cold's gone" names a cold
        out.add(_stem(w))
        if w in WORD_CONCEPT:
            out.add(f"#{WORD_CONCEPT[w]}")
    return frozenset(out)


def concept_groups(text: str) -> frozenset[str]:
    """The concept-group tags of `text` ("temperature" and "fever" share one)."""
    return frozenset(c for c in concepts(text) if c.startswith("#"))


def narrative_fact(case: Case) -> Fact:
    """The presenting story as a pseudo-fact (id `narrative`); the first hpi facts when the case has none."""
    story = case.narrative or " ".join(f.patient_says for f in case.facts if f.category == "hpi")
    return Fact(id="narrative", category="hpi", statement=story, patient_says=story)


# An open question about how it looks, or about a habit, asks for that, not for the story.
_NOT_THE_STORY = (
    r"look\w* like",
    r"colou?rs?",
    r"shapes?",
    r"edges?",
    r"texture",
    r"feel\w* like",
    *(c for t, cues in SOCIAL_TOPICS.items() if t not in ("home", "contacts", "school", "travel") for c in cues),
)
_ALONGSIDE = (r"anything else", r"other symptoms?")
_TRIGGER_ASKED = (r"trigger\w*", r"sets? (\w+ ){0,2}off", r"make\w* (it|them|\w+) (worse|better)", r"aggravat\w*")
_SINCE_TREATED = (r"(doing|going|getting on|been)( \w+){0,3} (after|since) (the|your|his|her|that|this) \w+",)
_WHOLE_STORY = (r"from the (beginning|start|top)", r"(the|whole|full) story", r"start wherever", r"in your own words")
_HISTORY = {"medications", "allergies", "past_history", "family", "social", "review_of_systems"}


def is_open_invitation(part: Part, case: Case) -> bool:
    """An open question about nothing beyond the presenting problem ("Tell me about these ulcers", "Bring me up
    to speed"): it names no history category, no symptom and no part of the body the complaint does not."""
    categories = part.categories
    if categories == {"review_of_systems"} and has_cue(part.text, _ALONGSIDE):
        categories = set()  # "take me through it, and anything else you've noticed alongside" asks the story
    if has_cue(part.text, _SINCE_TREATED):
        categories = categories - {"medications"}  # "tell me how the foot is doing after the freezing" asks the story
    if part.open and has_cue(part.text, _WHOLE_STORY) and not categories & set(_ICE):
        return True  # "So, tell me about her illness from the beginning": the story, whatever it is called
    if not part.open or categories & (_HISTORY | set(_ICE)) or has_cue(part.text, _TRIGGER_ASKED):
        return False  # "Talk me through anything that sets your face off flushing" asks what sets it off
    if has_cue(part.text, _NOT_THE_STORY):
        return False
    presenting = f"{case.general_complaint} {case.title}"
    text = re.sub(r"\bsee (us|you|me|someone|somebody|a doctor|the doctor)\b", "", invitation(part.text), flags=re.I)
    # "how's the shins doing since the creams?", "how is your face now after the medicines?": the creams are no symptom
    if has_cue(part.text, _SINCE_TREATED) or asks_since_treatment(part.text):
        text = re.sub(r"\b(after|since) (the|your|his|her|that|this) \w+", "", text, flags=re.I)
    symptoms = concept_groups(text) - concepts(presenting)
    elsewhere = _body_parts(text) - _body_parts(presenting)
    return not symptoms and not elsewhere


@dataclass
class PartAnswer:
    part: Part
    kind: AnswerKind
    facts: list[Item] = field(default_factory=list)


@dataclass
class ReplyPlan:
    """What the patient will say to one doctor message, part by part."""

    answers: list[PartAnswer]

    @property
    def facts(self) -> list[Item]:
        seen: dict[str, Item] = {}
        for a in self.answers:
            for f in a.facts:
                seen.setdefault(f.id, f)
        return list(seen.values())

    @property
    def asked_something(self) -> bool:
        return any(a.kind != "statement" for a in self.answers)


def _category(item: Item) -> str:
    return item.category if isinstance(item, Fact) else "negative"


def _said(item: Item) -> str:
    """What the item says, as the case states it and as the patient would."""
    return f"{item.statement} {item.patient_says}"


def _cue_match(part: Part, item: Item) -> bool:
    """The part asks about this item's history category (social: about the same sub-topic; medicines: also a
    presenting-complaint fact about what was tried)."""
    cat = _category(item)
    if (
        "medications" in part.intents
        and cat in ("hpi", "past_history")  # "I was given an antibiotic course three months ago"
        and has_cue(_said(item), TREATMENT_CUES)
    ):
        return True
    if cat == "negative" and part.social_topics:  # "no-contacts": "No one else she knows has it"
        return any(t in item.id for t in part.social_topics)
    if cat not in part.categories:
        return False
    if cat == "social" and part.social_topics:
        return _names_social_topic(part, item)
    return True


def _names_social_topic(part: Part, item: Item) -> bool:
    text = _said(item)
    # a fact named for the topic answers it ("work": "I fly long-haul" says no work word)
    return any(has_cue(text, SOCIAL_TOPICS[t]) or _named_in_id(t, item.id) for t in part.social_topics)


def _named_in_id(topic: str, item_id: str) -> bool:
    """The fact's id names the topic ("son-contact" is about contacts; "work" about work)."""
    return topic in item_id or (topic.endswith("s") and topic[:-1] in item_id.split("-"))


def _id_hint(part: Part, item: Item) -> bool:
    keys = tuple(k for cues, ks in ID_HINTS if has_cue(part.text, cues) for k in ks)
    return any(k in item.id for k in keys)


# "come to a head" (a boil pointing) names no head
_IDIOM_PARTS = re.compile(r"\b(?:come|comes|came|coming)\s+(?:up\s+)?to\s+a\s+head\b", re.IGNORECASE)


@lru_cache(maxsize=8192)
def _body_parts(text: str) -> frozenset[str]:
    text = _IDIOM_PARTS.sub(" ", text)
    return frozenset(name for name, cues in BODY_PARTS.items() if has_cue(text, cues))


def _concept_hits(part: Part, item: Item) -> int:
    """How many words of the item belong to a concept group the part asks about (dense = on topic)."""
    groups = {int(c[1:]) for c in concepts(part.text) if c.startswith("#")}
    item_words = set(words(_said(item)))
    return sum(1 for w in item_words if WORD_CONCEPT.get(w) in groups)


@lru_cache(maxsize=16384)
def _prefixes(text: str) -> frozenset[str]:
    return frozenset(w[:5] for w in words(text) if len(w) >= 4 and w not in WEAK_WORDS and _stem(w) not in WEAK_WORDS)


_ICE = ("ideas", "concerns", "expectations")
_ICE_OF = {"idea": "ideas", "concern": "concerns", "expectation": "expectations"}  # question kind -> fact category
_KIND_OF = {c: k for k, c in _ICE_OF.items()}
_BODY_PREFIXES = frozenset(p[:5] for p in BODY_WORDS)
_BODY_STEMS = frozenset(_stem(w) for w in BODY_WORDS)
# Words any measurement question has; sharing them does not make a fact the measurement asked for.
_MEASURE_WORDS = {
    w[:5]
    for w in (
        "blood",
        "test",
        "tests",
        "level",
        "levels",
        "result",
        "results",
        "reading",
        "last",
        "know",
        "what",
        "today",
        "measured",
        "checked",
        "recent",
        "number",
        "value",
    )
}


# A laboratory result is answered only by a fact that reports one.
_LAB_RE = re.compile(
    r"\b(levels?|titres?|results?|came back|come back|swabs?|biops\w*|scrapings?|cultures?|bloods|blood tests?|lab|grew|"
    r"scans?|uptake|"
    r"antibod\w*|ige|crp|esr|hba1c|count)\b",
    re.IGNORECASE,
)
_RESULT_RE = re.compile(
    r"\b(results?|came back|showed|shows|level (was|of|is)|was (normal|raised|high|low|positive|negative)|grew|"
    r"positive|negative)\b",
    re.IGNORECASE,
)
# A result the patient was told, without its value ("you said they were both normal").
_TOLD_RESULT = re.compile(
    r"\b(was|were|came back|come back|both|all|looked|been) (all |both |completely |perfectly )?"
    r"(normal|fine|clear|ok|okay|negative|positive|raised|high|low)\b",
    re.IGNORECASE,
)
# The germ behind it, asked for by kind or name ("do you know which germ it is? Was it staph?"), and a fact that
# names one: the yellow discharge is not the germ.
_ASKS_ORGANISM = re.compile(
    r"\b(bugs?|germs?|organisms?|bacteri\w*|strains?|staph\w*|strep\w*|mrsa|virus\w*|fung\w*)\b", re.IGNORECASE
)
_ORGANISM_TOLD = re.compile(
    r"\b(staph\w*|strep\w*|mrsa|bacteri\w*|virus\w*|fung\w*|yeast|candida|grew|grown|cultured)\b", re.IGNORECASE
)
# Whether a result was normal, not its value ("Did those bloods come back alright?", "came back a bit abnormal?").
_ASKS_IF_NORMAL = re.compile(
    r"^(?!.*\b(what|level|levels|number|numbers|value|values|count|reading)\b).*\b(alright|all right|ok|okay|fine|normal|"
    r"abnormal|clear)\b",
    re.IGNORECASE,
)
_LAB_NOUNS = frozenset({"blood", "swab", "swabs", "biops", "cultu", "scrap", "sampl", "clipp"})
_TEST_NOUN = r"(swab|biops|scraping|culture|blood test|x-?ray|scan|clipping|sample)"
_NOT_DONE = re.compile(
    r"\b(no|nobody|never|not|hasn'?t|haven'?t|wasn'?t|weren'?t|didn'?t)\b[^.;]{0,25}?\b"
    + _TEST_NOUN
    + r"|\b"
    + _TEST_NOUN
    + r"\w* (was |were |has been |have been )?(not|never) (taken|done|sent|had)",
    re.IGNORECASE,
)


def _tests_named(text: str) -> set[str]:
    return {m.group(1).lower() for m in re.finditer(r"\b" + _TEST_NOUN, text, re.IGNORECASE)}


def _tests_not_done(text: str) -> set[str]:
    """The tests a fact says were never done ("no swab taken", "Nobody took a swab")."""
    return {(m.group(2) or m.group(3)).lower() for m in _NOT_DONE.finditer(text)}


# What a patient at home measures and may report with its value ("How high has his temperature got?", "What have
# our sugars been reading?" -> "My sugars have been 18 to 22").
_MEASURED = {w[:5] for w in ("temperature", "temp", "weight", "weighed", "thermometer", "sugars", "glucose")}


def _related(part: Part, item: Item, sim: float, kind: str, implied: frozenset[str] = frozenset()) -> bool:
    """A fact answers a part only when they are about the same thing.

    Ideas, concerns and expectations answer only questions about them. A history question (medicines,
    allergies, family, social, past) is answered by a fact of the category it cues (social: the same
    sub-topic; past history: the same condition when it names one). A closed symptom question must share
    with the fact the symptom it names (a concept group: "pus" ~ "yellow sticky stuff"), or the specific
    thing it asks about, and the same part of the body.
    """
    text = _said(item)
    cat = _category(item)
    if cat in _ICE:
        return cat in part.categories
    if part.measurement:  # only a fact with the measured value answers ("high blood pressure" is not a reading)
        if _tests_named(part.text) & _tests_not_done(text):
            return True  # "Did anyone take a swab?" - "Nobody took a swab."
        if (
            _ASKS_IF_NORMAL.search(part.text)
            and _TOLD_RESULT.search(text)
            and _prefixes(part.text) & _prefixes(text) & _LAB_NOUNS
        ):
            return True  # "Did those bloods come back alright?" - "you checked my blood count ... both normal"
        if _LAB_RE.search(part.text) and not _RESULT_RE.search(text):
            return False
        if _ASKS_ORGANISM.search(part.text) and not _ORGANISM_TOLD.search(text):
            return False  # a lab result the case never reports ("tacrolimus level": the dose is not a level)
        generic = _BODY_PREFIXES | _MEASURE_WORDS
        shared = (_prefixes(part.text) - generic) & _prefixes(text)
        # a value with the measured thing named ("temperature ... 39.2"), not merely a number near in meaning
        return bool(re.search(r"\d", text)) and (
            len(shared) >= 2 or bool(shared & _MEASURED) or (sim >= 0.6 and bool(shared))
        )
    if part.social_topics and not _cue_match(part, item):
        return False
    if _cue_match(part, item):
        return _names_same_thing(part, item, text) or sim >= STRONG[kind]
    if sim >= STRONG[kind]:
        return True
    asked_where = _body_parts(part.text)
    # a presenting-complaint fact is about the presenting part of the body even when it does not name it
    where = _body_parts(text) | (implied if cat in ("hpi", "negative") else frozenset())
    if part.closed and asked_where and not asked_where & where:
        return False
    if not part.closed:
        return True
    if _conditions(part.text) & _conditions(text):
        return True  # "one of those kids with eczema or a wheezy chest?" -> "never had itchy skin or asthma"
    groups = concept_groups(part.text)
    if _id_hint(part, item) and (not groups or groups & concepts(text)):
        return True  # "anything that sets them off?" -> the triggers fact
    if part.categories - {"review_of_systems"} and (not groups or cat not in ("hpi", "negative", "review_of_systems")):
        return False  # a history question is answered by its category (or, naming a symptom, by that symptom)
    if groups:
        return bool(groups & concepts(text))
    specific = _prefixes(strip_cues(part.text)) - _BODY_PREFIXES
    if specific:
        return bool(specific & _prefixes(text))
    short = {_stem(w) for w in words(part.text) if len(w) >= 3} - WEAK_WORDS - _BODY_STEMS
    if not short:  # "Any changes in your nails?": the part of the body is the topic
        return bool(asked_where)
    return bool(short & _stems(text)) or _id_hint(part, item)


@lru_cache(maxsize=8192)
def _conditions(text: str) -> frozenset[int]:
    return frozenset(i for i, c in enumerate(CONDITION_CUES) if has_cue(text, (c,)))


_BROAD = re.compile(
    r"\b(anything (else )?(similar|like (this|that|it))|or similar|like this|like that|(skin|similar) (problems?|conditions?)|"
    r"(chronic|long[- ]standing|long[- ]term|medical) (diseases?|illness\w*|conditions?|problems?))\b",
    re.IGNORECASE,
)


def _names_same_thing(part: Part, item: Item, text: str) -> bool:
    """A part that cues a fact's category and also names what it asks about must share that with the fact.

    Past and family history: the condition named ("Does anyone at home get boils?" is not answered by a
    father's diabetes). Systems review, which gathers unrelated symptoms in one fact: the symptom named
    ("Lost any weight?" is not answered by "no nosebleeds"); a general "any other symptoms?" takes any.
    """
    cat = _category(item)
    if cat in ("past_history", "family"):
        named = named_conditions(part.text)
        if named and not _BROAD.search(part.text):  # "psoriasis or anything similar?" takes any skin history
            return any(has_cue(text, (c,)) for c in named)
    if cat != "review_of_systems":
        return True
    groups = concept_groups(part.text)
    specific = _prefixes(strip_cues(part.text)) - _BODY_PREFIXES - _ROS_GENERAL
    if not groups and not specific:
        return True
    return bool(groups & concepts(text)) or bool(specific & _prefixes(text))


_ROS_GENERAL = {w[:5] for w in ("other", "symptoms", "yourself", "otherwise", "general", "generally", "unwell", "well")}


def _on_topic(part: Part, item: Item) -> bool:
    """A second fact a talkative patient adds must be about what was asked, not merely close in score."""
    text = _said(item)
    groups = concept_groups(part.text)
    specific = _prefixes(strip_cues(part.text)) - _BODY_PREFIXES
    return (
        bool(groups & concepts(text))
        or bool(specific & _prefixes(text))
        or _cue_match(part, item)
        or _id_hint(part, item)
    )


def _scores(part: Part, items: list[Item], row: np.ndarray) -> np.ndarray:
    score = row.copy()
    cats = part.categories
    for j, item in enumerate(items):
        if _cue_match(part, item) or _id_hint(part, item):
            score[j] += CUE_BONUS
        else:
            score[j] += CONCEPT_BONUS * min(2, _concept_hits(part, item))
        if isinstance(item, Fact):
            score[j] += POSITIVE_PRIOR  # "Does it hurt?" is answered by the pain, not by a denial of one variant
        if "onset" in part.intents and _TIME_RE.search(item.statement):
            score[j] += TIME_BONUS
        if "location" in part.intents and (_PLACE_RE.search(item.statement) or _body_parts(item.statement)):
            score[j] += PLACE_BONUS
        if not cats and _category(item) in ("hpi", "negative", "review_of_systems"):
            score[j] += HPI_PRIOR
        elif cats and _category(item) not in ("hpi", "negative", "review_of_systems") and _category(item) not in cats:
            score[j] -= OFF_CATEGORY_PENALTY
    return score


# "How're the eyes?", "And the tummy, how is it?": how a part of the body is, which the patient knows
_HOW_IS = re.compile(r"\bhow(?:'s|'re| is| are)\b", re.IGNORECASE)


def _asks_how_a_part_is(text: str) -> bool:
    return bool(_HOW_IS.search(text)) and len(words(text)) <= 8 and bool(_body_parts(text))


def _no_fact_kind(part: Part) -> AnswerKind:
    if part.measurement or asks_if_known(part.text):
        return "unknown"
    return "absent" if part.closed or asks_a_count(part.text) or _asks_how_a_part_is(part.text) else "unknown"


@dataclass(frozen=True)
class PartSimilarity:
    """One part's similarity to each item: to its texts, to its id (its topic, as the case author named it:
    "exposure", "maternal-discharge"), to its texts in the answer adapter's space, and to the questions the case
    author wrote for it (its texts where it has none)."""

    text: np.ndarray
    topic: np.ndarray
    adapted: np.ndarray
    asked: np.ndarray


def rank_features(
    part: Part,
    items: list[Item],
    sim: PartSimilarity,
    kind: str,
    implied: frozenset[str] = frozenset(),
    score: np.ndarray | None = None,
) -> np.ndarray:
    """One row of RANK_FEATURES per item: the hand-set score and choice, the similarity, the topic checks, the
    similarity to the fact's id and in the adapter's space. `score`: the hand-set scores when the caller has
    them already."""
    row, id_row, adapted = sim.text, sim.topic, sim.adapted
    score = _scores(part, items, row) if score is None else score
    asked = _body_parts(part.text)
    specific = _prefixes(strip_cues(part.text)) - _BODY_PREFIXES
    choice = _best_by_rules(part, items, score, row, kind, implied)
    top = int(row.argmax())
    second = float(np.partition(row, -2)[-2]) if len(row) > 1 else 0.0
    out = []
    for j, item in enumerate(items):
        text = _said(item)
        cat = _category(item)
        where = _body_parts(text) | (implied if cat in ("hpi", "negative") else frozenset())
        out.append(
            [
                score[j],
                row[j],
                _related(part, item, float(row[j]), kind, implied),
                _cue_match(part, item),
                _id_hint(part, item),
                min(2, _concept_hits(part, item)),
                isinstance(item, Fact),
                _on_topic(part, item),
                bool(asked and asked & where),
                bool(asked and not asked & where),
                len(specific & _prefixes(text)),
                cat == "hpi",
                cat == "negative",
                cat == "review_of_systems",
                bool(part.categories),
                part.closed,
                score[j] - score.max(),
                row[j] - row.max(),
                j == choice,
                "onset" in part.intents and bool(_TIME_RE.search(item.statement)),
                "location" in part.intents and bool(_PLACE_RE.search(item.statement) or _body_parts(item.statement)),
                j == top,
                row[j] - second if j == top else 0.0,
                id_row[j],
                id_row[j] - id_row.max(),
                adapted[j],
                adapted[j] - adapted.max(),
                j == int(adapted.argmax()),
                sim.asked[j],
                sim.asked[j] - sim.asked.max(),
                j == int(sim.asked.argmax()),
            ]
        )
    return np.array(out, dtype=float)


def _best_by_rules(
    part: Part, items: list[Item], score: np.ndarray, row: np.ndarray, kind: str, implied: frozenset[str]
) -> int | None:
    """The hand-set choice: the best-scoring related fact above the floor (measurements; no ranker)."""
    related = (
        j for j in (int(j) for j in np.argsort(-score)) if _related(part, items[j], float(row[j]), kind, implied)
    )
    best = next(related, None)
    return None if best is None or score[best] < FLOOR[kind] else best


def _best_by_ranker(
    ranker: Ranker,
    part: Part,
    items: list[Item],
    sim: PartSimilarity,
    kind: str,
    implied: frozenset[str],
    score: np.ndarray,
    unnamed: frozenset[int],
) -> tuple[int | None, np.ndarray]:
    x = rank_features(part, items, sim, kind, implied, score)
    prob = ranker.probability(x)
    best = ranker_choice(ranker, x, answerable(part, items, unnamed))
    if best is not None and prob[best] < ranker.threshold and asks_a_count(part.text):
        return None, prob  # a count the ranker finds no answer to is of what the case lacks, not a time to borrow
    return best, prob


_PLACES_NAMED = frozenset({"bathing", "combat", "salon"})
_CIRCUMSTANCES = frozenset(
    {"travel", "pets", "smoking", "vaping", "chewing", "alcohol", "sunbeds", "bathing", "combat", "salon"}
)


# What the question is asked in the light of ("has he had any fits or shaking episodes with the fever?")
_CONTEXT_TAIL = re.compile(
    r",?\s+(?<!\bor )(?<!apart )(?<!aside )((with|w/?|during|from|alongside|along with|because of) (the|his|her|your|this|that|"
    r"all this|all that|these|those) ([\w-]+ ){0,2}[\w-]+|when (the|that|this) [\w-]+ ([\w-]+ ){0,2}[\w-]+)\s*(\?|$)",
    re.IGNORECASE,
)


def _in_context_only(part: Part) -> Callable[[Item], bool]:
    """Whether an item shares with a closed question only what it is asked in the light of: "has he had any fits
    or shaking episodes with the fever?" is not answered by the fever."""
    tail = _CONTEXT_TAIL.search(part.text) if part.closed else None
    if tail is None:
        return lambda item: False
    head = part.text[: tail.start()]
    tail_groups, head_groups = concept_groups(tail.group(0)), concept_groups(head)
    asked = _prefixes(strip_cues(head)) - _BODY_PREFIXES
    # a when-clause is context by its words too ("You hurt anything else when that pallet got ya?"); a with- or
    # from-phrase only by the trouble it names ("anything from the chemist or online?" asks about what was bought)
    when = tail.group(0).lstrip(" ,").lower().startswith("when")
    context = _prefixes(tail.group(0)) - asked - _BODY_PREFIXES if when else frozenset()
    if not (head_groups or asked) or not (tail_groups or context):
        return lambda item: False

    def only_context(item: Item) -> bool:
        said = _said(item)
        shared = bool(tail_groups & concepts(said)) or bool(context & _prefixes(said))
        return shared and not head_groups & concepts(said) and not asked & _prefixes(said)

    return only_context


def _history_only(part: Part, named: list[str]) -> bool:
    """A history question that names what it asks ("Ever had an operation on your back?") takes no fact that does
    not name it; so does one that names something done or happened ("He wasn't stung by a bee, was he?", "You are
    using contact lenses?", "Have you had any dental treatment recently?", which cues medicines too)."""
    if part.categories and part.categories <= {"past_history"}:
        return True
    social = part.categories <= {"social"} or (
        "social" in part.categories and part.categories <= {"social", "medications"}
    )
    return social and any(c in EVENT_CUES for c in named)


def _named_but_unspoken(part: Part) -> Callable[[Item], bool]:
    """Whether an item leaves out what a closed question names as specifically as a habit: a place or pastime ("Your
    gym got a hot tub or a sauna?" is not answered by the showers), a habit of others ("Does anyone in the household
    smoke?": the people are where, the habit is what), or all but what the question is asked in the light of."""
    places = part.social_topics & _PLACES_NAMED if part.closed else frozenset()
    habits = part.social_topics & _NAMED_HABITS
    if not (part.closed and habits and part.social_topics - habits <= {"contacts", "home"}):
        habits = frozenset()
    in_context = _in_context_only(part)

    def speaks_of(item: Item, topics: frozenset[str]) -> bool:
        return any(has_cue(_said(item), SOCIAL_TOPICS[t]) for t in topics)

    return lambda item: (
        (bool(places) and not speaks_of(item, places))
        or (bool(habits) and not speaks_of(item, habits))
        or in_context(item)
    )


def answerable(part: Part, items: list[Item], unnamed: frozenset[int] = frozenset()) -> np.ndarray:
    """Which items may answer at all: ideas, concerns and expectations only a question about them; a family fact
    only a question about family or contacts; a past-history or allergy fact only a question that names no
    condition, or one it mentions ("Any history of epilepsy?" is not answered by childhood asthma, and is answered
    "No"; "Ever had an operation on your back?" by no fact that names no operation). `unnamed`: conditions the case may not name (its own diagnosis: "Did you have eczema as a kid?" is
    answered by "itchy skin as a child")."""
    named = [] if _broad(part.text) else named_conditions(part.text, unnamed)
    treatments = named_treatments(part)
    on_the_skin = part.closed and bool(_ON_THE_SKIN.search(part.text)) and not _BY_MOUTH.search(part.text)
    # (not one that names a disease to describe: "rough like a verruca, yeah?")
    history_only = _history_only(part, named)
    self_too = bool(_SELF_TOO.search(part.text))
    about_family = bool(_FAMILY_SUBJECT.search(part.text)) and not self_too
    about_others = about_family or (bool(_OTHERS_SUBJECT.search(part.text)) and not self_too)
    # a closed question about named conditions, not about a kind of trouble they are examples of ("anyone in the
    # family with skin trouble, psoriasis or eczema, that sort of thing?")
    one_condition = part.closed and not _KIND_OF_TROUBLE.search(part.text)
    set_aside = _set_aside(part)
    # "Have you been abroad in the last month?" is not answered by when the rash began: a closed question about a
    # habit or circumstance only takes a presenting-complaint fact that speaks of it
    topics = part.social_topics & _CIRCUMSTANCES if part.intents == {"social"} else frozenset()
    topic_cues = tuple(c for t in topics for c in SOCIAL_TOPICS[t])
    unspoken = _named_but_unspoken(part)
    return np.array(
        [
            (_category(i) not in _ICE or _category(i) in part.categories)
            # "Apart from the creams, are you taking any other medicines?" is not answered by the creams
            and not _names_any(i, set_aside)
            and not (named and (_category(i) in _HISTORY_FACTS or history_only) and not _mentions_any(i, named))
            # "Has she ever taken isotretinoin?" is not answered by a benzoyl peroxide gel
            and not (treatments and isinstance(i, Fact) and not _mentions_any(i, treatments))
            # "Have you put any cream or lotion on the spots?" is not answered by Calpol given by mouth
            and not (on_the_skin and _by_mouth_only(i))
            # "Anybody in the family with sugar diabetes?" is not answered by a sister's warts: a closed question
            # about one condition in the family takes a family fact that names it
            and not (named and one_condition and _category(i) == "family" and not _mentions_any(i, named))
            # "Nobody in the family with food allergies?" asks about the family, not the patient's own allergies;
            # "Has anyone in the flat been itching too?" not about the patient's own itch
            and not (about_family and _category(i) in _HISTORY_FACTS)
            and not (about_others and _category(i) in _OWN_FACTS and not _OTHERS_TOLD.search(_said(i)))
            and not (topic_cues and part.closed and _category(i) == "hpi" and not has_cue(_said(i), topic_cues))
            and not unspoken(i)
            # "Have you ever used a sunbed?" is not answered by years of sailing in the sun: a closed question about
            # one habit takes a social fact only when it speaks of that habit
            and not (
                part.intents == {"social"}
                and part.closed
                and part.social_topics
                and part.social_topics <= _NAMED_HABITS
                and _category(i) == "social"
                and not _names_social_topic(part, i)
            )
            # "How has her mood been lately?" is not answered by her eyesight: a question about mood takes a fact
            # that speaks of how the patient feels in spirits
            and not (
                _ASKS_MOOD.search(part.text)
                and _category(i) in ("review_of_systems", "negative", "hpi")
                and not _MOOD_TOLD.search(_said(i))
            )
            # "Have you been having fever or chills?" is not answered by how the rash gets her down: a fact that
            # only tells the patient's spirits answers a question about spirits or the toll it takes
            and not (
                part.closed
                and "systems" in part.intents
                and not _ASKS_MOOD.search(part.text)
                and not _ASKS_TOLL.search(part.text)
                and _category(i) == "review_of_systems"
                and _MOOD_TOLD.search(_said(i))
                and not concept_groups(_said(i))
            )
            # someone else's history answers only a question about others ("Any blood or pus?" is about the baby),
            # or one put to the parent it is about ("Did you have any discharge in the pregnancy?" -> "I had ...")
            and (_category(i) != "family" or bool(part.categories & {"family", "social"}) or _to_the_teller(part, i))
            for i in items
        ]
    )


def _broad(text: str) -> bool:
    """The question asks about a kind of trouble, not the conditions it names; "diabetes, anything like that?"
    still asks about diabetes and its like."""
    return any(not _LIKE_THOSE.fullmatch(m.group(0)) for m in _BROAD.finditer(text))


_LIKE_THOSE = re.compile(r"(anything (else )?)?like that", re.IGNORECASE)


def named_treatments(part: Part) -> list[str]:
    """The treatments (TREATMENT_NAMES) a closed question about medicines names, unless it asks about any
    treatment at all ("anything for it, like paracetamol?"); recreational drugs are named, never "any"."""
    # "you've been using a steroid cream - correct?" is answered by the cream used, whatever it was; a history
    # question naming a condition too ("organ transplant or immunosuppressants?") is the history filter's
    # ("did you put some new insect repellent or sun cream on him?" asks about products as triggers too)
    # ("You use some new shower gel or new washing powder recently?" asks about products as triggers only)
    asks_medicines = bool(part.intents & {"medications", "triggers"}) and part.intents <= {
        "medications",
        "social",
        "triggers",
        "course",  # "Have you changed your aftershave or soap lately?"
    }
    if not asks_medicines or not part.closed or not _ASKS_WHETHER.search(part.text):
        return []
    named = [c for c in TREATMENT_NAMES if has_cue(part.text, (c,))]
    # a condition named only inside a treatment's name ("one of these wart products") names no condition
    if named_conditions(without_cues(part.text, named)):
        return []
    if named and _ANY_TREATMENT.search(part.text) and not _RECREATIONAL.search(part.text):
        return []
    return named


# Treatment put on the skin, and medicine taken by mouth.
_ON_THE_SKIN = re.compile(
    r"\b((put|putting|rub|rubbing|rubbed|dab|dabbing|smear\w*|appl(y|ied|ying)) (?!money)(\w+ ){0,3}on|creams?|lotions?|"
    r"ointments?|gels?)\b",
    re.IGNORECASE,
)
_BY_MOUTH = re.compile(
    r"\b(tablets?|pills?|capsules?|syrup|liquid|medicines?|medications?|meds|painkillers?|by mouth|paracetamol|calpol|"
    r"ibuprofen|nurofen|antibiotics?|taken|taking|take|swallow\w*|drops)\b",
    re.IGNORECASE,
)
_ON_IT = re.compile(
    r"\b(creams?|lotions?|ointments?|gels?|drops|sprays?|washe?s?|soaks?|emollients?|moisturi[sz]\w*|vaseline|"
    r"sudocrem|calamine|paste|oils?|shampoos?|vinegar|on (it|them|the|her|his|my))\b",
    re.IGNORECASE,
)


_SWALLOWED = re.compile(
    r"\b(tablets?|pills?|capsules?|syrup|calpol|paracetamol|ibuprofen|nurofen|by mouth|antihistamines?|piriton)\b",
    re.IGNORECASE,
)


def _by_mouth_only(item: Item) -> bool:
    said = _said(item)
    return isinstance(item, Fact) and bool(_SWALLOWED.search(said)) and not _ON_IT.search(said)


_ASKS_WHETHER = re.compile(
    # ("On the camping, did you put ...?": after the time it is framed by)
    r"\b(any\w*|ever|not|no|never|tried|taken|some)\b|n't\b|(^|,)\s*(and\s+|so\s+)?(have|has|had|did|do|does|are|is|were|was)\b",
    re.IGNORECASE,
)
_ANY_TREATMENT = re.compile(
    r"\b((regular|other|usual) (medicines?|medications?|meds|tablets|pills)|"
    r"any (other |more )?(regular )?(medicines?|medications?|meds|treatments?|tablets|pills|remed\w+|creams?|drugs|"
    r"prescriptions?)|(?<!\bor )(anything|something)(?! (else )?like (that|it|this))(?! (different|new|changed)))\b",
    re.IGNORECASE,
)
_RECREATIONAL = re.compile(r"\b(recreational|street drugs|inject\w* (any )?drugs)\b", re.IGNORECASE)


_KIND_OF_TROUBLE = re.compile(
    r"\b(sort of thing|kind of thing|anything like that|autoimmune|immune system|(skin|nail|hair) (trouble|problems?|"
    r"conditions?|issues?)|(trouble|problems?) with (their|your|his|her|the) (skin|nails?|hair))\b",
    re.IGNORECASE,
)


# Habits a fact about them names in so many words (a fact about work need not say "work": "My hands are in oil all day").
_NAMED_HABITS = frozenset(
    {"sunbeds", "smoking", "vaping", "chewing", "alcohol", "pets", "lenses", "habits", "bathing", "combat", "salon"}
)
_ASKS_TOLL = re.compile(
    r"\b(get\w* (you|him|her|them) down|affect\w*|feel in (yourself|himself|herself)|cop(e|ing)|upset\w*|bother\w*|"
    r"impact\w*|toll|confiden\w*|embarrass\w*|self-conscious|sleep\w*|worr\w*|stress\w*)\b",
    re.IGNORECASE,
)
_ASKS_MOOD = re.compile(r"\b(mood|spirits|low in (yourself|himself|herself))\b", re.IGNORECASE)
_MOOD_TOLD = re.compile(
    r"\b(mood\w*|low|down|depress\w*|anxi\w*|spirits|stress\w*|fed up|upset|sad|tearful|cry\w*|self-harm\w*|"
    r"hurt\w* (myself|himself|herself)|coping|confiden\w*|embarrass\w*|self-conscious|withdrawn|quiet|miserable|"
    r"happy|cheerful|worr\w*|sleep\w*)\b",
    re.IGNORECASE,
)


_APART_FROM = re.compile(
    r"\b(?:apart from|other than|besides|aside from|except for)\s+(?:the |your |his |her |their )?([a-z]{4,})\b(?=[^?]*\b(?:other|else)\b)",
    re.IGNORECASE,
)


# "Are you on any other meds apart from the creams?": the rest asked first, the set-aside after
_OTHER_APART_FROM = re.compile(
    r"\b(?:other|else)\b[^?]*?\b(?:apart from|besides|aside from|except for|on top of)\s+(?:the |your |his |her |their )?"
    r"([a-z]{4,})\b",
    re.IGNORECASE,
)


def _names_any(item: Item, stems: frozenset[str]) -> bool:
    return bool(stems) and bool(stems & _stems(_said(item)))


def _set_aside(part: Part) -> frozenset[str]:
    """The treatment a question about medicines sets aside before asking for the rest ("Apart from the creams, any
    other medicines?"); a place set aside ("Apart from your scalp, anywhere else?") may share a fact with the rest."""
    m = (
        (_APART_FROM.search(part.text) or _OTHER_APART_FROM.search(part.text))
        if "medications" in part.intents
        else None
    )
    return frozenset() if m is None or m.group(1).lower() in ("that", "this", "those", "these") else _stems(m.group(1))


_FAMILY_SUBJECT = re.compile(
    r"\b(anyone|anybody|nobody|no one|someone|somebody|any\w*) (else )?in (the|your|his|her|their) (close )?family\b|"
    r"^\W*(\w+ ){1,4}in the family\b|"  # "Bleeding disorders in the family? None?"
    r"\bruns? in (the|your|his|her|their) family\b|\bfamily (history|members?)\b|"
    # "Has anyone had any health conditions that you know of?": others' history, not the patient's own
    r"^\W*(has|have|did) (anyone|anybody) (ever )?(had|suffered)( from| with)? (any )?(health |medical |skin )?"
    r"(conditions?|problems?|illness\w*|diseases?)\b",
    re.IGNORECASE,
)
# Others around the patient, asked about ("Has anyone in the flat been itching too?", "Anyone at home with red eyes?").
_OTHERS_SUBJECT = re.compile(
    r"\b(anyone|anybody|someone|somebody|others?|any of (the|your|his|her) \w+) (else )?(at home|in the (house|household|"
    r"flat|home)|visiting|(who'?s|who has|who) (been )?visit\w*|around (you|him|her)|close to (you|him|her)|"
    r"in (your|his|her|the) (party|group)|on the (trip|holiday)|"
    r"(you|he|she) lives? with|at (school|nursery|work|daycare)|in (his|her|your) class)\b",
    re.IGNORECASE,
)
_OWN_FACTS = ("hpi", "review_of_systems", "negative", "past_history", "allergies")
_OTHERS_TOLD = re.compile(
    r"\b(family|mum|mom|dad|mother|father|brothers?|sisters?|siblings?|parents?|husband|wife|partner|son|daughter|"
    r"kids|children|friends?|others?|anyone|anybody|nobody|no one|people|classmates?|colleagues?|school|nursery|"
    r"household|home|grand\w+|aunt\w*|uncles?|cousins?)\b",
    re.IGNORECASE,
)


_SELF_TOO = re.compile(
    r"\b(you|yourself|he|she|him|her|they)\b,? (or|and) (any|anyone|anybody|someone|your|his|her|the)\b", re.I
)


def _to_the_teller(part: Part, item: Item) -> bool:
    return bool(_YOU.search(part.text) and _I.search(item.patient_says))


_YOU = re.compile(r"\b(did|have|had|do|were) you\b", re.IGNORECASE)
_I = re.compile(r"^(I|I'(ve|d|m))\b")
_HISTORY_FACTS = ("past_history", "allergies")  # a family fact says who has what, often broadly


def named_conditions(text: str, unnamed: frozenset[int] = frozenset()) -> list[str]:
    """The conditions (CONDITION_CUES) a question names, less `unnamed`; the generic "operation" only when no
    specific procedure is named with it ("laser eye surgery?" is not answered by a mole cut off)."""
    named = [c for i, c in enumerate(CONDITION_CUES) if i not in unnamed and has_cue(text, (c,))]
    return [c for c in named if c != GENERIC_PROCEDURE_CUE] if len(named) > 1 else named


def _mentions_any(item: Item, conditions: list[str]) -> bool:
    return any(has_cue(_said(item), (c,)) for c in conditions)


_F = {name: i for i, name in enumerate(RANK_FEATURES)}
RULES_FLOOR = 0.05  # the least probability at which the ranker defers to a strong rules' choice


WH_FLOOR = 0.25  # the ranker's least probability for the one fact an open wh-question was written for
WH_ASKED = 0.6  # and how close the question must be to one that fact was written to answer


def ranker_choice(ranker: Ranker, x: np.ndarray, allowed: np.ndarray | None = None) -> int | None:
    """The item the ranker picks from rows of RANK_FEATURES, or None (nothing in the case answers).

    Unsure, it defers to a rules' choice with a strong word-level reason: the asked thing named twice in the
    fact ("blood or pus?" -> "yellow sticky stuff ... gunk") or a time for "when did it start?"."""
    prob = ranker.probability(x) * (1 if allowed is None else allowed)
    best = int(prob.argmax())
    if prob[best] >= ranker.threshold:
        return _specific_negative(x, prob, best, ranker.threshold)
    choice = next((j for j in range(len(x)) if x[j, _F["rules_choice"]]), None)
    strong = choice is not None and (x[choice, _F["concept_hits"]] >= 2 or x[choice, _F["time_for_onset"]] > 0)
    hits = x[:, _F["concept_hits"]] * x[:, _F["related"]]
    if hits[best] >= 1 and (hits > 0).sum() == 1 and prob[best] >= 0.2:
        return best
    # an open wh-question ("How is the baby feeding?") presumes what it asks about: the one fact it was written
    # for, far ahead of the rest, answers it
    second = float(np.sort(prob)[-2]) if len(prob) > 1 else 0.0
    if (
        not x[best, _F["closed"]]
        and prob[best] >= WH_FLOOR
        and x[best, _F["asked_similarity"]] >= WH_ASKED
        and prob[best] >= 4 * second
    ):
        return best
    return choice if strong and prob[choice] >= RULES_FLOOR else None


def _specific_negative(x: np.ndarray, prob: np.ndarray, best: int, threshold: float) -> int:
    """A closed question about one symptom ("not been vomiting at all?") is answered by the pertinent negative
    closest to it when the ranker also takes that for an answer, rather than by the broad systems-review fact."""
    if not (x[best, _F["systems_review"]] and x[best, _F["closed"]]):
        return best
    sim = x[:, _F["similarity"]]
    closer = [j for j in range(len(x)) if x[j, _F["negative"]] and prob[j] >= threshold and sim[j] > sim[best]]
    return max(closer, key=lambda j: sim[j], default=best)


def answer_part(
    part: Part,
    items: list[Item],
    sim: PartSimilarity,
    kind: str,
    *,
    extra: int,
    implied: frozenset[str] = frozenset(),
    unnamed: frozenset[int] = frozenset(),
    read_as: str | None = None,
) -> PartAnswer:
    """The facts that answer one targeted part (the best, plus up to `extra` close seconds of its category).

    The best is the answer ranker's choice (a measurement: the best related fact with the value); a part
    whose best is below the ranker's threshold gets a plain no (or "I haven't checked"). `read_as`: what the
    question-kind model reads the part as asking for (an idea, concern or expectation; a measurement the
    patient cannot know), taken where the cue words found no such kind (an idea, concern or expectation only where
    they found nothing asked at all: "Does it come and go?" asks the course, whatever it sounds like).
    """
    row = sim.text
    ice = [j for j, i in enumerate(items) if _category(i) in _ICE and _category(i) in part.categories]
    if not ice and read_as in _ICE_OF and not part.measurement and not part.intents and _asks_like_ice(sim, items):
        # "I'd be interested to hear what you made of it yourself": what the patient thinks, in no cue word
        ice = [j for j, i in enumerate(items) if _category(i) == _ICE_OF[read_as]]
    if ice:  # "What do you think is going on?" is answered by what the patient thinks (asked two: the closer)
        ice.sort(key=lambda j: -row[j])
        return PartAnswer(part, "facts", [items[j] for j in ice[: 1 + extra]])
    # (not a history event the patient would know: "had a blood transfusion at any point?")
    if read_as == "unknowable" and not part.measurement and not set(named_conditions(part.text)) & set(EVENT_CUES):
        part = replace(part, measurement=True)  # "what did the laboratory report?": a result the patient never had
    score = _scores(part, items, row)
    ranker = load_ranker()
    if ranker is not None:
        ranker = ranker.for_case(any(i.asked for i in items))
    second_ok = np.ones(len(items), dtype=bool)
    if part.measurement or ranker is None:
        best = _best_by_rules(part, items, score, row, kind, implied)
    else:
        best, prob = _best_by_ranker(ranker, part, items, sim, kind, implied, score, unnamed)
        second_ok = prob >= ranker.threshold  # a talkative patient adds only what the ranker too takes for an answer
    best = _placed(part, items, best, score, unnamed)
    if best is None:
        best = _generic_history_choice(part, items, row)
    if best is None:
        best = _trigger_choice(part, items, row)
    if best is None:
        best = _contact_choice(part, items, row)
    if best is None:
        best = _described_choice(part, items, row)
    if best is None:
        best = _trip_choice(part, items, row)
    if best is None:
        return PartAnswer(part, _no_fact_kind(part))
    chosen = [items[best]]
    cat = _category(items[best])
    aside = _set_aside(part)
    for j in (int(j) for j in np.argsort(-score)):
        if len(chosen) > extra or score[j] < score[best] - BAND:
            break
        if (
            j != best
            and second_ok[j]
            and not _names_any(items[j], aside)
            and _category(items[j]) == cat
            and _on_topic(part, items[j])
            and _related(part, items[j], float(row[j]), kind, implied)
        ):
            chosen.append(items[j])
    return PartAnswer(part, "facts", chosen + _other_history(part, items, row, chosen))


# A where-question ("Where are the spots?", "S for site - where exactly ...?"), not a "where" clause inside another
# question ("new ones where you've scratched?", "If you pointed to where it hurts").
_WHERE = re.compile(
    r"(?:^|[-–:,]\s*|\b(?:and|so|now|okay|ok|right|then|exactly)\s+)(?:where|whereabouts)\b(?!\s+(?:you|he|she|they|it|the)\b)",
    re.IGNORECASE,
)


def _placed(part: Part, items: list[Item], best: int | None, score: np.ndarray, unnamed: frozenset[int]) -> int | None:
    """A where-question is answered by a fact that names a place on the body ("Where are the spots?" by the spots
    on the cheeks, jaw and back, not by when they began): the best-scoring presenting fact that names one, when
    the choice names none."""
    if not (_WHERE.search(part.text) and "location" in part.intents and part.intents <= {"location", "course"}):
        return best
    if best is not None and _body_parts(items[best].statement):
        return best
    ok = answerable(part, items, unnamed)
    placed = [j for j in (int(j) for j in np.argsort(-score)) if ok[j] and _category(items[j]) == "hpi"]
    return next((j for j in placed if _body_parts(items[j].statement)), best)


# A history question that names its topic and nothing in it ("Any past medical history?", "PMH?", "Family history?").
_GENERIC_HISTORY = {
    "family": r"\bfamily history\b",
    # "Any big operations or long-standing illnesses in the past?"
    "past_history": r"\b(past medical history|medical (history|conditions?|problems?|issues?)|"
    r"health (conditions?|problems?|issues?)|(any|other) (conditions?|illness\w*)|"
    r"(long[- ](standing|term)|chronic|serious|major|big|ongoing) (illness\w*|conditions?|health problems?|operations?)|"
    r"(any|big|major) operations?)\b",
    # "Is there any medicine that makes you go funny or spotty?": the case's allergy fact, however it is worded
    "allergies": r"\w",
}


def _generic_history_choice(part: Part, items: list[Item], row: np.ndarray) -> int | None:
    """The case's fact of a history topic asked about in general, when no condition is named: the answer to
    "Any past medical history?" however little its words look like the fact's ("Healthy; no previous ..."); of
    two or three such facts, the closest."""
    asked = [c for c, cue in _GENERIC_HISTORY.items() if c in part.categories and re.search(cue, part.text, re.I)]
    if len(asked) != 1 or _conditions(part.text) or part.measurement or asks_if_known(part.text):
        return None
    if asked[0] == "past_history" and concept_groups(part.text):
        return None  # "any illness with a high fever recently?" names the trouble it asks about
    if asked[0] != "family" and _FAMILY_SUBJECT.search(part.text) and not _SELF_TOO.search(part.text):
        return None  # "Has anyone had any health conditions?" asks about the family's, not the patient's own
    of_topic = [j for j, item in enumerate(items) if isinstance(item, Fact) and _category(item) == asked[0]]
    return max(of_topic, key=lambda j: float(row[j])) if 0 < len(of_topic) <= 3 else None


# What a fact says sets the illness off or eases it ("It flares up a day or two after I wear my new jeans", "worse
# in winter and better after a sunny holiday"); "it's getting worse" is its course.
_TRIGGER_TOLD = re.compile(
    r"\b(flare[sd]?|flaring|flare-ups?|trigger\w*|sets? (it|them) off|brings? (it|them) on|"
    r"(make|makes|made) (it|them) (burn|sting|itch|flare|hurt|worse)|"
    r"(worse|better|settles?|calms?) (when|after|in|with|if|at|on|during|whenever))\b",
    re.IGNORECASE,
)


_ASKS_WHAT = re.compile(r"\b(any|anything|something|what|which)\b", re.IGNORECASE)


def _closest(indices: list[int], row: np.ndarray) -> int | None:
    """Of the candidate items, the one closest to the part (None when there is none)."""
    return max(indices, key=lambda j: float(row[j])) if indices else None


def _trigger_choice(part: Part, items: list[Item], row: np.ndarray) -> int | None:
    """The case's fact of what sets the illness off, for a question about triggers the ranker found no answer to
    ("Is there anything that seems to set it off or make it flare?"); of several, the closest."""
    if "triggers" not in part.intents or not part.question or not _ASKS_WHAT.search(part.text):
        return None  # "Have you switched to a new washing powder?" names its trigger
    told = [
        j
        for j, item in enumerate(items)
        if isinstance(item, Fact) and _category(item) == "hpi" and _TRIGGER_TOLD.search(_said(item))
    ]
    return _closest(told, row)


_SAME_ILLNESS = re.compile(
    r"\b(the same|same (kind|sort|type)|similar|like (this|that|these|it|his|hers|mine|yours))\b", re.IGNORECASE
)
_HAD_IT_TOO = re.compile(
    r"\b(similar|the same|like (this|that|mine|it)|had (a|an|one|some|the)|has (a|an|one|some|the))\b", re.I
)


def _contact_choice(part: Part, items: list[Item], row: np.ndarray) -> int | None:
    """The case's fact of someone near the patient with the same thing, for a question about it the ranker found no
    answer to ("Anyone around you had the same?" -> "One of the lads had a lump like this a few weeks ago")."""
    if "contacts" not in part.social_topics or not part.question or not _SAME_ILLNESS.search(part.text):
        return None
    told = [
        j
        for j, item in enumerate(items)
        if isinstance(item, Fact)
        and _category(item) in ("social", "family")
        and has_cue(item.patient_says, SOCIAL_TOPICS["contacts"])
        and _HAD_IT_TOO.search(item.patient_says)
    ]
    return _closest(told, row)


def _trip_choice(part: Part, items: list[Item], row: np.ndarray) -> int | None:
    """For "Has he been anywhere recently?", which the ranker found no answer to: the one fact that tells of a trip
    ("We went camping in the woods three days ago"), not a plain no from a patient who went."""
    if part.intents != {"social"} or part.social_topics != {"travel"} or not part.question:
        return None
    abroad = bool(_ABROAD.search(part.text))
    told = [
        j
        for j, item in enumerate(items)
        if isinstance(item, Fact)
        and _category(item) not in _ICE
        and _TRIP.search(item.patient_says)
        and (not abroad or _ABROAD.search(_said(item)))
    ]
    return _closest(told, row)


# A trip told in so many words (not "they'd go away on their own"), and one out of the country.
_TRIP = re.compile(
    r"\b(trips?|travel\w*|abroad|holidays?|camp(ing|ed|site)|hik(e|es|ing|ed)|flew|flights?|overseas)\b", re.I
)
_ABROAD = re.compile(r"\b(abroad|overseas|out of the country|foreign|another country)\b", re.IGNORECASE)


_HOW_IT_FEELS = re.compile(r"\bhow (it|they) (actually |really )?(feels?|looks?)\b", re.IGNORECASE)


def _described_choice(part: Part, items: list[Item], row: np.ndarray) -> int | None:
    """For "Can you describe the rash for me?", which the ranker found no answer to: the presenting-complaint fact
    closest to it (how it looks or feels), not a plain no to a request that asks for no yes or no."""
    if not part.question or part.categories or not asks_to_describe(part.text):
        return None
    if "character" not in part.intents and not _HOW_IT_FEELS.search(part.text):
        return None  # "Describe your usual routine for your teeth" asks about a habit
    told = [j for j, item in enumerate(items) if isinstance(item, Fact) and _category(item) == "hpi"]
    return _closest(told, row)


# History topics a doctor lists by name in one breath; looser cues ("tried", "ever") do not count here.
_LISTED_HISTORY = {
    "medications": r"(?<!allergic to )(?<!allergic to any )\b(medicines?|medications?|meds|tablets?|pills?|prescri\w*)\b",
    "allergies": r"\ballerg\w*",
    "past_history": r"\b((medical|health) (conditions?|problems?|issues?|history)|conditions?|illness\w*)\b",
}


def _other_history(part: Part, items: list[Item], row: np.ndarray, chosen: list[Item]) -> list[Item]:
    """A list of history topics in one question ("any medical conditions, regular medication or allergies?")
    gets an answer for each: the closest fact of every other asked history category."""
    named = {c for c, cue in _LISTED_HISTORY.items() if c in part.categories and re.search(cue, part.text, re.I)}
    if len(named) < 2:
        return []
    more: list[Item] = []
    for cat in sorted(named - {_category(c) for c in chosen}):
        pool = [j for j, i in enumerate(items) if _category(i) == cat]
        if pool:
            more.append(items[max(pool, key=lambda j: float(row[j]))])
    return more


def plan_reply(case: Case, message: str, matcher: Matcher, *, extra: int = 0) -> ReplyPlan:
    """Answer every part of `message` from the case; `extra` = how many close seconds a part may add."""
    parts = parts_of(message)
    items = case_items(case)
    targeted = targeted_parts(case, parts)
    sims = dict(zip([id(p) for p in targeted], similarity_rows(matcher, targeted, items, load_adapter()), strict=True))
    kinds = dict(zip([id(p) for p in targeted], question_kinds(matcher, [p.text for p in targeted]), strict=True))
    implied, unnamed = implied_places(case), unnamed_conditions(case)
    answers: list[PartAnswer] = []
    invites = [is_open_invitation(p, case) for p in parts]
    invited = invites.index(True) if True in invites else -1
    said = _invited_by_statement(parts, invites, items, matcher)
    for i, p in enumerate(parts):
        if p.probe:
            answers.append(PartAnswer(p, "probe"))
        elif id(p) in said:
            answers.append(said[id(p)])
        elif invites[i]:
            answers.append(PartAnswer(p, "facts", [narrative_fact(case)]))
        elif not p.question or (i < invited and small_talk(p)):
            answers.append(PartAnswer(p, "statement"))
        else:
            answers.append(
                answer_part(
                    p,
                    items,
                    sims[id(p)],
                    matcher.kind,
                    extra=extra,
                    implied=implied,
                    unnamed=unnamed,
                    read_as=kinds[id(p)],
                )
            )
    return ReplyPlan(_dedupe(_not_denied_when_told(answers, items, sims)))


def _asks_like_ice(sim: PartSimilarity, items: list[Item]) -> bool:
    """The part is closest to the questions written for an idea, concern or expectation of the case (the kind read
    by meaning agrees with the case's own questions: "any chance you could be expecting?" is closest to the
    pregnancy question, not to the hopes for today)."""
    return bool(items) and _category(items[int(np.argmax(sim.asked))]) in _ICE


# A statement that invites a reply ("I'm curious which part of it worries you the most", "It sounds like part of you
# wonders whether ...", "I'd be interested to hear ...").
_INVITES_REPLY = re.compile(
    r"\b(curious|wonder\w*|interested|like to (hear|know)|sounds? like|sens(e|ing)|hearing|imagine|guess(ing)?|"
    r"you'?re hoping|hoping (we|i)|keen to (hear|know))\b",
    re.IGNORECASE,
)


# An invitation that points back at what the statement before it said ("... something you're hoping for. Tell me a
# bit more about that.").
_ABOUT_THAT = re.compile(r"\b(about|on|of) (that|this|it|them)\b|\bhear it\b|\bwhat (that|it) (would be|is)\b", re.I)


def _invited_by_statement(
    parts: list[Part], invites: list[bool], items: list[Item], matcher: Matcher
) -> dict[int, PartAnswer]:
    """Statements that invite the patient's idea, concern or expectation, read by meaning ("It sounds like part of
    you wonders whether something set this off", "I'm curious which part of it worries you the most"): in a
    message that asks nothing else, or before an invitation that points back at them ("So you're hoping to leave
    with something in particular. Tell me a bit more about that."). Keyed by the part answered."""
    asks = [i for i, p in enumerate(parts) if p.question and not p.probe]
    if len(asks) > 1:
        return {}
    # the part each inviting statement answers for: itself, or the invitation right after it that points back
    answered = {
        i: parts[i] if not asks else parts[i + 1]
        for i, p in enumerate(parts)
        if not p.question
        and not p.probe
        and _INVITES_REPLY.search(p.text)
        and (not asks or (asks == [i + 1] and invites[i + 1] and _ABOUT_THAT.search(parts[i + 1].text)))
    }
    if not answered:
        return {}
    said = [parts[i] for i in answered]
    sims = similarity_rows(matcher, said, items, load_adapter())
    out: dict[int, PartAnswer] = {}
    for target, p, read, sim in zip(
        answered.values(), said, question_kinds(matcher, [p.text for p in said]), sims, strict=True
    ):
        cued = [c for c in _ICE if c in p.categories]
        kind = _KIND_OF[cued[0]] if len(cued) == 1 else read
        facts = [f for f in items if kind in _ICE_OF and _category(f) == _ICE_OF[kind]]
        if facts and (cued or _asks_like_ice(sim, items)):
            out[id(target)] = PartAnswer(target, "facts", facts[:1])
    return out


_CALL_CHECK = re.compile(
    r"\b(can|could) you (see|hear) me\b|\bam i coming through\b|\b(is|are) (the|my|your) (sound|picture|video|camera|"
    r"connection|line)\b",
    re.IGNORECASE,
)


def small_talk(part: Part) -> bool:
    """A closed question about nothing clinical, said in passing ("can you hear me alright?", "those first weeks
    are a whirlwind, aren't they?"): before an invitation to tell the story, it is not answered with a "no"."""
    if part.closed and _CALL_CHECK.search(part.text):
        return True  # "can you see me alright?" asks about the video, not the eyes
    return (
        part.closed
        and not part.intents
        and not part.measurement
        and not any(c.startswith("#") for c in concepts(part.text))
        and not _body_parts(part.text)
    )


def _not_denied_when_told(
    answers: list[PartAnswer], items: list[Item], sims: dict[int, PartSimilarity]
) -> list[PartAnswer]:
    """A part left without a fact whose closest fact (by any of its similarities) is told anyway for another
    part of the message is not denied ("What's the skin on your face like? Do you go red easily?" gets the face, not "Don't know. …")."""
    told = {f.id for a in answers for f in a.facts}
    keep: list[PartAnswer] = []
    for a in answers:
        sim = sims.get(id(a.part))
        closest = set() if sim is None else {items[int(np.argmax(r))].id for r in (sim.text, sim.topic, sim.adapted)}
        if a.kind in ("absent", "unknown") and closest & told:
            continue
        keep.append(a)
    return keep


def case_items(case: Case) -> list[Item]:
    """What a part may be answered by: the case's facts and its pertinent negatives."""
    return [*case.facts, *case.pertinent_negatives]


def targeted_parts(case: Case, parts: list[Part]) -> list[Part]:
    """The parts answered from the case's facts: questions that are neither probes nor open invitations."""
    return [p for p in parts if p.question and not p.probe and not is_open_invitation(p, case)]


def similarity_rows(
    matcher: Matcher, parts: list[Part], items: list[Item], adapter: Adapter | None
) -> list[PartSimilarity]:
    """Each part's similarity to each item's texts, to the item's id and in `adapter`'s space (without an
    adapter or an embedder, the plain similarity stands in for the adapted one)."""
    texts = [p.text for p in parts]
    plain = matcher.similarity(texts, [[i.statement, i.patient_says] for i in items])
    topic = matcher.similarity(texts, [[fact_topic(i)] for i in items])
    asked = plain  # a case without written questions (an imported set): their similarity is the plain one
    if any(i.asked for i in items):
        asked = matcher.similarity(texts, [i.asked or [i.statement, i.patient_says] for i in items])
    adapted = plain
    if adapter is not None and matcher.embedder is not None and texts and items:
        facts = matcher.embedder.encode([t for i in items for t in (i.statement, i.patient_says)])
        adapted = adapter.similarity(
            matcher.embedder.encode(texts), [facts[2 * j : 2 * j + 2] for j in range(len(items))]
        )
    return [PartSimilarity(*rows) for rows in zip(plain, topic, adapted, asked, strict=True)]


def unnamed_conditions(case: Case) -> frozenset[int]:
    """The conditions (CONDITION_CUES) the case's patient may not name: its own diagnosis and synonyms."""
    return _conditions(" ".join([case.diagnosis.replace("-", " "), *case.diagnosis_synonyms]))


def implied_places(case: Case) -> frozenset[str]:
    """The parts of the body the presenting complaint is about (a presenting fact need not name them)."""
    return frozenset(_body_parts(f"{case.general_complaint} {case.title}"))


def fact_topic(item: Item) -> str:
    """A fact's id read as words: its topic as the case author named it ("maternal-discharge")."""
    return item.id.replace("-", " ").replace("_", " ")


def _dedupe(answers: list[PartAnswer]) -> list[PartAnswer]:
    """A fact is said once per reply, for the first part it answers; a fact the story already tells in its own
    words ("Now my hairline ... are red, weepy and itchy") is not told again after it."""
    said: set[str] = set()
    story = next((f.patient_says for a in answers for f in a.facts if f.id == "narrative"), "")
    told = {w.lower() for w in re.findall(r"[\w']+", story)}
    for a in answers:
        a.facts = [f for f in a.facts if f.id not in said and not (told and f.id != "narrative" and _retold(f, told))]
        said |= {f.id for f in a.facts}
    return answers


def _retold(fact: Item, told: set[str]) -> bool:
    words = [w.lower() for w in re.findall(r"[\w']+", fact.patient_says)]
    return bool(words) and sum(w in told for w in words) >= 0.9 * len(words)


def select_facts(case: Case, question: str, matcher: Matcher, *, limit: int = 4) -> list[Item]:
    """The facts a reply to `question` carries (every part's answer), at most `limit`."""
    return plan_reply(case, question, matcher).facts[:limit]
