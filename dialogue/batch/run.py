"""Running a batch in this process: one job (run, resumed or skipped; failures recorded, never raised) and
all of them N at a time, with progress."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from dialogue.backends import BackendError
from dialogue.batch.spec import BatchSpec, Job
from dialogue.queries import DONE
from dialogue.runtime import Runtime
from dialogue.schema import Failed, TurnDone
from dialogue.store.sessions import NotFound, StoreError

log = logging.getLogger(__name__)


@dataclass
class JobResult:
    job: Job
    session_id: str
    status: str
    skipped: bool = False
    error: str | None = None
    tokens: int = 0
    seconds: float = 0.0


@dataclass
class Progress:
    total: int
    done: int = 0
    failed: int = 0
    running: int = 0
    skipped: int = 0
    tokens: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def tokens_per_s(self) -> float:
        return self.tokens / max(1e-6, time.monotonic() - self.started)


async def run_job(
    rt: Runtime, job: Job, run_id: str, spec: BatchSpec, on_tokens: Callable[[int], None] | None = None
) -> JobResult:
    """Run (or resume, or skip) one consultation; failures are recorded, never raised."""
    sid = job.session_id(run_id)
    t0 = time.monotonic()
    try:
        try:
            s = rt.store.get(sid)
            if s.status in DONE and rt.store.assessment(sid) is not None:
                return JobResult(job, sid, s.status, skipped=True)
            c = rt.resume(sid)
        except NotFound:
            hints = await rt.hints_for(job.case_id, spec.hints) if job.strategy == "hints" else None
            c = rt.new_consultation(
                job.case_id,
                job.temperament,
                axes=list(job.axes),
                doctor=job.doctor,
                patient=spec.patient,
                seed=job.seed,
                run_id=run_id,
                max_turns=spec.max_turns,
                session_id=sid,
                strategy=job.strategy,
                hints=hints,
            )
        c.watched = False  # nobody follows a batch turn by turn: each turn's text is handled once, complete
        error = None
        tokens = 0
        # an ended session without its assessment only needs finishing
        gen = c.finish(c.session.ended_by or "cap") if c.session.status in DONE else c.run()  # type: ignore[arg-type]
        async for ev in gen:
            if isinstance(ev, TurnDone):
                tokens += ev.turn.tokens
                if on_tokens:
                    on_tokens(ev.turn.tokens)
            elif isinstance(ev, Failed):
                error = ev.message
        if c.waiting_for_human():
            error = "a seat is human: batch runs need model seats"
        return JobResult(
            job,
            sid,
            c.session.status,
            error=error if c.session.status not in DONE else None,
            tokens=tokens,
            seconds=time.monotonic() - t0,
        )
    except (StoreError, ValueError, NotFound, BackendError) as e:  # a hint model may fail too
        return JobResult(job, sid, "error", error=str(e), seconds=time.monotonic() - t0)
    except Exception as e:  # a bug in one job is that job's failure, not the run's: the others go on
        log.exception("job %s (%s) failed", sid, job.case_id)
        return JobResult(job, sid, "error", error=f"{type(e).__name__}: {e}", seconds=time.monotonic() - t0)


async def run_batch(
    rt: Runtime, spec: BatchSpec, run_id: str, *, on_update: Callable[[Progress], None] | None = None
) -> list[JobResult]:
    """All jobs, `spec.concurrency` at a time. Cancelling leaves every written turn in place."""
    jobs = spec.jobs()
    prog = Progress(total=len(jobs))
    sem = asyncio.Semaphore(spec.concurrency)
    results: list[JobResult] = []

    def tick(n: int) -> None:
        prog.tokens += n
        if on_update:
            on_update(prog)

    async def one(job: Job) -> None:
        async with sem:
            prog.running += 1
            try:
                r = await run_job(rt, job, run_id, spec, tick)
            finally:
                prog.running -= 1
            results.append(r)
            prog.done += 1
            prog.skipped += r.skipped
            prog.failed += r.error is not None
            if on_update:
                on_update(prog)

    await asyncio.gather(*(one(j) for j in jobs))
    return results
