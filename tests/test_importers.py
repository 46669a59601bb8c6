"""Case importers: 3MDBench parquet and AgentClinic OSCE JSONL become loadable Case files."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from dialogue.content.cases import ContentError, load_cases, load_diagnoses, load_model
from dialogue.content.importers import import_3mdbench, import_agentclinic, main, write_cases
from dialogue.content.labels import LabelSet
from dialogue.schema import Case

FIXTURES = Path(__file__).resolve().parent / "fixtures"
AGENTCLINIC = FIXTURES / "agentclinic_osce.jsonl"


@pytest.fixture(scope="module")
def labels() -> LabelSet:
    return LabelSet(load_diagnoses())


def red_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (255, 0, 0)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def mdbench(tmp_path: Path) -> Path:
    """A 3MDBench-layout parquet file under data/, as the Hugging Face download has it."""
    rows = [
        {
            "image": {"bytes": red_png(), "path": "x.png"},
            "general_complaint": "I have a painful red bump on my eyelid.",
            "complaints": ["It started two days ago.", "It hurts when I blink."],
            "diagnosis": "stye",
            "personality": "choleric",
        },
        {
            "image": None,
            "general_complaint": "My skin is covered in itchy welts.",
            "complaints": ["They come and go within hours."],
            "diagnosis": "Urticaria",
            "personality": "sanguine",
        },
        {
            "image": None,
            "general_complaint": "My toenail digs into the skin.",
            "complaints": ["The side of the toe is swollen.", "It hurts in shoes.", "I cut my nails short."],
            "diagnosis": "ingrown toenail",
            "personality": "phlegmatic",
        },
        {
            "image": None,
            "general_complaint": "My eyes are red.",
            "complaints": [],
            "diagnosis": None,
            "personality": "melancholic",
        },
        {
            "image": None,
            "general_complaint": "My big toe joint is swollen and very painful.",
            "complaints": ["It started overnight."],
            "diagnosis": "gout",
            "personality": "choleric",
        },
    ]
    path = tmp_path / "src" / "data" / "train-00000-of-00001.parquet"
    path.parent.mkdir(parents=True)
    pd.DataFrame(rows).to_parquet(path, engine="pyarrow")
    return tmp_path / "src"


def test_3mdbench_import_counts_labels_and_errors(mdbench: Path, labels: LabelSet) -> None:
    result = import_3mdbench(mdbench, labels)
    assert [c.id for c in result.cases] == ["3mdbench-00000", "3mdbench-00001", "3mdbench-00002"]
    assert [c.diagnosis for c in result.cases] == ["stye", "hives", "ingrown nail"]
    assert len(result.errors) == 2
    assert result.errors[0] == "row 3: diagnosis: missing"
    assert result.errors[1].startswith("row 4: diagnosis: 'gout'")

    first = result.cases[0]
    assert first.general_complaint == "I have a painful red bump on my eyelid."
    assert first.title.endswith("(3MDBench temperament: choleric)")
    assert [(f.id, f.category) for f in first.facts] == [
        ("complaint-1", "hpi"),
        ("complaint-2", "hpi"),
        ("unstated-1", "review_of_systems"),
    ]
    assert first.facts[1].patient_says == "It hurts when I blink."
    assert first.sources[0] == "3MDBench (univanxx/3mdbench), row 0"
    assert any("placeholder" in s for s in first.sources)
    assert [f.id for f in result.cases[1].facts] == ["complaint-1", "unstated-1", "unstated-2"]
    assert first.image == "3mdbench-00000.png" and result.cases[1].image is None
    assert set(result.images) == {"3mdbench-00000"}


def test_3mdbench_accepts_a_single_file_and_string_complaints(tmp_path: Path, labels: LabelSet) -> None:
    path = tmp_path / "one.parquet"
    row = {
        "general_complaint": "My gums bleed.",
        "complaints": "When I brush.\nFor a month.",
        "diagnosis": "gingivitis",
    }
    pd.DataFrame([row]).to_parquet(path)
    result = import_3mdbench(path, labels)
    assert result.errors == []
    assert [f.statement for f in result.cases[0].facts[:2]] == ["When I brush.", "For a month."]


def test_3mdbench_missing_source_and_saved_dataset_without_datasets(
    tmp_path: Path, labels: LabelSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ContentError, match="not found"):
        import_3mdbench(tmp_path / "nope", labels)
    saved = tmp_path / "saved"
    saved.mkdir()
    (saved / "dataset_dict.json").write_text('{"splits": ["train"]}')
    with pytest.raises(ContentError, match="save_to_disk folder"):  # `datasets` is there, the folder is broken
        import_3mdbench(saved, labels)
    monkeypatch.setitem(sys.modules, "datasets", None)  # as on a machine without the optional package
    with pytest.raises(ContentError, match="pip install datasets"):
        import_3mdbench(saved, labels)


def test_3mdbench_written_cases_reload_with_images(mdbench: Path, labels: LabelSet, tmp_path: Path) -> None:
    out = tmp_path / "out"
    written = write_cases(import_3mdbench(mdbench, labels), out, labels)
    assert sorted(p.name for p in written) == [
        "3mdbench-00000.png",
        "3mdbench-00000.yaml",
        "3mdbench-00001.yaml",
        "3mdbench-00002.yaml",
        "caseset.yaml",
        "import_report.md",
    ]
    case = load_model(out / "3mdbench-00000.yaml", Case)
    assert case.image == "3mdbench-00000.png"
    with Image.open(out / case.image) as img:
        assert img.size == (16, 16) and img.getpixel((0, 0)) == (255, 0, 0)
    cases, errors = load_cases(out, labels=labels)
    assert errors == [] and len(cases) == 3
    assert Path(cases["3mdbench-00000"].image or "").is_file()


def test_agentclinic_import(labels: LabelSet) -> None:
    result = import_agentclinic(AGENTCLINIC, labels)
    assert [c.id for c in result.cases] == ["agentclinic-0001", "agentclinic-0002"]
    assert [c.diagnosis for c in result.cases] == ["shingles", "myasthenia gravis"]
    assert len(result.errors) == 1 and result.errors[0].startswith("line 3: (json): invalid JSON")
    assert result.case_set is not None and result.case_set.diagnosis_space == "open"

    zoster, mg = result.cases
    assert (zoster.demographics.age, zoster.demographics.sex) == (68, "male")
    assert (mg.demographics.age, mg.demographics.sex) == (34, "female")
    assert zoster.general_complaint == "I have painful rash on the left side of the chest."
    cats = [f.category for f in zoster.facts]
    assert cats == ["hpi", "hpi", "hpi", "hpi", "past_history", "social"]  # the denying review is a negative
    assert zoster.facts[1].patient_says == "Yes, burning and tingling pain before the rash appeared."
    assert "Vital Signs - Heart Rate: 82 bpm" in zoster.exam_findings  # for the measurement seat, not facts
    assert "PCR of Vesicle Fluid: Positive for varicella-zoster virus DNA" in zoster.test_results
    assert "Tzanck Smear - Findings: Multinucleated giant cells" in zoster.test_results
    assert (
        zoster.sources[0].startswith("AgentClinic OSCE (samuelschmidgall/agentclinic") and "line 1" in zoster.sources[0]
    )


def test_agentclinic_bad_records_name_line_and_field(tmp_path: Path, labels: LabelSet) -> None:
    good = AGENTCLINIC.read_text(encoding="utf-8").splitlines()[0]
    src = tmp_path / "bad.jsonl"
    src.write_text(
        "\n".join(
            [
                good.replace('"68-year-old male"', '"elderly person"'),
                good.replace('"Herpes zoster"', '""'),
                '{"OSCE_Examination": {}}',
                "[1, 2]",
            ]
        ),
        encoding="utf-8",
    )
    result = import_agentclinic(src, labels)
    assert result.cases == []
    assert result.errors[0].startswith("line 1: Patient_Actor.Demographics: cannot parse")
    assert result.errors[1] == "line 2: Correct_Diagnosis: missing"
    assert result.errors[2] == "line 3: OSCE_Examination.Patient_Actor: missing"
    assert result.errors[3] == "line 4: (top level): expected a JSON object"


def test_agentclinic_out_of_set_cases_load_as_an_open_set(labels: LabelSet, tmp_path: Path) -> None:
    """Was: an out-of-set diagnosis made the case unloadable (and the run died with a traceback)."""
    out = tmp_path / "out"
    write_cases(import_agentclinic(AGENTCLINIC, labels), out, labels)
    for p in sorted(out.glob("agentclinic-*.yaml")):
        load_model(p, Case)
    cases, errors = load_cases(out, labels=labels, skip_bad=True)  # the caseset.yaml says: open
    assert set(cases) == {"agentclinic-0001", "agentclinic-0002"} and errors == []


def test_cli_exit_codes(mdbench: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["3mdbench", str(mdbench), "--out", str(tmp_path / "a")]) == 0
    out = capsys.readouterr().out
    assert "imported 3 case(s)" in out and "ERROR: row 3: diagnosis: missing" in out
    assert (tmp_path / "a" / "3mdbench-00000.png").is_file()

    assert main(["agentclinic", str(AGENTCLINIC), "--out", str(tmp_path / "b")]) == 0
    assert "ERROR: line 3" in capsys.readouterr().out

    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    assert main(["agentclinic", str(bad), "--out", str(tmp_path / "c")]) == 1
    assert main(["3mdbench", str(tmp_path / "missing"), "--out", str(tmp_path / "d")]) == 1
    assert "not found" in capsys.readouterr().out
