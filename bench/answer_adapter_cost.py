"""What the answer adapter costs per grounded reply: CPU time of fact selection with and without it, same run.

Every dev question of the patient-fidelity set is planned (`grounding.plan_reply`, as the grounded patient
does) twice per round: once with the trained adapter and once with the plain similarity standing in for it
(the baseline). Embeddings are warmed first, so both sides read the same cached vectors; rounds alternate the
order. The figure is the ratio of CPU time, adapter over baseline.

    .venv/bin/python bench/answer_adapter_cost.py [--rounds 3]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import time  # noqa: E402
from unittest import mock  # noqa: E402

from patient_fidelity import load_items  # noqa: E402

from dialogue.agents import grounding as g  # noqa: E402
from dialogue.content.cases import load_library  # noqa: E402
from dialogue.matching import default_matcher  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    lib, m = load_library(), default_matcher()
    work = [(lib.cases[c.case], q.text) for c in load_items("dev").cases for q in c.questions]
    for case, text in work:  # warm the embedding cache for both sides
        g.plan_reply(case, text, m)

    def timed() -> float:
        start = time.process_time()
        for case, text in work:
            g.plan_reply(case, text, m)
        return time.process_time() - start

    adapted = plain = 0.0
    for r in range(args.rounds):
        for side in ("adapter", "plain") if r % 2 == 0 else ("plain", "adapter"):
            if side == "adapter":
                adapted += timed()
            else:
                with mock.patch.object(g, "load_adapter", return_value=None):
                    plain += timed()
    n = len(work) * args.rounds
    print(f"{len(work)} dev questions x {args.rounds} rounds; CPU per reply plan: ")
    print(f"| baseline (no adapter) | {1000 * plain / n:.2f} ms |")
    print(f"| with the adapter | {1000 * adapted / n:.2f} ms |")
    print(f"| ratio | {adapted / plain:.2f} |")


if __name__ == "__main__":
    main()
