"""Import cases from other benchmarks' published layouts into ConsultBench `Case` files.

Two sources are supported:

* 3MDBench (univanxx/3mdbench): the Hugging Face parquet layout, or a `datasets.save_to_disk` folder when
  the optional `datasets` package is installed.
* AgentClinic (samuelschmidgall/agentclinic): the OSCE JSONL layout, one case per line.

A bad row or line is reported in `ImportResult.errors` (naming the row or line and the field) and
skipped; it never aborts the import. A missing or unreadable source raises `ContentError`.

    python -m dialogue.content.importers {3mdbench,agentclinic} SRC --out DIR
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from PIL import Image, UnidentifiedImageError
from pydantic import ValidationError

from dialogue.content.cases import ContentError, load_diagnoses
from dialogue.content.labels import LabelSet
from dialogue.schema import Case, Demographics, Fact, FactCategory

MIN_FACTS = 3
PLACEHOLDER_AGE, PLACEHOLDER_SEX = 40, "female"
TITLE_CHARS = 80


@dataclass
class ImportResult:
    """What one import produced: valid cases, one message per skipped row, and image bytes by case id."""

    cases: list[Case] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)


class RowError(ValueError):
    """One source row is unusable; `where` names the offending source field."""

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")


# --------------------------------------------------------------------------- shared helpers


def _describe(err: ValidationError) -> str:
    """A pydantic error as 'field: message' parts, like content.load_model reports them."""
    return "; ".join(f"{'.'.join(str(x) for x in e['loc']) or '(top level)'}: {e['msg']}" for e in err.errors())


def _text(value: object) -> str:
    """A stripped string, or '' for None / non-string values."""
    return value.strip() if isinstance(value, str) else ""


def _title(text: str) -> str:
    """A short title from the first line of `text`, capitalised and cut to TITLE_CHARS."""
    first = text.strip().splitlines()[0].strip() if text.strip() else "Untitled"
    if len(first) > TITLE_CHARS:
        first = first[: TITLE_CHARS - 1].rstrip() + "…"
    return first[:1].upper() + first[1:]


def _pad_facts(facts: list[Fact]) -> list[Fact]:
    """Facts padded to MIN_FACTS with 'not stated' review-of-systems facts (ids `unstated-N`)."""
    pads = [
        Fact(
            id=f"unstated-{i}",
            category="review_of_systems",
            statement="Not stated in the source dataset",
            patient_says="I'm not sure.",
        )
        for i in range(1, MIN_FACTS - len(facts) + 1)
    ]
    return facts + pads


def _flatten(value: object, prefix: str = "") -> list[str]:
    """Nested dicts/lists as 'Key - Subkey: value' strings; underscores in keys become spaces."""
    if isinstance(value, dict):
        out: list[str] = []
        for k, v in value.items():
            key = str(k).replace("_", " ").strip()
            out += _flatten(v, f"{prefix} - {key}" if prefix else key)
        return out
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            value = "; ".join(str(v) for v in value if v is not None and str(v).strip())
        else:
            return [s for v in value for s in _flatten(v, prefix)]
    text = "" if value is None else str(value).strip()
    if not text:
        return []
    return [f"{prefix}: {text}" if prefix else text]


def _image_ext(data: bytes, path: str) -> str:
    """File extension for image bytes, sniffed with PIL (falls back to the source path's suffix)."""
    try:
        fmt = (Image.open(io.BytesIO(data)).format or "").lower()
    except (UnidentifiedImageError, OSError):
        fmt = ""
    if not fmt:
        suffix = Path(path).suffix.lstrip(".").lower()
        if not suffix:
            raise RowError("image", "bytes are not a readable image")
        return suffix
    return "jpg" if fmt == "jpeg" else fmt


# --------------------------------------------------------------------------- 3MDBench


def _parquet_files(path: Path) -> list[Path]:
    """The parquet files of a 3MDBench download: the file itself, or every *.parquet below a folder."""
    if path.is_file():
        return [path]
    return sorted(path.rglob("*.parquet"))


def _saved_dataset_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a `datasets.save_to_disk` folder (Dataset or DatasetDict), images left undecoded."""
    try:
        import datasets  # optional dependency
    except ImportError as e:
        raise ContentError(
            f"{path}: looks like a `datasets` save_to_disk folder, but the `datasets` package is not installed "
            "(pip install datasets), or point at the parquet files instead"
        ) from e
    loaded = datasets.load_from_disk(str(path))
    splits = [loaded[k] for k in sorted(loaded)] if isinstance(loaded, datasets.DatasetDict) else [loaded]
    for ds in splits:
        if "image" in ds.column_names:
            ds = ds.cast_column("image", datasets.Image(decode=False))
        yield from ds


def _3mdbench_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Every row of a 3MDBench source, in file order, as plain dicts."""
    if not path.exists():
        raise ContentError(f"{path}: not found")
    files = _parquet_files(path)
    if not files:
        if (path / "state.json").is_file() or (path / "dataset_dict.json").is_file():
            yield from _saved_dataset_rows(path)
            return
        raise ContentError(f"{path}: no .parquet files found")
    for f in files:
        try:
            table = pq.read_table(f)
        except (pa.ArrowException, OSError) as e:
            raise ContentError(f"{f}: cannot read parquet: {e}") from e
        yield from table.to_pylist()


def _complaints(value: object) -> list[str]:
    """Additional complaints: a list of strings, or one string with one complaint per line."""
    items = value if isinstance(value, list) else str(value or "").splitlines()
    return [t for t in (_text(x) for x in items) if t]


def _3mdbench_diagnosis(row: dict[str, Any], labels: LabelSet) -> str:
    """The row's diagnosis as one of the known labels; anything else is a RowError."""
    label = labels.normalize(_text(row.get("diagnosis")) or None)
    if label is None:
        raise RowError("diagnosis", "missing")
    if label not in labels.by_label:
        raise RowError("diagnosis", f"'{label}' is not one of the {len(labels.labels)} labels (3MDBench is closed-set)")
    return label


def _3mdbench_image(row: dict[str, Any], case_id: str) -> tuple[str | None, bytes | None]:
    """(relative image filename, bytes) for the row's HF Image value, or (None, None) when absent."""
    img = row.get("image")
    if not isinstance(img, dict) or not img.get("bytes"):
        return None, None
    data = bytes(img["bytes"])
    return f"{case_id}.{_image_ext(data, str(img.get('path') or ''))}", data


def _3mdbench_case(index: int, row: dict[str, Any], labels: LabelSet) -> tuple[Case, bytes | None]:
    """One 3MDBench row as a Case (with placeholder demographics) plus its image bytes."""
    case_id = f"3mdbench-{index:05d}"
    complaint = _text(row.get("general_complaint"))
    if not complaint:
        raise RowError("general_complaint", "missing")
    diagnosis = _3mdbench_diagnosis(row, labels)
    facts = [
        Fact(id=f"complaint-{i}", category="hpi", statement=c, patient_says=c)
        for i, c in enumerate(_complaints(row.get("complaints")), 1)
    ]
    temperament = _text(row.get("personality")).lower()
    title = _title(complaint) + (f" (3MDBench temperament: {temperament})" if temperament else "")
    image, data = _3mdbench_image(row, case_id)
    case = Case(
        id=case_id,
        title=title,
        diagnosis=diagnosis,
        demographics=Demographics(age=PLACEHOLDER_AGE, sex=PLACEHOLDER_SEX),
        general_complaint=complaint,
        facts=_pad_facts(facts),
        image=image,
        sources=[
            f"3MDBench (univanxx/3mdbench), row {index}",
            f"Demographics are placeholders (age {PLACEHOLDER_AGE}, {PLACEHOLDER_SEX}): 3MDBench does not record them.",
        ],
    )
    return case, data


def import_3mdbench(path: Path, labels: LabelSet) -> ImportResult:
    """Import 3MDBench from a .parquet file, a folder of parquet files, or a `datasets` save_to_disk folder.

    Rows are numbered from 0 across all files in sorted order; case ids are `3mdbench-<row:05d>`.
    3MDBench is closed-set, so a diagnosis outside the label set is reported as an error for that row.
    Demographics are not in the source: every case gets placeholder demographics, noted in `sources`.
    """
    result = ImportResult()
    for index, row in enumerate(_3mdbench_rows(path)):
        try:
            case, data = _3mdbench_case(index, row, labels)
        except RowError as e:
            result.errors.append(f"row {index}: {e}")
            continue
        except ValidationError as e:
            result.errors.append(f"row {index}: {_describe(e)}")
            continue
        result.cases.append(case)
        if data is not None:
            result.images[case.id] = data
    return result


# --------------------------------------------------------------------------- AgentClinic

FEMALE = re.compile(r"\b(female|woman|girl|lady|f)\b", re.IGNORECASE)
MALE = re.compile(r"\b(male|man|boy|gentleman|m)\b", re.IGNORECASE)
AGE = re.compile(r"(\d+)\s*[- ]?\s*(year|yr|month|week|day)s?\b", re.IGNORECASE)
FACT_FIELDS: tuple[tuple[str, FactCategory], ...] = (
    ("History", "hpi"),
    ("Past_Medical_History", "past_history"),
    ("Social_History", "social"),
    ("Review_of_Systems", "review_of_systems"),
)


def _parse_demographics(text: str) -> Demographics:
    """'28-year-old female' -> Demographics(age=28, sex='female'); under one year gives age 0."""
    age = AGE.search(text)
    sex = "female" if FEMALE.search(text) else "male" if MALE.search(text) else None
    if age is None or sex is None:
        raise RowError("Patient_Actor.Demographics", f"cannot parse age and sex from {text!r}")
    years = int(age.group(1)) if age.group(2).lower() in ("year", "yr") else 0
    return Demographics(age=years, sex=sex)


def _mapping(parent: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    """parent[key], which must be a JSON object; `where` names it in the error."""
    value = parent.get(key)
    if not isinstance(value, dict):
        raise RowError(where, "missing" if value is None else "expected an object")
    return value


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _agentclinic_facts(actor: dict[str, Any], symptoms: dict[str, Any]) -> list[Fact]:
    """History and secondary symptoms as hpi facts, then past, social and review-of-systems facts."""
    texts: list[tuple[str, FactCategory, str]] = []
    for key, category in FACT_FIELDS:
        texts += [(_slug(key), category, t) for t in _flatten(actor.get(key))]
        if key == "History":
            secondary = symptoms.get("Secondary_Symptoms")
            items = secondary if isinstance(secondary, list) else [secondary]
            texts += [("symptom", "hpi", t) for item in items for t in _flatten(item)]
    facts: list[Fact] = []
    seen: dict[str, int] = {}
    for stem, category, text in texts:
        seen[stem] = seen.get(stem, 0) + 1
        facts.append(Fact(id=f"{stem}-{seen[stem]}", category=category, statement=text, patient_says=text))
    return facts


def _agentclinic_case(line_no: int, record: object, labels: LabelSet) -> Case:
    """One AgentClinic OSCE record as a Case."""
    if not isinstance(record, dict):
        raise RowError("(top level)", "expected a JSON object")
    osce = _mapping(record, "OSCE_Examination", "OSCE_Examination")
    actor = _mapping(osce, "Patient_Actor", "OSCE_Examination.Patient_Actor")
    symptoms = _mapping(actor, "Symptoms", "Patient_Actor.Symptoms")
    primary = _text(symptoms.get("Primary_Symptom")).rstrip(".")
    if not primary:
        raise RowError("Patient_Actor.Symptoms.Primary_Symptom", "missing")
    diagnosis = labels.normalize(_text(osce.get("Correct_Diagnosis")) or None)
    if diagnosis is None:
        raise RowError("Correct_Diagnosis", "missing")
    demo_text = _text(actor.get("Demographics"))
    exam = _flatten(osce.get("Physical_Examination_Findings"))
    tests = [f"Test: {t}" for t in _flatten(osce.get("Test_Results"))]
    return Case(
        id=f"agentclinic-{line_no:04d}",
        title=_title(f"{primary} ({demo_text})" if demo_text else primary),
        diagnosis=diagnosis,
        demographics=_parse_demographics(demo_text),
        general_complaint=f"I have {primary[:1].lower() + primary[1:]}.",
        facts=_pad_facts(_agentclinic_facts(actor, symptoms)),
        exam_findings=exam + tests,
        sources=[f"AgentClinic OSCE (samuelschmidgall/agentclinic), line {line_no}"],
    )


def import_agentclinic(path: Path, labels: LabelSet) -> ImportResult:
    """Import AgentClinic OSCE cases from a JSONL file (lines numbered from 1; blank lines skipped).

    Case ids are `agentclinic-<line:04d>`. A Correct_Diagnosis that names one known label becomes that
    label; any other diagnosis is KEPT as free text (lower-cased), because AgentClinic is open-set.
    The Case model accepts such cases, but `content.load_cases(labels=...)` (and so `load_library`)
    rejects unknown labels: out-of-set cases load only with `load_model(path, Case)` or
    `load_cases(labels=None)`.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise ContentError(f"{path}: cannot read: {e}") from e
    result = ImportResult()
    for line_no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            result.cases.append(_agentclinic_case(line_no, json.loads(line), labels))
        except json.JSONDecodeError as e:
            result.errors.append(f"line {line_no}: (json): invalid JSON: {e.msg}")
        except RowError as e:
            result.errors.append(f"line {line_no}: {e}")
        except ValidationError as e:
            result.errors.append(f"line {line_no}: {_describe(e)}")
    return result


# --------------------------------------------------------------------------- output and CLI


def write_cases(result: ImportResult, out_dir: Path) -> list[Path]:
    """Write each case as `<id>.yaml` (plus its image, named by `case.image`) into out_dir; returns all paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for case in result.cases:
        p = out_dir / f"{case.id}.yaml"
        data = case.model_dump(exclude_defaults=False)
        p.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        written.append(p)
        if case.image and case.id in result.images:
            img = out_dir / case.image
            img.write_bytes(result.images[case.id])
            written.append(img)
    return written


IMPORTERS = {"3mdbench": import_3mdbench, "agentclinic": import_agentclinic}


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; exit code 0 when at least one case was imported."""
    ap = argparse.ArgumentParser(prog="python -m dialogue.content.importers", description=__doc__.split("\n\n")[0])
    ap.add_argument("source", choices=sorted(IMPORTERS))
    ap.add_argument("src", type=Path, help="the downloaded dataset (file or folder)")
    ap.add_argument("--out", type=Path, required=True, help="folder to write case YAML files and images into")
    args = ap.parse_args(argv)
    try:
        result = IMPORTERS[args.source](args.src, LabelSet(load_diagnoses()))
    except ContentError as e:
        print(f"ERROR: {e}")
        return 1
    written = write_cases(result, args.out)
    print(f"imported {len(result.cases)} case(s), {len(result.images)} image(s), {len(result.errors)} error(s)")
    for err in result.errors:
        print(f"ERROR: {err}")
    print(f"wrote {len(written)} file(s) to {args.out}")
    return 0 if result.cases else 1


if __name__ == "__main__":
    sys.exit(main())
