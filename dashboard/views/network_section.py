"""The Territoire page's network report: :func:`network_section`.

For a reader allowed to see the network (``Permission.READ_NETWORK``): the response rate of
the wave chosen, the cooperation map with names, filters by sector and level, a search, the
table per organisation, the response rate over time, what changed since the previous wave
(summed up, then listed) and the map of actors and joint actions. Nothing at all for another
reader (a funder): organisation-level survey answers are not theirs to see.

Every widget's key carries the territory's id, so that two territories never share a choice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from dashboard import charts, reads
from dashboard.charts.network import (
    NAMES_SHOWN,
    NetworkLabels,
    NetworkReports,
    change_phrase,
    level_name,
    organisation_frame,
    response_text,
)
from dashboard.charts.plotly_fr import PLOTLY_CONFIG
from dashboard.layout import NETWORK_MAP_KEY, data_grid
from data import fr
from data.access import Permission, Scope
from data.config import get_config
from indicators.network_report import (
    CHANGE_KINDS,
    NetworkData,
    action_links,
    actions_as_of,
    change_counts,
    organisation_table,
    response_rates,
    tie_changes,
)

HOW_TO_READ_MAP = (
    "Chaque point est une organisation qui a répondu à la vague (couleur et forme : son "
    "secteur ; taille : son nombre de liens). Un trait relie deux organisations qui ont déclaré "
    "collaborer ; son style dit le niveau : pointillé fin pour « réseau », tirets pour "
    "« coopération », trait plein de plus en plus épais et foncé de « coordination » à "
    "« collaboration ». Une organisation garde sa place d'une vague à l'autre : ce qui bouge, "
    "ce sont les liens. Les filtres n'effacent rien du calcul : la taille des points et les "
    "chiffres comptent toujours tous les liens. Les noms écrits sont ceux des organisations "
    "les plus liées, autant qu'il en tient sans se chevaucher (moins sur un téléphone) ; le "
    "survol d'un point donne le sien, « Afficher tous les noms » les écrit tous. La recherche "
    "entoure une organisation, écrit le nom de ses partenaires et laisse le reste en retrait."
)
HOW_TO_READ_TABLE = (
    "Une ligne par organisation de la liste d'acteurs. **Liens** : ses liens de niveau 1 ou "
    "plus avec les autres organisations répondantes (détaillés par niveau). **Centralité de "
    "degré** : la part des autres répondantes avec qui elle est liée. **Intermédiarité** : la "
    "part des plus courts chemins entre deux autres organisations qui passent par elle (de 0 "
    "à 1) ; élevée, elle fait le pont entre des groupes qui sans elle ne se parleraient pas. "
    "**Confiance reçue** : la moyenne, de 1 à 4, de la confiance que les autres lui accordent "
    "(fiable, soutient la mission commune, ouverte à la discussion), sur n évaluations. Une "
    "organisation qui n'a pas répondu n'a pas de liens comptés, mais peut avoir reçu de la "
    "confiance."
)


HOW_TO_READ_ACTIONS = (
    "Chaque carré est une action commune engagée à ce mois (forme et couleur : son statut, "
    "prévue, en cours, terminée ou abandonnée) ; chaque point, une organisation qui y "
    "participe (couleur et forme : son secteur ; taille : le nombre de ses actions). Les "
    "organisations reliées à une même action agissent ensemble, qu'elles aient répondu au "
    "baromètre ou non : la carte vient du registre des actions communes."
)


def network_section(scope: Scope, territory_id: str, month: dt.date) -> None:
    """The network report of ``territory_id`` as of ``month`` (the waves answered by then),
    drawn only when ``scope`` may read its network."""
    if not scope.can(Permission.READ_NETWORK, territory_id):
        return
    labels = NetworkLabels.of(get_config().survey)
    data = reads.network_report(scope, territory_id)

    st.subheader("Réseau de coopération")
    rates = response_rates(data, until=month)
    if rates.empty:
        st.info("Aucune vague d'enquête avant ce mois.")
    else:
        _wave_report(data, rates, territory_id, labels)
    _actions_report(data, territory_id, labels.sectors, month)


def _wave_label(number: int, month: dt.date) -> str:
    return f"Vague {number} ({fr.month(month)})"


def _wave_report(
    data: NetworkData,
    rates: pd.DataFrame,
    territory_id: str,
    labels: NetworkLabels,
) -> None:
    sectors, levels = labels.sectors, labels.levels
    months = dict(zip(rates["wave_number"], rates["reference_month"], strict=True))
    numbers = [int(n) for n in rates["wave_number"]]
    wave = (
        st.select_slider(
            "Vague du baromètre",
            numbers,
            value=numbers[-1],
            format_func=lambda n: _wave_label(n, months[n]),
            key=f"network_wave_{territory_id}",
        )
        if len(numbers) > 1
        else numbers[0]
    )
    rate = rates.set_index("wave_number").loc[wave]
    nodes = data.nodes(wave)
    ties = data.wave_ties(wave)
    answered, listed = int(rate["answered"]), int(rate["listed"])

    first, second, third, fourth = st.columns(4)
    first.metric(
        "Taux de réponse",
        fr.percent(rate["rate"]),
        help="Organisations de la liste d'acteurs ayant répondu / organisations de la liste.",
    )
    second.metric("Organisations répondantes", f"{fr.number(answered)} sur {fr.number(listed)}")
    third.metric("Liens (niveau 1 ou plus)", fr.number(len(ties)))
    fourth.metric("Liens forts (niveau 4 ou 5)", fr.number(int((ties["level"] >= 4).sum())))

    names = dict(zip(nodes["actor_id"], nodes["name"], strict=True))
    present = [s for s in sectors if s in set(nodes["sector"])]
    chosen_sectors = st.pills(
        "Secteurs affichés",
        present,
        selection_mode="multi",
        default=present,
        format_func=lambda s: sectors.get(s, s),
        key=f"network_sectors_{territory_id}",
    )
    chosen_levels = st.pills(
        "Niveaux de collaboration affichés",
        list(levels),
        selection_mode="multi",
        default=list(levels),
        format_func=lambda k: level_name(k, levels),
        key=f"network_levels_{territory_id}",
    )
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    searched = left.selectbox(
        "Rechercher une organisation",
        sorted(names, key=lambda a: str(names[a]).casefold()),
        index=None,
        format_func=lambda a: str(names[a]),
        placeholder="Nom d'une organisation répondante",
        key=f"network_search_{territory_id}",
    )
    # Without it, the map's subtitle says whose names are written (the most connected).
    all_names = right.toggle(
        "Afficher tous les noms",
        value=False,
        key=f"network_names_{territory_id}",
    )
    st.plotly_chart(
        charts.network_graph(
            nodes,
            ties,
            sectors,
            levels,
            positions=charts.stable_layout(data),
            sectors=chosen_sectors or None,  # nothing chosen: no filter
            levels=chosen_levels or None,
            highlight=searched,
            names_shown=None if all_names else NAMES_SHOWN,
            response=(answered, listed),
        ),
        width="stretch",
        config=PLOTLY_CONFIG,
        key=f"{NETWORK_MAP_KEY}_{territory_id}",
    )
    with st.expander("Comment lire ce graphique"):
        st.markdown(HOW_TO_READ_MAP)

    st.markdown(f"**Les organisations, vague {wave}** — {response_text(answered, listed)}")
    table = organisation_table(data, wave)
    table = table[table["sector"].isin(chosen_sectors)] if chosen_sectors else table
    if searched is not None:
        partners = set(ties.loc[ties["source"] == searched, "target"]) | set(
            ties.loc[ties["target"] == searched, "source"]
        )
        table = table[table["actor_id"].isin({searched, *partners})]
        st.caption(f"« {fr.literal(names[searched])} » et ses partenaires.")
    data_grid(
        organisation_frame(table, sectors, levels, labels.resources),
        hide_index=True,
        width="stretch",
        key=f"network_table_{territory_id}",
    )
    with st.expander("Comment lire ce tableau"):
        st.markdown(HOW_TO_READ_TABLE)

    if len(numbers) > 1:
        st.plotly_chart(
            charts.response_rate_chart(rates),
            width="stretch",
            config=PLOTLY_CONFIG,
            key=f"network_rates_{territory_id}",
        )
    if wave != numbers[0]:
        previous = numbers[numbers.index(wave) - 1]
        _changes(data, previous, wave, rates, levels)


def _changes(
    data: NetworkData, previous: int, wave: int, rates: pd.DataFrame, levels: Mapping[int, str]
) -> None:
    before, after = data.nodes(previous), data.nodes(wave)
    counts = change_counts(
        tie_changes(
            data.wave_ties(previous), data.wave_ties(wave), before["actor_id"], after["actor_id"]
        )
    )
    by_wave = rates.set_index("wave_number")
    st.markdown(f"**Ce qui a changé depuis la vague {previous}**")
    ties_line = " · ".join(change_phrase(k, counts[k]) for k in CHANGE_KINDS[:4])
    nodes_line = " · ".join(change_phrase(k, counts[k]) for k in CHANGE_KINDS[4:])
    st.markdown(
        f"- Liens : {ties_line}\n- Organisations : {nodes_line}\n"
        f"- Taux de réponse : {fr.percent(by_wave.loc[previous, 'rate'])} à la vague "
        f"{previous}, {fr.percent(by_wave.loc[wave, 'rate'])} à la vague {wave}"
    )
    st.caption(
        "Un lien n'est comparé que si les deux organisations ont répondu aux deux vagues : "
        "une organisation qui n'a pas répondu compte comme « partie », sans ses liens."
    )
    names = dict(zip(data.actors["actor_id"], data.actors["name"], strict=True))
    detail = charts.network_changes(
        data.wave_ties(previous),
        data.wave_ties(wave),
        names,
        levels,
        prev_nodes=list(before["actor_id"]),
        nodes=list(after["actor_id"]),
    )
    with st.expander(f"Le détail des changements ({fr.number(len(detail))})"):
        data_grid(detail.drop(columns="kind"), hide_index=True, width="stretch")


def _actions_report(
    data: NetworkData, territory_id: str, sectors: Mapping[str, str], month: dt.date
) -> None:
    shown = actions_as_of(data, month)
    if shown.actions.empty:
        st.info(
            "Cartographie des acteurs et des actions : aucune action commune engagée avant ce mois."
        )
        return
    all_names = st.session_state.get(f"network_names_{territory_id}", False)
    st.plotly_chart(
        charts.actions_map(shown, sectors, names_shown=None if all_names else NAMES_SHOWN),
        width="stretch",
        config=PLOTLY_CONFIG,
        key=f"network_actions_{territory_id}",
    )
    with st.expander("Comment lire ce graphique"):
        st.markdown(HOW_TO_READ_ACTIONS)
    names = dict(zip(data.actors["actor_id"], data.actors["name"], strict=True))
    titles = dict(zip(shown.actions["action_id"], shown.actions["title"], strict=True))
    links = action_links(shown)
    if links.empty:
        return
    with st.expander(
        f"Les organisations liées par une action commune ({fr.number(len(links))} paires)"
    ):
        data_grid(
            pd.DataFrame(
                {
                    "Organisations": [
                        " — ".join(sorted((str(names[s]), str(names[t]))))
                        for s, t in zip(links["source"], links["target"], strict=True)
                    ],
                    "Actions en commun": links["shared"].astype("int64"),
                    "Lesquelles": [
                        ", ".join(str(titles[a]) for a in ids) for ids in links["action_ids"]
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
        )


def report_networks(scope: Scope, territory_ids: list[str]) -> NetworkReports:
    """The networks the monthly PDF draws for ``scope``: those of ``territory_ids`` it may
    read (none for a funder), with the survey's French labels."""
    return NetworkReports(
        data={
            t: reads.network_report(scope, t)
            for t in territory_ids
            if scope.can(Permission.READ_NETWORK, t)
        },
        labels=NetworkLabels.of(get_config().survey),
    )
