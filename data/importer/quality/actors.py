"""The actors suite: the checks of a parsed actors list (one row per organisation), declared
in the order a report lists them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data.domain.checks import CheckResult, enumerate_fr, plural, quoted
from data.importer.formats import normal
from data.importer.frames import ActorFrames
from data.importer.quality.expectations import Failure, Probe, gxe
from data.importer.quality.registry import ACTORS, Text, expectation_check
from data.importer.quality.registry import run_checks as _run_checks
from data.importer.quality.structure import cell_values
from data.importer.settings import QualityFile

# An organisation's id: a short slug, as the database and the survey's column names need it.
SLUG = r"^[a-z0-9][a-z0-9_-]{0,99}$"
MAX_NAME = 300
MAX_COMMUNE = 200  # the database's columns: a longer text is refused, never cut


@dataclass
class ActorsInput:
    """A parsed actors list and the sectors it may name: the actors checks' subject."""

    parsed: ActorFrames
    sector_labels: dict[str, str]

    @property
    def main_frame(self) -> str:
        return "actors"

    def frames(self) -> dict[str, pd.DataFrame]:
        return self.parsed.frames()

    def probe(self, expectation: object, field_name: str, raw: str | None = None) -> Probe:
        """A probe on the list, its failures named by the column of ``field_name``."""
        return Probe("actors", expectation, self.parsed.displays.get(field_name), raw_col=raw)


def actors_checks(
    settings: QualityFile, parsed: ActorFrames, sector_labels: dict[str, str]
) -> list[CheckResult]:
    """Run the actors suite on a parsed list."""
    return _run_checks("actors", "values", settings, ActorsInput(parsed, sector_labels))


def _suggestion(raw: str) -> str:
    """An id made from what was written: « Mairie de Breil » → mairie-de-breil."""
    return normal(raw).replace(" ", "-")[:100] or "?"


@expectation_check("org_id_present", ACTORS, "Chaque organisation a un identifiant (org_id).")
def org_id_present(s: ActorsInput) -> list[Probe]:
    return [s.probe(gxe.ExpectColumnValuesToNotBeNull(column="org_id"), "org_id")]


@org_id_present.message
def _org_id_present_message(f: Failure, s: ActorsInput) -> Text:
    return (
        f"{plural(f.count, 'organisation')} sans identifiant (org_id).",
        "Donnez à chaque organisation un identifiant court et stable (ex. mairie-breil) "
        ": c'est lui qui relie les réponses d'enquête à l'organisation.",
    )


@expectation_check(
    "org_id_format",
    ACTORS,
    "Un identifiant s'écrit en minuscules sans accents ni espaces, 100 caractères au plus.",
)
def org_id_format(s: ActorsInput) -> list[Probe]:
    frame = s.parsed.actors
    # The text the report quotes: the id read, with the id it could be.
    frame["_org_suggestion"] = [
        f"{raw} (suggestion : {_suggestion(raw)})" if isinstance(raw, str) else None
        for raw in frame["org_id"]
    ]
    return [
        s.probe(
            gxe.ExpectColumnValuesToMatchRegex(column="org_id", regex=SLUG),
            "org_id",
            "_org_suggestion",
        )
    ]


@org_id_format.message
def _org_id_format_message(f: Failure, s: ActorsInput) -> Text:
    return (
        f"{plural(f.count, 'identifiant')} d'organisation invalide"
        f"{'s' if f.count > 1 else ''} : "
        + ", ".join(
            f"« {v} » (suggestion : {_suggestion(str(v))})"
            for v in list(dict.fromkeys(f.values))[:5]
        )
        + ".",
        "Un identifiant (org_id) s'écrit en minuscules sans accents ni espaces : "
        "lettres, chiffres, « - » ou « _ », 100 caractères au plus (ex. mairie-breil). "
        "Le nom complet va dans la colonne name.",
    )


@expectation_check("unique_org_id", ACTORS, "Chaque identifiant n'apparaît qu'une fois.")
def unique_org_id(s: ActorsInput) -> list[Probe]:
    return [s.probe(gxe.ExpectColumnValuesToBeUnique(column="org_id"), "org_id")]


@unique_org_id.message
def _unique_org_id_message(f: Failure, s: ActorsInput) -> Text:
    return (
        f"{plural(f.count, 'ligne')} partagent un identifiant avec une autre ligne : "
        f"{quoted(f.values)}.",
        "Chaque organisation n'apparaît qu'une fois dans la liste, avec son propre "
        "identifiant. Fusionnez les doublons ou changez l'identifiant.",
    )


@expectation_check(
    "name_present", ACTORS, f"Chaque organisation a un nom ({MAX_NAME} caractères au plus)."
)
def name_present(s: ActorsInput) -> list[Probe]:
    return [
        s.probe(gxe.ExpectColumnValuesToNotBeNull(column="name"), "name"),
        s.probe(
            gxe.ExpectColumnValuesToBeBetween(column="_name_len", max_value=MAX_NAME),
            "name",
            "name",
        ),
    ]


@name_present.message
def _name_present_message(f: Failure, s: ActorsInput) -> Text:
    return (
        f"{plural(f.count, 'organisation')} sans nom (ou avec un nom de plus de {MAX_NAME} "
        "caractères).",
        "Indiquez le nom de chaque organisation dans la colonne name.",
    )


@expectation_check("known_sector", ACTORS, "Chaque organisation a un secteur connu.")
def known_sector(s: ActorsInput) -> list[Probe]:
    return [
        s.probe(gxe.ExpectColumnValuesToNotBeNull(column="_sector_valid"), "sector", "sector_raw")
    ]


@known_sector.message
def _known_sector_message(f: Failure, s: ActorsInput) -> Text:
    read = [v for v in cell_values(f) if v]
    return (
        plural(f.count, "secteur manquant ou non reconnu", "secteurs manquants ou non reconnus")
        + (f" : {quoted(read)}" if read else "")
        + ".",
        f"Secteurs acceptés : {enumerate_fr(list(s.sector_labels.values()))} "
        "(majuscules et accents indifférents).",
    )


@expectation_check("unique_name", ACTORS, "Deux organisations ne portent pas le même nom.")
def unique_name(s: ActorsInput) -> list[Probe]:
    return [s.probe(gxe.ExpectColumnValuesToBeUnique(column="_name_key"), "name", "name")]


@unique_name.message
def _unique_name_message(f: Failure, s: ActorsInput) -> Text:
    return (
        f"{plural(f.count, 'organisation porte', 'organisations portent')} le même nom "
        f"qu'une autre : {quoted(cell_values(f))}.",
        "Vérifiez que ce ne sont pas des doublons ; sinon, précisez les noms (ex. avec "
        "la commune).",
    )


@expectation_check(
    "commune_length", ACTORS, f"Une commune s'écrit en {MAX_COMMUNE} caractères au plus."
)
def commune_length(s: ActorsInput) -> list[Probe]:
    if s.parsed.displays.get("commune") is None:
        return []
    return [
        s.probe(
            gxe.ExpectColumnValuesToBeBetween(column="_commune_len", max_value=MAX_COMMUNE),
            "commune",
            "commune",
        )
    ]


@commune_length.message
def _commune_length_message(f: Failure, s: ActorsInput) -> Text:
    return (
        f"{plural(f.count, 'commune dépasse', 'communes dépassent')} {MAX_COMMUNE} caractères "
        f": {quoted(cell_values(f), limit=3)}.",
        "Indiquez seulement le nom de la commune (sans adresse ni commentaire). Comme "
        "avertissement, la commune trop longue est laissée vide, jamais coupée.",
    )
