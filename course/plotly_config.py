"""Plotly settings every chart of the course shares."""
from __future__ import annotations


def hide_plotly_logo() -> None:
    """Drop the "Produced with Plotly" link from chart toolbars: the course links nowhere unasked.

    Renderer configs are process-wide, so calling this once per kernel is enough; it is idempotent.
    """
    import plotly.io as pio

    for name in list(pio.renderers):
        renderer = pio.renderers[name]
        if isinstance(getattr(renderer, "config", None), dict):
            renderer.config = {**renderer.config, "displaylogo": False}
