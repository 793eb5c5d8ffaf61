"""The corpus of bad files: each is refused with its French message and changes no data.

The files are committed under ``files/bad/`` (written by ``make_files.py``); the 50 MB file is
written in a temporary folder. Every case runs on SQLite and on PostgreSQL, against a database
holding the Roya actors list and its wave 0; the data tables are compared (row counts and a
checksum of every row) before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from data.importer import import_actors, import_survey, run_import
from data.store.models import ImportReport, RawUpload
from tests.data.importer.conftest import FILES, snapshot


@dataclass(frozen=True)
class Case:
    file: str
    check: str
    says: tuple[str, ...]
    rows: tuple[int, ...] | None = None
    columns: tuple[str, ...] | None = None
    kind: str = "survey"
    territory: str = "roya"
    wave: int = 1
    stored: bool = True  # a refused file's report is stored (not for a wrong command)
    also: tuple[str, ...] = field(default=())  # other checks that may accompany it


CASES = [
    # -- not a table at all --
    Case("empty.csv", "empty_file", ("Le fichier « empty.csv » est vide.",)),
    Case("blank_lines.csv", "empty_file", ("« blank_lines.csv » est vide",)),
    Case(
        "header_only.csv",
        "no_data_rows",
        ("ne contient que la ligne d'en-tête (ligne 1)", "aucune ligne de données"),
        rows=(1,),
    ),
    Case(
        "header_only_titles.xlsx",
        "no_data_rows",
        ("« header_only_titles.xlsx » ne contient que la ligne d'en-tête (ligne 3)",),
        rows=(3,),
    ),
    Case("pdf_renamed.csv", "not_a_table", ("n'est pas un tableau CSV ou XLSX", "document PDF")),
    Case("image_renamed.csv", "not_a_table", ("c'est une image PNG",)),
    Case("word_renamed.csv", "not_a_table", ("document de traitement de texte",)),
    # An ODS is read, whatever its name; this one's content.xml holds no sheet.
    Case("ods_renamed.csv", "damaged_xlsx", ("« ods_renamed.csv » est endommagé ou incomplet",)),
    Case("old_excel.xls", "old_excel", ("Excel 97-2003 (.xls)", "protégé par un mot de passe")),
    Case("html_export.csv", "not_a_table", ("une page web (HTML)",)),
    Case("binary.csv", "not_a_table", ("un fichier binaire",)),
    Case("truncated.xlsx", "damaged_xlsx", ("« truncated.xlsx » est endommagé ou incomplet",)),
    # -- encodings and separators gone wrong --
    Case(
        "mixed_encoding.csv",
        "mixed_encoding",
        ("mélange deux encodages", "la ligne 2 est en Windows-1252", "la ligne 3 est en UTF-8"),
        rows=(2, 3),
    ),
    Case(
        "unknown_encoding.csv",
        "unknown_encoding",
        ("n'est pas reconnu (ni UTF-8, ni Windows-1252)", "l'octet 0x81 de la ligne 3"),
        rows=(3,),
    ),
    Case(
        "double_encoded.csv",
        "known_sector",
        ("secteur non reconnu : « CollectivitÃ© »",),
        rows=(2,),
        columns=("sector (C)",),
        also=("text_encoding",),
    ),
    Case(
        "one_column.csv",
        "header_not_found",
        ("se lit comme une seule colonne", "ni le point-virgule, ni la virgule"),
        rows=(1,),
    ),
    Case(
        "ragged_decimal_comma.csv",
        "ragged_rows",
        ("ligne 3 : plus de valeurs que les 17 colonnes",),
        rows=(3,),
    ),
    Case(
        "mixed_separators.csv",
        "ragged_rows",
        ("ligne 4 : moins de valeurs que les 17 colonnes",),
        rows=(4,),
    ),
    Case("truncated.csv", "ragged_rows", ("ligne 6 : moins de valeurs",), rows=(6,)),
    Case(
        "unclosed_quote.csv",
        "bad_quotes",
        ("n'est pas un CSV valide à partir de la ligne 3", "guillemet"),
        rows=(3,),
    ),
    # -- wrong file, wrong columns --
    Case(
        "missing_org_column.csv",
        "required_columns",
        ("Colonne obligatoire absente du fichier « missing_org_column.csv » : org_id",),
        columns=("org_id",),
    ),
    Case(
        "no_answer_columns.csv",
        "required_columns",
        ("Aucune colonne de réponses reconnue dans « no_answer_columns.csv »",),
    ),
    Case(
        "other_form.csv",
        "required_columns",
        ("Colonne obligatoire absente du fichier « other_form.csv » : org_id",),
        also=("unknown_columns",),
    ),
    Case(
        "duplicate_columns.csv",
        "duplicate_columns",
        ("Colonne en double : conf_1 en colonnes E et R",),
        columns=("conf_1 (E)", "conf_1 (R)"),
    ),
    Case(
        "actors_as_survey.csv",
        "wrong_file_kind",
        ("ressemble à une liste d'acteurs", "pas à des réponses d'enquête"),
        also=("same_file_elsewhere",),
    ),
    Case(
        "survey_as_actors.csv",
        "wrong_file_kind",
        ("ressemble à des réponses d'enquête", "pas à une liste d'acteurs"),
        kind="actors",
    ),
    # -- values --
    Case(
        "unknown_org.csv",
        "known_org",
        ("absente de la liste des acteurs du territoire « Vallée de la Roya »", "« mairie-nice »"),
        rows=(4,),
        columns=("org_id (B)",),
    ),
    Case(
        "titles_unknown_org.xlsx",
        "known_org",
        ("« mairie-nice »",),
        rows=(6,),  # two title rows above the header: the spreadsheet's row 6
        columns=("org_id (B)",),
    ),
    Case(
        "other_territory.csv",
        "known_org",
        ("ce fichier concerne-t-il un autre territoire ?",),
        rows=(2, 3, 4, 5, 6),
    ),
    Case(
        "unknown_sector.csv",
        "known_sector",
        ("1 secteur non reconnu : « Fondation »",),
        rows=(3,),
        columns=("sector (C)",),
    ),
    Case(
        "sector_mismatch.csv",
        "sector_matches_actors",
        ("un secteur différent de celui de l'organisation dans la liste des acteurs",),
        rows=(2,),
        columns=("sector (C)",),
    ),
    Case(
        "likert_out_of_range.csv",
        "likert_range",
        ("3 réponses aux affirmations hors de l'échelle 1 à 5", "« 6 », « 0 », « beaucoup »"),
        rows=(2, 5, 6),
        columns=("conf_1 (E)", "conf_3 (G)", "vis_1 (H)"),
    ),
    Case(
        "level_out_of_range.csv",
        "level_range",
        ("2 niveaux de collaboration hors de l'échelle 0 à 5", "« 7 », « -1 »"),
        rows=(3, 4),
        columns=("level__scierie (N)", "level__dreal (P)"),
    ),
    Case(
        "trust_out_of_range.csv",
        "trust_range",
        ("1 réponse de confiance hors de l'échelle 1 à 4", "« 5 »"),
        rows=(2,),
        columns=("fiab__asso-roya (M)",),
    ),
    Case(
        "contrib_invalid.csv",
        "contrib_values",
        ("« ressources apportées » illisible : « peut-être »",),
        rows=(4,),
        columns=("contrib_financement (I)",),
    ),
    Case(
        "duplicate_ids.csv",
        "unique_respondent",
        ("2 lignes partagent un identifiant de répondant", "« r1 »"),
        rows=(2, 5),
        columns=("respondent_id (A)",),
    ),
    Case(
        "missing_id.csv",
        "respondent_id_present",
        ("1 réponse sans identifiant de répondant",),
        rows=(3,),
        columns=("respondent_id (A)",),
    ),
    Case(
        "bad_dates.csv",
        "date_readable",
        ("2 dates de réponse manquantes ou illisibles : « 31/02/2024 », « demain »",),
        rows=(2, 4),
        columns=("submitted_at (D)",),
    ),
    Case(
        "us_dates.csv",
        "date_readable",
        ("« 11/13/2024 »", "format américain mois/jour"),
        rows=(3,),
    ),
    Case(
        "wave_before_previous.csv",
        "wave_order",
        (
            "Toutes les réponses de ce fichier (du 10/01/2024 au 14/01/2024) sont antérieures à "
            "celles de la vague 0 (à partir du 10/05/2024)",
        ),
    ),
    # -- actors lists --
    Case(
        "actors_bad_slug.csv",
        "org_id_format",
        ("« Mairie de Breil » (suggestion : mairie-de-breil)",),
        rows=(2,),
        columns=("org_id (A)",),
        kind="actors",
    ),
    Case(
        "actors_duplicate_org.csv",
        "unique_org_id",
        ("2 lignes partagent un identifiant", "« asso-roya »"),
        rows=(3, 4),
        kind="actors",
    ),
    Case(
        "actors_missing_name.csv",
        "name_present",
        ("1 organisation sans nom",),
        rows=(3,),
        columns=("name (B)",),
        kind="actors",
    ),
    Case(
        "actors_unknown_sector.csv",
        "known_sector",
        ("1 secteur manquant ou non reconnu : « Fondation »",),
        rows=(5,),
        kind="actors",
    ),
    # -- wrong target --
    Case(
        "../good/survey_roya_w1.csv",
        "no_actors_list",
        ("La liste des acteurs du territoire « Secteur de Forbach » est vide",),
        territory="forbach",
    ),
    Case(
        "../good/survey_roya_w1.csv",
        "unknown_territory",
        ("Territoire inconnu « mars »",),
        territory="mars",
        stored=False,
    ),
    Case(
        "../good/survey_roya_w1.csv",
        "bad_wave",
        ("Numéro de vague invalide : -1",),
        wave=-1,
        stored=False,
    ),
    Case(  # the highest wave number is 999; 10^20 overflowed every integer column
        "../good/survey_roya_w1.csv",
        "bad_wave",
        ("Numéro de vague invalide : 100000000000000000000", "numérotées de 0 à 999"),
        wave=10**20,
        stored=False,
    ),
]


def _run(engine: Engine, case: Case, content: bytes, name: str):  # type: ignore[no-untyped-def]
    if case.kind == "actors":
        return import_actors(engine, content, name, case.territory, "corpus")
    return import_survey(engine, content, name, case.territory, case.wave, "corpus")


def test_the_corpus_has_at_least_25_refused_files() -> None:
    files = {c.file for c in CASES if not c.file.startswith("..")}
    assert len(files) >= 25
    assert files <= {p.name for p in (FILES / "bad").iterdir()}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}-{c.check}" for c in CASES])
def test_bad_file_is_refused_with_its_message_and_changes_no_data(
    roya_engine: Engine, case: Case
) -> None:
    path = (FILES / "bad" / case.file).resolve()
    assert_refused(roya_engine, case, path.read_bytes(), path.name)


def assert_refused(engine: Engine, case: Case, content: bytes, name: str) -> None:
    """Importing ``content`` is refused with the case's check, message, rows and columns; the
    data are unchanged, the refusal's report stored and the file archived."""
    before = snapshot(engine)

    result = _run(engine, case, content, name)

    assert result.outcome == "refused", result.render_text()
    assert snapshot(engine) == before
    ids = [c.check_id for c in result.report.checks]
    assert case.check in ids, result.render_text()
    assert set(ids) <= {case.check, *case.also}, result.render_text()
    check = result.report.find(case.check)
    assert check is not None and check.is_error
    for phrase in case.says:
        assert phrase in check.message or phrase in check.hint, check.message
    if case.rows is not None:
        assert tuple(check.rows) == case.rows
    if case.columns is not None:
        assert tuple(check.columns) == case.columns
    assert check.hint, "every refusal says what to do"
    text = result.render_text()
    assert name in text and "REFUSÉ" in text and "Que faire" in text
    with engine.connect() as connection:
        stored = connection.execute(
            select(ImportReport.outcome, ImportReport.report).where(
                ImportReport.id == result.report_id
            )
        ).first()
        archived = connection.scalar(
            select(RawUpload.size_bytes).where(RawUpload.sha256 == result.sha256)
        )
    if case.stored:
        assert stored is not None and stored.outcome == "refused"
        assert any(c["check_id"] == case.check for c in stored.report["checks"])
        assert archived == len(content)
    else:
        assert result.report_id is None and stored is None


def test_a_50_mb_file_is_refused_before_it_is_read(roya_engine: Engine, tmp_path: Path) -> None:
    header = (FILES / "good" / "survey_roya_w1.csv").read_bytes().split(b"\r\n")[0] + b"\r\n"
    row = b"r;mairie-breil;collectivite;12/11/2024;4;5;3;4;1;;;3;4;1;2;0;1\r\n"
    path = tmp_path / "enorme.csv"
    with path.open("wb") as handle:
        handle.write(header)
        handle.write(row * (50 * 1024 * 1024 // len(row) + 1))
    assert path.stat().st_size >= 50 * 1024 * 1024
    before = snapshot(roya_engine)
    uploads = _uploads(roya_engine)

    from_disk = run_import(roya_engine, "survey", path, path.name, "roya", "corpus", wave_number=1)
    in_memory = import_survey(roya_engine, path.read_bytes(), path.name, "roya", 1, "corpus")

    for result in (from_disk, in_memory):
        assert result.outcome == "refused"
        check = result.report.find("file_too_large")
        assert check is not None
        assert "Le fichier « enorme.csv » est trop volumineux : 50,0 Mo" in check.message
        assert "pour une limite de 25 Mo" in check.message
        assert check.hint
    assert snapshot(roya_engine) == before
    assert _uploads(roya_engine) == uploads  # not even archived


def _uploads(engine: Engine) -> int:
    with engine.connect() as connection:
        return len(connection.execute(select(RawUpload.sha256)).all())
