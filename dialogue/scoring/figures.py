"""A blank matplotlib figure for report plots (Agg backend: no display needed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def blank(empty: bool, empty_text: str) -> tuple[Figure, Any]:
    """A figure and its axes, with a note in the middle when there is no data."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 3.2), dpi=100)
    ax = fig.add_subplot()
    if empty:
        ax.text(0.5, 0.5, empty_text, ha="center", va="center")
    return fig, ax
