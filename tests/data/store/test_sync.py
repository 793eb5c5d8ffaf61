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
