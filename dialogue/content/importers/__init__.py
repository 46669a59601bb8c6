"""Import cases from other benchmarks' published layouts into a ConsultBench case set (a folder of `Case`
files with its caseset.yaml and an import report).

* 3MDBench (univanxx/3mdbench): parquet or a `datasets` save_to_disk folder (`mdbench.py`).
* AgentClinic (samuelschmidgall/agentclinic): the MedQA OSCE and NEJM JSONL layouts (`agentclinic.py`).

A bad row, line or parquet shard is reported in `ImportResult.errors` (naming it and the field) and skipped;
it never aborts the import. A missing or unreadable source raises `ContentError`. Load an imported set with
`CB_CASE_SETS=<folder>` (or `--case-set` in batch runs).

    python -m dialogue.content.importers {3mdbench,agentclinic} SRC --out DIR
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dialogue.content.cases import ContentError, load_diagnoses
from dialogue.content.importers.agentclinic import import_agentclinic
from dialogue.content.importers.common import ImportResult, import_report, write_cases
from dialogue.content.importers.mdbench import import_3mdbench
from dialogue.content.labels import LabelSet

__all__ = ["IMPORTERS", "ImportResult", "import_3mdbench", "import_agentclinic", "import_report", "main", "write_cases"]


IMPORTERS = {"3mdbench": import_3mdbench, "agentclinic": import_agentclinic}
"""`agentclinic` reads both AgentClinic layouts (MedQA OSCE and NEJM)."""


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; exit code 0 when at least one case was imported."""
    ap = argparse.ArgumentParser(prog="python -m dialogue.content.importers", description=__doc__.split("\n\n")[0])
    ap.add_argument("source", choices=sorted(IMPORTERS))
    ap.add_argument("src", type=Path, help="the downloaded dataset (file or folder)")
    ap.add_argument("--out", type=Path, required=True, help="folder to write case YAML files and images into")
    args = ap.parse_args(argv)
    try:
        result = IMPORTERS[args.source](args.src, LabelSet(load_diagnoses()))
    except ContentError as e:
        print(f"ERROR: {e}")
        return 1
    labels = LabelSet(load_diagnoses())
    written = write_cases(result, args.out, labels)
    _, problems = import_report(result, labels)
    print(f"imported {len(result.cases)} case(s), {len(result.images)} image(s), {len(result.errors)} error(s)")
    for err in result.errors:
        print(f"ERROR: {err}")
    incomplete = len({p.split(":")[0] for p in problems})
    print(
        f"{incomplete} case(s) lack content the check asks for ({len(problems)} item(s)): see "
        f"{args.out / 'import_report.md'} for what each run does without it"
    )
    print(f"wrote {len(written)} file(s) to {args.out}")
    return 0 if result.cases else 1


if __name__ == "__main__":
    sys.exit(main())
