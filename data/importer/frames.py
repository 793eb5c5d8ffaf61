"""From a read table and its resolved columns to the frames the quality gate checks.

A survey becomes four frames: one row per respondent, and long frames of Likert answers,
resource contributions and roster ratings (one row per non-empty cell, with the spreadsheet
row, the column as the report names it, and the text read). An actors list becomes one frame.
Values are parsed here but never dropped: the checks decide, the writer obeys.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data.importer.formats import ActorRef, Column, ColumnMap, key
from data.importer.reading import MOJIBAKE, RawTable
from data.importer.values import INVALID, OrgReader, ValueReader, map_unique, respondent_key

TRUST_FAMILIES = ("fiab", "mission", "ouverture")
ROSTER_SCALES = {"level": "level", "fiab": "trust", "mission": "trust", "ouverture": "trust"}


@dataclass
class SurveyFrames:
    """A survey file, parsed."""

    respondents: pd.DataFrame
    likert: pd.DataFrame
    contrib: pd.DataFrame
    roster: pd.DataFrame
    displays: dict[str, str] = field(default_factory=dict)  # fixed field → "org_id (B)"
    incomplete_rows: list[int] = field(default_factory=list)
    # An export of a generated form: each form id and version read (FORM_FIELD) → its rows.
    forms: dict[str, list[int]] = field(default_factory=dict)
    rated_orgs: frozenset[str] = frozenset()  # the known organisations with roster columns

    def frames(self) -> dict[str, pd.DataFrame]:
        return {
            "respondents": self.respondents,
            "likert": self.likert,
            "contrib": self.contrib,
            "roster": self.roster,
        }


@dataclass
class ActorFrames:
    """An actors list, parsed."""

    actors: pd.DataFrame
    displays: dict[str, str] = field(default_factory=dict)

    def frames(self) -> dict[str, pd.DataFrame]:
        return {"actors": self.actors}


def _text(values: list[str | None]) -> pd.Series:
    return pd.Series([None if v is None else v.strip() or None for v in values], dtype=object)


def _column_values(table: RawTable, column: Column | None) -> list[str | None]:
    if column is None:
        return [None] * len(table.rows)
    return table.column(column.index)


def _mojibake_flags(*series: pd.Series) -> pd.Series:
    """True where any of the text columns shows "Ã©"-style double encoding."""
    flags = pd.Series(False, index=series[0].index)
    for values in series:
        flags |= values.map(lambda v: bool(MOJIBAKE.search(v)) if isinstance(v, str) else False)
    return flags


def parse_survey(
    table: RawTable,
    columns: ColumnMap,
    reader: ValueReader,
    actors: list[ActorRef],
    incomplete_when_empty: str | None = None,
    utc_columns: tuple[str, ...] = (),
) -> SurveyFrames:
    """Parse a survey table; rows a tool marks as never submitted are set aside."""
    incomplete: list[int] = []
    if incomplete_when_empty:
        marker = next(
            (c for c in columns.columns if c.header.strip() == incomplete_when_empty), None
        )
        if marker is not None:
            keep_set = {
                i for i, row in enumerate(table.rows) if row[marker.index] not in (None, "")
            }
            incomplete = [n for i, n in enumerate(table.row_numbers) if i not in keep_set]
            if incomplete:
                table = RawTable(
                    table.filename,
                    table.header,
                    [r for i, r in enumerate(table.rows) if i in keep_set],
                    [n for i, n in enumerate(table.row_numbers) if i in keep_set],
                    table.source,
                    table.notes,
                )
    rows = np.array(table.row_numbers, dtype=np.int64)
    fixed = columns.fixed
    orgs = OrgReader(actors)
    actor_sector = {a.org_id: a.sector for a in actors}

    respondent_raw = _text(_column_values(table, fixed.get("respondent_id")))
    org_raw = _text(_column_values(table, fixed.get("org_id")))
    sector_raw = _text(_column_values(table, fixed.get("sector")))
    date_column = fixed.get("submitted_at")
    date_raw = _text(_column_values(table, date_column))
    utc = date_column is not None and date_column.header.strip() in utc_columns

    org_id = pd.Series(map_unique(list(org_raw), orgs), dtype=object)
    dates = map_unique(list(date_raw), lambda raw: reader.date(raw, utc=utc))
    date_issue = pd.Series([d if isinstance(d, str) else None for d in dates], dtype=object)
    parsed_dates = pd.to_datetime(
        pd.Series([d if not isinstance(d, str) else None for d in dates], dtype=object)
    ).astype("datetime64[ns]")
    sector = pd.Series(map_unique(list(sector_raw), reader.sector), dtype=object)
    sector_valid = pd.Series(map_unique(list(sector_raw), reader.known_sector), dtype=object)
    expected_sector = org_id.map(actor_sector).astype(object)
    expected_sector = expected_sector.where(expected_sector.notna(), None)

    respondents = pd.DataFrame(
        {
            "_row": rows,
            "respondent_raw": respondent_raw,
            "respondent_id": pd.Series(map_unique(list(respondent_raw), respondent_key)),
            "org_raw": org_raw,
            "org_id": org_id,
            "sector_raw": sector_raw,
            "sector": sector,
            "_sector_valid": sector_valid,
            "_actor_sector": expected_sector,
            "date_raw": date_raw,
            "submitted_at": parsed_dates,
            "_date_issue": date_issue,
        }
    )
    respondents["_respondent_len"] = respondents["respondent_id"].map(
        lambda v: len(v) if isinstance(v, str) else 0
    )
    respondents["_mojibake"] = _mojibake_flags(respondent_raw, org_raw, sector_raw)
    respondents["_mojibake_raw"] = _first_mojibake(respondent_raw, org_raw, sector_raw)

    likert, missing = _likert(table, columns, reader, rows)
    items = len(columns.likert)
    respondents["_missing_share"] = missing / items if items else 0.0
    org_of_row = dict(zip(rows.tolist(), org_id.tolist(), strict=True))
    return SurveyFrames(
        respondents=respondents,
        likert=likert,
        contrib=_contrib(table, columns, reader, rows),
        roster=_roster(table, columns, reader, rows, org_of_row),
        displays={name: column.display for name, column in fixed.items()},
        incomplete_rows=incomplete,
        forms=_forms(table, columns.form),
        rated_orgs=frozenset(
            org
            for org, families in columns.roster.items()
            if any(c.org_known for c in families.values())
        ),
    )


def _forms(table: RawTable, column: Column | None) -> dict[str, list[int]]:
    forms: dict[str, list[int]] = {}
    if column is not None:
        for number, value in zip(table.row_numbers, table.column(column.index), strict=True):
            if value and value.strip():
                forms.setdefault(" ".join(value.split()), []).append(number)
    return forms


def _first_mojibake(*series: pd.Series) -> pd.Series:
    out = pd.Series([None] * len(series[0]), dtype=object)
    for values in series:
        found = values.map(lambda v: v if isinstance(v, str) and MOJIBAKE.search(v) else None)
        out = out.where(out.notna(), found)
    return out


def _long(parts: list[dict[str, np.ndarray]], names: tuple[str, ...]) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in names}).astype(
            {"_row": np.int64, "value": float}
        )
    frame = pd.DataFrame(
        {name: np.concatenate([p[name] for p in parts]) for name in names}
    ).reset_index(drop=True)
    for name in names:
        if frame[name].dtype == object or str(frame[name].dtype) in ("str", "string"):
            frame[name] = frame[name].astype(object)
    return frame


def _likert(
    table: RawTable, columns: ColumnMap, reader: ValueReader, rows: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray]:
    parts = []
    missing = np.zeros(len(rows))
    for item, column in columns.likert.items():
        raws = table.column(column.index)
        values = reader.integers(raws, "likert")
        empty = np.isnan(values)
        missing += empty
        keep = ~empty
        parts.append(
            {
                "_row": rows[keep],
                "item": np.full(keep.sum(), item, dtype=object),
                "_column": np.full(keep.sum(), column.display, dtype=object),
                "raw": np.array(raws, dtype=object)[keep],
                "value": values[keep],
            }
        )
    return _long(parts, ("_row", "item", "_column", "raw", "value")), missing


def _contrib(
    table: RawTable, columns: ColumnMap, reader: ValueReader, rows: np.ndarray
) -> pd.DataFrame:
    names = ("_row", "resource_type", "_column", "raw", "value")
    parts = []
    for resource, column in columns.contrib.items():
        raws = table.column(column.index)
        values = reader.flags(raws)
        keep = ~np.isnan(values)
        parts.append(
            {
                "_row": rows[keep],
                "resource_type": np.full(keep.sum(), resource, dtype=object),
                "_column": np.full(keep.sum(), column.display, dtype=object),
                "raw": np.array(raws, dtype=object)[keep],
                "value": values[keep],
            }
        )
    multi = columns.contrib_multi
    if multi is not None:
        records: dict[str, list] = {name: [] for name in names}
        for row, raw in zip(rows.tolist(), table.column(multi.index), strict=True):
            if raw is None or not raw.strip():
                continue
            for token, resource in reader.resource_tokens(raw):
                for name, value in zip(
                    names,
                    (row, resource, multi.display, token, 1.0 if resource else INVALID),
                    strict=True,
                ):
                    records[name].append(value)
        if records["_row"]:
            parts.append({name: np.array(values, dtype=object) for name, values in records.items()})
            parts[-1]["_row"] = parts[-1]["_row"].astype(np.int64)
            parts[-1]["value"] = parts[-1]["value"].astype(float)
    return _long(parts, names)


def _roster(
    table: RawTable,
    columns: ColumnMap,
    reader: ValueReader,
    rows: np.ndarray,
    org_of_row: dict[int, str | None],
) -> pd.DataFrame:
    families = ("level", *TRUST_FAMILIES)
    names = (
        "_row",
        "rated_org",
        "rated_known",
        "_self",
        *(f for family in families for f in (family, f"{family}_raw", f"{family}_col")),
        "_trust_without_tie",
    )
    orgs = list(columns.roster)
    if not orgs or not len(rows):
        frame = pd.DataFrame({name: pd.Series(dtype=object) for name in names})
        return frame.astype(
            {"_row": np.int64, "level": float, "fiab": float, "mission": float, "ouverture": float}
        )
    n, m = len(rows), len(orgs)
    values = {f: np.full((n, m), np.nan) for f in families}
    raws = {f: np.full((n, m), None, dtype=object) for f in families}
    displays = {f: np.full(m, None, dtype=object) for f in families}
    known = np.zeros(m, dtype=bool)
    for j, org in enumerate(orgs):
        for family, column in columns.roster[org].items():
            cells = table.column(column.index)
            values[family][:, j] = reader.integers(cells, ROSTER_SCALES[family])
            raws[family][:, j] = cells
            displays[family][j] = column.display
            known[j] = column.org_known
    present = np.zeros((n, m), dtype=bool)
    for family in families:
        present |= ~np.isnan(values[family])
    ri, oj = np.nonzero(present)
    org_array = np.array(orgs, dtype=object)
    respondent_org = np.array([org_of_row.get(r) for r in rows.tolist()], dtype=object)
    data: dict[str, np.ndarray] = {
        "_row": rows[ri],
        "rated_org": org_array[oj],
        "rated_known": known[oj],
        "_self": org_array[oj] == respondent_org[ri],
    }
    for family in families:
        data[family] = values[family][ri, oj]
        data[f"{family}_raw"] = raws[family][ri, oj]
        data[f"{family}_col"] = displays[family][oj]
    trust_given = np.zeros(len(ri), dtype=bool)
    for family in TRUST_FAMILIES:
        trust_given |= ~np.isnan(data[family])
    level = data["level"]
    data["_trust_without_tie"] = trust_given & (np.isnan(level) | (level == 0))
    frame = pd.DataFrame(data)
    for name in names:
        if name.endswith(("_raw", "_col")) or name == "rated_org":
            frame[name] = frame[name].astype(object)
    return frame


def parse_actors(table: RawTable, columns: ColumnMap, reader: ValueReader) -> ActorFrames:
    """Parse an actors list."""
    fixed = columns.fixed
    org_raw = _text(_column_values(table, fixed.get("org_id")))
    name = _text(_column_values(table, fixed.get("name")))
    sector_raw = _text(_column_values(table, fixed.get("sector")))
    commune = _text(_column_values(table, fixed.get("commune")))
    frame = pd.DataFrame(
        {
            "_row": np.array(table.row_numbers, dtype=np.int64),
            "org_id": org_raw,
            "name": name,
            "_name_key": name.map(lambda v: key(v) if isinstance(v, str) else None),
            "_name_len": name.map(lambda v: len(v) if isinstance(v, str) else 0),
            "sector_raw": sector_raw,
            "sector": pd.Series(map_unique(list(sector_raw), reader.sector), dtype=object),
            "_sector_valid": pd.Series(
                map_unique(list(sector_raw), reader.known_sector), dtype=object
            ),
            "commune": commune,
            "_commune_len": commune.map(lambda v: len(v) if isinstance(v, str) else 0),
        }
    )
    frame["_mojibake"] = _mojibake_flags(name, commune, sector_raw)
    frame["_mojibake_raw"] = _first_mojibake(name, commune, sector_raw)
    return ActorFrames(frame, {n: c.display for n, c in fixed.items()})
