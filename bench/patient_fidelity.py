"""Patient fidelity: does the simulated patient answer the question actually asked?

The item set (`bench/data/patient_fidelity/{dev,heldout}.yaml`) was written by an independent author from
the case files only: doctor questions (targeted, compound, open, absent, leading, ice, unknowable), each
part labelled with the fact ids that answer it. Each question is asked right after the opening complaint,
through the patient seat exactly as the engine calls it (`facts_for`, then `stream`).

Figures per patient kind and temperament (a reply is judged by the facts recorded for it and by its text):
- answered: every part of a question with an answer got one of its facts (LLM: and says it);
- wrong-topic: the reply carries a fact that answers none of the parts (nor is on their topic);
- absent: questions about what the case lacks answered with a plain negative and no fact;
- open: open invitations answered with the presenting story or a main-problem fact;
- unknowable: measurements the patient could not know answered with "I haven't checked / don't know";
- contradictions: replies that open with a denial or "don't know" and then give a positive fact.

    .venv/bin/python bench/patient_fidelity.py --split dev [--llm local --llm-questions 40] [--misses 20]

Goals (issue 10, dev): answered >= 95%, wrong-topic <= 3%, absent >= 95%, open >= 90%.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import logging  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from typing import Literal  # noqa: E402

import yaml  # noqa: E402
from common import machine  # noqa: E402
from pydantic import BaseModel  # noqa: E402

from dialogue.agents.fidelity import admits_unknown, contradiction, plain_negative, says_fact  # noqa: E402
from dialogue.agents.patient import GroundedPatient, LLMPatient, PatientContext  # noqa: E402
from dialogue.backends import Backend  # noqa: E402
from dialogue.content.cases import Library, load_library  # noqa: E402
from dialogue.matching import Matcher, default_matcher  # noqa: E402
from dialogue.schema import TEMPERAMENTS, Turn  # noqa: E402

DATA = ROOT / "bench" / "data" / "patient_fidelity"
Kind = Literal["targeted", "compound", "open", "absent", "leading", "ice", "unknowable"]


class PartKey(BaseModel):
    answer: list[str]
    also_ok: list[str] = []


class Question(BaseModel):
    id: str
    kind: Kind
    text: str
    parts: list[PartKey] = []


class CaseQuestions(BaseModel):
    case: str
    questions: list[Question]


class ItemSet(BaseModel):
    split: Literal["dev", "heldout"]
    author: str
    cases: list[CaseQuestions]


class Result(BaseModel):
    patient: str
    temperament: str
    case: str
    question: Question
    reply: str
    facts: list[str]
    answered: bool | None
    wrong_topic: bool
    absent_ok: bool | None
    open_ok: bool | None
    unknown_ok: bool | None
    contradiction: bool


def load_items(split: str, part: str = "") -> ItemSet:
    """Every item file of the split (dev.yaml, dev2.yaml, ...), merged; or one part (`dev4`)."""
    files = [DATA / f"{part}.yaml"] if part else sorted(DATA.glob(f"{split}*.yaml"))
    sets = [ItemSet.model_validate(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in files if p.exists()]
    if not sets:
        raise SystemExit(f"no item files for {split} in {DATA}")
    return ItemSet(
        split=sets[0].split, author="; ".join(s.author for s in sets), cases=[c for s in sets for c in s.cases]
    )


def judge(lib: Library, case_id: str, q: Question, reply: str, facts: list[str], m: Matcher, llm: bool) -> dict:
    case = lib.cases[case_id]
    allowed = {f for p in q.parts for f in [*p.answer, *p.also_ok]}
    if q.kind == "open":
        allowed.add("narrative")

    def part_ok(p: PartKey) -> bool:
        if q.kind == "open" and "narrative" in facts:
            return True  # the case's presenting story answers an open invitation, whichever facts the key names
        hit = [f for f in p.answer if f in facts]
        return bool(hit) and (not llm or any(says_fact(reply, case, f, m) for f in hit))

    answerable = q.kind not in ("absent", "unknowable") and bool(q.parts)
    return {
        "answered": all(part_ok(p) for p in q.parts) if answerable else None,
        "wrong_topic": any(f not in allowed for f in facts),
        "absent_ok": (plain_negative(reply) and not facts) if q.kind == "absent" else None,
        "open_ok": ("narrative" in facts or part_ok(q.parts[0])) if q.kind == "open" and q.parts else None,
        "unknown_ok": admits_unknown(reply) and not facts if q.kind == "unknowable" else None,
        "contradiction": contradiction(reply, case, facts),
    }


async def ask(seat: GroundedPatient | LLMPatient, opening: str, text: str) -> tuple[str, list[str]]:
    turns = [
        Turn(index=0, seat="patient", text=opening, by="bench"),
        Turn(index=1, seat="doctor", text=text, by="bench"),
    ]
    facts = seat.facts_for(turns)
    reply = "".join([p async for p in seat.stream(turns, facts)])
    return reply.replace("BREAK", "").strip(), [f.id for f in facts]


async def run(
    lib: Library, items: ItemSet, m: Matcher, backend: Backend | None, llm_questions: int, temperaments: list[str]
) -> list[Result]:
    out: list[Result] = []
    pairs = [(c.case, q) for c in items.cases for q in c.questions]
    for temp in temperaments:
        for kind in ["grounded", "llm"] if backend else ["grounded"]:
            chosen = (
                pairs if kind == "grounded" else pairs[:: max(1, len(pairs) // max(1, llm_questions))][:llm_questions]
            )
            for case_id, q in chosen:
                ctx = PatientContext(lib.cases[case_id], lib.personas[temp], [], None, 7)
                seat = GroundedPatient(ctx, m) if kind == "grounded" else LLMPatient(ctx, backend, m)  # type: ignore[arg-type]
                reply, facts = await ask(seat, lib.cases[case_id].general_complaint, q.text)
                v = judge(lib, case_id, q, reply, facts, m, llm=kind == "llm")
                out.append(
                    Result(patient=kind, temperament=temp, case=case_id, question=q, reply=reply, facts=facts, **v)
                )
    return out


def share(xs: list[bool | None]) -> str:
    vals = [x for x in xs if x is not None]
    return "n/a" if not vals else f"{100 * sum(vals) / len(vals):.1f}% ({sum(vals)}/{len(vals)})"


def table(results: list[Result]) -> str:
    rows = [
        "| patient | temperament | n | answered | wrong-topic | absent → plain no | open | unknowable | contradictions |"
    ]
    rows.append("|---|---|---|---|---|---|---|---|---|")
    groups: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for r in results:
        groups[(r.patient, r.temperament)].append(r)
        groups[(r.patient, "all")].append(r)
    for (patient, temp), rs in groups.items():
        rows.append(
            f"| {patient} | {temp} | {len(rs)} | {share([r.answered for r in rs])} | {share([r.wrong_topic for r in rs])} "
            f"| {share([r.absent_ok for r in rs])} | {share([r.open_ok for r in rs])} | {share([r.unknown_ok for r in rs])} "
            f"| {share([r.contradiction for r in rs])} |"
        )
    return "\n".join(rows)


def by_kind(results: list[Result]) -> str:
    """Answered and wrong-topic per question kind (grounded patient, all temperaments)."""
    rows = ["| kind | n | answered | wrong-topic |", "|---|---|---|---|"]
    groups: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        if r.patient == "grounded":
            groups[r.question.kind].append(r)
    for kind, rs in sorted(groups.items()):
        rows.append(
            f"| {kind} | {len(rs)} | {share([r.answered for r in rs])} | {share([r.wrong_topic for r in rs])} |"
        )
    return "\n".join(rows)


def misses(results: list[Result], limit: int) -> str:
    bad = [
        r
        for r in results
        if r.answered is False
        or r.wrong_topic
        or r.absent_ok is False
        or r.open_ok is False
        or r.unknown_ok is False
        or r.contradiction
    ]
    lines = [f"{len(bad)} replies with a miss; the first {min(limit, len(bad))}:"]
    for r in bad[:limit]:
        want = [p.answer for p in r.question.parts]
        lines.append(
            f"- [{r.patient}/{r.temperament}] {r.case} {r.question.kind} {r.question.text!r}\n"
            f"  want {want} got {r.facts}: {r.reply[:160]!r}"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["dev", "heldout"], default="dev")
    ap.add_argument("--llm", default="", help="backend spec for the LLM patient (e.g. local); empty = grounded only")
    ap.add_argument("--llm-questions", type=int, default=40, help="questions per temperament for the LLM patient")
    ap.add_argument("--temperaments", default=",".join(TEMPERAMENTS))
    ap.add_argument("--part", default="", help="one item file of the split only, e.g. dev4 or heldout2")
    ap.add_argument("--misses", type=int, default=0, help="print this many misses (dev only: keep held-out blind)")
    ap.add_argument("--out", type=Path, default=None, help="write the markdown report here")
    args = ap.parse_args()
    logging.disable(logging.WARNING)
    lib = load_library()
    m = default_matcher()
    if args.part and not args.part.startswith(args.split):
        raise SystemExit(f"--part {args.part} is not a part of the {args.split} split")
    items = load_items(args.split, args.part)
    backend = None
    if args.llm:
        from dialogue.backends import make_backend
        from dialogue.settings import Settings

        settings = Settings.from_env()  # the endpoint token and timeout; no store is needed here
        backend = make_backend(
            args.llm, token=settings.hf_token, timeout_s=settings.timeout_s, hf_router=settings.hf_router
        )
    t0 = time.process_time()
    results = asyncio.run(run(lib, items, m, backend, args.llm_questions, args.temperaments.split(",")))
    n_q = sum(len(c.questions) for c in items.cases)
    report = (
        f"## Patient fidelity, {args.split} half{f' (part {args.part})' if args.part else ''} ({n_q} questions over {len(items.cases)} cases; "
        f"matcher {m.kind}; {machine()}; CPU {time.process_time() - t0:.1f} s)\n\n{table(results)}\n\n"
        f"By question kind (grounded, all temperaments):\n\n{by_kind(results)}\n"
    )
    print(report)
    if args.misses:
        print(misses(results, args.misses))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
