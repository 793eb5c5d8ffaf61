"""Blank files to fill in: the actors list and a territory's survey, in CSV and XLSX.

Built from the configuration (items and their wording, resource types, sectors) and, for the
survey, from the territory's actors list (one roster block per organisation). Both layouts put
the questions' French wording on the row *above* the row of column names: an Excel user reads
the question, the import finds the header by its names and skips what is above it (and if the
names row is deleted, the wording row is recognised as a header too).

CSV: UTF-8 with BOM and ``;`` separators, which French Excel opens correctly by double-click.
XLSX: a title, the instructions, the wording row, the names row, drop-down lists and
whole-number rules on the answer cells, and sheets listing the organisations and the scales.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Engine, select

from data.config import AppConfig, get_config
from data.exports.spreadsheet import neutralise_value
from data.importer.formats import ActorRef
from data.importer.settings import ImportFormats, import_formats

Fmt = Literal["csv", "xlsx"]
DATA_ROWS = 2000  # rows of the XLSX template that carry drop-downs and rules
ActorsSource = str | Sequence[ActorRef] | Sequence[Mapping[str, Any]] | pd.DataFrame


@dataclass(frozen=True)
class TemplateColumn:
    code: str
    wording: str
    rule: str | None = None  # "likert", "level", "trust", "flag", "org", "sector", "date"
    width: float = 14


def actors_columns() -> list[TemplateColumn]:
    """The actors list's columns."""
    sectors = ", ".join(s.label for s in get_config().survey.sectors)
    return [
        TemplateColumn("org_id", "Identifiant court et stable (ex. mairie-breil)", width=22),
        TemplateColumn("name", "Nom de l'organisation ou du collectif", width=36),
        TemplateColumn("sector", f"Secteur : {sectors}", "sector", width=24),
        TemplateColumn("commune", "Commune (facultatif)", width=20),
    ]


def survey_columns(
    actors: Sequence[ActorRef],
    config: AppConfig | None = None,
    formats: ImportFormats | None = None,
) -> list[TemplateColumn]:
    """The survey's columns for a territory's actors list."""
    config = config or get_config()
    formats = formats or import_formats()
    labels = formats.survey.labels
    survey = config.survey
    columns = [
        TemplateColumn(
            "respondent_id", _first(labels.respondent_id, "Identifiant du répondant"), width=18
        ),
        TemplateColumn("org_id", _first(labels.org_id, "Votre organisation"), "org", width=22),
        TemplateColumn("sector", _first(labels.sector, "Secteur"), "sector", width=20),
        TemplateColumn(
            "submitted_at", _first(labels.submitted_at, "Date de la réponse"), "date", width=14
        ),
    ]
    for factor in survey.factors:
        for item, wording in factor.items.items():
            columns.append(TemplateColumn(item, wording, "likert", width=18))
    contrib = labels.contrib or "Ressources apportées : {label}"
    for resource in survey.resource_types:
        columns.append(
            TemplateColumn(
                f"{formats.survey.contrib_prefix}_{resource.id}",
                contrib.replace("{label}", resource.label),
                "flag",
            )
        )
    families = formats.survey.roster_families
    for actor in actors:
        for family, rule in (
            ("level", "level"),
            ("fiab", "trust"),
            ("mission", "trust"),
            ("ouverture", "trust"),
        ):
            pattern = labels.roster(family) or f"{family} {{org}}"
            columns.append(
                TemplateColumn(
                    f"{families[family]}__{actor.org_id}",  # type: ignore[index]
                    pattern.replace("{org}", actor.name),
                    rule,
                )
            )
    return columns


def actors_template(fmt: Fmt = "csv") -> bytes:
    """A blank actors list."""
    columns = actors_columns()
    if fmt == "csv":
        return _csv(columns)
    sectors = [s.label for s in get_config().survey.sectors]
    return _xlsx(
        columns,
        title="Liste des acteurs du territoire (cartographie des acteurs)",
        instructions=(
            "Une ligne par organisation ou collectif d'habitants. Ne modifiez pas la ligne 4 "
            "(noms des colonnes). org_id : identifiant court et stable, en minuscules sans "
            "accents (lettres, chiffres, - ou _) ; il sert d'en-tête aux questions de "
            "l'enquête (level__<org_id>). Secteur : choisissez dans la liste."
        ),
        sheet="Acteurs",
        sectors=sectors,
        actors=[],
        extra_sheets={"Secteurs": pd.DataFrame({"secteur": sectors})},
    )


def survey_template(
    source: ActorsSource,
    fmt: Fmt = "csv",
    *,
    engine: Engine | None = None,
    territory_name: str | None = None,
) -> bytes:
    """A blank survey file for a territory: ``source`` is its id (read with ``engine``) or its
    actors (ActorRef objects, mappings or a DataFrame with org_id, name, sector)."""
    actors, name = load_actors(source, engine)
    territory_name = territory_name or name
    columns = survey_columns(actors)
    if fmt == "csv":
        return _csv(columns)
    config = get_config()
    levels = config.survey.collaboration_levels
    formats = import_formats()
    scales = pd.DataFrame(
        {
            "échelle": (["affirmations"] * 5 + ["niveau de collaboration"] * 6 + ["confiance"] * 4),
            "valeur": [*range(1, 6), *range(0, 6), *range(1, 5)],
            "signification": [
                *(formats.value_labels.likert.get(i, ("",))[0] for i in range(1, 6)),
                *(levels[i] for i in range(6)),
                *(formats.value_labels.trust.get(i, ("",))[0] for i in range(1, 5)),
            ],
        }
    )
    title = "Baromètre des coopérations — réponses (une ligne par répondant)"
    if territory_name:
        title += f" — {territory_name}"
    return _xlsx(
        columns,
        title=title,
        instructions=(
            "Ne modifiez pas la ligne 4 (noms des colonnes). Affirmations : 1 (pas du tout "
            "d'accord) à 5 (tout à fait d'accord), vide = pas de réponse. Ressources apportées : "
            "1 si l'organisation l'apporte. Niveau de collaboration avec chaque organisation : "
            "0 aucune relation, 1 réseau, 2 coopération, 3 coordination, 4 coalition, "
            "5 collaboration. Confiance (1 à 4) seulement si le niveau est au moins 1. Laissez "
            "vides les colonnes de sa propre organisation."
        ),
        sheet="Réponses",
        sectors=[s.label for s in config.survey.sectors],
        actors=actors,
        extra_sheets={
            "Organisations": pd.DataFrame(
                {
                    "org_id": [a.org_id for a in actors],
                    "name": [a.name for a in actors],
                    "sector": [a.sector for a in actors],
                }
            ),
            "Échelles": scales,
        },
    )


def survey_template_for(engine: Engine, territory_id: str, fmt: Fmt = "csv") -> bytes:
    """The survey template of a territory, from its actors list in the database."""
    return survey_template(territory_id, fmt, engine=engine)


# -- helpers -------------------------------------------------------------------------------


def _first(values: Sequence[str], default: str) -> str:
    return values[0] if values else default


def load_actors(source: ActorsSource, engine: Engine | None) -> tuple[list[ActorRef], str | None]:
    """The actors of ``source`` (a territory id, read with ``engine``, or the actors
    themselves) and the territory's name when read from the database."""
    if isinstance(source, str):
        from data.store.engine import make_engine
        from data.store.models import Actor, Territory

        own = engine is None
        engine = engine or make_engine()
        try:
            with engine.connect() as connection:
                name = connection.scalar(select(Territory.name).where(Territory.id == source))
                rows = connection.execute(
                    select(Actor.id, Actor.org_id, Actor.name, Actor.sector)
                    .where(Actor.territory_id == source)
                    .order_by(Actor.name, Actor.org_id)
                ).all()
        finally:
            if own:
                engine.dispose()
        if name is None:
            raise KeyError(f"Territoire inconnu « {source} »")
        return [ActorRef(r.org_id, r.name, r.sector, r.id) for r in rows], name
    records = (
        source.to_dict("records") if isinstance(source, pd.DataFrame) else list(source)  # type: ignore[arg-type]
    )
    actors = []
    for item in records:
        if isinstance(item, ActorRef):
            actors.append(item)
        else:
            actors.append(ActorRef(str(item["org_id"]), str(item["name"]), str(item["sector"])))
    return actors, None


def _csv(columns: Sequence[TemplateColumn]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise_value(c.wording) for c in columns])
    writer.writerow([c.code for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(
    columns: Sequence[TemplateColumn],
    *,
    title: str,
    instructions: str,
    sheet: str,
    sectors: Sequence[str],
    actors: Sequence[ActorRef],
    extra_sheets: Mapping[str, pd.DataFrame],
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    header_row, first, last = 4, 5, 4 + DATA_ROWS
    ws.cell(1, 1, title).font = Font(bold=True, size=14)
    ws.cell(2, 1, instructions).alignment = Alignment(wrap_text=False)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(columns, start=1):
        wording = ws.cell(3, index, neutralise_value(column.wording))
        wording.alignment = Alignment(wrap_text=True, vertical="top")
        wording.font = Font(italic=True, size=9)
        wording.data_type = "s"
        code = ws.cell(header_row, index, column.code)
        code.font = Font(bold=True)
        code.fill = fill
        code.data_type = "s"
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.row_dimensions[3].height = 75
    ws.freeze_panes = ws.cell(first, 3 if sheet == "Réponses" else 2)

    rules: dict[str, DataValidation] = {}

    def rule(name: str) -> DataValidation | None:
        if name in rules:
            return rules[name]
        error = "Valeur refusée"
        if name in ("likert", "level", "trust"):
            low, high = {"likert": (1, 5), "level": (0, 5), "trust": (1, 4)}[name]
            validation = DataValidation(
                type="whole",
                operator="between",
                formula1=str(low),
                formula2=str(high),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=error,
                error=f"Un nombre entier de {low} à {high}, ou rien.",
            )
        elif name == "flag":
            validation = DataValidation(
                type="list", formula1='"0,1"', allow_blank=True, showErrorMessage=True
            )
        elif name == "sector":
            joined = ",".join(s.replace(",", " ") for s in sectors)
            validation = DataValidation(
                type="list", formula1=f'"{joined}"', allow_blank=True, showErrorMessage=False
            )
        elif name == "org" and actors:
            validation = DataValidation(
                type="list",
                formula1=f"=Organisations!$A$2:$A${len(actors) + 1}",
                allow_blank=True,
                showErrorMessage=False,
            )
        elif name == "date":
            validation = DataValidation(
                type="date",
                operator="greaterThan",
                formula1="36526",  # 01/01/2000
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=error,
                error="Une date, par exemple 23/11/2026.",
            )
        else:
            return None
        rules[name] = validation
        ws.add_data_validation(validation)
        return validation

    for index, column in enumerate(columns, start=1):
        if column.rule:
            validation = rule(column.rule)
            if validation is not None:
                letter = get_column_letter(index)
                validation.add(f"{letter}{first}:{letter}{last}")
                if column.rule == "date":
                    for row in range(first, first + 1):
                        ws.cell(row, index).number_format = "DD/MM/YYYY"

    for name, frame in extra_sheets.items():
        extra = workbook.create_sheet(name[:31])
        extra.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            extra.append([neutralise_value(v) for v in row])
        for cells in extra.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        for index in range(1, len(frame.columns) + 1):
            extra.column_dimensions[get_column_letter(index)].width = 28
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
