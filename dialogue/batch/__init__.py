"""Batch runs: what a run is (spec), running it here (run) or on an arq queue (queue), its exports (export),
and `python -m dialogue batch|worker` (cli)."""
