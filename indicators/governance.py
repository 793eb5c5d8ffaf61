"""Journal and governance: rubric milestones, tools reused, attendance between workshops."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.keys import territory_month_key
from indicators.participation import NOTE_NO_JOURNAL_YET
from indicators.prepare import MonthGrid, Prepared
from indicators.registry import indicator
from indicators.results import month_result, notes, safe_divide
from indicators.timeline import journal_table, latest_at_or_before, same_month

MAX_RUBRIC_SCORE = 3
GOVERNANCE_STAGE = "structuration"
LOCAL_SUPPORT_MILESTONE = "local_support_function"
WORKSHOP = "workshop"
NOTE_NO_JOURNAL_THIS_MONTH = "pas de journal ce mois-ci"
NOTE_NO_STAGE = "étape « structuration » absente du modèle d'étapes"
NOTE_MILESTONES_MISSING = "jalons de structuration non renseignés dans le journal du mois"
NOTE_LOCAL_SUPPORT_MISSING = (
    "jalon « fonction d'appui portée localement » non renseigné dans le journal du mois"
)
NOTE_NO_WORKSHOP = "aucun atelier jusqu'à ce mois"
NOTE_NO_PREVIOUS_WORKSHOP = "un seul atelier jusqu'à ce mois : pas d'atelier précédent"
NOTE_NO_ATTENDANCE = "présences non renseignées pour le dernier atelier"
NOTE_NO_PREVIOUS_ATTENDANCE = "présences non renseignées pour l'atelier précédent"


def _rubric_totals(prep: Prepared, milestone_ids: tuple[str, ...]) -> tuple[np.ndarray, ...]:
    """Per row of the journal table: sum of scores and number of milestones scored among
    ``milestone_ids`` (scores clipped to 0–3)."""
    journals = journal_table(prep)
    rubric = prep.frames.rubric
    rubric = rubric[rubric["milestone_id"].isin(milestone_ids)]
    pos = pd.Index(journals["journal_id"].to_numpy()).get_indexer(
        pd.to_numeric(rubric["journal_id"]).to_numpy(dtype="int64")
    )
    score = np.clip(pd.to_numeric(rubric["score"]).to_numpy(dtype="float64"), 0, 3)
    ok = pos >= 0
    total = np.bincount(pos[ok], weights=score[ok], minlength=len(journals))
    scored = np.bincount(pos[ok], minlength=len(journals))
    return total, scored


@indicator("governance_milestones", basis="month")
def governance_milestones(prep: Prepared, grid: MonthGrid) -> pd.DataFrame:
    """Structuration rubric of that month's journal (shared question, actor map, governance,
    charter, shared evaluation): sum of the milestone scores / (3 × number of milestones), a
    milestone not scored counting 0; n = milestones scored; undefined without that month's
    journal or when none of them is scored."""
    size = len(grid)
    milestones = prep.stage_milestones.get(GOVERNANCE_STAGE, ())
    pos = same_month(journal_table(prep), grid)
    found = pos >= 0
    total, scored = _rubric_totals(prep, milestones)
    safe = np.maximum(pos, 0)
    n = np.where(found, scored[safe] if len(scored) else 0, 0)
    value = safe_divide(
        np.where(found, total[safe] if len(total) else 0.0, 0.0),
        np.full(size, MAX_RUBRIC_SCORE * len(milestones)),
    )
    note = notes(
        size,
        (np.full(size, not milestones), NOTE_NO_STAGE),
        (~found, NOTE_NO_JOURNAL_THIS_MONTH),
        (n == 0, NOTE_MILESTONES_MISSING),
    )
    return month_result(grid.territory_id, grid.month, value, n, note)


@indicator("local_support_function", basis="month")
def local_support_function(prep: Prepared, grid: MonthGrid) -> pd.DataFrame:
    """Score of the coalition milestone « fonction d'appui portée par des acteurs locaux » in
    that month's journal / 3; n = 1 when scored."""
    size = len(grid)
    pos = same_month(journal_table(prep), grid)
    found = pos >= 0
    total, scored = _rubric_totals(prep, (LOCAL_SUPPORT_MILESTONE,))
    safe = np.maximum(pos, 0)
    n = np.where(found, scored[safe] if len(scored) else 0, 0)
    value = np.where(found, total[safe] if len(total) else 0.0, 0.0) / MAX_RUBRIC_SCORE
    note = notes(size, (~found, NOTE_NO_JOURNAL_THIS_MONTH), (n == 0, NOTE_LOCAL_SUPPORT_MISSING))
    return month_result(grid.territory_id, grid.month, value, n, note)


@indicator("tools_reused", basis="month")
def tools_reused(prep: Prepared, grid: MonthGrid) -> pd.DataFrame:
    """Cumulative number of tools or methods reused elsewhere, summed over the territory's
    journals up to that month; n = journals summed; undefined before the first journal."""
    journals = journal_table(prep)
    t_code = journals["t_code"].to_numpy()
    cumulative = journals.groupby("t_code")["tools_reused"].cumsum().to_numpy()
    count = journals.groupby("t_code").cumcount().to_numpy() + 1
    pos = latest_at_or_before(journals, grid)
    found = pos >= 0
    safe = np.maximum(pos, 0)
    value = np.where(found, cumulative[safe] if len(t_code) else 0, 0)
    n = np.where(found, count[safe] if len(t_code) else 0, 0)
    note = notes(len(grid), (~found, NOTE_NO_JOURNAL_YET))
    return month_result(grid.territory_id, grid.month, value, n, note)


def workshop_retention(prep: Prepared) -> pd.DataFrame:
    """One row per workshop (events of kind « workshop »), ordered by territory, date, id:
    t_code, midx, key, attendees, retained (attendees also present at the territory's previous
    workshop), prev_attendees (-1 for the first workshop)."""

    def build() -> pd.DataFrame:
        events = prep.frames.events
        journals = journal_table(prep)
        workshops = events[events["kind"] == WORKSHOP]
        held = pd.to_datetime(workshops["held_on"]).to_numpy().astype("datetime64[D]")
        journal_pos = pd.Index(journals["journal_id"].to_numpy()).get_indexer(
            pd.to_numeric(workshops["journal_id"]).to_numpy(dtype="int64")
        )
        table = pd.DataFrame(
            {
                "event_id": pd.to_numeric(workshops["event_id"]).to_numpy(dtype="int64"),
                "t_code": np.where(
                    journal_pos >= 0, journals["t_code"].to_numpy()[journal_pos], -1
                ),
                "day": held.astype("int64"),
                "midx": held.astype("datetime64[M]").astype("int64"),
            }
        )
        table = table[(table["t_code"] >= 0) & ~np.isnat(held)]
        table = table.sort_values(["t_code", "day", "event_id"], kind="stable")
        table = table.reset_index(drop=True)
        table["key"] = territory_month_key(table["t_code"].to_numpy(), table["midx"].to_numpy())
        same_territory = table["t_code"].shift(1) == table["t_code"]
        prev = np.where(same_territory, np.arange(len(table)) - 1, -1)

        attendance = prep.frames.attendance
        wpos = pd.Index(table["event_id"].to_numpy()).get_indexer(
            pd.to_numeric(attendance["event_id"]).to_numpy(dtype="int64")
        )
        actor = pd.to_numeric(attendance["actor_id"]).to_numpy(dtype="int64")
        ok = wpos >= 0
        pairs = pd.DataFrame({"w": wpos[ok], "actor": actor[ok]}).drop_duplicates()
        w = pairs["w"].to_numpy()
        actor_code, _ = pd.factorize(pairs["actor"])
        n_codes = max(int(actor_code.max()) + 1, 1) if len(actor_code) else 1
        present = pd.Index(w * n_codes + actor_code)
        before = prev[w] if len(w) else w
        was_there = np.zeros(len(w), dtype=bool)
        has_before = before >= 0
        was_there[has_before] = (
            present.get_indexer(before[has_before] * n_codes + actor_code[has_before]) >= 0
        )
        attendees = np.bincount(w, minlength=len(table))
        table["attendees"] = attendees
        table["retained"] = np.bincount(w[was_there], minlength=len(table))
        table["prev_attendees"] = np.where(prev >= 0, attendees[np.maximum(prev, 0)], -1)
        return table

    return prep.cached("workshop_retention", build)


@indicator("attendance_retention", basis="month")
def attendance_retention(prep: Prepared, grid: MonthGrid) -> pd.DataFrame:
    """For the territory's last workshop held up to that month, the share of its attending
    organisations that also attended the previous workshop; n = organisations at the last
    workshop. Undefined before the second workshop or when attendance was not recorded."""
    table = workshop_retention(prep)
    pos = latest_at_or_before(table, grid)
    found = pos >= 0
    safe = np.maximum(pos, 0)

    def pick(column: str, default: int) -> np.ndarray:
        values = table[column].to_numpy()
        return np.where(found, values[safe] if len(values) else default, default)

    attendees = pick("attendees", 0)
    prev_attendees = pick("prev_attendees", -1)
    note = notes(
        len(grid),
        (~found, NOTE_NO_WORKSHOP),
        (prev_attendees < 0, NOTE_NO_PREVIOUS_WORKSHOP),
        (attendees == 0, NOTE_NO_ATTENDANCE),
        (prev_attendees == 0, NOTE_NO_PREVIOUS_ATTENDANCE),
    )
    value = safe_divide(pick("retained", 0), attendees)
    return month_result(grid.territory_id, grid.month, value, attendees, note)
