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
_REQUEST = re.compile(r"^[ \t>*_`-]*REQUEST\s+(?P<kind>EXAM|EXAMINATION|TEST)\s*:\s*(?P<what>[^\n]*)\n?", re.I | re.M)
_WORD = re.compile(r"[a-z0-9]+")
GENERIC = frozenset(
    {"a", "an", "the", "of", "for", "and", "or", "to", "on", "in", "any", "full", "complete", "physical", "exam",
     "examination", "test", "tests", "testing", "result", "results", "level", "levels", "check", "please",
     "findings", "finding", "study", "panel", "his", "her", "their", "patient"}
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
        for m in _REQUEST.finditer(text)
    ]
    return _REQUEST.sub("", text).strip(), [(k, w) for k, w in found if w]


def _words(text: str) -> set[str]:
    """Content words, singular ("antibodies" ~ "antibody" by a crude stem)."""
    out = set()
    for w in _WORD.findall(text.lower()):
        if w in GENERIC or len(w) < 2:
            continue
        out.add(w[:-3] + "y" if w.endswith("ies") else w[:-1] if w.endswith("s") and len(w) > 3 else w)
    return out


def findings_for(kind: str, what: str, case: Case) -> list[str]:
    """The case's entries a request asks for: those whose own name ("Acetylcholine Receptor Antibodies") shares
    at least half the request's words, or whose whole heading contains all of them (a request for a group,
    "vital signs", "blood tests"); a request naming nothing specific ("full physical exam") gets every
    examination finding. "Complete blood count" is not "Blood Tests - Acetylcholine Receptor Antibodies"."""
    pool = case.exam_findings if kind == "exam" else case.test_results
    asked = _words(what)
    if not asked:
        return list(pool) if kind == "exam" else []
    hits = []
    for entry in pool:
        heading = entry.partition(":")[0]
        leaf = _words(heading.split(" - ")[-1])
        if len(asked & leaf) >= max(1, len(asked) / 2) or asked <= _words(heading):
            hits.append(entry)
    return hits


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
