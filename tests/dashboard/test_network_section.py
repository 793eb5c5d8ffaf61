"""The Territoire page's network report on the demo history (AppTest): what the lead and the
binôme see, with its figures checked against networkx and the database, the filters and the
search; and that the funder sees no network at all."""

from __future__ import annotations

import io

import networkx as nx
import pandas as pd
import pytest
from sqlalchemy import Engine, func, select
from streamlit.testing.v1 import AppTest

from data.access import AccessDenied, Scope
from data.config import get_config
from data.store.models import Actor, Respondent, SurveyWave
from data.store.queries import network_report
from tests.dashboard.conftest import (
    FUNDER,
    LEAD,
    binome,
    figure_titled,
    figures,
    names_among,
    signed_in,
)

MAP_TITLE = "Réseau de coopération<br>entre les organisations répondantes"
ACTIONS_TITLE = "Cartographie des acteurs et des actions communes"


def _territory(app: AppTest, territory_id: str = "roya") -> AppTest:
    app.session_state["territory"] = territory_id
    app.run()
    app.switch_page("views/territory.py").run()
    assert not app.exception, app.exception
    return app


def _last_wave_counts(engine: Engine, territory_id: str) -> tuple[int, int, int]:
    """(last wave number, organisations of the list that answered it, organisations listed),
    counted in the database."""
    with engine.connect() as connection:
        last = connection.scalar(
            select(func.max(SurveyWave.number)).where(SurveyWave.territory_id == territory_id)
        )
        answered = connection.scalar(
            select(func.count(func.distinct(Respondent.actor_id)))
            .join(SurveyWave, SurveyWave.id == Respondent.wave_id)
            .where(SurveyWave.territory_id == territory_id, SurveyWave.number == last)
        )
        listed = connection.scalar(
            select(func.count(Actor.id)).where(Actor.territory_id == territory_id)
        )
    return int(last), int(answered), int(listed)


def test_the_lead_s_territory_network_report(app: AppTest, demo_engine: Engine) -> None:
    _territory(signed_in(app, LEAD))
    last, answered, listed = _last_wave_counts(demo_engine, "roya")
    metrics = {m.label: m.value for m in app.metric}
    # The response rate, worked out from the database's counts.
    assert metrics["Organisations répondantes"] == f"{answered} sur {listed}"
    assert metrics["Taux de réponse"] == f"{round(100 * answered / listed)}\u00a0%"
    network = figure_titled(app, MAP_TITLE)
    rate = f"{round(100 * answered / listed)}\u00a0%"
    assert network["layout"]["title"]["subtitle"]["text"].startswith(
        f"Taux de réponse : {rate} ({answered} organisations sur {listed})"
    )
    # Names are written on the map (on a phone or on a wide screen): by default, of the 12
    # most connected, those that do not cross another's name: in the demo's Roya all but
    # « Conseil municipal des jeunes… », over « Communauté d'agglomération de… » when all 12
    # were written (docs/screenshots/network-lead-1400.png until December 2026).
    written = [t for trace in network["data"] for t in trace.get("text", []) or [] if t]
    assert len(written) == 11
    # The table per organisation: one row per listed organisation, checked against networkx
    # on the wave's ties read independently from the database.
    table = next(d.value for d in app.dataframe if "Intermédiarité" in d.value.columns)
    assert len(table) == listed
    assert (table["A répondu"] == "oui").sum() == answered
    data = network_report(demo_engine, Scope.system(), "roya")
    graph = nx.Graph()
    graph.add_nodes_from(data.nodes(last)["actor_id"])
    graph.add_edges_from(data.wave_ties(last)[["source", "target"]].itertuples(index=False))
    name = dict(zip(data.actors["actor_id"], data.actors["name"], strict=True))
    degree = {name[a]: d for a, d in graph.degree()}
    shown = table[table["A répondu"] == "oui"].set_index("Organisation")["Liens"]
    assert shown.to_dict() == degree
    top = max(degree.values())
    assert table["Liens"].iloc[0] == top  # the most connected first
    most_connected = sorted(degree, key=lambda n: (-degree[n], n))[:12]
    assert names_among(written, most_connected), written
    betweenness = nx.betweenness_centrality(graph)
    hub = max(betweenness, key=betweenness.get)
    row = table.set_index("Organisation").loc[name[hub]]
    assert row["Intermédiarité"] == f"{betweenness[hub]:.2f}".replace(".", ",")
    # What changed since the previous wave: summed up first, then the detail.
    texts = [m.value for m in app.markdown]
    assert f"**Ce qui a changé depuis la vague {last - 1}**" in texts
    assert any(t.startswith("- Liens : ") and "nouveau" in t for t in texts)
    assert any("Le détail des changements" in e.label for e in app.expander)
    # The response rate over time, and the map of actors and actions.
    assert figure_titled(app, "Taux de réponse au baromètre, par vague")
    assert figure_titled(app, ACTIONS_TITLE)


def test_the_territory_network_filters_and_search(app: AppTest, demo_engine: Engine) -> None:
    _territory(signed_in(app, binome("roya")))
    before = figure_titled(app, MAP_TITLE)
    app.pills(key="network_levels_roya").set_value([4, 5]).run()
    app.pills(key="network_sectors_roya").set_value(["association"]).run()
    filtered = figure_titled(app, MAP_TITLE)
    levels = [t["name"] for t in filtered["data"] if t.get("mode") == "lines"]
    assert levels and set(levels) <= {"4 · Coalition", "5 · Collaboration"}
    # The organisations' markers, one trace per sector (with their hover texts).
    markers = [t for t in filtered["data"] if t.get("mode") == "markers+text" and "hovertext" in t]
    sectors = [t["name"] for t in markers]
    assert sectors == ["Association"]
    assert "Filtré" in filtered["layout"]["title"]["subtitle"]["text"]

    # A stable layout: an organisation keeps its position whatever the filter.
    def positions(figure: dict) -> dict[str, tuple[float, float]]:
        out = {}
        for trace in figure["data"]:
            if trace.get("mode") == "markers+text" and "hovertext" in trace:
                for text, x, y in zip(trace["hovertext"], trace["x"], trace["y"], strict=True):
                    out[text.split("</b>")[0]] = (x, y)
        return out

    kept = positions(filtered)
    assert kept and all(positions(before)[k] == v for k, v in kept.items())

    data = network_report(demo_engine, Scope.system(), "roya")
    last = data.wave_numbers[-1]
    nodes = data.nodes(last)
    hub = nodes[nodes["sector"] == "association"].iloc[0]
    app.selectbox(key="network_search_roya").set_value(int(hub["actor_id"])).run()
    searched = figure_titled(app, MAP_TITLE)
    assert any(t["name"].startswith("Recherche : ") for t in searched["data"])
    table = next(d.value for d in app.dataframe if "Intermédiarité" in d.value.columns)
    # The table follows the search and the sector filter: the organisation and its partners
    # (at any level) among the associations.
    ties = data.wave_ties(last)
    partners = set(ties.loc[ties["source"] == hub["actor_id"], "target"]) | set(
        ties.loc[ties["target"] == hub["actor_id"], "source"]
    )
    actors = data.actors.set_index("actor_id")
    associations = {
        actors.loc[p, "name"] for p in partners if actors.loc[p, "sector"] == "association"
    }
    assert set(table["Organisation"]) == {hub["name"], *associations}
    assert not app.exception


def test_the_funder_s_territory_page_has_no_network(app: AppTest) -> None:
    _territory(signed_in(app, FUNDER))
    assert "Réseau de coopération" not in [s.value for s in app.subheader]
    titles = [
        f["layout"].get("title", {}).get("text", "")
        for f in figures(app)
        if isinstance(f["layout"].get("title"), dict)
    ]
    assert MAP_TITLE not in titles and ACTIONS_TITLE not in titles
    assert not [d for d in app.dataframe if "Intermédiarité" in d.value.columns]
    assert not [m for m in app.metric if m.label == "Taux de réponse"]
    for widget in ("wave", "sectors", "levels", "search", "names"):
        assert f"network_{widget}_roya" not in app.session_state


@pytest.mark.parametrize(
    ("scope", "allowed"),
    [
        (Scope(role="lead"), True),
        (Scope(role="binome", territory_id="roya"), True),
        (Scope(role="binome", territory_id="forbach"), False),
        (Scope(role="binome", territory_id="forbach", sees_other_aggregates=True), False),
        (Scope(role="funder"), False),
    ],
)
def test_the_territory_network_report_read_is_scoped(
    demo_engine: Engine, scope: Scope, allowed: bool
) -> None:
    if allowed:
        data = network_report(demo_engine, scope, "roya")
        assert not data.answered.empty and isinstance(data.actors, pd.DataFrame)
    else:
        with pytest.raises(AccessDenied):
            network_report(demo_engine, scope, "roya")


def _pdf_text(report: bytes) -> str:
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(report)).pages
    return " ".join(" ".join(page.extract_text().replace("\u00a0", " ").split()) for page in pages)


def test_the_lead_s_review_pdf_has_each_territory_s_network(
    app: AppTest, demo_engine: Engine, downloads: dict
) -> None:
    signed_in(app, LEAD).run()
    app.switch_page("views/review.py").run()
    assert not app.exception, app.exception
    (name,) = [n for n in downloads if n.startswith("revue-") and n.endswith(".pdf")]
    text = _pdf_text(downloads[name]())
    _, answered, listed = _last_wave_counts(demo_engine, "roya")
    rate = round(100 * answered / listed)
    assert f"Taux de réponse : {rate} % ({answered} organisations sur {listed})" in text
    # One network page per territory of the TEC lead's (data/demo/accounts.py) with a wave by
    # the month under review.
    with demo_engine.connect() as connection:
        surveyed = connection.scalar(
            select(func.count(func.distinct(SurveyWave.territory_id))).where(
                SurveyWave.territory_id.in_(
                    [t.id for t in get_config().programme("tec").territories]
                )
            )
        )
    assert text.count("organisations les plus liées") == surveyed


def test_the_funder_s_pdf_has_no_network(app: AppTest, downloads: dict) -> None:
    signed_in(app, FUNDER).run()
    (name,) = [n for n in downloads if n.startswith("cooperascope-rapport-")]
    text = _pdf_text(downloads[name]())
    assert "Vallée de la Roya" in text
    for words in ("Réseau de coopération", "Taux de réponse", "organisations les plus liées"):
        assert words not in text, words
