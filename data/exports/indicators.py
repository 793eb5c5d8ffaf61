"""The long export of the indicators: one table, two renderers, one path for every caller.

The table (:func:`indicators_table`) has one row per territory × month × indicator. It is
built once and rendered as CSV or XLSX (:func:`render`); :func:`export_indicators` reads it
through the scoped query :func:`data.store.queries.indicator_values` and renders it, and is
what both the command line (``cooperascope export indicators``) and the pages' download
buttons call, so the same scope and filters give the same bytes.

Columns (:data:`COLUMNS`), every header in French. Each « Identifiant … » column holds the
stable id a program can join on; the column after it says the same in words for a reader:

« Identifiant territoire », « Territoire »
    the territory's id and its name.
« Mois (AAAA-MM) », « Mois »
    the month as ``2026-11`` (sorts and joins) and as « novembre 2026 ».
« Identifiant indicateur », « Indicateur »
    the indicator's id and its label in the catalogue (``config/indicators.yaml``).
« Valeur », « Unité »
    the value in its unit as a person reads it, rounded half up to
    :data:`data.fr.EXPORT_DECIMALS` by :func:`data.fr.indicator_figure`: a ratio in percent
    with one decimal (0,2566… → 25,7 « % »), a score with two (« score de 1 à 5 »), an index
    or a change between waves with three, a count whole (« nombre »). Empty where there is
    no value (the note says why).
« Effectif (n) », « Petit effectif »
    how many people or organisations the value rests on, and « Oui » when that is below the
    indicator's minimum.
« Identifiant statut », « Statut »
    ``strength``… and « force », « à discuter », « point de vigilance », « à venir »,
    « sans seuil »; empty without a value.
« Identifiant étape », « Étape de l'indicateur »
    the stage the indicator belongs to (``emergence``…, « Émergence / impulsion »…).
« Vague d'enquête », « Note »
    the survey wave the value comes from (empty for other sources) and why a value is
    missing or withheld.

CSV
    Written for French Excel, which is what programme staff open it with: UTF-8 with a
    byte-order mark (without it Excel reads the accents as Windows-1252), ``;`` as the
    separator and a decimal comma, the value with exactly its unit's decimals (French Excel
    splits ``,``-separated files badly and reads ``0.256`` as text or as a date). Python reads
    it back with ``pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")``.
XLSX
    A frozen header row, sized columns (:data:`XLSX_WIDTHS`) and numbers stored as numbers,
    each value with its unit's number format (« 25,7 », « 3,45 », « 1 234 »).

In both, a text cell that looks like a formula (``=``, ``+``, ``-``, ``@`` at the start) is
neutralised by :mod:`data.exports.spreadsheet`. What a scope may read is decided by the query
alone: a funder's export has its approved months only, and no value, n or status computed
over a small group (the note says why).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Literal, get_args

import pandas as pd
from sqlalchemy import Engine

from data import fr
from data.access import Scope
from data.config import StageModel
from data.exports.spreadsheet import csv_number, number_format, to_csv_bytes, to_xlsx_bytes
from data.labels import INDICATOR_UNIT, YES_NO
from data.store.queries import indicator_values, territories
from indicators.bands import STATUS_LABELS
from indicators.catalogue import Catalogue

ExportFormat = Literal["csv", "xlsx"]
FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)

TERRITORY_ID, TERRITORY = "Identifiant territoire", "Territoire"
PERIOD, MONTH = "Mois (AAAA-MM)", "Mois"
INDICATOR_ID, INDICATOR = "Identifiant indicateur", "Indicateur"
VALUE, UNIT = "Valeur", "Unité"
N, LOW_N = "Effectif (n)", "Petit effectif"
STATUS_ID, STATUS = "Identifiant statut", "Statut"
STAGE_ID, STAGE = "Identifiant étape", "Étape de l'indicateur"
WAVE, NOTE = "Vague d'enquête", "Note"
COLUMNS = (
    TERRITORY_ID,
    TERRITORY,
    PERIOD,
    MONTH,
    INDICATOR_ID,
    INDICATOR,
    VALUE,
    UNIT,
    N,
    LOW_N,
    STATUS_ID,
    STATUS,
    STAGE_ID,
    STAGE,
    WAVE,
    NOTE,
)
XLSX_SHEET = "Indicateurs"
XLSX_WIDTHS = {
    TERRITORY_ID: 18,
    TERRITORY: 28,
    PERIOD: 10,
    MONTH: 16,
    INDICATOR_ID: 30,
    INDICATOR: 48,
    VALUE: 10,
    UNIT: 16,
    N: 10,
    LOW_N: 10,
    STATUS_ID: 12,
    STATUS: 18,
    STAGE_ID: 15,
    STAGE: 24,
    WAVE: 10,
    NOTE: 48,
}
# A value's decimals by the unit's name in the table (data.labels.INDICATOR_UNIT); a unit the
# catalogue no longer has (an empty « Unité ») keeps indicator_figure's default.
_DECIMALS = {INDICATOR_UNIT[unit]: decimals for unit, decimals in fr.EXPORT_DECIMALS.items()}
_SIGNED = {INDICATOR_UNIT["delta"]}  # a change shows its « + » in the spreadsheet


def indicators_table(
    values: pd.DataFrame,
    catalogue: Catalogue,
    *,
    territory_names: Mapping[str, str],
    stage_model: StageModel,
) -> pd.DataFrame:
    """The long table in export form (:data:`COLUMNS`), one row per row of ``values``.

    ``values``: the long indicator table as :func:`data.store.queries.indicator_values` gives
    it to a scope (``month`` as a date, or ``period`` as YYYY-MM already); ``catalogue``
    gives the indicators' labels and units, ``territory_names`` the territories' names (the
    id where one is missing) and ``stage_model`` the stages' names.
    """
    frame = values.reset_index(drop=True)
    if "period" in frame.columns:
        months = pd.to_datetime(frame["period"].astype("str"), format="%Y-%m").dt.date
    else:
        months = pd.to_datetime(frame["month"]).dt.date
    territory = frame["territory_id"].astype("str")
    indicator = frame["indicator_id"].astype("str")
    definitions = catalogue.indicators
    stage_names = {stage.id: stage.label for stage in stage_model.stages}
    units = indicator.map({i: definitions[i].unit for i in indicator.unique() if i in definitions})
    units = units.astype(object).where(units.notna(), None)

    def column(name: str, dtype: str | None = None) -> pd.Series:
        if name not in frame.columns:
            return pd.Series([None] * len(frame), dtype=dtype or object)
        return frame[name].astype(dtype) if dtype else frame[name]

    def text(series: pd.Series) -> pd.Series:
        return series.astype(object).where(series.notna(), None)

    def named(series: pd.Series, name: Callable[[str], str]) -> pd.Series:
        """Each distinct id of ``series`` named once (a long table repeats them)."""
        return series.map({key: name(key) for key in series.dropna().unique()})

    status, stage = text(frame["status"]), text(column("stage"))
    table = pd.DataFrame(
        {
            TERRITORY_ID: territory,
            TERRITORY: named(territory, lambda t: territory_names.get(t, t)),
            PERIOD: named(months, lambda m: f"{m:%Y-%m}"),
            MONTH: named(months, fr.month),
            INDICATOR_ID: indicator,
            INDICATOR: named(indicator, lambda i: definitions[i].label if i in definitions else i),
            VALUE: pd.Series(
                map(fr.indicator_figure, frame["value"].tolist(), units.tolist()), dtype="float64"
            ),
            UNIT: text(named(units, INDICATOR_UNIT.__getitem__)),
            N: column("n", "Int64"),
            LOW_N: column("low_n").astype("boolean").fillna(False).astype(bool).map(YES_NO),
            STATUS_ID: status,
            STATUS: text(named(status, lambda s: STATUS_LABELS.get(s, s))),
            STAGE_ID: stage,
            STAGE: text(named(stage, lambda s: stage_names.get(s, s))),
            WAVE: column("wave_number", "Int64"),
            NOTE: text(column("note")),
        }
    )
    return table[list(COLUMNS)]


def render(table: pd.DataFrame, fmt: ExportFormat) -> bytes:
    """``table`` as a French-Excel CSV (UTF-8 with BOM, ``;``, decimal comma, each value with
    its unit's decimals) or as an XLSX (frozen header, sized columns, numbers as numbers in
    their unit's number format), formula-looking text neutralised."""
    decimals = [_DECIMALS.get(unit, fr.EXPORT_DEFAULT_DECIMALS) for unit in table[UNIT]]
    if fmt == "csv":
        text = [csv_number(v, d) for v, d in zip(table[VALUE].tolist(), decimals, strict=True)]
        return to_csv_bytes(table.assign(**{VALUE: text}), separator=";")
    if fmt == "xlsx":
        formats = [
            number_format(d, signed=unit in _SIGNED)
            for d, unit in zip(decimals, table[UNIT], strict=True)
        ]
        return to_xlsx_bytes(
            table, sheet=XLSX_SHEET, widths=XLSX_WIDTHS, number_formats={VALUE: formats}
        )
    raise ValueError(f"format d'export inconnu « {fmt} » (attendu : csv ou xlsx)")


def export_indicators(
    engine: Engine,
    scope: Scope,
    fmt: ExportFormat,
    *,
    catalogue: Catalogue,
    stage_model: StageModel,
    territory_ids: list[str] | None = None,
    months: list[dt.date] | None = None,
) -> bytes:
    """The long export of what ``scope`` may read, as ``fmt`` bytes (:func:`render`).

    Read through :func:`data.store.queries.indicator_values`, so it is scoped exactly like
    the pages (a funder: approved months only, small groups withheld); ``territory_ids`` and
    ``months`` narrow it (None: all). Ordered by territory, month and indicator.
    """
    values = indicator_values(engine, scope, territory_ids=territory_ids, months=months)
    visible = territories(engine, scope)
    names = dict(zip(visible["territory_id"], visible["name"], strict=True))
    table = indicators_table(values, catalogue, territory_names=names, stage_model=stage_model)
    return render(table, fmt)
