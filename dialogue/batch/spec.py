"""What a batch run is: its jobs (case x temperament x axes x seed x doctor x strategy) and the run id that
names it.

Every job's session id is derived from the run id and the job, so rerunning the same command finds its sessions."""

from __future__ import annotations

import base64
import hashlib
import json

from pydantic import BaseModel, field_validator

from dialogue.agents.strategy import check_hint_source, check_strategy
from dialogue.schema import TEMPERAMENTS
from dialogue.seats import check_spec


class Job(BaseModel, frozen=True):
    case_id: str
    temperament: str
    axes: tuple[str, ...] = ()
    seed: int
    doctor: str
    strategy: str = "dialogue"

    def key(self) -> str:
        """The job's identity; a `dialogue` job keeps the key it had before strategies existed (reruns resume)."""
        key: list[object] = [self.case_id, self.temperament, list(self.axes), self.seed, self.doctor]
        if self.strategy != "dialogue":
            key.append(self.strategy)
        return json.dumps(key)

    def session_id(self, run_id: str) -> str:
        """132 bits derived from run and job: the same command finds the same sessions."""
        digest = hashlib.sha256(f"{run_id}|{self.key()}".encode()).digest()
        return base64.urlsafe_b64encode(digest).decode()[:22]


class BatchSpec(BaseModel):
    cases: list[str]
    temperaments: list[str] = list(TEMPERAMENTS)
    """Temperaments to cross with every case; `published` means each case's own (see `published`)."""
    published: dict[str, str] = {}
    """Case id -> the temperament its source paired it with (3MDBench), for `published`."""
    axes: list[tuple[str, ...]] = [()]
    seeds: list[int] = [0]
    doctors: list[str]
    strategies: list[str] = ["dialogue"]
    hints: str = "builtin"
    """Where the `hints` strategy's labels come from: builtin | file:<predictions> | model:<backend spec>."""
    patient: str = "grounded"
    assessor: str = "rules"
    max_turns: int = 14
    concurrency: int = 32

    @field_validator("doctors")
    @classmethod
    def _doctor_seats(cls, v: list[str]) -> list[str]:
        return [check_spec(d, "doctor") for d in v]

    @field_validator("strategies")
    @classmethod
    def _strategies(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(check_strategy(x) for x in v)) or ["dialogue"]

    @field_validator("hints")
    @classmethod
    def _hint_source(cls, v: str) -> str:
        return check_hint_source(v)

    @field_validator("patient")
    @classmethod
    def _patient_seat(cls, v: str) -> str:
        return check_spec(v, "patient")

    @field_validator("temperaments")
    @classmethod
    def _temperaments(cls, v: list[str]) -> list[str]:
        bad = [t for t in v if t not in (*TEMPERAMENTS, "published")]
        if bad:
            raise ValueError(f"unknown temperament(s) {bad}: use {', '.join(TEMPERAMENTS)} or published")
        return v

    def jobs(self) -> list[Job]:
        """Every job; `published` gives each case its source's temperament (a case without one is left out)."""
        return [
            Job(
                case_id=c,
                temperament=self.published[c] if t == "published" else t,
                axes=tuple(sorted(a)),
                seed=s,
                doctor=d,
                strategy=g,
            )
            for d in self.doctors
            for g in self.strategies
            for c in self.cases
            for t in self.temperaments
            if t != "published" or c in self.published
            for a in self.axes
            for s in self.seeds
        ]

    def run_id(self) -> str:
        """Default run id: a hash of everything that defines the run (concurrency excluded; the strategy fields
        only when they are not the default, so a dialogue-only run keeps the id it had before strategies)."""
        exclude = {"concurrency"} | ({"strategies", "hints"} if self.strategies == ["dialogue"] else set())
        if not self.published:
            exclude.add("published")
        if "hints" not in self.strategies:
            exclude.add("hints")
        body = self.model_dump(exclude=exclude)
        return "run-" + hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]
