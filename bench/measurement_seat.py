"""Measurement-seat validity: does a doctor's REQUEST EXAM/TEST get the case's entries that answer it, and
"normal" when the case lists nothing for it?

Items in bench/data/measurement/{dev,heldout}.yaml were written by a helper that never read the seat's code,
briefed only with the AgentClinic MedQA cases' findings lists (tests/data/agentclinic/, MIT) and the rule
that a group request returns its group, a specific request its entry, and an unlisted request nothing.
Tune on dev; report held-out.

    .venv/bin/python bench/measurement_seat.py --split dev [--misses 10] [--out bench/results/measurement_dev.md]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dialogue.agents.measurement import findings_for  # noqa: E402
from dialogue.content.cases import load_diagnoses  # noqa: E402
from dialogue.content.importers import import_agentclinic  # noqa: E402
from dialogue.content.labels import LabelSet  # noqa: E402

DATA = ROOT / "bench" / "data" / "measurement"
SOURCE = ROOT / "tests" / "data" / "agentclinic" / "agentclinic_medqa.jsonl"


def score(split: str, misses: int) -> tuple[str, list[str]]:
    cases = {c.id: c for c in import_agentclinic(SOURCE, LabelSet(load_diagnoses())).cases}
    items = yaml.safe_load((DATA / f"{split}.yaml").read_text(encoding="utf-8"))["items"]
    exact = tp = fp = fn = 0
    absent_ok = absent = present_found = present = 0
    wrong: list[str] = []
    for it in items:
        got = set(findings_for(it["kind"], it["request"], cases[it["case_id"]]))
        want = set(it["expected"] or [])
        exact += got == want
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        if want:
            present += 1
            present_found += bool(got & want)
        else:
            absent += 1
            absent_ok += not got
        if got != want:
            wrong.append(
                f"- {it['case_id']} {it['kind']} {it['request']!r}: missed {sorted(want - got)[:2]}, extra {sorted(got - want)[:2]}"
            )
    n = len(items)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    table = (
        "| split | requests | exact (%) | entry precision (%) | entry recall (%) | listed → found (%) | "
        "unlisted → normal (%) |\n|---|---|---|---|---|---|---|\n"
        f"| {split} | {n} | {100 * exact / n:.1f} | {100 * precision:.1f} | {100 * recall:.1f} | "
        f"{100 * present_found / max(1, present):.1f} ({present}) | {100 * absent_ok / max(1, absent):.1f} ({absent}) |\n"
    )
    return table, wrong[:misses]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=["dev", "heldout"], default="dev")
    ap.add_argument("--misses", type=int, default=0, help="print this many misses (dev only: never read held-out)")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    table, wrong = score(args.split, args.misses if args.split == "dev" else 0)
    print(table)
    print("\n".join(wrong))
    if args.out:
        args.out.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
