"""Shared intermediates of the survey indicators, computed once for all territories and waves.

Everything here is vectorised with numpy over all waves at once (no loop per wave).

Definitions (``shared/design/SURVEY.md``):

- **Nodes** of a wave: the organisations of the territory's actors list with at least one
  respondent in the wave. A respondent whose organisation is not on the territory's list is
  kept for the factor scores but is not a node (counted in ``dropped.unlisted_respondents``).
- **L(i→j)**: the highest level the respondents of organisation i gave organisation j.
  Ratings of one's own organisation and of organisations not on the territory's actors list
  are dropped and counted per wave (``dropped``), as are levels outside 0–5.
- **Ratings of listed actors that are not nodes** (listed, but nobody from them answered the
  wave) are kept for the trust score — trust is per rating — but are left out of every network
  figure, which is over pairs of nodes only (otherwise a density could exceed 1).
- **Pairs**: unordered pairs {a, b} of nodes of the same wave where at least one of them rated
  the other; ``l_ab`` = L(a→b), ``l_ba`` = L(b→a), -1 where that rating does not exist, and the
  tie level = max(l_ab, l_ba). Pairs never rated are "no tie" and are not stored.
- **Factor score** of a respondent: mean of the factor's answered items, kept when at least
  2 items are answered.
- **Trust** of a rating: mean of its answered trust items (1–4); ratings with none are left out.
- **Reference month** of a wave: the month of its last answer; a wave without answers has none
  and is never placed on the monthly timeline.
- **Previous wave** of a wave: the territory's wave with the next lower number that has at
  least one answer (wave 0, or a wave with no earlier answered wave, has none).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from indicators.frames import Frames
from indicators.keys import (
    NO_MONTH,
    KeyLookup,
    asof,
    month_index,
    month_start,
    territory_month_key,
)

MIN_ITEMS_ANSWERED = 2
LEVEL_MIN, LEVEL_MAX = 0, 5
RATINGS_CHUNK = 2_000_000
TRUST_COLUMNS = ("trust_reliable", "trust_mission", "trust_open")


# --------------------------------------------------------------------------------------------
# Prepared intermediates


@dataclass(frozen=True, eq=False)
class PairTable:
    """Unordered pairs of nodes of a wave, a < b (node positions), with at least one rating."""

    wave: np.ndarray  # wave code
    a: np.ndarray  # node position
    b: np.ndarray  # node position
    l_ab: np.ndarray  # int8 L(a→b), -1 if a did not rate b
    l_ba: np.ndarray  # int8 L(b→a), -1 if b did not rate a
    level: np.ndarray  # int8 tie level max(l_ab, l_ba)

    def __len__(self) -> int:
        return len(self.a)


@dataclass(frozen=True, eq=False)
class Prepared:
    """Intermediates shared by all indicators. Codes are positions in the tables below.

    - ``territories``: Index of territory ids (territory code = position).
    - ``waves``: one row per wave (wave code = row position), sorted by territory and number:
      wave_id, territory_id, t_code, number, n_respondents, n_nodes, ref_midx (month index of
      the last answer, ``NO_MONTH`` if none), ref_month (first day, NaT if none), prev (code of
      the previous answered wave, -1 if none), node_start, node_end (node positions).
    - ``nodes``: one row per node (node position = row position), sorted by wave: wave (code),
      actor_id, apos (row of ``actors``), sector_code.
    - ``actors``: the deduplicated actors list: actor_id, territory_id, t_code, local (rank in
      its territory's list), sector, sector_code.
    - ``pairs``: see ``PairTable``.
    - ``factor_mean``/``factor_n``: (waves × factors) mean factor score and respondents kept.
    - ``trust_sum``/``trust_n``: per wave, sum and number of ratings' trust scores.
    - ``node_contributes``: per node, whether its respondents ticked a resource.
    - ``dropped``: per wave, ratings and respondents left out and why.
    """

    frames: Frames
    factor_ids: tuple[str, ...]
    stage_milestones: Mapping[str, tuple[str, ...]]
    territories: pd.Index
    actors: pd.DataFrame
    sector_names: tuple[str, ...]
    waves: pd.DataFrame
    nodes: pd.DataFrame
    pairs: PairTable
    respondent_ids: np.ndarray
    respondent_wave: np.ndarray
    respondent_factor_scores: np.ndarray  # (respondents × factors), NaN where not kept
    factor_mean: np.ndarray
    factor_n: np.ndarray
    trust_sum: np.ndarray
    trust_n: np.ndarray
    node_contributes: np.ndarray
    dropped: pd.DataFrame
    orphan_ratings: int
    memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def n_waves(self) -> int:
        return len(self.waves)

    @property
    def wave_ids(self) -> np.ndarray:
        return self.waves["wave_id"].to_numpy()

    def cached(self, key: str, build: Any) -> Any:
        """``build()`` computed once per Prepared (shared by indicators of a family)."""
        if key not in self.memo:
            self.memo[key] = build()
        return self.memo[key]

    def pairs_frame(self) -> pd.DataFrame:
        """The pair table with actor ids, for inspection and tests."""
        actor = self.nodes["actor_id"].to_numpy()
        p = self.pairs
        return pd.DataFrame(
            {
                "wave_id": self.wave_ids[p.wave],
                "actor_a": actor[p.a],
                "actor_b": actor[p.b],
                "l_ab": p.l_ab,
                "l_ba": p.l_ba,
                "level": p.level,
            }
        )

    def respondent_factors(self) -> pd.DataFrame:
        """Long table respondent_id, wave_id, factor, score of the kept factor scores."""
        scores = self.respondent_factor_scores
        r, f = np.nonzero(~np.isnan(scores))
        return pd.DataFrame(
            {
                "respondent_id": self.respondent_ids[r],
                "wave_id": self.wave_ids[self.respondent_wave[r]],
                "factor": np.asarray(self.factor_ids, dtype=object)[f],
                "score": scores[r, f],
            }
        )


def _ids(*columns: Iterable[Any]) -> pd.Index:
    values: set[str] = set()
    for column in columns:
        values.update(str(v) for v in pd.unique(pd.Series(column, dtype="object")) if pd.notna(v))
    return pd.Index(sorted(values), dtype="str")


def _group_starts(sorted_codes: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """First and one-past-last position of each code 0..size-1 in a sorted code array."""
    codes = np.arange(size)
    return (
        np.searchsorted(sorted_codes, codes, side="left"),
        np.searchsorted(sorted_codes, codes, side="right"),
    )


def _int(series: pd.Series) -> np.ndarray:
    """A column as int64 numpy (fast path for integer dtypes)."""
    if series.dtype.kind in "iu":
        return series.to_numpy(dtype="int64", copy=False)
    return pd.to_numeric(series).to_numpy(dtype="int64")


def _float(series: pd.Series) -> np.ndarray:
    """A (nullable) numeric column as float64 numpy, NaN where null."""
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "iuf":
        return series.to_numpy(dtype="float64")
    return pd.to_numeric(series).to_numpy(dtype="float64", na_value=np.nan)


def prepare(
    frames: Frames,
    factors: Mapping[str, Sequence[str]] | None = None,
    stage_milestones: Mapping[str, Sequence[str]] | None = None,
) -> Prepared:
    """Compute the shared intermediates (see the module docstring for the definitions).

    ``factors`` maps a factor id to its Likert items and ``stage_milestones`` a stage id to its
    rubric milestones, as the catalogue carries them (``Catalogue.factors``,
    ``Catalogue.stage_milestones``); without them no factor score and no milestone is
    computed (the network intermediates need neither).
    """
    factors = dict(factors or {})
    factor_ids = tuple(factors)
    milestones = {k: tuple(v) for k, v in (stage_milestones or {}).items()}

    territories = _ids(
        frames.actors["territory_id"],
        frames.waves["territory_id"],
        frames.journals["territory_id"],
        frames.actions["territory_id"],
        frames.funding["territory_id"],
    )

    # Actors list ---------------------------------------------------------------------------
    actors = frames.actors.drop_duplicates("actor_id")
    actors = pd.DataFrame(
        {
            "actor_id": _int(actors["actor_id"]),
            "territory_id": actors["territory_id"].astype("str").to_numpy(),
            "sector": actors["sector"].astype("str").to_numpy(),
        }
    )
    actors["t_code"] = territories.get_indexer(actors["territory_id"])
    actors = actors.sort_values(["t_code", "actor_id"], kind="stable").reset_index(drop=True)
    actors["local"] = actors.groupby("t_code").cumcount().to_numpy()
    sector_codes, sector_uniques = pd.factorize(actors["sector"], sort=True)
    actors["sector_code"] = sector_codes
    actor_index = pd.Index(actors["actor_id"].to_numpy())
    actor_t = actors["t_code"].to_numpy()
    actor_local = actors["local"].to_numpy()
    width = max(int(actor_local.max()) + 1, 1) if len(actors) else 1  # max list size

    # Waves ---------------------------------------------------------------------------------
    waves_in = frames.waves.drop_duplicates("wave_id")
    waves = pd.DataFrame(
        {
            "wave_id": _int(waves_in["wave_id"]),
            "territory_id": waves_in["territory_id"].astype("str").to_numpy(),
            "number": _int(waves_in["number"]),
        }
    )
    waves["t_code"] = territories.get_indexer(waves["territory_id"])
    waves = waves.sort_values(["t_code", "number"], kind="stable").reset_index(drop=True)
    n_waves = len(waves)
    wave_index = pd.Index(waves["wave_id"].to_numpy())
    wave_t = waves["t_code"].to_numpy()

    # Respondents ---------------------------------------------------------------------------
    resp = frames.respondents
    r_wave_all = wave_index.get_indexer(_int(resp["wave_id"]))
    known = r_wave_all >= 0
    r_ids = _int(resp["respondent_id"])[known]
    r_wave = r_wave_all[known]
    r_actor = _int(resp["actor_id"])[known]
    r_month = month_index(resp["submitted_at"])[known]
    r_apos = actor_index.get_indexer(r_actor) if len(actors) else np.full(len(r_ids), -1)
    r_listed = r_apos >= 0
    r_listed[r_listed] = actor_t[r_apos[r_listed]] == wave_t[r_wave[r_listed]]
    resp_index = pd.Index(r_ids)
    n_resp = len(r_ids)

    n_respondents = np.bincount(r_wave, minlength=n_waves)
    ref_midx = np.full(n_waves, NO_MONTH, dtype="int64")
    dated = r_month != NO_MONTH
    np.maximum.at(ref_midx, r_wave[dated], r_month[dated])

    # Nodes: (wave, local) of listed respondents' organisations.
    r_key = np.full(n_resp, -1, dtype="int64")
    r_key[r_listed] = r_wave[r_listed] * width + actor_local[r_apos[r_listed]]
    node_keys, first = np.unique(r_key[r_listed], return_index=True)
    node_wave = node_keys // width
    node_apos = r_apos[r_listed][first]
    node_lookup = KeyLookup(node_keys)
    r_node = np.full(n_resp, -1, dtype="int64")
    r_node[r_listed] = node_lookup(r_key[r_listed])
    n_nodes_total = len(node_keys)
    nodes = pd.DataFrame(
        {
            "wave": node_wave,
            "actor_id": actors["actor_id"].to_numpy()[node_apos],
            "apos": node_apos,
            "sector_code": actors["sector_code"].to_numpy()[node_apos],
        }
    )
    node_start, node_end = _group_starts(node_wave, n_waves)

    # Previous answered wave within the territory.
    answered = n_respondents > 0
    codes = np.arange(n_waves)
    candidate = pd.Series(np.where(answered, codes, -1))
    prev = (
        candidate.groupby(wave_t).shift(1, fill_value=-1).groupby(wave_t).cummax().to_numpy()
        if n_waves
        else np.zeros(0, dtype="int64")
    )

    waves["n_respondents"] = n_respondents
    waves["n_nodes"] = node_end - node_start
    waves["ref_midx"] = ref_midx
    dated_wave = ref_midx != NO_MONTH
    waves["ref_month"] = pd.Series(
        np.where(dated_wave, month_start(np.where(dated_wave, ref_midx, 0)), np.datetime64("NaT")),
        dtype="datetime64[s]",
    )
    waves["prev"] = prev.astype("int64")
    waves["node_start"] = node_start
    waves["node_end"] = node_end

    # Ratings (in chunks, to bound the memory of temporaries) ------------------------------
    ratings = frames.ratings
    self_count = np.zeros(n_waves, dtype="int64")
    unlisted_count = np.zeros(n_waves, dtype="int64")
    invalid_count = np.zeros(n_waves, dtype="int64")
    trust_sum = np.zeros(n_waves)
    trust_n = np.zeros(n_waves, dtype="int64")
    orphan_ratings = 0
    combined: list[np.ndarray] = []
    for lo in range(0, len(ratings), RATINGS_CHUNK):
        chunk = ratings.iloc[lo : lo + RATINGS_CHUNK]
        rr = (
            resp_index.get_indexer(_int(chunk["respondent_id"]))
            if n_resp
            else np.full(len(chunk), -1, dtype="int64")
        )
        attributed = rr >= 0
        orphan_ratings += int(len(rr) - attributed.sum())
        rr = rr[attributed]
        rated = _int(chunk["rated_actor_id"])[attributed]
        level = _int(chunk["level"])[attributed]
        w = r_wave[rr]
        d_apos = actor_index.get_indexer(rated) if len(actors) else np.full(len(rr), -1)
        listed = d_apos >= 0
        listed[listed] = actor_t[d_apos[listed]] == wave_t[w[listed]]
        is_self = rated == r_actor[rr]
        valid_level = (level >= LEVEL_MIN) & (level <= LEVEL_MAX)
        self_count += np.bincount(w[is_self], minlength=n_waves)
        unlisted_count += np.bincount(w[~is_self & ~listed], minlength=n_waves)
        invalid_count += np.bincount(w[~is_self & listed & ~valid_level], minlength=n_waves)
        kept = ~is_self & listed & valid_level
        del rated, is_self, valid_level, listed

        # Trust of each kept rating: mean of its answered items.
        total = np.zeros(int(kept.sum()))
        count = np.zeros(len(total), dtype="int64")
        for column in TRUST_COLUMNS:
            values = _float(chunk[column])[attributed][kept]
            answered_item = ~np.isnan(values)
            total += np.where(answered_item, values, 0.0)
            count += answered_item
        w_kept = w[kept]
        has = count > 0
        trust_sum += np.bincount(w_kept[has], weights=total[has] / count[has], minlength=n_waves)
        trust_n += np.bincount(w_kept[has], minlength=n_waves)
        del total, count, has

        # Network ratings: both ends are nodes of the wave.
        src = r_node[rr[kept]]
        dst = node_lookup(w_kept * width + actor_local[d_apos[kept]])
        net = (src >= 0) & (dst >= 0)
        combined.append(_directed_keys(src[net], dst[net], level[kept][net], n_nodes_total))
        del src, dst, net, w_kept, rr, w, d_apos, level, kept, attributed

    dropped = pd.DataFrame(
        {
            "wave_id": waves["wave_id"].to_numpy(),
            "self_ratings": self_count,
            "unlisted_ratings": unlisted_count,
            "invalid_ratings": invalid_count,
            "unlisted_respondents": np.bincount(r_wave[~r_listed], minlength=n_waves),
        }
    )
    comb = np.concatenate(combined) if combined else np.zeros(0, dtype="int64")
    del combined
    pairs = _pair_table(comb, n_nodes_total, node_wave)
    del comb

    # Factor scores -------------------------------------------------------------------------
    n_factors = len(factor_ids)
    item_factor = {item: f for f, fid in enumerate(factor_ids) for item in factors[fid]}
    likert = frames.likert
    lr = resp_index.get_indexer(_int(likert["respondent_id"])) if n_resp else None
    if lr is None:
        lr = np.full(len(likert), -1, dtype="int64")
    item_codes, item_names = pd.factorize(likert["item"])
    factor_of_code = np.array([item_factor.get(str(i), -1) for i in item_names] + [-1])
    lf = factor_of_code[item_codes]  # code -1 (null item) picks the trailing -1
    lv = _float(likert["value"])
    ok = (lr >= 0) & (lf >= 0) & (lv >= 1) & (lv <= 5)
    key = lr[ok] * n_factors + lf[ok]
    size = n_resp * n_factors
    sums = np.bincount(key, weights=lv[ok], minlength=size).reshape(n_resp, n_factors)
    counts = np.bincount(key, minlength=size).reshape(n_resp, n_factors)
    scores = np.full((n_resp, n_factors), np.nan)
    keep_score = counts >= MIN_ITEMS_ANSWERED
    scores[keep_score] = sums[keep_score] / counts[keep_score]
    factor_mean = np.full((n_waves, n_factors), np.nan)
    factor_n = np.zeros((n_waves, n_factors), dtype="int64")
    for f in range(n_factors):
        has = keep_score[:, f]
        total = np.bincount(r_wave[has], weights=scores[has, f], minlength=n_waves)
        count = np.bincount(r_wave[has], minlength=n_waves)
        factor_n[:, f] = count
        np.divide(total, count, out=factor_mean[:, f], where=count > 0)

    # Resource contributions ----------------------------------------------------------------
    contributions = frames.contributions
    cr = resp_index.get_indexer(_int(contributions["respondent_id"])) if n_resp else None
    node_contributes = np.zeros(n_nodes_total, dtype=bool)
    if cr is not None:
        cnode = r_node[cr[cr >= 0]]
        node_contributes[cnode[cnode >= 0]] = True

    return Prepared(
        frames=frames,
        factor_ids=factor_ids,
        stage_milestones=milestones,
        territories=territories,
        actors=actors,
        sector_names=tuple(str(s) for s in sector_uniques),
        waves=waves,
        nodes=nodes,
        pairs=pairs,
        respondent_ids=r_ids,
        respondent_wave=r_wave,
        respondent_factor_scores=scores,
        factor_mean=factor_mean,
        factor_n=factor_n,
        trust_sum=trust_sum,
        trust_n=trust_n,
        node_contributes=node_contributes,
        dropped=dropped,
        orphan_ratings=orphan_ratings,
    )


def _directed_keys(src: np.ndarray, dst: np.ndarray, level: np.ndarray, n_nodes: int) -> np.ndarray:
    """One int64 per directed node rating: ((a·P + b)·2 + direction)·8 + level, a < b."""
    a = np.minimum(src, dst)
    b = np.maximum(src, dst)
    direction = (src > dst).astype("int64")  # 0: a rated b, 1: b rated a
    return ((a * n_nodes + b) * 2 + direction) * 8 + level


def _pair_table(comb: np.ndarray, n_nodes: int, node_wave: np.ndarray) -> PairTable:
    """Collapse directed node ratings into L(i→j) = max level, then into unordered pairs."""
    comb.sort()
    directed = comb >> 3
    last = np.ones(len(comb), dtype=bool)
    last[:-1] = directed[1:] != directed[:-1]
    directed = directed[last]
    best = (comb[last] & 7).astype("int8")  # the max level, as levels sort last within a key
    del last
    pair_key = directed >> 1
    backward = (directed & 1).astype(bool)
    start = np.ones(len(pair_key), dtype=bool)
    start[1:] = pair_key[1:] != pair_key[:-1]
    group = np.cumsum(start) - 1
    unique_keys = pair_key[start]
    n_pairs = len(unique_keys)
    l_ab = np.full(n_pairs, -1, dtype="int8")
    l_ba = np.full(n_pairs, -1, dtype="int8")
    l_ab[group[~backward]] = best[~backward]
    l_ba[group[backward]] = best[backward]
    pa = unique_keys // max(n_nodes, 1)
    pb = unique_keys % max(n_nodes, 1)
    return PairTable(
        wave=node_wave[pa] if n_pairs else np.zeros(0, dtype="int64"),
        a=pa,
        b=pb,
        l_ab=l_ab,
        l_ba=l_ba,
        level=np.maximum(l_ab, l_ba),
    )


# --------------------------------------------------------------------------------------------
# Month grid


@dataclass(frozen=True, eq=False)
class MonthGrid:
    """The (territory, month) rows asked for, sorted, with the survey wave current at each.

    ``wave`` is the wave code whose figures hold that month: the highest-numbered wave of the
    territory whose reference month is at or before it (-1 before the first answered wave).
    """

    territory_id: np.ndarray
    month: np.ndarray  # datetime64[s], first day of month
    t_code: np.ndarray  # -1 for a territory absent from every frame
    midx: np.ndarray
    wave: np.ndarray

    def __len__(self) -> int:
        return len(self.midx)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({"territory_id": self.territory_id, "month": self.month})


def month_grid(prep: Prepared, months: Mapping[str, Iterable[Any]] | pd.DataFrame) -> MonthGrid:
    """Build the grid from {territory_id: months} or a DataFrame[territory_id, month].

    Months may be dates, timestamps or ISO strings; any day is taken as its month.
    """
    if isinstance(months, pd.DataFrame):
        tids = months["territory_id"].astype("str").to_numpy()
        midx = month_index(months["month"])
    else:
        tid_list: list[str] = []
        month_list: list[Any] = []
        for territory_id, values in months.items():
            values = list(values)
            tid_list.extend([str(territory_id)] * len(values))
            month_list.extend(values)
        tids = np.asarray(tid_list, dtype=object)
        midx = month_index(pd.Series(month_list, dtype="object"))
    if (midx == NO_MONTH).any():
        raise ValueError("month_grid: a month is missing or not a date")
    grid = (
        pd.DataFrame({"territory_id": pd.array(tids, dtype="str"), "midx": midx})
        .drop_duplicates()
        .sort_values(["territory_id", "midx"], kind="stable")
        .reset_index(drop=True)
    )
    tids = grid["territory_id"].to_numpy()
    midx = grid["midx"].to_numpy(dtype="int64")
    t_code = prep.territories.get_indexer(grid["territory_id"]) if len(grid) else midx * 0

    waves = prep.waves
    answered = waves["ref_midx"].to_numpy() != NO_MONTH  # has a dated answer
    order = np.lexsort(
        (waves["number"].to_numpy(), waves["ref_midx"].to_numpy(), waves["t_code"].to_numpy())
    )
    order = order[answered[order]]
    w_t = waves["t_code"].to_numpy()[order]
    keys = territory_month_key(w_t, waves["ref_midx"].to_numpy()[order])
    # Highest-numbered wave so far within the territory (normally the latest one).
    numbers = pd.Series(waves["number"].to_numpy()[order])
    best_number = numbers.groupby(w_t).cummax().to_numpy()
    by_number = {
        (int(t), int(n)): int(c) for t, n, c in zip(w_t, numbers.to_numpy(), order, strict=True)
    }
    best_code = np.array(
        [by_number[(int(t), int(n))] for t, n in zip(w_t, best_number, strict=True)],
        dtype="int64",
    )
    pos = asof(keys, w_t, t_code, midx)
    wave = np.where(pos >= 0, best_code[np.maximum(pos, 0)] if len(best_code) else -1, -1)
    return MonthGrid(
        territory_id=tids,
        month=month_start(midx),
        t_code=np.asarray(t_code, dtype="int64"),
        midx=midx,
        wave=np.asarray(wave, dtype="int64"),
    )
