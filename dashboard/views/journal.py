"""Journal de bord: the binôme's monthly self-assessment of its territory."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import auth, journal_form, reads
from dashboard.pickers import month_picker, territory_picker
from dashboard.theme import stage_label
from dashboard.thread import month_thread
from data import fr, labels
from data.access import Permission
from data.config import get_config
from data.domain.journal import JournalInput
from data.domain.months import add_months
from data.services.journal import Conflict, Locked, request_unlock, save_journal
from data.services.unsaved import Unsaved, discard_unsaved, keep_unsaved, unsaved_journal

SAVED_KEY = "journal:saved"  # the message of the save, shown by the run that follows it
COUNTS = {
    "interviews_done": "Entretiens réalisés (portrait, cumul)",
    "interviews_planned": "Entretiens prévus",
    "new_actors": "Nouveaux acteurs",
    "tools_reused": "Outils réutilisés ailleurs (cumul)",
}
KINDS = labels.EVENT_KIND
SCORES = labels.RUBRIC_SCORE

config = get_config()
sectors = {s.id: s.label for s in config.survey.sectors}
scope = auth.scope()
user = st.session_state["user"]
engine = reads.engine()

territories = reads.territories(scope)
territory_id = territory_picker(scope, territories)
month = month_picker(scope, territories)
name = territories.set_index("territory_id").at[territory_id, "name"]
model = config.stage_model_of(territory_id)  # the journal speaks its programme's stages

st.title("Journal de bord")
st.caption(f"{name} — **{fr.month(month)}**")

entry = reads.journal_entry(scope, territory_id, month)
stored_version = entry["version"] if entry else 0
if entry is None:
    # Start from the previous month's journal: most of it carries over.
    entry = reads.journal_entry(scope, territory_id, add_months(month, -1))
    if entry is not None:
        entry = {**entry, "events": entry["events"].iloc[0:0], "status": None}
        st.info("Nouveau journal, prérempli avec celui du mois précédent (hors rencontres).")
status = entry["status"] if entry else None
locked = status == "approved"
editable = not locked and scope.can(Permission.WRITE_TERRITORY, territory_id)
stored = journal_form.stored_input(entry, model, sectors)
visit = journal_form.start_visit(
    territory_id,
    month,
    stored,
    stored_version,
    lambda: unsaved_journal(engine, scope, user.id, territory_id, month) if editable else None,
)
if locked:
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
                    request_unlock(engine, scope, user.id, territory_id, month, reason)
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


def _abandon() -> None:
    discard_unsaved(engine, scope, user.id, territory_id, month)
    journal_form.end_visit()


if editable and visit.kept is not None:
    kept_at = fr.date_time(visit.kept.kept_at)
    if visit.base_version != stored_version:
        st.warning(
            f"Vos modifications non enregistrées du {kept_at} sont affichées, mais le journal "
            "a été enregistré par une autre personne depuis. Enregistrer les vôtres "
            "remplacerait sa version : abandonnez-les pour voir sa version, ou gardez-les.",
            icon=":material/warning:",
        )
        abandon, keep = st.columns(2)
        abandon.button("Abandonner mes modifications", key="unsaved_discard", on_click=_abandon)
        keep.button(
            "Garder les miennes",
            key="unsaved_keep",
            on_click=journal_form.accept_stored_version,
            args=(visit, stored_version),
        )
    elif visit.restored:
        st.info(
            f"Vos modifications non enregistrées du {kept_at} ont été retrouvées. Elles ne "
            "comptent qu'une fois le brouillon enregistré ou le journal soumis.",
            icon=":material/history:",
        )
        st.button("Abandonner mes modifications", key="unsaved_discard", on_click=_abandon)
shown = visit.shown

stages = [s.id for s in model.stages]
declared = st.radio(
    "Étape où en est la coopération selon vous",
    stages,
    index=stages.index(shown.declared_stage),
    format_func=lambda s: f"{stage_label(model, s)} — {model.stage(s).description}",
    disabled=locked,
    key="journal_stage",
)

st.subheader("Grille des jalons")
rubric: dict[str, int] = {}
for stage in model.stages:
    with st.expander(stage_label(model, stage.id), expanded=stage.id == declared):
        for milestone in stage.milestones:
            rubric[milestone.id] = st.select_slider(
                milestone.label,
                options=list(SCORES),
                value=shown.rubric.get(milestone.id, 0),
                format_func=SCORES.__getitem__,
                disabled=locked,
                key=f"rubric_{milestone.id}",
            )

st.subheader("Activité du mois")
activity = {
    field: column.number_input(
        label, 0, 10_000, getattr(shown, field), disabled=locked, key=f"journal_{field}"
    )
    for column, (field, label) in zip(st.columns(4), COUNTS.items(), strict=True)
}

st.markdown("**Rencontres et ateliers** — une ligne par rencontre, participants par secteur")
table = journal_form.events_table(shown.events, sectors)
edited = st.data_editor(
    table,
    num_rows="dynamic",
    disabled=locked,
    hide_index=True,
    width="stretch",
    key="journal_events",
    placeholder="à saisir",  # a date not entered yet (Streamlit writes « None »)
    # The title first and pinned: on a phone the sectors scroll beside it.
    column_order=["titre", "date", "type", *sectors.values()],
    column_config={
        "date": st.column_config.DateColumn(
            "Date",
            format="DD/MM/YYYY",
            min_value=month,
            max_value=add_months(month, 1) - dt.timedelta(days=1),
        ),
        "type": st.column_config.SelectboxColumn("Type", options=list(KINDS.values())),
        "titre": st.column_config.TextColumn("Titre", default="", pinned=True),
        **{
            label: st.column_config.NumberColumn(label, min_value=0, step=1, default=0)
            for label in sectors.values()
        },
    },
)

st.subheader("Récit du mois")
strengths = st.text_area(
    "Forces", shown.narrative_strengths, disabled=locked, key="journal_strengths"
)
difficulties = st.text_area(
    "Difficultés",
    shown.narrative_difficulties,
    disabled=locked,
    key="journal_difficulties",
)
next_steps = st.text_area(
    "Prochaines étapes",
    shown.narrative_next_steps,
    disabled=locked,
    key="journal_next_steps",
)
internal = st.checkbox(
    "Récit interne au programme (jamais montré aux financeurs)",
    value=shown.narrative_internal,
    disabled=locked,
    key="journal_internal",
)

typed = JournalInput(
    declared_stage=declared,
    rubric=rubric,
    **{field: int(value) for field, value in activity.items()},
    events=journal_form.grid_events(edited, sectors),
    narrative_strengths=strengths,
    narrative_difficulties=difficulties,
    narrative_next_steps=next_steps,
    narrative_internal=internal,
)
if editable:
    # What is typed and not saved is kept for the user at once (found again after leaving
    # the page, a reload or a closed tab); typing it back as it was forgets it.
    if typed != stored and (visit.kept is None or typed != visit.kept.entry):
        at = keep_unsaved(engine, scope, user.id, territory_id, month, typed, visit.base_version)
        visit.kept = Unsaved(typed, visit.base_version, at)
    elif typed == stored and visit.kept is not None:
        discard_unsaved(engine, scope, user.id, territory_id, month)
        visit.kept = None


def _save(submit: bool) -> None:
    try:
        report = save_journal(
            engine, scope, territory_id, month, typed, submit, base_version=visit.base_version
        )
    except (Locked, Conflict) as error:
        st.error(str(error))
        return
    if report.has_errors:
        _show(report.checks)
        return
    discard_unsaved(engine, scope, user.id, territory_id, month)
    journal_form.end_visit()
    reads.clear()
    # Run the page again, so that its state (the status above all) and its form are the
    # saved ones; the message and the warnings are shown after it.
    st.session_state[SAVED_KEY] = (
        "Journal soumis à l'équipe de pilotage." if submit else "Brouillon enregistré.",
        report.checks,
    )
    st.rerun()


def _show(checks: list) -> None:  # type: ignore[type-arg]
    for check in checks:
        (st.error if check.is_error else st.warning)(
            f"{check.message} {('Que faire : ' + check.hint) if check.hint else ''}"
        )


if SAVED_KEY in st.session_state:
    message, checks = st.session_state.pop(SAVED_KEY)
    st.success(message)
    _show(checks)
if editable:
    if visit.kept is not None:
        st.caption(
            "● Modifications non enregistrées, gardées pour vous à "
            f"{fr.time(visit.kept.kept_at)} : elles comptent une fois le brouillon enregistré ou "
            "le journal soumis."
        )
    draft, submit = st.columns(2)
    if draft.button("Enregistrer le brouillon", key="journal_save_draft", width="stretch"):
        _save(submit=False)
    if submit.button("Soumettre le journal", type="primary", key="journal_submit", width="stretch"):
        _save(submit=True)

st.subheader("Échanges avec l'équipe de pilotage")
month_thread(scope, user.id, territory_id, month)
