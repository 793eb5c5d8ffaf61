"""French words over Streamlit's own chrome where it has no setting for them: the file
uploader's button and instructions, and the « Fullscreen » button Streamlit adds to Plotly's
mode bar (Plotly's own buttons are translated through its config: ``charts.plotly_fr``).

Each is a style sheet that hides the English text and writes the French one in its place;
the elements keep their behaviour. ``tests/e2e`` reads the result in Chromium.

And :func:`preload_charts`, which has the browser load Plotly before the first chart.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from data import fr

PRELOAD_KEY = "plotly-preload"

# Plotly shows a mode bar button's tooltip from its ``data-title`` attribute (CSS ::after).
PLOTLY_FULLSCREEN_CSS = """
.js-plotly-plot .plotly .modebar-btn[data-title="Fullscreen"]::after {
  content: "Plein écran" !important;
}
.js-plotly-plot .plotly .modebar-btn[data-title="Close fullscreen"]::after {
  content: "Quitter le plein écran" !important;
}
"""


def uploader_css(max_file_mb: float, extensions: list[str]) -> str:
    """The uploader's « Upload » button and « 25MB per file • CSV… » line, in French."""
    formats = ", ".join(e.upper() for e in extensions)
    instructions = (
        f"Déposez le fichier ici ou cliquez sur « Parcourir » — {fr.number(max_file_mb)} Mo "
        f"au plus · {formats}"
    )
    return f"""
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "Parcourir"; font-size: 0.875rem;
}}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "{instructions}"; font-size: 0.875rem;
}}
"""


def preload_charts() -> None:
    """Have the browser load Plotly now, unseen: Streamlit fetches and runs its chart library
    (4.7 MB of script, most of a second on a modest machine) only when a page first shows a
    chart. Shown under the sign-in form, an empty chart in a hidden container gets that done
    while the user types, instead of after the click."""
    with st.container(key=PRELOAD_KEY):
        st.plotly_chart(go.Figure(layout={"template": "none"}))
    st.html(f"<style>.st-key-{PRELOAD_KEY} {{ display: none; }}</style>")
