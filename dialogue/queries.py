"""Read-only questions front ends and reports ask of the store: which sessions match a filter, which are
finished (with the diagnosis each case truly has), which an annotator still has to score.

One place for each query, so the browser's Sessions and Results tabs, the annotator's queue, the report CLI
and the batch summary all count the same sessions the same way.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from pydantic import BaseModel

from dialogue.content.cases import Library
from dialogue.content.labels import LabelSet
from dialogue.schema import Session, SessionRecord, SessionSummary, Status
from dialogue.store.sessions import SessionStore

DONE: tuple[Status, ...] = ("ended", "capped")
"""Statuses of a consultation that has finished and can be scored."""
ALL = 100_000
"""Upper bound on sessions one query reads."""


class SessionFilter(BaseModel):
    """The Sessions tab's filter; every field's default matches everything."""

    status: str = "any"
    case_contains: str = ""
    temperament: str = "any"
    model_contains: str = ""
    days: float = 0

    def matches(self, s: Session, now: float) -> bool:
        cutoff = now - self.days * 86400 if self.days else 0
        return (
            (self.status == "any" or s.status == self.status)
            and (not self.case_contains or self.case_contains.lower() in s.case_id.lower())
            and (self.temperament == "any" or s.temperament == self.temperament)
            and (not self.model_contains or self.model_contains.lower() in s.doctor.model.lower())
            and s.created_at >= cutoff
        )


def find_sessions(store: SessionStore, f: SessionFilter, *, limit: int = 5000) -> list[Session]:
    """Session headers matching `f`, newest first."""
    now = time.time()
    return [s for s in store.headers(store.list_ids(limit=limit)) if f.matches(s, now)]


def records(store: SessionStore, run_id: str | None = None) -> list[SessionRecord]:
    """Every stored session with its turns and scores (one run's, when `run_id` is given)."""
    ids = sorted(store.run_ids(run_id)) if run_id else store.list_ids(limit=ALL)
    return [store.record(i) for i in ids]


def finished(recs: Iterable[SessionRecord]) -> list[SessionRecord]:
    return [r for r in recs if r.session.status in DONE]


def truths(lib: Library) -> dict[str, str]:
    """Case id -> the diagnosis it truly has. For scoring only: never handed to a patient or a doctor."""
    return {c.id: c.diagnosis for c in lib.cases.values()}


def annotation_queue(store: SessionStore, annotator: str, per_session: int = 0) -> list[Session]:
    """Finished sessions `annotator` has not scored yet, oldest first; with `per_session` = k > 0, only those
    that still need annotators (fewer than k), so every session gets k for agreement before any gets more."""
    done = store.annotated_by(annotator)
    heads = store.headers(store.list_ids(newest_first=False, limit=ALL))
    todo = [s for s in heads if s.status in DONE and s.id not in done]
    if per_session > 0:
        counts = store.annotation_counts([s.id for s in todo])
        todo = [s for s in todo if counts[s.id] < per_session]
    return todo


def annotated_records(store: SessionStore) -> list[SessionRecord]:
    """Sessions with at least one human annotation (counted in one round trip, not one read per session)."""
    ids = store.list_ids(limit=ALL)
    counts = store.annotation_counts(ids)
    return [store.record(i) for i in ids if counts[i]]


def summarize(r: SessionRecord, labels: LabelSet | None = None) -> SessionSummary:
    """The result-table facts of one session (no truth: that is joined from the case library when scored).
    With `labels`, the labels the doctor's last message names are read once here, not on every view."""
    s, a = r.session, r.assessment
    last = next((t.text for t in reversed(r.turns) if t.seat == "doctor" and not t.cut), "")
    named = None if labels is None else labels.find_labels(last)
    if named is not None and s.final_diagnosis in named:
        named.remove(s.final_diagnosis)
    if named is not None and s.final_diagnosis:
        named.insert(0, s.final_diagnosis)
    doctor = [t for t in r.turns if t.seat == "doctor" and not t.cut]
    return SessionSummary(
        id=s.id,
        run_id=s.run_id,
        case_id=s.case_id,
        temperament=s.temperament,
        axes=s.axes,
        seed=s.seed,
        doctor=s.doctor.model,
        patient=s.patient.model,
        strategy=s.strategy,
        case_set=s.case_set,
        diagnosis_space=s.diagnosis_space,
        status=s.status,
        final_raw=s.final_diagnosis_raw,
        final=s.final_diagnosis,
        last_doctor=last[:2000],
        named=named,
        turns=len(r.turns),
        doctor_turns=sum(1 for t in r.turns if t.seat == "doctor" and not t.cut),
        tokens=sum(t.tokens for t in r.turns),
        leak_events=s.leak_events,
        rubric=a.rubric_score if a else None,
        coverage=a.must_ask_coverage if a else None,
        red_flag_points=a.red_flag_points if a else None,
        ungradable=a.ungradable if a else None,
        sim_flags=len(a.simulator_flags) if a else 0,
        consultation_score=a.consultation_score if a else None,
        safety_failures=len(a.safety_failures) if a else 0,
        items={v.item_id: v.value for v in a.verdicts} if a else {},
        interims=[t.interim.label if t.interim else None for t in doctor],
        confidences=[t.interim.confidence if t.interim else None for t in doctor],
        abstained=[bool(t.interim and t.interim.source == "abstain") for t in doctor],
        asked=[asks_something(t.text) for t in doctor],
        tests=sum(len(t.requests) for t in doctor),
        test_cost=round(sum(r.cost for t in doctor for r in t.requests), 2),
        annotators=len(r.annotations),
        created_at=s.created_at,
    )


def asks_something(text: str) -> bool:
    """A doctor turn that asks the patient something (a question mark outside its final-diagnosis line)."""
    return "?" in text.split("FINAL DIAGNOSIS")[0]


def finished_summaries(store: SessionStore, labels: LabelSet | None = None) -> list[SessionSummary]:
    """Every finished session's summary from the summaries hash (one read); a finished session without one
    (finished before summaries existed) is summarised from its record once and stored."""
    have = store.summaries()
    if not store.flag("summaries-complete"):  # once per store: sessions finished before summaries existed
        missing = [s for s in store.headers(store.list_ids(limit=ALL)) if s.status in DONE and s.id not in have]
        for s in missing:
            have[s.id] = summarize(store.record(s.id), labels)
            store.save_summary(have[s.id])
        store.set_flag("summaries-complete")
    return [x for x in have.values() if x.status in DONE]
