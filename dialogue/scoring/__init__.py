"""Judging a consultation: live per-turn scores, the final assessor (rules or LLM judge panel), what the
doctor did (acts), the pure metrics (metrics), reports and plots, and the judge's own validity."""
