"""Checks of the file as written rather than of its answers, for both kinds of file: its header
(required, duplicate and unknown columns, read before any value is parsed) and its text
encoding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from data.domain.checks import CheckResult, enumerate_fr, plural, quoted
from data.importer.formats import ColumnMap
from data.importer.quality.expectations import Failure, Probe, gxe
from data.importer.quality.registry import BOTH, Text, expectation_check, python_check
from data.importer.quality.registry import run_checks as _run_checks
from data.importer.reading import SAVE_AS_CSV, RawTable
from data.importer.settings import Kind, QualityFile

REQUIRED: dict[Kind, tuple[str, ...]] = {
    "survey": ("respondent_id", "org_id", "submitted_at"),
    "actors": ("org_id", "name", "sector"),
}
FIELD_NAMES = {
    "respondent_id": "l'identifiant du répondant",
    "org_id": "l'organisation",
    "submitted_at": "la date de la réponse",
    "sector": "le secteur",
    "name": "le nom de l'organisation",
}


@dataclass(frozen=True)
class Header:
    """What the header checks read: the resolved columns, and the rows (for the data under
    a column without a name)."""

    kind: Kind
    columns: ColumnMap
    table: RawTable
    filename: str

    @property
    def lacks_answers(self) -> bool:
        return self.kind == "survey" and not self.columns.answer_columns

    def frames(self) -> dict[str, pd.DataFrame]:
        return {}


class Values(Protocol):
    """What every values subject has: its parsed frames, one of which holds one row per
    respondent (or organisation) with the text-encoding flags."""

    @property
    def main_frame(self) -> str: ...

    def frames(self) -> dict[str, pd.DataFrame]: ...


def header_checks(
    kind: Kind, settings: QualityFile, columns: ColumnMap, table: RawTable, filename: str
) -> list[CheckResult]:
    """Run the header stage of ``kind``'s suite on a file's resolved columns."""
    return _run_checks(kind, "header", settings, Header(kind, columns, table, filename))


@python_check(
    "required_columns",
    BOTH,
    "Les colonnes obligatoires sont présentes (et, dans une enquête, des colonnes de réponses).",
    stage="header",
    error_only=True,
    always=True,
)
def required_columns(h: Header) -> Failure | None:
    missing = [name for name in REQUIRED[h.kind] if name not in h.columns.fixed]
    return Failure(count=1, columns=missing) if missing or h.lacks_answers else None


@required_columns.message
def _required_columns_message(f: Failure, h: Header) -> Text:
    parts = []
    if f.columns:
        label = (
            "Colonne obligatoire absente"
            if len(f.columns) == 1
            else "Colonnes obligatoires absentes"
        )
        names = enumerate_fr([f"{m} ({FIELD_NAMES[m]})" for m in f.columns])
        parts.append(f"{label} du fichier « {h.filename} » : {names}")
    if h.lacks_answers:
        parts.append(
            ("aucune" if parts else "Aucune")
            + f" colonne de réponses reconnue{'' if parts else f' dans « {h.filename} »'} "
            "(affirmations conf_1… anc_3, contrib_<ressource>, level__<org_id>…)"
        )
    hint = (
        "Ajoutez la colonne manquante ou renommez la colonne correspondante avec le nom "
        "attendu (voir le modèle téléchargeable)."
    )
    found = [c.header for c in h.columns.columns if c.header]
    if found:
        hint += f" Colonnes trouvées : {enumerate_fr(found, limit=15)}."
    return " ; ".join(parts) + ".", hint


@python_check(
    "duplicate_columns",
    BOTH,
    "Aucune colonne n'apparaît deux fois.",
    stage="header",
    error_only=True,
)
def duplicate_columns(h: Header) -> Failure | None:
    groups = h.columns.duplicates
    if not groups:
        return None
    return Failure(count=len(groups), columns=[c.display for group in groups for c in group])


@duplicate_columns.message
def _duplicate_columns_message(f: Failure, h: Header) -> Text:
    groups = [
        f"{group[0].canonical} en colonnes {enumerate_fr([c.letter for c in group])}"
        for group in h.columns.duplicates
    ]
    return (
        f"Colonne en double : {enumerate_fr(groups)}. L'import ne sait pas laquelle lire.",
        "Supprimez ou renommez les colonnes en trop pour qu'il n'en reste qu'une.",
    )


@python_check(
    "unknown_columns",
    BOTH,
    "Toutes les colonnes sont reconnues (une colonne sans nom doit être vide).",
    stage="header",
)
def unknown_columns(h: Header) -> Failure | None:
    unknown = list(h.columns.unknown)
    unknown += [
        c
        for c in h.columns.columns
        if c.role == "empty" and any(v not in (None, "") for v in h.table.column(c.index))
    ]
    unknown.sort(key=lambda c: c.index)
    return Failure(count=len(unknown), columns=[c.display for c in unknown]) if unknown else None


@unknown_columns.message
def _unknown_columns_message(f: Failure, h: Header) -> Text:
    return (
        f"{plural(f.count, 'colonne non reconnue', 'colonnes non reconnues')}, "
        f"{'ignorée' if f.count == 1 else 'ignorées'} : "
        f"{enumerate_fr(f.columns, limit=10)}.",
        "Normal si le formulaire contient des questions en plus. Sinon, renommez la "
        "colonne avec le nom attendu (voir le modèle) et importez à nouveau le fichier.",
    )


@expectation_check("text_encoding", BOTH, "Aucun texte n'a été converti deux fois (« Ã© »).")
def text_encoding(s: Values) -> list[Probe]:
    return [
        Probe(
            s.main_frame,
            gxe.ExpectColumnValuesToBeInSet(column="_mojibake", value_set=[False]),
            None,
            raw_col="_mojibake_raw",
        )
    ]


@text_encoding.message
def _text_encoding_message(f: Failure, s: Values) -> Text:
    return (
        f"{plural(f.count, 'ligne contient', 'lignes contiennent')} des caractères mal "
        f"convertis ({quoted(cell_values(f), limit=3)}) : le fichier a sans doute été "
        "converti deux fois d'un encodage à l'autre.",
        f"Repartez du fichier d'origine et enregistrez-le une seule fois en CSV UTF-8. "
        f"{SAVE_AS_CSV}",
    )


def cell_values(failure: Failure) -> list[object]:
    """The text read in a failure's example cells."""
    return [c.value for c in failure.cells]
