"""Territoire: one territory's stage, indicators, factor profile, network, journal, actions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth, charts, reads
from dashboard.charts.plotly_fr import PLOTLY_CONFIG
from dashboard.layout import CARDS_KEY, WATCH_CARD_KEY, wide_chart
from dashboard.pickers import month_picker, territory_picker
from dashboard.status import (
    WITHHELD_BADGE,
    card_groups,
    change_arrow,
    status_badge,
    updated_note,
)
from dashboard.theme import stage_label
from dashboard.views.network_section import network_section
from data import fr
from data.access import SMALL_GROUP_NOTE, Permission
from data.config import get_config
from data.domain.approval import NOT_YET_APPROVED, presented_months
from data.domain.factors import yearly_factor_profile
from data.domain.journey import journey_month
from data.domain.months import add_months
from data.domain.todo import month_todo
from indicators.bands import WATCH

config = get_config()
catalogue = reads.catalogue()
scope = auth.scope()

territories = reads.territories(scope)
territory_id = territory_picker(scope, territories)
chosen = month_picker(scope, territories)
territory = territories.set_index("territory_id").loc[territory_id]
programme = config.programme_of(territory_id)
model = programme.stage_model
# A reader of approved months only sees the territory at its latest approved month up to the
# month chosen (approval runs territory by territory).
month = chosen
if not scope.can(Permission.READ_UNAPPROVED):
    month = presented_months(reads.journal_statuses(scope), [territory_id], chosen)[territory_id]
    if month is None:
        st.title(territory["name"])
        st.info(
            f"Aucun mois de ce territoire n'est encore approuvé jusqu'à {fr.month(chosen)} : "
            f"ses données paraîtront ici dès que l'équipe de pilotage aura approuvé un mois "
            f"({NOT_YET_APPROVED})."
        )
        st.stop()

st.title(territory["name"])
elapsed = journey_month(territory["start_date"], month)
st.caption(
    f"{territory['region']} — accompagné depuis le {fr.date(territory['start_date'])} "
    f"(mois {max(elapsed, 0)} sur {programme.programme.duration_months}) — binôme : "
    f"{territory['foundation_officer']} et {territory['kiif_member']} — **{fr.month(month)}**"
    + ("" if month == chosen else f" (dernier mois approuvé jusqu'à {fr.month(chosen)})")
    + f"  \n{updated_note(reads.indicators_updated_at(scope, [territory_id]))}"
)

if scope.bound and scope.can(Permission.WRITE_TERRITORY, territory_id):
    # The binôme's page opens with what it has to do this month.
    journal = reads.journal_entry(scope, territory_id, month)
    todo = month_todo(
        territories[territories["territory_id"] == territory_id],
        month,
        journal["status"] if journal else None,
        reads.respondents_per_wave(scope, territory_id=territory_id),
        reads.comments(scope, territory_id, month),
        st.session_state["user"].display_name,
    )
    if todo:
        st.info(
            "**À faire ce mois-ci**\n" + "\n".join(f"- {line}" for line in todo),
            icon=":material/checklist:",
        )
    else:
        st.success("Rien à faire ce mois-ci : tout est à jour.", icon=":material/task_alt:")

stages = reads.territory_stages(scope, territory_ids=[territory_id])
current = stages[stages["month"] == month]
values = reads.indicator_values(scope, territory_ids=[territory_id])
this_month = values[values["month"] == month].set_index("indicator_id")

if current.empty:
    end = add_months(territory["start_date"], programme.programme.duration_months)
    if month > end:
        st.info(
            f"Le parcours de ce territoire s'est achevé en {fr.month(end)} : choisissez un mois "
            "antérieur pour consulter ses indicateurs."
        )
    elif month < territory["start_date"]:
        st.info(f"Ce territoire commence en {fr.month(territory['start_date'])}.")
    else:
        st.info(f"Pas encore d'indicateurs pour {fr.month(month)}.")
    st.stop()
stage_row = current.iloc[0]
stage_in_model = {  # stored in the reference model, shown in the territory's own
    column: config.in_model(model, stage_row[column])
    for column in ("declared_stage", "inferred_stage", "judged_stage")
}
left, right = st.columns(2)
with left:
    st.metric("Étape déclarée (journal)", stage_label(model, stage_in_model["declared_stage"]))
with right:
    st.metric("Étape mesurée (indicateurs)", stage_label(model, stage_in_model["inferred_stage"]))
if stage_row["disagreement"]:
    st.warning(
        "Les étapes déclarée et mesurée diffèrent : un point à discuter en revue mensuelle.",
        icon=":material/compare_arrows:",
    )
missing = stage_row["missing_criteria"] or {}
if missing.get("next_stage"):
    next_label = stage_label(model, config.in_model(model, missing["next_stage"]))
    criteria = missing.get("criteria", [])
    withheld = missing.get("withheld", 0)
    if criteria or withheld:

        def _criterion(c: dict) -> str:
            definition = catalogue.indicators[c["indicator"]]
            return (
                f"- {definition.label} : {fr.indicator_value(c['value'], definition.unit)} "
                f"(seuil {c['op']} {fr.indicator_value(c['threshold'], definition.unit)})"
            )

        lines = [_criterion(c) for c in criteria]
        if withheld:
            lines.append(
                f"- {withheld} critère(s) calculé(s) sur moins de 5 personnes : non communiqué(s)"
            )
        items = "\n".join(lines)
        st.markdown(f"**Préparation à l'étape {next_label}** — il reste à atteindre :\n{items}")
    else:
        st.success(f"Tous les critères de l'étape {next_label} sont atteints.")

# The catalogue's stages are the reference model's.
reference = config.reference_model
judged_rank = reference.rank(stage_row["judged_stage"])
shown = [i for i in catalogue.indicators if i not in programme.programme.hidden_indicators]
previous_month = add_months(month, -1)
before = values[values["month"] == previous_month].set_index("indicator_id")["value"]


def _withheld(indicator_id: str) -> bool:
    return this_month.at[indicator_id, "note"] == SMALL_GROUP_NOTE


def _card(indicator_id: str, watch: bool) -> None:
    """One indicator: its short label (the full one and its definition in the help), status,
    value, change since last month, n and sparkline; a « point de vigilance » card is marked
    by its border as well as its label."""
    definition = catalogue.indicators[indicator_id]
    row = this_month.loc[indicator_id]
    history = values[values["indicator_id"] == indicator_id]
    withheld = _withheld(indicator_id)
    with st.container(border=True, key=f"{WATCH_CARD_KEY}_{indicator_id}" if watch else None):
        st.markdown(
            f"**{definition.short}**", help=f"**{definition.label}** — {definition.definition}"
        )
        badge = WITHHELD_BADGE if withheld else status_badge(row["status"])
        st.markdown(f"**{badge.upper()}**" if watch else badge)
        st.markdown(f"### {fr.indicator_value(row['value'], definition.unit)}")
        previous = None if withheld else before.get(indicator_id)
        if not fr.is_missing(previous) and not fr.is_missing(row["value"]):
            change = fr.format_change(definition.unit, row["value"], previous)
            arrow = change_arrow(row["value"], previous)
            st.markdown(f"{arrow}**{change}** en un mois")
        if withheld:
            details = str(row["note"])
        else:
            details = f"n = {fr.number(row['n'])}"
            if pd.notna(row["wave_number"]):
                details += f" — vague {row['wave_number']}"
            if row["low_n"]:
                details += " — **n faible : à lire avec prudence**"
            if isinstance(row["note"], str) and row["note"]:
                details += f" — {row['note']}"
        st.caption(details)
        st.plotly_chart(
            charts.indicator_trend(history[history["month"] <= month], definition),
            width="stretch",
            config={**PLOTLY_CONFIG, "displayModeBar": False},  # a sparkline
            key=f"trend_{indicator_id}",
        )


def _cards(indicator_ids: list[str], key: str, watch: bool = False) -> None:
    """Cards four abreast (two on a phone: ``dashboard.layout``)."""
    with st.container(key=f"{CARDS_KEY}_{key}"):
        for start in range(0, len(indicator_ids), 4):
            row = indicator_ids[start : start + 4]
            for column, indicator_id in zip(st.columns(4), row, strict=False):
                with column:
                    _card(indicator_id, watch)


judged = [i for i in shown if reference.rank(catalogue.indicators[i].stage) <= judged_rank]
upcoming = [i for i in shown if i not in judged]
st.subheader("Indicateurs de l'étape et des étapes précédentes")
statuses = {i: None if _withheld(i) else this_month.at[i, "status"] for i in judged}
for status, heading, indicator_ids in card_groups(statuses):
    st.markdown(f"#### {heading}")
    if status == WATCH:
        st.caption(
            "En dessous du seuil « à discuter » de l'étape du territoire : à regarder d'abord."
        )
    _cards(indicator_ids, key=str(status), watch=status == WATCH)
if upcoming:
    with st.expander(f"Signaux de préparation aux étapes suivantes ({len(upcoming)}, « à venir »)"):
        _cards(upcoming, key="upcoming")

st.subheader("Profil des sept facteurs de coopération, par année")
factors = {f.id: f.label for f in config.survey.factors}
radar = yearly_factor_profile(values, factors, month)
st.plotly_chart(charts.factor_radar(radar, factors), width="stretch", config=PLOTLY_CONFIG)
with st.expander("Comment lire ce graphique"):
    st.markdown(
        "Chaque axe est un facteur de coopération (inventaire de Wilder), noté de 1 à 5 ; "
        "chaque tracé est une année (la dernière vague de l'année). Au-delà de l'anneau 4 : "
        "une force ; sous l'anneau 3 : un point de vigilance."
    )

network_section(scope, territory_id, month)

st.subheader(f"Journal de bord — {fr.month(month)}")
entry = reads.journal_entry(scope, territory_id, month)
if entry is None:
    st.info("Pas de journal visible pour ce mois.")
else:
    if entry["narrative_strengths"] is None:
        st.caption("Récit interne au programme : non communiqué.")
    else:
        if entry["narrative_internal"]:
            st.caption("Récit marqué interne : non communiqué aux financeurs.")
        for title, key in (
            ("Forces", "narrative_strengths"),
            ("Difficultés", "narrative_difficulties"),
            ("Prochaines étapes", "narrative_next_steps"),
        ):
            text = fr.literal(entry[key]) if entry[key] else "_non renseigné_"
            st.markdown(f"**{title}** — {text}")

st.subheader("Actions communes")
actions = reads.joint_actions(scope, territory_id)
wide_chart(charts.joint_actions_timeline(actions, today=month), key="territory_actions")
