"""What a batch run is: its jobs (case x temperament x axes x seed x doctor) and the run id that names it.

Every job's session id is derived from the run id and the job, so rerunning the same command finds its sessions."""

from __future__ import annotations

import base64
import hashlib
import json

from pydantic import BaseModel, field_validator

from dialogue.schema import TEMPERAMENTS
from dialogue.seats import check_spec


class Job(BaseModel, frozen=True):
    case_id: str
    temperament: str
    axes: tuple[str, ...] = ()
    seed: int
    doctor: str

    def key(self) -> str:
        return json.dumps([self.case_id, self.temperament, list(self.axes), self.seed, self.doctor])

    def session_id(self, run_id: str) -> str:
        """132 bits derived from run and job: the same command finds the same sessions."""
        digest = hashlib.sha256(f"{run_id}|{self.key()}".encode()).digest()
        return base64.urlsafe_b64encode(digest).decode()[:22]


class BatchSpec(BaseModel):
    cases: list[str]
    temperaments: list[str] = list(TEMPERAMENTS)
    axes: list[tuple[str, ...]] = [()]
    seeds: list[int] = [0]
    doctors: list[str]
    patient: str = "grounded"
    assessor: str = "rules"
    max_turns: int = 14
    concurrency: int = 32

    @field_validator("doctors")
    @classmethod
    def _doctor_seats(cls, v: list[str]) -> list[str]:
        return [check_spec(d, "doctor") for d in v]

    @field_validator("patient")
    @classmethod
    def _patient_seat(cls, v: str) -> str:
        return check_spec(v, "patient")

    def jobs(self) -> list[Job]:
        return [
            Job(case_id=c, temperament=t, axes=tuple(sorted(a)), seed=s, doctor=d)
            for d in self.doctors
            for c in self.cases
            for t in self.temperaments
            for a in self.axes
            for s in self.seeds
        ]

    def run_id(self) -> str:
        """Default run id: a hash of everything that defines the run (concurrency excluded)."""
        body = self.model_dump(exclude={"concurrency"})
        return "run-" + hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]
