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
import signal
import sys
import time
from pathlib import Path

from pydantic import ValidationError

from dialogue.batch.eventloop import new_loop
from dialogue.batch.queue import enqueue, run_worker
from dialogue.batch.run import JobResult, Progress, run_batch
from dialogue.batch.spec import BatchSpec
from dialogue.queries import DONE
from dialogue.runtime import Runtime
from dialogue.schema import STRATEGIES, TEMPERAMENTS
from dialogue.settings import Settings


def select_cases(
    rt: Runtime,
    cases: list[str],
    split: str | None,
    labels: list[str],
    limit: int | None,
    sets: list[str] | None = None,
) -> list[str]:
    pool = rt.library.cases
    ids = [c for c in cases if c] or sorted(pool)
    unknown = [c for c in ids if c not in pool]
    if unknown:
        raise SystemExit(f"unknown case ids: {unknown[:5]}")
    if sets:
        missing = [s for s in sets if s not in rt.library.sets]
        if missing:
            raise SystemExit(f"unknown case set(s) {missing}: loaded sets are {sorted(rt.library.sets)}")
        ids = [c for c in ids if rt.library.case_set(c).id in sets]
    if split:
        ids = [c for c in ids if pool[c].split == split]
    if labels:
        ids = [c for c in ids if pool[c].diagnosis in labels]
    return ids[:limit] if limit else ids


def spec_from_args(rt: Runtime, args: argparse.Namespace) -> BatchSpec:
    axes = [tuple(a for a in group.split("+") if a and a != "none") for group in args.axes] if args.axes else [()]
    cases = select_cases(rt, args.case, args.split, args.label, args.limit, args.set)
    temperaments = args.temperament or list(TEMPERAMENTS)
    published = {c: t for c in cases if (t := rt.library.cases[c].published_temperament)}
    if "published" in temperaments and not published:
        raise SystemExit("--temperament published: none of these cases has a published temperament (3MDBench has)")
    return BatchSpec(
        cases=cases,
        temperaments=temperaments,
        published=published if "published" in temperaments else {},
        axes=axes,
        seeds=list(range(args.seeds)),
        doctors=args.doctor or [rt.settings.doctor],
        strategies=args.strategy or ["dialogue"],
        hints=args.hints,
        patient=args.patient or rt.settings.patient,
        assessor=args.assessor or rt.settings.assessor,
        max_turns=args.max_turns or rt.settings.max_turns,
        concurrency=args.concurrency,
    )


def print_summary(rt: Runtime, run_id: str, results: list[JobResult], out: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from dialogue import queries
    from dialogue.batch.export import export_rows, write_exports  # pandas: only when the summary is written
    from dialogue.scoring import report

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
            console.print(
                f"  {r.job.case_id} {r.job.temperament} {r.job.doctor} [{r.job.strategy}] ({r.session_id}): {r.error}"
            )
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


def batch_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m dialogue batch", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--case", action="append", default=[], help="case id (repeatable; default: all)")
    ap.add_argument("--split", choices=["dev", "heldout"], default=None)
    ap.add_argument("--label", action="append", default=[], help="only cases with this diagnosis label (repeatable)")
    ap.add_argument("--limit", type=int, default=None, help="at most this many cases")
    ap.add_argument(
        "--temperament",
        action="append",
        choices=[*TEMPERAMENTS, "published"],
        default=[],
        help="default: all four; 'published': each case's own (3MDBench's design as published)",
    )
    ap.add_argument(
        "--case-set", action="append", type=Path, default=[], help="load a further case-set folder (repeatable)"
    )
    ap.add_argument("--set", action="append", default=[], help="only cases of this case set id (repeatable)")
    ap.add_argument(
        "--axes",
        action="append",
        default=[],
        help="an axis set like 'recall-vague+literacy-limited' or 'none' (repeatable)",
    )
    ap.add_argument("--seeds", type=int, default=1, help="seeds 0..N-1")
    ap.add_argument("--doctor", action="append", default=[], help="doctor spec (repeatable; default $CB_DOCTOR)")
    ap.add_argument(
        "--strategy",
        action="append",
        choices=STRATEGIES,
        default=[],
        help="how the doctor works (repeatable; default dialogue): see dialogue/agents/strategy.py",
    )
    ap.add_argument(
        "--hints",
        default="builtin",
        help="the hints strategy's labels: builtin | file:<predictions.json|jsonl> | model:<backend spec>",
    )
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
    return ap


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
    args = batch_parser().parse_args(rest)
    settings = Settings.from_env()
    if args.assessor:
        settings.assessor = args.assessor
    settings.case_sets = [*settings.case_sets, *args.case_set]
    rt = Runtime(settings)
    try:
        try:
            spec = spec_from_args(rt, args)
        except ValidationError as e:
            problems = "; ".join(f"--{'.'.join(map(str, x['loc']))}: {x['msg']}" for x in e.errors())
            raise SystemExit(f"bad batch arguments: {problems}") from None
        run_id = args.run_id or spec.run_id()
        print(
            f"run {run_id}: {len(spec.jobs())} consultations ({len(spec.cases)} cases x {len(spec.temperaments)} temperaments x {len(spec.axes)} axis sets x {len(spec.seeds)} seeds x {len(spec.doctors)} doctors x {len(spec.strategies)} strategies)"
        )
        # No warm-up here: the embedding model is built when a seat first needs it (after the first requests
        # are out; the case texts' embeddings are cached on disk), so the endpoint starts working at once.
        if args.queue:
            if rt.redis is not None:
                raise SystemExit("--queue needs REDIS_URL: workers on other machines must reach the same Redis")
            n = asyncio.run(enqueue(rt.store.url, spec, run_id))
            print(f"queued {n} new job(s); following progress (Ctrl-C stops following, not the workers)")
            results = asyncio.run(_follow(rt, spec, run_id, args.follow_timeout))
        else:
            loop = new_loop()
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
