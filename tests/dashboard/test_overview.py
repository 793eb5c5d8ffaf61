"""AppTest of the « Vue d'ensemble » page on the demo history."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from data.config import get_config
from data.demo.generator import generate_demo
from tests.conftest import DEMO_END_MONTH
from tests.dashboard.conftest import (
    LEAD,
    OVERVIEW_TABLE,
    figure_titled,
    figures,
    page_table,
    page_table_html,
    read_table,
    signed_in,
)


def _expected_respondents() -> pd.DataFrame:
    """Respondents per territory and wave, counted from the generator's own frames."""
    frames = generate_demo(get_config(), end_month=DEMO_END_MONTH)
    waves = frames["survey_wave"].rename(columns={"id": "wave_id"})
    counts = frames["respondent"].groupby("wave_id").size().rename("respondents").reset_index()
    return waves.merge(counts, on="wave_id")[["territory_id", "number", "respondents"]]


def test_overview_lists_territories_with_start_and_declared_stage(app: AppTest) -> None:
    signed_in(app, LEAD).run()
    assert not app.exception
    assert app.title[0].value == "Vue d'ensemble"
    assert "novembre 2026" in app.caption[0].value
    table = page_table(app, OVERVIEW_TABLE)
    # The TEC lead's six territories (data/demo/accounts.py), in start order, ties broken by id.
    tec = get_config().programme("tec").territories
    by_start = sorted(tec, key=lambda t: (t.start_date, t.id))
    # Each by its short name (config/programmes/tec.yaml), pinned first; what is compared next.
    assert list(table["Territoire"]) == [t.short_name for t in by_start]
    assert list(table.columns) == [
        "Territoire",
        "Étape déclarée (novembre 2026)",
        "Étape mesurée",
        "Journal",
        "Mois du parcours",
        "Début",
        "Région",
    ]
    roya = table.set_index("Territoire").loc["Roya"]
    assert roya["Début"] == "01/12/2023"
    # Roya started in December 2023: November 2026 is its 36th month.
    assert roya["Mois du parcours"] == "36 / 36"
    frames = generate_demo(get_config(), end_month=DEMO_END_MONTH)
    journal = frames["journal"]
    current = journal[pd.to_datetime(journal["month"]) == pd.Timestamp(DEMO_END_MONTH)]
    stage = current.set_index("territory_id")["declared_stage"]["roya"]
    rank = [s.id for s in get_config().reference_model.stages].index(stage) + 1
    assert roya["Étape déclarée (novembre 2026)"].startswith(f"{rank} · ")
    # Its cell is tinted behind its label with its stage's colour, Okabe–Ito (theme.py) at 28 %.
    okabe_ito = {1: (230, 159, 0), 2: (86, 180, 233), 3: (0, 158, 115), 4: (0, 114, 178)}
    red, green, blue = okabe_ito[rank]
    _, cells = read_table(page_table_html(app, OVERVIEW_TABLE))
    row = list(table["Territoire"]).index("Roya")
    assert cells.at[row, "Étape déclarée (novembre 2026)"] == (
        "td",
        f"background-color: rgba({red}, {green}, {blue}, 0.28); font-weight: 600",
    )


def _on_tab(app: AppTest, label: str) -> AppTest:
    """The overview with its tab ``label`` open (what a click on the tab does)."""
    app.session_state["overview_tab"] = label
    return app


def test_overview_builds_only_the_open_tabs_chart(app: AppTest) -> None:
    signed_in(app, LEAD).run()
    assert not app.exception
    assert [t.label for t in app.tabs] == [
        "Étapes au fil du temps",
        "Indicateurs du mois",
        "Indicateurs clés dans le temps",
        "Participation au baromètre",
    ]
    # The first tab is open: its stage timeline is the page's one chart.
    titles = [f["layout"]["title"]["text"] for f in figures(app)]
    assert len(titles) == 1 and titles[0].startswith("Étape déclarée et étape mesurée")
    _on_tab(app, "Indicateurs clés dans le temps").run()
    titles = [f["layout"]["title"]["text"] for f in figures(app)]
    assert len(titles) == 1 and titles[0].startswith("Évolution d'indicateurs clés")


def test_overview_chart_plots_respondents_of_every_wave(app: AppTest) -> None:
    _on_tab(signed_in(app, LEAD), "Participation au baromètre").run()
    data = figure_titled(app, "Répondants au baromètre")["data"]
    # The TEC lead's territories (data/demo/accounts.py).
    names = {t.id: t.name for t in get_config().programme("tec").territories}
    expected = _expected_respondents()
    expected = expected[expected["territory_id"].isin(names)]
    assert len(data) == expected["territory_id"].nunique()
    for trace in data:
        territory = next(t for t, n in names.items() if n == trace["name"])
        wanted = expected[expected["territory_id"] == territory].sort_values("number")
        assert list(trace["y"]) == list(wanted["respondents"])


def test_time_axis_switch_shows_months_since_start(app: AppTest) -> None:
    _on_tab(signed_in(app, LEAD), "Participation au baromètre").run()
    app.radio(key="overview_time_axis").set_value("Mois depuis le début du territoire").run()
    data = figure_titled(app, "Répondants au baromètre")["data"]
    # Expected: month of each wave's last answer, counted from the territory's start month.
    frames = generate_demo(get_config(), end_month=DEMO_END_MONTH)
    last = frames["respondent"].groupby("wave_id")["submitted_at"].max().rename("last")
    waves = frames["survey_wave"].merge(last, left_on="id", right_index=True)
    starts = {t.id: t.start_date for t in get_config().territories}
    names = {t.name: t.id for t in get_config().territories}
    for trace in data:
        territory = names[trace["name"]]
        rows = waves[waves["territory_id"] == territory].sort_values("number")
        expected = [
            (pd.Timestamp(d).year - starts[territory].year) * 12
            + pd.Timestamp(d).month
            - starts[territory].month
            for d in rows["last"]
        ]
        assert trace["x"] == expected
