"""The import path's guarantees, on SQLite and PostgreSQL: unchanged, replaced, audited, atomic,
warnings that import, actors list updates, formula cells kept as text."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from data.exports.spreadsheet import neutralise, to_csv_bytes, to_xlsx_bytes
from data.importer import Report, import_actors, import_survey
from data.importer import job_state as job_state_module
from data.importer import steps as steps_module
from data.importer import writing as writing_module
from data.importer.settings import CheckSetting, quality_settings
from data.store.models import (
    Actor,
    AuditLog,
    ImportReport,
    LikertAnswer,
    RawUpload,
    RosterRating,
    SurveyWave,
)
from tests.data.importer.conftest import FILES, count, load_roya, snapshot
from tests.data.importer.make_files import HEADER, csv_bytes, wave, with_cell
from tests.data.importer.test_formats import stored_rows

W1 = (FILES / "good" / "survey_roya_w1.csv").read_bytes()


def _journal(engine: Engine) -> tuple[int, int, int]:
    return count(engine, "import_report"), count(engine, "raw_upload"), count(engine, "audit_log")


def test_importing_the_same_file_again_changes_nothing_and_says_so(engine: Engine) -> None:
    load_roya(engine)
    first = import_survey(engine, W1, "vague1.csv", "roya", 1, "anne")
    assert first.outcome == "imported"
    before, journal = snapshot(engine), _journal(engine)

    again = import_survey(engine, W1, "vague1-copie.csv", "roya", 1, "paul")

    assert again.outcome == "unchanged"
    assert again.report_id is None
    text = again.render_text()
    assert "INCHANGÉ — ce fichier a déjà été importé le " in text
    assert "par anne : rien n'a été modifié." in text
    assert snapshot(engine) == before and _journal(engine) == journal


def test_the_same_survey_file_as_another_wave_is_refused_and_no_wave_is_made(
    engine: Engine,
) -> None:
    """Wave 1 imported, the identical file sent again as wave 2 (the page proposed the next
    number): refused, naming wave 1, its date and author; wave 2 does not exist. Before, it
    became a second, identical wave with a mere warning."""
    load_roya(engine)
    assert import_survey(engine, W1, "vague1.csv", "roya", 1, "anne").outcome == "imported"
    waves_before = count(engine, "survey_wave")

    again = import_survey(engine, W1, "vague1-bis.csv", "roya", 2, "paul")

    assert again.outcome == "refused"
    check = again.report.find("same_file_other_wave")
    assert check is not None and check.is_error
    assert check.message.startswith("Ce fichier a déjà été importé comme vague 1 de ce territoire")
    assert "par anne : l'importer comme vague 2 en ferait une seconde vague identique." in (
        check.message
    )
    assert "choisissant la vague 1" in check.hint
    assert count(engine, "survey_wave") == waves_before


def test_a_wave_ending_less_than_three_months_after_the_previous_one_is_a_warning(
    engine: Engine,
) -> None:
    # Wave 0 ends on 14/05/2024; the same answers dated 12–18 July 2024 end on 18/07/2024,
    # before 14/08/2024 (three months after): imported, with the warning.
    load_roya(engine)
    july = W1.replace(b"/11/2024", b"/07/2024")
    result = import_survey(engine, july, "juillet.csv", "roya", 1, "anne")
    assert result.outcome == "imported"
    check = result.report.find("wave_spacing")
    assert check is not None and not check.is_error
    assert check.message == (
        "La vague 1 se termine le 18/07/2024, moins de trois mois après la vague 0 (terminée "
        "le 14/05/2024), alors qu'une vague vient environ tous les six mois."
    )
    # Dated 12–18 August: ends on 18/08/2024, after 14/08/2024: no warning.
    august = W1.replace(b"/11/2024", b"/08/2024")
    replaced = import_survey(engine, august, "aout.csv", "roya", 1, "anne")
    assert replaced.outcome == "replaced" and replaced.report.find("wave_spacing") is None


def test_a_corrected_file_replaces_the_wave_by_respondent_and_keeps_the_earlier_report(
    engine: Engine,
) -> None:
    load_roya(engine)
    first = import_survey(engine, W1, "vague1.csv", "roya", 1, "anne")
    corrected_rows = with_cell(wave(1), 4, "conf_1", "1")[:4]  # r3 corrected, r5 dropped
    corrected_rows.append(
        [
            "r6",
            "centre-social",
            "",
            "19/11/2024",
            "3",
            "3",
            "3",
            "3",
            "0",
            "1",
            "2",
            "1",
            "1",
            "0",
            "0",
            "0",
            "",
        ]
    )
    corrected = csv_bytes([HEADER, *corrected_rows])

    second = import_survey(engine, corrected, "vague1-corrigée.csv", "roya", 1, "paul")

    assert second.outcome == "replaced", second.render_text()
    assert "REMPLACÉ — la vague 1 est remplacée par ce fichier" in second.render_text()
    removed = second.report.find("respondents_removed")
    assert removed is not None and not removed.is_error and "« r5 »" in removed.message
    rows = stored_rows(engine, "roya", 1)
    assert sorted(rows) == ["r1", "r2", "r3", "r4", "r6"]
    assert ("conf_1", 1) in rows["r3"][3]
    assert rows["r6"][1] == "association"  # sector left empty: the actors list's
    with engine.connect() as connection:
        reports = connection.execute(
            select(ImportReport.id, ImportReport.outcome, ImportReport.sha256)
            .where(ImportReport.wave_number == 1)
            .order_by(ImportReport.id)
        ).all()
        archived = set(connection.scalars(select(RawUpload.sha256)))
    assert [(r.id, r.outcome) for r in reports] == [
        (first.report_id, "imported"),
        (second.report_id, "replaced"),
    ]
    assert {first.sha256, second.sha256} <= archived
    # Re-importing the first file is not "unchanged": it restores the first version.
    again = import_survey(engine, W1, "vague1.csv", "roya", 1, "anne")
    assert again.outcome == "replaced"
    assert sorted(stored_rows(engine, "roya", 1)) == ["r1", "r2", "r3", "r4", "r5"]


def test_an_import_is_audited_once_with_its_territory_and_stores_its_report(
    engine: Engine,
) -> None:
    load_roya(engine)
    with engine.connect() as connection:
        last = connection.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1))

    result = import_survey(engine, W1, "vague1.csv", "roya", 1, "anne")

    with engine.connect() as connection:
        rows = connection.execute(
            select(
                AuditLog.action,
                AuditLog.entity,
                AuditLog.entity_key,
                AuditLog.territory_id,
                AuditLog.actor,
                AuditLog.details,
            )
            .where(AuditLog.id > last)
            .order_by(AuditLog.id)
        ).all()
        stored = connection.execute(
            select(*ImportReport.__table__.columns).where(ImportReport.id == result.report_id)
        ).one()
        wave_row = connection.execute(
            select(SurveyWave.number, SurveyWave.window_start).where(
                SurveyWave.territory_id == "roya", SurveyWave.number == 1
            )
        ).one()
    assert [(r.action, r.entity, r.territory_id, r.actor) for r in rows] == [
        ("archive", "raw_upload", "roya", "anne"),
        ("import", "survey_wave", "roya", "anne"),
    ]
    assert rows[1].entity_key == "roya/1"
    assert rows[1].details["respondents"] == 5 and rows[1].details["outcome"] == "imported"
    assert (stored.filename, stored.kind, stored.wave_number, stored.imported_by) == (
        "vague1.csv",
        "survey",
        1,
        "anne",
    )
    assert (stored.outcome, stored.errors, stored.rows_imported) == ("imported", 0, 5)
    assert stored.sha256 == result.sha256 and stored.source_format == "template"
    assert Report.from_dict(stored.report).to_dict() == result.report.to_dict()
    assert tuple(wave_row) == (1, None)  # the wave was created


def test_a_failed_write_is_rolled_back_entirely(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_roya(engine)
    before = snapshot(engine)
    real = writing_module.write_rows

    def half_then_fail(connection, wave_id, rows):  # type: ignore[no-untyped-def]
        real(connection, wave_id, rows)
        raise IntegrityError("INSERT", {}, Exception("simulated failure after writing"))

    monkeypatch.setattr(writing_module, "write_rows", half_then_fail)
    result = import_survey(engine, W1, "vague1.csv", "roya", 1, "anne")

    assert result.outcome == "refused"
    check = result.report.find("database_error")
    assert check is not None and "rien n'a été enregistré" in check.message
    assert snapshot(engine) == before
    monkeypatch.undo()
    assert import_survey(engine, W1, "vague1.csv", "roya", 1, "anne").outcome == "imported"


def test_warnings_import_the_file_and_leave_out_what_they_name(engine: Engine) -> None:
    load_roya(engine)
    header = [*HEADER, "level__mairie-nice", "fiab__scierie", "remarques"]
    header.remove("vis_1")  # a form version without vis_1
    rows = []
    for row in wave(1):
        row = [c for i, c in enumerate(row) if HEADER[i] != "vis_1"]
        rows.append([*row, "", "", "RAS"])
    index = {name: i for i, name in enumerate(header)}
    rows[0][index["level__mairie-breil"]] = "5"  # r1 (mairie-breil) rates itself
    rows[1][index["level__mairie-nice"]] = "2"  # r2 rates an organisation not on the list
    rows[0][index["fiab__scierie"]] = "3"  # r1: level with the scierie is 1: kept
    rows[4][index["level__scierie"]] = "0"
    rows[4][index["fiab__scierie"]] = "4"  # r5: trust with level 0: ignored
    for name in ("conf_1", "conf_2", "conf_3"):
        rows[3][index[name]] = ""  # r4 answered no statement
    content = csv_bytes([header, *rows])

    result = import_survey(engine, content, "vague1-v2.csv", "roya", 1, "anne")

    assert result.outcome == "imported", result.render_text()
    found = {c.check_id: c for c in result.report.checks}
    assert set(found) == {
        "self_rating",
        "unknown_rated_org",
        "trust_needs_tie",
        "missing_share",
        "unknown_columns",
    }
    assert all(not c.is_error for c in found.values())
    assert found["self_rating"].rows == [2]
    assert "« mairie-nice »" in found["unknown_rated_org"].message
    assert found["unknown_rated_org"].rows == [3]
    assert found["trust_needs_tie"].rows == [6]
    assert found["missing_share"].rows == [5]
    assert found["unknown_columns"].columns == ["remarques (S)"]
    assert "le fichier est importé malgré les avertissements" in result.render_text()
    stored = stored_rows(engine, "roya", 1)
    assert not any(r[0] == "mairie-breil" for r in stored["r1"][5])
    assert ("scierie", 1, 3, None, None) in stored["r1"][5]
    assert ("scierie", 0, None, None, None) in stored["r5"][5]
    assert stored["r4"][3] == ()


def test_answers_outside_the_planned_window_are_a_warning(engine: Engine) -> None:
    load_roya(engine)
    with engine.begin() as connection:
        connection.execute(
            SurveyWave.__table__.insert().values(
                territory_id="roya",
                number=1,
                window_start=dt.date(2024, 11, 1),
                window_end=dt.date(2024, 11, 15),
            )
        )

    result = import_survey(engine, W1, "vague1.csv", "roya", 1, "anne")

    assert result.outcome == "imported"
    check = result.report.find("date_in_window")
    assert check is not None and not check.is_error
    assert "hors de la période prévue pour la vague 1 (du 01/11/2024 au 15/11/2024)" in (
        check.message
    )
    assert check.rows == [6]


def test_a_wave_whose_answers_all_follow_the_next_wave_is_refused(engine: Engine) -> None:
    load_roya(engine, wave0=False)
    assert import_survey(engine, W1, "vague1.csv", "roya", 1, "a").outcome == "imported"
    late = csv_bytes([HEADER, *[[*r[:3], "02/12/2024", *r[4:]] for r in wave(0)]])

    result = import_survey(engine, late, "vague0.csv", "roya", 0, "a")

    assert result.outcome == "refused"
    check = result.report.find("wave_order")
    assert check is not None
    assert "sont postérieures à celles de la vague 1 (jusqu'au 18/11/2024)" in check.message


def test_checks_are_configurable_error_or_warning(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_roya(engine)
    settings = quality_settings()
    suites = dict(settings.suites)
    survey = dict(suites["survey"])
    survey["likert_range"] = CheckSetting(severity="warning")
    survey["unknown_columns"] = CheckSetting(severity="error")
    suites["survey"] = survey
    monkeypatch.setattr(
        job_state_module, "quality_settings", lambda: settings.model_copy(update={"suites": suites})
    )
    bad = (FILES / "bad" / "likert_out_of_range.csv").read_bytes()

    result = import_survey(engine, bad, "likert.csv", "roya", 1, "a")

    assert result.outcome == "imported", result.render_text()
    assert not result.report.find("likert_range").is_error  # type: ignore[union-attr]
    stored = stored_rows(engine, "roya", 1)
    assert all(item != "conf_1" for item, _ in stored["r1"][3])  # the 6 was left out
    extra = csv_bytes([[*HEADER, "remarques"], *[[*r, "x"] for r in wave(1)]])
    refused = import_survey(engine, extra, "extra.csv", "roya", 1, "a")
    assert refused.outcome == "refused" and refused.report.find("unknown_columns").is_error  # type: ignore[union-attr]


def test_the_actors_list_is_updated_and_referenced_actors_are_kept(engine: Engine) -> None:
    load_roya(engine)  # wave 0: the DREAL answered; the centre social is only rated
    actors = [
        ["org_id", "name", "sector", "commune"],
        ["mairie-breil", "Mairie de Breil", "Collectivité", "Breil-sur-Roya"],
        ["asso-roya", "Association Roya Solidaire", "association", "Tende"],
        ["scierie", "Scierie de la Vallée", "entreprise", "Saorge"],
        ["habitants-tende", "Collectif des habitants de Tende", "habitant", "Tende"],
        ["nouvelle", "Nouvelle association", "ASSOCIATION", ""],
    ]
    with engine.begin() as connection:
        wave0 = connection.scalar(select(SurveyWave.id).where(SurveyWave.number == 0))
        dreal = connection.scalar(select(Actor.id).where(Actor.org_id == "dreal"))
        centre = connection.scalar(select(Actor.id).where(Actor.org_id == "centre-social"))
        assert wave0 is not None
        connection.execute(
            RosterRating.__table__.delete().where(RosterRating.rated_actor_id == centre)
        )

    result = import_actors(engine, csv_bytes(actors), "acteurs-2.csv", "roya", "anne")

    assert result.outcome == "replaced", result.render_text()
    assert (result.counts["added"], result.counts["updated"], result.counts["removed"]) == (1, 1, 1)
    kept = result.report.find("actors_kept")
    assert kept is not None and "« dreal »" in kept.message
    with engine.connect() as connection:
        stored = dict(
            connection.execute(
                select(Actor.org_id, Actor.name).where(Actor.territory_id == "roya")
            ).all()
        )
    assert "centre-social" not in stored and dreal is not None and "dreal" in stored
    assert stored["mairie-breil"] == "Mairie de Breil" and stored["nouvelle"]


def test_cells_starting_with_formula_characters_are_kept_as_text_and_neutralised_on_export(
    engine: Engine,
) -> None:
    actors = [
        ["org_id", "name", "sector", "commune"],
        ["egal", "=Solidaire", "association", "@Tende"],
        ["plus", "+Jeunes", "habitant", "+33 Breil"],
        ["moins", "-Collectif-", "habitant", "-"],
        ["arobase", "@Asso", "autre", "=SOMME(A1:A2)"],
    ]

    result = import_actors(engine, csv_bytes(actors), "formules.csv", "roya", "anne")

    assert result.outcome == "imported", result.render_text()
    with engine.connect() as connection:
        stored = {
            r.org_id: (r.name, r.commune)
            for r in connection.execute(
                select(Actor.org_id, Actor.name, Actor.commune).where(Actor.territory_id == "roya")
            )
        }
    assert stored == {
        "egal": ("=Solidaire", "@Tende"),
        "plus": ("+Jeunes", "+33 Breil"),
        "moins": ("-Collectif-", "-"),
        "arobase": ("@Asso", "=SOMME(A1:A2)"),
    }
    import pandas as pd

    order = ["egal", "plus", "moins", "arobase"]
    frame = pd.DataFrame(
        {
            "name": [stored[o][0] for o in order],
            "commune": [stored[o][1] for o in order],
            "score": [-1.5, 2.0, -3.0, 4.0],
        }
    )
    safe = neutralise(frame)
    assert safe["name"].tolist() == ["'=Solidaire", "'+Jeunes", "'-Collectif-", "'@Asso"]
    assert safe["commune"].tolist() == ["'@Tende", "'+33 Breil", "'-", "'=SOMME(A1:A2)"]
    assert safe["score"].tolist() == [-1.5, 2.0, -3.0, 4.0]
    text = to_csv_bytes(frame).decode("utf-8-sig")
    assert "'=Solidaire;'@Tende;-1,5" in text
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    assert sheet["A2"].value == "'=Solidaire" and sheet["A2"].data_type == "s"
    assert sheet["C2"].value == -1.5
    # LikertAnswer is untouched by this test: the import did not write answers.
    assert count(engine, LikertAnswer.__tablename__) == 0


def test_an_unexpected_error_still_gives_a_stored_report(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_roya(engine)
    before = snapshot(engine)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("boom")

    monkeypatch.setattr(steps_module, "parse_survey", broken)

    result = import_survey(engine, W1, "vague1.csv", "roya", 1, "anne")

    assert result.outcome == "refused" and result.report_id is not None
    check = result.report.find("internal_error")
    assert check is not None and "ValueError : boom" in check.message
    assert snapshot(engine) == before


def test_a_dry_run_checks_everything_and_writes_nothing(engine: Engine) -> None:
    load_roya(engine)
    before, journal = snapshot(engine), _journal(engine)

    checked = import_survey(engine, W1, "vague1.csv", "roya", 1, "anne", dry_run=True)
    bad = import_survey(
        engine,
        (FILES / "bad" / "unknown_org.csv").read_bytes(),
        "unknown_org.csv",
        "roya",
        1,
        "anne",
        dry_run=True,
    )
    listing = import_actors(
        engine,
        (FILES / "good" / "actors_roya.csv").read_bytes(),
        "autre-nom.csv",
        "roya",
        "anne",
        dry_run=True,
    )
    again = import_survey(
        engine,
        (FILES / "good" / "survey_roya_w0.csv").read_bytes(),
        "w0.csv",
        "roya",
        0,
        "a",
        dry_run=True,
    )

    assert (checked.outcome, checked.would_be, checked.counts["respondents"]) == (
        "checked",
        "imported",
        5,
    )
    assert checked.headline().startswith("VÉRIFIÉ — le fichier peut être importé (5 répondants")
    assert bad.outcome == "refused" and bad.report_id is None
    assert bad.report.find("known_org") is not None
    assert listing.outcome == "unchanged" and again.outcome == "unchanged"
    changed = (FILES / "good" / "actors_roya.csv").read_bytes().replace(b"DREAL PACA", b"DREAL")
    update_check = import_actors(engine, changed, "acteurs.csv", "roya", "anne", dry_run=True)
    assert (update_check.outcome, update_check.would_be) == ("checked", "replaced")
    assert update_check.counts["updated"] == 1
    assert snapshot(engine) == before and _journal(engine) == journal
    assert import_survey(engine, W1, "vague1.csv", "roya", 1, "anne").outcome == "imported"
    replacing = import_survey(
        engine,
        (FILES / "bad" / "sector_mismatch.csv").read_bytes(),
        "x.csv",
        "roya",
        1,
        "a",
        dry_run=True,
    )
    assert replacing.outcome == "refused"
