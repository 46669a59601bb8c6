"""Distributed runs on an arq queue in Redis: enqueue a run's jobs, and the worker that runs them."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from dialogue.batch.eventloop import new_loop
from dialogue.batch.run import run_job
from dialogue.batch.spec import BatchSpec, Job
from dialogue.runtime import Runtime
from dialogue.settings import Settings


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

    asyncio.set_event_loop(new_loop())  # arq runs on the current loop: uvloop's, as a local batch does
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
