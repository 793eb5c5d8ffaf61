"""Participation: who takes part (survey, events) and the portrait sensible's progress."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.keys import month_index, territory_month_key
from indicators.network import NOTE_NO_ANSWER, NOTE_NO_NODE
from indicators.prepare import MonthGrid, Prepared
from indicators.registry import indicator
from indicators.results import month_result, notes, safe_divide, wave_result
from indicators.timeline import journal_table, latest_at_or_before

EVENT_WINDOW_MONTHS = 6  # the month itself and the five before
NOTE_EMPTY_LIST = "liste d'acteurs vide"
NOTE_NO_JOURNAL_YET = "aucun journal jusqu'à ce mois"
NOTE_NO_INTERVIEWS_PLANNED = "aucun entretien prévu déclaré dans les journaux"


@indicator("sector_diversity", basis="wave")
def sector_diversity(prep: Prepared) -> pd.DataFrame:
    """Blau index 1 − Σ p_s² over the nodes' sectors (from the actors list); n = nodes.
    One node gives 0; undefined without nodes."""
    size = prep.n_waves
    n_sectors = max(len(prep.sector_names), 1)
    node_wave = prep.nodes["wave"].to_numpy()
    sector = prep.nodes["sector_code"].to_numpy()
    counts = np.bincount(node_wave * n_sectors + sector, minlength=size * n_sectors).reshape(
        size, n_sectors
    )
    nodes = counts.sum(axis=1)
    shares = safe_divide(counts, nodes[:, None])
    value = 1.0 - np.sum(shares**2, axis=1)
    note = notes(
        size,
        (prep.waves["n_respondents"].to_numpy() == 0, NOTE_NO_ANSWER),
        (nodes == 0, NOTE_NO_NODE),
    )
    return wave_result(prep.wave_ids, value, nodes, note)


def count_distinct(row: np.ndarray, item: np.ndarray, n_rows: int) -> np.ndarray:
    """Number of distinct ``item`` values (small non-negative ints) per ``row``."""
    if len(row) == 0:
        return np.zeros(n_rows, dtype="int64")
    width = int(item.max()) + 1
    if n_rows * width <= 50_000_000:
        seen = np.zeros(n_rows * width, dtype=bool)
        seen[row * width + item] = True
        return seen.reshape(n_rows, width).sum(axis=1)
    keys = np.sort(row * width + item)
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return np.bincount(keys[first] // width, minlength=n_rows)


@indicator("actors_mobilised", basis="month")
def actors_mobilised(prep: Prepared, grid: MonthGrid) -> pd.DataFrame:
    """Organisations of the territory's actors list that took part: answered the survey wave
    current that month, or attended an event (journal) in that month or the five before.
    n = size of the actors list; undefined when the list is empty."""
    size = len(grid)
    actors = prep.actors
    list_size = np.bincount(actors["t_code"].to_numpy(), minlength=len(prep.territories))
    known = grid.t_code >= 0
    n = np.where(known, list_size[np.maximum(grid.t_code, 0)] if len(list_size) else 0, 0)

    # Survey side: the nodes of the wave current at each grid month.
    rows = np.nonzero(grid.wave >= 0)[0]
    wave = grid.wave[rows]
    start = prep.waves["node_start"].to_numpy()[wave]
    length = prep.waves["n_nodes"].to_numpy()[wave]
    row_of = np.repeat(rows, length)
    offsets = np.repeat(start - np.cumsum(length) + length, length)
    survey_apos = prep.nodes["apos"].to_numpy()[offsets + np.arange(length.sum())]

    # Event side: listed organisations present at an event of the territory.
    events = prep.frames.events
    journals = journal_table(prep)
    attendance = prep.frames.attendance
    event_index = pd.Index(pd.to_numeric(events["event_id"]).to_numpy(dtype="int64"))
    journal_pos = pd.Index(journals["journal_id"].to_numpy()).get_indexer(
        pd.to_numeric(events["journal_id"]).to_numpy(dtype="int64")
    )
    event_t = np.where(journal_pos >= 0, journals["t_code"].to_numpy()[journal_pos], -1)
    event_month = month_index(events["held_on"])
    if len(attendance) and len(event_index) and len(actors):
        epos = event_index.get_indexer(pd.to_numeric(attendance["event_id"]).to_numpy())
        apos = pd.Index(actors["actor_id"].to_numpy()).get_indexer(
            pd.to_numeric(attendance["actor_id"]).to_numpy()
        )
        ok = (epos >= 0) & (apos >= 0)
        epos, apos = epos[ok], apos[ok]
        t = event_t[epos]
        listed = (t >= 0) & (actors["t_code"].to_numpy()[apos] == t)
        t, apos, held = t[listed], apos[listed], event_month[epos[listed]]
    else:
        t = apos = held = np.zeros(0, dtype="int64")
    known_rows = np.nonzero(known)[0]
    grid_keys = pd.Index(territory_month_key(grid.t_code[known_rows], grid.midx[known_rows]))
    event_rows, event_apos = [], []
    for lag in range(EVENT_WINDOW_MONTHS):
        at = grid_keys.get_indexer(territory_month_key(t, held + lag))
        event_rows.append(known_rows[at[at >= 0]])
        event_apos.append(apos[at >= 0])

    rows_all = np.concatenate([row_of, *event_rows]).astype("int64")
    apos_all = np.concatenate([survey_apos, *event_apos]).astype("int64")
    local = actors["local"].to_numpy()[apos_all]
    value = count_distinct(rows_all, local, size).astype("float64")
    note = notes(size, (n == 0, NOTE_EMPTY_LIST))
    return month_result(grid.territory_id, grid.month, value, n, note)


@indicator("portrait_progress", basis="month")
def portrait_progress(prep: Prepared, grid: MonthGrid) -> pd.DataFrame:
    """Interviews done / interviews planned for the portrait sensible, as declared (cumulative)
    in the latest journal up to that month that declares planned interviews; capped at 1.
    n = interviews planned."""
    journals = journal_table(prep)
    any_journal = latest_at_or_before(journals, grid) >= 0
    planned = journals[journals["interviews_planned"] > 0].reset_index(drop=True)
    pos = latest_at_or_before(planned, grid)
    found = pos >= 0
    safe = np.maximum(pos, 0)
    done = planned["interviews_done"].to_numpy()
    total = planned["interviews_planned"].to_numpy()
    n = np.where(found, total[safe] if len(total) else 0, 0)
    value = np.minimum(safe_divide(np.where(found, done[safe] if len(done) else 0, 0), n), 1.0)
    note = notes(
        len(grid), (~any_journal, NOTE_NO_JOURNAL_YET), (~found, NOTE_NO_INTERVIEWS_PLANNED)
    )
    return month_result(grid.territory_id, grid.month, value, n, note)
