"""Bring the configured programme, stage model and territories into the database.

Run by ``cooperascope db upgrade`` after the migrations, so a new database knows the programme
without any demo data. Rows are upserted; only real changes are written (and audited).

The sectors and resource types of ``survey.yaml`` are also CHECK constraints of the schema
(``models.SECTORS``, ``models.RESOURCE_TYPES``): a configuration whose ids differ is refused
here, before any import would fail on them.
"""

from __future__ import annotations

from sqlalchemy import Engine

from data.config import AppConfig, ConfigError
from data.store import models
from data.store.engine import session_scope


def sync_config(engine: Engine, config: AppConfig, actor: str = "config") -> int:
    """Upsert the configuration rows; return how many rows were inserted or changed.

    Raises ``ConfigError`` (nothing written) when the sectors or resource types of
    ``survey.yaml`` are not those of the schema."""
    require_schema_vocabulary(config)
    model = config.stage_model
    wanted: list[models.Base] = [
        models.StageModelRow(id=model.id, name=model.name),
        *(
            models.StageRow(stage_model_id=model.id, id=stage.id, rank=rank, label=stage.label)
            for rank, stage in enumerate(model.stages, start=1)
        ),
        models.Programme(
            id=config.programme.id,
            name=config.programme.name,
            stage_model_id=model.id,
            duration_months=config.programme.duration_months,
        ),
        *(
            models.Territory(
                id=t.id,
                programme_id=config.programme.id,
                name=t.name,
                region=t.region,
                department=t.department,
                start_date=t.start_date,
                binome_foundation_officer=t.binome.foundation_officer,
                binome_kiif_member=t.binome.kiif_member,
            )
            for t in config.territories
        ),
    ]
    with session_scope(engine, actor) as session:
        for row in wanted:
            session.merge(row)
            session.flush()
        return int(session.info.get("audit_rows", 0))


def require_schema_vocabulary(config: AppConfig) -> None:
    """Raise ``ConfigError`` in French, naming the ids that differ, unless the sectors and the
    resource types of ``survey.yaml`` are those the schema's CHECK constraints allow."""
    differences = [
        line
        for what, configured, schema in (
            ("secteurs", config.survey.sectors, models.SECTORS),
            ("types de ressources", config.survey.resource_types, models.RESOURCE_TYPES),
        )
        if (line := _difference(what, [item.id for item in configured], schema))
    ]
    if differences:
        raise ConfigError(
            f"{config.directory / 'survey.yaml'} ne correspond pas au schéma de la base :\n"
            + "\n".join(f"  {line}" for line in differences)
            + "\nLes secteurs et les types de ressources sont des contraintes du schéma "
            "(data/store/models.py) : les changer demande une migration du schéma (une "
            "nouvelle révision Alembic) avant de relancer « cooperascope db upgrade »."
        )


def _difference(what: str, configured: list[str], schema: tuple[str, ...]) -> str | None:
    """« secteurs : « x » absent(s) du schéma ; « y » absent(s) de survey.yaml », or None."""
    unknown = [i for i in configured if i not in schema]
    missing = [i for i in schema if i not in configured]
    parts = [
        f"{', '.join(f'« {i} »' for i in ids)} {where}"
        for ids, where in ((unknown, "absent(s) du schéma"), (missing, "absent(s) de survey.yaml"))
        if ids
    ]
    return f"{what} : " + " ; ".join(parts) if parts else None
