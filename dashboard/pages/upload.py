"""Import: upload an actors list or a survey export, read its quality report, confirm;
download the blank templates."""

from __future__ import annotations

import hashlib

import streamlit as st

from dashboard import auth, reads
from dashboard.pickers import territory_picker
from data import fr
from data.access import Permission
from data.domain.waves import FIRST_WAVE, LAST_WAVE
from data.importer.result import ImportResult
from data.importer.templates import actors_template, survey_template_for
from data.services.imports import import_and_refresh

KINDS = {"survey": "Réponses au baromètre (une vague)", "actors": "Liste des acteurs"}

scope = auth.scope()
territories = reads.territories(scope)
territory_id = territory_picker(scope, territories)
names = dict(zip(territories["territory_id"], territories["name"], strict=True))

st.title("Import")
st.caption(
    f"{names[territory_id]} — le fichier est vérifié avant d'être enregistré ; rien n'est "
    "modifié tant que vous n'avez pas confirmé."
)

kind = st.radio("Que déposez-vous ?", list(KINDS), format_func=KINDS.__getitem__, key="upload_kind")
wave = None
if kind == "survey":
    waves = reads.respondents_per_wave(scope, territory_id=territory_id)
    next_wave = int(waves["wave_number"].max()) + 1 if not waves.empty else FIRST_WAVE
    wave = st.number_input(
        "Numéro de la vague (0 au démarrage, puis environ tous les six mois)",
        min_value=FIRST_WAVE,
        max_value=LAST_WAVE,
        value=min(next_wave, LAST_WAVE),
        key="upload_wave",
    )
upload = st.file_uploader(
    "Fichier CSV ou XLSX (export KoboToolbox, ODK, LimeSurvey ou modèle Coopérascope)",
    type=["csv", "xlsx", "txt"],
    key="upload_file",
)


def _run(dry_run: bool) -> ImportResult:
    return import_and_refresh(
        reads.engine(),
        kind,
        upload.getvalue(),
        upload.name,
        territory_id,
        scope.user,
        wave_number=None if wave is None else int(wave),
        dry_run=dry_run,
    )


def _show(result: ImportResult) -> None:
    show = st.error if result.outcome == "refused" else st.success
    show(result.headline())
    read_as = result.report.context.get("read_as")
    if read_as:
        st.caption(f"Lu comme : {read_as}.")
    for check in result.report.checks:
        (st.error if check.is_error else st.warning)(check.render_markdown())


if upload is not None:
    scope.require(Permission.WRITE_TERRITORY, territory_id)
    key = f"{hashlib.sha256(upload.getvalue()).hexdigest()}:{kind}:{wave}:{territory_id}"
    if st.session_state.get("upload_checked_key") != key:
        with st.spinner("Vérification du fichier…"):
            st.session_state["upload_checked"] = _run(dry_run=True)
        st.session_state["upload_checked_key"] = key
    checked: ImportResult = st.session_state["upload_checked"]
    st.subheader("Rapport de qualité")
    _show(checked)
    confirmable = checked.outcome == "checked"
    if confirmable and st.button("Confirmer l'import", type="primary", key="upload_confirm"):
        with st.spinner("Import et recalcul des indicateurs…"):
            result = _run(dry_run=False)
        reads.clear()
        st.session_state.pop("upload_checked_key", None)
        st.subheader("Résultat")
        _show(result)

st.divider()
st.subheader("Modèles vierges")
st.caption(
    "Le modèle d'enquête reprend la liste des acteurs du territoire : une colonne de niveau "
    "de collaboration (0 à 5) et trois colonnes de confiance (1 à 4) par organisation."
)
columns = st.columns(4)
for column, (label, data, file_name) in zip(
    columns,
    [
        ("Liste des acteurs (CSV)", actors_template("csv"), "modele-acteurs.csv"),
        ("Liste des acteurs (XLSX)", actors_template("xlsx"), "modele-acteurs.xlsx"),
        (
            "Enquête (CSV)",
            survey_template_for(reads.engine(), territory_id, "csv"),
            f"modele-enquete-{territory_id}.csv",
        ),
        (
            "Enquête (XLSX)",
            survey_template_for(reads.engine(), territory_id, "xlsx"),
            f"modele-enquete-{territory_id}.xlsx",
        ),
    ],
    strict=True,
):
    column.download_button(label, data=data, file_name=file_name, icon=":material/download:")
st.caption(f"Taille maximale d'un fichier : {fr.number(25)} Mo.")
