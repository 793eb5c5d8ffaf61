"""Blank templates: what they contain, and that a filled-in template imports."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook
from sqlalchemy import Engine

from data.config import get_config
from data.importer import (
    actors_template,
    import_actors,
    import_survey,
    survey_template,
    survey_template_for,
)
from data.importer.formats import ActorRef
from tests.data.importer.conftest import load_roya
from tests.data.importer.test_formats import stored_rows


def test_the_csv_actors_template_is_what_french_excel_opens() -> None:
    content = actors_template("csv")
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").split("\r\n")
    assert lines[1] == "org_id;name;sector;commune"
    assert lines[0].startswith("Identifiant court et stable (ex. mairie-breil);Nom de")


def test_a_filled_actors_template_imports(engine: Engine) -> None:
    for fmt in ("csv", "xlsx"):
        if fmt == "csv":
            content = actors_template("csv") + "mairie;Mairie;Collectivité;Tende\r\n".encode()
        else:
            workbook = load_workbook(io.BytesIO(actors_template("xlsx")))
            sheet = workbook["Acteurs"]
            assert [c.value for c in sheet[4]] == ["org_id", "name", "sector", "commune"]
            assert sheet.data_validations.dataValidation  # the sector drop-down
            sheet.append(["mairie", "Mairie", "Collectivité / élu", "Tende"])
            buffer = io.BytesIO()
            workbook.save(buffer)
            content = buffer.getvalue()
        result = import_actors(engine, content, f"acteurs.{fmt}", "aura", "t")
        assert result.outcome in ("imported", "replaced"), result.render_text()
        assert result.report.checks == [] and result.counts["actors"] == 1


def test_the_survey_template_has_a_roster_block_per_organisation(engine: Engine) -> None:
    load_roya(engine, wave0=False)
    csv = survey_template_for(engine, "roya", "csv").decode("utf-8-sig").split("\r\n")
    wording, codes = csv[0].split(";"), csv[1].split(";")
    config = get_config()
    assert codes[:4] == ["respondent_id", "org_id", "sector", "submitted_at"]
    assert codes[4 : 4 + 21] == list(config.survey.likert_items)
    assert "contrib_financement" in codes
    for org in ("mairie-breil", "scierie", "centre-social"):
        for family in ("level", "fiab", "mission", "ouverture"):
            assert f"{family}__{org}" in codes
    assert wording[codes.index("conf_1")] == "Les acteurs impliqués se font confiance."
    assert (
        wording[codes.index("level__scierie")]
        == "Niveau de collaboration avec Scierie de la Vallée"
    )
    workbook = load_workbook(io.BytesIO(survey_template_for(engine, "roya", "xlsx")))
    assert workbook.sheetnames == ["Réponses", "Organisations", "Échelles"]
    sheet = workbook["Réponses"]
    assert [c.value for c in sheet[4]] == codes
    assert sheet["A1"].value.endswith("Vallée de la Roya")
    rules = {
        str(v.sqref): (v.type, v.formula1, v.formula2)
        for v in sheet.data_validations.dataValidation
    }
    letter = sheet.cell(4, codes.index("conf_1") + 1).column_letter
    assert any(k.startswith(letter) and v == ("whole", "1", "5") for k, v in rules.items())


def test_a_filled_survey_template_imports_even_without_its_names_row(engine: Engine) -> None:
    load_roya(engine, wave0=False)
    actors = [
        ActorRef("mairie-breil", "Mairie de Breil-sur-Roya", "collectivite"),
        ActorRef("scierie", "Scierie de la Vallée", "entreprise"),
    ]
    template = survey_template(pd.DataFrame([a.__dict__ for a in actors]), "csv")
    lines = template.decode("utf-8-sig").split("\r\n")
    codes = lines[1].split(";")
    values = {
        "respondent_id": "x1",
        "org_id": "Scierie de la Vallée",
        "submitted_at": "02/05/2024",
        "conf_1": "4",
        "level__mairie-breil": "3",
        "fiab__mairie-breil": "4",
    }
    row = ";".join(values.get(c, "") for c in codes)
    without_codes = "\r\n".join([lines[0], row]).encode("utf-8-sig")

    result = import_survey(engine, without_codes, "enquete.csv", "roya", 0, "t")

    assert result.outcome == "imported", result.render_text()
    assert result.report.context["source"]["header_row"] == 1  # the wording row
    rows = stored_rows(engine, "roya", 0)
    assert rows["x1"][0] == "scierie" and rows["x1"][3] == (("conf_1", 4),)
    assert rows["x1"][5] == (("mairie-breil", 3, 4, None, None),)
