"""The sectors and resource types of ``survey.yaml`` are CHECK constraints of the schema: they
agree, and a configuration that disagrees is refused before anything is written (SQLite and
PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from data.config import DEFAULT_CONFIG_DIR, ConfigError, load_config
from data.store import models as m
from data.store.engine import make_engine, session_scope
from data.store.migrate import upgrade
from data.store.sync import sync_config
from tests.conftest import edit


def test_survey_ids_are_those_of_the_schema_in_the_same_order() -> None:
    survey = load_config(DEFAULT_CONFIG_DIR).survey
    assert tuple(s.id for s in survey.sectors) == m.SECTORS
    assert tuple(r.id for r in survey.resource_types) == m.RESOURCE_TYPES


def test_the_database_stores_every_sector_and_resource_type_of_survey_yaml(
    engine: Engine,
) -> None:
    survey = load_config(DEFAULT_CONFIG_DIR).survey
    with session_scope(engine, "test") as session:
        actors = [
            m.Actor(territory_id="roya", org_id=s.id, name=s.label, sector=s.id)
            for s in survey.sectors
        ]
        wave = m.SurveyWave(territory_id="roya", number=0)
        session.add_all([*actors, wave])
        session.flush()
        respondent = m.Respondent(
            wave_id=wave.id,
            respondent_key="R1",
            actor_id=actors[0].id,
            sector=actors[0].sector,
            submitted_at=dt.date(2024, 1, 10),
        )
        session.add(respondent)
        session.flush()
        session.add_all(
            m.ResourceContribution(respondent_id=respondent.id, resource_type=r.id)
            for r in survey.resource_types
        )
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(m.Actor)) == 6
        assert connection.scalar(select(func.count()).select_from(m.ResourceContribution)) == 9


def changed_vocabulary(config_copy: Path) -> Path:
    """« etat » renamed « public », a resource type « temps » added."""
    survey = config_copy / "survey.yaml"
    edit(survey, "{id: etat, label: État / service public}", "{id: public, label: Public}")
    edit(
        survey,
        "  - {id: animation, label: Animation}\n",
        "  - {id: animation, label: Animation}\n  - {id: temps, label: Temps}\n",
    )
    return survey


def test_a_survey_whose_ids_differ_from_the_schema_is_refused(
    db_url: str, config_copy: Path
) -> None:
    survey = changed_vocabulary(config_copy)
    engine = make_engine(db_url)
    upgrade(engine)
    with pytest.raises(ConfigError) as error:
        sync_config(engine, load_config(config_copy))
    assert str(error.value).splitlines() == [
        f"{survey} ne correspond pas au schéma de la base :",
        "  secteurs : « public » absent(s) du schéma ; « etat » absent(s) de survey.yaml",
        "  types de ressources : « temps » absent(s) du schéma",
        "Les secteurs et les types de ressources sont des contraintes du schéma "
        "(data/store/models.py) : les changer demande une migration du schéma (une nouvelle "
        "révision Alembic) avant de relancer « cooperascope db upgrade ».",
    ]
    with engine.connect() as connection:  # refused before anything was written
        assert connection.scalar(select(func.count()).select_from(m.Programme)) == 0
        assert connection.scalar(select(func.count()).select_from(m.AuditLog)) == 0
    engine.dispose()


def _programme_data(engine: Engine, programme_id: str) -> dict[str, list[tuple]]:
    """Every row of a programme: its row, its territories and their journals."""
    with engine.connect() as connection:
        territories = select(m.Territory.id).where(m.Territory.programme_id == programme_id)
        return {
            "programme": [
                tuple(r) for r in connection.execute(select(m.Programme).filter_by(id=programme_id))
            ],
            "territory": sorted(
                tuple(r)
                for r in connection.execute(
                    select(m.Territory).where(m.Territory.programme_id == programme_id)
                )
            ),
            "journal": sorted(
                tuple(map(str, r))
                for r in connection.execute(
                    select(m.Journal).where(m.Journal.territory_id.in_(territories))
                )
            ),
        }


def _draft_journal(engine: Engine, territory_id: str, stage: str) -> None:
    with session_scope(engine, "t") as session:
        session.add(
            m.Journal(
                territory_id=territory_id,
                month=dt.date(2026, 11, 1),
                declared_stage=stage,
                status="draft",
            )
        )


def test_adding_a_programme_file_leaves_the_other_programmes_identical(
    engine: Engine, config_copy: Path
) -> None:
    _draft_journal(engine, "roya", "structuration")
    before = {p: _programme_data(engine, p) for p in ("tec", "faire-ensemble", "catalyseurs")}
    (config_copy / "programmes" / "rameau-bis.yaml").write_text(
        (config_copy / "programmes" / "catalyseurs.yaml")
        .read_text(encoding="utf-8")
        .replace("id: catalyseurs", "id: rameau-bis")
        .replace("id: catalyseur-", "id: rameau-bis-"),
        encoding="utf-8",
    )
    sync_config(engine, load_config(config_copy))
    after = {p: _programme_data(engine, p) for p in before}
    assert after == before
    assert len(_programme_data(engine, "rameau-bis")["territory"]) == 10


def test_removing_a_territory_with_data_is_refused_and_one_without_is_removed(
    engine: Engine, config_copy: Path
) -> None:
    _draft_journal(engine, "mulhouse", "impulsion")
    path = config_copy / "programmes" / "faire-ensemble.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("  - id: mulhouse")], encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        sync_config(engine, load_config(config_copy))
    message = str(error.value)
    assert "« mulhouse » (Mulhouse, programme « faire-ensemble ») : journaux" in message
    assert "Remettez-les dans le fichier de leur programme" in message
    with engine.connect() as connection:  # nothing written
        assert connection.scalar(select(func.count()).select_from(m.Territory)) == 18
    # Morlaix has no data: removing it from the file removes it from the database.
    path.write_text(text[: text.index("  - id: morlaix")] + text[text.index("  - id: mulhouse") :])
    sync_config(engine, load_config(config_copy))
    with engine.connect() as connection:
        ids = set(connection.scalars(select(m.Territory.id)))
    assert "morlaix" not in ids and "mulhouse" in ids and len(ids) == 17
