"""The measurement seat: examination findings and test results on request (AgentClinic's measurement agent,
SDBench's gatekeeper), answered from the case, never from the patient's mouth.

A doctor asks on lines of their own, `REQUEST EXAM: <what>` or `REQUEST TEST: <what>`. Each request is
answered from the case's `exam_findings` / `test_results` (every entry whose name shares the request's words),
or "normal" when the case lists nothing for it (AgentClinic's convention), and priced from
rubrics/test_costs.yaml. A telemedicine case set offers only what a patient can say or photograph: every
request there is declined, at no cost.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel

from dialogue.schema import Case, Request

COSTS_FILE = Path(__file__).resolve().parents[2] / "rubrics" / "test_costs.yaml"
REQUEST_LINE = re.compile(
    r"^[ \t>*_`-]*REQUEST\s+(?P<kind>EXAM|EXAMINATION|TEST)\s*:\s*(?P<what>[^\n]*)\n?", re.I | re.M
)
GENERIC = frozenset(
    {"a", "an", "the", "of", "for", "and", "or", "to", "on", "in", "any", "full", "complete", "physical", "exam",
     "examination", "test", "tests", "testing", "result", "results", "level", "levels", "check", "please",
     "findings", "finding", "study", "panel", "his", "her", "their", "patient", "listen", "auscultate",
     "auscultation", "examine", "palpate", "palpation", "inspect", "inspection", "look", "assess", "assessment",
     "evaluate", "evaluation", "measure", "order", "get", "obtain", "do", "at", "with", "from", "see", "my",
     "review", "function", "enzyme", "analysi", "analysis", "profile", "screen", "screening", "workup", "work-up", "scan"}
)  # fmt: skip
NORMAL = "Normal."
NOT_AVAILABLE = "Not available: this is a remote consultation (ask the patient, or ask for a photo)."


class CostItem(BaseModel):
    pattern: str
    cost: float
    name: str = ""


class CostTable(BaseModel):
    sources: list[str] = []
    exam_default: float = 0.0
    test_default: float = 100.0
    items: list[CostItem] = []

    def price(self, kind: str, what: str) -> float:
        if kind == "exam":
            return self.exam_default
        for item in self.items:
            if re.search(item.pattern, what, re.IGNORECASE):
                return item.cost
        return self.test_default


@lru_cache(maxsize=4)
def load_costs(path: Path = COSTS_FILE) -> CostTable:
    return CostTable.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def take_requests(text: str) -> tuple[str, list[tuple[str, str]]]:
    """(the message without its request lines, [(kind, what), ...]) with kind `exam` or `test`."""
    found = [
        ("test" if m.group("kind").lower() == "test" else "exam", m.group("what").strip())
        for m in REQUEST_LINE.finditer(text)
    ]
    return REQUEST_LINE.sub("", text).strip(), [(k, w) for k, w in found if w]


SYNONYMS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "ecg ekg electrocardiogram electrocardiography",
        "echo echocardiogram echocardiography",
        "eeg electroencephalogram electroencephalography",
        "emg electromyography electromyogram",
        "cxr chest-x-ray chest-radiograph",
        "xray x-ray radiograph radiography film",
        "ct tomography",
        "mri resonance",
        "abg gas blood-gas",
        "hemoglobin haemoglobin hb",
        "wbc leukocyte white",
        "platelet plt",
        "sodium na",
        "potassium",
        "glucose sugar glycemia",
        "heart cardiac cardiovascular",
        "lung pulmonary respiratory chest",
        "neuro neurologic neurological",
        "abdomen abdominal belly",
        "rectal rectum rectovaginal",
        "mammogram mammography",
        "urine urinalysis urinary",
        "stool fecal faecal",
        "synovial arthrocentesis",
        "skin dermatologic",
        "eye ophthalmic ophthalmologic ocular fundoscopy",
        "ear otoscopic otoscopy",
        "throat oropharynx pharynx",
        "mouth oral",
        "hormone hormonal",
        "serology antibody igg igm antigen",
        "tsh thyroid",
        "pressure bp",
        "biopsy histopathology histology pathology",
        "ultrasound sonography sonogram",
        "pt prothrombin",
        "ptt aptt thromboplastin",
        "liver hepatic",
        "kidney renal",
        "bun urea",
    )
)
"""Words a request and a finding's heading may use for the same thing."""
PANELS: dict[str, frozenset[str]] = {
    panel: frozenset(members.split())
    for panels, members in (
        ("cbc blood-count", "blood-count hemoglobin hb wbc white leukocyte platelet hematocrit differential"),
        ("bmp cmp chem chemistry metabolic", "electrolyte sodium na potassium chloride bicarbonate creatinine urea bun glucose"),
        ("lft lfts", "liver hepatic alt ast bilirubin alkaline albumin transaminase enzyme"),
        ("coag coags coagulation", "coagulation pt ptt aptt inr prothrombin thromboplastin"),
        ("renal kidney", "renal kidney creatinine urea bun egfr"),
        ("liver hepatic", "liver hepatic alt ast bilirubin alkaline albumin transaminase"),
    )
    for panel in panels.split()
}  # fmt: skip
"""A panel asked for by name ("CBC") is answered by its members (not the other way round)."""
METHODS = {"palpate": "palpation", "palpation": "palpation", "auscultate": "auscultation", "auscultation": "auscultation",
           "listen": "auscultation", "inspect": "inspection", "inspection": "inspection", "look": "inspection",
           "percuss": "percussion", "percussion": "percussion"}  # fmt: skip
SOFT = frozenset({"blood", "serum", "plasma", "titer", "titre", "fluid", "sample", "lab", "labs"})
"""Container words a heading need not repeat ("blood sugar" is "Serum Chemistry - Glucose")."""
VITALS = frozenset(
    [
        "vital",
        "vitals",
        "sign",
        "pulse",
        "pressure",
        "bp",
        "temperature",
        "temp",
        "rate",
        "saturation",
        "oxygen",
        "spo2",
        "weight",
    ]
)


def _stem(w: str) -> str:
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith("ses") and len(w) > 4:
        return w[:-2]
    return w[:-1] if w.endswith("s") and len(w) > 3 else w


def _words(text: str) -> set[str]:
    """Content words, singular ("antibodies" ~ "antibody" by a crude stem); x-ray and blood count kept whole."""
    low = re.sub(r"x[- ]ray", "x-ray", text.lower())
    low = re.sub(
        r"blood count", "blood-count", re.sub(r"chest (?:radiograph|x-ray)", "chest-x-ray chest-radiograph", low)
    )
    stems = {_stem(w) for w in re.findall(r"[a-z0-9][a-z0-9-]*", low) if w not in GENERIC and len(w) > 1}
    return {w for w in stems if w not in GENERIC}


def _concepts(words: set[str]) -> list[set[str]]:
    """Each asked word with the words that mean the same thing (a panel with its members)."""
    out = []
    for w in words:
        same = {w} | set(PANELS.get(w, ()))
        for group in SYNONYMS:
            if w in group:
                same |= group
        out.append({_stem(x) for x in same})
    return out


def _hit(concept: set[str], heading: set[str]) -> bool:
    return bool(concept & heading) or any(len(w) >= 8 and h.startswith(w[:8]) for w in concept for h in heading)


def findings_for(kind: str, what: str, case: Case) -> list[str]:
    """The case's entries a request asks for; a request listing several things ("PT and PTT", "CBC, LFTs")
    gets each of them."""
    parts = [p for p in re.split(r"\s*(?:,|/|;|&|\+|\band\b)\s*", what) if p.strip()] or [what]
    out: list[str] = []
    for part in parts:
        out += [e for e in _findings_one(kind, part, case) if e not in out]
    return out


def _findings_one(kind: str, what: str, case: Case) -> list[str]:
    """An entry whose heading ("Blood Tests - Acetylcholine Receptor Antibodies") carries every asked word (or a
    synonym; a panel, "CBC", by its members) is returned, all such entries for a group request ("vital signs");
    failing that, the entries carrying most of the asked words (container words like "blood" aside), fewest
    other words first. A system exam ("listen to the heart") does not return vital signs unless they are asked
    for, and a method ("palpate the abdomen") keeps the entries of that method when the case has them. A request
    naming nothing specific ("full physical exam") gets every examination finding; one the case does not list
    gets nothing (the seat says "normal")."""
    pool = case.exam_findings if kind == "exam" else case.test_results
    low = what.lower()
    method = next((m for w, m in METHODS.items() if re.search(rf"\b{w}", low)), None)
    words = _words(what)
    asked = _concepts(words)
    asked = [c for c in asked if not any(c < other for other in asked)]  # "CBC with differential": the CBC
    if not asked:
        return list(pool) if kind == "exam" else []
    if kind == "exam" and not words & VITALS:
        pool = [e for e in pool if not e.lower().startswith("vital")]
    firm = [c for c in asked if not c & SOFT] or asked
    scored = []
    for entry in pool:
        heading = _words(entry.partition(":")[0])
        matched = sum(_hit(c, heading) for c in firm)
        scored.append((entry, matched, len([h for h in heading if not any(h in c for c in asked)])))
    hits = [e for e, m, _ in scored if m == len(firm)]
    if not hits:
        best = max((m for _, m, _ in scored), default=0)
        if best <= len(firm) / 2:  # "urine culture" is not the urinalysis
            return []
        fewest = min(x for _, m, x in scored if m == best)
        hits = [e for e, m, x in scored if m == best and x <= fewest + 1]
    by_method = [e for e in hits if method and method in e.partition(":")[0].lower()]
    return by_method or hits


def answer(case: Case, kind: str, what: str, *, in_person: bool, costs: CostTable | None = None) -> Request:
    """One request answered from the case, priced."""
    if not in_person:
        return Request(kind=kind, what=what, result=NOT_AVAILABLE, found=False, cost=0.0)  # type: ignore[arg-type]
    hits = findings_for(kind, what, case)
    table = costs or load_costs()
    return Request(
        kind=kind,  # type: ignore[arg-type]
        what=what,
        result="; ".join(hits) if hits else NORMAL,
        found=bool(hits),
        cost=table.price(kind, what),
    )


def results_text(requests: list[Request]) -> str:
    """What the measurement seat says: one line per request."""
    return "\n".join(f"[{r.kind.upper()}: {r.what}] {r.result}" for r in requests)
