"""Write the committed test files under ``files/`` (run once; the outputs are committed).

    .venv/bin/python -m tests.data.importer.make_files

``files/good/``: the Roya actors list and clean waves 0 and 1.
``files/bad/``: the corpus of files that must be refused, each small.
``files/formats/``: the same answers as exported by the template, KoboToolbox, ODK Central and
LimeSurvey, and the template in the encodings and separators French users produce.
The 50 MB file is not here: the test writes it in a temporary folder.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent / "files"

ACTORS = [
    ("mairie-breil", "Mairie de Breil-sur-Roya", "Collectivité", "Breil-sur-Roya"),
    ("asso-roya", "Association Roya Solidaire", "Association", "Tende"),
    ("scierie", "Scierie de la Vallée", "Entreprise", "Saorge"),
    ("habitants-tende", "Collectif des habitants de Tende", "Habitant", "Tende"),
    ("dreal", "DREAL PACA", "État / service public", "Nice"),
    ("centre-social", "Centre social La Brigue", "association", "La Brigue"),
]
HEADER = [
    "respondent_id",
    "org_id",
    "sector",
    "submitted_at",
    "conf_1",
    "conf_2",
    "conf_3",
    "vis_1",
    "contrib_financement",
    "level__mairie-breil",
    "fiab__mairie-breil",
    "level__asso-roya",
    "fiab__asso-roya",
    "level__scierie",
    "level__habitants-tende",
    "level__dreal",
    "level__centre-social",
]
WAVE1 = [
    [
        "r1",
        "mairie-breil",
        "collectivite",
        "12/11/2024",
        "4",
        "5",
        "3",
        "4",
        "1",
        "",
        "",
        "3",
        "4",
        "1",
        "2",
        "0",
        "1",
    ],
    [
        "r2",
        "asso-roya",
        "association",
        "13/11/2024",
        "3",
        "3",
        "4",
        "2",
        "0",
        "4",
        "3",
        "",
        "",
        "0",
        "2",
        "1",
        "3",
    ],
    [
        "r3",
        "scierie",
        "Entreprise",
        "14/11/2024",
        "5",
        "4",
        "4",
        "5",
        "1",
        "2",
        "3",
        "1",
        "2",
        "",
        "0",
        "0",
        "1",
    ],
    [
        "r4",
        "habitants-tende",
        "habitant",
        "15/11/2024",
        "2",
        "3",
        "2",
        "3",
        "0",
        "1",
        "2",
        "2",
        "3",
        "0",
        "",
        "0",
        "2",
    ],
    [
        "r5",
        "dreal",
        "État / service public",
        "18/11/2024",
        "4",
        "4",
        "4",
        "4",
        "1",
        "3",
        "4",
        "2",
        "3",
        "1",
        "1",
        "",
        "1",
    ],
]


def csv_bytes(
    rows: Sequence[Sequence[str]], sep: str = ";", encoding: str = "utf-8", eol: str = "\r\n"
) -> bytes:
    return (eol.join(sep.join(r) for r in rows) + eol).encode(encoding)


def wave(number: int) -> list[list[str]]:
    if number == 1:
        return [list(r) for r in WAVE1]
    rows = []
    for i, row in enumerate(WAVE1):
        copy = list(row)
        copy[0] = f"w0-{row[0]}"
        copy[3] = f"{10 + i:02d}/05/2024"
        rows.append(copy)
    return rows


def with_cell(rows: list[list[str]], row: int, column: str, value: str) -> list[list[str]]:
    """Set a cell by spreadsheet row (2 = first data row) and column name."""
    rows = [list(r) for r in rows]
    rows[row - 2][HEADER.index(column)] = value
    return rows


def xlsx(rows: Sequence[Sequence[object]], title_rows: Sequence[Sequence[object]] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Réponses"
    for row in title_rows:
        sheet.append(list(row))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def good_files() -> dict[str, bytes]:
    actors = [["org_id", "name", "sector", "commune"], *[list(a) for a in ACTORS]]
    return {
        "actors_roya.csv": csv_bytes(actors, encoding="utf-8-sig"),
        "survey_roya_w0.csv": csv_bytes([HEADER, *wave(0)]),
        "survey_roya_w1.csv": csv_bytes([HEADER, *wave(1)]),
    }


def bad_files() -> dict[str, bytes]:
    w1 = wave(1)
    files: dict[str, bytes] = {}
    files["empty.csv"] = b""
    files["blank_lines.csv"] = b"\r\n;;;\r\n\r\n"
    files["header_only.csv"] = csv_bytes([HEADER])
    files["header_only_titles.xlsx"] = xlsx(
        [HEADER], title_rows=[["Baromètre des coopérations — Roya — vague 1"], []]
    )
    files["pdf_renamed.csv"] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
    files["image_renamed.csv"] = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
    files["word_renamed.csv"] = zipped(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    )
    files["ods_renamed.csv"] = zipped(
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}
    )
    files["old_excel.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    files["html_export.csv"] = (
        b"<!DOCTYPE html><html><body><table><tr><td>respondent_id</td></tr></table></body></html>"
    )
    good = xlsx([HEADER, *w1])
    files["truncated.xlsx"] = good[: len(good) * 6 // 10]
    rng = random.Random(5)
    files["binary.csv"] = bytes(rng.randrange(256) if i % 7 else 0 for i in range(600))
    header = csv_bytes([HEADER])
    row2 = csv_bytes([w1[0]]).replace(b"collectivite", "Collectivité".encode("cp1252"))
    row3 = csv_bytes([w1[1]]).replace(b"association", "Associé".encode())
    files["mixed_encoding.csv"] = header + row2 + row3
    files["unknown_encoding.csv"] = (
        header + csv_bytes([w1[0]]) + csv_bytes([w1[1]]).replace(b"association", b"asso\x81ciation")
    )
    files["double_encoded.csv"] = csv_bytes(
        [HEADER, *with_cell(w1, 2, "sector", "Collectivité".encode().decode("cp1252"))]
    )
    files["one_column.csv"] = csv_bytes([HEADER, *w1], sep=":")
    comma = [HEADER, *with_cell(w1, 3, "conf_1", "3,5")]
    files["ragged_decimal_comma.csv"] = csv_bytes(comma, sep=",")
    mixed = csv_bytes([HEADER, *w1[:2]]) + csv_bytes([w1[2]], sep=",") + csv_bytes(w1[3:])
    files["mixed_separators.csv"] = mixed
    whole = csv_bytes([HEADER, *w1])
    files["truncated.csv"] = whole[: whole.rindex(b"2;3;1")]
    files["unclosed_quote.csv"] = csv_bytes([HEADER, w1[0], ['"r2', *w1[1][1:]], *w1[2:]])
    no_org = [[c for i, c in enumerate(r) if i != 1] for r in [HEADER, *w1]]
    files["missing_org_column.csv"] = csv_bytes(no_org)
    files["no_answer_columns.csv"] = csv_bytes([r[:4] for r in [HEADER, *w1]])
    files["unknown_org.csv"] = csv_bytes([HEADER, *with_cell(w1, 4, "org_id", "mairie-nice")])
    other = [HEADER, *[[r[0], f"forbach-{i}", *r[2:]] for i, r in enumerate(w1)]]
    files["other_territory.csv"] = csv_bytes(other)
    files["unknown_sector.csv"] = csv_bytes([HEADER, *with_cell(w1, 3, "sector", "Fondation")])
    files["sector_mismatch.csv"] = csv_bytes([HEADER, *with_cell(w1, 2, "sector", "entreprise")])
    likert = with_cell(w1, 2, "conf_1", "6")
    likert = with_cell(likert, 5, "conf_3", "0")
    likert = with_cell(likert, 6, "vis_1", "beaucoup")
    files["likert_out_of_range.csv"] = csv_bytes([HEADER, *likert])
    level = with_cell(with_cell(w1, 3, "level__scierie", "7"), 4, "level__dreal", "-1")
    files["level_out_of_range.csv"] = csv_bytes([HEADER, *level])
    files["trust_out_of_range.csv"] = csv_bytes([HEADER, *with_cell(w1, 2, "fiab__asso-roya", "5")])
    files["contrib_invalid.csv"] = csv_bytes(
        [HEADER, *with_cell(w1, 4, "contrib_financement", "peut-être")]
    )
    files["duplicate_ids.csv"] = csv_bytes([HEADER, *with_cell(w1, 5, "respondent_id", "r1")])
    files["missing_id.csv"] = csv_bytes([HEADER, *with_cell(w1, 3, "respondent_id", "")])
    dates = with_cell(with_cell(w1, 2, "submitted_at", "31/02/2024"), 4, "submitted_at", "demain")
    files["bad_dates.csv"] = csv_bytes([HEADER, *dates])
    files["us_dates.csv"] = csv_bytes([HEADER, *with_cell(w1, 3, "submitted_at", "11/13/2024")])
    early = [[*r[:3], f"{10 + i:02d}/01/2024", *r[4:]] for i, r in enumerate(w1)]
    files["wave_before_previous.csv"] = csv_bytes([HEADER, *early])
    files["actors_as_survey.csv"] = good_files()["actors_roya.csv"]
    files["survey_as_actors.csv"] = csv_bytes([HEADER, *w1])
    files["other_form.csv"] = csv_bytes(
        [
            ["start", "end", "satisfaction", "commentaire", "_id", "_uuid", "_submission_time"],
            [
                "2024-11-12T10:00:00.000+01:00",
                "2024-11-12T10:05:00.000+01:00",
                "3",
                "bien",
                "1",
                "6a1f0c9e-0000-4000-8000-000000000001",
                "2024-11-12T09:05:00",
            ],
        ]
    )
    dup = [[*r, r[4]] for r in [HEADER, *w1]]
    files["duplicate_columns.csv"] = csv_bytes(dup)
    actors = [["org_id", "name", "sector", "commune"], *[list(a) for a in ACTORS]]
    slug = [list(r) for r in actors]
    slug[1][0] = "Mairie de Breil"
    files["actors_bad_slug.csv"] = csv_bytes(slug)
    duplicate = [list(r) for r in actors]
    duplicate[3][0] = "asso-roya"
    files["actors_duplicate_org.csv"] = csv_bytes(duplicate)
    unnamed = [list(r) for r in actors]
    unnamed[2][1] = ""
    files["actors_missing_name.csv"] = csv_bytes(unnamed)
    sector = [list(r) for r in actors]
    sector[4][2] = "Fondation"
    files["actors_unknown_sector.csv"] = csv_bytes(sector)
    titled = with_cell(w1, 4, "org_id", "mairie-nice")
    files["titles_unknown_org.xlsx"] = xlsx(
        [HEADER, *titled], title_rows=[["Baromètre des coopérations — Roya"], []]
    )
    return files


def main() -> None:
    for folder, files in (("good", good_files()), ("bad", bad_files())):
        target = HERE / folder
        target.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (target / name).write_bytes(content)
    make_format_files()
    print(f"written under {HERE}")


def make_format_files() -> None:
    """The same answers from every tool, and the template in every encoding and separator."""
    from data.importer import samples
    from data.importer.formats import ActorRef

    target = HERE / "formats"
    target.mkdir(parents=True, exist_ok=True)
    sector_ids = {
        "Collectivité": "collectivite",
        "Association": "association",
        "Entreprise": "entreprise",
        "Habitant": "habitant",
        "État / service public": "etat",
        "association": "association",
    }
    actors = [ActorRef(a[0], a[1], sector_ids[a[2]]) for a in ACTORS]
    answers = samples.sample_answers(actors, respondents=12, seed=11)
    template = samples.template_csv(answers, actors)
    outputs = {
        "template.csv": template,
        "template.xlsx": samples.template_xlsx(answers, actors),
        "kobo.csv": samples.kobo_csv(answers, actors),
        "kobo_labels.xlsx": samples.kobo_labels_xlsx(answers, actors),
        "odk_central.csv": samples.odk_csv(answers, actors),
        "limesurvey.csv": samples.limesurvey_csv(answers, actors, unfinished=2),
        "template_cp1252_comma.csv": samples.template_csv(
            answers, actors, separator=",", encoding="cp1252"
        ),
        "template_tab_utf16.txt": samples.template_csv(
            answers, actors, separator="\t", encoding="utf-16"
        ),
        "template_iso_dates_no_wording.csv": samples.template_csv(
            answers, actors, wording_row=False, french_dates=False, encoding="utf-8"
        ),
    }
    # Excel's "CSV (séparateur : point-virgule)" in Windows-1252 with decimal commas: "4,0".
    text = template.decode("utf-8-sig")
    lines = text.split("\r\n")
    decimal = [lines[0], lines[1]] + [
        ";".join(c + ",0" if c.isdigit() and len(c) == 1 else c for c in line.split(";"))
        for line in lines[2:]
    ]
    outputs["template_decimal_commas.csv"] = "\r\n".join(decimal).encode("cp1252")
    for name, content in outputs.items():
        (target / name).write_bytes(content)
    answers.drop(columns=["_time"]).to_csv(target / "expected_answers.csv", index=False)


if __name__ == "__main__":
    main()
