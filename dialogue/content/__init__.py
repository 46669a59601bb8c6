"""The written content: cases, temperaments, axes and rubrics loaded and checked (cases), the 34-label set
(labels), the seats' prompts (prompts), and importers of outside case sets (importers).

`python -m dialogue.content check` validates every file (see __main__.py)."""
