"""Typed data that crosses a boundary: files, Redis, HTTP, the UI.

Every model here is pydantic v2. Content models (Case, Persona, Axis, Rubric, Diagnosis) are frozen and
forbid unknown fields, so a typo in a YAML file fails at load with the field named.
"""

from __future__ import annotations

import time
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Seat = Literal["doctor", "patient", "measurement"]
"""`measurement` answers a doctor's exam and test requests from the case (never the patient's mouth)."""
Temperament = Literal["sanguine", "choleric", "melancholic", "phlegmatic"]
TEMPERAMENTS: tuple[Temperament, ...] = ("sanguine", "choleric", "melancholic", "phlegmatic")
FactCategory = Literal[
    "hpi",
    "past_history",
    "medications",
    "allergies",
    "social",
    "family",
    "review_of_systems",
    "ideas",
    "concerns",
    "expectations",
]
FACT_CATEGORIES: tuple[str, ...] = FactCategory.__args__  # type: ignore[attr-defined]
Status = Literal["live", "ended", "capped", "error"]
Split = Literal["dev", "heldout"]
Setting = Literal["telemedicine", "follow_up", "child_with_parent"]


class _Content(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- case files


class Demographics(_Content):
    age: int = Field(ge=0, le=110)
    """Age in years (0 for infants)."""
    sex: Literal["female", "male"]
    occupation: str | None = None


class Fact(_Content):
    """One atomic fact: the clinical statement and how this patient would say it."""

    id: str
    category: FactCategory
    statement: str
    """Clinical wording, for the assessor and the fact matcher."""
    patient_says: str
    """This patient's own words; the grounded patient speaks exactly this."""
    asked: list[str] = []
    """Doctor questions this fact answers, written by a case author (never by the benchmark's item writers): the
    fact matcher compares a question with them. The patient never says them."""


class Negative(_Content):
    """A pertinent negative: something the patient denies when asked."""

    id: str
    statement: str
    patient_says: str
    asked: list[str] = []
    """Doctor questions this negative answers (as Fact.asked)."""


class MustAsk(_Content):
    """A question a competent clinician must ask for this presentation."""

    id: str
    item: str
    """What must be asked, e.g. 'Ask about onset and duration'."""
    examples: list[str] = []
    """Example doctor phrasings, used by the semantic and lexical matchers."""


class RedFlag(_Content):
    """A finding that needs urgent referral if present."""

    id: str
    description: str
    present: bool = False
    """True when this case has the red flag (missing it costs points)."""
    examples: list[str] = []
    """Doctor phrasings that count as asking about it."""


class Action(_Content):
    """What a competent clinician does in this case (a HealthBench-style positive item)."""

    id: str
    description: str
    """Clinician wording, e.g. 'Refer for same-day ophthalmology review'."""
    points: float = Field(default=1.0, gt=0, le=5)
    critical: bool = False
    """Leaving it out is unsafe (a present red flag needs it): counted as a safety failure."""
    examples: list[str] = Field(min_length=1)
    """Doctor statements that perform the action, in varied wording."""
    source: str = ""


class Harm(_Content):
    """Advice or conduct a competent clinician avoids in this case (a signed, negative item)."""

    id: str
    description: str
    """Clinician wording, e.g. 'Recommends ibuprofen (an NSAID) for chickenpox'."""
    points: float = Field(default=-2.0, lt=0, ge=-5)
    examples: list[str] = Field(min_length=1)
    """Doctor statements that commit the harm, in varied wording."""
    source: str = ""


class Case(_Content):
    id: str
    title: str
    """Short clinician-facing title, e.g. 'Itchy flexural rash in a toddler'."""
    diagnosis: str
    """Hidden ground-truth label (one of rubrics/diagnoses.yaml). Only the assessor ever sees it."""
    split: Split = "dev"
    setting: Setting = "telemedicine"
    speaker: Literal["patient", "parent"] = "patient"
    """Who is typing: the patient, or a parent speaking for a child."""
    demographics: Demographics
    general_complaint: str
    """The opening line, in the patient's words, with nothing beyond the main complaint."""
    facts: list[Fact] = Field(min_length=3)
    pertinent_negatives: list[Negative] = []
    exam_findings: list[str] = []
    """What an examining clinician finds, as 'Exam - part: finding' (answered by the measurement seat)."""
    test_results: list[str] = []
    """Test results as 'Test - name: result' (answered by the measurement seat, in-person case sets only)."""
    image: str | None = None
    """Optional image path, relative to the case file."""
    image_description: str = ""
    """What an examining doctor would see in a photo; sent to text-only doctors."""
    differential: list[str] = Field(default=[], max_length=4)
    must_ask: list[MustAsk] = []
    red_flags: list[RedFlag] = []
    narrative: str = ""
    """The presenting story in the patient's own words: the answer to an open question."""
    actions: list[Action] = []
    harms: list[Harm] = []
    diagnosis_synonyms: list[str] = []
    """Open case sets: other names that mean the same diagnosis (matched like a label's synonyms)."""
    answer_options: list[str] = []
    """Multiple-choice sources (AgentClinic NEJM): the options the doctor is given, the diagnosis among them."""
    published_temperament: Temperament | None = None
    """The temperament the source paired with this case (3MDBench): a batch can run it "as published"."""
    image_url: str | None = None
    """A source image kept by reference only (never fetched at run time)."""
    beyond_labels: str | None = None
    """Set when the clinically right answer lies outside the label set (e.g. a lesion with cancer features
    needs referral whatever its label): says what, so the score credits that action."""
    sources: list[str] = Field(min_length=1)
    """Guideline or textbook chapter each fact is drawn from."""

    @model_validator(mode="after")
    def _ids_unique(self) -> Case:
        ids = [f.id for f in self.facts] + [n.id for n in self.pertinent_negatives]
        acts = [a.id for a in self.actions] + [h.id for h in self.harms]
        dup_acts = {i for i in acts if acts.count(i) > 1}
        if dup_acts:
            raise ValueError(f"duplicate action/harm ids: {sorted(dup_acts)}")
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"duplicate fact ids: {sorted(dup)}")
        if self.diagnosis in self.differential:
            raise ValueError("differential must not contain the diagnosis itself")
        return self


class CaseSet(_Content):
    """A folder of cases with its own diagnosis space (`caseset.yaml` beside the case files)."""

    id: str
    title: str
    diagnosis_space: Literal["closed", "open"] = "closed"
    """closed: every diagnosis is one of rubrics/diagnoses.yaml's labels (3MDBench's weighted F1 applies);
    open: free-text diagnoses matched by the case's synonyms (accuracy and top-k only)."""
    setting: Literal["telemedicine", "in_person"] = "telemedicine"
    """telemedicine: the doctor gets only what a patient can say or photograph; in_person: it may request
    examination findings and tests from the measurement seat."""
    source: str = ""
    license: str = ""


# --------------------------------------------------------------------------- personas and axes


class GroundedStyle(_Content):
    """How the no-LLM grounded patient voices its answers for a temperament (all five facets)."""

    max_facts: int = Field(ge=1, le=6)
    """Symptom description: facts per asked part (the best answer, plus close seconds it adds)."""
    openers: list[str] = []
    """Lead-ins joined to the first sentence of an answer ("Well," + "the pain is bad")."""
    repeat_openers: list[str] = ["As I said,"]
    """Used only when everything in the answer was said before."""
    unknown: list[str] = Field(min_length=1)
    """What it says for something it could not know (a measurement it never took)."""
    absent: list[str] = ["No."]
    """A plain negative for a closed question about something the case does not contain."""
    thanks: list[str] = Field(min_length=1)
    """What it says before BREAK when the doctor has closed the consultation."""
    deny_prefix: list[str] = Field(default=["No."], min_length=1)
    asks: list[str] = []
    """Asking questions: what it asks the doctor."""
    ask_rate: float = Field(default=0.0, ge=0, le=1)
    """Chance of asking one of `asks` after an answer (doubled after the doctor gives a plan)."""
    plan_reactions: list[str] = []
    """Attitude to treatment: how it answers when the doctor gives advice or a plan."""
    feelings: list[str] = []
    """Emotional involvement: a line about how it feels."""
    feeling_rate: float = Field(default=0.0, ge=0, le=1)
    acks: list[str] = ["Okay."]
    """What it says to a statement that asks nothing and gives no plan."""


class Persona(_Content):
    """One 3MDBench temperament with its five facets."""

    id: Temperament
    symptom_description: str
    asking_questions: str
    communication_style: str
    attitude_to_treatment: str
    emotional_involvement: str
    style: GroundedStyle


class Axis(_Content):
    """An optional, composable behaviour rule set merged into the patient prompt."""

    id: str
    axis: Literal["literacy", "recall", "self_diagnosis"]
    priority: int = Field(ge=1, le=9)
    """Higher wins when rules conflict; the temperament has priority 5."""
    rules: str
    """Instructions added to the patient prompt; `<<belief>>` is filled with the wrong diagnosis."""
    grounded_prefix: list[str] = []
    """Sentences the grounded patient may add (may use `<<belief>>`)."""
    grounded_when: Literal["opening", "opening_and_every_3rd", "hard_words", "every_turn"] = "every_turn"
    """When the grounded patient adds one of those sentences."""
    fact_delta: int = Field(default=0, ge=-3, le=3)
    """Change to how many facts the grounded patient volunteers per answer."""


# --------------------------------------------------------------------------- diagnoses and rubrics


class Diagnosis(_Content):
    label: str
    group: Literal["skin", "eye", "mouth", "nail", "other", "open"]
    """`open`: a diagnosis of an open case set (not one of the closed labels)."""
    definition: str
    synonyms: list[str] = []


class RubricItem(_Content):
    id: str
    criterion: str
    kind: Literal["yes_no", "scale"] = "yes_no"
    points: float = 1.0
    judged_by: Literal["llm", "deterministic", "both"] = "llm"
    scale: list[str] = []
    """For kind == 'scale': the allowed values, worst first."""
    cues: list[str] = []
    """Deterministic judge: regexes (case-insensitive) any one of which, in a doctor turn, meets the item."""
    cue_scope: Literal["questions", "statements", "sentences", "any"] = "any"
    """Where a cue counts: history items in the doctor's questions, plan items in its statements (a cue in a
    clause that dismisses it, "no need to see a specialist", never counts)."""
    guidance: str = ""
    """Extra instructions for the LLM judge."""


class Rubric(_Content):
    id: str
    title: str
    items: list[RubricItem] = Field(min_length=1)


# --------------------------------------------------------------------------- dialogue data


class Interim(BaseModel):
    """The doctor's leading diagnosis after one of its turns (MediQ-style interim answer)."""

    said: str
    label: str | None = None
    """Normalized onto the label set (kept as said when outside it); None when the doctor abstained."""
    confidence: float | None = Field(default=None, ge=0, le=1)
    source: Literal["stated", "extracted", "final", "abstain"] = "stated"
    """`stated`: its WORKING DIAGNOSIS line; `extracted`: the first label its message names; `final`: its final
    answer; `abstain`: it said it needs more information."""


class Request(BaseModel):
    """An examination or test a doctor asked for, and what the measurement seat answered."""

    kind: Literal["exam", "test"]
    what: str
    result: str = ""
    found: bool = False
    """True when the case lists it; False: answered 'normal' (or not available in telemedicine)."""
    cost: float = 0.0
    """US dollars, from rubrics/test_costs.yaml."""


class Hint(BaseModel):
    """One label a classifier suggests for a case, with its score (the `hints` strategy)."""

    label: str
    score: float = Field(ge=0, le=1)


STRATEGIES: tuple[str, ...] = (
    "dialogue",
    "no-dialogue",
    "full-information",
    "text-only",
    "image",
    "reasoning",
    "hints",
)
"""How the doctor under test works (3MDBench's strategies plus the full-information ceiling): see
dialogue/agents/strategy.py."""


class Turn(BaseModel):
    index: int
    seat: Seat
    text: str
    by: str
    """Model id, 'grounded', 'scripted' or 'human:<name>'."""
    started_at: float = Field(default_factory=time.time)
    ended_at: float = Field(default_factory=time.time)
    first_token_s: float | None = None
    tokens: int = 0
    cut: bool = False
    """True when the backend died mid-stream: the text is what had arrived."""
    leak_events: int = 0
    facts_used: list[str] = []
    """Case fact ids the patient was given (or spoke) for this turn."""
    reasoning: str = ""
    """The doctor's hidden reasoning block: stored, never shown to the patient or judged as dialogue."""
    interim: Interim | None = None
    """Doctor turns: its leading diagnosis after this turn."""
    requests: list[Request] = []
    """Doctor turns: the examinations and tests it asked the measurement seat for (with their costs)."""


class AgentConfig(BaseModel):
    """What generated one seat: enough to reproduce it."""

    backend: str
    model: str
    spec: str = ""
    """The backend spec it was built from (e.g. 'tgi:http://host:8080'), to rebuild it on resume."""
    params: dict[str, float | int | str | list[str] | None] = {}
    system_prompt: str = ""


class LiveScore(BaseModel):
    """Cheap scores updated after every doctor turn (no LLM call)."""

    after_turn: int
    doctor_turns: int
    must_ask_covered: dict[str, bool] = {}
    red_flags_asked: dict[str, bool] = {}
    coverage: float | None = None
    tokens: dict[str, int] = {}
    latency_s: dict[str, float] = {}
    interim: Interim | None = None
    """The doctor's leading diagnosis after this turn, shown live."""
    at: float = Field(default_factory=time.time)


class ItemVerdict(BaseModel):
    item_id: str
    value: bool | str | None
    """True/False for yes/no items, a scale value, or None when ungradable."""
    explanation: str = ""
    by: str = ""
    points: float = 0.0


class Assessment(BaseModel):
    by: str
    verdicts: list[ItemVerdict] = []
    ungradable: int = 0
    rubric_score: float | None = None
    must_ask_coverage: float | None = None
    red_flag_points: float = 0.0
    safety_score: float | None = None
    diagnosis_correct: bool | None = None
    simulator_flags: list[str] = []
    consultation_score: float | None = None
    """Diagnosis, must-ask coverage, case actions, harms and the 3MDBench items in one 0..1 score (README)."""
    actions_done: dict[str, bool] = {}
    harms_done: dict[str, bool] = {}
    red_flags_handled: dict[str, bool] = {}
    safety_failures: list[str] = []
    diagnosis_match: dict[str, str | bool | None] | None = None
    """Open case sets: the matcher model's verdict on the answer (by, answer, truth, same, evidence)."""
    comment: str = ""
    """Free-text comment (human annotations)."""
    revision: int = 0
    """Human annotations: 0 = the blind first submission; n > 0 = changed n times after the assessor was shown."""
    at: float = Field(default_factory=time.time)


class Session(BaseModel):
    """The header of one consultation. Turns and scores live in their own append-only lists."""

    id: str
    case_id: str
    temperament: Temperament
    axes: list[str] = []
    belief: str | None = None
    doctor: AgentConfig
    patient: AgentConfig
    status: Status = "live"
    ended_by: Literal["doctor", "patient", "cap", "error", "user"] | None = None
    error: str | None = None
    final_diagnosis_raw: str | None = None
    final_diagnosis: str | None = None
    """Normalized onto the label set; out-of-set answers are kept as said."""
    image_sent: Literal["image", "description", "none"] = "none"
    max_doctor_turns: int = 14
    seed: int | None = None
    run_id: str | None = None
    strategy: str = "dialogue"
    """How the doctor worked (one of STRATEGIES)."""
    case_set: str = ""
    """The case set the case came from."""
    diagnosis_space: Literal["closed", "open"] = "closed"
    """Its set's diagnosis space: weighted F1 is computed over closed-set sessions only."""
    hints: list[Hint] = []
    """The `hints` strategy: the labels put in the doctor's context, as the provider ranked them."""
    owner: str = ""
    """Who started it in the web app (a hash of a browser-held key; empty for the CLI and batch runs). On a
    public deployment only the owner and admins can list, open or resume it."""
    leak_events: int = 0
    created_at: float = Field(default_factory=time.time)
    updated_at: float = Field(default_factory=time.time)

    @field_validator("axes")
    @classmethod
    def _sorted_axes(cls, v: list[str]) -> list[str]:
        return sorted(v)

    # Status changes happen only here: the engine, the runtime and the assessor ask, the session decides.

    def end(self, by: Literal["doctor", "patient", "cap", "user"]) -> None:
        """Finished: `capped` when the turn cap ended it, else `ended`."""
        self.status = "capped" if by == "cap" else "ended"
        self.ended_by = by

    def fail(self, error: str) -> None:
        """A backend failed: the session waits in `error` until it is reopened."""
        self.status = "error"
        self.ended_by = "error"
        self.error = error

    def reopen(self) -> bool:
        """Back to `live` after a failure; False (and no change) when it was not in error."""
        if self.status != "error":
            return False
        self.status, self.ended_by, self.error = "live", None, None
        return True

    def record_diagnosis(self, raw: str | None, normalized: str | None) -> None:
        """The doctor's final answer as said, and mapped onto the label set (kept as said when out of set)."""
        self.final_diagnosis_raw = raw
        self.final_diagnosis = normalized


class SessionRecord(BaseModel):
    """A session with everything written for it: what export and reports consume."""

    session: Session
    turns: list[Turn] = []
    live_scores: list[LiveScore] = []
    assessment: Assessment | None = None
    annotations: dict[str, Assessment] = {}


class SessionSummary(BaseModel):
    """What result tables need of one finished session, kept in Redis as it finishes (one hash field each), so
    the Results view reads one hash instead of every session's turns."""

    id: str
    run_id: str | None = None
    case_id: str
    temperament: str
    axes: list[str] = []
    seed: int | None = None
    doctor: str
    patient: str
    strategy: str = "dialogue"
    case_set: str = ""
    diagnosis_space: Literal["closed", "open"] = "closed"
    status: Status
    final_raw: str | None = None
    final: str | None = None
    last_doctor: str = ""
    """The doctor's last message (its named labels give top-3), cut to 2,000 characters."""
    named: list[str] | None = None
    """Labels named in that message, final answer first, when the writer had the label set (None: compute)."""
    turns: int = 0
    doctor_turns: int = 0
    tokens: int = 0
    leak_events: int = 0
    rubric: float | None = None
    coverage: float | None = None
    red_flag_points: float | None = None
    ungradable: int | None = None
    sim_flags: int = 0
    consultation_score: float | None = None
    safety_failures: int = 0
    items: dict[str, bool | str | None] = {}
    interims: list[str | None] = []
    """The doctor's leading label after each of its turns (None: none yet, or it abstained)."""
    confidences: list[float | None] = []
    abstained: list[bool] = []
    asked: list[bool] = []
    """Whether each doctor turn asked the patient something."""
    tests: int = 0
    """Examinations and tests requested from the measurement seat."""
    test_cost: float = 0.0
    annotators: int = 0
    created_at: float = 0.0


# --------------------------------------------------------------------------- events


class Delta(BaseModel):
    kind: Literal["delta"] = "delta"
    seat: Seat
    text: str


class Retract(BaseModel):
    """The guard withdrew the partial patient turn (a leak); the UI clears it."""

    kind: Literal["retract"] = "retract"
    seat: Seat


class TurnDone(BaseModel):
    kind: Literal["turn"] = "turn"
    turn: Turn


class Scored(BaseModel):
    kind: Literal["scored"] = "scored"
    score: LiveScore


class Assessed(BaseModel):
    kind: Literal["assessed"] = "assessed"
    assessment: Assessment


class Ended(BaseModel):
    kind: Literal["ended"] = "ended"
    session: Session


class Failed(BaseModel):
    kind: Literal["failed"] = "failed"
    message: str


Event = Annotated[Delta | Retract | TurnDone | Scored | Assessed | Ended | Failed, Field(discriminator="kind")]
