"""Load and check the content files: cases, temperaments, extra axes, diagnoses, rubrics.

Every loader validates with the pydantic models in `schema.py`; a bad file raises `ContentError`
naming the file and the field. `python -m dialogue.content check` validates everything and reports.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from dialogue.content.labels import LabelSet, find_terms, split_brackets
from dialogue.schema import TEMPERAMENTS, Action, Axis, Case, CaseSet, Diagnosis, Fact, Harm, Negative, Persona, Rubric

ROOT = Path(__file__).resolve().parents[2]  # dialogue/content/ -> dialogue/ -> the repository root
PERSONAS_DIR = ROOT / "personas"
RUBRICS_DIR = ROOT / "rubrics"

M = TypeVar("M", bound=BaseModel)


class ContentError(ValueError):
    """A content file is missing, unreadable, or does not validate."""


def _describe(err: ValidationError) -> str:
    parts = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"]) or "(top level)"
        parts.append(f"{loc}: {e['msg']}")
    return "; ".join(parts)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it (about 10x faster: the library loads at every start)."""


def read_yaml(path: Path) -> object:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as e:
        raise ContentError(f"{path}: not valid YAML: {e}") from e
    except OSError as e:
        raise ContentError(f"{path}: cannot read: {e}") from e


def load_model(path: Path, model: type[M], data: object | None = None) -> M:
    """Validate one YAML file (or already-parsed data from it) as `model`; errors name file and field."""
    raw = read_yaml(path) if data is None else data
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: expected a mapping at the top level, got {type(raw).__name__}")
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        raise ContentError(f"{path}: {_describe(e)}") from e


def load_diagnoses(path: Path = RUBRICS_DIR / "diagnoses.yaml") -> list[Diagnosis]:
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("diagnoses"), list):
        raise ContentError(f"{path}: diagnoses: expected a list")
    out = []
    for i, item in enumerate(raw["diagnoses"]):
        try:
            out.append(Diagnosis.model_validate(item))
        except ValidationError as e:
            raise ContentError(f"{path}: diagnoses.{i}.{_describe(e)}") from e
    return out


def load_personas(directory: Path = PERSONAS_DIR / "temperaments") -> dict[str, Persona]:
    personas = {p.stem: load_model(p, Persona) for p in sorted(directory.glob("*.yaml"))}
    missing = set(TEMPERAMENTS) - set(personas)
    if missing:
        raise ContentError(f"{directory}: missing temperament files: {sorted(missing)}")
    return personas


def load_axes(directory: Path = PERSONAS_DIR / "axes") -> dict[str, Axis]:
    return {a.id: a for a in (load_model(p, Axis) for p in sorted(directory.glob("*.yaml")))}


NOT_RUBRICS = frozenset({"diagnoses.yaml", "test_costs.yaml", "contraindications.yaml"})
"""Data files in rubrics/ that are not rubrics (the label set; the measurement seat's cost table; the
treatments that harm in a condition whatever the case)."""


def load_rubrics(directory: Path = RUBRICS_DIR) -> dict[str, Rubric]:
    out = {}
    for p in sorted(directory.glob("*.yaml")):
        if p.name in NOT_RUBRICS:
            continue
        r = load_model(p, Rubric)
        out[r.id] = r
    return out


CASESET_FILE = "caseset.yaml"
BUILTIN_SET = CaseSet(
    id="consultbench",
    title="ConsultBench cases (3MDBench's 34 labels)",
    diagnosis_space="closed",
    setting="telemedicine",
    source="written for ConsultBench, sources in each case file",
)


def load_case_set(directory: Path) -> CaseSet:
    """The folder's `caseset.yaml`; a folder without one is a closed, telemedicine set named after it."""
    path = directory / CASESET_FILE
    if path.is_file():
        return load_model(path, CaseSet)
    if directory.resolve() == (PERSONAS_DIR / "cases").resolve():
        return BUILTIN_SET
    return CaseSet(id=directory.name, title=directory.name)


def load_cases(
    directory: Path = PERSONAS_DIR / "cases", *, labels: LabelSet | None = None, skip_bad: bool = False
) -> tuple[dict[str, Case], list[str]]:
    """All cases under `directory` (recursively). Returns (cases, errors). With `labels`, a closed set's
    diagnoses and differentials must be known labels (an open set's, declared in its caseset.yaml, need not).

    With skip_bad=False the first error raises; with True bad files are reported and skipped.
    """
    cases: dict[str, Case] = {}
    errors: list[str] = []
    if labels is not None and load_case_set(directory).diagnosis_space == "open":
        labels = None
    for p in sorted(directory.rglob("*.yaml")):
        if p.name == CASESET_FILE:
            continue
        try:
            case = load_model(p, Case)
            if case.id != p.stem:
                raise ContentError(f"{p}: id: '{case.id}' must equal the file name '{p.stem}'")
            if case.id in cases:
                raise ContentError(f"{p}: id: duplicate case id '{case.id}'")
            if labels is not None:
                for i, lab in enumerate([case.diagnosis, *case.differential]):
                    if lab not in labels.by_label:
                        where = "diagnosis" if i == 0 else f"differential.{i - 1}"
                        raise ContentError(f"{p}: {where}: '{lab}' is not a known label")
            if case.image:
                img = (p.parent / case.image).resolve()
                if not img.is_file():
                    raise ContentError(f"{p}: image: file not found: {img}")
                case = case.model_copy(update={"image": str(img)})
        except ContentError as e:
            if not skip_bad:
                raise
            errors.append(str(e))
            continue
        cases[case.id] = case
    return cases, errors


@dataclass
class Library:
    """All content, loaded and validated once. `labels` holds the closed label set and every open set's
    diagnoses (so one normalizer reads any answer); which of them a doctor may choose from is per case set."""

    cases: dict[str, Case]
    personas: dict[str, Persona]
    axes: dict[str, Axis]
    labels: LabelSet
    rubrics: dict[str, Rubric]
    errors: list[str] = field(default_factory=list)
    sets: dict[str, CaseSet] = field(default_factory=lambda: {BUILTIN_SET.id: BUILTIN_SET})
    set_of: dict[str, str] = field(default_factory=dict)
    """Case id -> case set id (cases not listed belong to the built-in set)."""

    @cached_property
    def case_ids(self) -> list[str]:
        return sorted(self.cases)

    def case_set(self, case_id: str) -> CaseSet:
        return self.sets[self.set_of.get(case_id, BUILTIN_SET.id)]

    @cached_property
    def closed_labels(self) -> list[str]:
        return [d.label for d in self.labels.diagnoses if d.group != "open"]

    def candidates(self, case_id: str) -> list[str]:
        """The diagnoses a doctor chooses among for this case: its options, the closed labels, or every
        diagnosis of its open set."""
        case, cs = self.cases[case_id], self.case_set(case_id)
        if case.answer_options:
            return list(case.answer_options)
        if cs.diagnosis_space == "closed":
            return self.closed_labels
        return self._open_diagnoses[cs.id]

    @cached_property
    def _open_diagnoses(self) -> dict[str, list[str]]:
        """Each case set's own diagnoses, sorted (read once: a consultation asks at every start)."""
        out: dict[str, set[str]] = {}
        for cid, c in self.cases.items():
            out.setdefault(self.set_of.get(cid, BUILTIN_SET.id), set()).add(c.diagnosis)
        return {k: sorted(v) for k, v in out.items()}


def open_diagnoses(cases: list[Case], closed: LabelSet) -> list[Diagnosis]:
    """An open set's diagnoses as label entries (with each case's synonyms and answer options), so an answer
    is read the same way as in a closed set; a diagnosis that is a closed label stays that label."""
    by_label: dict[str, list[str]] = {}
    for c in cases:
        for term in (c.diagnosis, *c.answer_options):
            main, inside = split_brackets(term)  # "X (Y)": label X, synonyms Y and "X (Y)"
            if closed.normalize(main) in closed.by_label:
                continue
            synonyms = [*inside, *([term] if main != term else [])]
            synonyms += c.diagnosis_synonyms if main.lower() == c.diagnosis else []
            known = by_label.setdefault(main.lower(), [])
            known += [s for s in synonyms if s.lower() not in {k.lower() for k in known} and s.lower() != main.lower()]
    return [Diagnosis(label=k, group="open", definition=k, synonyms=v) for k, v in by_label.items()]


def load_library(
    cases_dir: Path | None = None,
    *,
    skip_bad: bool = False,
    personas_dir: Path = PERSONAS_DIR,
    case_sets: list[Path] | None = None,
) -> Library:
    """The content, with the main cases folder and any further case-set folders (`CB_CASE_SETS`)."""
    closed = LabelSet(load_diagnoses())
    main_dir = cases_dir or personas_dir / "cases"
    cases: dict[str, Case] = {}
    errors: list[str] = []
    sets: dict[str, CaseSet] = {}
    set_of: dict[str, str] = {}
    for directory in [main_dir, *(case_sets or [])]:
        cs = load_case_set(directory)
        found, errs = load_cases(directory, labels=closed, skip_bad=skip_bad)
        clash = sorted(set(found) & set(cases))
        if clash:
            raise ContentError(f"{directory}: case ids already loaded from another set: {clash[:5]}")
        cases.update(found)
        errors += errs
        sets[cs.id] = cs
        set_of.update(dict.fromkeys(found, cs.id))
    if not cases:
        raise ContentError(f"{main_dir}: no valid case files")
    opens = [c for cid, c in cases.items() if sets[set_of[cid]].diagnosis_space == "open"]
    return Library(
        cases=cases,
        personas=load_personas(personas_dir / "temperaments"),
        axes=load_axes(personas_dir / "axes"),
        labels=LabelSet(closed.diagnoses + open_diagnoses(opens, closed)) if opens else closed,
        rubrics=load_rubrics(),
        errors=errors,
        sets=sets,
        set_of=set_of,
    )


# --------------------------------------------------------------------------- consistency checks


def patient_texts(case: Case) -> list[str]:
    """Everything a patient agent may say verbatim."""
    return [
        case.general_complaint,
        case.narrative,
        *(f.patient_says for f in case.facts),
        *(n.patient_says for n in case.pertinent_negatives),
    ]


def case_problems(case: Case, labels: LabelSet) -> list[str]:
    """Clinical-consistency problems in one case (empty when clean)."""
    problems = []
    own = [*labels.terms_for(case.diagnosis), *case.diagnosis_synonyms]  # only its own label and synonyms
    for text in patient_texts(case):
        for term in find_terms(text, own):
            problems.append(f"{case.id}: patient text names its diagnosis term '{term}': {text!r}")
    cats = {f.category for f in case.facts}
    for needed in ("hpi", "past_history", "medications", "allergies", "ideas", "concerns", "expectations"):
        if needed not in cats:
            problems.append(f"{case.id}: facts: no '{needed}' fact")
    if not case.narrative.strip():
        problems.append(f"{case.id}: narrative: empty (the answer to an open question)")
    problems += action_problems(case) + asked_problems(case, own)
    if not 2 <= len(case.differential) <= 4:
        problems.append(f"{case.id}: differential: needs 2-4 labels, has {len(case.differential)}")
    if not case.must_ask:
        problems.append(f"{case.id}: must_ask: empty")
    if not case.red_flags:
        problems.append(f"{case.id}: red_flags: empty")
    if case.speaker == "parent" and case.setting != "child_with_parent":
        problems.append(f"{case.id}: speaker is parent but setting is {case.setting}")
    return problems


def action_problems(case: Case) -> list[str]:
    """Per-case actions and harms: present, sourced, and a critical action for every present red flag."""
    problems = []
    if len(case.actions) < 2:
        problems.append(f"{case.id}: actions: needs at least 2, has {len(case.actions)}")
    if len(case.harms) < 2:
        problems.append(f"{case.id}: harms: needs at least 2, has {len(case.harms)}")
    items: list[Action | Harm] = [*case.actions, *case.harms]
    for item in items:
        if not item.source.strip():
            problems.append(f"{case.id}: {item.id}: no source")
    if any(f.present for f in case.red_flags) and not any(a.critical for a in case.actions):
        problems.append(f"{case.id}: actions: a red flag is present but no action is critical")
    return problems


def asked_problems(case: Case, own: list[str]) -> list[str]:
    """The questions written for each fact: questions, none naming the case's diagnosis (a leading question the
    matcher would learn to answer), none repeated within the fact."""
    problems = []
    items: list[Fact | Negative] = [*case.facts, *case.pertinent_negatives]
    for item in items:
        if len(set(item.asked)) != len(item.asked):
            problems.append(f"{case.id}: {item.id}: asked: a question is repeated")
        for q in item.asked:
            if not q.strip().endswith("?"):
                problems.append(f"{case.id}: {item.id}: asked: not a question: {q!r}")
            for term in find_terms(q, own):
                problems.append(f"{case.id}: {item.id}: asked: names its diagnosis term '{term}': {q!r}")
    return problems


def near_duplicates(cases: dict[str, Case], threshold: float = 0.85) -> list[tuple[str, str, float]]:
    """Pairs of same-label cases whose patient texts are nearly identical."""
    by_label: dict[str, list[Case]] = {}
    for c in cases.values():
        by_label.setdefault(c.diagnosis, []).append(c)
    out = []
    for group in by_label.values():
        texts = {c.id: " ".join(patient_texts(c)).lower() for c in group}
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                r = difflib.SequenceMatcher(None, texts[a.id], texts[b.id], autojunk=False).ratio()
                if r >= threshold:
                    out.append((a.id, b.id, round(r, 3)))
    return out


@dataclass
class CheckReport:
    n_cases: int
    per_label: dict[str, int]
    per_group: dict[str, int]
    per_split: dict[str, int]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems

    def table(self) -> str:
        lines = ["| label | group | cases |", "|---|---|---|"]
        return "\n".join(lines + [f"| {lab} | {grp} | {n} |" for (lab, grp), n in self._rows()])

    def _rows(self) -> list[tuple[tuple[str, str], int]]:
        return [((k.split("|")[1], k.split("|")[0]), v) for k, v in sorted(self.per_label.items())]


def check(cases_dir: Path | None = None, *, min_per_label: int = 0) -> CheckReport:
    """Validate every content file and cross-check cases; never raises for content problems. An open case
    set's diagnoses are counted as they are (not against the closed labels)."""
    problems: list[str] = []
    try:
        labels = LabelSet(load_diagnoses())
        load_personas()
        load_axes()
        load_rubrics()
    except ContentError as e:
        return CheckReport(0, {}, {}, {}, [str(e)])
    cases, errors = load_cases(cases_dir or PERSONAS_DIR / "cases", labels=labels, skip_bad=True)
    problems += errors
    for c in cases.values():
        problems += case_problems(c, labels)
    for a, b, r in near_duplicates(cases):
        problems.append(f"near-duplicate cases {a} and {b} (similarity {r})")
    per_label: Counter[str] = Counter()
    closed_set = load_case_set(cases_dir or PERSONAS_DIR / "cases").diagnosis_space == "closed"
    for d in labels.diagnoses if closed_set else []:
        per_label[f"{d.group}|{d.label}"] = 0
    for c in cases.values():
        group = labels.by_label[c.diagnosis].group if c.diagnosis in labels.by_label else "open"
        per_label[f"{group}|{c.diagnosis}"] += 1
    if min_per_label:
        for k, n in per_label.items():
            if n < min_per_label:
                problems.append(f"label '{k.split('|')[1]}' has {n} cases (< {min_per_label})")
    per_group: Counter[str] = Counter()
    for k, n in per_label.items():
        per_group[k.split("|")[0]] += n
    per_split: Counter[str] = Counter(str(c.split) for c in cases.values())
    return CheckReport(len(cases), dict(per_label), dict(per_group), dict(per_split), problems)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m dialogue.content", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="validate all content files and report counts")
    c.add_argument("--cases", type=Path, default=None, help="cases folder (default personas/cases)")
    c.add_argument("--min-per-label", type=int, default=0)
    args = ap.parse_args(argv)
    rep = check(args.cases, min_per_label=args.min_per_label)
    print(rep.table())
    print(f"\n{rep.n_cases} cases; groups: {rep.per_group}; splits: {rep.per_split}")
    for p in rep.problems:
        print("PROBLEM:", p)
    print("clean" if rep.ok else f"{len(rep.problems)} problem(s)")
    return 0 if rep.ok else 1


if __name__ == "__main__":
    sys.exit(main())
