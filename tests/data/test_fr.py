"""French formatting: one implementation for pages, charts, alerts and the PDF report."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import pytest

from data import fr

NBSP, NNBSP, MINUS = "\u00a0", "\u202f", "\u2212"


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (0.256, "ratio", f"26{NBSP}%"),
        (0.285, "ratio", f"29{NBSP}%"),  # 28.5 % rounds half up (the float is 0.28499…)
        (3.45, "score_1_5", "3,5"),
        (2.25, "score_1_5", "2,3"),
        (2.04, "score_1_4", "2,0"),
        (3.0, "score_1_4", "3,0"),
        (0.625, "index", "0,63"),
        (0.7071, "index", "0,71"),
        (1234, "count", f"1{NNBSP}234"),
        (7.0, "count", "7"),
        (-0.034, "delta", f"{MINUS}0,03"),
        (0.05, "delta", "+0,05"),
        (0.001, "delta", "0,00"),
        (None, "ratio", "–"),
        (float("nan"), "score_1_5", "–"),
        (pd.NA, "ratio", "–"),
    ],
)
def test_indicator_values(value: object, unit: str, expected: str) -> None:
    assert fr.indicator_value(value, unit) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (0.2566666666666667, "ratio", 25.7),  # 25.666…6 % → one decimal, half up: 25.7
        (0.285, "ratio", 28.5),  # 28.5 % exactly, though the float 0.285 × 100 is 28.499…
        (0.12345, "ratio", 12.3),  # 12.345 % → 12.3
        (0.12355, "ratio", 12.4),  # 12.355 % → 12.4 (half up on the decimal a person reads)
        (3.456, "score_1_5", 3.46),
        (2.125, "score_1_4", 2.13),  # half up, not to even (2.12)
        (0.6255, "index", 0.626),
        (-0.0345, "delta", -0.035),  # half up means away from zero on the negative side
        (1234.0, "count", 1234.0),
        (7.5, "count", 8.0),
        (0.4444, None, 0.444),  # a unit the catalogue no longer has: three decimals
        (None, "ratio", None),
        (float("nan"), "index", None),
        (pd.NA, "count", None),
    ],
)
def test_indicator_figures_for_the_exports(value: object, unit: str, expected: object) -> None:
    assert fr.indicator_figure(value, unit) == expected


def test_every_unit_has_its_export_decimals_and_its_name() -> None:
    from typing import get_args

    from data.labels import INDICATOR_UNIT
    from indicators.catalogue import Unit

    assert set(fr.EXPORT_DECIMALS) == set(INDICATOR_UNIT) == set(get_args(Unit))


def test_numbers_dates_and_months() -> None:
    assert fr.number(1234.5, 1) == f"1{NNBSP}234,5"
    assert fr.number(-1234) == f"{MINUS}1{NNBSP}234"
    assert fr.number(0.125, 2) == "0,13"  # half up, not to even
    assert fr.percent(0.5) == f"50{NBSP}%"
    assert fr.date(dt.date(2026, 11, 23)) == "23/11/2026"
    assert fr.month(dt.date(2026, 2, 1)) == "février 2026"
    assert [fr.month_short(dt.date(2026, m, 1))[:5] for m in (1, 6, 7, 12)] == [
        "janv.",
        "juin ",
        "juil.",
        "déc. ",
    ]


def test_times_are_read_in_paris() -> None:
    # Paris is UTC+1 in November and UTC+2 in July (summer time).
    winter = dt.datetime(2026, 11, 23, 19, 46, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 1, 18, 0, tzinfo=dt.UTC)
    assert fr.time(winter) == "20:46"
    assert fr.time(summer) == "20:00"
    assert fr.date_time(dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)) == "01/12/2026 à 00:30"
    # A naive datetime is what SQLite gives back of a UTC one.
    assert fr.time(dt.datetime(2026, 11, 23, 19, 46)) == "20:46"


@pytest.mark.parametrize(
    ("unit", "current", "before", "expected"),
    [
        ("ratio", 0.256, 0.226, "+3\u00a0pts"),
        ("ratio", 0.256, 0.246, "+1\u00a0pt"),
        ("ratio", 0.256, 0.301, "\u22125\u00a0pts"),
        ("ratio", 0.256, 0.254, "stable"),
        ("score_1_5", 3.45, 3.2, "+0,3"),
        ("count", 10, 14, "\u22124"),
        ("index", 0.5, None, "–"),
    ],
)
def test_format_change(unit: str, current: float, before: float | None, expected: str) -> None:
    assert fr.format_change(unit, current, before) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "![pixel](https://exemple.fr/p.png)",
        "<img src='https://exemple.fr/p.png'> & <b>gras</b> &amp;",
        "[lien](javascript:alert(1)) **gras** _penché_ `code`",
        "# Titre\n- une liste\n1. numérotée\n> citation",
        "$x^2$ :red[rouge] :material/home: ~~barré~~ | a | b |",
        "l'équipe « 3 · Consolidation » — 1 234,5 €\\ fin",
    ],
)
def test_typed_text_goes_through_markdown_as_typed(typed: str) -> None:
    """CommonMark (markdown-it-py, the reference implementation in Python) renders the escaped
    text as one paragraph holding exactly the typed characters: no tag but <p> and the line
    breaks, every <, > and & as an entity."""
    from markdown_it import MarkdownIt

    lines = [html.escape(line.strip(), quote=False) for line in typed.splitlines()]
    expected = "<p>" + "<br />\n".join(lines) + "</p>\n"
    assert MarkdownIt("commonmark").render(fr.literal(typed)) == expected


def test_typed_text_in_a_plotly_label_is_never_markup() -> None:
    assert (
        fr.literal_html("<a href='x'>Mairie</a> & co")
        == "&lt;a href='x'&gt;Mairie&lt;/a&gt; &amp; co"
    )
