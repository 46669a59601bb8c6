"""What Inspect loads through the `inspect_ai` entry point (pyproject.toml)."""

from consultbench.inspect_task import consultation

__all__ = ["consultation"]
