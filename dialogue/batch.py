"""Headless batch runs: cases x temperaments x axes x seeds x doctor models, concurrently, resumably.

`python -m dialogue batch ...` runs N consultations at once in one process (asyncio), with a progress bar;
`python -m dialogue batch --queue ...` puts them on an arq queue in Redis instead, for
`python -m dialogue worker` processes on any number of machines, and follows their progress.

Every consultation's session id is derived from the run id and its job (case, temperament, axes, seed,
doctor), so rerunning the same command finds its sessions: finished ones are skipped, interrupted ones
resumed from their last written turn. Appends are checked against the turn count, so a job picked up
twice (a worker killed mid-run) never duplicates or interleaves turns.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import json
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, field_validator

from .queries import DONE
from .runtime import Runtime
from .schema import TEMPERAMENTS, Failed, SessionRecord, TurnDone
from .seats import check_spec
from .settings import Settings
from .store import NotFound, StoreError


class Job(BaseModel, frozen=True):
    case_id: str
    temperament: str
    axes: tuple[str, ...] = ()
    seed: int
    doctor: str

    def key(self) -> str:
        return json.dumps([self.case_id, self.temperament, list(self.axes), self.seed, self.doctor])

    def session_id(self, run_id: str) -> str:
        """132 bits derived from run and job: the same command finds the same sessions."""
        digest = hashlib.sha256(f"{run_id}|{self.key()}".encode()).digest()
        return base64.urlsafe_b64encode(digest).decode()[:22]


class BatchSpec(BaseModel):
    cases: list[str]
    temperaments: list[str] = list(TEMPERAMENTS)
    axes: list[tuple[str, ...]] = [()]
    seeds: list[int] = [0]
    doctors: list[str]
    patient: str = "grounded"
    assessor: str = "rules"
    max_turns: int = 14
    concurrency: int = 32

    @field_validator("doctors")
    @classmethod
    def _doctor_seats(cls, v: list[str]) -> list[str]:
        return [check_spec(d, "doctor") for d in v]

    @field_validator("patient")
    @classmethod
    def _patient_seat(cls, v: str) -> str:
        return check_spec(v, "patient")

    def jobs(self) -> list[Job]:
        return [
            Job(case_id=c, temperament=t, axes=tuple(sorted(a)), seed=s, doctor=d)
            for d in self.doctors
            for c in self.cases
            for t in self.temperaments
            for a in self.axes
            for s in self.seeds
        ]

    def run_id(self) -> str:
        """Default run id: a hash of everything that defines the run (concurrency excluded)."""
        body = self.model_dump(exclude={"concurrency"})
        return "run-" + hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]


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
            )
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
    except (StoreError, ValueError, NotFound) as e:
        return JobResult(job, sid, "error", error=str(e), seconds=time.monotonic() - t0)


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


# --------------------------------------------------------------------------- export


def prompt_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def export_rows(records: Sequence[SessionRecord], truths: dict[str, str]) -> pd.DataFrame:
    """One row per session: transcript, scores, model ids, prompt hashes, seeds, timings, token counts."""
    rows = []
    for r in records:
        s, a = r.session, r.assessment
        rows.append(
            {
                "session_id": s.id,
                "run_id": s.run_id,
                "case_id": s.case_id,
                "truth": truths.get(s.case_id),
                "temperament": s.temperament,
                "axes": ",".join(s.axes),
                "seed": s.seed,
                "doctor_model": s.doctor.model,
                "doctor_prompt_hash": prompt_hash(s.doctor.system_prompt),
                "doctor_params": json.dumps(s.doctor.params),
                "patient_model": s.patient.model,
                "patient_prompt_hash": prompt_hash(s.patient.system_prompt),
                "status": s.status,
                "ended_by": s.ended_by,
                "final_diagnosis_raw": s.final_diagnosis_raw,
                "final_diagnosis": s.final_diagnosis,
                "correct": s.final_diagnosis == truths.get(s.case_id),
                "turns": len(r.turns),
                "doctor_tokens": sum(t.tokens for t in r.turns if t.seat == "doctor"),
                "patient_tokens": sum(t.tokens for t in r.turns if t.seat == "patient"),
                "seconds": round(max((t.ended_at for t in r.turns), default=s.created_at) - s.created_at, 3),
                "mean_first_token_s": _mean([t.first_token_s for t in r.turns if t.seat == "doctor"]),
                "rubric_score": a.rubric_score if a else None,
                "must_ask_coverage": a.must_ask_coverage if a else None,
                "red_flag_points": a.red_flag_points if a else None,
                "ungradable": a.ungradable if a else None,
                "leak_events": s.leak_events,
                "transcript": json.dumps(
                    [{"seat": t.seat, "text": t.text, "cut": t.cut} for t in r.turns], ensure_ascii=False
                ),
                "verdicts": json.dumps([v.model_dump() for v in a.verdicts]) if a else "[]",
            }
        )
    return pd.DataFrame(rows)


def _mean(xs: list[float | None]) -> float | None:
    vals = [x for x in xs if x is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def write_exports(df: pd.DataFrame, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    jsonl, parquet = out / "sessions.jsonl", out / "sessions.parquet"
    df.to_json(jsonl, orient="records", lines=True, force_ascii=False)
    df.to_parquet(parquet, index=False)
    return [jsonl, parquet]


# --------------------------------------------------------------------------- distributed (arq)


def arq_settings(redis_url: str) -> Any:
    from arq.connections import RedisSettings

    settings = RedisSettings.from_dsn(redis_url)
    settings.conn_timeout = 10  # a worker starting on a busy machine must not die on a 1 s connect timeout
    settings.conn_retries = 10
    return settings


QUEUE = "consultbench:queue"


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, default=repr).encode()


def _loads(raw: bytes) -> Any:
    return json.loads(raw)  # JSON, never pickle, on the shared queue


async def arq_consult(ctx: dict[str, Any], job: dict[str, Any], run_id: str, spec: dict[str, Any]) -> dict[str, Any]:
    """arq task: one consultation, idempotent (resumes its session if it was interrupted)."""
    rt: Runtime = ctx["runtime"]
    r = await run_job(rt, Job.model_validate(job), run_id, BatchSpec.model_validate(spec))
    return {"session_id": r.session_id, "status": r.status, "error": r.error, "skipped": r.skipped}


async def _worker_startup(ctx: dict[str, Any]) -> None:
    ctx["runtime"] = Runtime(Settings.from_env())


async def _worker_shutdown(ctx: dict[str, Any]) -> None:
    ctx["runtime"].close()


def run_worker(redis_url: str, *, max_jobs: int, job_timeout: int, burst: bool = False) -> None:
    from arq.worker import Worker, func

    worker = Worker(
        functions=[func(arq_consult, name="consult", timeout=job_timeout, max_tries=5)],  # type: ignore[arg-type]
        redis_settings=arq_settings(redis_url),
        queue_name=QUEUE,
        on_startup=_worker_startup,
        on_shutdown=_worker_shutdown,
        max_jobs=max_jobs,
        burst=burst,
        poll_delay=0.2,
        handle_signals=True,
        job_serializer=_dumps,
        job_deserializer=_loads,
    )
    worker.run()


async def enqueue(redis_url: str, spec: BatchSpec, run_id: str) -> int:
    """Queue every job; arq's job id is the session id, so a job is never queued twice."""
    from arq import create_pool

    pool = await create_pool(
        arq_settings(redis_url), default_queue_name=QUEUE, job_serializer=_dumps, job_deserializer=_loads
    )
    n = 0
    for job in spec.jobs():
        if await pool.enqueue_job(
            "consult", job.model_dump(), run_id, spec.model_dump(), _job_id=job.session_id(run_id)
        ):
            n += 1
    await pool.aclose()
    return n


# --------------------------------------------------------------------------- command line


def select_cases(rt: Runtime, cases: list[str], split: str | None, labels: list[str], limit: int | None) -> list[str]:
    pool = rt.library.cases
    ids = [c for c in cases if c] or sorted(pool)
    unknown = [c for c in ids if c not in pool]
    if unknown:
        raise SystemExit(f"unknown case ids: {unknown[:5]}")
    if split:
        ids = [c for c in ids if pool[c].split == split]
    if labels:
        ids = [c for c in ids if pool[c].diagnosis in labels]
    return ids[:limit] if limit else ids


def spec_from_args(rt: Runtime, args: argparse.Namespace) -> BatchSpec:
    axes = [tuple(a for a in group.split("+") if a and a != "none") for group in args.axes] if args.axes else [()]
    return BatchSpec(
        cases=select_cases(rt, args.case, args.split, args.label, args.limit),
        temperaments=args.temperament or list(TEMPERAMENTS),
        axes=axes,
        seeds=list(range(args.seeds)),
        doctors=args.doctor or [rt.settings.doctor],
        patient=args.patient or rt.settings.patient,
        assessor=args.assessor or rt.settings.assessor,
        max_turns=args.max_turns or rt.settings.max_turns,
        concurrency=args.concurrency,
    )


def print_summary(rt: Runtime, run_id: str, results: list[JobResult], out: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from . import queries, report

    console = Console()
    records = queries.records(rt.store, run_id)
    truths = queries.truths(rt.library)
    df = report.session_rows(queries.finished(records), rt.library.labels, truths)
    board = report.leaderboard(df)
    table = Table(title=f"run {run_id}: {len(records)} sessions")
    for col in board.columns:
        table.add_column(str(col))
    for _, row in board.iterrows():
        table.add_row(*[str(v) for v in row.tolist()])
    console.print(table)
    failed = [r for r in results if r.error]
    if failed:
        console.print(f"[red]{len(failed)} failed session(s):[/red]")
        for r in failed:
            console.print(f"  {r.job.case_id} {r.job.temperament} {r.job.doctor} ({r.session_id}): {r.error}")
    if out:
        paths = write_exports(export_rows(records, truths), out)
        rep = report.write_report(records, rt.library.labels, rt.library.rubrics["dialogue_quality"], truths, out)
        console.print(f"wrote {', '.join(str(p) for p in [*paths, rep])}")


async def _run_local(rt: Runtime, spec: BatchSpec, run_id: str) -> list[JobResult]:
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(
            "running {task.fields[running]} · failed {task.fields[failed]} · skipped {task.fields[skipped]} · {task.fields[tps]:.0f} tok/s"
        ),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    ) as bar:
        task = bar.add_task(run_id, total=len(spec.jobs()), running=0, failed=0, skipped=0, tps=0.0)

        def update(p: Progress) -> None:
            bar.update(
                task, completed=p.done, running=p.running, failed=p.failed, skipped=p.skipped, tps=p.tokens_per_s
            )

        return await run_batch(rt, spec, run_id, on_update=update)


async def _follow(rt: Runtime, spec: BatchSpec, run_id: str, timeout_s: float) -> list[JobResult]:
    """Follow a queued run until every session is finished (or the timeout)."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    jobs = spec.jobs()
    deadline = time.monotonic() + timeout_s
    with Bar(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("live {task.fields[live]} · failed {task.fields[failed]}"),
        TimeElapsedColumn(),
    ) as bar:
        task = bar.add_task(f"{run_id} (queued)", total=len(jobs), live=0, failed=0)
        while True:
            heads = {s.id: s for s in rt.store.headers([j.session_id(run_id) for j in jobs])}
            done = sum(1 for s in heads.values() if s.status in DONE)
            failed = sum(1 for s in heads.values() if s.status == "error")
            bar.update(task, completed=done, live=len(heads) - done - failed, failed=failed)
            if done + failed >= len(jobs) or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
    out = []
    for j in jobs:
        s = heads.get(j.session_id(run_id))
        out.append(
            JobResult(
                j,
                j.session_id(run_id),
                s.status if s else "missing",
                error=None if s and s.status in DONE else (s.error if s else "not started"),
            )
        )
    return out


def main(argv: list[str]) -> int:
    cmd, *rest = argv
    if cmd == "worker":
        ap = argparse.ArgumentParser(prog="python -m dialogue worker", description="run queued consultations (arq)")
        ap.add_argument("--max-jobs", type=int, default=32, help="consultations at once in this worker")
        ap.add_argument(
            "--job-timeout", type=int, default=1800, help="seconds; a dead worker's job is retried after this + 10 s"
        )
        ap.add_argument("--burst", action="store_true", help="exit when the queue is empty")
        args = ap.parse_args(rest)
        settings = Settings.from_env()
        if not settings.redis_url:
            raise SystemExit("set REDIS_URL to the Redis that holds the queue (workers must share one Redis)")
        run_worker(settings.redis_url, max_jobs=args.max_jobs, job_timeout=args.job_timeout, burst=args.burst)
        return 0
    ap = argparse.ArgumentParser(
        prog="python -m dialogue batch", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--case", action="append", default=[], help="case id (repeatable; default: all)")
    ap.add_argument("--split", choices=["dev", "heldout"], default=None)
    ap.add_argument("--label", action="append", default=[], help="only cases with this diagnosis label (repeatable)")
    ap.add_argument("--limit", type=int, default=None, help="at most this many cases")
    ap.add_argument("--temperament", action="append", choices=TEMPERAMENTS, default=[], help="default: all four")
    ap.add_argument(
        "--axes",
        action="append",
        default=[],
        help="an axis set like 'recall-vague+literacy-limited' or 'none' (repeatable)",
    )
    ap.add_argument("--seeds", type=int, default=1, help="seeds 0..N-1")
    ap.add_argument("--doctor", action="append", default=[], help="doctor spec (repeatable; default $CB_DOCTOR)")
    ap.add_argument("--patient", default=None)
    ap.add_argument("--assessor", default=None)
    ap.add_argument("--max-turns", type=int, default=None)
    ap.add_argument(
        "-n", "--concurrency", type=int, default=32, help="consultations at once (default 32, sized for a TGI endpoint)"
    )
    ap.add_argument("--run-id", default=None, help="default: a hash of the run's definition (so reruns resume)")
    ap.add_argument("--out", type=Path, default=None, help="write sessions.jsonl, sessions.parquet and report.md here")
    ap.add_argument("--queue", action="store_true", help="queue for `python -m dialogue worker` processes and follow")
    ap.add_argument("--follow-timeout", type=float, default=24 * 3600)
    args = ap.parse_args(rest)
    settings = Settings.from_env()
    if args.assessor:
        settings.assessor = args.assessor
    rt = Runtime(settings)
    try:
        spec = spec_from_args(rt, args)
        run_id = args.run_id or spec.run_id()
        print(
            f"run {run_id}: {len(spec.jobs())} consultations ({len(spec.cases)} cases x {len(spec.temperaments)} temperaments x {len(spec.axes)} axis sets x {len(spec.seeds)} seeds x {len(spec.doctors)} doctors)"
        )
        n_texts = rt.warm_embeddings(spec.cases)  # once per machine; cached on disk
        print(f"case texts embedded: {n_texts}")
        if args.queue:
            if rt.redis is not None:
                raise SystemExit("--queue needs REDIS_URL: workers on other machines must reach the same Redis")
            n = asyncio.run(enqueue(rt.store.url, spec, run_id))
            print(f"queued {n} new job(s); following progress (Ctrl-C stops following, not the workers)")
            results = asyncio.run(_follow(rt, spec, run_id, args.follow_timeout))
        else:
            loop = asyncio.new_event_loop()
            main_task = loop.create_task(_run_local(rt, spec, run_id))
            loop.add_signal_handler(signal.SIGINT, main_task.cancel)
            try:
                results = loop.run_until_complete(main_task)
            except asyncio.CancelledError:
                print("\ninterrupted: every completed turn is saved; rerun the same command to resume", file=sys.stderr)
                return 130
            finally:
                loop.close()
        print_summary(rt, run_id, results, args.out)
        return 1 if any(r.error for r in results) else 0
    finally:
        rt.close()
