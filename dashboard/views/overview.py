"""Vue d'ensemble: all territories side by side over the three years, each judged on its own
stage."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth, charts, reads
from dashboard.charts.plotly_fr import PLOTLY_CONFIG
from dashboard.downloads import long_export_buttons
from dashboard.layout import html_table, short_names, wide_chart
from dashboard.pdf import monthly_report_pdf
from dashboard.pickers import month_picker, programme_names, programme_picker
from dashboard.status import updated_note
from dashboard.theme import shown_in, stage_label, stage_tint
from data import fr, labels
from data.access import Permission
from data.config import get_config
from data.domain.approval import NOT_YET_APPROVED, presented_months
from data.domain.journey import default_compared, journey_label
from data.domain.months import months_between

KEY_INDICATORS = [
    "interconnaissance_density",
    "factor_pouvoir_agir",
    "coordination_density",
    "governance_milestones",
    "trust_score",
    "multisector_joint_actions",
]
MAX_COMPARED = 24
TABS = (
    "Étapes au fil du temps",
    "Indicateurs du mois",
    "Indicateurs clés dans le temps",
    "Participation au baromètre",
)

config = get_config()
catalogue = reads.catalogue()
scope = auth.scope()

territories = programme_picker(reads.territories(scope))
if territories.empty:
    st.info(
        "Aucun territoire n'est visible pour votre compte. "
        "Demandez à l'équipe de pilotage de vous rattacher à un territoire."
    )
    st.stop()
month = month_picker(scope, territories)
total = len(territories)
if total > MAX_COMPARED:
    # Side-by-side charts of hundreds of territories are unreadable (and heavy to send):
    # above MAX_COMPARED, the page compares a chosen set.
    all_names = dict(zip(territories["territory_id"], territories["name"], strict=True))
    default = default_compared(
        territories, month, int(territories["duration_months"].max()), MAX_COMPARED
    )
    chosen = st.sidebar.multiselect(
        "Territoires comparés",
        list(all_names),
        default=default,
        max_selections=MAX_COMPARED,
        format_func=all_names.__getitem__,
        key="overview_compared",
    )
    territories = territories[territories["territory_id"].isin(chosen or default)]
shown = list(territories["territory_id"])
# Territories of one stage model are shown in it; of several, in the reference model.
model = config.display_model(shown)

st.title("Vue d'ensemble")
caption = f"{programme_names(territories)} — **{fr.month(month)}**"
if not scope.can(Permission.READ_UNAPPROVED):
    caption += " — données approuvées et agrégées uniquement"
if total > MAX_COMPARED:
    caption += f" — {len(shown)} territoires comparés sur {total}"
st.caption(f"{caption}  \n{updated_note(reads.indicators_updated_at(scope, shown))}")

names = dict(zip(territories["territory_id"], territories["name"], strict=True))
short = short_names(territories)
starts = dict(zip(territories["territory_id"], territories["start_date"], strict=True))
stages = shown_in(model, reads.territory_stages(scope, territory_ids=shown))
journals = reads.journal_statuses(scope)
journals = journals[journals["territory_id"].isin(shown)]
# Each territory's month on this page: the month chosen, or for a reader of approved months
# only, each territory's latest approved month up to it (None: nothing approved yet).
approved_only = not scope.can(Permission.READ_UNAPPROVED)
presented = (
    presented_months(journals, shown, month) if approved_only else dict.fromkeys(shown, month)
)
at_presented = [
    presented.get(t) == m for t, m in zip(stages["territory_id"], stages["month"], strict=True)
]
this_month = stages[at_presented].set_index("territory_id")
journal_status = journals[journals["month"] == month].set_index("territory_id")["status"]


def _stage_id(territory_id: str, column: str) -> str | None:
    return this_month.at[territory_id, column] if territory_id in this_month.index else None


def _stage(territory_id: str, column: str) -> str:
    """The stage's label, « non déclarée » for none, « – » for a territory without this month."""
    known = territory_id in this_month.index
    return stage_label(model, _stage_id(territory_id, column)) if known else fr.MISSING


declared_column = "Étape déclarée" if approved_only else f"Étape déclarée ({fr.month(month)})"
# What a reader compares first comes first (the rest scrolls on a phone), the territory's
# short name pinned beside it.
table = pd.DataFrame(
    {
        "Territoire": [short[t] for t in territories["territory_id"]],
        **(
            {
                "Mois présenté": [
                    fr.month(presented[t]) if presented[t] else NOT_YET_APPROVED
                    for t in territories["territory_id"]
                ]
            }
            if approved_only
            else {}
        ),
        declared_column: [_stage(t, "declared_stage") for t in territories["territory_id"]],
        "Étape mesurée": [_stage(t, "inferred_stage") for t in territories["territory_id"]],
        **(
            {}
            if approved_only  # every month it sees is approved
            else {
                "Journal": [
                    labels.JOURNAL_STATUS.get(journal_status.get(t), labels.JOURNAL_ABSENT)
                    for t in territories["territory_id"]
                ]
            }
        ),
        "Mois du parcours": [
            journey_label(s, month, d)
            for s, d in zip(territories["start_date"], territories["duration_months"], strict=True)
        ],
        "Début": [fr.date(d) for d in territories["start_date"]],
        "Région": territories["region"],
    }
)
# A plain table: the interactive grid's code would cost the page's first view a third of a
# second in the browser, for six rows read at a glance.
TABLE_TITLE = "Territoires accompagnés"
st.subheader(TABLE_TITLE)
html_table(
    table,
    label=TABLE_TITLE,
    styles={
        column: [
            f"background-color: {stage_tint(model, _stage_id(t, source))}; font-weight: 600"
            for t in territories["territory_id"]
        ]
        for column, source in (
            (declared_column, "declared_stage"),
            ("Étape mesurée", "inferred_stage"),
        )
    },
)

since_start = (
    st.radio(
        "Axe du temps",
        ["Calendrier", "Mois depuis le début du territoire"],
        horizontal=True,
        key="overview_time_axis",
    )
    != "Calendrier"
)

months_shown = sorted({m for m in presented.values() if m is not None})
values = reads.indicator_values(scope, months=months_shown or [month], territory_ids=shown)
values = values[
    [presented.get(t) == m for t, m in zip(values["territory_id"], values["month"], strict=True)]
]

# One chart at a time: only the open tab's chart is built, sent and drawn.
stages_tab, month_tab, trend_tab, waves_tab = st.tabs(
    list(TABS), key="overview_tab", on_change="rerun"
)
with stages_tab:
    if stages_tab.open:
        wide_chart(
            charts.stage_timeline(
                stages, names, model, since_start=since_start, starts=starts, short_names=short
            ),
            key="overview_timeline",
        )
        with st.expander("Comment lire ce graphique"):
            st.markdown(
                "Chaque ligne est un territoire. La couleur et le numéro donnent l'**étape "
                "déclarée** par le binôme dans son journal ; les marqueurs donnent l'**étape "
                "mesurée** par les indicateurs. Un mois encadré signale un désaccord entre les "
                "deux, à discuter en revue."
            )
with month_tab:
    if month_tab.open:
        if approved_only:
            st.subheader(
                "Indicateurs du dernier mois approuvé de chaque territoire "
                f"(jusqu'à {fr.month(month)}), jugés selon son étape"
            )
        else:
            st.subheader(
                f"Indicateurs de {fr.month(month)}, jugés selon l'étape de chaque territoire"
            )
        wide_chart(
            charts.indicator_heatmap(
                values,
                names,
                catalogue,
                model=config.reference_model,  # the catalogue's stages
                territory_stages={
                    t: config.in_model(config.reference_model, s)
                    for t, s in this_month["judged_stage"].items()
                },
                # Indicators in rows read better while there are few territories.
                transpose=len(names) <= 12,
                short_names=short,
            ),
            key="overview_heatmap",
        )
        with st.expander("Comment lire ce tableau"):
            st.markdown(
                "Chaque territoire est jugé sur les indicateurs de **son étape et des étapes "
                "précédentes** : « force », « à discuter », « point de vigilance ». Les "
                "indicateurs des étapes suivantes sont des signaux de préparation, grisés "
                "« à venir » — jamais un échec. « n faible » signale une valeur calculée sur "
                "moins de cinq réponses."
            )
with trend_tab:
    if trend_tab.open:
        trend = reads.indicator_values(scope, indicator_ids=KEY_INDICATORS, territory_ids=shown)
        trend = trend[trend["month"] <= month]
        wide_chart(
            charts.small_multiples(trend, names, catalogue, since_start=since_start, starts=starts),
            key="overview_trends",
        )
with waves_tab:
    if waves_tab.open:
        waves = reads.respondents_per_wave(scope)
        waves = waves[waves["territory_id"].isin(shown)]
        if waves.empty:
            st.info("Aucune vague d'enquête n'a encore été importée.")
        else:
            waves = waves.assign(
                months_since_start=[
                    months_between(starts[t], m.date())
                    for t, m in zip(waves["territory_id"], waves["reference_month"], strict=True)
                ]
            )
            st.plotly_chart(
                charts.respondents_per_wave(waves, names, since_start=since_start),
                width="stretch",
                config=PLOTLY_CONFIG,
            )
            st.caption(
                "Chaque point est une vague du baromètre, placée au mois de sa dernière "
                "réponse. Une vague a lieu environ tous les six mois."
            )

st.subheader("Téléchargements")
left, middle, right = st.columns(3)
long_export_buttons(
    (left, middle),
    scope,
    catalogue,
    model,
    label="Indicateurs",
    stem=f"cooperascope-indicateurs-{month:%Y-%m}",
    territory_ids=shown,
)
if not scope.can(Permission.READ_UNAPPROVED):
    right.download_button(
        f"Rapport — {fr.month(month)} (PDF)",
        data=lambda: monthly_report_pdf(
            month,
            programme_names(territories),
            territories,
            stages[at_presented],
            values,
            catalogue=catalogue,
            stage_model=model,
            scope=scope,
            presented=presented,  # each territory at its latest approved month, as above
        ),
        file_name=f"cooperascope-rapport-{month:%Y-%m}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
    )
