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
from dialogue.schema import Session, SessionRecord, Status
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


def annotation_queue(store: SessionStore, annotator: str) -> list[Session]:
    """Finished sessions `annotator` has not scored yet, oldest first."""
    done = store.annotated_by(annotator)
    heads = store.headers(store.list_ids(newest_first=False, limit=ALL))
    return [s for s in heads if s.status in DONE and s.id not in done]


def annotated_records(store: SessionStore) -> list[SessionRecord]:
    """Sessions with at least one human annotation."""
    return [store.record(i) for i in store.list_ids(limit=ALL) if store.annotations(i)]
