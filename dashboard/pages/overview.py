"""Vue d'ensemble: every territory, its start, this month's declared stage, survey activity."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, state
from dashboard.theme import stage_label, stage_tint
from data import fr
from data.config import get_config
from data.months import current_month

STATUS_LABELS = {"draft": "brouillon", "submitted": "soumis", "approved": "approuvé"}

config = get_config()
scope = state.scope()
month = current_month()

st.title("Vue d'ensemble")
st.caption(f"{config.programme.name} — mois du programme : **{fr.month(month)}**")

territories = state.territories(scope)
if territories.empty:
    st.info(
        "Aucun territoire n'est visible pour votre compte. "
        "Demandez à l'équipe de pilotage de vous rattacher à un territoire."
    )
    st.stop()

journals = state.declared_stages(scope, month).set_index("territory_id")
names = dict(zip(territories["territory_id"], territories["name"], strict=True))


def months_elapsed(start: pd.Timestamp) -> int:
    return (month.year - start.year) * 12 + month.month - start.month + 1


table = pd.DataFrame(
    {
        "Territoire": territories["name"],
        "Région": territories["region"],
        "Début": [fr.date(d) for d in territories["start_date"]],
        "Mois du parcours": [
            f"{max(months_elapsed(d), 0)} / {config.programme.duration_months}"
            if months_elapsed(d) > 0
            else "pas commencé"
            for d in territories["start_date"]
        ],
        f"Étape déclarée ({fr.month(month)})": [
            stage_label(config.stage_model, journals["declared_stage"].get(t))
            if t in journals.index
            else "pas de journal ce mois-ci"
            for t in territories["territory_id"]
        ],
        "Journal": [
            STATUS_LABELS[journals["status"][t]] if t in journals.index else "—"
            for t in territories["territory_id"]
        ],
    }
)
stage_column = table.columns[4]
tints = [
    stage_tint(config.stage_model, journals["declared_stage"].get(t))
    for t in territories["territory_id"]
]


def _colour_stage(column: pd.Series) -> list[str]:
    return [f"background-color: {tint}; font-weight: 600" for tint in tints]


st.subheader("Territoires accompagnés")
st.dataframe(
    table.style.apply(_colour_stage, subset=[stage_column]),
    hide_index=True,
    width="stretch",
)

st.subheader("Participation au baromètre des coopérations")
waves = state.respondents_per_wave(scope)
if waves.empty:
    st.info("Aucune vague d'enquête n'a encore été importée.")
else:
    axis = st.radio(
        "Axe du temps",
        ["Calendrier", "Mois depuis le début du territoire"],
        horizontal=True,
        key="overview_time_axis",
    )
    since_start = axis != "Calendrier"
    starts = territories.set_index("territory_id")["start_date"]
    waves = waves.assign(
        months_since_start=[
            (m.year - starts[t].year) * 12 + m.month - starts[t].month
            for t, m in zip(waves["territory_id"], waves["reference_month"], strict=True)
        ]
    )
    st.plotly_chart(
        charts.respondents_per_wave(waves, names, since_start=since_start),
        width="stretch",
    )
    st.caption(
        "Chaque point est une vague du baromètre, placée au mois de sa dernière réponse. "
        "Une vague a lieu environ tous les six mois."
    )
