"""3MDBench (univanxx/3mdbench): the Hugging Face parquet layout, or a `datasets.save_to_disk` folder when the
optional `datasets` package is installed. Closed set (the 34 labels), telemedicine; each case keeps the
temperament 3MDBench paired it with, so a batch can run it "as published" (`--temperament published`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import ValidationError

from dialogue.content.cases import ContentError
from dialogue.content.importers.common import (
    PLACEHOLDER_AGE,
    PLACEHOLDER_SEX,
    ImportResult,
    RowError,
    describe,
    image_ext,
    pad_facts,
    text,
    title_of,
)
from dialogue.content.labels import LabelSet
from dialogue.schema import Case, CaseSet, Demographics, Fact

MDBENCH_SET = CaseSet(
    id="3mdbench",
    title="3MDBench (imported)",
    diagnosis_space="closed",
    setting="telemedicine",
    source="univanxx/3mdbench on the Hugging Face Hub",
)


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
    try:
        loaded = datasets.load_from_disk(str(path))
    except (OSError, ValueError) as e:  # a folder that only looks like one (FileNotFoundError is an OSError)
        raise ContentError(f"{path}: not a readable `datasets` save_to_disk folder: {e}") from e
    splits = [loaded[k] for k in sorted(loaded)] if isinstance(loaded, datasets.DatasetDict) else [loaded]
    for ds in splits:
        if "image" in ds.column_names:
            ds = ds.cast_column("image", datasets.Image(decode=False))
        yield from ds


def _3mdbench_rows(path: Path, bad_shards: list[str]) -> Iterator[dict[str, Any]]:
    """Every row of a 3MDBench source, in file order, as plain dicts; unreadable shards go to `bad_shards`."""
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
        except (pa.ArrowException, OSError) as e:  # one bad shard is reported, the others still imported
            bad_shards.append(f"{f}: cannot read parquet, shard skipped: {e}")
            continue
        yield from table.to_pylist()


def _complaints(value: object) -> list[str]:
    """Additional complaints: a list of strings, or one string with one complaint per line."""
    items = value if isinstance(value, list) else str(value or "").splitlines()
    return [t for t in (text(x) for x in items) if t]


def _3mdbench_diagnosis(row: dict[str, Any], labels: LabelSet) -> str:
    """The row's diagnosis as one of the known labels; anything else is a RowError."""
    label = labels.normalize(text(row.get("diagnosis")) or None)
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
    return f"{case_id}.{image_ext(data, str(img.get('path') or ''))}", data


def _3mdbench_case(index: int, row: dict[str, Any], labels: LabelSet) -> tuple[Case, bytes | None]:
    """One 3MDBench row as a Case (with placeholder demographics) plus its image bytes."""
    case_id = f"3mdbench-{index:05d}"
    complaint = text(row.get("general_complaint"))
    if not complaint:
        raise RowError("general_complaint", "missing")
    diagnosis = _3mdbench_diagnosis(row, labels)
    facts = [
        Fact(id=f"complaint-{i}", category="hpi", statement=c, patient_says=c)
        for i, c in enumerate(_complaints(row.get("complaints")), 1)
    ]
    temperament = text(row.get("personality")).lower()
    title = title_of(complaint) + (f" (3MDBench temperament: {temperament})" if temperament else "")
    image, data = _3mdbench_image(row, case_id)
    case = Case(
        id=case_id,
        title=title,
        diagnosis=diagnosis,
        demographics=Demographics(age=PLACEHOLDER_AGE, sex=PLACEHOLDER_SEX),
        general_complaint=complaint,
        facts=pad_facts(facts),
        image=image,
        published_temperament=temperament or None,  # type: ignore[arg-type]
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
    result = ImportResult(case_set=MDBENCH_SET)
    shards: list[str] = []
    for index, row in enumerate(_3mdbench_rows(path, shards)):
        try:
            case, data = _3mdbench_case(index, row, labels)
        except RowError as e:
            result.errors.append(f"row {index}: {e}")
            continue
        except ValidationError as e:
            result.errors.append(f"row {index}: {describe(e)}")
            continue
        result.cases.append(case)
        if data is not None:
            result.images[case.id] = data
    result.errors += shards
    return result
