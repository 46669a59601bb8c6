"""Wiring: settings -> content, store, matcher, backends -> consultations. Front ends hold one Runtime."""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
from pathlib import Path

from dialogue.agents.doctor import LLMDoctor
from dialogue.agents.patient import GroundedPatient, LeakGuard, LLMPatient, PatientContext
from dialogue.agents.reference import builtin_hints, make_reference_doctor
from dialogue.agents.strategy import (
    HINTS_K,
    DoctorBrief,
    StrategyError,
    brief_for,
    check_strategy,
    doctor_turns,
    model_hints,
    read_predictions,
)
from dialogue.backends import Backend, make_backend
from dialogue.content.cases import Library, load_library
from dialogue.engine import Assess, Consultation, DoctorAgent, PatientAgent
from dialogue.matching import Matcher, default_matcher
from dialogue.schema import TEMPERAMENTS, AgentConfig, Assessment, Case, Hint, Session, Turn
from dialogue.scoring.assessor import assess_consultation
from dialogue.seats import SeatSpec, check_judge, judge_specs
from dialogue.settings import Settings
from dialogue.store.redis_server import EmbeddedRedis
from dialogue.store.sessions import NotFound, SessionStore

log = logging.getLogger(__name__)

HUMAN = "human"


def new_session_id() -> str:
    """128 random bits, URL-safe: unguessable."""
    return secrets.token_urlsafe(16)


def model_doctor(
    backend: Backend, spec: str, brief: DoctorBrief, seed: int | None, max_turns: int
) -> tuple[DoctorAgent, AgentConfig, str]:
    """An LLM doctor on `backend`, choosing among the brief's candidates; `spec` says how to rebuild it."""
    llm = LLMDoctor(backend, brief, list(brief.candidates), max_turns=max_turns, seed=seed)
    llm.config.spec = spec
    return llm, llm.config, llm.image_sent


class Runtime:
    def __init__(self, settings: Settings, *, library: Library | None = None, store: SessionStore | None = None):
        self.settings = settings
        self.library = library or load_library(
            settings.cases_dir, skip_bad=settings.skip_bad_cases, case_sets=settings.case_sets
        )
        self.redis: EmbeddedRedis | None = None
        if store is None:
            url = settings.redis_url
            if url is None:
                self.redis = EmbeddedRedis(Path(settings.data_dir)).start()
                url = self.redis.url
                log.info("started embedded redis-server %s on %s", self.redis.version, url)
            store = SessionStore(url)
        self.store = store
        self._matcher: Matcher | None = None
        self._matcher_lock = threading.Lock()
        self._backends: dict[str, Backend] = {}

    @property
    def matcher(self) -> Matcher:
        """Built once per process; its embedding model is loaded on first use (see Matcher.embedder)."""
        if self._matcher is None:
            with self._matcher_lock:
                if self._matcher is None:
                    self._matcher = default_matcher()
        return self._matcher

    def close(self) -> None:
        if self._matcher is not None and self._matcher.built and self._matcher.embedder is not None:  # never build
            # one just to close
            self._matcher.embedder.save()
        if self.redis is not None:
            self.redis.stop()

    def warm_embeddings(self, case_ids: list[str] | None = None) -> int:
        """Embed every text the matcher will compare for these cases (once per machine: cached on disk)."""
        emb = self.matcher.embedder
        if emb is None:
            return 0
        texts: list[str] = [
            t for d in self.library.labels.diagnoses for t in (f"{d.label}: {d.definition}", d.definition)
        ]
        for cid in case_ids or self.library.case_ids:
            c = self.library.cases[cid]
            texts += [c.general_complaint, *(t for f in c.facts for t in (f.statement, f.patient_says))]
            texts += [t for n in c.pertinent_negatives for t in (n.statement, n.patient_says)]
            texts += [t for m in c.must_ask for t in (m.item, *m.examples)]
            texts += [t for r in c.red_flags for t in (r.description, *r.examples)]
        texts = list(dict.fromkeys(texts))
        for i in range(0, len(texts), 256):
            emb.encode(texts[i : i + 256])
        emb.save()
        return len(texts)

    # ---------------------------------------------------------------- seats

    def backend(self, spec: str) -> Backend:
        if spec not in self._backends:
            self._backends[spec] = make_backend(
                spec, token=self.settings.hf_token, timeout_s=self.settings.timeout_s, hf_router=self.settings.hf_router
            )
        return self._backends[spec]

    def make_doctor(
        self,
        spec: str | SeatSpec,
        case: Case,
        *,
        seed: int | None,
        max_turns: int,
        strategy: str = "dialogue",
        hints: list[Hint] | None = None,
        backend: Backend | None = None,
    ) -> tuple[DoctorAgent | None, AgentConfig, str]:
        """The doctor seat for a spec (parsed once here) under a strategy, built by the table keyed by its kind;
        `backend` plays it instead when given (a harness's model, e.g. Inspect's model under test)."""
        seat = SeatSpec.parse(spec, seat="doctor")
        cs = self.library.case_set(case.id)
        brief = brief_for(
            case,
            strategy,
            hints,
            LeakGuard(self.library.labels, case.diagnosis).leaks,
            candidates=self.library.closed_labels if cs.diagnosis_space == "closed" else None,
            measurements=cs.setting == "in_person",
            rank_among=self.library.candidates(case.id),
        )
        if backend is not None:
            return model_doctor(backend, f"{backend.name}:{backend.model}", brief, seed, max_turns)
        build = self._DOCTORS.get(seat.kind, Runtime._llm_doctor)
        return build(self, seat, brief, seed, max_turns)

    async def hints_for(self, case_id: str, source: str = "builtin", k: int = HINTS_K) -> list[Hint]:
        """The `hints` strategy's labels for a case: `builtin` (offline stand-in for an image classifier),
        `file:<predictions>` (case id -> ranked labels) or `model:<backend spec>` (any backend, asked for JSON)."""
        case = self.case(case_id)
        kind, _, arg = source.partition(":")
        if kind == "builtin":
            return builtin_hints(case, self.library.labels, self.matcher, k, self.library.candidates(case_id))
        if kind == "file":
            preds = read_predictions(Path(arg))
            if case_id not in preds:
                raise StrategyError(f"{arg} has no prediction for case {case_id!r}")
            return preds[case_id][:k]
        if kind == "model":
            return await model_hints(case, self.backend(arg), self.library.labels, k)
        raise StrategyError(f"unknown hint source {source!r}: use builtin, file:<predictions> or model:<spec>")

    def _human_doctor(
        self, seat: SeatSpec, brief: DoctorBrief, seed: int | None, max_turns: int
    ) -> tuple[DoctorAgent | None, AgentConfig, str]:
        sent = "image" if brief.image_path else ("description" if brief.image_description else "none")
        return None, AgentConfig(backend=HUMAN, model=HUMAN, spec=str(seat)), sent

    def _reference_doctor(
        self, seat: SeatSpec, brief: DoctorBrief, seed: int | None, max_turns: int
    ) -> tuple[DoctorAgent | None, AgentConfig, str]:
        doc = make_reference_doctor(seat.kind, brief, self.library.labels, self.matcher)
        return doc, doc.config, doc.image_sent

    def _llm_doctor(
        self, seat: SeatSpec, brief: DoctorBrief, seed: int | None, max_turns: int
    ) -> tuple[DoctorAgent | None, AgentConfig, str]:
        return model_doctor(self.backend(str(seat)), str(seat), brief, seed, max_turns)

    _DOCTORS = {HUMAN: _human_doctor, "reference": _reference_doctor, "no-dialogue": _reference_doctor}
    """Doctor builders by seat kind; every other kind is a model backend (`_llm_doctor`)."""

    def make_patient(self, spec: str | SeatSpec, ctx: PatientContext) -> tuple[PatientAgent | None, AgentConfig]:
        """The patient seat for a spec (parsed once here), built by the table keyed by its kind."""
        seat = SeatSpec.parse(spec, seat="patient")
        if seat.kind == HUMAN:
            return None, AgentConfig(backend=HUMAN, model=HUMAN, spec=str(seat))
        agent: GroundedPatient | LLMPatient = (
            GroundedPatient(ctx, self.matcher)
            if seat.kind == "grounded"
            else LLMPatient(ctx, self.backend(str(seat)), self.matcher)
        )
        agent.config.spec = str(seat)
        return agent, agent.config

    def warm(self, spec: str | SeatSpec) -> None:
        """Load a seat's model ahead of its first turn (a no-op for seats that need none)."""
        seat = SeatSpec.parse(spec)
        if seat.uses_backend:
            warm = getattr(self.backend(str(seat)), "warm", None)  # the backend's own method, when it has one
            if callable(warm):
                asyncio.run(warm())

    def assessor(self) -> Assess | None:
        """The final assessor: rules, one judge backend, or a panel (`panel:<spec>;<spec>`); it receives what it
        needs (case, rubric, labels, matcher, judges), never the runtime."""
        judges = [self.backend(x) for x in judge_specs(self.settings.assessor)] or None
        rubric = self.library.rubrics["dialogue_quality"]
        dx = self.backend(check_judge(self.settings.dx_matcher)) if self.settings.dx_matcher else None

        async def assess(session: Session, turns: list[Turn]) -> Assessment:
            return await assess_consultation(
                self.case(session.case_id), session, turns, rubric, self.library.labels, self.matcher, judges, dx
            )

        return assess

    # ---------------------------------------------------------------- consultations

    def case(self, case_id: str) -> Case:
        try:
            return self.library.cases[case_id]
        except KeyError:
            raise NotFound(f"unknown case {case_id!r}") from None

    def belief_for(self, case: Case, axes: list[str], seed: int) -> str | None:
        if not any(self.library.axes[a].axis == "self_diagnosis" for a in axes):
            return None
        guard = LeakGuard(self.library.labels, case.diagnosis)
        options = [
            d for d in case.differential if not guard.leaks(d)
        ]  # "allergic contact dermatitis" names "contact dermatitis"
        return options[seed % len(options)] if options else None

    def new_consultation(
        self,
        case_id: str,
        temperament: str,
        *,
        axes: list[str] | None = None,
        doctor: str | None = None,
        patient: str | None = None,
        seed: int | None = None,
        run_id: str | None = None,
        max_turns: int | None = None,
        session_id: str | None = None,
        owner: str = "",
        strategy: str = "dialogue",
        hints: list[Hint] | None = None,
        doctor_backend: Backend | None = None,
    ) -> Consultation:
        """A new consultation; the `hints` strategy takes its labels in `hints` (see `hints_for`), or the
        built-in provider's when none are given."""
        case = self.case(case_id)
        check_strategy(strategy)
        if strategy == "hints" and hints is None:
            hints = builtin_hints(case, self.library.labels, self.matcher, HINTS_K, self.library.candidates(case.id))
        elif strategy != "hints":
            hints = []
        if temperament not in TEMPERAMENTS:
            raise ValueError(f"unknown temperament {temperament!r}; choose one of {', '.join(TEMPERAMENTS)}")
        axes = sorted(axes or [])
        unknown = [a for a in axes if a not in self.library.axes]
        if unknown:
            raise ValueError(f"unknown axes {unknown}; choose from {sorted(self.library.axes)}")
        kinds = [self.library.axes[a].axis for a in axes]
        if len(kinds) != len(set(kinds)):
            raise ValueError(f"choose at most one value per axis, got {axes}")
        seed = self.settings.seed if seed is None else seed
        max_turns = doctor_turns(strategy, max_turns or self.settings.max_turns)
        doctor_spec = doctor or self.settings.doctor
        patient_spec = patient or self.settings.patient
        belief = self.belief_for(case, axes, seed)
        ctx = PatientContext(
            case, self.library.personas[temperament], [self.library.axes[a] for a in axes], belief, seed
        )
        doc, doc_cfg, image_sent = self.make_doctor(
            doctor_spec, case, seed=seed, max_turns=max_turns, strategy=strategy, hints=hints, backend=doctor_backend
        )
        pat, pat_cfg = self.make_patient(patient_spec, ctx)
        session = Session(
            id=session_id or new_session_id(),
            case_id=case.id,
            temperament=ctx.persona.id,
            axes=axes,
            belief=belief,
            doctor=doc_cfg,
            patient=pat_cfg,
            image_sent=image_sent,  # type: ignore[arg-type]
            max_doctor_turns=max_turns,
            seed=seed,
            run_id=run_id,
            owner=owner,
            strategy=strategy,
            hints=hints or [],
            case_set=self.library.case_set(case.id).id,
            diagnosis_space=self.library.case_set(case.id).diagnosis_space,
        )
        self.store.create(session)
        return self._consultation(session, case, doc, pat, [])

    def _consultation(
        self, session: Session, case: Case, doc: DoctorAgent | None, pat: PatientAgent | None, turns: list
    ) -> Consultation:  # type: ignore[type-arg]
        return Consultation(
            store=self.store,
            session=session,
            case=case,
            labels=self.library.labels,
            matcher=self.matcher,
            doctor=doc,
            patient=pat,
            turns=turns,
            assess=self.assessor(),
            max_message_chars=self.settings.max_message_chars,
            in_person=self.library.case_set(case.id).setting == "in_person",
        )

    def resume(self, session_id: str) -> Consultation:
        """Rebuild a consultation from the store; a session in error goes back to live."""
        s = self.store.get(session_id)
        case = self.case(s.case_id)
        ctx = PatientContext(
            case, self.library.personas[s.temperament], [self.library.axes[a] for a in s.axes], s.belief, s.seed or 0
        )
        doc, _, _ = self.make_doctor(
            s.doctor.spec or HUMAN, case, seed=s.seed, max_turns=s.max_doctor_turns, strategy=s.strategy, hints=s.hints
        )
        pat, _ = self.make_patient(s.patient.spec or HUMAN, ctx)
        if s.reopen():
            self.store.save_header(s)
        return self._consultation(s, case, doc, pat, self.store.turns(session_id))
