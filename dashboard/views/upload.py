"""Import: upload an actors list or a survey export, read its quality report, confirm;
download the blank templates."""

from __future__ import annotations

import hashlib
import math
from functools import partial

import streamlit as st

from dashboard import auth, reads
from dashboard.chrome import uploader_css
from dashboard.layout import data_grid
from dashboard.pickers import territory_picker
from data import fr
from data.access import Permission
from data.domain.waves import FIRST_WAVE, LAST_WAVE
from data.importer.result import ImportResult
from data.importer.settings import quality_settings
from data.importer.templates import actors_template, survey_template_for
from data.importer.xlsform import xlsform_for
from data.services.imports import import_and_refresh

MAX_FILE_MB = quality_settings().limits.max_file_mb
EXTENSIONS = ["csv", "xlsx", "xls", "ods", "txt"]
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

# A confirmed import starts the file and the wave number again (new keys), so that the same
# file is not sent again and the next wave is offered.
uploads = st.session_state.setdefault("upload_count", 0)
kind = st.radio("Que déposez-vous ?", list(KINDS), format_func=KINDS.__getitem__, key="upload_kind")
wave = None
if kind == "survey":
    waves = reads.respondents_per_wave(scope, territory_id=territory_id)
    next_wave = int(waves["wave_number"].max()) + 1 if not waves.empty else FIRST_WAVE
    number, existing = st.columns([1, 2])
    wave = number.number_input(
        "Numéro de la vague (0 au démarrage, puis environ tous les six mois)",
        min_value=FIRST_WAVE,
        max_value=LAST_WAVE,
        value=min(next_wave, LAST_WAVE),
        key=f"upload_wave_{uploads}",
        help="Choisissez le numéro d'une vague existante pour la remplacer par un fichier corrigé.",
    )
    if waves.empty:
        existing.caption("Aucune vague importée pour ce territoire.")
    else:
        existing.caption("Vagues déjà importées")
        newest_first = waves.sort_values("wave_number", ascending=False)
        with existing:
            data_grid(
                newest_first.assign(
                    reference_month=[fr.month(m) for m in newest_first["reference_month"]]
                )[["wave_number", "reference_month", "respondents", "organisations"]],
                column_config={
                    "wave_number": "Vague",
                    "reference_month": "Mois de référence",
                    "respondents": "Répondants",
                    "organisations": "Organisations",
                },
                hide_index=True,
            )
st.html(f"<style>{uploader_css(MAX_FILE_MB, EXTENSIONS)}</style>")
upload = st.file_uploader(
    "Fichier CSV, XLSX, XLS ou ODS (export KoboToolbox, ODK, LimeSurvey ou modèle Coopérascope)",
    type=EXTENSIONS,
    key=f"upload_file_{uploads}",
    max_upload_size=math.floor(MAX_FILE_MB),
)


def _run(dry_run: bool) -> ImportResult:
    return import_and_refresh(
        reads.engine(),
        kind,
        upload.getvalue(),
        upload.name,
        territory_id,
        scope,
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
    st.session_state.pop("upload_result", None)  # a new file: the last import's result is done
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
            st.session_state["upload_result"] = _run(dry_run=False)
        reads.clear()
        # The page starts again empty: no file, the next wave number, the result below.
        for done in ("upload_checked_key", "upload_checked"):
            st.session_state.pop(done, None)
        st.session_state["upload_count"] = uploads + 1
        st.rerun()
elif "upload_result" in st.session_state:
    st.subheader("Dernier import")
    _show(st.session_state["upload_result"])

st.divider()
st.subheader("Modèles vierges")
st.caption(
    "Le modèle d'enquête reprend la liste des acteurs du territoire : une colonne de niveau "
    "de collaboration (0 à 5) et trois colonnes de confiance (1 à 4) par organisation. Le "
    "formulaire XLSForm se dépose tel quel dans KoboToolbox ou ODK Central ; son export, "
    "quels qu'en soient les réglages, s'importe ici."
)
# The buttons flow and wrap, each as wide as its whole label (five columns cut them short);
# each file is built when its button is clicked, not at every rerun of the page.
templates = st.container(horizontal=True)
for label, data, file_name in (
    ("Liste des acteurs (CSV)", partial(actors_template, "csv"), "modele-acteurs.csv"),
    ("Liste des acteurs (XLSX)", partial(actors_template, "xlsx"), "modele-acteurs.xlsx"),
    (
        "Enquête (CSV)",
        partial(survey_template_for, reads.engine(), territory_id, "csv"),
        f"modele-enquete-{territory_id}.csv",
    ),
    (
        "Enquête (XLSX)",
        partial(survey_template_for, reads.engine(), territory_id, "xlsx"),
        f"modele-enquete-{territory_id}.xlsx",
    ),
    (
        "Formulaire KoboToolbox / ODK (XLSForm)",
        partial(xlsform_for, reads.engine(), territory_id),
        f"formulaire-barometre-{territory_id}.xlsx",
    ),
):
    templates.download_button(label, data=data, file_name=file_name, icon=":material/download:")
st.caption(f"Taille maximale d'un fichier : {fr.number(MAX_FILE_MB)} Mo.")
