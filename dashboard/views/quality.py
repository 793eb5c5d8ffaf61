"""Qualité des données: every import and its report; completeness and timeliness of journals
and surveys per territory and month."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth, reads
from dashboard.layout import data_grid, short_names
from dashboard.pickers import month_picker, programme_picker
from data import fr, labels
from data.domain.checks import Report
from data.domain.freshness import STALE_SURVEY_MONTHS, survey_freshness
from data.domain.months import add_months

scope = auth.scope()
territories = programme_picker(reads.territories(scope))
month = month_picker(scope, territories)
short = short_names(territories)  # where the tables are narrow

st.title("Qualité des données")
st.caption(f"Imports et complétude jusqu'à **{fr.month(month)}**")

st.subheader("Journaux de bord des douze derniers mois")
journals = reads.journal_statuses(scope)
# Newest first: on a narrow screen the months that scroll out of sight are the old ones.
months = [add_months(month, -i) for i in range(12)]
grid = pd.DataFrame(
    index=pd.Index([short[t] for t in territories["territory_id"]], name="Territoire")
)
for m in months:
    cells = []
    for territory, start in zip(
        territories["territory_id"], territories["start_date"], strict=True
    ):
        if m < start:
            cells.append("")
            continue
        row = journals[(journals["territory_id"] == territory) & (journals["month"] == m)]
        cells.append(
            labels.JOURNAL_STATUS_MARK[row["status"].iloc[0]]
            if not row.empty
            else labels.JOURNAL_ABSENT_MARK
        )
    grid[fr.month_short(m)] = cells
data_grid(grid, width="stretch")
st.caption("✓ approuvé · ● soumis · ◌ brouillon · ✗ absent · vide : avant le début du territoire")

st.subheader("Fraîcheur du baromètre")
freshness = survey_freshness(territories, reads.respondents_per_wave(scope), month)
has_wave = freshness["wave_number"].notna()
data_grid(
    pd.DataFrame(
        {
            "Territoire": freshness["territory_id"].map(short),
            "Dernière vague": [
                f"vague {n}" if w else "aucune"
                for n, w in zip(freshness["wave_number"], has_wave, strict=True)
            ],
            "Mois": [fr.month(m) if m else "–" for m in freshness["reference_month"]],
            "Répondants": [fr.number(r) for r in freshness["respondents"]],
            "Âge (mois)": freshness["age_months"],
            "État": [
                f"⚠ plus de {STALE_SURVEY_MONTHS} mois" if stale else "✓ à jour"
                for stale in freshness["stale"]
            ],
        }
    ),
    hide_index=True,
    width="stretch",
    column_config={"Territoire": st.column_config.TextColumn(pinned=True)},
)

st.subheader("Imports de fichiers")
imports = reads.import_reports(scope)
imports = imports[imports["territory_id"].isin(territories["territory_id"])]
if imports.empty:
    st.info("Aucun fichier importé pour l'instant.")
else:
    shown = pd.DataFrame(
        {
            "Date": [fr.date(pd.Timestamp(t).date()) for t in imports["imported_at"]],
            "Territoire": imports["territory_id"].map(short),
            "Type": imports["kind"].map(labels.IMPORT_KIND),
            "Vague": imports["wave_number"].astype("Int64"),
            "Fichier": imports["filename"],
            "Résultat": imports["outcome"].map(labels.IMPORT_OUTCOME),
            "Erreurs": imports["errors"],
            "Avertissements": imports["warnings"],
            "Par": imports["imported_by"],
        }
    )
    data_grid(shown, hide_index=True, width="stretch")
    labels = {
        int(r.id): f"{fr.date(pd.Timestamp(r.imported_at).date())} — {r.filename} "
        f"({labels.IMPORT_OUTCOME[r.outcome]})"
        for r in imports.itertuples()
    }
    chosen = st.selectbox("Lire le rapport de", list(labels), format_func=labels.__getitem__)
    detail = reads.import_report_detail(scope, chosen)
    if detail:
        report = Report.from_dict(detail)
        if not report.checks:
            st.success("Aucune anomalie détectée.")
        for check in report.checks:
            (st.error if check.is_error else st.warning)(check.render_markdown())
