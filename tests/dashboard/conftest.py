"""AppTest fixtures: the app on the demo database, with Streamlit's caches emptied between
tests (they survive between AppTest runs otherwise)."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterator
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data.services.sign_in import SignedInUser, open_session, user_by_email
from data.store.engine import make_engine
from tests.conftest import DEMO_END_MONTH

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
OVERVIEW_TABLE = "Territoires accompagnés"  # the overview's table of territories


@pytest.fixture
def app(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("DATABASE_URL", demo_url)
    monkeypatch.setenv("COOPERASCOPE_TODAY", DEMO_END_MONTH.isoformat())
    st.cache_data.clear()
    st.cache_resource.clear()
    yield AppTest.from_file(APP, default_timeout=30)
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], Any]]:
    """What each download button built on click would give, by file name: the pages pass a
    callable (the file is built when clicked), which AppTest registers but cannot click, so
    it is kept here to be called by the test."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    kept: dict[str, Callable[[], Any]] = {}
    register = MediaFileManager.add_deferred

    def keep(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):  # type: ignore[no-untyped-def]
        kept[str(file_name)] = data_callable
        return register(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return kept


LEAD = SignedInUser(1, "direction@tec-demo.fr", "Cécile — pilotage TEC", "lead", None)
FUNDER = SignedInUser(2, "financeur@tec-demo.fr", "Financeur", "funder", None)


def binome(territory_id: str) -> SignedInUser:
    return SignedInUser(3, f"binome.{territory_id}@tec-demo.fr", "Binôme", "binome", territory_id)


def signed_in(app: AppTest, user: SignedInUser) -> AppTest:
    """Start the app with a session opened for ``user``'s account in the app's database (the
    sign-in form itself is tested on its own)."""
    engine = make_engine(os.environ["DATABASE_URL"])
    account = user_by_email(engine, user.email)
    assert account is not None, f"no account {user.email} in the demo"
    app.session_state["session_token"] = open_session(engine, account)
    engine.dispose()
    return app


def figures(app: AppTest) -> list[dict]:
    """The plotly figures the page drew, as dicts with arrays decoded to lists (plotly 7 sends
    numeric arrays base64-encoded)."""
    return [_decode(json.loads(chart.proto.spec)) for chart in app.get("plotly_chart")]


def _decode(value: object) -> object:
    if isinstance(value, dict):
        if set(value) >= {"dtype", "bdata"}:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            if "shape" not in value:
                return array.tolist()
            shape = value["shape"]
            if isinstance(shape, str):  # plotly sends "6, 32"
                shape = [int(part) for part in shape.split(",")]
            return array.reshape(shape).tolist()
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def figure_titled(app: AppTest, start: str) -> dict:
    """The figure whose title starts with ``start``."""
    for figure in figures(app):
        title = figure["layout"].get("title", {})
        text = title.get("text", "") if isinstance(title, dict) else str(title)
        if text.startswith(start):
            return figure
    raise AssertionError(f"no figure titled {start!r}")


class _TableReader(HTMLParser):
    """The cells of an HTML table, row by row: (tag, text, style attribute)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, str, str]]] = []
        self._cell: list[str] | None = None
        self._tag = self._style = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell, self._tag, self._style = [], tag, dict(attrs).get("style") or ""

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append((self._tag, "".join(self._cell), self._style))
            self._cell = None


def read_table(html: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An HTML table read back by the standard library's parser: its texts as a DataFrame
    (the first row's cells as columns), and each body cell's (tag, style) alongside."""
    reader = _TableReader()
    reader.feed(html)
    header, *body = reader.rows
    columns = [text for _, text, _ in header]
    texts = pd.DataFrame([[text for _, text, _ in row] for row in body], columns=columns)
    cells = pd.DataFrame([[(tag, style) for tag, _, style in row] for row in body], columns=columns)
    return texts, cells


def page_table_html(app: AppTest, label: str) -> str:
    """The HTML of the page's plain table named ``label`` (``dashboard.layout.html_table``)."""
    for element in app.get("html"):
        body = element.proto.body
        if f'aria-label="{escape(label)}"' in body:
            return body
    raise AssertionError(f"no table {label!r} on the page")


def page_table(app: AppTest, label: str) -> pd.DataFrame:
    """The texts of the page's plain table named ``label``."""
    return read_table(page_table_html(app, label))[0]


def names_among(written: list[str], names: list[str]) -> bool:
    """Each name a map writes (shortened with « … » when long) is one of ``names``."""
    return all(any(n == w or n.startswith(w.removesuffix("…")) for n in names) for w in written)
