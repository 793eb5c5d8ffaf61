"""The plain HTML table (``dashboard.layout.table_html``), read back by the standard library's
parser: what a reader and a screen reader get from it."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.layout import table_html
from tests.dashboard.conftest import read_table


def test_a_table_reads_back_as_its_frame_with_each_row_headed_by_its_first_cell() -> None:
    frame = pd.DataFrame(
        {"Territoire": ["Roya", "Forbach"], "Étape": ["4 · Coalition", "2 · Structuration"]}
    )
    html = table_html(frame, label="Territoires")
    texts, cells = read_table(html)
    pd.testing.assert_frame_equal(texts, frame)
    # The first cell of a row heads it (<th scope="row">), the others are data.
    assert [tag for tag, _ in cells["Territoire"]] == ["th", "th"]
    assert [tag for tag, _ in cells["Étape"]] == ["td", "td"]
    assert 'role="region" aria-label="Territoires" tabindex="0"' in html
    assert "<table><caption>Territoires</caption><thead>" in html
    assert html.count('<th scope="col">') == 2 and html.count('<th scope="row">') == 2


def test_missing_values_read_as_a_dash_and_texts_are_escaped() -> None:
    frame = pd.DataFrame(
        {
            "Nom <b>": ['Saint-Denis & "Plaine"', "<script>alert(1)</script>"],
            "Valeur": [None, float("nan")],
            "Date": [pd.NaT, "01/11/2026"],
        }
    )
    html = table_html(frame, label='Vue "test"')
    assert "<script>" not in html and "<b>" not in html
    assert 'aria-label="Vue &quot;test&quot;"' in html
    texts, _ = read_table(html)
    # The parser unescapes: the texts come back as typed, a missing value as « – ».
    assert list(texts.columns) == ["Nom <b>", "Valeur", "Date"]
    assert list(texts["Nom <b>"]) == ['Saint-Denis & "Plaine"', "<script>alert(1)</script>"]
    assert list(texts["Valeur"]) == ["–", "–"]
    assert list(texts["Date"]) == ["–", "01/11/2026"]


def test_styles_go_to_their_column_s_cells_row_by_row() -> None:
    frame = pd.DataFrame({"Territoire": ["A", "B"], "Étape": ["1", "2"], "Région": ["x", "y"]})
    tints = ["background-color: rgba(1, 2, 3, 0.28)", "background-color: #FFF"]
    _, cells = read_table(table_html(frame, label="t", styles={"Étape": tints}))
    assert [style for _, style in cells["Étape"]] == tints
    assert [style for _, style in cells["Territoire"]] == ["", ""]
    assert [style for _, style in cells["Région"]] == ["", ""]


def test_styles_for_a_column_it_lacks_or_not_one_per_row_are_refused() -> None:
    frame = pd.DataFrame({"Territoire": ["A", "B"], "Étape": ["1", "2"]})
    with pytest.raises(ValueError, match="Région"):
        table_html(frame, label="t", styles={"Région": ["x", "y"]})
    with pytest.raises(ValueError, match="2 rows"):
        table_html(frame, label="t", styles={"Étape": ["background-color: #FFF"]})
