"""Settings from environment variables (every one is listed in the README's configuration table)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from dialogue.seats import check_spec


class Settings(BaseModel):
    doctor: str = "local"
    """Default doctor backend spec: local | local:<model> | local4bit:<model> | tgi:<url> | scripted:<a|b> | reference | no-dialogue | human."""
    patient: str = "grounded"
    """Default patient: grounded | local | tgi:<url> | scripted:<a|b> | human."""
    assessor: str = "rules"
    dx_matcher: str | None = None
    """Open case sets: a backend that judges whether a free-text answer names the truth (`CB_DX_MATCHER`)."""
    """Final assessor: rules (deterministic only) | local | tgi:<url>."""
    redis_url: str | None = None
    """External Redis; when unset the app starts its own redis-server on loopback."""
    data_dir: Path = Path("data")
    hf_token: str | None = Field(default=None, repr=False)
    hf_router: str = "https://router.huggingface.co/v1"
    """Where `hf:<model>` seats are sent (Hugging Face Inference Providers' OpenAI-compatible router)."""
    timeout_s: float = 60.0
    max_turns: int = 14
    max_message_chars: int = 4000
    cases_dir: Path | None = None
    case_sets: list[Path] = []
    """Further case-set folders (imported AgentClinic, 3MDBench, ...), each with its caseset.yaml."""
    skip_bad_cases: bool = False
    seed: int = 92
    admins: list[str] = []
    annotators_per_session: int = 2
    """Each ended session is offered to annotators until this many have scored it (0 = no limit)."""
    annotators: dict[str, str] = Field(default={}, repr=False)
    """Invited annotators, name -> token (CB_ANNOTATORS="alice:token,bob:token"). Locally, annotation is off
    without an invite list; on a Space the HF login is the identity (and, when this is set, must be listed)."""
    concurrency: int = 32

    @field_validator("doctor")
    @classmethod
    def _doctor_seat(cls, v: str) -> str:
        return check_spec(v, "doctor")

    @field_validator("patient")
    @classmethod
    def _patient_seat(cls, v: str) -> str:
        return check_spec(v, "patient")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        e = dict(os.environ if env is None else env)

        def get(name: str) -> str | None:
            v = e.get(name)
            return v if v not in (None, "") else None

        # On a Hugging Face Space the default doctor is the reference history-taker: it reaches a diagnosis in
        # seconds on a shared CPU, where the embedded 270M model takes minutes and rarely gets there.
        space_default = "reference" if get("SPACE_ID") else None
        vals: dict[str, object] = {
            "doctor": get("CB_DOCTOR") or space_default,
            "patient": get("CB_PATIENT"),
            "assessor": get("CB_ASSESSOR"),
            "dx_matcher": get("CB_DX_MATCHER"),
            "redis_url": get("REDIS_URL"),
            "data_dir": get("CB_DATA_DIR"),
            "hf_token": get("CB_HF_TOKEN") or get("HF_TOKEN"),
            "hf_router": get("CB_HF_ROUTER"),
            "timeout_s": get("CB_TIMEOUT_S"),
            "max_turns": get("CB_MAX_TURNS"),
            "max_message_chars": get("CB_MAX_MESSAGE_CHARS"),
            "cases_dir": get("CB_CASES_DIR"),
            "case_sets": [Path(p.strip()) for p in (get("CB_CASE_SETS") or "").split(",") if p.strip()] or None,
            "skip_bad_cases": (get("CB_SKIP_BAD_CASES") or "").lower() in ("1", "true", "yes"),
            "seed": get("CB_SEED"),
            "admins": [a.strip() for a in (get("CB_ADMINS") or "").split(",") if a.strip()],
            "annotators_per_session": get("CB_ANNOTATORS_PER_SESSION"),
            "annotators": dict(
                (n.strip(), t.strip())
                for n, _, t in (x.partition(":") for x in (get("CB_ANNOTATORS") or "").split(","))
                if n.strip()
            ),
            "concurrency": get("CB_CONCURRENCY"),
        }
        return cls.model_validate({k: v for k, v in vals.items() if v is not None})
