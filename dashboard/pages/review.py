"""Revue mensuelle (programme leads): what changed, alerts, comments, approval, exports."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.report import long_export, monthly_report_pdf
from dashboard.status import status_badge
from dashboard.theme import stage_label
from data import fr
from data.config import get_config
from data.domain.alerts import KIND_LABELS, monthly_alerts
from data.domain.months import add_months
from data.services.journal import add_comment, approve_month, comments, unlock_month

config = get_config()
model = config.stage_model
catalogue = state.catalogue()
scope = state.scope()
user = st.session_state["user"]

territories = state.read("territories", scope)
month = state.month_picker(territories)
names = dict(zip(territories["territory_id"], territories["name"], strict=True))

st.title("Revue mensuelle")
st.caption(f"{config.programme.name} — **{fr.month(month)}**")

previous_month, year_ago = add_months(month, -1), add_months(month, -12)
values = state.read("indicator_values", scope, months=[month, previous_month, year_ago])
current = values[values["month"] == month]
stages = state.read("territory_stages", scope)
journals = state.read("journal_statuses", scope)
alerts = monthly_alerts(
    month,
    territories,
    journals,
    state.read("respondents_per_wave", scope).rename(
        columns={"reference_month": "reference_month"}
    ),
    state.read("import_reports", scope),
    current,
    values[values["month"] == previous_month],
    stages,
    catalogue,
    {s.id: stage_label(model, s.id) for s in model.stages},
)

st.subheader(f"Alertes ({len(alerts)})")
if alerts.empty:
    st.success("Aucune alerte ce mois-ci.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "Territoire": alerts["territory_id"].map(names),
                "Alerte": alerts["kind"].map(KIND_LABELS),
                "Détail": alerts["message"],
            }
        ),
        hide_index=True,
        width="stretch",
    )

territory_id = state.territory_picker(territories, "Territoire à revoir")
st.subheader(f"{names[territory_id]} — ce qui a changé")
mine = values[values["territory_id"] == territory_id]
wide = mine.pivot_table(index="indicator_id", columns="month", values="value", aggfunc="first")
rows = []
for indicator_id, definition in catalogue.indicators.items():
    now = mine[(mine["month"] == month) & (mine["indicator_id"] == indicator_id)]
    if now.empty:
        continue
    status = now["status"].iloc[0]

    def _at(when, indicator_id=indicator_id):  # type: ignore[no-untyped-def]
        return wide.at[indicator_id, when] if when in wide.columns else None

    rows.append(
        {
            "Indicateur": definition.label,
            "Étape": stage_label(model, definition.stage),
            "Valeur": fr.indicator_value(_at(month), definition.unit),
            "Mois précédent": fr.indicator_value(_at(previous_month), definition.unit),
            "Il y a un an": fr.indicator_value(_at(year_ago), definition.unit),
            "Statut": status_badge(status),
        }
    )
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", height=420)

st.subheader("Commentaires de l'équipe de pilotage")
month_comments = comments(state.engine(), scope, None, month)
mine_comments = month_comments[month_comments["territory_id"] == territory_id]
for row in mine_comments.itertuples():
    st.markdown(f"**{row.author}** — {fr.date(pd.Timestamp(row.created_at).date())}  \n{row.body}")
with st.form("comment", clear_on_submit=True):
    body = st.text_area("Nouveau commentaire", key="comment_body")
    if st.form_submit_button("Publier le commentaire"):
        try:
            add_comment(state.engine(), scope, user.id, territory_id, month, body)
        except ValueError as error:
            st.error(str(error))
        else:
            st.toast("Commentaire publié.")
            st.rerun()

st.subheader("Approbation du mois")
status = journals[(journals["territory_id"] == territory_id) & (journals["month"] == month)]
journal_status = status["status"].iloc[0] if not status.empty else None
if journal_status == "approved":
    st.success(
        f"{fr.month(month).capitalize()} est approuvé et verrouillé.", icon=":material/lock:"
    )
    with st.form("unlock"):
        reason = st.text_input("Raison du déverrouillage (conservée dans le journal d'audit)")
        if st.form_submit_button("Déverrouiller"):
            try:
                unlock_month(state.engine(), scope, territory_id, month, reason)
            except ValueError as error:
                st.error(str(error))
            else:
                state.clear_reads()
                st.rerun()
elif journal_status == "submitted":
    if st.button("Approuver ce mois (le verrouille)", type="primary", key="approve"):
        approve_month(state.engine(), scope, user.id, territory_id, month)
        state.clear_reads()
        st.rerun()
else:
    st.info(
        "Pas de journal soumis pour ce mois : le binôme doit d'abord le soumettre."
        if journal_status is None
        else "Le journal de ce mois est en brouillon : le binôme doit le soumettre."
    )

st.subheader("Exports")


def _report() -> bytes:
    """Built when the button is clicked, not at every rerun."""
    return monthly_report_pdf(
        month,
        config.programme.name,
        territories,
        stages[stages["month"] == month],
        current,
        previous=values[values["month"] == previous_month],
        year_ago=values[values["month"] == year_ago],
        alerts=alerts,
        comments=month_comments,
        catalogue=catalogue,
        stage_model=model,
        audience="lead",
        duration_months=config.programme.duration_months,
    )


left, middle, right = st.columns(3)
left.download_button(
    "Rapport du mois (PDF)",
    data=_report,
    file_name=f"revue-{month:%Y-%m}.pdf",
    mime="application/pdf",
    icon=":material/picture_as_pdf:",
)
middle.download_button(
    "Indicateurs du mois (CSV, format long)",
    data=lambda: long_export(current, "csv", catalogue=catalogue),
    file_name=f"revue-{month:%Y-%m}.csv",
    mime="text/csv",
    icon=":material/download:",
)
right.download_button(
    "Indicateurs du mois (XLSX, format long)",
    data=lambda: long_export(current, "xlsx", catalogue=catalogue),
    file_name=f"revue-{month:%Y-%m}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
)
