"""Publishing a run to the Hugging Face Hub: a dataset folder (sessions and turns as parquet, a dataset card with
the run's manifest and the validity figures that held when it was made) uploaded with `huggingface_hub`, and
optionally the `.eval_results` YAML a model repository's leaderboard reads.

    python -m dialogue publish --run <run id> --repo <owner/name> [--out DIR] [--dry-run] [--eval-results]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import yaml
from pydantic import BaseModel

from dialogue.schema import SessionRecord

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


class Manifest(BaseModel):
    """What a published run is: enough to know what was measured and to rerun it."""

    run_id: str
    sessions: int
    finished: int
    case_sets: dict[str, int]
    """Case set id -> sessions."""
    cases_version: str
    """A hash of the case files' content (a changed case changes it)."""
    code_version: str
    doctors: list[str]
    patients: list[str]
    prompt_hashes: dict[str, list[str]]
    seeds: list[int]
    strategies: list[str]
    temperaments: list[str]
    accuracy: float | None
    validity: dict[str, str]
    """The held-out patient-fidelity and judge-validity tables of bench/results/ when the run was published."""
    published_at: str


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def cases_version(case_dirs: list[Path]) -> str:
    h = hashlib.sha256()
    for d in case_dirs:
        for p in sorted(d.rglob("*.yaml")):
            h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()[:12]


def code_version() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def manifest(run_id: str, records: list[SessionRecord], truths: dict[str, str], cases: str) -> Manifest:
    sessions = [r.session for r in records]
    done = [s for s in sessions if s.status in ("ended", "capped")]
    prompts: dict[str, set[str]] = {"doctor": set(), "patient": set()}
    for s in sessions:
        prompts["doctor"].add(_hash(s.doctor.system_prompt))
        prompts["patient"].add(_hash(s.patient.system_prompt))
    sets: dict[str, int] = {}
    for s in sessions:
        sets[s.case_set or "consultbench"] = sets.get(s.case_set or "consultbench", 0) + 1
    right = [s.final_diagnosis == truths.get(s.case_id) for s in done]
    validity = {
        path.stem: path.read_text(encoding="utf-8").split("\nMisses")[0].strip()
        for kind in ("patient_fidelity", "judge_validity", "measurement")
        for path in sorted(RESULTS.glob(f"{kind}_heldout*.md"))
    }
    return Manifest(
        run_id=run_id,
        sessions=len(sessions),
        finished=len(done),
        case_sets=sets,
        cases_version=cases,
        code_version=code_version(),
        doctors=sorted({s.doctor.spec or s.doctor.model for s in sessions}),
        patients=sorted({s.patient.spec or s.patient.model for s in sessions}),
        prompt_hashes={k: sorted(v) for k, v in prompts.items()},
        seeds=sorted({s.seed for s in sessions if s.seed is not None}),
        strategies=sorted({s.strategy for s in sessions}),
        temperaments=sorted({s.temperament for s in sessions}),
        accuracy=round(sum(right) / len(right), 4) if right else None,
        validity=validity,
        published_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )


def turn_rows(records: list[SessionRecord]) -> list[dict[str, object]]:
    return [
        {
            "session_id": r.session.id,
            "index": t.index,
            "seat": t.seat,
            "text": t.text,
            "by": t.by,
            "cut": t.cut,
            "tokens": t.tokens,
            "reasoning": t.reasoning,
            "interim": t.interim.label if t.interim else None,
            "requests": json.dumps([q.model_dump() for q in t.requests]),
        }
        for r in records
        for t in r.turns
    ]


def dataset_card(m: Manifest, repo: str) -> str:
    """The README.md of the dataset repo: Hub metadata (two parquet configs) and the manifest."""
    meta = {
        "license": "mit",
        "pretty_name": f"ConsultBench run {m.run_id}",
        "tags": ["medical", "dialogue", "evaluation", "consultbench"],
        "configs": [
            {"config_name": "sessions", "data_files": "data/sessions.parquet", "default": True},
            {"config_name": "turns", "data_files": "data/turns.parquet"},
        ],
    }
    validity = "\n\n".join(f"### {k}\n\n{v}" for k, v in m.validity.items()) or "_none committed_"
    return (
        f"---\n{yaml.safe_dump(meta, sort_keys=False)}---\n\n# ConsultBench run `{m.run_id}`\n\n"
        f"{m.sessions} simulated consultations ({m.finished} finished) published to `{repo}`. Research and "
        "education only: the patients are simulated from written cases.\n\n## Manifest\n\n```json\n"
        f"{m.model_dump_json(indent=2, exclude={'validity'})}\n```\n\n"
        f"## Validity when the run was published (held-out)\n\n{validity}\n"
    )


def eval_results(m: Manifest, repo: str) -> str:
    """The `.eval_results` YAML for a model repository (one entry per metric)."""
    entries = [
        {
            "dataset": {"id": repo, "task_id": "consultation"},
            "value": m.accuracy,
            "metric": "accuracy",
            "date": m.published_at[:10],
            "notes": f"run {m.run_id}; strategies {', '.join(m.strategies)}; {m.finished} sessions",
        }
    ]
    return yaml.safe_dump(entries, sort_keys=False)


def write_folder(records: list[SessionRecord], truths: dict[str, str], m: Manifest, repo: str, out: Path) -> Path:
    import pandas as pd

    from dialogue.batch.export import export_rows

    (out / "data").mkdir(parents=True, exist_ok=True)
    export_rows(records, truths).to_parquet(out / "data" / "sessions.parquet", index=False)
    pd.DataFrame(turn_rows(records)).to_parquet(out / "data" / "turns.parquet", index=False)
    (out / "README.md").write_text(dataset_card(m, repo), encoding="utf-8")
    (out / "manifest.json").write_text(m.model_dump_json(indent=2), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m dialogue publish", description=__doc__.split("\n\n")[0])
    ap.add_argument("--run", required=True, help="the batch run id (see the batch command's first line)")
    ap.add_argument("--repo", required=True, help="Hub dataset repo, owner/name")
    ap.add_argument("--out", type=Path, default=None, help="folder to write (default: publish/<run id>)")
    ap.add_argument("--dry-run", action="store_true", help="write the folder and say what would be sent")
    ap.add_argument("--eval-results", action="store_true", help="also write .eval_results/consultbench.yaml")
    args = ap.parse_args(argv)
    from dialogue import queries
    from dialogue.runtime import Runtime
    from dialogue.settings import Settings

    rt = Runtime(Settings.from_env())
    try:
        records = queries.records(rt.store, args.run)
        if not records:
            print(f"no sessions for run {args.run!r}: the batch command prints its run id first", file=sys.stderr)
            return 1
        truths = queries.truths(rt.library)
        dirs = [rt.settings.cases_dir or ROOT / "personas" / "cases", *rt.settings.case_sets]
        m = manifest(args.run, records, truths, cases_version(dirs))
        out = write_folder(records, truths, m, args.repo, args.out or Path("publish") / args.run)
        if args.eval_results:
            (out / ".eval_results").mkdir(exist_ok=True)
            (out / ".eval_results" / "consultbench.yaml").write_text(eval_results(m, args.repo), encoding="utf-8")
        files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
        if args.dry_run:
            print(f"dry run: would create dataset repo {args.repo} and upload {len(files)} file(s) from {out}:")
            print("\n".join(f"  {f}" for f in files))
            return 0
        from huggingface_hub import HfApi

        api = HfApi(token=rt.settings.hf_token)
        api.create_repo(args.repo, repo_type="dataset", exist_ok=True)
        api.upload_folder(folder_path=str(out), repo_id=args.repo, repo_type="dataset")
        print(f"published {len(files)} file(s) to https://huggingface.co/datasets/{args.repo}")
        return 0
    finally:
        rt.close()
