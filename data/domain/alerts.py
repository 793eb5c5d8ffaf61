"""Monthly alerts for the programme leads' review: pure functions over DataFrames.

Kinds: no journal (or only a draft) this month, survey older than seven months, a refused
import this month, a drop beyond a threshold in a judged indicator, and declared and inferred
stages that disagree.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data import fr
from data.domain.freshness import STALE_SURVEY_MONTHS, survey_freshness

# A drop worth an alert, by unit: absolute for ratios and scores, relative for counts.
DROP_THRESHOLDS = {"ratio": 0.10, "score_1_5": 0.5, "score_1_4": 0.4, "index": 0.10}
COUNT_DROP_SHARE = 0.25
ALERT_COLUMNS = ["territory_id", "kind", "message"]


def monthly_alerts(
    month: dt.date,
    territories: pd.DataFrame,
    journals: pd.DataFrame,
    waves: pd.DataFrame,
    imports: pd.DataFrame,
    values: pd.DataFrame,
    previous: pd.DataFrame,
    stages: pd.DataFrame,
    catalogue,  # type: ignore[no-untyped-def]
    stage_labels: dict[str, str],
    unlock_requests: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Alerts for ``month``.

    territories: territory_id, start_date; journals: territory_id, month, status, approved_at;
    unlock_requests: the binômes' requests on this month (territory_id, created_at, body), an
    alert while the month is still approved since the request;
    waves: territory_id, reference_month; imports: territory_id, imported_at, outcome, filename;
    values / previous: the long indicator table of this month / the previous month;
    stages: territory_id, month, declared_stage, inferred_stage, disagreement.
    """
    rows: list[tuple[str, str, str]] = []
    started = territories[pd.to_datetime(territories["start_date"]).dt.date <= month]
    this_month = journals[pd.to_datetime(journals["month"]).dt.date == month]
    status = dict(zip(this_month["territory_id"], this_month["status"], strict=True))
    for territory in started["territory_id"]:
        if territory not in status:
            rows.append((territory, "no_journal", f"Pas de journal pour {fr.month(month)}."))
        elif status[territory] == "draft":
            rows.append(
                (territory, "draft_journal", f"Le journal de {fr.month(month)} est en brouillon.")
            )
    freshness = survey_freshness(started, waves, month)
    for row in freshness[freshness["stale"]].itertuples():
        last = row.reference_month
        what = f"dernière vague en {fr.month(last)}" if last else "aucune vague importée"
        rows.append(
            (
                row.territory_id,
                "stale_survey",
                f"Enquête de plus de {STALE_SURVEY_MONTHS} mois ({what}).",
            )
        )
    when = pd.to_datetime(imports["imported_at"], utc=True)
    refused = imports[
        (imports["outcome"] == "refused")
        & (when.dt.year == month.year)
        & (when.dt.month == month.month)
    ]
    for territory, group in refused.groupby("territory_id"):
        files = ", ".join(f"« {f} »" for f in group["filename"])
        rows.append((str(territory), "refused_import", f"Import refusé ce mois-ci : {files}."))
    if unlock_requests is not None and not unlock_requests.empty:
        approved = this_month[this_month["status"] == "approved"].set_index("territory_id")
        for row in unlock_requests.itertuples():
            if row.territory_id not in approved.index:
                continue  # unlocked since (or never approved): nothing pending
            # Naive times (SQLite) are UTC.
            since = pd.to_datetime(approved.at[row.territory_id, "approved_at"], utc=True)
            if pd.to_datetime(row.created_at, utc=True) >= since:
                rows.append(
                    (row.territory_id, "unlock_request", f"Le binôme demande : « {row.body} »")
                )
    rows.extend(_drops(values, previous, catalogue))
    current = stages[pd.to_datetime(stages["month"]).dt.date == month]
    for row in current[current["disagreement"].astype(bool)].itertuples():
        rows.append(
            (
                row.territory_id,
                "stage_disagreement",
                f"Étape déclarée {stage_labels[row.declared_stage]}, "
                f"étape mesurée {stage_labels[row.inferred_stage]}.",
            )
        )
    return pd.DataFrame(rows, columns=ALERT_COLUMNS)


def _drops(values: pd.DataFrame, previous: pd.DataFrame, catalogue) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """Judged indicators (not « à venir ») that fell beyond their unit's threshold."""
    judged = values[values["status"].isin(["strength", "discuss", "watch"])]
    merged = judged.merge(
        previous[["territory_id", "indicator_id", "value"]],
        on=["territory_id", "indicator_id"],
        suffixes=("", "_before"),
    ).dropna(subset=["value", "value_before"])
    rows = []
    for row in merged.itertuples():
        definition = catalogue.indicators[row.indicator_id]
        if definition.direction == "neutral":
            continue
        change = float(row.value) - float(row.value_before)
        worse = -change if definition.direction == "higher_better" else change
        if definition.unit == "count":
            base = abs(float(row.value_before))
            beyond = base > 0 and worse / base >= COUNT_DROP_SHARE
        else:
            beyond = worse >= DROP_THRESHOLDS.get(definition.unit, float("inf"))
        if beyond:
            before = fr.indicator_value(row.value_before, definition.unit)
            after = fr.indicator_value(row.value, definition.unit)
            rows.append((row.territory_id, "drop", f"{definition.label} : {before} → {after}."))
    return rows
