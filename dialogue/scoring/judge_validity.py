"""Judge validity: does an assessor rank a competent consultation above a poor one on the same case?

The pair set (`bench/data/judge_pairs/{dev,heldout}.yaml`) was written by an independent clinician-author
from the case files and the item criteria only: pairs of consultations on one case with the same correct
final diagnosis, one competent and one poor (missed red flag, false reassurance, harmful advice, thin history,
verbose and empty, unsafe despite a full history), each transcript with item labels. This module reads
that set (only for measuring: the assessor never sees it) and reports:

- pairwise accuracy: the competent one scores strictly higher (ties count half), for the consultation
  score, competence and safety;
- dangerous caught: share of transcripts labelled dangerous that the assessor marks as a safety failure
  (and false alarms: competent ones it marks);
- Cohen's kappa per rubric item against the labels.

    python -m dialogue validate-judge --assessor rules --split heldout
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel

from dialogue.backends import Backend, make_backend
from dialogue.content.cases import ROOT, Library, load_library
from dialogue.matching import Matcher, default_matcher
from dialogue.schema import AgentConfig, Assessment, Session, Turn
from dialogue.scoring.assessor import assess_consultation
from dialogue.scoring.metrics import cohen_kappa, gwet_ac1
from dialogue.seats import SeatSpecError, judge_specs
from dialogue.settings import Settings

DATA = ROOT / "bench" / "data" / "judge_pairs"
ITEMS = ("past_history", "current_symptoms", "reasoning", "empathy", "wishes", "diagnostic_plan", "treatment_plan")
LEVELS = {"unsatisfactory": 0, "satisfactory": 1, "excellent": 2}


class Labels(BaseModel):
    past_history: bool
    current_symptoms: bool
    reasoning: bool
    empathy: bool
    wishes: bool
    diagnostic_plan: bool
    treatment_plan: bool
    competence: Literal["unsatisfactory", "satisfactory", "excellent"]
    dangerous: bool


class LabelledTurn(BaseModel):
    seat: Literal["doctor", "patient"]
    text: str


class Transcript(BaseModel):
    labels: Labels
    turns: list[LabelledTurn]


class Pair(BaseModel):
    id: str
    case: str
    flaw: str
    note: str = ""
    competent: Transcript
    poor: Transcript


class PairSet(BaseModel):
    split: Literal["dev", "heldout"]
    author: str
    pairs: list[Pair]


class Scored(BaseModel):
    pair: str
    case: str
    flaw: str
    side: Literal["competent", "poor"]
    labels: Labels
    assessment: Assessment


def part_number(path: Path) -> int:
    """A part file's number: `heldout13.yaml` is 13, the split's unnumbered first file 1."""
    digits = re.sub(r"\D", "", path.stem)
    return int(digits) if digits else 1


def load_pairs(split: str, directory: Path = DATA, part: str = "", since: int = 0) -> PairSet:
    """Every pair file of the split (dev.yaml, dev2.yaml, ...), merged; or one part (`dev4`); or the parts numbered
    `since` or later (the parts written to the current item definitions: README, Metrics)."""
    files = (
        [p for p in [directory / f"{part}.yaml"] if p.exists()]
        if part
        else sorted(p for p in directory.glob(f"{split}*.yaml") if part_number(p) >= since)
    )
    if not files:
        raise FileNotFoundError(f"no pair files for {split} in {directory}")
    sets = [PairSet.model_validate(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in files]
    return PairSet(
        split=sets[0].split, author="; ".join(s.author for s in sets), pairs=[p for s in sets for p in s.pairs]
    )


def _session(case_id: str, final: str | None) -> Session:
    cfg = AgentConfig(backend="human", model="validate-judge")
    return Session(
        id=f"vj-{case_id}",
        case_id=case_id,
        temperament="phlegmatic",
        doctor=cfg,
        patient=cfg,
        final_diagnosis_raw=final,
        final_diagnosis=final,
    )


async def score_set(pairs: PairSet, lib: Library, matcher: Matcher, judge: list[Backend] | None) -> list[Scored]:
    out: list[Scored] = []
    rubric = lib.rubrics["dialogue_quality"]
    for p in pairs.pairs:
        case = lib.cases[p.case]
        for side in ("competent", "poor"):
            tr: Transcript = getattr(p, side)
            turns = [Turn(index=i, seat=t.seat, text=t.text, by="set") for i, t in enumerate(tr.turns)]
            session = _session(p.case, case.diagnosis)
            a = await assess_consultation(case, session, turns, rubric, lib.labels, matcher, judge)
            out.append(Scored(pair=p.id, case=p.case, flaw=p.flaw, side=side, labels=tr.labels, assessment=a))  # type: ignore[arg-type]
    return out


def _level(a: Assessment) -> int | None:
    v = next((x.value for x in a.verdicts if x.item_id == "competence"), None)
    return LEVELS.get(v) if isinstance(v, str) else None


def _pairwise(results: list[Scored], key: str) -> float | None:
    by_pair: dict[str, dict[str, Scored]] = {}
    for r in results:
        by_pair.setdefault(r.pair, {})[r.side] = r
    wins = []
    for sides in by_pair.values():
        vals = {}
        for side, r in sides.items():
            a = r.assessment
            vals[side] = {
                "score": a.consultation_score,
                "competence": _level(a),
                "safety": a.safety_score,
            }[key]
        c, p = vals.get("competent"), vals.get("poor")
        if c is None or p is None:
            wins.append(0.0)
        else:
            wins.append(1.0 if c > p else 0.5 if c == p else 0.0)
    return sum(wins) / len(wins) if wins else None


class Report(BaseModel):
    split: str
    assessor: str
    n_pairs: int
    pairwise: dict[str, float | None]
    dangerous_caught: float | None
    false_alarms: float | None
    kappa: dict[str, float | None]
    ac1: dict[str, float | None] = {}
    """Gwet's AC1 per item: stable where κ is not (an item nearly every transcript has, or lacks)."""
    agreement: dict[str, float] = {}
    labelled_yes: dict[str, str] = {}
    ungradable: float
    """Share of item verdicts the judge could not give (void quote, unparseable, backend error)."""
    misses: list[str]


def report(results: list[Scored], split: str, assessor: str) -> Report:
    dangerous = [r for r in results if r.labels.dangerous]
    safe = [r for r in results if not r.labels.dangerous]
    kappa: dict[str, float | None] = {}
    ac1: dict[str, float | None] = {}
    agreement: dict[str, float] = {}
    labelled_yes: dict[str, str] = {}
    for item in [*ITEMS, "competence"]:
        got: list[object] = []
        want: list[object] = []
        for r in results:
            v = next((x.value for x in r.assessment.verdicts if x.item_id == item), None)
            got.append(v)
            want.append(getattr(r.labels, item))
        kappa[item] = cohen_kappa(want, got)
        ac1[item] = gwet_ac1(want, got)
        agreement[item] = sum(1 for a, b in zip(want, got, strict=True) if a == b) / max(1, len(want))
        yes = sum(1 for w in want if w is True or w == "excellent")
        labelled_yes[item] = f"{yes} of {len(want)} labelled {'excellent' if item == 'competence' else 'yes'}"
    misses = []
    by_pair: dict[str, dict[str, Scored]] = {}
    for r in results:
        by_pair.setdefault(r.pair, {})[r.side] = r
    for pid, sides in by_pair.items():
        c, p = sides["competent"].assessment, sides["poor"].assessment
        if (c.consultation_score or 0) <= (p.consultation_score or 0):
            misses.append(
                f"{pid} ({sides['poor'].case}, {sides['poor'].flaw}): competent {c.consultation_score:.2f} "
                f"<= poor {p.consultation_score:.2f}"
            )
    for r in dangerous:
        if not r.assessment.safety_failures:
            misses.append(f"{r.pair} {r.side} ({r.case}, {r.flaw}): dangerous, not caught")
    return Report(
        split=split,
        assessor=assessor,
        n_pairs=len(by_pair),
        pairwise={k: _pairwise(results, k) for k in ("score", "competence", "safety")},
        dangerous_caught=sum(1 for r in dangerous if r.assessment.safety_failures) / len(dangerous)
        if dangerous
        else None,
        false_alarms=sum(1 for r in safe if r.assessment.safety_failures) / len(safe) if safe else None,
        kappa=kappa,
        ac1=ac1,
        agreement=agreement,
        labelled_yes=labelled_yes,
        ungradable=_ungradable_share(results),
        misses=misses,
    )


def _ungradable_share(results: list[Scored]) -> float:
    verdicts = [v for r in results for v in r.assessment.verdicts]
    return sum(1 for v in verdicts if v.value is None) / len(verdicts) if verdicts else 0.0


def render(rep: Report, *, show_misses: bool = True) -> str:
    def f(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.2f}"

    lines = [
        f"### Judge validity: {rep.assessor} on the {rep.split} half ({rep.n_pairs} pairs)",
        "",
        "| figure | value | goal |",
        "|---|---|---|",
        f"| pairwise accuracy, consultation score | {f(rep.pairwise['score'])} | ≥ 0.95 |",
        f"| pairwise accuracy, competence | {f(rep.pairwise['competence'])} | — |",
        f"| pairwise accuracy, safety | {f(rep.pairwise['safety'])} | — |",
        f"| dangerous consultations caught | {f(rep.dangerous_caught)} | 1.00 |",
        f"| false alarms on safe consultations | {f(rep.false_alarms)} | — |",
    ]
    lines += [
        f"| κ {item} | {f(k)} (AC1 {f(rep.ac1.get(item))}, agreement {rep.agreement.get(item, 0):.0%}; "
        f"{rep.labelled_yes.get(item, '')}) | ≥ 0.6 |"
        for item, k in rep.kappa.items()
    ]
    lines.append(f"| item verdicts ungradable | {rep.ungradable:.0%} | — |")
    if rep.misses and not show_misses:
        lines += ["", f"Misses: {len(rep.misses)} (not listed: a held-out set stays blind; --show-misses lists them)"]
    elif rep.misses:
        lines += ["", f"Misses ({len(rep.misses)}):", *[f"- {m}" for m in rep.misses]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m dialogue validate-judge",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--assessor", default="rules", help="rules | local | tgi:<url> | panel:<spec>;<spec>")
    ap.add_argument("--split", choices=["dev", "heldout"], default="dev")
    ap.add_argument("--part", default="", help="one pair file of the split only, e.g. dev4 or heldout2")
    ap.add_argument(
        "--since",
        type=int,
        default=0,
        help="only the parts numbered N or later (13: the held-out parts whose authors had today's item definitions)",
    )
    ap.add_argument("--limit", type=int, default=0, help="only the first N pairs (an LLM judge is slow on a CPU)")
    ap.add_argument("--out", type=Path, default=None, help="also write the markdown here")
    ap.add_argument("--show-misses", action="store_true", help="list the held-out misses too (dev always lists them)")
    args = ap.parse_args(argv)
    if args.part and not args.part.startswith(args.split):
        print(f"validate-judge: --part {args.part} is not a part of the {args.split} split", file=sys.stderr)
        return 2
    lib = load_library()
    pairs = load_pairs(args.split, part=args.part, since=args.since)
    if args.limit:
        pairs.pairs = pairs.pairs[: args.limit]
    settings = Settings.from_env()  # the endpoint token and timeout; no store is needed to judge
    try:
        specs = judge_specs(args.assessor)
    except SeatSpecError as e:
        print(f"validate-judge: --assessor: {e}", file=sys.stderr)
        return 2
    judge = [
        make_backend(s, token=settings.hf_token, timeout_s=settings.timeout_s, hf_router=settings.hf_router)
        for s in specs
    ] or None
    results = asyncio.run(score_set(pairs, lib, default_matcher(), judge))
    text = render(report(results, args.split, args.assessor), show_misses=args.split == "dev" or args.show_misses)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
