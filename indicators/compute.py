"""Pure assembly of the long indicator table: territory × month × indicator.

Survey-based (wave) values hold from their wave's reference month (month of its last answer)
until the next wave's; a month before the territory's first answered wave gets a row with no
value and the note « pas encore d'enquête » (so the dashboard can say there is no survey yet),
``n`` = 0 and no ``wave_number``. A wave without any answer has no reference month and never
appears on the monthly timeline.

The status of a value is judged against the territory's stage that month: the stage given in
``stage_by_territory_month`` (e.g. the declared one), or, where none is given or the given one
is not a stage of the model, the stage inferred from the values themselves
(``indicators.stage``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from indicators.bands import statuses
from indicators.catalogue import Catalogue, check_registry
from indicators.frames import Frames
from indicators.keys import month_index
from indicators.prepare import MonthGrid, Prepared, month_grid, prepare
from indicators.registry import Indicator, registry
from indicators.stage import infer_ranks, judged_ranks

NOTE_NO_SURVEY_YET = "pas encore d'enquête"
LONG_COLUMNS = (
    "territory_id",
    "month",
    "indicator_id",
    "value",
    "n",
    "low_n",
    "status",
    "stage",
    "wave_number",
    "note",
)

StageInput = Mapping[tuple[str, Any], str | None] | pd.DataFrame | None


def _wave_block(
    result: pd.DataFrame, prep: Prepared, grid: MonthGrid
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Spread a per-wave result over the grid months where that wave is current."""
    size = len(grid)
    pos = pd.Index(result["wave_id"].to_numpy()).get_indexer(prep.wave_ids)
    if (pos < 0).any():
        raise RuntimeError("a wave indicator did not return a row for every wave")
    value_w = result["value"].to_numpy(dtype="float64", na_value=np.nan)[pos]
    defined_w = result["value"].notna().to_numpy()[pos]
    n_w = result["n"].to_numpy(dtype="int64")[pos]
    note_w = result["note"].to_numpy(dtype=object)[pos]
    has = grid.wave >= 0
    if prep.n_waves == 0:
        return (
            np.full(size, np.nan),
            np.zeros(size, dtype=bool),
            np.zeros(size, dtype="int64"),
            np.full(size, NOTE_NO_SURVEY_YET, dtype=object),
        )
    safe = np.maximum(grid.wave, 0)
    value = np.where(has, value_w[safe], np.nan)
    defined = has & defined_w[safe]
    n = np.where(has, n_w[safe], 0)
    note = np.where(has, note_w[safe], NOTE_NO_SURVEY_YET)
    return value, defined, n, note


def _month_block(
    result: pd.DataFrame, grid: MonthGrid, indicator_id: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    if len(result) != len(grid) or not (
        np.array_equal(result["territory_id"].to_numpy(dtype=object), grid.territory_id)
        and np.array_equal(month_index(result["month"]), grid.midx)
    ):
        raise RuntimeError(f"month indicator {indicator_id} did not return the grid's rows")
    return (
        result["value"].to_numpy(dtype="float64", na_value=np.nan),
        result["value"].notna().to_numpy(),
        result["n"].to_numpy(dtype="int64"),
        result["note"].to_numpy(dtype=object),
    )


def _given_ranks(grid: MonthGrid, stages: StageInput, catalogue: Catalogue) -> np.ndarray:
    """Stage rank per grid row from the caller's stages; 0 where none (or unknown) is given."""
    size = len(grid)
    if stages is None or len(stages) == 0 or size == 0:
        return np.zeros(size, dtype="int64")
    if isinstance(stages, pd.DataFrame):
        tids = stages["territory_id"].astype("str").to_numpy()
        midx = month_index(stages["month"])
        values = stages["stage"].to_numpy(dtype=object)
    else:
        items = list(stages.items())
        tids = np.asarray([str(k[0]) for k, _ in items], dtype=object)
        midx = month_index(pd.Series([k[1] for k, _ in items], dtype="object"))
        values = np.asarray([v for _, v in items], dtype=object)
    rank_of = {stage: i for i, stage in enumerate(catalogue.stages, start=1)}
    rank = np.array([rank_of.get(v, 0) if isinstance(v, str) else 0 for v in values], dtype="int64")
    lookup = pd.MultiIndex.from_arrays([pd.Index(tids, dtype="str"), midx])
    lookup_rank = pd.Series(rank, index=lookup)
    lookup_rank = lookup_rank[~lookup_rank.index.duplicated(keep="last")]
    at = lookup_rank.index.get_indexer(
        pd.MultiIndex.from_arrays([pd.Index(grid.territory_id, dtype="str"), grid.midx])
    )
    return np.where(at >= 0, lookup_rank.to_numpy()[np.maximum(at, 0)], 0)


def compute_long(
    frames: Frames,
    catalogue: Catalogue,
    months_by_territory: Mapping[str, Iterable[Any]] | pd.DataFrame,
    stage_by_territory_month: StageInput = None,
    *,
    prepared: Prepared | None = None,
    functions: Mapping[str, Indicator] | None = None,
) -> pd.DataFrame:
    """The long table of every catalogue indicator for the territory-months asked.

    ``months_by_territory``: {territory_id: months} or DataFrame[territory_id, month].
    ``stage_by_territory_month``: {(territory_id, month): stage} or
    DataFrame[territory_id, month, stage] — the stage each territory is judged at; missing or
    unknown entries fall back to the inferred stage. ``prepared``: reuse ``prepare(frames,
    catalogue.factors, catalogue.stage_milestones)``.

    Columns: territory_id, month (datetime64, first day), indicator_id, value (Float64, NA
    exactly where ``note`` says why), n (int), low_n (bool), status (strength / discuss /
    watch / upcoming / unrated, None without a value), stage (the indicator's stage),
    wave_number (Int64, the survey wave the value comes from; NA for other sources), note.
    Rows are sorted by territory, month and catalogue order.
    """
    functions = functions if functions is not None else registry()
    check_registry(catalogue, functions)
    prep = (
        prepared
        if prepared is not None
        else prepare(frames, catalogue.factors, catalogue.stage_milestones)
    )
    grid = month_grid(prep, months_by_territory)
    size = len(grid)
    has_wave = grid.wave >= 0
    numbers = prep.waves["number"].to_numpy()
    wave_number = pd.array(
        np.where(has_wave, numbers[np.maximum(grid.wave, 0)] if len(numbers) else 0, 0),
        dtype="Int64",
    )
    wave_number[~has_wave] = pd.NA

    blocks: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
    for indicator_id in catalogue.indicators:
        function = functions[indicator_id]
        if function.basis == "wave":
            blocks[indicator_id] = _wave_block(function.func(prep), prep, grid)
        else:
            blocks[indicator_id] = _month_block(function.func(prep, grid), grid, indicator_id)

    values = {k: np.where(b[1], b[0], np.nan) for k, b in blocks.items()}
    inferred, _ = infer_ranks(values, catalogue, size)
    given = _given_ranks(grid, stage_by_territory_month, catalogue)
    territory_rank = judged_ranks(given, inferred)

    ids = list(catalogue.indicators)
    parts: dict[str, list[Any]] = {c: [] for c in LONG_COLUMNS}
    for indicator_id in ids:
        definition = catalogue.indicators[indicator_id]
        value, defined, n, note = blocks[indicator_id]
        status, low_n = statuses(definition, value, defined, n, territory_rank, catalogue)
        parts["value"].append(pd.arrays.FloatingArray(np.where(defined, value, 0.0), ~defined))
        parts["n"].append(n)
        parts["low_n"].append(low_n)
        parts["status"].append(status)
        parts["note"].append(np.where(defined, None, note))
        is_wave = functions[indicator_id].basis == "wave"
        parts["wave_number"].append(
            wave_number if is_wave else pd.array(np.full(size, pd.NA), dtype="Int64")
        )

    k = len(ids)
    order = np.arange(k * size).reshape(k, size).T.ravel()  # territory, month, then catalogue
    value_all = pd.array(
        pd.concat([pd.Series(v) for v in parts["value"]], ignore_index=True), dtype="Float64"
    )
    wave_all = pd.array(
        pd.concat([pd.Series(v) for v in parts["wave_number"]], ignore_index=True), dtype="Int64"
    )
    stage_of = np.asarray([catalogue.indicators[i].stage for i in ids], dtype=object)
    long = pd.DataFrame(
        {
            "territory_id": pd.array(np.tile(grid.territory_id, k)[order], dtype="str"),
            "month": np.tile(grid.month, k)[order],
            "indicator_id": pd.array(
                np.repeat(np.asarray(ids, dtype=object), size)[order], dtype="str"
            ),
            "value": value_all[order],
            "n": np.concatenate(parts["n"]).astype("int64")[order],
            "low_n": np.concatenate(parts["low_n"]).astype(bool)[order],
            "status": pd.Series(np.concatenate(parts["status"])[order], dtype=object),
            "stage": pd.array(np.repeat(stage_of, size)[order], dtype="str"),
            "wave_number": wave_all[order],
            "note": pd.Series(np.concatenate(parts["note"])[order], dtype=object),
        }
    )
    return long
