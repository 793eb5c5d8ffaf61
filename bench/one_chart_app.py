"""The reference page of the browser benchmark: a title and one plotly line, nothing else.

``shared/design/BENCHMARKS.md``: the time to a drawn overview in headless Chromium is compared
with "a one-chart Streamlit page (title + one plotly line) served and loaded the same way". This
is that page. It uses neither the database nor the project's code, so that it measures the floor
every Streamlit page starts from (frontend load, websocket session, one script run, plotly drawn).

    streamlit run bench/one_chart_app.py
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
import streamlit as st

st.title("Une page, un graphique")
months = list(range(36))
figure = go.Figure(
    go.Scatter(x=months, y=[0.3 + 0.2 * math.sin(m / 5) + m / 100 for m in months], mode="lines")
)
figure.update_layout(title="Une courbe", height=360)
st.plotly_chart(figure, width="stretch")
