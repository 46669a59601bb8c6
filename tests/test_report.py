"""Reports: tables, leaderboard with paired comparisons, agreement, markdown/HTML output with plots."""

from __future__ import annotations

from pathlib import Path

from dialogue.runtime import Runtime
from dialogue.schema import Assessment, ItemVerdict
from dialogue.scoring import report


async def test_report_over_real_sessions(runtime: Runtime, tmp_path: Path) -> None:
    ids = []
    for doctor in ("reference", "no-dialogue"):
        for case in ("stye-01", "hives-01", "caries-02"):
            c = runtime.new_consultation(case, "sanguine", doctor=doctor)
            [e async for e in c.run()]
            ids.append(c.session.id)
    rubric = runtime.library.rubrics["dialogue_quality"]
    for name, val in (("alice", True), ("bob", False)):
        verdicts = [
            ItemVerdict(item_id=i.id, value=val if i.kind == "yes_no" else "satisfactory") for i in rubric.items
        ]
        for sid in ids[:3]:
            runtime.store.set_annotation(sid, name, Assessment(by=f"human:{name}", verdicts=verdicts))
    records = [runtime.store.record(i) for i in ids]
    truths = {c.id: c.diagnosis for c in runtime.library.cases.values()}
    df = report.session_rows(records, runtime.library.labels, truths)
    assert len(df) == 6 and set(df["truth"]) == {"stye", "hives", "caries"}
    board = report.leaderboard(df)
    assert list(board["rank"]) == ["1", "2"] and board.iloc[1]["Δ accuracy vs leader (paired, points)"].endswith(
        "(n=3)"
    )
    one = runtime.new_consultation("stye-01", "sanguine", doctor="scripted:FINAL DIAGNOSIS: stye")
    [e async for e in one.run()]  # one lucky correct session must not lead the board
    df1 = report.session_rows([*records, runtime.store.record(one.session.id)], runtime.library.labels, truths)
    board1 = report.leaderboard(df1)
    last = board1.iloc[-1]
    assert last["n"] == 1 and last["rank"] == "—" and "n too small" in last["weighted F1 (%)"]
    agr = report.agreement(records, rubric)
    kappa = agr.set_index("item")["kappa human-human"]
    assert set(agr["annotators"]) == {2} and kappa["competence"] == 1.0  # both said "satisfactory"
    assert (kappa.drop("competence") <= 0).all()  # alice said yes to everything, bob no
    md = report.write_report(records, runtime.library.labels, rubric, truths, tmp_path / "md")
    text = md.read_text()
    assert (
        "## Leaderboard" in text
        and "By temperament" in text
        and (tmp_path / "md" / "f1_by_temperament.png").stat().st_size > 1000
    )
    html = report.write_report(records, runtime.library.labels, rubric, truths, tmp_path / "html", fmt="html")
    assert "<table>" in html.read_text() and "data:image/png;base64," in html.read_text()


def test_validity_panel_is_compact_and_says_when_missing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dialogue.views import validity_panel

    assert "No validity figures yet" in validity_panel(tmp_path)
    (tmp_path / "patient_fidelity_heldout.md").write_text(
        "| patient | temperament | n | answered | wrong-topic | absent → plain no | open | unknowable | c |\n"
        "| grounded | all | 632 | 82.3% (415/504) | 9.0% (57/632) | 100.0% (112/112) | 100.0% (56/56) | x | y |\n"
        "| grounded | sanguine | 158 | 80.0% (1/2) | 9.0% (1/2) | 100.0% (1/1) | 100.0% (1/1) | x | y |\n"
    )
    out = validity_panel(tmp_path)
    assert "| grounded | 82.3% | 9.0% | 100.0% | 100.0% |" in out and "sanguine" not in out


def test_validity_panel_names_the_items_not_to_trust(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An item with low κ is flagged unless AC1 shows the low κ is only a skewed label share."""
    from dialogue.views import validity_panel

    (tmp_path / "judge_validity_heldout2.md").write_text(
        "### Judge validity: rules on the heldout half (2 pairs)\n\n"
        "| κ reasoning | 0.17 (AC1 0.65, agreement 75%; 15 of 20 labelled yes) | ≥ 0.6 |\n"
        "| κ treatment_plan | 0.00 (AC1 0.97, agreement 97%; 29 of 30 labelled yes) | ≥ 0.6 |\n"
        "| κ empathy | 0.86 (AC1 0.92, agreement 95%; 10 of 20 labelled yes) | ≥ 0.6 |\n"
    )
    out = validity_panel(tmp_path)
    assert "Not to be trusted" in out and "reasoning" in out.split("Not to be trusted")[1]
    assert "treatment plan" not in out.split("Not to be trusted")[1] and "empathy." not in out


def test_leaderboard_puts_the_higher_f1_first() -> None:
    """Seen in a strategy run: the doctor with the lowest weighted F1 was ranked 1 (the sort was inverted)."""
    import pandas as pd

    rows = [
        {"doctor": d, "case": f"c{i}", "temperament": "sanguine", "axes": "none", "seed": 0, "truth": t,
         "preds": [t if d == "good" else "chalazion"], "correct": d == "good", "rubric": 0.5, "consultation": 0.5,
         "status": "ended"}
        for d in ("bad", "good")
        for i, t in enumerate(["stye", "hives", "caries"])
    ]  # fmt: skip
    board = report.leaderboard(pd.DataFrame(rows))
    assert list(board["doctor"]) == ["good", "bad"] and list(board["rank"]) == ["1", "2"]
