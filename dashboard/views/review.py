"""Revue mensuelle (programme leads): what changed, alerts, comments, approval, exports."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth, reads
from dashboard.pdf import monthly_report_pdf
from dashboard.pickers import month_picker, territory_picker
from dashboard.status import status_badge, updated_note
from dashboard.theme import stage_label
from dashboard.thread import month_thread
from data import fr, labels
from data.config import get_config
from data.domain.alerts import monthly_alerts
from data.domain.changes import indicator_changes
from data.domain.months import add_months
from data.domain.vocabulary import CommentKind, JournalStatus
from data.exports.indicators import export_indicators
from data.services.journal import approve_month, unlock_month

config = get_config()
model = config.stage_model
catalogue = reads.catalogue()
scope = auth.scope()
user = st.session_state["user"]

territories = reads.territories(scope)
journals = reads.journal_statuses(scope)
# The review opens on the latest month with a journal waiting for approval.
submitted = journals.loc[journals["status"] == JournalStatus.SUBMITTED, "month"]
month = month_picker(scope, territories, default=max(submitted, default=None))
names = dict(zip(territories["territory_id"], territories["name"], strict=True))

st.title("Revue mensuelle")
st.caption(
    f"{config.programme.name} — **{fr.month(month)}**  \n"
    f"{updated_note(reads.indicators_updated_at(scope))}"
)

previous_month, year_ago = add_months(month, -1), add_months(month, -12)
values = reads.indicator_values(scope, months=[month, previous_month, year_ago])
current = values[values["month"] == month]
stages = reads.territory_stages(scope)
month_messages = reads.comments(scope, None, month)
alerts = monthly_alerts(
    month,
    territories,
    journals,
    reads.respondents_per_wave(scope),
    reads.import_reports(scope),
    current,
    values[values["month"] == previous_month],
    stages,
    catalogue,
    {s.id: stage_label(model, s.id) for s in model.stages},
    unlock_requests=month_messages[month_messages["kind"] == CommentKind.UNLOCK_REQUEST],
)

st.subheader(f"Alertes ({len(alerts)})")
if alerts.empty:
    st.success("Aucune alerte ce mois-ci.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "Territoire": alerts["territory_id"].map(names),
                "Alerte": alerts["kind"].map(labels.ALERT_KIND),
                "Détail": alerts["message"],
            }
        ),
        hide_index=True,
        width="stretch",
    )

territory_id = territory_picker(scope, territories, "Territoire à revoir")
st.subheader(f"{names[territory_id]} — ce qui a changé")
changes = indicator_changes(
    values[values["territory_id"] == territory_id], catalogue.indicators, month
)
st.dataframe(
    pd.DataFrame(
        {
            "Indicateur": [catalogue.indicators[i].label for i in changes["indicator_id"]],
            "Étape": [stage_label(model, s) for s in changes["stage"]],
            **{
                heading: [
                    fr.indicator_value(v, u)
                    for v, u in zip(changes[column], changes["unit"], strict=True)
                ]
                for heading, column in (
                    ("Valeur", "value"),
                    ("Mois précédent", "previous_value"),
                    ("Il y a un an", "year_ago_value"),
                )
            },
            "Statut": [status_badge(s) for s in changes["status"]],
        }
    ),
    hide_index=True,
    width="stretch",
    height=420,
)

st.subheader("Échanges avec le binôme")
month_thread(scope, user.id, territory_id, month)

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
                unlock_month(reads.engine(), scope, territory_id, month, reason)
            except ValueError as error:
                st.error(str(error))
            else:
                reads.clear()
                st.rerun()
elif journal_status == "submitted":
    if st.button("Approuver ce mois (le verrouille)", type="primary", key="approve"):
        approve_month(reads.engine(), scope, user.id, territory_id, month)
        reads.clear()
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
        comments=month_messages,
        catalogue=catalogue,
        stage_model=model,
        scope=scope,
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
    data=lambda: export_indicators(
        reads.engine(), scope, "csv", catalogue=catalogue, months=[month]
    ),
    file_name=f"revue-{month:%Y-%m}.csv",
    mime="text/csv",
    icon=":material/download:",
)
right.download_button(
    "Indicateurs du mois (XLSX, format long)",
    data=lambda: export_indicators(
        reads.engine(), scope, "xlsx", catalogue=catalogue, months=[month]
    ),
    file_name=f"revue-{month:%Y-%m}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
)
