"""What every importer shares: the result of an import, row errors, text helpers, writing a case set, and the
import report (per case: what the content check will list, and what a run does without it)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from PIL import Image, UnidentifiedImageError
from pydantic import ValidationError

from dialogue.content.cases import CASESET_FILE, case_problems
from dialogue.content.labels import LabelSet
from dialogue.schema import Case, CaseSet, Fact

MIN_FACTS = 3
PLACEHOLDER_AGE, PLACEHOLDER_SEX = 40, "female"
TITLE_CHARS = 80


@dataclass
class ImportResult:
    """What one import produced: valid cases, one message per skipped row or shard, image bytes by case id,
    and the case set they form."""

    cases: list[Case] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)
    case_set: CaseSet | None = None


class RowError(ValueError):
    """One source row is unusable; `where` names the offending source field."""

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")


# --------------------------------------------------------------------------- shared helpers


def describe(err: ValidationError) -> str:
    """A pydantic error as 'field: message' parts, like content.load_model reports them."""
    return "; ".join(f"{'.'.join(str(x) for x in e['loc']) or '(top level)'}: {e['msg']}" for e in err.errors())


def text(value: object) -> str:
    """A stripped string, or '' for None / non-string values."""
    return value.strip() if isinstance(value, str) else ""


def title_of(text: str) -> str:
    """A short title from the first line of `text`, capitalised and cut to TITLE_CHARS."""
    first = text.strip().splitlines()[0].strip() if text.strip() else "Untitled"
    if len(first) > TITLE_CHARS:
        first = first[: TITLE_CHARS - 1].rstrip() + "…"
    return first[:1].upper() + first[1:]


def pad_facts(facts: list[Fact]) -> list[Fact]:
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


def flatten(value: object, prefix: str = "") -> list[str]:
    """Nested dicts/lists as 'Key - Subkey: value' strings; underscores in keys become spaces."""
    if isinstance(value, dict):
        out: list[str] = []
        for k, v in value.items():
            key = str(k).replace("_", " ").strip()
            out += flatten(v, f"{prefix} - {key}" if prefix else key)
        return out
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            value = "; ".join(str(v) for v in value if v is not None and str(v).strip())
        else:
            return [s for v in value for s in flatten(v, prefix)]
    text = "" if value is None else str(value).strip()
    if not text:
        return []
    return [f"{prefix}: {text}" if prefix else text]


def image_ext(data: bytes, path: str) -> str:
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


# --------------------------------------------------------------------------- the import report

WITHOUT = {
    "differential": "nothing changes in a run (the differential is reference material for the assessor)",
    "must_ask": "must-ask coverage is n/a; the consultation score counts diagnosis, actions and rubric only",
    "red_flags": "no red-flag points or safety failures from red flags",
    "narrative": "an open question is answered with the opening complaint and the first facts",
    "actions": "no per-case action points (the three general safety rules still apply)",
    "harms": "no per-case harm points (the three general safety rules still apply)",
    "facts": "questions the source does not answer get a plain no",
    "image_description": "a text-only doctor gets no photo information",
    "patient": "a source text names the diagnosis: the leak guard withdraws any reply that would say it",
}


def import_report(result: ImportResult, labels: LabelSet) -> tuple[str, list[str]]:
    """(markdown, every problem the content check will list for these cases): per case, what is missing and
    what a run does without it, and the rows the import skipped."""
    problems: list[str] = []
    rows = []
    for case in result.cases:
        found = case_problems(case, labels)
        problems += found
        fields = sorted({p.split(": ")[1].split(":")[0].split(" ")[0].strip() for p in found if ": " in p})
        if (case.image_url or case.image) and not case.image_description:
            fields.append("image_description")  # the content check does not ask for it; a text-only doctor does
        effect = "; ".join(f"{f}: {WITHOUT[f]}" for f in fields if f in WITHOUT)
        rows.append(f"| {case.id} | {', '.join(fields) or '—'} | {effect or 'runs as written'} |")
    cs = result.case_set
    head = [
        f"# Import report: {cs.title if cs else 'cases'}",
        "",
        f"{len(result.cases)} case(s) imported, {len(result.errors)} row(s) or shard(s) skipped. Case set "
        f"`{cs.id if cs else '?'}`: {cs.diagnosis_space if cs else '?'} diagnosis space, "
        f"{cs.setting if cs else '?'}. `python -m dialogue.content check --cases <this folder>` lists the "
        "same problems as below, and nothing else.",
        "",
        "| case | missing | what a run does without it |",
        "|---|---|---|",
        *rows,
    ]
    if result.errors:
        head += ["", "## Skipped", "", *(f"- {e}" for e in result.errors)]
    return "\n".join(head) + "\n", problems


def write_cases(result: ImportResult, out_dir: Path, labels: LabelSet | None = None) -> list[Path]:
    """Write each case as `<id>.yaml` (plus its image, named by `case.image`), the set's caseset.yaml and, with
    `labels`, import_report.md into out_dir; returns all paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for case in result.cases:
        p = out_dir / f"{case.id}.yaml"
        data = case.model_dump(exclude_defaults=True)
        p.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        written.append(p)
        if case.image and case.id in result.images:
            img = out_dir / case.image
            img.write_bytes(result.images[case.id])
            written.append(img)
    if result.case_set is not None:
        p = out_dir / CASESET_FILE
        p.write_text(yaml.safe_dump(result.case_set.model_dump(), sort_keys=False, allow_unicode=True), "utf-8")
        written.append(p)
    if labels is not None:
        p = out_dir / "import_report.md"
        p.write_text(import_report(result, labels)[0], encoding="utf-8")
        written.append(p)
    return written


def collect(rows: object, make: Callable[[int, object], Case], where: str, result: ImportResult) -> None:
    """Build a case from each (number, row); a bad row is reported ("<where> <n>: field: message") and
    skipped, never raised."""
    for n, row in rows:  # type: ignore[attr-defined]
        try:
            result.cases.append(make(n, row))
        except RowError as e:
            result.errors.append(f"{where} {n}: {e}")
        except ValidationError as e:
            result.errors.append(f"{where} {n}: {describe(e)}")
