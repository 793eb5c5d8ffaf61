"""The XLSForm round trip: the form generated for a territory converts with pyxform (as
KoboToolbox and ODK Central convert it), and its exports, with any of the tools' settings, import
to the rows and the indicator values worked out by hand."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from data.access import Scope
from data.config import get_config
from data.importer import import_actors, import_survey
from data.importer.formats import ActorRef
from data.importer.xlsform import form_id_for, xlsform, xlsform_for
from data.services.imports import import_and_refresh
from data.store.models import IndicatorValue
from tests.data.importer.conftest import FILES, load_roya
from tests.data.importer.form_exports import (
    Export,
    Form,
    Submission,
    csv_bytes,
    read_form,
    xlsx_bytes,
)
from tests.data.importer.test_formats import stored_rows

ROYA = [
    ActorRef(*line.split(";")[:3])
    for line in (FILES / "good" / "actors_roya.csv").read_text("utf-8-sig").splitlines()[1:]
]
ITEMS = get_config().survey.likert_items


def converted(content: bytes, tmp_path: Path) -> str:
    """The XForm pyxform makes of a generated form (ODK Validate, which needs Java and a
    download, is not run): every form a test generates goes through here."""
    from pyxform.xls2xform import convert

    path = tmp_path / "form.xlsx"
    path.write_bytes(content)
    result = convert(xlsform=str(path), validate=False)
    assert result.warnings == []
    return result.xform


def likert(conf: tuple[int | None, int | None, int | None], rest: int) -> dict[str, str]:
    answers = {item: str(rest) for item in ITEMS}
    for item, value in zip(("conf_1", "conf_2", "conf_3"), conf, strict=True):
        answers[item] = "" if value is None else str(value)
    return answers


def roster(ratings: dict[str, tuple[int, ...]]) -> dict[str, str]:
    """``org: (level, fiab, mission, ouverture)``, trust only given when the level is ≥ 1."""
    answers = {}
    for org, (level, *trust) in ratings.items():
        answers[f"level__{org}"] = str(level)
        for family, value in zip(("fiab", "mission", "ouverture"), trust, strict=False):
            answers[f"{family}__{org}"] = str(value)
    return answers


# Four respondents, one for each of four organisations of the Roya (dreal and centre-social
# did not answer).
SUBMISSIONS = [
    Submission(
        "0f1e2d3c-0001",
        "2026-10-05",
        {
            "org_id": "mairie-breil",
            **likert((5, 4, 3), 4),
            "contrib": ["financement", "locaux"],
            **roster(
                {
                    "asso-roya": (3, 4, 4, 3),
                    "scierie": (1, 3),
                    "habitants-tende": (0,),
                    "dreal": (2, 2, 3, 3),
                    "centre-social": (0,),
                }
            ),
        },
    ),
    Submission(
        "0f1e2d3c-0002",
        "2026-10-07",
        {
            "org_id": "asso-roya",
            **likert((4, 2, None), 3),
            "contrib": ["nature", "benevoles", "animation"],
            **roster(
                {
                    "mairie-breil": (4, 4, 4, 4),
                    "scierie": (0,),
                    "habitants-tende": (2, 3, 3, 4),
                    "dreal": (0,),
                    "centre-social": (1, 3, 3, 3),
                }
            ),
        },
    ),
    Submission(
        "0f1e2d3c-0003",
        "2026-10-08",
        {
            "org_id": "scierie",
            **likert((2, None, None), 2),
            "contrib": [],
            **roster(
                {
                    "mairie-breil": (1, 2, 2, 3),
                    "asso-roya": (0,),
                    "habitants-tende": (0,),
                    "dreal": (0,),
                    "centre-social": (0,),
                }
            ),
        },
    ),
    Submission(
        "0f1e2d3c-0004",
        "2026-10-12",
        {
            "org_id": "habitants-tende",
            **likert((3, 3, 3), 5),
            "contrib": ["reseau"],
            **roster(
                {
                    "mairie-breil": (0,),
                    "asso-roya": (2, 4, 3, 4),
                    "scierie": (0,),
                    "dreal": (0,),
                    "centre-social": (0,),
                }
            ),
        },
    ),
]

# Worked out by hand from SUBMISSIONS (SURVEY.md's definitions), for October 2026 (the month
# of the last answer):
# - factor_confiance: respondents with ≥ 2 of conf_1..3 answered: mairie (5+4+3)/3 = 4,
#   asso (4+2)/2 = 3, habitants (3+3+3)/3 = 3; the scierie answered one → left out.
#   (4 + 3 + 3) / 3 = 3.3333, n = 3.
# - factor_vision: 4, 3, 2, 5 → 3.5, n = 4.
# - nodes: the 4 organisations that answered. Tie levels (max of both ratings):
#   mairie–asso max(3, 4) = 4, mairie–scierie max(1, 1) = 1, asso–habitants max(2, 2) = 2,
#   the 3 other pairs 0. Pairs: 4 × 3 / 2 = 6.
#   interconnaissance_density (≥ 1): 3 / 6 = 0.5; coordination_density (≥ 3): 1 / 6.
#   mean_collaboration_level: (4 + 1 + 2) / 3 = 2.3333.
# - trust_score: ratings with trust, their mean: 11/3, 3, 8/3 (mairie); 4, 10/3, 3 (asso);
#   7/3 (scierie); 11/3 (habitants) → (77/3) / 8 = 3.2083, n = 8.
# - resource_pooling: mairie, asso and habitants ticked a resource, the scierie none: 3 / 4.
EXPECTED = {
    "factor_confiance": (10 / 3, 3),
    "factor_vision": (3.5, 4),
    "interconnaissance_density": (0.5, 4),
    "coordination_density": (1 / 6, 4),
    "mean_collaboration_level": (7 / 3, 3),
    "trust_score": (77 / 24, 8),
    "resource_pooling": (0.75, 4),
}
# Likert answers: 21 + 20 + 19 + 21; ratings: 5 each; resources: 2 + 3 + 0 + 1.
COUNTS = {"respondents": 4, "likert": 81, "ratings": 20, "contributions": 6}

EXPORTS = {
    "kobo_xml_groups.csv": (Export("kobotoolbox", "xml", True, "both"), ";"),
    "kobo_xml_no_groups_single.xlsx": (Export("kobotoolbox", "xml", False, "single"), None),
    "kobo_labels_no_groups.xlsx": (Export("kobotoolbox", "labels", False, "both"), None),
    "kobo_labels_groups_split.csv": (Export("kobotoolbox", "labels", True, "split"), ","),
    "kobo_labels_single.csv": (Export("kobotoolbox", "labels", False, "single"), ";"),
    "kobo_xml_dot_separator.csv": (Export("kobotoolbox", "xml", True, "both", "."), ";"),
    "kobo_labels_pipe_separator.xlsx": (
        Export("kobotoolbox", "labels", True, "split", " | "),
        None,
    ),
    "odk_central.csv": (Export("odk_central", "xml", True, "single"), ","),
    "odk_central_no_groups_split.csv": (Export("odk_central", "xml", False, "split"), ","),
    "odk_central_resaved_tab.txt": (Export("odk_central", "xml", True, "single"), "\t"),
}


def export(form: Form, name: str, submissions: list[Submission] = SUBMISSIONS) -> bytes:
    tool, separator = EXPORTS[name]
    rows = tool.table(form, submissions)
    if separator is None:
        return xlsx_bytes(rows, form.settings["form_title"])
    return csv_bytes(rows, separator)


def test_the_form_converts_and_asks_what_the_import_reads(tmp_path: Path) -> None:
    content = xlsform(ROYA, "roya", territory_name="Vallée de la Roya")
    xform = converted(content, tmp_path)
    form = read_form(content)
    # The id and version: the territory's, and the first 8 hex digits of the SHA-256 of the
    # sorted org_ids joined by newlines (asso-roya, centre-social, dreal, habitants-tende,
    # mairie-breil, scierie).
    import hashlib

    digest = hashlib.sha256(
        b"asso-roya\ncentre-social\ndreal\nhabitants-tende\nmairie-breil\nscierie"
    ).hexdigest()[:8]
    assert form.settings["form_id"] == "cooperascope_roya"
    assert form.settings["version"] == digest
    assert f'<data id="cooperascope_roya" version="{digest}">' in xform
    names = [f.name for f in form.fields]
    assert len(names) == len(set(names))  # unique: a header without its groups is unambiguous
    assert [n for n in names if n in ITEMS] == list(ITEMS)
    labels = {f.name: f.label for f in form.fields}
    assert labels["conf_1"] == "Les acteurs impliqués se font confiance."
    assert labels["level__scierie"] == "Niveau de collaboration avec Scierie de la Vallée"
    assert labels["fiab__dreal"] == "Confiance en DREAL PACA : fiable"
    assert form.choices["niveaux"]["3"] == "3 – Coordination"
    assert form.choices["organisations"]["dreal"] == "DREAL PACA"
    assert list(form.choices["contrib_types"]) == [r.id for r in get_config().survey.resource_types]
    kinds = {f.name: f.kind for f in form.fields}
    assert kinds["contrib"] == "select_multiple" and kinds["org_id"] == "select_one"
    # 6 organisations × (level + 3 trust questions).
    assert sum(1 for n in names if "__" in n) == 24
    # In the XForm: the organisation and every level required, trust asked only from level 1,
    # no organisation asked about itself.
    binds = dict(re.findall(r'<bind nodeset="([^"]+)"([^>]*)/>', xform))
    assert 'required="true()"' in binds["/data/identification/org_id"]
    level = "/data/relations/p_dreal/level__dreal"
    assert 'required="true()"' in binds[level]
    assert f'relevant=" {level}  &gt;= 1"' in binds["/data/relations/p_dreal/fiab__dreal"]
    assert (
        "relevant=\" /data/identification/org_id  != 'dreal'\"" in binds["/data/relations/p_dreal"]
    )
    assert "'cooperascope_roya " + digest + "'" in binds["/data/cooperascope_form"]


def test_a_territory_of_many_organisations_gets_a_drop_down(tmp_path: Path) -> None:
    actors = [ActorRef(f"org-{i:02d}", f"Organisation {i}", "association") for i in range(40)]
    content = xlsform(actors, "grand-territoire")
    xform = converted(content, tmp_path)
    assert 'appearance="minimal"' in xform
    assert '<data id="cooperascope_grand-territoire"' in xform
    assert xform.count("<group ") >= 40 + 7 + 3


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_every_export_of_the_form_imports_to_the_values_worked_out_by_hand(
    engine: Engine, name: str, tmp_path: Path
) -> None:
    load_roya(engine, wave0=False)
    content = xlsform_for(engine, "roya")
    converted(content, tmp_path)
    form = read_form(content)

    result = import_and_refresh(
        engine, "survey", export(form, name), name, "roya", Scope.system("t"), wave_number=0
    )

    assert result.outcome == "imported", result.render_text()
    assert result.report.checks == [], result.render_text()
    expected_tool = "kobotoolbox" if name.startswith("kobo") else "odk_central"
    assert result.source_format == expected_tool
    assert {k: result.counts[k] for k in COUNTS} == COUNTS
    with engine.connect() as connection:
        values = {
            row.indicator_id: (row.value, row.n)
            for row in connection.execute(
                select(IndicatorValue.indicator_id, IndicatorValue.value, IndicatorValue.n).where(
                    IndicatorValue.territory_id == "roya",
                    IndicatorValue.month == dt.date(2026, 10, 1),
                    IndicatorValue.indicator_id.in_(EXPECTED),
                )
            )
        }
    assert {k: (pytest.approx(v), n) for k, (v, n) in EXPECTED.items()} == values


def test_all_exports_store_the_same_rows(engine: Engine) -> None:
    load_roya(engine, wave0=False)
    form = read_form(xlsform_for(engine, "roya"))
    reference = None
    for name in sorted(EXPORTS):
        result = import_survey(engine, export(form, name), name, "roya", 0, "t")
        assert result.outcome in ("imported", "replaced"), result.render_text()
        rows = stored_rows(engine, "roya", 0)
        reference = reference or rows
        assert rows == reference, name
    assert reference is not None
    # The respondent's organisation and the resources read from labels as from names.
    assert reference["0f1e2d3c-0002"][0] == "asso-roya"
    assert reference["0f1e2d3c-0002"][4] == ("animation", "benevoles", "nature")
    assert ("centre-social", 1, 3, 3, 3) in reference["0f1e2d3c-0002"][5]


def test_an_export_of_an_older_form_imports_and_names_the_organisations_it_lacked(
    engine: Engine, tmp_path: Path
) -> None:
    """The form was deployed before the centre social joined the list."""
    load_roya(engine, wave0=False)
    older = xlsform([a for a in ROYA if a.org_id != "centre-social"], "roya")
    converted(older, tmp_path)
    form = read_form(older)
    submissions = [
        Submission(
            s.uuid,
            s.day,
            {k: v for k, v in s.answers.items() if not k.endswith("__centre-social")},
        )
        for s in SUBMISSIONS
    ]
    for name in ("kobo_labels_no_groups.xlsx", "odk_central.csv"):
        result = import_survey(engine, export(form, name, submissions), name, "roya", 0, "t")

        assert result.outcome in ("imported", "replaced"), result.render_text()
        assert [c.check_id for c in result.report.checks] == ["form_orgs_missing"]
        check = result.report.checks[0]
        version = form_id_for("roya", ROYA[:-1]).version
        assert check.message == (
            f"Le formulaire de cet export (version {version}) a été construit avec une liste "
            "des acteurs plus ancienne : 1 organisation de la liste actuelle n'y était pas, et "
            "personne n'a pu dire ses relations avec elle : « Centre social La Brigue ». Les "
            "réponses sont importées."
        )
        assert result.counts["ratings"] == 20 - 4  # no one rated the centre social


def test_an_export_of_another_territory_s_form_is_refused(engine: Engine) -> None:
    load_roya(engine, wave0=False)
    actors = (FILES / "good" / "actors_roya.csv").read_bytes()
    assert import_actors(engine, actors, "actors_roya.csv", "aura", "t").outcome == "imported"
    form = read_form(xlsform_for(engine, "roya"))

    result = import_survey(engine, export(form, "odk_central.csv"), "odk.csv", "aura", 0, "t")

    assert result.outcome == "refused"
    check = result.report.find("form_territory")
    assert check is not None and check.rows == [2, 3, 4, 5], result.render_text()
    assert "du formulaire d'un autre territoire (cooperascope_roya)" in check.message


def test_an_unknown_form_goes_through_the_mapping_as_before(engine: Engine) -> None:
    """Without the form's marker, the same export is read by the tools' mapping alone (and
    the organisations a form lacked go unremarked)."""
    load_roya(engine, wave0=False)
    form = read_form(xlsform_for(engine, "roya"))
    form.fields = [f for f in form.fields if f.name != "cooperascope_form"]

    result = import_survey(engine, export(form, "odk_central.csv"), "odk.csv", "roya", 0, "t")

    assert result.outcome == "imported", result.render_text()
    assert result.report.checks == []
