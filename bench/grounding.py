"""Which offline patient stays truer to the case: `grounded` (no LLM) or `local` (embedded Gemma 3 270M)?

Each patient seat answers a fixed bank of standard history questions for N cases (every k-th case of the
library, so the labels are spread), in a two-turn context: the opening complaint, then one doctor question.
The seat is called directly (`facts_for` then `stream`), exactly as the consultation engine does.

Metrics per patient:
- support: share of answer sentences of >= 4 words whose best similarity to the complaint, a fact or a
  pertinent negative is >= UNSUPPORTED_THRESHOLD (the rule of `fidelity.unsupported_sentences`),
  and the share of answers whose every content sentence is supported (admissions of not knowing excepted);
- invented numbers: answers holding a number (digits or number words) that no case text contains;
- admits not knowing: for the questions no case answers, answers that say so;
- leaks: answers naming the diagnosis label or a synonym;
- latency per answer (fact selection included).

    .venv/bin/python bench/grounding.py [--cases N] [--out bench/results/grounding.md]

The LLM answers dominate the runtime (seconds each on a CPU); `--max-seconds` stops asking once spent. The
(case, question) pairs run in a Latin-square order, so a stopped run stays balanced over cases and questions;
both patients always answer the same pairs, and the report gives how many were asked.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import asdict, dataclass, field  # noqa: E402
from typing import TextIO  # noqa: E402

from common import machine  # noqa: E402  (bench/common.py: one machine description for every bench)

from dialogue.agents.fidelity import UNSUPPORTED_THRESHOLD  # noqa: E402
from dialogue.agents.patient import GroundedPatient, LLMPatient, PatientContext, select_facts  # noqa: E402
from dialogue.backends.local import LocalBackend  # noqa: E402
from dialogue.content.cases import Library, load_library  # noqa: E402
from dialogue.content.labels import find_terms  # noqa: E402
from dialogue.matching import Matcher, default_matcher, split_questions, words  # noqa: E402
from dialogue.schema import Case, Fact, Negative, Persona, Turn  # noqa: E402

# (id, question, answerable): the last two are never answered by any case.
QUESTIONS: list[tuple[str, str, bool]] = [
    ("onset", "When did it start?", True),
    ("location", "Where exactly on your body is it?", True),
    ("itch-pain", "Is it itchy or painful?", True),
    ("spread", "Has it spread or changed since it began?", True),
    ("previous", "Have you had anything like this before?", True),
    ("medicines", "Are you taking any medicines or using any creams?", True),
    ("allergies", "Do you have any allergies?", True),
    ("family", "Does anyone in your family have skin problems or a similar condition?", True),
    ("smoking-work", "Do you smoke, and what do you do for work?", True),
    ("systemic", "Have you had a fever or felt generally unwell?", True),
    ("antarctica", "Have you travelled to Antarctica recently?", False),
    ("blood-type", "What is your blood type?", False),
]
ADMIT_RE = re.compile(
    r"not sure|do(?:n'?t| not) know|no idea|haven'?t (?:really )?noticed|couldn'?t tell|can'?t (?:say|tell|remember)",
    re.IGNORECASE,
)
_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty"
)
_NUM_WORDS = {w: i for i, w in enumerate(_ONES.split())}
_NUM_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90})
_NUM_WORDS.update({"hundred": 100, "dozen": 12})
_UNIT = r"(?:second|minute|hour|day|night|week|month|year|time|degree|tablet|pill|cigarette|pack|drink|unit)s?"
_NUM_RE = re.compile(r"\d+(?:[.,]\d+)?|\b(" + "|".join(_NUM_WORDS) + r")\b(?:[\s-]+(" + _UNIT + r"))?", re.I)
PATIENTS = ("grounded", "local")
NOTES = """How to read it:
- *Sentence support (assessor rule)* is exactly what `fidelity.unsupported_sentences` would flag: it
  splits patient text with `split_questions` (made for doctor questions, so a fact spoken verbatim is cut at
  ', and'), and counts the temperament's stock phrases ('Honestly it's probably nothing much.') as unsupported.
- *Fully supported* splits at sentence ends only, cuts the temperament's stock phrases off and ignores
  admissions of not knowing, then needs every remaining content sentence to reach the threshold.
- Embedding similarity ignores polarity: 'Yes, it hurts like hell!' is 'supported' by 'It doesn't hurt at all'.
  The 'says yes where ... a denial' row catches that case: its denominator is the answers to questions whose
  selected facts (select_facts, limit 4, the same for both patients) are all denials.
- A bare 'Yes.' has no content word, so the support rows cannot judge it."""


def numbers(text: str) -> set[float]:
    """Numeric values in `text` (digits, and number words; 'one' only before a unit: 'one day')."""
    out: set[float] = set()
    for m in _NUM_RE.finditer(text):
        if m.group(1) is None:
            out.add(float(m.group(0).replace(",", ".")))
        elif m.group(1).lower() != "one" or m.group(2):
            out.add(float(_NUM_WORDS[m.group(1).lower()]))
    return out


def case_texts(case: Case) -> list[list[str]]:
    """What supports a patient sentence (the assessor's list): complaint, facts, negatives."""
    out = [[case.general_complaint]] + [[f.statement, f.patient_says] for f in case.facts]
    return out + [[n.statement, n.patient_says] for n in case.pertinent_negatives]


def admits(text: str) -> bool:
    return bool(ADMIT_RE.search(text.replace("\u2019", "'")))


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'")))


def filler_lines(persona: Persona) -> set[str]:
    """The temperament's stock phrases (openers, closers, 'don't know' lines): style, not claims about the case."""
    st = persona.style
    return {
        _norm(s) for line in [*st.openers, *st.closers, *st.unknown, *st.deny_prefix] for s in split_questions(line)
    }


@dataclass
class Answer:
    patient: str
    case_id: str
    temperament: str
    qid: str
    question: str
    answerable: bool
    text: str
    facts: list[str]
    latency_s: float
    long_sents: int = 0
    long_supported: int = 0
    fully_supported: bool = True
    filler: int = 0
    bare: bool = False
    denied: bool = False
    says_yes: bool = False
    contradicts: bool = False
    invented: list[float] = field(default_factory=list)
    admits: bool = False
    leaks: list[str] = field(default_factory=list)


_SENT_RE = re.compile(r"(?<=[.?!])\s+|\n+")
_YES_RE = re.compile(r"^\W*(yes|yeah|yep|yup|sure|definitely|i do|i have|i did)\b", re.IGNORECASE)
_DENIAL_RE = re.compile(
    r"^\W*(no|nope|not|never|none|nothing|nobody|i (don't|do not|haven't|have not|didn't|did not|am not|'m not))\b"
    r"|\bno (known )?allerg",
    re.IGNORECASE,
)


def claims(text: str, filler: set[str]) -> tuple[list[str], int]:
    """The answer's sentences with the temperament's stock phrases cut off the front, and how many were cut.

    Split only at sentence ends (not at ', and', as `split_questions` does for doctor questions), so a fact
    spoken verbatim stays one sentence.
    """
    out, cut = [], 0
    for sent in (x.strip() for x in _SENT_RE.split(text) if x.strip()):
        n = _norm(sent)
        for f in sorted(filler, key=len, reverse=True):
            if f and (n == f or n.startswith(f + " ")):
                n, cut = n[len(f) :].strip(), cut + 1
        if n and words(n):
            out.append(n)
    return out, cut


def is_denial(item: Fact | Negative) -> bool:
    return isinstance(item, Negative) or bool(_DENIAL_RE.search(item.patient_says))


def score(a: Answer, case: Case, matcher: Matcher, terms: list[str], filler: set[str]) -> None:
    text = a.text.strip()
    # 1. The assessor's rule, as it stands: split_questions, sentences of >= 4 words.
    long = [x for x in split_questions(text) if len(x.split()) >= 4] if text else []
    if long:
        sims = matcher.similarity(long, case_texts(case)).max(axis=1)
        a.long_sents, a.long_supported = len(long), int((sims >= UNSUPPORTED_THRESHOLD).sum())
    # 2. Every content sentence (stock phrases and admissions of not knowing aside) supported.
    sents, a.filler = claims(text, filler)
    sents = [x for x in sents if not admits(x)]
    if sents:
        sims = matcher.similarity(sents, case_texts(case)).max(axis=1)
        a.fully_supported = bool((sims >= UNSUPPORTED_THRESHOLD).all())
    a.bare = bool(text) and not words(text)
    # 3. Polarity, which embeddings miss: 'Yes' where every fact that answers the question (the same
    #    selection for both patients: select_facts with the LLM patient's limit of 4) is a denial.
    chosen = select_facts(case, a.question, matcher, limit=4)
    a.denied = bool(chosen) and all(is_denial(i) for i in chosen)
    a.says_yes = bool(_YES_RE.search(text))
    a.contradicts = a.says_yes and a.denied
    known: set[float] = set()
    for group in case_texts(case):
        for t in group:
            known |= numbers(t)
    a.invented = sorted(numbers(text) - known)
    a.admits = admits(text)
    a.leaks = find_terms(text, terms)


async def ask(seat: GroundedPatient | LLMPatient, case: Case, question: str) -> tuple[str, list[str], float]:
    turns = [
        Turn(index=0, seat="patient", text=case.general_complaint, by="case"),
        Turn(index=1, seat="doctor", text=question, by="bench"),
    ]
    t0 = time.perf_counter()
    facts = seat.facts_for(turns)
    text = "".join([p async for p in seat.stream(turns, facts)])
    return text.strip(), [f.id for f in facts], time.perf_counter() - t0


def pick_cases(lib: Library, n: int) -> list[str]:
    ids = lib.case_ids
    k = max(1, len(ids) // max(1, n))
    return ids[::k][:n]


async def run(
    lib: Library, case_ids: list[str], max_seconds: float, log: logging.Logger, sink: TextIO | None = None
) -> list[Answer]:
    """Ask every (case, question) pair of both patients, in an order whose every prefix is balanced.

    Round r asks case i question (i + r) mod Q (a Latin square), so when the time budget stops the run
    early, each case and each question (the unanswerable ones included) has been asked about equally often.
    """
    matcher = default_matcher()
    backend = LocalBackend()
    await backend.warm()
    seats: list[dict[str, GroundedPatient | LLMPatient]] = []
    for i, cid in enumerate(case_ids):
        temperament = "sanguine" if i % 2 else "phlegmatic"
        ctx = PatientContext(lib.cases[cid], lib.personas[temperament], [], None, 1000 + i)
        seats.append({"grounded": GroundedPatient(ctx, matcher), "local": LLMPatient(ctx, backend, matcher)})
    start = time.perf_counter()
    answers: list[Answer] = []
    total = len(case_ids) * len(QUESTIONS)
    for r in range(len(QUESTIONS)):
        for i, cid in enumerate(case_ids):
            if time.perf_counter() - start > max_seconds:
                log.warning("time budget spent: stopping after %d of %d pairs", len(answers) // 2, total)
                return answers
            case = lib.cases[cid]
            terms = lib.labels.terms_for(case.diagnosis)
            qid, question, answerable = QUESTIONS[(i + r) % len(QUESTIONS)]
            for name, seat in seats[i].items():
                text, facts, lat = await ask(seat, case, question)
                temperament = seat.ctx.persona.id
                a = Answer(name, cid, temperament, qid, question, answerable, text, facts, lat)
                score(a, case, matcher, terms, filler_lines(seat.ctx.persona))
                answers.append(a)
                if sink is not None:  # as we go, so a killed run can still be scored with --rescore
                    sink.write(json.dumps(asdict(a)) + "\n")
                    sink.flush()
        log.info("round %d/%d done (%.0f s)", r + 1, len(QUESTIONS), time.perf_counter() - start)
    return answers


def pct(num: float, den: float) -> str:
    return "n/a" if den == 0 else f"{100 * num / den:.0f}% ({num:g}/{den:g})"


def summary_table(answers: list[Answer]) -> str:
    rows = {p: [a for a in answers if a.patient == p] for p in PATIENTS}
    metrics: list[tuple[str, list[str]]] = []

    def add(name: str, fn: Callable[[list[Answer]], str]) -> None:
        metrics.append((name, [fn(rows[p]) for p in PATIENTS]))

    add("answers", lambda r: str(len(r)))
    add("empty answers", lambda r: pct(sum(not a.text for a in r), len(r)))
    add(
        f"sentence support (>= 4 words, sim >= {UNSUPPORTED_THRESHOLD}; assessor rule)",
        lambda r: pct(sum(a.long_supported for a in r), sum(a.long_sents for a in r)),
    )
    add(
        "answers fully supported (every content sentence; 'don't know' and temperament stock phrases allowed)",
        lambda r: pct(sum(a.fully_supported and bool(a.text) for a in r), len(r)),
    )
    add("bare answers (no content word, e.g. 'Yes.')", lambda r: pct(sum(a.bare for a in r), len(r)))
    add(
        "says 'yes' where every fact selected for the question is a denial",
        lambda r: pct(sum(a.contradicts for a in r), sum(a.denied for a in r)),
    )
    add(
        "unanswerable questions: says 'yes'",
        lambda r: pct(sum(a.says_yes for a in r if not a.answerable), sum(not a.answerable for a in r)),
    )
    add("answers with an invented number", lambda r: pct(sum(bool(a.invented) for a in r), len(r)))
    add(
        "unanswerable questions: admits not knowing",
        lambda r: pct(sum(a.admits for a in r if not a.answerable), sum(not a.answerable for a in r)),
    )
    add(
        "answerable questions: admits not knowing",
        lambda r: pct(sum(a.admits for a in r if a.answerable), sum(a.answerable for a in r)),
    )
    add("leaks (label or synonym named)", lambda r: str(sum(bool(a.leaks) for a in r)))
    add("mean words per answer", lambda r: f"{statistics.mean(len(a.text.split()) for a in r):.1f}" if r else "n/a")
    add("mean latency per answer (s)", lambda r: f"{statistics.mean(a.latency_s for a in r):.2f}" if r else "n/a")
    add("median latency per answer (s)", lambda r: f"{statistics.median(a.latency_s for a in r):.2f}" if r else "n/a")
    lines = ["| metric | grounded | local (Gemma 3 270M) |", "|---|---|---|"]
    lines += [f"| {m} | {g} | {loc} |" for m, (g, loc) in metrics]
    return "\n".join(lines)


def per_question_table(answers: list[Answer]) -> str:
    lines = [
        "| question | facts selected | grounded fully supported | local fully supported "
        "| grounded admits | local admits | local invented numbers |",
        "|---|---|---|---|---|---|---|",
    ]
    for qid, question, _ in QUESTIONS:
        g = [a for a in answers if a.qid == qid and a.patient == "grounded"]
        loc = [a for a in answers if a.qid == qid and a.patient == "local"]
        if not g:
            continue
        lines.append(
            f"| {question} | {sum(bool(a.facts) for a in g)}/{len(g)} "
            f"| {sum(a.fully_supported and bool(a.text) for a in g)}/{len(g)} "
            f"| {sum(a.fully_supported and bool(a.text) for a in loc)}/{len(loc)} "
            f"| {sum(a.admits for a in g)}/{len(g)} | {sum(a.admits for a in loc)}/{len(loc)} "
            f"| {sum(bool(a.invented) for a in loc)}/{len(loc)} |"
        )
    return "\n".join(lines)


def examples(answers: list[Answer], matcher: Matcher, k: int = 3) -> str:
    """The k pairs (same case and question) whose two answers are least alike, distinct cases and questions."""
    g = {(a.case_id, a.qid): a for a in answers if a.patient == "grounded"}
    pairs = [(g[(a.case_id, a.qid)], a) for a in answers if a.patient == "local" and (a.case_id, a.qid) in g]
    scored = []
    for ga, la in pairs:
        sim = float(matcher.similarity([ga.text or "-"], [[la.text or "-"]])[0, 0]) if la.text else 0.0
        scored.append((sim, ga, la))
    scored.sort(key=lambda t: t[0])
    out: list[str] = []
    seen_c: set[str] = set()
    seen_q: set[str] = set()
    for sim, ga, la in scored:
        if ga.case_id in seen_c or ga.qid in seen_q or not la.text:
            continue
        seen_c.add(ga.case_id)
        seen_q.add(ga.qid)

        def note(a: Answer) -> str:
            bits = ["fully supported" if a.fully_supported else "unsupported sentence"]
            if a.invented:
                bits.append("invented number(s) " + ", ".join(f"{v:g}" for v in a.invented))
            if a.admits:
                bits.append("admits not knowing")
            if a.leaks:
                bits.append("LEAK " + ", ".join(a.leaks))
            return "; ".join(bits)

        out.append(
            f'**{len(out) + 1}. `{ga.case_id}` ({ga.temperament}), doctor: "{ga.question}"** '
            f"(answer similarity {sim:.2f}; facts selected: {', '.join(ga.facts) or 'none'})\n\n"
            f'- grounded: "{ga.text}" ({note(ga)})\n- local: "{la.text}" ({note(la)})\n'
        )
        if len(out) == k:
            break
    return "\n".join(out)


_BASE_FIELDS = ("patient", "case_id", "temperament", "qid", "question", "answerable", "text", "facts", "latency_s")


def load_answers(path: Path, lib: Library, matcher: Matcher) -> tuple[dict[str, object], list[Answer]]:
    """Answers written by --jsonl, scored again with the current metrics (the meta line, if any, first)."""
    meta: dict[str, object] = {}
    answers: list[Answer] = []
    for line in path.read_text().splitlines():
        row = json.loads(line)
        if "meta" in row:
            meta = row["meta"]
            continue
        a = Answer(**{k: row[k] for k in _BASE_FIELDS})
        case = lib.cases[a.case_id]
        score(a, case, matcher, lib.labels.terms_for(case.diagnosis), filler_lines(lib.personas[a.temperament]))
        answers.append(a)
    pairs = [(a.case_id, a.qid) for a in answers]
    return meta, [a for a in answers if pairs.count((a.case_id, a.qid)) == len(PATIENTS)]  # a killed run's last


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=12, help="number of cases (every k-th case of the library)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "grounding.md")
    ap.add_argument("--jsonl", type=Path, default=None, help="also write every answer, one JSON object a line")
    ap.add_argument("--rescore", type=Path, default=None, help="score the answers of an earlier --jsonl again")
    ap.add_argument(
        "--max-seconds", type=float, default=300.0, help="stop asking new questions after this long (default 300)"
    )
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    for noisy in ("transformers", "sentence_transformers", "httpx", "huggingface_hub"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    log = logging.getLogger("grounding")

    t0 = time.perf_counter()
    lib = load_library()
    matcher = default_matcher()
    cmd = "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:]))
    if args.rescore:
        meta, answers = load_answers(args.rescore, lib, matcher)
        meta.setdefault("command", f"(answers from {args.rescore}; no meta line)")
        meta["rescored"] = f"{dt.datetime.now().strftime('%Y-%m-%d %H:%M')} with `bench/grounding.py{cmd}`"
    else:
        load0 = os.getloadavg()[0]
        case_ids = pick_cases(lib, args.cases)
        sink = args.jsonl.open("w") if args.jsonl else None
        try:
            answers = asyncio.run(run(lib, case_ids, args.max_seconds, log, sink))
        finally:
            if sink is not None:
                sink.close()
        meta = {
            "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "machine": machine(),
            "load": f"{load0:.2f} at start, {os.getloadavg()[0]:.2f} at end",
            "case_ids": case_ids,
            "cases_requested": args.cases,
            "library_size": len(lib.case_ids),
            "max_seconds": args.max_seconds,
            "total_s": round(time.perf_counter() - t0),
            "command": f"bench/grounding.py{cmd}",
        }
    report = render(meta, answers, lib, matcher)
    print(summary_table(answers))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report)
    if args.jsonl:
        rows = [{"meta": meta}, *(asdict(a) for a in answers)]
        args.jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows))
    log.info("wrote %s (%.0f s)", args.out, time.perf_counter() - t0)
    return 0


def render(meta: dict[str, object], answers: list[Answer], lib: Library, matcher: Matcher) -> str:
    seen = list(dict.fromkeys(a.case_id for a in answers))
    raw = meta.get("case_ids")
    case_ids = [str(c) for c in raw] if isinstance(raw, list) else seen
    used = [c for c in case_ids if c in seen]
    n_req = meta.get("cases_requested", len(case_ids))
    pairs = len(answers) // 2
    planned = len(case_ids) * len(QUESTIONS)
    labels = {lib.cases[c].diagnosis for c in used}
    lines = [
        "# Patient grounding: `grounded` vs `local` (embedded Gemma 3 270M)",
        "",
        f"- date: {meta.get('date', 'unknown')}" + (f" (rescored {meta['rescored']})" if "rescored" in meta else ""),
        f"- machine: {meta.get('machine', 'unknown')}; load average {meta.get('load', 'unknown')}",
        f"- cases: N = {len(used)} of {n_req} requested (every k-th of the {meta.get('library_size', '?')} "
        f"library cases), {len(labels)} labels; temperaments alternate phlegmatic / sanguine",
        f"- questions: bank of {len(QUESTIONS)} ({sum(not q[2] for q in QUESTIONS)} never answered by any case); "
        f"(case, question) pairs asked: {pairs} of {planned}"
        + (" (stopped by --max-seconds; the Latin-square order keeps it balanced)" if pairs < planned else ""),
        f"- matcher: {matcher.kind}; answer loop limit {meta.get('max_seconds', '?')} s; "
        f"total runtime {meta.get('total_s', '?')} s",
        f"- command: `.venv/bin/python {meta.get('command', 'bench/grounding.py')}`",
        "",
        "## Summary",
        "",
        summary_table(answers),
        "",
        NOTES,
        "",
        "## Per question",
        "",
        per_question_table(answers),
        "",
        "## Where the two patients differ most",
        "",
        examples(answers, matcher),
        "",
        "Cases: " + ", ".join(f"`{c}`" for c in used),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
