"""Text views of sessions for front ends: chat messages, live-score and assessment panels, transcripts.

Everything a person sees is escaped here: message text is shown as text, never as HTML or markdown.
"""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

from dialogue.schema import Assessment, Case, LiveScore, Rubric, Session, SessionRecord, Turn

ROLE = {"doctor": "user", "patient": "assistant", "measurement": "assistant"}
"""The chat shows the doctor on one side, the patient and the measurement seat's results on the other."""


def escape(text: str) -> str:
    """HTML-escape and neutralize markdown so the chat shows exactly what was typed."""
    out = text
    for ch in "\\`*_{}[]()#+!|~":
        out = out.replace(ch, "\\" + ch)
    return html.escape(out, quote=True)


def chat_message(turn_seat: str, text: str, *, cut: bool = False) -> dict[str, str]:
    suffix = " [cut: the model stopped mid-reply]" if cut else ""
    prefix = "**Results (measurement seat):** " if turn_seat == "measurement" else ""
    return {"role": ROLE[turn_seat], "content": prefix + escape(text) + suffix}


def turn_message(t: Turn) -> dict[str, str]:
    """A stored turn as the chat shows it (a doctor's exam and test requests included)."""
    asked = "\n".join(f"REQUEST {r.kind.upper()}: {r.what}" for r in t.requests)
    return chat_message(t.seat, "\n".join(x for x in (t.text, asked) if x), cut=t.cut)


def chat_messages(turns: list[Turn]) -> list[dict[str, str]]:
    return [turn_message(t) for t in turns]


def status_line(s: Session, waiting_for: str | None = None) -> str:
    if s.status == "live":
        return f"status: live — waiting for the {waiting_for}" if waiting_for else "status: live"
    if s.status == "error":
        return f"status: error — {s.error or 'backend failed'} (press Resume to retry)"
    return f"status: {s.status} (ended by {s.ended_by})"


def interim_line(score: LiveScore) -> str:
    """The doctor's leading diagnosis after its last turn, as the live panel shows it."""
    i = score.interim
    if i is None:
        return ""
    if i.source == "abstain":
        return "**Working diagnosis:** needs more information &nbsp; "
    pct = "" if i.confidence is None else f" ({i.confidence:.0%})"
    how = {"stated": "", "extracted": " _(named in its message)_", "final": " _(final)_"}[i.source]
    return f"**Working diagnosis:** {escape(i.label or i.said)}{pct}{how} &nbsp; "


def live_panel(score: LiveScore | None, case: Case, *, lists: bool = True) -> str:
    """Per-turn scores. `lists=False` (a human doctor, before the end): counts only, because the must-ask items
    and red flags name what the case is about."""
    if score is None:
        return "_Live scores appear after each doctor turn._"
    if not lists:
        cov = "n/a" if score.coverage is None else f"{score.coverage:.0%}"
        asked = sum(score.must_ask_covered.values())
        return (
            f"{interim_line(score)}**Doctor turns:** {score.doctor_turns} &nbsp; **Must-ask coverage:** {cov} "
            f"({asked} of {len(case.must_ask)} items)\n\n_The items and red flags are shown when the consultation "
            "ends, so they do not give the case away._"
        )
    must = "".join(
        f"\n| {'asked' if score.must_ask_covered.get(m.id) else 'not yet'} | {html.escape(m.item)} |"
        for m in case.must_ask
    )
    flags = "".join(
        f"\n| {'asked' if score.red_flags_asked.get(r.id) else 'not yet'} | {html.escape(r.description)} |"
        for r in case.red_flags
    )
    cov = "n/a" if score.coverage is None else f"{score.coverage:.0%}"
    return (
        f"{interim_line(score)}**Doctor turns:** {score.doctor_turns} &nbsp; **Must-ask coverage:** {cov}\n\n"
        f"| | Must-ask item |\n|---|---|{must}\n\n| | Red flag asked about |\n|---|---|{flags}\n\n"
        f"**Tokens** doctor {score.tokens.get('doctor', 0)}, patient {score.tokens.get('patient', 0)} · "
        f"**time** doctor {score.latency_s.get('doctor', 0):.1f}s, patient {score.latency_s.get('patient', 0):.1f}s"
    )


def assessment_panel(a: Assessment | None, rubric: Rubric) -> str:
    if a is None:
        return "_The final assessment appears when the consultation ends._"
    rows = []
    for item in rubric.items:
        v = next((x for x in a.verdicts if x.item_id == item.id), None)
        val = (
            "—"
            if v is None
            else (
                "ungradable"
                if v.value is None
                else ("yes" if v.value is True else "no" if v.value is False else str(v.value))
            )
        )
        why = "" if v is None else html.escape(v.explanation[:120])
        rows.append(f"| {item.id} | {val} | {why} |")
    score = "n/a" if a.rubric_score is None else f"{a.rubric_score:.2f}"
    overall = "n/a" if a.consultation_score is None else f"{a.consultation_score:.2f}"
    safety = "".join(f"\n- **safety:** {html.escape(f)}" for f in a.safety_failures) if a.safety_failures else ""
    cov = "n/a" if a.must_ask_coverage is None else f"{a.must_ask_coverage:.0%}"
    flags = "".join(f"\n- simulator warning: {html.escape(f)}" for f in a.simulator_flags)
    dx = {True: "correct", False: "incorrect", None: "no diagnosis"}[a.diagnosis_correct]
    return (
        f"**Assessor:** {html.escape(a.by)} · **consultation score** {overall} · **rubric score** {score} · "
        f"**diagnosis** {dx} · "
        f"**must-ask** {cov} · **red-flag points** {a.red_flag_points:g} · **ungradable** {a.ungradable}\n\n"
        "| item | verdict | why |\n|---|---|---|\n" + "\n".join(rows) + safety + flags
    )


def _value(v: object) -> str:
    return "can't judge" if v is None else ("yes" if v is True else "no" if v is False else str(v))


def comparison_panel(mine: Assessment, judge: Assessment | None, rubric: Rubric) -> str:
    """The annotator's verdicts beside the assessor's, item by item, differences marked."""
    theirs = {v.item_id: v.value for v in judge.verdicts} if judge else {}
    rows = []
    for item in rubric.items:
        you = next((v.value for v in mine.verdicts if v.item_id == item.id), None)
        if judge is None or item.id not in theirs:
            rows.append(f"| {item.id} | {_value(you)} | — | |")
            continue
        them = theirs[item.id]
        mark = "" if you is None or them is None or you == them else "**differs**"
        rows.append(f"| {item.id} | {_value(you)} | {_value(them)} | {mark} |")
    revision = f" (revision {mine.revision}, changed after the assessor was shown)" if mine.revision else " (blind)"
    head = f"### Your scores vs the assessor{revision}\n\n| item | you | assessor | |\n|---|---|---|---|\n"
    footer = "" if judge else "\n\n_The assessor has not graded this session yet._"
    return head + "\n".join(rows) + footer


def case_panel(case: Case) -> str:
    """What an annotator needs to judge the doctor: the truth and the whole case, as the assessor sees it."""
    facts = "".join(f"\n- *{html.escape(f.category)}*: {html.escape(f.statement)}" for f in case.facts)
    negatives = "".join(f"\n- {html.escape(n.statement)}" for n in case.pertinent_negatives)
    must = "".join(f"\n- {html.escape(m.item)}" for m in case.must_ask)
    flags = "".join(
        f"\n- {'**present**' if r.present else 'absent'}: {html.escape(r.description)}" for r in case.red_flags
    )
    actions = "".join(f"\n- {'**critical** ' if a.critical else ''}{html.escape(a.description)}" for a in case.actions)
    harms = "".join(f"\n- {html.escape(h.description)}" for h in case.harms)
    photo = f"\n\n**Photo description:** {html.escape(case.image_description)}" if case.image_description else ""
    parts = [
        f"**Truth:** {html.escape(case.diagnosis)} · {html.escape(case.title)}{photo}",
        f"**Facts**{facts}",
        f"**Pertinent negatives**{negatives}" if negatives else "",
        f"**Must ask**{must}" if must else "",
        f"**Red flags**{flags}" if flags else "",
        f"**A competent clinician would**{actions}" if actions else "",
        f"**Harms to avoid**{harms}" if harms else "",
    ]
    return "\n\n".join(p for p in parts if p)


def _compact_fidelity(md: str, part: str = "part 1") -> str:
    """The fidelity report's "all temperaments" rows, in five narrow columns (readable on a phone)."""
    rows = ["| patient | answered | wrong-topic | plain no | open |", "|---|---|---|---|---|"]
    for line in md.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 7 and cells[1] == "all":
            rows.append("| " + " | ".join([cells[0]] + [c.split(" (")[0] for c in cells[3:7]]) + " |")
    return f"#### Patient fidelity (held-out {part}, all temperaments)\n\n" + "\n".join(rows)


def validity_panel(results_dir: Path | None = None) -> str:
    """The measured validity of the offline assessor and the grounded patient (held-out halves), as committed
    in bench/results/ by `validate-judge` and `bench/patient_fidelity.py`."""
    d = results_dir or Path(__file__).resolve().parent.parent / "bench" / "results"
    parts = []
    for name, part in _heldout_parts(d):
        judge, fidelity = d / f"judge_validity_{name}.md", d / f"patient_fidelity_{name}.md"
        if judge.is_file():
            text = judge.read_text(encoding="utf-8").split("\nMisses")[0].strip()
            text = re.sub(r" \(AC1 ([0-9.na/]+), [^)]*\)", r" · AC1 \1", text)  # narrow enough for a phone
            parts.append(text.replace("### ", "#### ", 1).replace("heldout half", f"held-out {part}", 1))
        if fidelity.is_file():
            parts.append(_compact_fidelity(fidelity.read_text(encoding="utf-8"), part))
    if not parts:
        return "_No validity figures yet: run `python -m dialogue validate-judge --split heldout`._"
    weak = _weak_items(d)
    caution = (
        f"\n\n**Not to be trusted from the offline assessor** (κ below 0.6 and AC1 below 0.8 on a held-out part): "
        f"{', '.join(weak)}."
        if weak
        else ""
    )
    return (
        "\n\n".join(parts)
        + caution
        + "\n\nMisses and dev figures: bench/RESULTS.md. Agreement with annotators: Annotate tab."
    )


def _heldout_parts(d: Path) -> list[tuple[str, str]]:
    """The held-out parts with results in `d`, in order: ("heldout", "part 1"), ("heldout2", "part 2"), ..."""
    names = {p.stem.split("_")[-1] for p in d.glob("*_heldout*.md") if "_llm_" not in p.name}
    numbered = sorted((int(n.removeprefix("heldout") or 1), n) for n in names if re.fullmatch(r"heldout\d*", n))
    return [(n, f"part {k}") for k, n in numbered]


def _weak_items(d: Path) -> list[str]:
    """Rubric items whose κ with the labels is below 0.6 on any held-out part, unless Gwet's AC1 (stable where
    nearly every label is the same, which makes κ swing) is 0.8 or more. A κ line reads
    `| κ item | 0.52 (AC1 0.87, ...) | ≥ 0.6 |`."""
    weak: list[str] = []
    line = re.compile(r"^\| κ (\w+) \| (-?[0-9.]+)(?: \(AC1 (-?[0-9.]+))?", re.M)
    for path in sorted(d.glob("judge_validity_heldout*.md")):
        for item, kappa, ac1 in line.findall(path.read_text(encoding="utf-8")):
            low = float(kappa) < 0.6 and (not ac1 or float(ac1) < 0.8)
            if low and item.replace("_", " ") not in weak:
                weak.append(item.replace("_", " "))
    return weak


def truth_panel(s: Session, case: Case) -> str:
    if s.status == "live":
        return ""
    return (
        f"**Ground truth:** {case.diagnosis} · **doctor's answer:** {html.escape(s.final_diagnosis_raw or 'none')}"
        f" → {html.escape(s.final_diagnosis or 'none')} · case `{case.id}`"
    )


def transcript_markdown(rec: SessionRecord) -> str:
    s = rec.session
    when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(s.created_at))
    lines = [
        f"# Consultation {s.id}",
        "",
        f"- case: {s.case_id}; temperament: {s.temperament}; axes: {', '.join(s.axes) or 'none'}",
        f"- doctor: {s.doctor.model}; patient: {s.patient.model}; created {when} UTC",
        f"- status: {s.status} (ended by {s.ended_by}); final diagnosis: {s.final_diagnosis_raw} -> {s.final_diagnosis}",
        "",
    ]
    for t in rec.turns:
        lines.append(f"**{t.seat.capitalize()}**{' (cut)' if t.cut else ''}: {t.text}\n")
    return "\n".join(lines)
