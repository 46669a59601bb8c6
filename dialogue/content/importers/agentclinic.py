"""AgentClinic (samuelschmidgall/agentclinic, MIT): the MedQA OSCE layout and the NEJM image-challenge layout,
one case per JSONL line. Both are open diagnosis sets and in-person: examination findings and test results
go to the measurement seat, never into the patient's mouth.

What the source has is kept: history, symptoms, past/social/family history, medications and the review of
systems become facts in the patient's own words (third-person vignettes and second-person role briefs are
turned to first person; a child's case is told by a parent); a diagnosis written with an abbreviation keeps
it as a synonym; NEJM's answer options are given to the doctor and its image stays a reference (URL only).
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import Any

from dialogue.content.cases import ContentError
from dialogue.content.importers.common import (
    PLACEHOLDER_SEX,
    ImportResult,
    RowError,
    collect,
    flatten,
    pad_facts,
    text,
    title_of,
)
from dialogue.content.labels import LabelSet, split_brackets
from dialogue.content.voice import first_person, parent_voice, symptom_line
from dialogue.schema import Case, CaseSet, Demographics, Fact, FactCategory, Negative

LICENSE = "MIT (Copyright (c) 2024 Samuel Schmidgall), https://github.com/SamuelSchmidgall/AgentClinic"
MEDQA_SET = CaseSet(
    id="agentclinic-medqa",
    title="AgentClinic MedQA OSCE (imported)",
    diagnosis_space="open",
    setting="in_person",
    source="samuelschmidgall/agentclinic, agentclinic_medqa.jsonl",
    license=LICENSE,
)
NEJM_SET = CaseSet(
    id="agentclinic-nejm",
    title="AgentClinic NEJM image challenges (imported)",
    diagnosis_space="open",
    setting="in_person",
    source="samuelschmidgall/agentclinic, agentclinic_nejm.jsonl",
    license=LICENSE,
)

FEMALE = re.compile(r"\b(female|woman|girl|lady|daughter|she|her|mother)\b", re.IGNORECASE)
MALE = re.compile(r"\b(male|man|boy|gentleman|son|he|his)\b", re.IGNORECASE)
AGE = re.compile(r"(\d+)\s*[- ]?\s*(year|yr|month|week|day|hour)s?[- ]old\b|(\d+)\s*[- ]?\s*(year|yr)s?\b", re.I)
NEWBORN = re.compile(r"\b(newborn|neonate|infant|baby)\b", re.IGNORECASE)
CHILD_AGE = 13
"""Younger than this: a parent speaks for the child."""
FACT_FIELDS: tuple[tuple[str, FactCategory], ...] = (
    ("History", "hpi"),
    ("Past_Medical_History", "past_history"),
    ("Current_Medications", "medications"),
    ("Medications", "medications"),
    ("Drug_History", "medications"),
    ("Allergies", "allergies"),
    ("Family_History", "family"),
    ("Social_History", "social"),
    ("Review_of_Systems", "review_of_systems"),
)


def parse_demographics(demo: str, story: str) -> tuple[Demographics, bool]:
    """(age and sex, whether sex was guessed): sex from the demographics, else from the story's pronouns;
    a newborn or an infant is age 0."""
    m = AGE.search(demo)
    if m and (m.group(2) or "").lower() in ("month", "week", "day", "hour"):
        age = 0
    elif m:
        age = int(m.group(1) or m.group(3))
    elif NEWBORN.search(demo):
        age = 0
    else:
        raise RowError("Patient_Actor.Demographics", f"cannot parse an age from {demo!r}")
    sex = "female" if FEMALE.search(demo) else "male" if MALE.search(demo) else None
    guessed = sex is None
    if sex is None:
        she, he = len(FEMALE.findall(story)), len(MALE.findall(story))
        sex = "female" if she > he else "male" if he > she else PLACEHOLDER_SEX
    return Demographics(age=min(age, 110), sex=sex), guessed  # type: ignore[arg-type]


def child_word(d: Demographics) -> str:
    if d.age < 1:
        return "baby"
    return "daughter" if d.sex == "female" else "son"


def split_diagnosis(raw: str, labels: LabelSet) -> tuple[str, list[str]]:
    """(the diagnosis as a label: a closed label when it names one, else lower-cased; its synonyms): an
    abbreviation or alternative in brackets becomes a synonym."""
    main, synonyms = split_brackets(raw.strip().rstrip("."))
    label = labels.normalize(main) or main.lower()
    return label, [s for s in synonyms if s.lower() != label]


class Voice:
    """Turns source text into what this patient (or the parent) says."""

    def __init__(self, demographics: Demographics):
        self.parent = demographics.age < CHILD_AGE
        self.child = child_word(demographics)

    def says(self, source: str) -> str:
        return parent_voice(source, self.child) if self.parent else first_person(source)

    def symptom(self, source: str) -> str:
        return symptom_line(source, self.parent, self.child)

    def complaint(self, primary: str) -> str:
        p = primary.strip().rstrip(".")
        p = p[:1].lower() + p[1:]
        return f"My {self.child} has {p}." if self.parent else f"I have {p}."


def _facts(actor: dict[str, Any], symptoms: dict[str, Any], voice: Voice) -> tuple[list[Fact], list[Negative]]:
    """Facts per source field in the patient's voice; a review of systems that only denies is a negative."""
    facts: list[Fact] = []
    negatives: list[Negative] = []
    seen: dict[str, int] = {}

    def add(stem: str, category: FactCategory, statement: str, says: str) -> None:
        seen[stem] = seen.get(stem, 0) + 1
        facts.append(Fact(id=f"{stem}-{seen[stem]}", category=category, statement=statement, patient_says=says))

    for key, category in FACT_FIELDS:
        for t in flatten(actor.get(key)):
            stem = key.lower().replace("_", "-")
            if category == "review_of_systems" and re.search(r"\bdenies\b|\bno\b", t, re.I):
                negatives.append(Negative(id=f"ros-{len(negatives) + 1}", statement=t, patient_says=voice.says(t)))
            else:
                add(stem, category, t, voice.says(t))
        if key == "History":
            secondary = symptoms.get("Secondary_Symptoms")
            for t in [x for item in (secondary if isinstance(secondary, list) else [secondary]) for x in flatten(item)]:
                add("symptom", "hpi", t, voice.symptom(t))
    return facts, negatives


def _mapping(parent: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = parent.get(key)
    if not isinstance(value, dict):
        raise RowError(where, "missing" if value is None else "expected an object")
    return value


def osce_case(line_no: int, record: object, labels: LabelSet) -> Case:
    """One AgentClinic OSCE (MedQA) record as a Case."""
    if not isinstance(record, dict):
        raise RowError("(top level)", "expected a JSON object")
    osce = _mapping(record, "OSCE_Examination", "OSCE_Examination")
    actor = _mapping(osce, "Patient_Actor", "OSCE_Examination.Patient_Actor")
    symptoms = _mapping(actor, "Symptoms", "Patient_Actor.Symptoms")
    primary = text(symptoms.get("Primary_Symptom")).rstrip(".")
    if not primary:
        raise RowError("Patient_Actor.Symptoms.Primary_Symptom", "missing")
    raw_dx = text(osce.get("Correct_Diagnosis"))
    if not raw_dx:
        raise RowError("Correct_Diagnosis", "missing")
    diagnosis, synonyms = split_diagnosis(raw_dx, labels)
    demo_text = text(actor.get("Demographics"))
    history = text(actor.get("History"))
    demographics, guessed = parse_demographics(demo_text, history)
    voice = Voice(demographics)
    facts, negatives = _facts(actor, symptoms, voice)
    sources = [f"AgentClinic OSCE (samuelschmidgall/agentclinic, {LICENSE.split(' (')[0]}), line {line_no}"]
    if guessed:
        sources.append(f"Sex not in the source demographics ({demo_text!r}): read from the history's pronouns.")
    return Case(
        id=f"agentclinic-{line_no:04d}",
        title=title_of(f"{primary} ({demo_text})" if demo_text else primary),
        diagnosis=diagnosis,
        diagnosis_synonyms=synonyms,
        setting="child_with_parent" if voice.parent else "telemedicine",
        speaker="parent" if voice.parent else "patient",
        demographics=demographics,
        general_complaint=voice.complaint(primary),
        narrative=voice.says(history),
        facts=pad_facts(facts),
        pertinent_negatives=negatives,
        exam_findings=flatten(osce.get("Physical_Examination_Findings")),
        test_results=flatten(osce.get("Test_Results")),
        sources=sources,
    )


def _sentences(t: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", t) if s.strip()]


_META = re.compile(
    r"remember|your character|portray|patient actor|not aware of|don't know the|haven't been told|"
    r"do not know|does not know|unaware|you need to convey|here's what|here is what",
    re.IGNORECASE,
)
_PREAMBLE = re.compile(
    r"^(?:for (?:your role as )?(?:a |the )?patient(?: actor)?|as a patient(?: actor)?)[^:]*?(?::|,)\s*", re.I
)
_PRESENTED = re.compile(r"present(?:ed|s)\b.*?\bwith (?:an? )?(?P<what>[^.]+?)\.", re.IGNORECASE)


def brief_lines(info: str) -> list[str]:
    """A NEJM role brief as plain statements: the actor preamble, bullet headings and instructions to the actor
    ("Remember…", "which you're not aware of") removed."""
    body = _PREAMBLE.sub("", info.strip())
    parts = re.split(r"\s+-\s+|(?<=[.!?])\s+(?=[A-Z])", body)
    out = []
    for part in parts:
        part = re.sub(r"\*\*[^*]+\*\*\s*(?:\([^)]*\))?:?\s*", "", part).strip(" -:")
        if len(part.split()) < 3 or _META.search(part):
            continue
        out.append(part if part.endswith((".", "?", "!")) else part + ".")
    return out


def second_to_parent(text: str, d: Demographics, child: str) -> str:
    """A brief written to a child ("You are a 9-year-old boy…") as the parent tells it."""
    he, his = ("she", "her") if d.sex == "female" else ("he", "his")
    out = text
    for pat, rep in ((r"\byou are\b", f"my {child} is"), (r"\byou're\b", f"my {child} is"),
                     (r"\byou've\b", f"{he} has"), (r"\byou have\b", f"{he} has"), (r"\byour\b", his),
                     (r"\byourself\b", f"{his}self"), (r"\byou\b", he)):  # fmt: skip
        out = re.sub(pat, rep, out, flags=re.IGNORECASE)
    return out[:1].upper() + out[1:]


def nejm_case(line_no: int, record: object, labels: LabelSet) -> Case:
    """One AgentClinic NEJM image challenge as a Case: the role brief in the patient's words, the findings for
    the measurement seat, the answer options for the doctor, the image as a reference."""
    if not isinstance(record, dict):
        raise RowError("(top level)", "expected a JSON object")
    info = text(record.get("patient_info"))
    if not info:
        raise RowError("patient_info", "missing")
    answers = record.get("answers")
    if not isinstance(answers, list) or not all(isinstance(a, dict) and text(a.get("text")) for a in answers):
        raise RowError("answers", "expected a list of {text, correct}")
    correct = [text(a["text"]) for a in answers if a.get("correct") is True]
    if len(correct) != 1:
        raise RowError("answers", f"expected exactly one correct answer, found {len(correct)}")
    diagnosis, synonyms = split_diagnosis(correct[0], labels)
    question = text(record.get("question"))
    demographics, guessed = parse_demographics(question or info, info)
    voice = Voice(demographics)
    lines = brief_lines(info)
    said = [second_to_parent(x, demographics, voice.child) if voice.parent else first_person(x) for x in lines]
    if not said:
        raise RowError("patient_info", "no statement to speak")
    presented = _PRESENTED.search(question)
    what = re.sub(r"^(\d)", r"a \1", presented.group("what").strip()) if presented else ""
    what = what if voice.parent else re.sub(r"\b(?:his|her)\b", "my", what)
    if voice.parent:
        complaint = f"My {voice.child} has had {what}." if what else said[0]
    else:
        complaint = f"I've had {what}." if what else said[0]
    facts = [
        Fact(id=f"story-{i}", category="hpi", statement=x, patient_says=y)
        for i, (x, y) in enumerate(zip(lines, said, strict=True), 1)
    ]
    findings = [
        re.sub(r"^\d+\.\s*", "", f).strip()
        for f in re.split(r"\s(?=\d+\.\s)", re.sub(r"^[^:]*includes:\s*", "", text(record.get("physical_exams"))))
    ]
    exam = [f for f in findings if f and re.search(r"exam|vital|inspection|palpation|auscultation", f, re.I)]
    seen = [x for x in _sentences(question) if re.search(r"examination|observed|seen|noted|visible", x, re.I)]
    return Case(
        id=f"agentclinic-nejm-{line_no:04d}",
        title=title_of(complaint),
        diagnosis=diagnosis,
        diagnosis_synonyms=synonyms,
        setting="child_with_parent" if voice.parent else "telemedicine",
        speaker="parent" if voice.parent else "patient",
        demographics=demographics,
        general_complaint=complaint,
        narrative=" ".join(said),
        facts=pad_facts(facts),
        exam_findings=exam,
        test_results=[f for f in findings if f and f not in exam],
        image_url=text(record.get("image_url")) or None,
        image_description=" ".join(x for x in seen if not re.search(r"biopsy|stain|what is", x, re.I)),
        answer_options=[text(a["text"]) for a in answers],
        sources=[f"AgentClinic NEJM (samuelschmidgall/agentclinic, MIT), line {line_no}"]
        + (["Sex read from the brief's pronouns."] if guessed else []),
    )


def _lines(path: Path) -> list[tuple[int, str]]:
    """(line number from 1, text) of every non-blank line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise ContentError(f"{path}: cannot read: {e}") from e
    return [(n, line) for n, line in enumerate(lines, 1) if line.strip()]


def _parse(line: str) -> object:
    try:
        return json.loads(line)
    except json.JSONDecodeError as e:
        raise RowError("(json)", f"invalid JSON: {e.msg}") from None


def import_agentclinic(path: Path, labels: LabelSet) -> ImportResult:
    """Import AgentClinic cases from a JSONL file (lines numbered from 1; blank lines skipped): the OSCE
    (MedQA) layout, or the NEJM layout when the first record has `answers`. Ids: `agentclinic-<line:04d>`,
    `agentclinic-nejm-<line:04d>`. A diagnosis that names a known label becomes it; any other is kept as free
    text (lower-cased): both sets are open."""
    lines = _lines(path)
    first: object = None
    with contextlib.suppress(RowError):
        first = _parse(lines[0][1]) if lines else None
    nejm = isinstance(first, dict) and "answers" in first
    make = nejm_case if nejm else osce_case
    result = ImportResult(case_set=NEJM_SET if nejm else MEDQA_SET)
    collect(lines, lambda n, line: make(n, _parse(str(line)), labels), "line", result)
    return result
