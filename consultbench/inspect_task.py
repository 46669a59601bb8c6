"""ConsultBench from Inspect: the doctor seat is Inspect's model under test; the patient and the assessor are
ConsultBench's; every consultation is also written to Redis, so the app can open it.

    inspect eval consultbench/consultation --model openai-api/<service>/<model> \\
        -T cases=dev -T patient=grounded -T assessor=rules -T strategy=dialogue -T epochs=2

Each sample is a case x temperament (x axes); each epoch is a seed. Per sample the score holds `correct`, the
`consultation` score and every rubric item (yes = 1; a scale item by its position; ungradable = NaN, left out
of the means); the metrics are accuracy with its standard error, 3MDBench's weighted F1 over closed-set
samples, and the means; with epochs > 1 the epochs are reduced to their mean and to pass^k (all k right).
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from typing import Any

from inspect_ai import Epochs, Task, task
from inspect_ai.dataset import Sample
from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageSystem,
    ChatMessageUser,
    GenerateConfig,
    ModelOutput,
    get_model,
)
from inspect_ai.scorer import (
    Metric,
    SampleScore,
    Score,
    Target,
    accuracy,
    mean_score,
    metric,
    pass_k,
    scorer,
    stderr,
)
from inspect_ai.solver import Generate, TaskState, solver

from dialogue.backends import BackendError, GenRequest
from dialogue.content.cases import load_rubrics
from dialogue.runtime import Runtime
from dialogue.schema import TEMPERAMENTS, Session
from dialogue.settings import Settings

_RUNTIMES: dict[str, Runtime] = {}


def runtime(assessor: str) -> Runtime:
    """One runtime per assessor spec for the whole Inspect process (settings from the environment)."""
    if assessor not in _RUNTIMES:
        settings = Settings.from_env()
        settings.assessor = assessor
        _RUNTIMES[assessor] = Runtime(settings)
    return _RUNTIMES[assessor]


class InspectBackend:
    """Inspect's model under test behind ConsultBench's backend protocol (one answer per request)."""

    name = "inspect"
    accepts_images = False

    def __init__(self, model: Any):
        self._model = model
        self.model = str(model)

    async def stream(self, req: GenRequest) -> AsyncIterator[str]:
        kinds = {"system": ChatMessageSystem, "assistant": ChatMessageAssistant, "user": ChatMessageUser}
        messages = [kinds[m["role"]](content=str(m["content"])) for m in req.messages]
        config = GenerateConfig(max_tokens=req.max_tokens, temperature=req.temperature, seed=req.seed)
        try:
            out = await self._model.generate(messages, config=config)
        except Exception as e:  # Inspect's provider errors: one BackendError, as for every backend
            raise BackendError(f"Inspect model failed: {type(e).__name__}: {e}", url=self.model) from e
        if out.completion:
            yield out.completion


def samples(rt: Runtime, cases: str | list[str], temperaments: str | list[str], limit: int | None) -> list[Sample]:
    """Case x temperament samples: `cases` is a split (dev, heldout), `all`, a case-set id or comma-separated
    case ids; `temperaments` is `all` or comma-separated."""
    lib = rt.library
    if isinstance(cases, list | tuple):  # Inspect reads "-T cases=a,b" as a list
        cases = ",".join(map(str, cases))
    if isinstance(temperaments, list | tuple):
        temperaments = ",".join(map(str, temperaments))
    if cases in ("dev", "heldout"):
        ids = [c for c in lib.case_ids if lib.cases[c].split == cases]
    elif cases == "all":
        ids = list(lib.case_ids)
    elif cases in lib.sets:
        ids = [c for c in lib.case_ids if lib.case_set(c).id == cases]
    else:
        ids = [c.strip() for c in cases.split(",") if c.strip()]
        unknown = [c for c in ids if c not in lib.cases]
        if unknown:
            raise ValueError(f"unknown case ids {unknown[:5]}")
    temps = list(TEMPERAMENTS) if temperaments == "all" else [t.strip() for t in temperaments.split(",")]
    out = [
        Sample(
            id=f"{c}|{t}",
            input=lib.cases[c].general_complaint,
            metadata={"case_id": c, "temperament": t, "case_set": lib.case_set(c).id},
        )
        for c in ids
        for t in temps
    ]
    return out[:limit] if limit else out


@solver
def consult(patient: str, assessor: str, strategy: str, max_turns: int) -> Any:
    async def solve(state: TaskState, generate: Generate) -> TaskState:
        rt = runtime(assessor)
        model = get_model()
        c = rt.new_consultation(
            state.metadata["case_id"],
            state.metadata["temperament"],
            patient=patient,
            strategy=strategy,
            max_turns=max_turns,
            seed=state.epoch,
            run_id=f"inspect-{state.sample_id}",
            doctor_backend=InspectBackend(model),
        )
        c.watched = False
        async for _ in c.run():
            pass
        turns = [t for t in c.turns if not t.cut]
        messages: list[ChatMessage] = [ChatMessageSystem(content=c.session.doctor.system_prompt)]
        messages += [
            ChatMessageAssistant(content=t.text) if t.seat == "doctor" else ChatMessageUser(content=t.text)
            for t in turns
        ]
        state.messages = messages
        last = next((t.text for t in reversed(turns) if t.seat == "doctor"), "")
        state.output = ModelOutput.from_content(model=str(model), content=last)
        state.metadata["session_id"] = c.session.id
        return state

    return solve


@metric
def weighted_f1() -> Metric:
    """3MDBench's weighted F1 over the closed-set samples (NaN when there are none)."""

    def compute(scores: list[SampleScore]) -> float:
        from dialogue.scoring.metrics import weighted_f1 as f1

        pairs = [
            (s.score.metadata["truth"], s.score.metadata["preds"])
            for s in scores
            if s.score.metadata and s.score.metadata.get("closed")
        ]
        value = f1([t for t, _ in pairs], [p for _, p in pairs]) if pairs else None
        return float("nan") if value is None else float(value)

    return compute


@metric
def nanmean() -> Metric:
    def compute(scores: list[SampleScore]) -> float:
        vals = [v for s in scores if not math.isnan(v := float(s.score.as_float()))]
        return sum(vals) / len(vals) if vals else float("nan")

    return compute


RUBRIC = load_rubrics()["dialogue_quality"]
"""The rubric whose items are scored per sample (its ids are the score keys Inspect shows)."""


@scorer(
    metrics={
        "correct": [accuracy(), stderr(), weighted_f1()],
        "consultation": [nanmean()],
        **{i.id: [nanmean()] for i in RUBRIC.items},
    }
)
def consultbench_score(assessor: str) -> Any:
    async def score(state: TaskState, target: Target) -> Score:
        rt = runtime(assessor)
        sid = state.metadata["session_id"]
        s: Session = rt.store.get(sid)
        a = rt.store.assessment(sid)
        case = rt.library.cases[s.case_id]
        verdicts = {v.item_id: v.value for v in a.verdicts} if a else {}
        value: dict[str, float] = {"correct": float(s.final_diagnosis == case.diagnosis)}
        value["consultation"] = a.consultation_score if a and a.consultation_score is not None else float("nan")
        for item in RUBRIC.items:
            v = verdicts.get(item.id)
            if v is None:
                value[item.id] = float("nan")
            elif item.kind == "scale":
                value[item.id] = item.scale.index(str(v)) / max(1, len(item.scale) - 1)
            else:
                value[item.id] = float(v is True)
        return Score(
            value=value,
            answer=s.final_diagnosis_raw or "",
            explanation=f"truth {case.diagnosis}; session {sid} (open it in the app's Sessions tab)",
            metadata={
                "truth": case.diagnosis,
                "preds": rt.library.labels.normalize_all(s.final_diagnosis_raw),
                "closed": s.diagnosis_space == "closed",
                "session_id": sid,
            },
        )

    return score


@task
def consultation(
    cases: str | list[str] = "dev",
    temperaments: str | list[str] = "all",
    patient: str = "grounded",
    assessor: str = "rules",
    strategy: str = "dialogue",
    max_turns: int = 14,
    epochs: int = 1,
    limit: int | None = None,
) -> Task:
    """A simulated consultation per case x temperament; the model under test is the doctor."""
    rt = runtime(assessor)
    return Task(
        dataset=samples(rt, cases, temperaments, limit),
        solver=consult(patient, assessor, strategy, max_turns),
        scorer=consultbench_score(assessor),
        epochs=Epochs(epochs, [mean_score(), pass_k(epochs)]) if epochs > 1 else 1,
    )
