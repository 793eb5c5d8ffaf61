"""Reading files, recognising columns and parsing values (no database)."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
from pathlib import Path

import pytest

from data.config import get_config
from data.importer.formats import ActorRef, Vocabulary, column_letter, key, normal
from data.importer.reading import FileRefused, read_table
from data.importer.settings import import_formats
from data.importer.values import INVALID, OrgReader, ValueReader, respondent_key

ACTORS = [
    ActorRef("mairie-breil", "Mairie de Breil-sur-Roya", "collectivite"),
    ActorRef("centre-social", "Centre social La Brigue", "association"),
]


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary(import_formats(), get_config().survey, ACTORS)


@pytest.fixture(scope="module")
def reader() -> ValueReader:
    return ValueReader(import_formats(), get_config().survey)


def test_importing_the_package_does_not_import_great_expectations() -> None:
    code = (
        "import sys, data.importer, data.importer.templates, data.cli.imports,"
        " data.exports.spreadsheet;"
        "print('great_expectations' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
    )
    assert out.stdout.strip() == "False"


def test_names_are_compared_without_case_accents_or_punctuation() -> None:
    assert normal("« État / service public »") == "etat service public"
    assert key("Conf_1") == key("conf 1") == key("CONF-1") == "conf1"
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


@pytest.mark.parametrize(
    ("raw", "scale", "expected"),
    [
        ("3", "likert", 3),
        (" 5 ", "likert", 5),
        ("4,0", "likert", 4),
        ("4.0", "likert", 4),
        ("Tout à fait d'accord", "likert", 5),
        ("plutot pas d'accord", "likert", 2),
        ("3 - Coordination", "level", 3),
        ("Coordination", "level", 3),
        ("aucune relation", "level", 0),
        ("Plutôt", "trust", 3),
        ("3,5", "likert", INVALID),
        ("beaucoup", "likert", INVALID),
        ("-1", "level", -1),
        ("0" * 14 + "3", "likert", 3),  # 15 digits: still a number
        ("9" * 16, "likert", INVALID),  # beyond 15 digits, no scale's answer
        ("9" * 400, "likert", INVALID),  # float() overflowed
        ("1" * 5000, "level", INVALID),  # int() refused past 4,300 digits
    ],
)
def test_whole_numbers_and_their_wording(
    reader: ValueReader, raw: str, scale: str, expected: float
) -> None:
    assert reader.integer(raw, scale) == expected


@pytest.mark.parametrize("raw", [None, "", "  ", "NA", "n/a", "#N/A", "-", "NSP"])
def test_empty_cells_are_no_answer(reader: ValueReader, raw: str | None) -> None:
    assert math.isnan(reader.integer(raw, "likert"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", 1), ("oui", 1), ("Y", 1), ("x", 1), ("VRAI", 1), ("0", 0), ("Non", 0), ("2", 2)],
)
def test_ticked_boxes(reader: ValueReader, raw: str, expected: float) -> None:
    assert reader.flag(raw) == expected
    assert math.isnan(reader.flag("")) and reader.flag("peut-être") == INVALID


@pytest.mark.parametrize(
    ("raw", "utc", "expected"),
    [
        ("23/11/2026", False, dt.date(2026, 11, 23)),
        ("3/1/2025", False, dt.date(2025, 1, 3)),
        ("23/11/26", False, dt.date(2026, 11, 23)),
        ("23.11.2026", False, dt.date(2026, 11, 23)),
        ("23/11/2026 14:05", False, dt.date(2026, 11, 23)),
        ("2026-11-23", False, dt.date(2026, 11, 23)),
        ("2026-11-23T10:00:00", False, dt.date(2026, 11, 23)),
        ("2024-05-11T23:30:00.123Z", False, dt.date(2024, 5, 12)),  # ODK: UTC → Paris
        ("2024-05-12T00:30:00.000+02:00", False, dt.date(2024, 5, 12)),
        ("2024-05-11T22:30:00", True, dt.date(2024, 5, 12)),  # Kobo's naive UTC
        ("45618", False, dt.date(2024, 11, 22)),  # an Excel serial number
        ("05/13/2024", False, "us"),
        ("31/02/2024", False, "invalid"),
        ("demain", False, "invalid"),
        ("", False, None),
    ],
)
def test_dates(reader: ValueReader, raw: str, utc: bool, expected: object) -> None:
    assert reader.date(raw, utc=utc) == expected


def test_sectors_in_french_in_any_case(reader: ValueReader) -> None:
    for raw, sector in [
        ("Association", "association"),
        ("COLLECTIVITÉ", "collectivite"),
        ("collectivite / élu", "collectivite"),
        ("État / service public", "etat"),
        ("etat", "etat"),
        ("habitant", "habitant"),
        ("Autre", "autre"),
        ("Entreprise", "entreprise"),
    ]:
        assert reader.known_sector(raw) == sector, raw
    assert reader.known_sector("Fondation") is None
    assert reader.sector("Fondation") == "Fondation"


def test_organisations_by_id_name_or_a_tool_code() -> None:
    orgs = OrgReader(ACTORS)
    assert orgs("mairie-breil") == "mairie-breil"
    assert orgs("Centre Social la Brigue") == "centre-social"
    assert orgs("centresocial") == "centre-social"  # a LimeSurvey answer code
    assert orgs("mairie-nice") == "mairie-nice"
    assert respondent_key("uuid:6a1f") == "6a1f" and respondent_key(" 12.0 ") == "12"


def test_kobo_paths_odk_paths_limesurvey_brackets_and_labels(vocabulary: Vocabulary) -> None:
    kobo = vocabulary.resolve_survey(
        [
            "today",
            "end",
            "_submission_time",
            "identification/org_id",
            "barometre/conf_1",
            "ressources/contrib",
            "ressources/contrib/financement",
            "roster/level__centre-social",
            "roster/fiab__mairie-breil",
            "meta/instanceID",
            "_uuid",
            "__version__",
            "age",
        ]
    )
    assert kobo.format_id == "kobotoolbox"
    assert kobo.fixed["submitted_at"].header == "today"
    assert kobo.fixed["respondent_id"].header == "_uuid"
    assert kobo.fixed["org_id"].header == "identification/org_id"
    assert kobo.likert["conf_1"].header == "barometre/conf_1"
    assert kobo.contrib["financement"].header == "ressources/contrib/financement"
    assert kobo.contrib_multi is None  # the split columns win over "contrib"
    assert set(kobo.roster) == {"centre-social", "mairie-breil"}
    assert [c.header for c in kobo.unknown] == ["age"]
    odk = vocabulary.resolve_survey(
        ["SubmissionDate", "KEY", "roster-level__centre-social", "g-org_id", "ressources-contrib"]
    )
    assert odk.format_id == "odk_central"
    assert odk.roster["centre-social"]["level"].org_known
    assert odk.contrib_multi is not None and odk.fixed["respondent_id"].header == "KEY"
    lime = vocabulary.resolve_survey(
        ["id", "submitdate", "likert[conf1]", "level[centresocial]", "contrib[locaux]", "org"]
    )
    assert lime.format_id == "limesurvey"
    assert lime.likert["conf_1"].header == "likert[conf1]"
    assert lime.roster["centre-social"]["level"].header == "level[centresocial]"
    assert lime.contrib["locaux"].header == "contrib[locaux]"
    labels = vocabulary.resolve_survey(
        [
            "Votre organisation",
            "Baromètre/Les acteurs impliqués se font confiance.",
            "Niveau de collaboration avec Centre social La Brigue",
            "Confiance en Mairie de Breil-sur-Roya : fiable",
            "Ressources apportées/Locaux",
            "Niveau de collaboration avec Mairie de Nice",
        ]
    )
    assert labels.fixed["org_id"].header == "Votre organisation"
    assert "conf_1" in labels.likert and "locaux" in labels.contrib
    assert labels.roster["centre-social"]["level"].org_known
    assert labels.roster["mairie-breil"]["fiab"].org_known
    assert not labels.roster["mairie de nice"]["level"].org_known


def test_duplicates_and_priorities(vocabulary: Vocabulary) -> None:
    columns = vocabulary.resolve_survey(
        ["respondent_id", "conf_1", "Conf 1", "date", "submitted_at"]
    )
    assert [[c.header for c in g] for g in columns.duplicates] == [["conf_1", "Conf 1"]]
    assert columns.fixed["submitted_at"].header == "submitted_at"


def _read(content: bytes, name: str = "f.csv"):  # type: ignore[no-untyped-def]
    vocabulary = Vocabulary(import_formats(), get_config().survey, ACTORS)
    return read_table(content, name, vocabulary.header_score)


@pytest.mark.parametrize(
    ("encoding", "separator", "label"),
    [
        ("utf-8", ";", "UTF-8"),
        ("utf-8-sig", ",", "UTF-8 avec BOM"),
        ("cp1252", ";", "Windows-1252"),
        ("utf-16", "\t", "UTF-16"),
        ("utf-16-le", "\t", "UTF-16"),
        ("utf-8", "|", "UTF-8"),
    ],
)
def test_encodings_and_separators(encoding: str, separator: str, label: str) -> None:
    rows = [
        ["Baromètre — Roya"],
        [],
        ["org_id", "name", "sector", "commune"],
        ["mairie-breil", "Mairie de Breil", "Collectivité", "Breil, centre"],
    ]
    text = "\r\n".join(
        separator.join(f'"{c}"' if separator in c else c for c in row) for row in rows
    )
    table = _read(text.encode(encoding))
    assert table.source.encoding == label and table.source.separator == separator
    assert table.source.header_row == 3 and table.row_numbers == [4]
    assert table.rows[0] == ["mairie-breil", "Mairie de Breil", "Collectivité", "Breil, centre"]


def test_a_quoted_cell_on_several_lines_is_one_spreadsheet_row() -> None:
    content = b'org_id;name;sector\r\na;"Nom\r\nsur deux lignes";autre\r\nb;B;autre\r\n'
    table = _read(content)
    assert table.row_numbers == [2, 3] and table.rows[0][1] == "Nom\r\nsur deux lignes"


def test_trailing_separators_and_blank_lines_are_ignored() -> None:
    content = b"org_id;name;sector;;\r\na;A;autre;;\r\n;;;;\r\n\r\nb;B;autre;;\r\n"
    table = _read(content)
    assert table.row_numbers == [2, 5]


def test_a_refusal_carries_its_check() -> None:
    with pytest.raises(FileRefused) as caught:
        _read(b"", "vide.csv")
    assert caught.value.check.check_id == "empty_file"
    assert "« vide.csv »" in caught.value.check.message


def test_the_quality_configuration_is_validated(tmp_path: Path) -> None:
    from data.config import ConfigError
    from data.importer.settings import quality_settings

    (tmp_path / "quality.yaml").write_text(
        "limits: {max_file_mb: 25, max_unzipped_mb: 250}\n"
        "suites:\n  survey:\n    nope: error\n    wave_order: warning\n"
        "    missing_share: {severity: warning, max_share: 0.3}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        quality_settings(tmp_path)
    message = str(caught.value)
    assert "suites.survey.nope » : contrôle inconnu" in message
    assert "suites.survey.wave_order » : ce contrôle ne peut être qu'une erreur" in message
    assert quality_settings().max_bytes == 25 * 1024 * 1024
