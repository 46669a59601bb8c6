"""The seats that talk: the simulated patient (grounded or LLM, with its leak guard), how it reads a doctor's
message (intent), picks the facts that answer it (grounding) and words them (patient_voice), the checks of its
replies (fidelity), and the doctors (LLM, reference history-taker, no-dialogue baseline)."""
