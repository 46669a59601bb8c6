"""Outside case sets run as they are (issue 15): every real AgentClinic MedQA and NEJM case (MIT, in
tests/data/agentclinic/) imports and runs to a scored end; open diagnosis sets; the measurement seat; 3MDBench
as published and factorial."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dialogue.agents.measurement import NORMAL, NOT_AVAILABLE, answer, findings_for, load_costs, take_requests
from dialogue.batch.run import run_batch
from dialogue.batch.spec import BatchSpec
from dialogue.content.cases import check, load_diagnoses, load_library
from dialogue.content.importers import import_3mdbench, import_agentclinic, import_report, write_cases
from dialogue.content.labels import LabelSet
from dialogue.queries import DONE
from dialogue.runtime import Runtime
from dialogue.settings import Settings
from dialogue.store.sessions import SessionStore
from dialogue.testing.tgi_server import TGIServer

DATA = Path(__file__).resolve().parent / "data" / "agentclinic"
REQUESTS = "scripted:REQUEST EXAM: vital signs|REQUEST TEST: acetylcholine receptor antibodies|FINAL DIAGNOSIS: unknown"


@pytest.fixture(scope="module")
def labels() -> LabelSet:
    return LabelSet(load_diagnoses())


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, labels: LabelSet) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("sets")
    info: dict[str, Any] = {}
    for name in ("medqa", "nejm"):
        result = import_agentclinic(DATA / f"agentclinic_{name}.jsonl", labels)
        write_cases(result, out / name, labels)
        info[name] = (out / name, result)
    return info


@pytest.fixture
def rt(settings: Settings, store: SessionStore, imported: dict[str, Any]) -> Iterator[Runtime]:
    lib = load_library(case_sets=[imported["medqa"][0], imported["nejm"][0]])
    runtime = Runtime(settings, library=lib, store=store)
    yield runtime
    runtime.close()


def test_every_agentclinic_case_imports_in_the_patients_voice(imported: dict[str, Any], labels: LabelSet) -> None:
    medqa, nejm = imported["medqa"][1], imported["nejm"][1]
    assert len(medqa.cases) == 107 and medqa.errors == []  # was 98: newborns and unnamed sexes were refused
    assert len(nejm.cases) == 15 and nejm.errors == []  # was refused line by line
    for case in medqa.cases + nejm.cases:
        for said in [case.general_complaint, case.narrative, *(f.patient_says for f in case.facts)]:
            assert not said.lower().startswith(("the patient", "for your role")), (case.id, said)
    children = [c for c in medqa.cases if c.speaker == "parent"]
    assert len(children) >= 8 and all(c.demographics.age < 13 for c in children)
    assert any(f.category == "medications" for c in medqa.cases for f in c.facts)
    assert all(c.answer_options and any(c.diagnosis in o.lower() for o in c.answer_options) for c in nejm.cases)
    assert all(c.image_url and c.image_url.startswith("https://") and c.image is None for c in nejm.cases)
    for name in ("medqa", "nejm"):  # the check lists nothing the import report did not announce
        folder, result = imported[name]
        _, announced = import_report(result, labels)
        assert set(check(folder).problems) <= set(announced)
        assert (folder / "import_report.md").read_text().count("| agentclinic") == len(result.cases)


async def test_every_case_runs_to_a_scored_end_with_exams_and_tests(rt: Runtime) -> None:
    """Was: 94% of the cases could not be run (a 33-line traceback), and exam and test results were never
    reachable in a consultation."""
    cases = [c for c in rt.library.case_ids if rt.library.case_set(c).id.startswith("agentclinic")]
    assert len(cases) == 122
    for c in cases:  # the doctor answering with the right option as written is right
        case = rt.library.cases[c]
        right = [o for o in case.answer_options if rt.library.labels.normalize(o) == case.diagnosis]
        assert not case.answer_options or len(right) == 1, (c, case.diagnosis, case.answer_options)
    spec = BatchSpec(cases=cases, temperaments=["sanguine"], doctors=["reference", REQUESTS], concurrency=16)
    results = await run_batch(rt, spec, spec.run_id())
    assert len(results) == 244 and not [r for r in results if r.error]
    assert all(r.status in DONE and rt.store.assessment(r.session_id) for r in results)
    scripted = next(r for r in results if r.job.doctor == REQUESTS and r.job.case_id == "agentclinic-0001")
    turns = rt.store.turns(scripted.session_id)
    assert [t.seat for t in turns] == ["patient", "doctor", "measurement", "doctor", "measurement", "doctor"]
    exam, test = turns[1].requests[0], turns[3].requests[0]
    assert exam.found and "Blood Pressure: 125/80 mmHg" in exam.result and exam.cost == 0
    assert test.found and "Present (elevated)" in test.result and test.cost == load_costs().price("test", test.what)
    s = rt.store.get(scripted.session_id)
    assert s.case_set == "agentclinic-medqa" and s.diagnosis_space == "open"
    from dialogue import queries
    from dialogue.scoring import information, report

    df = report.summary_rows(
        queries.finished_summaries(rt.store, rt.library.labels), rt.library.labels, queries.truths(rt.library)
    )
    costs = information.cost_table(df).set_index("doctor")
    assert costs.loc["scripted", "requests per session"] == 2.0 and costs.loc["scripted", "cost per session ($)"] > 0
    assert report.leaderboard(df)["weighted F1 (%)"].str.startswith("n/a (open set)").all()  # accuracy only


def test_measurement_seat_answers_from_the_case_or_normal(labels: LabelSet) -> None:
    case = import_agentclinic(DATA / "agentclinic_medqa.jsonl", labels).cases[0]  # myasthenia gravis
    assert findings_for("test", "complete blood count", case) == []  # "blood" alone is not a match
    assert answer(case, "test", "complete blood count", in_person=True).result == NORMAL
    assert answer(case, "test", "CT of the chest", in_person=True).cost == 500
    assert len(findings_for("exam", "vital signs", case)) == 4 and findings_for("exam", "full physical exam", case)
    remote = answer(case, "exam", "vital signs", in_person=False)
    assert remote.result == NOT_AVAILABLE and remote.cost == 0
    said, asked = take_requests("Any double vision?\nREQUEST TEST: EMG\n- request exam: cranial nerves")
    assert said == "Any double vision?" and asked == [("test", "EMG"), ("exam", "cranial nerves")]


async def test_the_patient_never_sees_exam_results(rt: Runtime, tgi: TGIServer) -> None:
    def respond(messages: list[dict[str, Any]]) -> str:
        if "experienced doctor" not in str(messages[0]["content"]):
            return "It started a month ago."
        if sum(m["role"] == "assistant" for m in messages) == 0:
            return "When did it start?\nREQUEST TEST: acetylcholine receptor antibodies"
        return "FINAL DIAGNOSIS: Myasthenia gravis (MG)"

    tgi.responder = respond
    c = rt.new_consultation("agentclinic-0001", "sanguine", doctor=f"tgi:{tgi.url()}", patient=f"tgi:{tgi.url()}")
    [e async for e in c.run()]
    bodies = [json.dumps(r["body"]) for r in tgi.requests]
    patient_side = [b for b in bodies if "experienced doctor" not in b]
    assert patient_side and not any("elevated" in b for b in patient_side)
    assert any("elevated" in b for b in bodies if "experienced doctor" in b)  # the doctor got it
    assert any("REQUEST EXAM: <what>" in b for b in bodies if "experienced doctor" in b)  # in-person: offered
    s = rt.store.get(c.session.id)
    assert s.final_diagnosis == "myasthenia gravis" and rt.store.assessment(c.session.id).diagnosis_correct  # type: ignore[union-attr]


async def test_an_open_set_answer_is_judged_by_the_matcher_when_synonyms_miss(rt: Runtime, tgi: TGIServer) -> None:
    tgi.responder = lambda m: '{"same": true, "evidence": "MG is the same autoimmune disease"}'
    rt.settings.dx_matcher = f"tgi:{tgi.url()}"
    c = rt.new_consultation("agentclinic-0001", "sanguine", doctor="scripted:FINAL DIAGNOSIS: autoimmune MG")
    [e async for e in c.run()]
    a = rt.store.assessment(c.session.id)
    assert a is not None and a.diagnosis_match and a.diagnosis_match["same"] is True and a.diagnosis_correct
    assert rt.store.get(c.session.id).final_diagnosis_raw == "autoimmune MG"


@pytest.fixture
def mdbench_set(tmp_path: Path, labels: LabelSet) -> Path:
    """The committed 3MDBench-layout rows (tests/data/3mdbench/), plus a corrupt shard beside them."""
    src = tmp_path / "src"
    shutil.copytree(Path(__file__).resolve().parent / "data" / "3mdbench", src)
    (src / "train-00001-of-00002.parquet").write_bytes(b"PAR1 this shard is corrupt")
    result = import_3mdbench(src, labels)
    assert [c.published_temperament for c in result.cases] == ["choleric", "melancholic", "phlegmatic", "sanguine"]
    assert len(result.errors) == 1 and "train-00001-of-00002.parquet" in result.errors[0]  # reported, others kept
    write_cases(result, tmp_path / "set", labels)
    assert "image_description" in (tmp_path / "set" / "import_report.md").read_text()  # a photo, no description
    return tmp_path / "set"


async def test_3mdbench_runs_as_published_and_factorial(
    settings: Settings, store: SessionStore, mdbench_set: Path
) -> None:
    rt = Runtime(settings, library=load_library(case_sets=[mdbench_set]), store=store)
    try:
        cases = ["3mdbench-00000", "3mdbench-00001", "3mdbench-00002", "3mdbench-00003"]
        published = {c: rt.library.cases[c].published_temperament or "" for c in cases}
        as_published = BatchSpec(cases=cases, temperaments=["published"], published=published, doctors=["reference"])
        results = await run_batch(rt, as_published, as_published.run_id())
        assert sorted((r.job.case_id, r.job.temperament) for r in results) == sorted(published.items())
        assert all(rt.store.get(r.session_id).temperament == published[r.job.case_id] for r in results)
        factorial = BatchSpec(cases=cases, doctors=["reference"])
        assert len(factorial.jobs()) == 16 and factorial.run_id() != as_published.run_id()
    finally:
        rt.close()


def test_measurement_seat_smoke_on_the_dev_items() -> None:
    """The bench (bench/measurement_seat.py, items by an independent hand) in small: on the dev items the seat
    returns exactly the expected entries for at least four requests in five."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from measurement_seat import score

    table, _ = score("dev", 0)
    row = table.strip().splitlines()[-1].split("|")
    assert float(row[3]) >= 80.0 and float(row[7].split()[0]) >= 90.0, table


async def test_competence_says_must_ask_is_na_when_the_case_lists_none(rt: Runtime) -> None:
    """Seen on an imported case (no must-ask items): the rules competence said "must-ask 100%"."""
    c = rt.new_consultation("agentclinic-0001", "sanguine", doctor="scripted:FINAL DIAGNOSIS: myasthenia gravis")
    [e async for e in c.run()]
    a = rt.store.assessment(c.session.id)
    why = next(v.explanation for v in a.verdicts if v.item_id == "competence")  # type: ignore[union-attr]
    assert "must-ask n/a" in why and "must-ask 100%" not in why
