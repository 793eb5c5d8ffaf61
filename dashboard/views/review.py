"""Revue mensuelle (programme leads): what changed, alerts, comments, approval, exports."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth, reads
from dashboard.downloads import long_export_buttons
from dashboard.layout import data_grid, short_names
from dashboard.pdf import monthly_report_pdf
from dashboard.pickers import month_picker, programme_names, programme_picker, territory_picker
from dashboard.status import change_arrow, status_badge, updated_note
from dashboard.theme import shown_in, stage_label
from dashboard.thread import month_thread
from dashboard.views.network_section import report_networks
from data import fr, labels
from data.config import get_config
from data.domain.alerts import monthly_alerts
from data.domain.changes import change_size, indicator_changes
from data.domain.months import add_months
from data.domain.vocabulary import CommentKind, JournalStatus
from data.services.journal import approve_month, unlock_month

config = get_config()
catalogue = reads.catalogue()
scope = auth.scope()
user = st.session_state["user"]

territories = programme_picker(reads.territories(scope))
shown = list(territories["territory_id"])
model = config.display_model(shown)
journals = reads.journal_statuses(scope)
journals = journals[journals["territory_id"].isin(shown)]
# The review opens on the latest month with a journal waiting for approval.
submitted = journals.loc[journals["status"] == JournalStatus.SUBMITTED, "month"]
month = month_picker(scope, territories, default=max(submitted, default=None))
names = dict(zip(territories["territory_id"], territories["name"], strict=True))
short = short_names(territories)  # in the tables, pinned: the rest scrolls on a phone
PINNED = {"Territoire": st.column_config.TextColumn(pinned=True)}

st.title("Revue mensuelle")
st.caption(
    f"{programme_names(territories)} — **{fr.month(month)}**  \n"
    f"{updated_note(reads.indicators_updated_at(scope, shown))}"
)

previous_month, year_ago = add_months(month, -1), add_months(month, -12)
values = reads.indicator_values(
    scope, months=[month, previous_month, year_ago], territory_ids=shown
)
current = values[values["month"] == month]
stages = shown_in(model, reads.territory_stages(scope, territory_ids=shown))
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

# -- the month's journals, approved one by one or as a selection --------------------------
st.subheader("Journaux du mois")
this_month = journals[journals["month"] == month].set_index("territory_id")
desk = pd.DataFrame(
    {
        "territory_id": territories["territory_id"],
        "Territoire": [short[t] for t in territories["territory_id"]],
        "Journal": [
            labels.JOURNAL_STATUS_MARK.get(this_month["status"].get(t), labels.JOURNAL_ABSENT_MARK)
            for t in territories["territory_id"]
        ],
        "Étape déclarée": [
            stage_label(model, config.in_model(model, this_month["declared_stage"][t]))
            if t in this_month.index
            else "–"
            for t in territories["territory_id"]
        ],
        "Alertes": [int((alerts["territory_id"] == t).sum()) for t in territories["territory_id"]],
    }
)
picked = data_grid(
    desk.drop(columns="territory_id"),
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="multi-row",
    key="review_desk",
    column_config=PINNED,
)
chosen = [desk["territory_id"].iloc[i] for i in picked.selection.rows]
ready = [t for t in chosen if this_month["status"].get(t) == JournalStatus.SUBMITTED]


@st.dialog("Approuver et verrouiller")
def _confirm_approval(territory_ids: list[str]) -> None:
    st.write(
        f"Approuver {fr.month(month)} pour : "
        + ", ".join(names[t] for t in territory_ids)
        + " ? Chaque mois approuvé est verrouillé : seul un déverrouillage, dont la raison est "
        "conservée, permettra de le modifier."
    )
    confirm, cancel = st.columns(2)
    if confirm.button("Approuver", type="primary", key="approve_confirm", width="stretch"):
        for territory in territory_ids:
            approve_month(reads.engine(), scope, user.id, territory, month)
        reads.clear()
        st.session_state["review_approved"] = len(territory_ids)
        st.rerun()
    if cancel.button("Annuler", key="approve_cancel", width="stretch"):
        st.rerun()


if "review_approved" in st.session_state:
    count = st.session_state.pop("review_approved")
    st.success(
        f"{count} mois approuvé{'s' if count > 1 else ''} et verrouillé{'s' if count > 1 else ''}."
    )
if st.button(
    f"Approuver la sélection ({len(ready)} {'journaux' if len(ready) > 1 else 'journal'} soumis)",
    disabled=not ready,
    key="approve_selection",
    help="Cochez les territoires dont le journal est soumis.",
):
    _confirm_approval(ready)

st.subheader(f"Alertes ({len(alerts)})")


def _review_alert_territory() -> None:
    """An alert clicked: its territory becomes the one reviewed below."""
    rows = st.session_state["review_alerts"].selection.rows
    if rows:
        territory = alerts["territory_id"].iloc[rows[0]]
        st.session_state["territory"] = st.session_state["territory_picker"] = territory


if alerts.empty:
    st.success("Aucune alerte ce mois-ci.")
else:
    st.caption("Cliquez une alerte pour revoir son territoire ci-dessous.")
    data_grid(
        pd.DataFrame(
            {
                "Territoire": alerts["territory_id"].map(short),
                "Alerte": alerts["kind"].map(labels.ALERT_KIND),
                "Détail": alerts["message"],
            }
        ),
        hide_index=True,
        width="stretch",
        on_select=_review_alert_territory,
        selection_mode="single-row",
        key="review_alerts",
        column_config=PINNED,
    )

territory_id = territory_picker(scope, territories, "Territoire à revoir")
st.subheader(f"{names[territory_id]} — ce qui a changé")
changes = indicator_changes(
    values[values["territory_id"] == territory_id], catalogue.indicators, month
)
# Largest changes first (as a share of each unit's scale); unchanged ones last.
sizes = [
    change_size(u, v, p)
    for u, v, p in zip(changes["unit"], changes["value"], changes["previous_value"], strict=True)
]
changes = changes.assign(size=[s or 0.0 for s in sizes]).sort_values("size", ascending=False)
if st.toggle("Seulement ce qui a changé", value=True, key="review_changed_only"):
    changes = changes[changes["size"] > 0]
if changes.empty:
    st.info("Aucun indicateur n'a changé depuis le mois précédent.")
else:
    data_grid(
        pd.DataFrame(
            {
                "Indicateur": [catalogue.indicators[i].short for i in changes["indicator_id"]],
                "Étape": [stage_label(model, config.in_model(model, s)) for s in changes["stage"]],
                **{
                    heading: [
                        fr.indicator_value(v, u)
                        for v, u in zip(changes[column], changes["unit"], strict=True)
                    ]
                    for heading, column in (
                        ("Valeur", "value"),
                        ("Mois précédent", "previous_value"),
                    )
                },
                "Évolution": [
                    change_arrow(v, p) + fr.format_change(u, v, p)
                    for u, v, p in zip(
                        changes["unit"], changes["value"], changes["previous_value"], strict=True
                    )
                ],
                "Il y a un an": [
                    fr.indicator_value(v, u)
                    for v, u in zip(changes["year_ago_value"], changes["unit"], strict=True)
                ],
                "Statut": [status_badge(s) for s in changes["status"]],
            }
        ),
        hide_index=True,
        width="stretch",
        height=min(420, 38 + 35 * len(changes)),
        # The change beside its indicator (pinned): on a phone the rest scrolls.
        column_order=[
            "Indicateur",
            "Évolution",
            "Valeur",
            "Mois précédent",
            "Statut",
            "Il y a un an",
            "Étape",
        ],
        column_config={"Indicateur": st.column_config.TextColumn(pinned=True)},
    )

st.subheader("Échanges avec le binôme")
month_thread(scope, user.id, territory_id, month)

st.subheader(f"Approbation — {names[territory_id]}")
journal_status = this_month["status"].get(territory_id)
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
        _confirm_approval([territory_id])
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
        programme_names(territories),
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
        networks=report_networks(scope, list(territories["territory_id"])),
    )


left, middle, right = st.columns(3)
left.download_button(
    "Rapport du mois (PDF)",
    data=_report,
    file_name=f"revue-{month:%Y-%m}.pdf",
    mime="application/pdf",
    icon=":material/picture_as_pdf:",
)
long_export_buttons(
    (middle, right),
    scope,
    catalogue,
    model,
    label="Indicateurs du mois",
    stem=f"revue-{month:%Y-%m}",
    months=[month],
)
