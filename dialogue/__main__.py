"""Command line: `python -m dialogue run|list|export|report|batch|worker ...` (see --help)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from pathlib import Path

from dialogue.schema import STRATEGIES, TEMPERAMENTS


def _runtime(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from dialogue.runtime import Runtime
    from dialogue.settings import Settings

    s = Settings.from_env()
    if getattr(args, "assessor", None):
        s.assessor = args.assessor
    return Runtime(s)


async def _run(args: argparse.Namespace) -> int:
    from dialogue.schema import Assessed, Delta, Ended, Failed, Retract, Scored, TurnDone

    rt = _runtime(args)
    try:
        if args.resume:
            c = rt.resume(args.resume)
        else:
            c = rt.new_consultation(
                args.case, args.temperament, axes=args.axis, doctor=args.doctor, patient=args.patient,
                seed=args.seed, max_turns=args.max_turns, strategy=args.strategy,
                hints=await rt.hints_for(args.case, args.hints) if args.strategy == "hints" else None,
            )  # fmt: skip
        print(f"session {c.session.id}  case {c.case.id}  temperament {c.session.temperament}", file=sys.stderr)
        print(f"doctor: {c.session.doctor.model}   patient: {c.session.patient.model}", file=sys.stderr)
        at_line_start = True
        rc = 0
        async for ev in c.run():
            if isinstance(ev, Delta):
                if at_line_start:
                    print(f"\n{ev.seat.upper()}: ", end="")
                    at_line_start = False
                print(ev.text, end="", flush=True)
            elif isinstance(ev, Retract):
                print(" [withdrawn by the leak guard]", end="")
                at_line_start = True
            elif isinstance(ev, TurnDone):
                at_line_start = True
            elif isinstance(ev, Scored) and args.verbose:
                sc = ev.score
                cov = "n/a" if sc.coverage is None else f"{sc.coverage:.0%}"
                print(
                    f"\n  [live] must-ask coverage {cov}; red flags asked {sum(sc.red_flags_asked.values())}/{len(sc.red_flags_asked)}",
                    end="",
                )
            elif isinstance(ev, Assessed):
                a = ev.assessment
                rs = "n/a" if a.rubric_score is None else f"{a.rubric_score:.2f}"
                print(f"\n\nassessment ({a.by}): rubric {rs}, must-ask coverage {a.must_ask_coverage}, "
                      f"red-flag points {a.red_flag_points}, ungradable {a.ungradable}")  # fmt: skip
                for f in a.simulator_flags:
                    print(f"  simulator: {f}")
            elif isinstance(ev, Failed):
                print(f"\nERROR: {ev.message}", file=sys.stderr)
                rc = 2
            elif isinstance(ev, Ended):
                s = ev.session
                print(f"\n\nstatus: {s.status} (ended by {s.ended_by})")
                print(f"final diagnosis: {s.final_diagnosis_raw!r} -> {s.final_diagnosis!r}; truth: {c.case.diagnosis}")
        print(f"session id: {c.session.id}")
        return rc
    finally:
        rt.close()


def _list(args: argparse.Namespace) -> int:
    rt = _runtime(args)
    try:
        for s in rt.store.headers(rt.store.list_ids(limit=args.limit)):
            print(
                f"{s.id}  {s.status:7} {s.case_id:32} {s.temperament:12} {s.doctor.model[:40]:40} {s.final_diagnosis}"
            )
        return 0
    finally:
        rt.close()


def _export(args: argparse.Namespace) -> int:
    rt = _runtime(args)
    try:
        ids = args.ids or rt.store.list_ids(limit=100_000)
        with contextlib.ExitStack() as stack:
            out = stack.enter_context(open(args.out, "w", encoding="utf-8")) if args.out else sys.stdout
            n = 0
            for line in rt.store.export_jsonl(ids):
                out.write(line + "\n")
                n += 1
        print(f"exported {n} session(s)", file=sys.stderr)
        return 0
    finally:
        rt.close()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "report":
        from dialogue.scoring.report import main as report_main

        return report_main(argv[1:])
    if argv and argv[0] == "validate-judge":
        from dialogue.scoring.judge_validity import main as validate_main

        return validate_main(argv[1:])
    if argv and argv[0] == "publish":
        from dialogue.publish import main as publish_main

        return publish_main(argv[1:])
    if argv and argv[0] in ("batch", "worker"):
        from dialogue.batch.cli import main as batch_main

        return batch_main(argv)
    ap = argparse.ArgumentParser(prog="python -m dialogue", description="ConsultBench command line")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run one consultation, streaming it to the terminal")
    r.add_argument("--case", default="stye-01")
    r.add_argument("--temperament", default="phlegmatic", choices=TEMPERAMENTS)
    r.add_argument("--axis", action="append", default=[], help="extra behaviour axis id (repeatable)")
    r.add_argument("--doctor", default=None, help="doctor spec (default $CB_DOCTOR or local)")
    r.add_argument("--patient", default=None, help="patient spec (default $CB_PATIENT or grounded)")
    r.add_argument("--assessor", default=None, help="assessor spec (default $CB_ASSESSOR or rules)")
    r.add_argument("--seed", type=int, default=None)
    r.add_argument("--strategy", default="dialogue", choices=STRATEGIES, help="how the doctor works")
    r.add_argument("--hints", default="builtin", help="hints strategy: builtin | file:<predictions> | model:<spec>")
    r.add_argument("--max-turns", type=int, default=None)
    r.add_argument("--resume", default=None, metavar="SESSION_ID", help="resume a live or failed session")
    r.add_argument("-v", "--verbose", action="store_true", help="print live scores")
    ls = sub.add_parser("list", help="list stored sessions, newest first")
    ls.add_argument("--limit", type=int, default=50)
    ex = sub.add_parser("export", help="export sessions as JSONL")
    ex.add_argument("ids", nargs="*")
    ex.add_argument("--out", type=Path, default=None)
    sub.add_parser("report", help="markdown/HTML report (see `python -m dialogue report --help`)", add_help=False)
    sub.add_parser("batch", help="batch runs (see `python -m dialogue batch --help`)", add_help=False)
    sub.add_parser("validate-judge", help="judge validity on the pair set (see --help)", add_help=False)
    sub.add_parser("worker", help="queue worker (see `python -m dialogue worker --help`)", add_help=False)
    sub.add_parser("publish", help="a run as a Hub dataset (see `python -m dialogue publish --help`)", add_help=False)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.cmd == "run":
        return asyncio.run(_run(args))
    if args.cmd == "list":
        return _list(args)
    if args.cmd == "export":
        return _export(args)
    return 1


if __name__ == "__main__":
    sys.exit(main())
