"""Joint actions (register of actions communes)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.keys import month_index
from indicators.prepare import MonthGrid, Prepared
from indicators.registry import indicator
from indicators.results import month_result, notes
from indicators.timeline import end_month_index, interval_rows

MIN_SECTORS = 3
RUNNING_STATUSES = ("under_way", "completed")  # planned: not started; abandoned: left out


def action_sectors(prep: Prepared) -> pd.DataFrame:
    """One row per action: t_code, start/end month index, status, number of distinct sectors of
    its participating actors (sectors from the actors list; unknown actors are ignored)."""
    actions = prep.frames.actions
    links = prep.frames.action_actors
    actors = prep.actors
    action_ids = pd.to_numeric(actions["action_id"]).to_numpy(dtype="int64")
    apos = pd.Index(actors["actor_id"].to_numpy()).get_indexer(
        pd.to_numeric(links["actor_id"]).to_numpy(dtype="int64")
    )
    link_action = pd.Index(action_ids).get_indexer(
        pd.to_numeric(links["action_id"]).to_numpy(dtype="int64")
    )
    ok = (apos >= 0) & (link_action >= 0)
    sector = actors["sector_code"].to_numpy()[apos[ok]]
    distinct = pd.DataFrame({"a": link_action[ok], "s": sector}).drop_duplicates()
    n_sectors = np.bincount(distinct["a"].to_numpy(), minlength=len(actions))
    return pd.DataFrame(
        {
            "action_id": action_ids,
            "t_code": prep.territories.get_indexer(actions["territory_id"].astype("str"))
            if len(actions)
            else np.zeros(0, dtype="int64"),
            "start": month_index(actions["start_date"]),
            "end": end_month_index(actions["end_date"]),
            "status": actions["status"].astype("str").to_numpy(),
            "n_sectors": n_sectors,
        }
    )


@indicator("multisector_joint_actions", basis="month")
def multisector_joint_actions(prep: Prepared, grid: MonthGrid) -> pd.DataFrame:
    """Number of joint actions under way that month — started by the month's end, not ended
    before it began, status neither planned nor abandoned — whose participating actors span
    ≥ 3 sectors; n = actions under way that month. 0 (not undefined) when there are none."""
    table = action_sectors(prep)
    table = table[table["status"].isin(RUNNING_STATUSES)]
    period, row = interval_rows(
        grid,
        table["t_code"].to_numpy(),
        table["start"].to_numpy(),
        table["end"].to_numpy(),
    )
    multisector = table["n_sectors"].to_numpy()[period] >= MIN_SECTORS
    size = len(grid)
    n = np.bincount(row, minlength=size)
    value = np.bincount(row[multisector], minlength=size).astype("float64")
    return month_result(grid.territory_id, grid.month, value, n, notes(size))
