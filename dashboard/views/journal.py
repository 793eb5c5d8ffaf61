"""Journal de bord: the binôme's monthly self-assessment of its territory."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import auth, reads
from dashboard.pickers import month_picker, territory_picker
from dashboard.theme import stage_label
from dashboard.thread import month_thread
from data import fr, labels
from data.access import Permission
from data.config import get_config
from data.domain.journal import EventInput, JournalInput
from data.domain.months import add_months
from data.services.journal import Conflict, Locked, request_unlock, save_journal

COUNTS = {
    "interviews_done": "Entretiens réalisés (portrait, cumul)",
    "interviews_planned": "Entretiens prévus",
    "new_actors": "Nouveaux acteurs",
    "tools_reused": "Outils réutilisés ailleurs (cumul)",
}
KINDS = labels.EVENT_KIND
SCORES = labels.RUBRIC_SCORE

config = get_config()
model = config.stage_model
sectors = {s.id: s.label for s in config.survey.sectors}
scope = auth.scope()
user = st.session_state["user"]

territories = reads.territories(scope)
territory_id = territory_picker(scope, territories)
month = month_picker(scope, territories)
name = territories.set_index("territory_id").at[territory_id, "name"]

st.title("Journal de bord")
st.caption(f"{name} — **{fr.month(month)}**")

entry = reads.journal_entry(scope, territory_id, month)
# The version this page read: saving checks that nobody wrote the journal meanwhile.
base_version = entry["version"] if entry else 0
if entry is None:
    # Start from the previous month's journal: most of it carries over.
    entry = reads.journal_entry(scope, territory_id, add_months(month, -1))
    if entry is not None:
        entry = {**entry, "events": entry["events"].iloc[0:0], "status": None}
        st.info("Nouveau journal, prérempli avec celui du mois précédent (hors rencontres).")
status = entry["status"] if entry else None
if status == "approved":
    by = f" par {fr.literal(entry['approved_by'])}" if entry.get("approved_by") else ""
    when = f" le {fr.date_time(entry['approved_at'])}" if entry.get("approved_at") else ""
    st.success(
        f"Ce mois est approuvé{by}{when} et verrouillé. Pour le modifier, demandez son "
        "déverrouillage à l'équipe de pilotage (ci-dessous).",
        icon=":material/lock:",
    )
    if scope.can(Permission.DISCUSS_MONTH, territory_id):
        with st.form("unlock_request", clear_on_submit=True):
            reason = st.text_area("Ce que vous voulez modifier, et pourquoi", key="unlock_reason")
            if st.form_submit_button("Demander le déverrouillage", icon=":material/lock_open:"):
                try:
                    request_unlock(reads.engine(), scope, user.id, territory_id, month, reason)
                except ValueError as error:
                    st.error(str(error))
                else:
                    reads.clear()
                    st.toast("Demande envoyée à l'équipe de pilotage.")
                    st.rerun()
else:
    # The status as a badge whose mark carries it without colour (◌ brouillon, ● soumis).
    state = labels.JOURNAL_STATUS_MARK[status] if status else "nouveau, pas encore enregistré"
    st.badge(f"État : {state}", color="blue" if status == "submitted" else "gray")
locked = status == "approved"
entry = entry or {}

stages = [s.id for s in model.stages]
declared = st.radio(
    "Étape où en est la coopération selon vous",
    stages,
    index=stages.index(entry.get("declared_stage", stages[0])),
    format_func=lambda s: f"{stage_label(model, s)} — {model.stage(s).description}",
    disabled=locked,
    key="journal_stage",
)

st.subheader("Grille des jalons")
rubric: dict[str, int] = {}
previous_rubric = entry.get("rubric", {})
for stage in model.stages:
    with st.expander(stage_label(model, stage.id), expanded=stage.id == declared):
        for milestone in stage.milestones:
            rubric[milestone.id] = st.select_slider(
                milestone.label,
                options=list(SCORES),
                value=previous_rubric.get(milestone.id, 0),
                format_func=SCORES.__getitem__,
                disabled=locked,
                key=f"rubric_{milestone.id}",
            )

st.subheader("Activité du mois")
activity = {
    field: column.number_input(
        label, 0, 10_000, entry.get(field, 0), disabled=locked, key=f"journal_{field}"
    )
    for column, (field, label) in zip(st.columns(4), COUNTS.items(), strict=True)
}

st.markdown("**Rencontres et ateliers** — une ligne par rencontre, participants par secteur")
events = entry.get("events")
participants = entry.get("participants")
rows = []
if events is not None and len(events):
    for event in events.itertuples():
        counts = participants[participants["event_id"] == event.event_id]
        row = {
            "date": pd.Timestamp(event.held_on),  # NaT: a draft's row not dated yet
            "type": KINDS.get(event.kind, "autre"),
            "titre": event.title,
        }
        row.update({sectors[s]: int(counts[counts["sector"] == s]["count"].sum()) for s in sectors})
        rows.append(row)
empty = {
    "date": pd.Series(dtype="datetime64[s]"),
    "type": pd.Series(dtype="str"),
    "titre": pd.Series(dtype="str"),
}
empty.update({label: pd.Series(dtype="int64") for label in sectors.values()})
table = pd.DataFrame(rows).astype({"date": "datetime64[s]"}) if rows else pd.DataFrame(empty)
edited = st.data_editor(
    table,
    num_rows="dynamic",
    disabled=locked,
    hide_index=True,
    width="stretch",
    key="journal_events",
    column_config={
        "date": st.column_config.DateColumn(
            "Date",
            format="DD/MM/YYYY",
            min_value=month,
            max_value=add_months(month, 1) - dt.timedelta(days=1),
        ),
        "type": st.column_config.SelectboxColumn("Type", options=list(KINDS.values())),
        "titre": st.column_config.TextColumn("Titre"),
        **{
            label: st.column_config.NumberColumn(label, min_value=0, step=1)
            for label in sectors.values()
        },
    },
)

st.subheader("Récit du mois")
strengths = st.text_area(
    "Forces", entry.get("narrative_strengths") or "", disabled=locked, key="journal_strengths"
)
difficulties = st.text_area(
    "Difficultés",
    entry.get("narrative_difficulties") or "",
    disabled=locked,
    key="journal_difficulties",
)
next_steps = st.text_area(
    "Prochaines étapes",
    entry.get("narrative_next_steps") or "",
    disabled=locked,
    key="journal_next_steps",
)
internal = st.checkbox(
    "Récit interne au programme (jamais montré aux financeurs)",
    value=bool(entry.get("narrative_internal", False)),
    disabled=locked,
    key="journal_internal",
)

kind_ids = {label: kind for kind, label in KINDS.items()}


def _filled(value: object) -> bool:
    return not fr.is_missing(value) and value != ""


def _events() -> list[EventInput]:
    """The grid's rows with anything entered: a draft keeps a row not complete yet."""
    result = []
    for row in edited.to_dict("records"):
        if not any(_filled(value) and value != 0 for value in row.values()):
            continue
        held_on = row.get("date")
        result.append(
            EventInput(
                held_on=pd.Timestamp(held_on).date() if _filled(held_on) else None,
                kind=kind_ids.get(row.get("type") or "", "other"),
                title=str(row.get("titre") or "") if _filled(row.get("titre")) else "",
                participants={
                    sector: int(row.get(label) or 0) if _filled(row.get(label)) else 0
                    for sector, label in sectors.items()
                },
            )
        )
    return result


def _save(submit: bool) -> None:
    data = JournalInput(
        declared_stage=declared,
        rubric=rubric,
        **{field: int(value) for field, value in activity.items()},
        events=_events(),
        narrative_strengths=strengths,
        narrative_difficulties=difficulties,
        narrative_next_steps=next_steps,
        narrative_internal=internal,
    )
    try:
        report = save_journal(
            reads.engine(), scope, territory_id, month, data, submit, base_version=base_version
        )
    except (Locked, Conflict) as error:
        st.error(str(error))
        return
    if report.has_errors:
        _show(report.checks)
        return
    reads.clear()
    # Run the page again, so that its state (the status above all) is the saved one; the
    # message and the warnings are shown after it.
    st.session_state["journal_saved"] = (
        "Journal soumis à l'équipe de pilotage." if submit else "Brouillon enregistré.",
        report.checks,
    )
    st.rerun()


def _show(checks: list) -> None:  # type: ignore[type-arg]
    for check in checks:
        (st.error if check.is_error else st.warning)(
            f"{check.message} {('Que faire : ' + check.hint) if check.hint else ''}"
        )


if "journal_saved" in st.session_state:
    message, checks = st.session_state.pop("journal_saved")
    st.success(message)
    _show(checks)
if not locked:
    draft, submit = st.columns(2)
    if draft.button("Enregistrer le brouillon", key="journal_save_draft", width="stretch"):
        _save(submit=False)
    if submit.button("Soumettre le journal", type="primary", key="journal_submit", width="stretch"):
        _save(submit=True)

st.subheader("Échanges avec l'équipe de pilotage")
month_thread(scope, user.id, territory_id, month)
