"""ConsultBench: simulated patient consultations for testing doctor-facing language models."""

__version__ = "0.1.0"
