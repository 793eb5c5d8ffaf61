"""Qualité des données: every import and its report; completeness and timeliness of journals
and surveys per territory and month."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import state
from data import fr
from data.domain.checks import Report
from data.domain.months import add_months, months_between

OUTCOMES = {
    "imported": "importé",
    "replaced": "remplacé",
    "unchanged": "inchangé",
    "refused": "refusé",
}
KINDS = {"actors": "liste des acteurs", "survey": "enquête"}
JOURNAL_MARKS = {"approved": "✓ approuvé", "submitted": "● soumis", "draft": "◌ brouillon"}

scope = state.scope()
territories = state.read("territories", scope)
month = state.month_picker(territories)
names = dict(zip(territories["territory_id"], territories["name"], strict=True))

st.title("Qualité des données")
st.caption(f"Imports et complétude jusqu'à **{fr.month(month)}**")

st.subheader("Journaux de bord des douze derniers mois")
journals = state.read("journal_statuses", scope)
months = [add_months(month, -i) for i in range(11, -1, -1)]
grid = pd.DataFrame(index=[names[t] for t in territories["territory_id"]])
for m in months:
    cells = []
    for territory, start in zip(
        territories["territory_id"], territories["start_date"], strict=True
    ):
        if m < start:
            cells.append("")
            continue
        row = journals[(journals["territory_id"] == territory) & (journals["month"] == m)]
        cells.append(JOURNAL_MARKS[row["status"].iloc[0]] if not row.empty else "✗ absent")
    grid[fr.month_short(m)] = cells
st.dataframe(grid, width="stretch")
st.caption("✓ approuvé · ● soumis · ◌ brouillon · ✗ absent · vide : avant le début du territoire")

st.subheader("Fraîcheur du baromètre")
waves = state.read("respondents_per_wave", scope)
rows = []
for territory, start in zip(territories["territory_id"], territories["start_date"], strict=True):
    mine = waves[(waves["territory_id"] == territory) & (waves["reference_month"].dt.date <= month)]
    if mine.empty:
        rows.append((names[territory], "aucune", "–", "–", months_between(start, month)))
        continue
    last = mine.iloc[-1]
    rows.append(
        (
            names[territory],
            f"vague {last['wave_number']}",
            fr.month(last["reference_month"].date()),
            fr.number(last["respondents"]),
            months_between(last["reference_month"].date(), month),
        )
    )
freshness = pd.DataFrame(
    rows, columns=["Territoire", "Dernière vague", "Mois", "Répondants", "Âge (mois)"]
)
freshness["État"] = [
    "⚠ plus de 7 mois" if age > 7 else "✓ à jour" for age in freshness["Âge (mois)"]
]
st.dataframe(freshness, hide_index=True, width="stretch")

st.subheader("Imports de fichiers")
imports = state.read("import_reports", scope)
if imports.empty:
    st.info("Aucun fichier importé pour l'instant.")
else:
    shown = pd.DataFrame(
        {
            "Date": [fr.date(pd.Timestamp(t).date()) for t in imports["imported_at"]],
            "Territoire": imports["territory_id"].map(names),
            "Type": imports["kind"].map(KINDS),
            "Vague": imports["wave_number"].astype("Int64"),
            "Fichier": imports["filename"],
            "Résultat": imports["outcome"].map(OUTCOMES),
            "Erreurs": imports["errors"],
            "Avertissements": imports["warnings"],
            "Par": imports["imported_by"],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    labels = {
        int(r.id): f"{fr.date(pd.Timestamp(r.imported_at).date())} — {r.filename} "
        f"({OUTCOMES[r.outcome]})"
        for r in imports.itertuples()
    }
    chosen = st.selectbox("Lire le rapport de", list(labels), format_func=labels.__getitem__)
    detail = state.read("import_report_detail", scope, report_id=chosen)
    if detail:
        report = Report.from_dict(detail)
        if not report.checks:
            st.success("Aucune anomalie détectée.")
        for check in report.checks:
            (st.error if check.is_error else st.warning)(check.render_markdown())
